/* test-credentials.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Tokens in a real gnome-keyring on a private D-Bus session
 * (keyring-session.sh), and failing closed where no keyring answers
 * (keyring-session.sh --no-keyring, ROTA_TEST_KEYRING=none).
 */

#include "config.h"

#include <string.h>

#include "rota-credentials.h"

#define SERVER "https://rota.example.org/"

static gboolean
keyring_expected (void)
{
  return g_strcmp0 (g_getenv ("ROTA_TEST_KEYRING"), "none") != 0;
}

static void
assert_not_found (const char *server,
                  const char *tenant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaCredentialsToken) token = rota_credentials_lookup (server, tenant, NULL, &error);

  g_assert_error (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_NOT_FOUND);
  g_assert_null (token);
  g_assert_nonnull (strstr (error->message, tenant));
}

static void
assert_token (const char *server,
              const char *tenant,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaCredentialsToken) token = rota_credentials_lookup (server, tenant, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, expected);
}

static void
test_credentials_round_trip (void)
{
  g_autoptr(GError) error = NULL;

  assert_not_found (SERVER, "alpha");

  g_assert_true (rota_credentials_store (SERVER, "alpha", "rota_alpha-secret-1", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rota_credentials_store (SERVER, "beta", "rota_beta-secret", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rota_credentials_store ("https://other.example.org/", "alpha", "rota_other", NULL, &error));
  g_assert_no_error (error);

  /* Each account its own token; storing again replaces. */
  assert_token (SERVER, "alpha", "rota_alpha-secret-1");
  assert_token (SERVER, "beta", "rota_beta-secret");
  assert_token ("https://other.example.org/", "alpha", "rota_other");
  g_assert_true (rota_credentials_store (SERVER, "alpha", "rota_alpha-secret-2", NULL, &error));
  g_assert_no_error (error);
  assert_token (SERVER, "alpha", "rota_alpha-secret-2");

  /* Clearing one leaves the others; clearing twice is fine. */
  g_assert_true (rota_credentials_clear (SERVER, "alpha", NULL, &error));
  g_assert_no_error (error);
  assert_not_found (SERVER, "alpha");
  assert_token (SERVER, "beta", "rota_beta-secret");
  assert_token ("https://other.example.org/", "alpha", "rota_other");
  g_assert_true (rota_credentials_clear (SERVER, "alpha", NULL, &error));
  g_assert_no_error (error);
}

/* A locked keyring that cannot prompt: lookups and stores fail closed,
 * saying it is locked rather than that the token is missing. */
static void
test_credentials_locked (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(RotaCredentialsToken) token = NULL;
  g_autolist(GDBusProxy) objects = NULL;

  g_assert_true (rota_credentials_store (SERVER, "locked", "rota_locked-secret", NULL, &error));
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                                 NULL, &error);
  g_assert_no_error (error);
  objects = g_list_append (NULL, g_object_ref (collection));
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);

  token = rota_credentials_lookup (SERVER, "locked", NULL, &error);
  g_assert_null (token);
  g_assert_error (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_LOCKED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (rota_credentials_store (SERVER, "other", "rota_other", NULL, &error));
  g_assert_error (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_LOCKED);
  g_assert_null (strstr (error->message, "rota_other"));
}

static void
test_credentials_invalid (void)
{
  static const struct {
    const char *server;
    const char *tenant;
    const char *token;
  } cases[] = {
    { "", "gamma", "rota_x" },
    { NULL, "gamma", "rota_x" },
    { SERVER, "", "rota_x" },
    { SERVER, NULL, "rota_x" },
    { SERVER, "gamma", "" },
    { SERVER, "gamma", NULL },
    { SERVER, "gamma", "rota_x\n" },
    { SERVER, "gamma", "rota x" },
    { SERVER, "gamma", "rota_\xff" },
    { "https://\xc3(/", "gamma", "rota_x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      g_assert_false (rota_credentials_store (cases[i].server, cases[i].tenant, cases[i].token, NULL, &error));
      g_assert_error (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_INVALID);
    }

  /* Nothing of it reached the keyring. */
  if (keyring_expected ())
    assert_not_found (SERVER, "gamma");
}

/* No keyring: every call fails closed and says what to do. */
static void
test_credentials_no_keyring (void)
{
  g_autoptr(GError) store_error = NULL;
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(GError) clear_error = NULL;
  g_autoptr(RotaCredentialsToken) token = NULL;

  g_assert_false (rota_credentials_store (SERVER, "alpha", "rota_canary", NULL, &store_error));
  g_assert_error (store_error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_UNAVAILABLE);
  g_test_message ("%s", store_error->message);
  g_assert_nonnull (strstr (store_error->message, "keyring"));
  g_assert_null (strstr (store_error->message, "rota_canary"));

  token = rota_credentials_lookup (SERVER, "alpha", NULL, &lookup_error);
  g_assert_null (token);
  g_assert_error (lookup_error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_UNAVAILABLE);

  g_assert_false (rota_credentials_clear (SERVER, "alpha", NULL, &clear_error));
  g_assert_error (clear_error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_UNAVAILABLE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* meson runs this three times: with a keyring, with a keyring that
   * gets locked, and without any (see meson.build). */
  if (g_strcmp0 (g_getenv ("ROTA_TEST_KEYRING"), "locked") == 0)
    g_test_add_func ("/sync/credentials/locked", test_credentials_locked);
  else if (keyring_expected ())
    {
      g_test_add_func ("/sync/credentials/round-trip", test_credentials_round_trip);
      g_test_add_func ("/sync/credentials/invalid", test_credentials_invalid);
    }
  else
    {
      g_test_add_func ("/sync/credentials/no-keyring", test_credentials_no_keyring);
      g_test_add_func ("/sync/credentials/invalid", test_credentials_invalid);
    }

  return g_test_run ();
}
