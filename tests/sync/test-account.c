/* test-account.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * `rotactl account` against the real rota-server over loopback TLS, with
 * a real gnome-keyring on a private D-Bus session (keyring-session.sh),
 * and without any keyring (ROTA_TEST_KEYRING=none): the token comes from
 * standard input, is checked, lives in the keyring only, and an account
 * with unsynced edits is not removed by accident.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rota-account.h"
#include "rota-credentials.h"
#include "rota-model-private.h"
#include "rota-store.h"
#include "server-harness.h"

typedef HarnessServer Fixture;

/* Runs rotactl with @input on standard input; returns its exit status. */
static int
rotactl (const char  *input,
         char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("ROTACTL"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  /* Every debug message on, so that a token in one would show. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, out, err, &error));
  g_assert_no_error (error);
  g_test_message ("rotactl %s %s → %d: %s%s", first, (char *) g_ptr_array_index (args, 2),
                  g_subprocess_get_exit_status (process), *out, *err);

  return g_subprocess_get_exit_status (process);
}

/* No file under @dir holds @secret. */
static void
assert_nowhere (const char *dir,
                const char *secret)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        assert_nowhere (child, secret);
      else if (g_file_get_contents (child, &contents, &length, NULL))
        g_assert_null (g_strstr_len (contents, (gssize) length, secret));
    }
}

static char *
rota_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "rota", NULL);
}

static void
test_account_keyring (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *token = g_hash_table_lookup (fixture->tokens, "hours:write");
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaAccount) account = NULL;
  g_autoptr(RotaCredentialsToken) stored = NULL;
  g_autoptr(RotaCredentialsToken) gone = NULL;
  g_autofree char *input = g_strconcat (token, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *dir = rota_dir ();
  struct stat st;

  /* A wrong token: refused by the server, nothing written. */
  g_assert_cmpint (rotactl ("rota_wrong\n", &out, &err, "account", "add", fixture->base, "alpha",
                            "--ca-file", fixture->ca, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "401"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *registry = g_build_filename (dir, "accounts.ini", NULL);

    g_assert_false (g_file_test (registry, G_FILE_TEST_EXISTS));
  }

  /* No token at all. */
  g_assert_cmpint (rotactl ("", &out, &err, "account", "add", fixture->base, "alpha",
                            "--ca-file", fixture->ca, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "standard input"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The real one, from standard input, with the CA file named relative
   * to the working folder. */
  {
    g_autofree char *cwd = g_get_current_dir ();

    g_assert_cmpint (g_chdir (fixture->dir), ==, 0);
    g_assert_cmpint (rotactl (input, &out, &err, "account", "add", fixture->base, "alpha",
                              "--ca-file", "ca.pem", NULL), ==, 0);
    g_assert_cmpint (g_chdir (cwd), ==, 0);
    /* Nothing it printed, debug messages included, has the token. */
    g_assert_true (strstr (out, "DEBUG") != NULL || strstr (err, "DEBUG") != NULL);
    g_assert_null (strstr (out, token));
    g_assert_null (strstr (err, token));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (rotactl (NULL, &out, &err, "account", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, fixture->base));
  g_assert_nonnull (strstr (out, "\talpha\t"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Twice is refused. */
  g_assert_cmpint (rotactl (input, &out, &err, "account", "add", fixture->base, "alpha",
                            "--ca-file", fixture->ca, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "exists"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The token is in the keyring and in no file of Rota's. */
  account = rota_account_find (fixture->base, "alpha", &error);
  g_assert_no_error (error);
  stored = rota_credentials_lookup (account->server, "alpha", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, token);
  g_assert_cmpint (g_stat (account->cache, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  assert_nowhere (dir, token);
  assert_nowhere (g_get_user_config_dir (), token);

  /* An edit not synced: remove is refused, then forced. */
  {
    g_autoptr(RotaStore) store = rota_store_open (account->cache, ROTA_STORE_OPEN_DEFAULT, &error);
    g_autoptr(RotaPunch) punch = rota_punch_new ();
    g_autoptr(RotaEmployee) employee = rota_employee_new ();
    g_autoptr(RotaOutboxItem) item = NULL;

    g_assert_no_error (error);
    employee->id = g_strdup ("emp-1");
    employee->first_name = g_strdup ("Sanne");
    employee->last_name = g_strdup ("Dijk");
    g_assert_true (rota_store_put_entity (store, ROTA_ENTITY (employee), &error));
    g_assert_no_error (error);
    punch->id = g_strdup ("p-unsynced");
    punch->employee_id = g_strdup ("emp-1");
    punch->kind = ROTA_PUNCH_KIND_IN;
    punch->at = 1795000000;
    punch->source = g_strdup ("kiosk:test");
    punch->device_seq = 1;
    item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch), "hr", NULL, &error);
    g_assert_no_error (error);
  }

  g_assert_cmpint (rotactl (NULL, &out, &err, "account", "remove", fixture->base, "alpha", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "1 edit"));
  g_assert_true (g_file_test (account->cache, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (rotactl (NULL, &out, &err, "account", "remove", fixture->base, "alpha",
                            "--discard-unsynced", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_false (g_file_test (account->cache, G_FILE_TEST_EXISTS));
  gone = rota_credentials_lookup (account->server, "alpha", NULL, &error);
  g_assert_null (gone);
  g_assert_error (error, ROTA_CREDENTIALS_ERROR, ROTA_CREDENTIALS_ERROR_NOT_FOUND);

  g_assert_cmpint (rotactl (NULL, &out, &err, "account", "list", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
}

/* No keyring: add fails with the advice and writes nothing. */
static void
test_account_no_keyring (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *token = g_hash_table_lookup (fixture->tokens, "hours:write");
  g_autofree char *input = g_strconcat (token, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *dir = rota_dir ();
  g_autofree char *registry = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(GDir) handle = NULL;

  g_assert_cmpint (rotactl (input, &out, &err, "account", "add", fixture->base, "alpha",
                            "--ca-file", fixture->ca, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "No keyring is running"));
  g_assert_false (g_file_test (registry, G_FILE_TEST_EXISTS));

  handle = g_dir_open (dir, 0, NULL);
  if (handle != NULL)
    g_assert_null (g_dir_read_name (handle));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* meson runs this twice, with a keyring and without (see meson.build). */
  if (g_strcmp0 (g_getenv ("ROTA_TEST_KEYRING"), "none") != 0)
    g_test_add ("/sync/account/keyring", Fixture, NULL, harness_server_set_up, test_account_keyring,
                harness_server_tear_down);
  else
    g_test_add ("/sync/account/no-keyring", Fixture, NULL, harness_server_set_up, test_account_no_keyring,
                harness_server_tear_down);

  return g_test_run ();
}
