#!/usr/bin/python3
# test-a11y.py — every control on every page has an accessible name and keyboard access
#
#   test-a11y.py            (under Xvfb: xvfb-run -a; ./run test does it)
#
# Starts a real tierdeskd with demo data, signs the app in as `lead`, visits
# each page through the view switcher as a screen-reader user would (AT-SPI
# "click" on the switcher's page tabs), opens the main menu and the New
# Ticket window, and walks the AT-SPI tree. A push button, toggle button,
# text entry, combo box, check box, radio button, spin button or menu item
# that is not hidden and has no name (or only GTK 4.8's fallbacks) fails
# the page's case, naming the control by its path from the window; so does
# an enabled control that the keyboard focus cannot reach.
#
# The app runs on a D-Bus session bus of its own (dbus-run-session with a
# config written here) that can activate only the AT-SPI bus launcher: the
# login token then stays in memory, because no keyring starts and no prompt
# covers the window, and the AT-SPI bus still comes up on demand.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import shutil
import subprocess
import sys
import tempfile
import time

PAGES = ["Queue", "Escalation", "On-call", "Training", "Team", "Knowledge", "Metrics"]
# Menu buttons whose menus are checked too, opened as a keyboard user would.
MENUS = ["Main Menu"]
# Buttons that open a window of their own, whose controls are checked too.
WINDOWS = ["New Ticket"]
PASSWORD = "tierdesk-a11y"
# pyatspi is imported once the private bus is up, in inner().


def fail_early(message):
    print("1..1")
    print(f"not ok 1 {message}")
    sys.exit(1)


def write_bus_config(tmp):
    services = os.path.join(tmp, "services")
    os.makedirs(services)
    source = "/usr/share/dbus-1/services/org.a11y.Bus.service"
    if not os.path.isfile(source):
        fail_early("no AT-SPI bus launcher (apt install at-spi2-core)")
    shutil.copy(source, services)
    config = os.path.join(tmp, "bus.conf")
    with open(config, "w") as f:
        f.write(f"""<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
""")
    return config


