/* td-token-store.h — where the login token is kept between runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TD_TYPE_TOKEN_STORE (td_token_store_get_type ())
G_DECLARE_FINAL_TYPE (TdTokenStore, td_token_store, TD, TOKEN_STORE, GObject)

/* Tokens go to the Secret Service (GNOME Keyring, KWallet…) through
 * libsecret where one runs; otherwise they are kept in memory only, and the
 * user logs in again next time. Never in a plain file. */
TdTokenStore *td_token_store_new (void);
/* Returns TRUE when the token was saved in the Secret Service, FALSE when it
 * is only in memory (@error then says why, for the log). */
gboolean td_token_store_save (TdTokenStore *self,
                              const char   *server,
                              const char   *user,
                              const char   *token,
                              GError      **error);
/* The token saved for @server and @user, or NULL. */
char *td_token_store_lookup (TdTokenStore *self, const char *server, const char *user);
/* The same without waiting: the keyring may prompt to be unlocked, and the
 * UI must not freeze meanwhile. The token is in memory at once. */
void td_token_store_save_in_background (TdTokenStore *self,
                                        const char   *server,
                                        const char   *user,
                                        const char   *token);
void td_token_store_lookup_async (TdTokenStore       *self,
                                  const char         *server,
                                  const char         *user,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data);
/* The token, or NULL (without @error) when none is kept. */
char *td_token_store_lookup_finish (TdTokenStore *self, GAsyncResult *result, GError **error);
/* Forgets the token (on log out, or when the server refuses it). */
void td_token_store_forget (TdTokenStore *self, const char *server, const char *user);

G_END_DECLS
