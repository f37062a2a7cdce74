/* td-auth.c — password hashes and session tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "td-auth.h"

gboolean
td_auth_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium failed to start");
      return FALSE;
    }
  return TRUE;
}

char *
td_auth_hash_password (const char *password, GError **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (strlen (password) < TD_AUTH_MIN_PASSWORD)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "a password needs at least %d characters", TD_AUTH_MIN_PASSWORD);
      return NULL;
    }

  /* crypto_pwhash_str_alg pins argon2id even if libsodium's default moves. */
  if (crypto_pwhash_str_alg (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13)
      != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           "not enough memory to hash the password");
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
td_auth_verify_password (const char *hash, const char *password)
{
  if (hash == NULL || password == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

char *
td_auth_new_token (void)
{
  unsigned char bytes[32];
  char          hex[sizeof bytes * 2 + 1];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (hex);
}

char *
td_auth_hash_token (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

char *
td_auth_read_password (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  char            *newline;

  if (path != NULL)
    {
      if (!g_file_get_contents (path, &contents, NULL, error))
        return NULL;
    }
  else
    {
      char line[1024];

      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "no password on standard input");
          return NULL;
        }
      contents = g_strdup (line);
      sodium_memzero (line, sizeof line);
    }

  newline = strpbrk (contents, "\r\n");
  if (newline != NULL)
    *newline = '\0';
  return g_steal_pointer (&contents);
}