def outer():
    if not os.environ.get("DISPLAY"):
        fail_early("test-a11y needs a display: run it under xvfb-run (./run test does)")
    for tool, package in (("dbus-run-session", "dbus-daemon"),):
        if shutil.which(tool) is None:
            fail_early(f"{tool} is not installed (apt install {package})")
    probe = subprocess.run(["/usr/bin/python3", "-c", "import pyatspi"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if probe.returncode != 0:
        fail_early("pyatspi is missing (apt install python3-pyatspi)")
    # Xvfb resets when its last client disconnects, and refuses connections
    # while it does; the AT-SPI bus launcher connects and disconnects as it
    # starts, so the app could hit a reset ("cannot open display"). A
    # connection held for the whole test keeps the server from resetting.
    display = hold_display()
    tmp = tempfile.mkdtemp(prefix="tierdesk-a11y-")
    try:
        config = write_bus_config(tmp)
        runtime = os.path.join(tmp, "runtime")
        os.makedirs(runtime, mode=0o700)
        # The bus, and the AT-SPI bus launcher it starts, get no DISPLAY: with
        # one, the launcher would publish its bus on the X root window, where
        # the other GUI tests sharing this Xvfb would find it (and lose it
        # when this test ends). Its socket goes in a runtime directory of its
        # own, not ~/.cache/at-spi/, where another launcher may have its own.
        env = dict(os.environ, TD_A11Y_TMP=tmp, TD_A11Y_DISPLAY=os.environ["DISPLAY"],
                   XDG_RUNTIME_DIR=runtime)
        env.pop("DISPLAY")
        # The tests' environment turns the bridge off for the other GUI tests.
        env.pop("NO_AT_BRIDGE", None)
        env.pop("GTK_A11Y", None)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        env.pop("AT_SPI_BUS_ADDRESS", None)
        result = subprocess.run(["dbus-run-session", f"--config-file={config}", "--",
                                 "/usr/bin/python3", os.path.abspath(__file__), "--inner"],
                                env=env, timeout=280)
        return result.returncode
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        display.close()


def hold_display():
    try:
        import gi

        gi.require_version("Gdk", "4.0")
        from gi.repository import Gdk
    except (ImportError, ValueError) as error:
        fail_early(f"GDK's introspection data is missing ({error}; apt install gir1.2-gtk-4.0)")

    try:
        # A reset already under way ends within moments; wait it out.
        return wait_for(lambda: Gdk.Display.open(os.environ["DISPLAY"]), 100,
                        f"X display {os.environ['DISPLAY']} to accept a connection")
    except RuntimeError as error:
        fail_early(str(error))


def tierdeskd(*args, stdin=None):
    subprocess.run([os.environ["TD_TIERDESKD"], *args], check=True, input=stdin, text=True,
                   stdout=subprocess.DEVNULL)


def start_server(tmp):
    db = os.path.join(tmp, "tierdesk.db")
    password_file = os.path.join(tmp, "password")
    with open(password_file, "w") as f:
        f.write(PASSWORD + "\n")
    tierdeskd("init", "--db", db, "--admin", "admin", "--password-file", password_file)
    tierdeskd("user", "add", "--db", db, "lead", "--role", "app-support-lead",
              "--password-file", password_file)
    tierdeskd("demo-data", "--db", db, "--tickets", "40", "--seed", "10")
    port_file = os.path.join(tmp, "port")
    server = subprocess.Popen([os.environ["TD_TIERDESKD"], "serve", "--db", db,
                               "--listen", "127.0.0.1:0", "--port-file", port_file,
                               "--exit-with-stdin"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = wait_for(lambda: read_port(port_file), 200, "tierdeskd to write its port")
    return server, f"http://127.0.0.1:{port}"


def read_port(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return text or None
    except FileNotFoundError:
        return None


def wait_for(probe, tries, what, step=0.1):
    """Polls until probe() gives something: the tests never assert on time,
    the bound only keeps a hung app from hanging the run."""
    for _ in range(tries):
        value = probe()
        if value:
            return value
        time.sleep(step)
    raise RuntimeError(f"gave up waiting for {what}")


def own_a11y_bus():
    """The address of this bus's AT-SPI bus. GTK and libatspi look first at
    the X root window's AT_SPI_BUS property, which another test on the same
    Xvfb may have set to its own session's bus: naming ours in
    AT_SPI_BUS_ADDRESS puts the app and the checks on one bus."""
    from gi.repository import Gio, GLib

    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    reply = bus.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress", None,
                          GLib.VariantType("(s)"), Gio.DBusCallFlags.NONE, 30000, None)
    return reply.unpack()[0]


def inner():
    os.environ["AT_SPI_BUS_ADDRESS"] = own_a11y_bus()
    os.environ["DISPLAY"] = os.environ["TD_A11Y_DISPLAY"]
    import pyatspi

    tmp = os.environ["TD_A11Y_TMP"]
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    app_env = dict(os.environ, HOME=home, XDG_DATA_HOME=os.path.join(home, "data"),
                   XDG_CONFIG_HOME=os.path.join(home, "config"),
                   XDG_CACHE_HOME=os.path.join(home, "cache"),
                   XDG_STATE_HOME=os.path.join(home, "state"))
    server, url = start_server(tmp)
    app = subprocess.Popen([os.environ["TD_TIERDESK"], "--server", url, "--user", "lead",
                            "--password-stdin"], stdin=subprocess.PIPE, env=app_env, text=True)
    app.stdin.write(PASSWORD + "\n")
    app.stdin.close()
    status = 0
    try:
        status = check_pages(pyatspi)
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
        server.stdin.close()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return status


def control_roles(pyatspi):
    return {
        pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_ENTRY,
        pyatspi.ROLE_TEXT, pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_COMBO_BOX,
        pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_SPIN_BUTTON,
        pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM, pyatspi.ROLE_RADIO_MENU_ITEM,
    }


def showing(pyatspi, node):
    """GTK 4.8 sets "showing" on windows only, and "visible" on every widget
    that is not hidden, including those on the stack pages not shown now. So
    this is "not hidden", and a walk covers every page at once; visiting the
    pages still matters, as some build their widgets when first shown."""
    try:
        return node.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def label(node):
    try:
        return f"{node.getRoleName()} '{node.name}'"
    except Exception:
        return "(gone)"


def walk(pyatspi, node, path, found, depth=0):
    """Every node under node that is not hidden, with its path."""
    if depth > 60:
        return
    try:
        children = [node.getChildAtIndex(i) for i in range(node.childCount)]
    except Exception:
        return
    for child in children:
        if child is None or not showing(pyatspi, child):
            continue
        child_path = path + [label(child)]
        found.append((child, child_path))
        walk(pyatspi, child, child_path, found, depth + 1)


def keyboard_reachable(pyatspi, node, depth=0):
    """Whether Tab reaches the control: it takes focus itself, or the widget
    inside it does (a GtkMenuButton's or a GtkDropDown's inner button)."""
    try:
        if node.getState().contains(pyatspi.STATE_FOCUSABLE):
            return True
        return depth < 3 and any(
            keyboard_reachable(pyatspi, node.getChildAtIndex(i), depth + 1)
            for i in range(node.childCount))
    except Exception:
        return False


def problems(pyatspi, found, roles):
    """Each control without a name, or that is enabled but cannot take the
    keyboard focus, as "what: path", and how many controls there are, read
    in one pass (a node can go away between two). Menu items are reached
    with the arrow keys once their menu is open, so only their names count."""
    menu_roles = (pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM,
                  pyatspi.ROLE_RADIO_MENU_ITEM)
    result = []
    controls = 0
    for node, path in found:
        role = node.getRole()
        if role not in roles:
            continue
        controls += 1
        where = " > ".join(path)
        if unnamed(node):
            result.append(f"unnamed: {where}")
        elif role not in menu_roles and node.getState().contains(pyatspi.STATE_SENSITIVE) \
                and not keyboard_reachable(pyatspi, node):
            result.append(f"no keyboard access: {where}")
    return result, controls


def unnamed(node):
    """Whether a screen reader would announce nothing useful: no name, a
    type name (GTK 4.8's fallback), or GTK 4.8's mangled name of a button
    with a mnemonic ("_Mine Mine") or a label given twice ("Menu Menu")."""
    name = (node.name or "").strip()
    words = name.replace("_", "").split(" ")
    half = len(words) // 2
    return name == "" or (name[:3] in ("Gtk", "Adw") and name.isidentifier()) \
        or (name.startswith("Td") and name.isidentifier()) \
        or "_" in name \
        or (len(words) % 2 == 0 and half > 0 and words[:half] == words[half:])


def find_window(pyatspi):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name == "tierdesk":
            for window in app:
                if window is not None and showing(pyatspi, window):
                    return window
    return None


def dump(pyatspi):
    """What AT-SPI sees, as TAP comments, to tell why a wait gave up."""
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is None:
            continue
        print(f"# application '{app.name}'")
        dump_node(pyatspi, app, 1)


def dump_node(pyatspi, node, depth):
    if depth > 40:
        return
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is None:
            continue
        flag = "" if showing(pyatspi, child) else " (hidden)"
        print("# " + "  " * depth + label(child) + flag)
        dump_node(pyatspi, child, depth + 1)


def switcher_buttons(pyatspi, window):
    """The view switcher's page tabs by name, from one walk of the window."""
    found = []
    walk(pyatspi, window, [], found)
    tabs = {}
    # The first of each name, as a walk meets them: the switcher shown.
    for node, _ in found:
        if node.getRole() == pyatspi.ROLE_PAGE_TAB and node.name not in tabs:
            tabs[node.name] = node
    return tabs


def switcher_button(pyatspi, window, page):
    return switcher_buttons(pyatspi, window).get(page)


def check_pages(pyatspi):
    from gi.repository import GLib
    roles = control_roles(pyatspi)
    print(f"1..{len(PAGES) + len(MENUS) + len(WINDOWS)}")
    try:
        window = wait_for(lambda: find_window(pyatspi), 600, "the Tierdesk window on AT-SPI")
        # Signed in once the switcher offers the pages.
        wait_for(lambda: switcher_button(pyatspi, window, PAGES[0]), 600,
                 "the view switcher after signing in")
    except RuntimeError as error:
        dump(pyatspi)
        for i, page in enumerate(PAGES + MENUS + WINDOWS, 1):
            print(f"not ok {i} {page}: {error}")
        return 1
    status = 0
    reported = set()
    # The tabs stay while the pages change: one walk finds them all (a walk
    # of the whole window takes tens of seconds on AT-SPI).
    tabs = switcher_buttons(pyatspi, window)
    for i, page in enumerate(PAGES, 1):
        button = tabs.get(page) or switcher_button(pyatspi, window, page)
        if button is None:
            print(f"not ok {i} {page}: no view switcher button named '{page}'")
            status = 1
            continue
        action = button.queryAction()
        names = [action.getName(k) for k in range(action.nActions)]
        action.doAction(names.index("click") if "click" in names else 0)
        try:
            wait_for(lambda: button.getState().contains(pyatspi.STATE_SELECTED), 100,
                     f"the {page} page to show")
        except RuntimeError as error:
            print(f"not ok {i} {page}: {error}")
            status = 1
            continue
        time.sleep(0.5)  # let the page lay out its rows; the walk does not depend on it
        # A page that is still filling itself (a section's crossfade, rows
        # arriving) can take a node away mid-walk: walk it again once it
        # has settled. An app that has gone fails every attempt.
        for attempt in range(3):
            try:
                found = []
                walk(pyatspi, window, [label(window)], found)
                # Each problem fails the first page after which it is found.
                bad, controls = problems(pyatspi, found, roles)
                break
            except GLib.GError as error:
                if attempt == 2:
                    raise
                print(f"# {page}: {error.message}; walking the page again")
                time.sleep(1)
        new = [problem for problem in bad if problem not in reported]
        reported.update(new)
        for problem in new:
            print(f"# {problem}")
        if new:
            print(f"not ok {i} {page}: {len(new)} controls without a name or keyboard access")
            status = 1
        else:
            print(f"ok {i} {page}: {controls} controls, each named and reachable")
    for i, menu in enumerate(MENUS, len(PAGES) + 1):
        if not check_menu(pyatspi, window, menu, i, roles):
            status = 1
    for i, name in enumerate(WINDOWS, len(PAGES) + len(MENUS) + 1):
        if not check_window(pyatspi, window, name, i, roles):
            status = 1
    return status


def focusable_button(pyatspi, window, name):
    found = walk_settled(pyatspi, window)
    for node, _ in found:
        if node.getRole() == pyatspi.ROLE_PUSH_BUTTON and node.name == name \
                and node.getState().contains(pyatspi.STATE_FOCUSABLE):
            return node
    return None


def other_window(pyatspi, main):
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.name == "tierdesk":
            for window in app:
                if window is not None and window != main and showing(pyatspi, window) \
                        and window.getState().contains(pyatspi.STATE_SHOWING):
                    return window
    return None


def check_window(pyatspi, main, name, number, roles):
    """Presses the button named name and checks the window it opens."""
    button = focusable_button(pyatspi, main, name)
    if button is None:
        print(f"not ok {number} {name}: no focusable button named '{name}'")
        return False
    button.queryAction().doAction(0)
    try:
        window = wait_for(lambda: other_window(pyatspi, main), 100, f"the {name} window")
    except RuntimeError as error:
        print(f"not ok {number} {name}: {error}")
        return False
    found = []
    walk(pyatspi, window, [label(window)], found)
    bad, controls = problems(pyatspi, found, roles)
    for problem in bad:
        print(f"# {problem}")
    if bad:
        print(f"not ok {number} {name}: {len(bad)} controls without a name or keyboard access")
        return False
    print(f"ok {number} {name}: {controls} controls, each named and reachable")
    return True


def walk_settled(pyatspi, window):
    """The window's tree, walked again when a node goes away mid-walk: the
    app is live (pages fill themselves after a pull, a tick redraws), and
    AT-SPI reports a node that went as "the application no longer exists".
    An app that has really gone fails every attempt."""
    from gi.repository import GLib

    for attempt in range(5):
        try:
            found = []
            walk(pyatspi, window, [label(window)], found)
            # Reading each node's role is what fails for a node that went.
            for node, _ in found:
                node.getRole()
            return found
        except GLib.GError as error:
            if attempt == 4:
                raise
            print(f"# {error.message}; walking again")
            time.sleep(1)


def check_menu(pyatspi, window, menu, number, roles):
    """Opens the menu button named menu (its focusable inner button, the one
    a keyboard user presses), and checks the items of the popover it opens."""
    found = walk_settled(pyatspi, window)
    buttons = [node for node, _ in found if node.getRole() == pyatspi.ROLE_PUSH_BUTTON
               and node.name == menu and node.getState().contains(pyatspi.STATE_FOCUSABLE)]
    if not buttons:
        print(f"not ok {number} {menu}: no focusable button named '{menu}'")
        return False
    # The popover is a child of the menu button, beside its inner button:
    # only that subtree is walked while waiting for it, not the whole window.
    owner = buttons[0].parent or window

    def items():
        found = walk_settled(pyatspi, owner)
        return [(node, path) for node, path in found if node.getRole() in (
            pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM, pyatspi.ROLE_RADIO_MENU_ITEM)]

    before = len(items())
    buttons[0].queryAction().doAction(0)
    try:
        opened = wait_for(lambda: items() if len(items()) > before else None, 100,
                          f"the {menu} to open")
    except RuntimeError as error:
        print(f"not ok {number} {menu}: {error}")
        return False
    bad = [" > ".join(path) for node, path in opened if unnamed(node)]
    for path in bad:
        print(f"# unnamed: {path}")
    buttons[0].queryAction().doAction(0)
    if bad:
        print(f"not ok {number} {menu}: {len(bad)} items without an accessible name")
        return False
    print(f"ok {number} {menu}: {len(opened)} items, each named")
    return True


if __name__ == "__main__":
    if "--inner" in sys.argv:
        sys.exit(inner())
    sys.exit(outer())
