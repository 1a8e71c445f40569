/* rota-pbkdf2.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-pbkdf2"

#include "config.h"

#include <string.h>

#include "rota-pbkdf2.h"

#define SHA256_LENGTH 32

/**
 * rota_pbkdf2_sha256:
 * @password: (array length=password_len): the password
 * @password_len: its length in bytes
 * @salt: (array length=salt_len): the salt
 * @salt_len: its length in bytes
 * @iterations: the iteration count, at least 1
 * @out: (out caller-allocates) (array length=out_len): where the derived key goes
 * @out_len: how many bytes to derive
 *
 * PBKDF2 with HMAC-SHA256 as the pseudo-random function (RFC 8018 §5.2;
 * test vectors in RFC 7914 §11).
 */
void
rota_pbkdf2_sha256 (const guint8 *password,
                    gsize         password_len,
                    const guint8 *salt,
                    gsize         salt_len,
                    guint         iterations,
                    guint8       *out,
                    gsize         out_len)
{
  g_autoptr(GHmac) keyed = NULL;
  guint32 block = 0;

  g_return_if_fail (password != NULL || password_len == 0);
  g_return_if_fail (salt != NULL || salt_len == 0);
  g_return_if_fail (iterations >= 1);
  g_return_if_fail (out != NULL || out_len == 0);

  /* The key is hashed into the HMAC's inner and outer state once; each
   * round copies that state rather than keying a new HMAC. */
  keyed = g_hmac_new (G_CHECKSUM_SHA256, password_len > 0 ? password : (const guint8 *) "", password_len);

  while (out_len > 0)
    {
      guint8 u[SHA256_LENGTH];
      guint8 t[SHA256_LENGTH];
      guint8 index[4];
      gsize digest_len = SHA256_LENGTH;
      gsize n = MIN (out_len, (gsize) SHA256_LENGTH);
      GHmac *hmac;

      block++;
      index[0] = (guint8) (block >> 24);
      index[1] = (guint8) (block >> 16);
      index[2] = (guint8) (block >> 8);
      index[3] = (guint8) block;

      /* U1 = PRF (P, S || INT (i)) */
      hmac = g_hmac_copy (keyed);
      if (salt_len > 0)
        g_hmac_update (hmac, salt, salt_len);
      g_hmac_update (hmac, index, sizeof index);
      g_hmac_get_digest (hmac, u, &digest_len);
      g_hmac_unref (hmac);
      memcpy (t, u, SHA256_LENGTH);

      /* Uj = PRF (P, Uj-1); T = U1 ^ U2 ^ ... ^ Uc */
      for (guint j = 1; j < iterations; j++)
        {
          hmac = g_hmac_copy (keyed);
          g_hmac_update (hmac, u, SHA256_LENGTH);
          digest_len = SHA256_LENGTH;
          g_hmac_get_digest (hmac, u, &digest_len);
          g_hmac_unref (hmac);
          for (guint k = 0; k < SHA256_LENGTH; k++)
            t[k] ^= u[k];
        }

      memcpy (out, t, n);
      out += n;
      out_len -= n;
    }
}

/**
 * rota_pbkdf2_format_pin_hash:
 * @pin: the PIN, 4 to 8 ASCII digits
 * @iterations: the iteration count, 1 to %ROTA_PBKDF2_MAX_ITERATIONS
 * @salt16: (array fixed-size=16): %ROTA_PBKDF2_SALT_LENGTH bytes of salt
 *
 * Hashes a kiosk PIN into the form rota-kiosk.h describes:
 * "pbkdf2-sha256$ITERATIONS$SALT$HASH", salt and hash in standard base64
 * (with padding), the hash %ROTA_PBKDF2_HASH_LENGTH bytes long. The salt
 * is the caller's so that the demo data stays the same for the same seed;
 * anywhere else it must come from a cryptographic random source.
 *
 * Returns: (transfer full): the hash string
 */
char *
rota_pbkdf2_format_pin_hash (const char   *pin,
                             guint         iterations,
                             const guint8 *salt16)
{
  guint8 hash[ROTA_PBKDF2_HASH_LENGTH];
  g_autofree char *salt_text = NULL;
  g_autofree char *hash_text = NULL;
  char *result;

  g_return_val_if_fail (pin != NULL, NULL);
  g_return_val_if_fail (iterations >= 1 && iterations <= ROTA_PBKDF2_MAX_ITERATIONS, NULL);
  g_return_val_if_fail (salt16 != NULL, NULL);

  rota_pbkdf2_sha256 ((const guint8 *) pin, strlen (pin), salt16, ROTA_PBKDF2_SALT_LENGTH, iterations,
                      hash, sizeof hash);
  salt_text = g_base64_encode (salt16, ROTA_PBKDF2_SALT_LENGTH);
  hash_text = g_base64_encode (hash, sizeof hash);
  result = g_strdup_printf ("pbkdf2-sha256$%u$%s$%s", iterations, salt_text, hash_text);
  explicit_bzero (hash, sizeof hash);

  return result;
}
