/* td-auth.h — password hashes and session tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Seconds a login token lives: a working week, so a desktop left logged in
 * over a weekend asks again on Monday rather than mid-incident on Friday. */
#define TD_AUTH_TOKEN_LIFETIME (7 * 24 * 3600)
#define TD_AUTH_MIN_PASSWORD   8

gboolean td_auth_init (GError **error);
/* argon2id, with libsodium's interactive limits. */
char    *td_auth_hash_password (const char *password, GError **error);
gboolean td_auth_verify_password (const char *hash, const char *password);
/* 256 random bits as 64 hex digits. */
char *td_auth_new_token (void);
/* What the store keeps instead of the token: its SHA-256. */
char *td_auth_hash_token (const char *token);
/* Reads a password from a file (first line), or from stdin when @path is NULL. */
char *td_auth_read_password (const char *path, GError **error);

G_END_DECLS
