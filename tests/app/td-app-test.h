/* td-app-test.h — what every GUI test does: wait, read the screen, take a picture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "td-application.h"
#include "td-test-server.h"

G_BEGIN_DECLS

/* A condition a test waits for: @fixture is the test's own fixture. */
typedef gboolean (*TdAppTestDone) (gpointer fixture, gconstpointer data);

/* Runs the main loop until @done holds or @seconds pass; whether it holds.
 * Tests wait on conditions, never for a fixed time. */
gboolean td_app_test_wait (TdAppTestDone done, gpointer fixture, gconstpointer data, guint seconds);
/* What every GUI test's tear-down does: closes the windows and the
 * session, frees the app, stops tierdeskd (if any) and the private bus. */
void td_app_test_close (TdApplication **app, TdTestServer **server, GSubprocess **bus);
/* Lets pending idle work (search debounce, redraws) run for @ms. */
void td_app_test_spin (guint ms);
/* Every visible label and inscription under @widget, one per line: what a
 * person reads there. */
char *td_app_test_widget_text (GtkWidget *widget);
/* With TD_SCREENSHOTS=DIR, saves what @window shows as DIR/NAME.png
 * (NAME-dark.png in dark mode), for a person to look at. */
void td_app_test_screenshot (GtkWidget *window, const char *name);
/* A home and a session bus of the test's own, before GTK connects to any
 * bus: the app's keyring, its GApplication name and its caches all stay in
 * there, whatever desktop runs the tests. Returns the home; *@bus is the
 * bus daemon, to stop at the end. */
char *td_app_test_isolate (GSubprocess **bus);
/* The app, registered and activated; never handing over to a real
 * Tierdesk that may run beside the tests. */
TdApplication *td_app_test_start_app (void);
/* For g_test_log_set_fatal_handler (): a private bus has no notification
 * server, and GIO warns that it could not show one. That warning, and only
 * that one, does not fail a test. */
gboolean td_app_test_tolerate_notifications (const char    *domain,
                                             GLogLevelFlags level,
                                             const char    *message,
                                             gpointer       user_data);

/* Print settings for GTK's "Print to File" printer (the file print
 * backend, which this makes the only one of the process), writing a PDF
 * at @path. Preset on a print operation, its print dialog opens with that
 * printer selected; accepting the dialog prints for real into the file.
 * (Printing without the dialog cannot reach that printer: GTK 4's printer
 * lookup for GTK_PRINT_OPERATION_ACTION_PRINT skips virtual printers, and
 * "Print to File" is one.) */
GtkPrintSettings *td_app_test_print_to_file (const char *path);
/* The open print dialog (GtkPrintUnixDialog), or NULL. */
GtkWidget *td_app_test_find_print_dialog (void);
/* Whether @dialog (nullable) has "Print to File" selected, so that OK prints. */
gboolean td_app_test_print_dialog_chose_file (GtkWidget *dialog);
/* The text of the PDF at @path (pdftotext), or NULL while it is missing or
 * not yet a whole PDF. */
char *td_app_test_pdf_text (const char *path);
/* @text with every run of white space as one space: a PDF wraps lines
 * where the screen does not. */
char *td_app_test_squeeze (const char *text);

/* The first widget named @name (gtk_widget_set_name) under @root, or NULL. */
GtkWidget *td_app_test_find_named (GtkWidget *root, const char *name);
/* A visible toplevel of @type (and @title, if not NULL), or NULL. */
GtkWidget *td_app_test_find_toplevel (GType type, const char *title);
/* Chooses @text among what the AdwComboRow or GtkDropDown @widget offers,
 * as a person picking it would; fails the test, listing what is offered,
 * if it is not there. */
void td_app_test_select (GtkWidget *widget, const char *text);
/* The first AdwPreferencesRow under @root titled @title, or NULL. */
GtkWidget *td_app_test_find_row (GtkWidget *root, const char *title);

G_END_DECLS
