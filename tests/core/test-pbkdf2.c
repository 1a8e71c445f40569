/* test-pbkdf2.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rota-pbkdf2.h"

/* PBKDF2-HMAC-SHA256 against published vectors: RFC 7914 §11 (the first
 * two) and the widely used set from the RFC 6070 inputs run with SHA-256
 * (also in Python's and OpenSSL's tests). */
typedef struct
{
  const char *password;
  gsize       password_len;
  const char *salt;
  gsize       salt_len;
  guint       iterations;
  const char *hex;
} Vector;

static const Vector vectors[] = {
  { "passwd", 6, "salt", 4, 1,
    "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
    "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783" },
  { "Password", 8, "NaCl", 4, 80000,
    "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
    "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d" },
  { "password", 8, "salt", 4, 1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
  { "password", 8, "salt", 4, 2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43" },
  { "password", 8, "salt", 4, 4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
  { "passwordPASSWORDpassword", 24, "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36, 4096,
    "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9" },
  { "pass\0word", 9, "sa\0lt", 5, 4096, "89b69d0516f829893c696226650a8687" },
};

static void
test_vectors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      const Vector *v = &vectors[i];
      gsize len = strlen (v->hex) / 2;
      g_autofree guint8 *out = g_malloc (len);
      g_autoptr(GString) hex = g_string_new (NULL);

      rota_pbkdf2_sha256 ((const guint8 *) v->password, v->password_len,
                          (const guint8 *) v->salt, v->salt_len, v->iterations, out, len);
      for (gsize k = 0; k < len; k++)
        g_string_append_printf (hex, "%02x", out[k]);
      g_test_message ("vector %u: %u iterations, %" G_GSIZE_FORMAT " bytes", i, v->iterations, len);
      g_assert_cmpstr (hex->str, ==, v->hex);
    }
}

/* A key shorter than one block is a prefix of the longer one. */
static void
test_prefix (void)
{
  guint8 long_key[64];
  guint8 short_key[20];

  rota_pbkdf2_sha256 ((const guint8 *) "1234", 4, (const guint8 *) "salt", 4, 10, long_key, sizeof long_key);
  rota_pbkdf2_sha256 ((const guint8 *) "1234", 4, (const guint8 *) "salt", 4, 10, short_key, sizeof short_key);
  g_assert_cmpmem (long_key, sizeof short_key, short_key, sizeof short_key);
}

static void
test_format (void)
{
  guint8 salt[ROTA_PBKDF2_SALT_LENGTH];
  g_autofree char *hash = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *decoded_salt = NULL;
  g_autofree guint8 *decoded_hash = NULL;
  gsize len = 0;

  for (guint i = 0; i < sizeof salt; i++)
    salt[i] = (guint8) i;

  /* Checked with Python: hashlib.pbkdf2_hmac ("sha256", b"1234", bytes (range (16)), 1000, 32). */
  hash = rota_pbkdf2_format_pin_hash ("1234", 1000, salt);
  g_assert_cmpstr (hash, ==, "pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw==$IkDqKiJ1SjxGEDVu+OTXrPJa8qw9LRGGbel6i3gSxSw=");

  parts = g_strsplit (hash, "$", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  decoded_salt = g_base64_decode (parts[2], &len);
  g_assert_cmpmem (decoded_salt, len, salt, sizeof salt);
  decoded_hash = g_base64_decode (parts[3], &len);
  g_assert_cmpuint (len, ==, ROTA_PBKDF2_HASH_LENGTH);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/pbkdf2/vectors", test_vectors);
  g_test_add_func ("/core/pbkdf2/prefix", test_prefix);
  g_test_add_func ("/core/pbkdf2/format", test_format);

  return g_test_run ();
}
