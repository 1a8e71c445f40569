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
 * with unsynced edits is not removed by accident. Also `rotactl
 * kiosk-credentials` and `rotactl pin-hash`, which need no keyring.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rota-account.h"
#include "rota-credentials.h"
#include "rota-model-private.h"
#include "rota-pbkdf2.h"
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

/* Each account keeps the scopes whoami gave its token, in accounts.ini,
 * and reads them back; a write scope allows reading, nothing else is
 * implied. Tokens of one scope, of two, and a kiosk's. */
static void
test_account_scopes (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct {
    const char *note;
    const char *scopes;             /* as given to `token add` */
    const char *expected;           /* as `account list` prints them */
    const char *allowed[5];
    const char *refused[5];
  } cases[] = {
    { "planning", "planning:write", "planning:write",
      { "planning:write", "planning:read", NULL }, { "hours:read", "hours:write", "clock", "admin", NULL } },
    { "hr", "hours:read planning:read", "planning:read hours:read",
      { "hours:read", "planning:read", NULL }, { "hours:write", "planning:write", "clock", NULL } },
    { "kiosk", "clock", "clock",
      { "clock", NULL }, { "planning:read", "hours:read", "hours:write", "planning:write", NULL } },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *dir = rota_dir ();
  g_autofree char *registry_path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(GKeyFile) registry = g_key_file_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("scopes %s", cases[i].note);
      g_autofree char *secret = harness_run (0, NULL, harness_server_binary (), "--data-dir", fixture->data_dir,
                                             "token", "add", "alpha", name, "--scopes", cases[i].scopes, NULL);
      g_autoptr(RotaAccount) added = NULL;
      g_autoptr(RotaAccount) found = NULL;
      g_autofree char *joined = NULL;

      g_strstrip (secret);

      added = rota_account_add (fixture->base, "alpha", secret, fixture->ca, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (added);
      g_assert_nonnull (added->scopes);
      joined = g_strjoinv (" ", added->scopes);
      g_assert_cmpstr (joined, ==, cases[i].expected);
      g_assert_cmpstr (added->token_name, ==, name);

      /* Read back from the file, by find and by list. */
      found = rota_account_find (fixture->base, "alpha", &error);
      g_assert_no_error (error);
      g_assert_nonnull (found->scopes);
      g_assert_cmpstrv (found->scopes, added->scopes);
      for (guint j = 0; cases[i].allowed[j] != NULL; j++)
        g_assert_true (rota_account_allows (found, cases[i].allowed[j]));
      for (guint j = 0; cases[i].refused[j] != NULL; j++)
        g_assert_false (rota_account_allows (found, cases[i].refused[j]));

      accounts = rota_account_list (&error);
      g_assert_no_error (error);
      g_assert_cmpuint (accounts->len, ==, 1);
      g_assert_cmpstrv (((RotaAccount *) g_ptr_array_index (accounts, 0))->scopes, added->scopes);
      g_clear_pointer (&accounts, g_ptr_array_unref);

      /* In accounts.ini as a list of its own, next to the token's name. */
      g_assert_true (g_key_file_load_from_file (registry, registry_path, G_KEY_FILE_NONE, &error));
      g_assert_no_error (error);
      {
        g_auto(GStrv) groups = g_key_file_get_groups (registry, NULL);
        g_auto(GStrv) stored = NULL;

        g_assert_cmpuint (g_strv_length (groups), ==, 1);
        stored = g_key_file_get_string_list (registry, groups[0], "scopes", NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpstrv (stored, added->scopes);
      }

      /* rotactl prints them as the fourth column. */
      g_assert_cmpint (rotactl (NULL, &out, &err, "account", "list", NULL), ==, 0);
      lines = g_strsplit (out, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 2);
      {
        g_auto(GStrv) columns = g_strsplit (lines[0], "\t", -1);

        g_assert_cmpuint (g_strv_length (columns), ==, 4);
        g_assert_cmpstr (columns[0], ==, added->server);
        g_assert_cmpstr (columns[1], ==, "alpha");
        g_assert_cmpstr (columns[2], ==, name);
        g_assert_cmpstr (columns[3], ==, cases[i].expected);
      }
      g_clear_pointer (&lines, g_strfreev);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);

      g_assert_true (rota_account_remove (fixture->base, "alpha", FALSE, NULL, &error));
      g_assert_no_error (error);
    }

  /* An entry without scopes (an older Rota's) reads back as not known,
   * and allows nothing. */
  {
    g_autoptr(RotaAccount) added = rota_account_add (fixture->base, "alpha",
                                                     g_hash_table_lookup (fixture->tokens, "planning:read"),
                                                     fixture->ca, NULL, &error);
    g_autoptr(RotaAccount) found = NULL;
    g_auto(GStrv) groups = NULL;
    g_autofree char *contents = NULL;

    g_assert_no_error (error);
    g_assert_true (g_key_file_load_from_file (registry, registry_path, G_KEY_FILE_NONE, &error));
    groups = g_key_file_get_groups (registry, NULL);
    g_assert_true (g_key_file_remove_key (registry, groups[0], "scopes", &error));
    g_assert_no_error (error);
    contents = g_key_file_to_data (registry, NULL, NULL);
    g_assert_true (g_file_set_contents_full (registry_path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error));

    found = rota_account_find (fixture->base, "alpha", &error);
    g_assert_no_error (error);
    g_assert_null (found->scopes);
    g_assert_false (rota_account_allows (found, "planning:read"));

    g_assert_cmpint (rotactl (NULL, &out, &err, "account", "list", NULL), ==, 0);
    g_assert_true (g_str_has_suffix (out, "\tdemo planning:read\t\n"));

    g_assert_true (rota_account_remove (fixture->base, "alpha", FALSE, NULL, &error));
    g_assert_no_error (error);
  }
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

/* rotactl kiosk-credentials: a clock-only token makes a 0600 credential
 * file with the keys of rota-kiosk.h and a PBKDF2 hash of the manager's
 * PIN; a broader token and a malformed PIN are refused and write
 * nothing. No keyring is needed: a kiosk PC's keyring is locked. */
static void
test_account_kiosk_credentials (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *clock = g_hash_table_lookup (fixture->tokens, "clock");
  const char *hours = g_hash_table_lookup (fixture->tokens, "hours:write");
  g_autofree char *path = g_build_filename (fixture->dir, "kiosk.ini", NULL);
  g_autofree char *other = g_build_filename (fixture->dir, "kiosk-broad.ini", NULL);
  g_autofree char *input = g_strconcat (clock, "\n4711\n", NULL);
  g_autofree char *broad_input = g_strconcat (hours, "\n4711\n", NULL);
  g_autofree char *bad_pin_input = g_strconcat (clock, "\n47a1\n", NULL);
  g_autofree char *short_pin_input = g_strconcat (clock, "\n471\n", NULL);
  g_autofree char *first = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keys = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *manager_pin = NULL;
  g_autofree char *expected_ca = g_canonicalize_filename (fixture->ca, NULL);
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *hash = NULL;
  guint8 derived[ROTA_PBKDF2_HASH_LENGTH];
  gsize salt_len = 0;
  gsize hash_len = 0;
  struct stat st;

  g_assert_nonnull (clock);
  g_assert_nonnull (hours);

  g_assert_cmpint (rotactl (input, &out, &err, "kiosk-credentials", "--server", fixture->base, "--tenant", "alpha",
                            "--device", "front-desk", "--output", path, "--ca", fixture->ca, NULL), ==, 0);
  g_assert_null (strstr (out, clock));
  g_assert_null (strstr (err, clock));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpint (st.st_uid, ==, getuid ());

  g_assert_true (g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  keys = g_key_file_get_keys (keyfile, "kiosk", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (keys), ==, 6);
  {
    g_autofree char *server = g_key_file_get_string (keyfile, "kiosk", "server", NULL);
    g_autofree char *tenant = g_key_file_get_string (keyfile, "kiosk", "tenant", NULL);
    g_autofree char *token = g_key_file_get_string (keyfile, "kiosk", "token", NULL);
    g_autofree char *device = g_key_file_get_string (keyfile, "kiosk", "device", NULL);

    g_assert_cmpstr (server, ==, fixture->base);
    g_assert_cmpstr (tenant, ==, "alpha");
    g_assert_cmpstr (token, ==, clock);
    g_assert_cmpstr (device, ==, "front-desk");
  }
  ca = g_key_file_get_string (keyfile, "kiosk", "ca", NULL);
  g_assert_cmpstr (ca, ==, expected_ca);

  /* pbkdf2-sha256$ITERATIONS$SALT$HASH, and it is the hash of 4711. */
  manager_pin = g_key_file_get_string (keyfile, "kiosk", "manager-pin", NULL);
  g_assert_nonnull (manager_pin);
  g_assert_null (strstr (manager_pin, "4711"));
  parts = g_strsplit (manager_pin, "$", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  g_assert_cmpstr (parts[0], ==, "pbkdf2-sha256");
  g_assert_cmpuint (g_ascii_strtoull (parts[1], NULL, 10), ==, ROTA_PBKDF2_PIN_ITERATIONS);
  g_assert_cmpuint (ROTA_PBKDF2_PIN_ITERATIONS, >=, 210000);
  salt = g_base64_decode (parts[2], &salt_len);
  hash = g_base64_decode (parts[3], &hash_len);
  g_assert_cmpuint (salt_len, ==, ROTA_PBKDF2_SALT_LENGTH);
  g_assert_cmpuint (hash_len, ==, ROTA_PBKDF2_HASH_LENGTH);
  rota_pbkdf2_sha256 ((const guint8 *) "4711", 4, salt, salt_len, ROTA_PBKDF2_PIN_ITERATIONS, derived, sizeof derived);
  g_assert_cmpmem (derived, sizeof derived, hash, hash_len);

  g_assert_true (g_file_get_contents (path, &first, NULL, NULL));

  /* A broader token: refused with the command that makes a right one;
   * no new file, and the one there stays as it was. */
  g_assert_cmpint (rotactl (broad_input, &out, &err, "kiosk-credentials", "--server", fixture->base,
                            "--tenant", "alpha", "--device", "front-desk", "--output", other,
                            "--ca", fixture->ca, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "rota-server token add alpha NAME --scopes clock"));
  g_assert_null (strstr (err, hours));
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (rotactl (broad_input, &out, &err, "kiosk-credentials", "--server", fixture->base,
                            "--tenant", "alpha", "--device", "front-desk", "--output", path,
                            "--ca", fixture->ca, NULL), ==, 1);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, first);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Malformed PINs and a missing one: refused before the server is asked. */
  g_assert_cmpint (rotactl (bad_pin_input, &out, &err, "kiosk-credentials", "--server", fixture->base,
                            "--tenant", "alpha", "--device", "front-desk", "--output", other,
                            "--ca", fixture->ca, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "4 to 8 digits"));
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (rotactl (short_pin_input, &out, &err, "kiosk-credentials", "--server", fixture->base,
                            "--tenant", "alpha", "--device", "front-desk", "--output", other,
                            "--ca", fixture->ca, NULL), ==, 1);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *token_only = g_strconcat (clock, "\n", NULL);

    g_assert_cmpint (rotactl (token_only, &out, &err, "kiosk-credentials", "--server", fixture->base,
                              "--tenant", "alpha", "--device", "front-desk", "--output", other,
                              "--ca", fixture->ca, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "No PIN"));
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* pin-hash: the same form, from standard input. */
  g_assert_cmpint (rotactl ("123456\n", &out, &err, "pin-hash", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "pbkdf2-sha256$"));
  g_assert_null (strstr (out, "123456"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (rotactl ("123456789\n", &out, &err, "pin-hash", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* meson runs this twice, with a keyring and without (see meson.build). */
  if (g_strcmp0 (g_getenv ("ROTA_TEST_KEYRING"), "none") != 0)
    {
      g_test_add ("/sync/account/keyring", Fixture, NULL, harness_server_set_up, test_account_keyring,
                  harness_server_tear_down);
      g_test_add ("/sync/account/scopes", Fixture, NULL, harness_server_set_up, test_account_scopes,
                  harness_server_tear_down);
    }
  else
    {
      g_test_add ("/sync/account/no-keyring", Fixture, NULL, harness_server_set_up, test_account_no_keyring,
                  harness_server_tear_down);
      g_test_add ("/sync/account/kiosk-credentials", Fixture, NULL, harness_server_set_up,
                  test_account_kiosk_credentials, harness_server_tear_down);
    }

  return g_test_run ();
}
