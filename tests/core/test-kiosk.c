/* test-kiosk.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * The kiosk's logic (rota-kiosk.c) on a real store in a temporary
 * directory: the credential file and its checks, PIN hashes, the PIN
 * throttle with an injected clock (the counts on disk are real, and
 * survive closing and opening the store), punches and their state, the
 * clock check, and a wall-clock jump made by libfaketime in a helper
 * process (kiosk-clock-helper.c).
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rota-kiosk-private.h"
#include "rota-model-private.h"
#include "rota-models.h"

#define HOUR      G_GINT64_CONSTANT (3600)
#define SECOND_US G_GINT64_CONSTANT (1000000)
/* Tuesday 3 November 2026, 09:00 UTC, and a monotonic clock a day after
 * boot: the injected clocks start here. */
#define T0        G_GINT64_CONSTANT (1793696400)
#define M0        (G_GINT64_CONSTANT (86400) * SECOND_US)
#define TEST_ITERATIONS 1000

typedef struct
{
  char      *dir;
  char      *path;
  RotaStore *store;
  char      *pin_hash;     /* of "1234" */
  char      *manager_hash; /* of "8642" */
} Fixture;

/* Helpers */

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

static RotaEmployee *
make_employee (const char *id,
               const char *first,
               const char *prefix,
               const char *last,
               const char *badge,
               const char *pin_hash)
{
  RotaEmployee *employee = rota_employee_new ();
  const char *cards[] = { badge, NULL };

  employee->id = g_strdup (id);
  employee->first_name = g_strdup (first);
  employee->last_name_prefix = g_strdup (prefix);
  employee->last_name = g_strdup (last);
  employee->card_numbers = badge != NULL ? g_strdupv ((char **) cards) : g_new0 (char *, 1);
  employee->department_ids = g_new0 (char *, 1);
  employee->kiosk_pin_hash = g_strdup (pin_hash);

  return employee;
}

static void
put (RotaStore *store,
     gpointer   entity)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rota_store_put_entity (store, ROTA_ENTITY (entity), &error));
  g_assert_no_error (error);
  g_object_unref (entity);
}

static RotaShift *
make_shift (const char *id,
            const char *employee_id,
            gint64      start,
            gint64      end,
            gboolean    published)
{
  RotaShift *shift = rota_shift_new ();

  shift->id = g_strdup (id);
  shift->employee_id = g_strdup (employee_id);
  shift->department_id = g_strdup ("d1");
  shift->start = start;
  shift->end = end;
  shift->published = published;

  return shift;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  RotaOffice *office;
  RotaDepartment *department;
  RotaEmployee *ended;

  fixture->dir = g_dir_make_tmp ("test-kiosk-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "cache.sqlite", NULL);
  fixture->store = rota_store_open (fixture->path, ROTA_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  fixture->pin_hash = rota_pin_hash ("1234", TEST_ITERATIONS);
  fixture->manager_hash = rota_pin_hash ("8642", TEST_ITERATIONS);

  office = g_object_new (ROTA_TYPE_OFFICE, NULL);
  office->id = g_strdup ("o1");
  office->name = g_strdup ("Hotel am See");
  g_free (office->time_zone);
  office->time_zone = g_strdup ("Europe/Berlin");
  office->rules_profile = ROTA_RULES_PROFILE_DE;
  put (fixture->store, office);
  department = g_object_new (ROTA_TYPE_DEPARTMENT, NULL);
  department->id = g_strdup ("d1");
  department->office_id = g_strdup ("o1");
  department->name = g_strdup ("Rezeption");
  put (fixture->store, department);

  put (fixture->store, make_employee ("e1", "Anna", NULL, "Müller", "0042", fixture->pin_hash));
  put (fixture->store, make_employee ("e2", "Ben", "de", "Vries", "0077", NULL));
  put (fixture->store, make_employee ("e3", "Anja", NULL, "Mulder", NULL, fixture->pin_hash));
  ended = make_employee ("e4", "Émile", NULL, "Zola", "0099", fixture->pin_hash);
  ended->employment_end = g_strdup ("2001-01-31");
  put (fixture->store, ended);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->pin_hash);
  g_free (fixture->manager_hash);
}

static RotaKiosk *
make_kiosk (Fixture *fixture,
            gint64   real,
            gint64   monotonic)
{
  RotaKiosk *kiosk = rota_kiosk_new (fixture->store, NULL, "front-desk", fixture->manager_hash);

  _rota_kiosk_set_clock (kiosk, real, monotonic);
  _rota_kiosk_set_boot_id (kiosk, "boot-a");

  return kiosk;
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_finalize_object (fixture->store);
  fixture->store = rota_store_open (fixture->path, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
}

static RotaEmployee *
get_employee (Fixture    *fixture,
              const char *id)
{
  g_autoptr(GError) error = NULL;
  RotaEntity *entity = rota_store_get_entity (fixture->store, ROTA_TYPE_EMPLOYEE, id, &error);

  g_assert_no_error (error);
  return ROTA_EMPLOYEE (entity);
}

static guint
count_audit (RotaStore  *store,
             const char *entity,
             const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = rota_store_list_audit (store, entity, NULL, &error);
  guint count = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (rota_audit_entry_get_action (g_ptr_array_index (entries, i)), action) == 0)
      count++;

  return count;
}

/* Credentials */

static void
write_file (const char *path,
            const char *contents,
            int         mode)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

#define GOOD_FILE \
  "[kiosk]\n" \
  "server=https://rota.example.org/\n" \
  "tenant=hotel-am-see\n" \
  "token=rota_secret\n" \
  "device=front-desk\n"

static void
assert_refused (const char *path,
                const char *hint)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaKioskCredentials) credentials = rota_kiosk_credentials_load (path, &error);

  g_assert_null (credentials);
  g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS);
  g_test_message ("%s", error->message);
  if (strstr (error->message, hint) == NULL)
    g_error ("“%s” does not say “%s”", error->message, hint);
}

static void
test_credentials_load (Fixture       *fixture,
                       gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *contents;
    int         mode;
    const char *hint;
  } cases[] = {
    { "0644", GOOD_FILE, 0644, "chmod 600" },
    { "0640", GOOD_FILE, 0640, "chmod 600" },
    { "0400", GOOD_FILE, 0400, "chmod 600" },
    { "0700", GOOD_FILE, 0700, "chmod 600" },
    { "0660", GOOD_FILE, 0660, "chmod 600" },
    { "malformed", "this is [not a key file\n=", 0600, "not a key file" },
    { "no-group", "[other]\nserver=x\n", 0600, "no [kiosk] group" },
    { "no-token", "[kiosk]\nserver=https://a/\ntenant=t\n", 0600, "token=" },
    { "empty-token", "[kiosk]\nserver=https://a/\ntenant=t\ntoken=  \n", 0600, "token=" },
    { "no-server", "[kiosk]\ntenant=t\ntoken=rota_x\n", 0600, "server=" },
    { "no-tenant", "[kiosk]\nserver=https://a/\ntoken=rota_x\n", 0600, "tenant=" },
    { "bad-device", GOOD_FILE "device=front desk/1\n", 0600, "device name" },
    { "bad-manager-pin", GOOD_FILE "manager-pin=1234\n", 0600, "manager-pin" },
  };
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.conf", NULL);
  g_autofree char *directory = g_build_filename (fixture->dir, "dir.conf", NULL);
  g_autofree char *good = g_build_filename (fixture->dir, "good.conf", NULL);
  g_autofree char *link = g_build_filename (fixture->dir, "link.conf", NULL);
  g_autofree char *full = g_strdup_printf (GOOD_FILE "ca=/etc/rota/ca.pem\nmanager-pin=%s\n",
                                           fixture->manager_hash);
  g_autoptr(RotaKioskCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  assert_refused (missing, "does not exist");

  g_assert_cmpint (g_mkdir (directory, 0600), ==, 0);
  assert_refused (directory, "not a regular file");

  write_file (good, full, 0600);
  g_assert_cmpint (symlink (good, link), ==, 0);
  assert_refused (link, "symbolic link");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strconcat (cases[i].name, ".conf", NULL);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_test_message ("case %s", cases[i].name);
      write_file (path, cases[i].contents, cases[i].mode);
      assert_refused (path, cases[i].hint);
    }

  credentials = rota_kiosk_credentials_load (good, &error);
  g_assert_no_error (error);
  g_assert_nonnull (credentials);
  g_assert_cmpstr (credentials->server, ==, "https://rota.example.org/");
  g_assert_cmpstr (credentials->tenant, ==, "hotel-am-see");
  g_assert_cmpstr (credentials->token, ==, "rota_secret");
  g_assert_cmpstr (credentials->ca_file, ==, "/etc/rota/ca.pem");
  g_assert_cmpstr (credentials->device, ==, "front-desk");
  g_assert_cmpstr (credentials->manager_pin_hash, ==, fixture->manager_hash);

  /* Without a device the punches say kiosk:kiosk. */
  g_clear_pointer (&credentials, rota_kiosk_credentials_free);
  write_file (good, "[kiosk]\nserver=https://a.example/\ntenant=t\ntoken=rota_x\n", 0600);
  credentials = rota_kiosk_credentials_load (good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (credentials->device, ==, "kiosk");
  g_assert_null (credentials->manager_pin_hash);
}

/* A file of another user. Root gives one away; anyone else takes a
 * file root owns on every system, which is checked for its owner before
 * anything else of it is read. */
static void
test_credentials_owner (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "theirs.conf", NULL);
  struct passwd *nobody;

  if (getuid () != 0)
    {
      assert_refused ("/etc/passwd", "chown");
      return;
    }

  nobody = getpwnam ("nobody");
  write_file (path, GOOD_FILE, 0600);
  g_assert_cmpint (chown (path, nobody != NULL ? nobody->pw_uid : 65534, -1), ==, 0);
  assert_refused (path, "chown");
}

static void
test_credentials_write (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "written.conf", NULL);
  g_autofree char *target = g_build_filename (fixture->dir, "target.conf", NULL);
  g_autoptr(RotaKioskCredentials) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  RotaKioskCredentials credentials = {
    (char *) "https://rota.example.org/", (char *) "hotel-am-see", (char *) "rota_secret",
    NULL, (char *) "front-desk", fixture->manager_hash,
  };
  const char *name;
  struct stat st;
  mode_t old_umask = umask (022);

  /* Over an existing file that others could read. */
  write_file (path, "old", 0644);
  g_assert_true (rota_kiosk_credentials_write (path, &credentials, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_uid, ==, getuid ());

  back = rota_kiosk_credentials_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->server, ==, credentials.server);
  g_assert_cmpstr (back->tenant, ==, credentials.tenant);
  g_assert_cmpstr (back->token, ==, credentials.token);
  g_assert_null (back->ca_file);
  g_assert_cmpstr (back->device, ==, credentials.device);
  g_assert_cmpstr (back->manager_pin_hash, ==, credentials.manager_pin_hash);

  /* Over a symbolic link: the link is replaced, its target untouched. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  write_file (target, "untouched", 0644);
  g_assert_cmpint (symlink (target, path), ==, 0);
  g_assert_true (rota_kiosk_credentials_write (path, &credentials, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "untouched");
  }

  /* No temporary file is left behind. */
  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".rota-kiosk-"));

  umask (old_umask);
}

static void
test_scopes (void)
{
  static const struct {
    const char *scopes[4];
    gboolean    ok;
  } cases[] = {
    { { "clock", NULL }, TRUE },
    { { "clock", "clock", NULL }, TRUE },
    { { NULL }, FALSE },
    { { "hours:read", NULL }, FALSE },
    { { "clock", "hours:read", NULL }, FALSE },
    { { "planning:write", "clock", NULL }, FALSE },
    { { "admin", NULL }, FALSE },
    { { "Clock", NULL }, FALSE },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean ok = rota_kiosk_check_scopes (cases[i].scopes, &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_SCOPE);
          g_assert_nonnull (strstr (error->message, "clock"));
          g_clear_error (&error);
        }
    }

  g_assert_false (rota_kiosk_check_scopes (NULL, &error));
  g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_SCOPE);
}

/* PINs */

static void
assert_pbkdf2 (const char *password,
               const char *salt,
               guint       iterations,
               const char *expected)
{
  guchar out[32];
  g_autoptr(GString) hex = g_string_new (NULL);

  _rota_pbkdf2_sha256 (password, strlen (password), (const guchar *) salt, strlen (salt), iterations, out);
  for (guint i = 0; i < sizeof out; i++)
    g_string_append_printf (hex, "%02x", out[i]);
  g_assert_cmpstr (hex->str, ==, expected);
}

static void
test_pin_pbkdf2 (void)
{
  /* Known answers of PBKDF2-HMAC-SHA256 (RFC 7914 §11 and the usual
   * "password"/"salt" vectors), first 32 bytes. */
  assert_pbkdf2 ("passwd", "salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
  assert_pbkdf2 ("password", "salt", 1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
  assert_pbkdf2 ("password", "salt", 2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
  assert_pbkdf2 ("password", "salt", 4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
}

static void
test_pin_valid (void)
{
  static const struct {
    const char *pin;
    gboolean    valid;
  } cases[] = {
    { "1234", TRUE },
    { "0000", TRUE },
    { "12345678", TRUE },
    { "987654", TRUE },
    { "123", FALSE },
    { "123456789", FALSE },
    { "", FALSE },
    { "12a4", FALSE },
    { " 1234", FALSE },
    { "1234 ", FALSE },
    { "-123", FALSE },
    { "+1234", FALSE },
    { "１２３４", FALSE },     /* fullwidth digits */
    { "١٢٣٤", FALSE },         /* Arabic-Indic digits */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("“%s”", cases[i].pin);
      g_assert_cmpint (rota_pin_is_valid (cases[i].pin), ==, cases[i].valid);
    }
  g_assert_false (rota_pin_is_valid (NULL));
}

static void
test_pin_hash (void)
{
  g_autofree char *hash = rota_pin_hash ("1234", TEST_ITERATIONS);
  g_autofree char *again = rota_pin_hash ("1234", TEST_ITERATIONS);
  g_autofree char *long_pin = rota_pin_hash ("12345678", 1);
  g_auto(GStrv) parts = g_strsplit (hash, "$", -1);
  g_autofree char *salt = NULL;
  g_autofree char *digest = NULL;

  g_assert_true (g_str_has_prefix (hash, "pbkdf2-sha256$1000$"));
  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  g_assert_true (rota_pin_verify ("1234", hash));
  g_assert_false (rota_pin_verify ("1235", hash));
  g_assert_false (rota_pin_verify ("12345", hash));
  g_assert_false (rota_pin_verify ("", hash));
  g_assert_false (rota_pin_verify (NULL, hash));
  g_assert_false (rota_pin_verify ("1234", NULL));
  /* A new salt each time. */
  g_assert_cmpstr (hash, !=, again);
  g_assert_true (rota_pin_verify ("1234", again));
  g_assert_true (rota_pin_verify ("12345678", long_pin));
  g_assert_false (rota_pin_verify ("1234567", long_pin));

  salt = g_strdup (parts[2]);
  digest = g_strdup (parts[3]);

  {
    g_autofree char *short_salt = g_base64_encode ((const guchar *) "1234567", 7);
    g_autofree char *short_digest = g_base64_encode ((const guchar *) "0123456789abcdef0123456789abcde", 31);
    const char *cases[][4] = {
      { "", NULL, NULL, NULL },
      { "pbkdf2-sha1", "1000", salt, digest },
      { "PBKDF2-SHA256", "1000", salt, digest },
      { "pbkdf2-sha256", "0", salt, digest },
      { "pbkdf2-sha256", "01000", salt, digest },
      { "pbkdf2-sha256", "-1000", salt, digest },
      { "pbkdf2-sha256", "+1000", salt, digest },
      { "pbkdf2-sha256", "10000001", salt, digest },
      { "pbkdf2-sha256", "99999999999999999999", salt, digest },
      { "pbkdf2-sha256", "", salt, digest },
      { "pbkdf2-sha256", "1k", salt, digest },
      { "pbkdf2-sha256", "1000", "", digest },
      { "pbkdf2-sha256", "1000", "!!!!", digest },
      { "pbkdf2-sha256", "1000", "abc", digest },
      { "pbkdf2-sha256", "1000", short_salt, digest },
      { "pbkdf2-sha256", "1000", salt, "" },
      { "pbkdf2-sha256", "1000", salt, short_digest },
      { "pbkdf2-sha256", "1000", salt, "not base64 at all!" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *bad = cases[i][1] == NULL ? g_strdup (cases[i][0])
                                                   : g_strjoin ("$", cases[i][0], cases[i][1], cases[i][2],
                                                                cases[i][3], NULL);

        g_test_message ("%s", bad);
        g_assert_false (rota_pin_verify ("1234", bad));
      }
  }

  /* Bytes changed or added after a good hash. */
  {
    g_autofree char *tail = g_strconcat (hash, "$", NULL);
    g_autofree char *space = g_strconcat (hash, " ", NULL);
    g_autofree char *flipped = g_strdup (hash);

    flipped[strlen (flipped) - 3] = flipped[strlen (flipped) - 3] == 'A' ? 'B' : 'A';
    g_assert_false (rota_pin_verify ("1234", tail));
    g_assert_false (rota_pin_verify ("1234", space));
    g_assert_false (rota_pin_verify ("1234", flipped));
  }
}

/* Throttling */

static void
test_throttle_employee (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RotaKiosk) kiosk = NULL;
  g_autoptr(RotaEmployee) anna = get_employee (fixture, "e1");
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 real = T0 * SECOND_US;
  gint64 monotonic = M0;
  gint64 retry = 0;
  guint checked = 0;
  guint locked = 0;

  kiosk = make_kiosk (fixture, real, monotonic);

  /* 100 wrong PINs, each after waiting as long as asked. */
  for (guint i = 0; i < 100; i++)
    {
      g_assert_false (rota_kiosk_check_pin (kiosk, anna, "9999", &retry, &error));
      g_assert_nonnull (error);
      if (g_error_matches (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_WRONG_PIN))
        {
          checked++;
          g_array_append_val (delays, retry);
        }
      else
        {
          g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_LOCKED_OUT);
          g_assert_cmpint (retry, ==, -1);
          /* The tenth is the last one checked. */
          if (locked++ == 0)
            checked++;
        }
      g_clear_error (&error);

      if (retry > 0)
        {
          /* Not a moment sooner. */
          real += (retry - 1) * 1000;
          monotonic += (retry - 1) * 1000;
          _rota_kiosk_set_clock (kiosk, real, monotonic);
          g_assert_cmpint (rota_kiosk_get_pin_delay (kiosk, "e1"), ==, 1);
          g_assert_false (rota_kiosk_check_pin (kiosk, anna, "1234", &retry, &error));
          g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_THROTTLED);
          g_assert_cmpint (retry, ==, 1);
          g_clear_error (&error);
          real += 1000;
          monotonic += 1000;
          _rota_kiosk_set_clock (kiosk, real, monotonic);
        }
    }

  g_assert_cmpuint (checked, ==, ROTA_KIOSK_MAX_FAILURES);
  g_assert_cmpuint (delays->len, ==, ROTA_KIOSK_MAX_FAILURES - 1);
  for (guint i = 0; i < delays->len; i++)
    {
      gint64 delay = g_array_index (delays, gint64, i);

      g_test_message ("wrong PIN %u: wait %" G_GINT64_FORMAT " ms", i + 1, delay);
      if (i < ROTA_KIOSK_FREE_FAILURES)
        g_assert_cmpint (delay, ==, 0);
      else
        g_assert_cmpint (delay, >, 0);
      if (i > 0)
        g_assert_cmpint (delay, >=, g_array_index (delays, gint64, i - 1));
    }
  g_assert_cmpint (g_array_index (delays, gint64, delays->len - 1), >, g_array_index (delays, gint64, 3));

  /* The right PIN while locked out is refused too. */
  g_assert_true (rota_kiosk_get_locked_out (kiosk, "e1"));
  g_assert_cmpint (rota_kiosk_get_pin_delay (kiosk, "e1"), ==, -1);
  g_assert_false (rota_kiosk_check_pin (kiosk, anna, "1234", &retry, &error));
  g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_LOCKED_OUT);
  g_clear_error (&error);

  /* A restart: the store closed and opened again, a new kiosk. */
  g_clear_object (&kiosk);
  reopen (fixture);
  kiosk = make_kiosk (fixture, real, monotonic);
  g_assert_true (rota_kiosk_get_locked_out (kiosk, "e1"));
  g_assert_false (rota_kiosk_check_pin (kiosk, anna, "1234", &retry, &error));
  g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_LOCKED_OUT);
  g_clear_error (&error);
  {
    g_autofree char *value = rota_store_get_local (fixture->store, "kiosk.pin.employee.e1", &error);

    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (value, "10 "));
  }

  /* Wrong manager PINs: two free, then waits that grow. */
  g_assert_false (rota_kiosk_unlock (kiosk, "e1", "1111", &error));
  g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_false (rota_kiosk_check_manager_pin (kiosk, "1111", &retry, &error));
  g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_WRONG_PIN);
  g_assert_cmpint (retry, ==, 0);
  g_clear_error (&error);
  g_assert_false (rota_kiosk_check_manager_pin (kiosk, "1111", &retry, &error));
  g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_WRONG_PIN);
  g_assert_cmpint (retry, ==, 1000);
  g_clear_error (&error);
  g_assert_false (rota_kiosk_unlock (kiosk, "e1", "8642", &error));
  g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_THROTTLED);
  g_clear_error (&error);
  g_assert_cmpuint (count_audit (fixture->store, "employee", "pin_unlock"), ==, 0);

  /* The manager's PIN, in time, unlocks, once audited. */
  real += 1000 * 1000;
  monotonic += 1000 * 1000;
  _rota_kiosk_set_clock (kiosk, real, monotonic);
  g_assert_true (rota_kiosk_unlock (kiosk, "e1", "8642", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_audit (fixture->store, "employee", "pin_unlock"), ==, 1);
  g_assert_false (rota_kiosk_get_locked_out (kiosk, "e1"));
  g_assert_cmpint (rota_kiosk_get_pin_delay (kiosk, "e1"), ==, 0);
  g_assert_true (rota_kiosk_check_pin (kiosk, anna, "1234", &retry, &error));
  g_assert_no_error (error);
  g_assert_cmpint (retry, ==, 0);

  {
    g_autoptr(GPtrArray) entries = rota_store_list_audit (fixture->store, "employee", "e1", &error);
    RotaAuditEntry *entry;
    g_autofree char *problem = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (entries->len, ==, 1);
    entry = g_ptr_array_index (entries, 0);
    g_assert_cmpstr (rota_audit_entry_get_actor (entry), ==, "kiosk:front-desk");
    g_assert_cmpstr (rota_audit_entry_get_action (entry), ==, "pin_unlock");
    g_assert_nonnull (strstr (rota_audit_entry_get_after_json (entry), "\"failures\":10"));
    g_assert_true (rota_store_verify (fixture->store, &problem, &error));
    g_assert_null (problem);
  }
}

/* Neither a restart, nor setting the clock, nor a reboot with the clock
 * set forward shortens a wait. */
static void
test_throttle_clock (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RotaKiosk) kiosk = NULL;
  g_autoptr(RotaEmployee) anja = get_employee (fixture, "e3");
  g_autoptr(GError) error = NULL;
  gint64 retry = 0;
  gint64 delay;

  kiosk = make_kiosk (fixture, T0 * SECOND_US, M0);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_false (rota_kiosk_check_pin (kiosk, anja, "0000", &retry, &error));
      g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_WRONG_PIN);
      g_clear_error (&error);
      if (i < 4)
        {
          gint64 now_real = (T0 + 1000 * (i + 1)) * SECOND_US;
          gint64 now_monotonic = M0 + 1000 * (i + 1) * SECOND_US;

          _rota_kiosk_set_clock (kiosk, now_real, now_monotonic);
        }
    }
  /* Five wrong: 4 s to wait. */
  g_assert_cmpint (retry, ==, 4000);
  delay = rota_kiosk_get_pin_delay (kiosk, "e3");
  g_assert_cmpint (delay, ==, 4000);

  /* The wall clock set a day ahead: the monotonic clock says no time
   * passed. */
  _rota_kiosk_set_clock (kiosk, (T0 + 4000 + 86400) * SECOND_US, M0 + 4000 * SECOND_US);
  g_assert_cmpint (rota_kiosk_get_pin_delay (kiosk, "e3"), ==, 4000);

  /* A restart of the app changes nothing. */
  g_clear_object (&kiosk);
  reopen (fixture);
  kiosk = make_kiosk (fixture, (T0 + 4000 + 86400) * SECOND_US, M0 + 4000 * SECOND_US);
  g_assert_cmpint (rota_kiosk_get_pin_delay (kiosk, "e3"), ==, 4000);
  g_assert_false (rota_kiosk_check_pin (kiosk, anja, "1234", &retry, &error));
  g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_THROTTLED);
  g_clear_error (&error);

  /* A reboot with the clock set a day ahead: only the second since boot
   * counts. */
  _rota_kiosk_set_boot_id (kiosk, "boot-b");
  _rota_kiosk_set_clock (kiosk, (T0 + 4000 + 86400) * SECOND_US, 1 * SECOND_US);
  g_assert_cmpint (rota_kiosk_get_pin_delay (kiosk, "e3"), ==, 3000);
  /* A reboot with the clock set back: no time passed at all. */
  _rota_kiosk_set_clock (kiosk, (T0 + 3000) * SECOND_US, 60 * SECOND_US);
  g_assert_cmpint (rota_kiosk_get_pin_delay (kiosk, "e3"), ==, 4000);
  /* A reboot an hour later by both clocks: over. */
  _rota_kiosk_set_clock (kiosk, (T0 + 4000 + 3600) * SECOND_US, 3000 * SECOND_US);
  g_assert_cmpint (rota_kiosk_get_pin_delay (kiosk, "e3"), ==, 0);
  g_assert_true (rota_kiosk_check_pin (kiosk, anja, "1234", &retry, &error));
  g_assert_no_error (error);
}

/* Many people, two wrong PINs each: the device's own count slows them
 * all down, up to five minutes, and forgets after a quiet while. */
static void
test_throttle_device (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RotaKiosk) kiosk = NULL;
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 real = T0 * SECOND_US;
  gint64 monotonic = M0;
  gint64 retry = 0;

  kiosk = make_kiosk (fixture, real, monotonic);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *id = g_strdup_printf ("x%u", i / 2);
      g_autoptr(RotaEmployee) someone = make_employee (id, "Some", NULL, "One", NULL, fixture->pin_hash);

      g_assert_false (rota_kiosk_check_pin (kiosk, someone, "4321", &retry, &error));
      g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_WRONG_PIN);
      g_clear_error (&error);
      g_array_append_val (delays, retry);

      if (retry > 0)
        {
          /* Anyone else must wait as well. */
          g_autoptr(RotaEmployee) anna = get_employee (fixture, "e1");

          g_assert_false (rota_kiosk_check_pin (kiosk, anna, "1234", NULL, &error));
          g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_THROTTLED);
          g_clear_error (&error);
          real += retry * 1000;
          monotonic += retry * 1000;
          _rota_kiosk_set_clock (kiosk, real, monotonic);
        }
    }

  for (guint i = 0; i < delays->len; i++)
    {
      gint64 delay = g_array_index (delays, gint64, i);

      if (i < ROTA_KIOSK_DEVICE_FREE_FAILURES)
        g_assert_cmpint (delay, ==, 0);
      else
        g_assert_cmpint (delay, >, 0);
      if (i > 0)
        g_assert_cmpint (delay, >=, g_array_index (delays, gint64, i - 1));
      g_assert_cmpint (delay, <=, ROTA_KIOSK_MAX_DELAY_MS);
    }
  g_assert_cmpint (g_array_index (delays, gint64, delays->len - 1), ==, ROTA_KIOSK_MAX_DELAY_MS);

  /* A quiet quarter of an hour and the device starts over. */
  real += (gint64) ROTA_KIOSK_DEVICE_FORGET_MS * 1000;
  monotonic += (gint64) ROTA_KIOSK_DEVICE_FORGET_MS * 1000;
  _rota_kiosk_set_clock (kiosk, real, monotonic);
  {
    g_autoptr(RotaEmployee) fresh = make_employee ("y1", "New", NULL, "Person", NULL, fixture->pin_hash);

    g_assert_false (rota_kiosk_check_pin (kiosk, fresh, "4321", &retry, &error));
    g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_WRONG_PIN);
    g_assert_cmpint (retry, ==, 0);
    g_clear_error (&error);
  }

  /* Someone with no PIN is told so, and nothing is counted. */
  {
    g_autoptr(RotaEmployee) ben = get_employee (fixture, "e2");

    g_assert_false (rota_kiosk_check_pin (kiosk, ben, "1234", &retry, &error));
    g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_NO_PIN);
    g_assert_cmpint (rota_kiosk_get_pin_delay (kiosk, "e2"), ==, 0);
  }
}

/* Identifying */

static void
test_identify (Fixture       *fixture,
               gconstpointer  data)
{
  static const struct {
    const char *text;
    const char *ids;
  } searches[] = {
    { "muller", "e1" },
    { "MÜLLER", "e1" },
    { "MÜL", "e3 e1" },          /* accents ignored: Mulder too */
    { "anna", "e1" },
    { "  anna   müller ", "e1" },
    { "mul", "e3 e1" },          /* Mulder before Müller */
    { "an", "e3 e1" },
    { "de vr", "e2" },
    { "vries ben", "e2" },
    { "zola", "" },              /* no longer employed */
    { "", "" },
    { "   ", "" },
    { "xyz", "" },
  };
  g_autoptr(RotaKiosk) kiosk = make_kiosk (fixture, T0 * SECOND_US, M0);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GPtrArray) found = rota_kiosk_search (kiosk, searches[i].text, 10);
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint j = 0; j < found->len; j++)
        g_string_append_printf (ids, "%s%s", j ? " " : "", rota_entity_get_id (g_ptr_array_index (found, j)));
      g_test_message ("“%s” → %s", searches[i].text, ids->str);
      g_assert_cmpstr (ids->str, ==, searches[i].ids);
    }
  {
    g_autoptr(GPtrArray) one = rota_kiosk_search (kiosk, "an", 1);

    g_assert_cmpuint (one->len, ==, 1);
  }

  {
    g_autoptr(RotaEmployee) found = rota_kiosk_find_badge (kiosk, "0042", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (rota_entity_get_id (ROTA_ENTITY (found)), ==, "e1");
  }
  {
    g_autoptr(RotaEmployee) found = rota_kiosk_find_badge (kiosk, " 0077\n", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (rota_entity_get_id (ROTA_ENTITY (found)), ==, "e2");
  }
  for (guint i = 0; i < 4; i++)
    {
      static const char * const unknown[] = { "9999", "042", "", "0099" };
      g_autoptr(RotaEmployee) found = rota_kiosk_find_badge (kiosk, unknown[i], &error);

      g_assert_null (found);
      g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_UNKNOWN_BADGE);
      g_clear_error (&error);
    }
}

/* Punching */

static RotaPunch *
punch_ok (RotaKiosk     *kiosk,
          RotaEmployee  *employee,
          RotaPunchKind  kind)
{
  g_autoptr(GError) error = NULL;
  RotaPunch *punch = rota_kiosk_punch (kiosk, employee, kind, &error);

  g_assert_no_error (error);
  g_assert_nonnull (punch);
  return punch;
}

static void
punch_refused (RotaKiosk     *kiosk,
               RotaEmployee  *employee,
               RotaPunchKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaPunch) punch = rota_kiosk_punch (kiosk, employee, kind, &error);

  g_assert_null (punch);
  g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_NOT_ALLOWED);
  g_test_message ("%s", error->message);
}

static gboolean
in_outbox (RotaStore  *store,
           const char *punch_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = rota_store_list_outbox (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      RotaOutboxItem *item = g_ptr_array_index (items, i);

      if (g_str_equal (item->kind, "punch") && g_str_equal (item->entity_id, punch_id))
        {
          g_assert_cmpint (item->op, ==, ROTA_OUTBOX_OP_POST);
          return TRUE;
        }
    }

  return FALSE;
}

static void
pending_cb (RotaKiosk  *kiosk,
            GParamSpec *pspec,
            guint      *count)
{
  (*count)++;
}

static void
changed_cb (RotaKiosk *kiosk,
            guint     *count)
{
  (*count)++;
}

static void
test_punch (Fixture       *fixture,
            gconstpointer  data)
{
  static const RotaPunchKind day[] = {
    ROTA_PUNCH_KIND_IN, ROTA_PUNCH_KIND_BREAK_START, ROTA_PUNCH_KIND_BREAK_END, ROTA_PUNCH_KIND_OUT,
  };
  static const RotaKioskState after[] = {
    ROTA_KIOSK_STATE_IN, ROTA_KIOSK_STATE_BREAK, ROTA_KIOSK_STATE_IN, ROTA_KIOSK_STATE_OUT,
  };
  g_autoptr(RotaKiosk) kiosk = NULL;
  g_autoptr(RotaEmployee) anna = get_employee (fixture, "e1");
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaShift) next = NULL;
  gint64 real = T0 * SECOND_US;
  gint64 monotonic = M0;
  gint64 last_seq = 0;
  gint64 since = -1;
  guint pending_notes = 0;
  guint changed = 0;

  /* Tomorrow's shift, one of someone else, one not published. */
  put (fixture->store, make_shift ("s-later", "e1", T0 + 20 * HOUR, T0 + 28 * HOUR, TRUE));
  put (fixture->store, make_shift ("s-other", "e2", T0 - HOUR, T0 + 2 * HOUR, TRUE));
  put (fixture->store, make_shift ("s-draft", "e1", T0 + HOUR, T0 + 3 * HOUR, FALSE));
  put (fixture->store, make_shift ("s-far", "e1", T0 + 30 * HOUR, T0 + 38 * HOUR, TRUE));

  kiosk = make_kiosk (fixture, real, monotonic);
  g_signal_connect (kiosk, "notify::pending", G_CALLBACK (pending_cb), &pending_notes);
  g_signal_connect (kiosk, "changed", G_CALLBACK (changed_cb), &changed);
  g_assert_cmpint (rota_kiosk_get_pending (kiosk), ==, 0);
  g_assert_false (rota_kiosk_get_online (kiosk));

  g_assert_cmpint (rota_kiosk_get_state (kiosk, "e1", &since), ==, ROTA_KIOSK_STATE_OUT);
  g_assert_cmpint (since, ==, 0);
  next = rota_kiosk_get_next_shift (kiosk, "e1");
  g_assert_cmpstr (rota_entity_get_id (ROTA_ENTITY (next)), ==, "s-later");
  g_clear_object (&next);
  next = rota_kiosk_get_next_shift (kiosk, "e2");
  g_assert_cmpstr (rota_entity_get_id (ROTA_ENTITY (next)), ==, "s-other");
  g_clear_object (&next);
  g_assert_null (rota_kiosk_get_next_shift (kiosk, "e3"));

  /* Nothing but "in" while out. */
  punch_refused (kiosk, anna, ROTA_PUNCH_KIND_OUT);
  punch_refused (kiosk, anna, ROTA_PUNCH_KIND_BREAK_START);
  punch_refused (kiosk, anna, ROTA_PUNCH_KIND_BREAK_END);

  for (guint i = 0; i < G_N_ELEMENTS (day); i++)
    {
      g_autoptr(RotaPunch) punch = NULL;

      real += 30 * 60 * SECOND_US;
      monotonic += 30 * 60 * SECOND_US;
      _rota_kiosk_set_clock (kiosk, real, monotonic);
      punch = punch_ok (kiosk, anna, day[i]);

      g_assert_cmpint (rota_punch_get_kind (punch), ==, day[i]);
      g_assert_cmpstr (rota_punch_get_employee_id (punch), ==, "e1");
      g_assert_cmpint (rota_punch_get_at (punch), ==, real / SECOND_US);
      g_assert_cmpstr (rota_punch_get_source (punch), ==, "kiosk:front-desk");
      g_assert_cmpint (rota_punch_get_device_seq (punch), >, last_seq);
      g_assert_cmpint (rota_punch_get_device_monotonic_ms (punch), ==, monotonic / 1000);
      g_assert_cmpstr (rota_punch_get_device_boot_id (punch), ==, "boot-a");
      /* No contact with the server yet. */
      g_assert_true (rota_punch_get_time_untrusted (punch));
      last_seq = rota_punch_get_device_seq (punch);

      /* The punch and its outbox item are both there. */
      {
        g_autoptr(RotaEntity) stored = rota_store_get_entity (fixture->store, ROTA_TYPE_PUNCH,
                                                              rota_entity_get_id (ROTA_ENTITY (punch)), &error);

        g_assert_no_error (error);
        g_assert_true (rota_entity_equal (stored, ROTA_ENTITY (punch)));
        g_assert_true (in_outbox (fixture->store, rota_entity_get_id (ROTA_ENTITY (punch))));
      }

      g_assert_cmpint (rota_kiosk_get_state (kiosk, "e1", &since), ==, after[i]);
      g_assert_cmpint (since, ==, real / SECOND_US);
      g_assert_cmpint (rota_kiosk_get_pending (kiosk), ==, i + 1);

      if (after[i] == ROTA_KIOSK_STATE_IN)
        {
          punch_refused (kiosk, anna, ROTA_PUNCH_KIND_IN);
          punch_refused (kiosk, anna, ROTA_PUNCH_KIND_BREAK_END);
        }
      else if (after[i] == ROTA_KIOSK_STATE_BREAK)
        {
          punch_refused (kiosk, anna, ROTA_PUNCH_KIND_IN);
          punch_refused (kiosk, anna, ROTA_PUNCH_KIND_OUT);
          punch_refused (kiosk, anna, ROTA_PUNCH_KIND_BREAK_START);
        }
      else
        {
          punch_refused (kiosk, anna, ROTA_PUNCH_KIND_OUT);
          punch_refused (kiosk, anna, ROTA_PUNCH_KIND_BREAK_END);
        }
    }
  g_assert_cmpuint (pending_notes, ==, 4);
  g_assert_cmpuint (changed, >=, 4);
  g_assert_cmpint (last_seq, ==, 4);

  /* A punch whose transaction fails at its commit (the employee is not
   * in the store: a deferred foreign key) leaves nothing behind, the
   * sequence number included. */
  {
    g_autoptr(RotaEmployee) stranger = make_employee ("ghost", "No", NULL, "Body", NULL, NULL);
    g_autoptr(RotaPunch) punch = rota_kiosk_punch (kiosk, stranger, ROTA_PUNCH_KIND_IN, &error);
    g_autoptr(GPtrArray) ghosts = NULL;

    g_assert_null (punch);
    g_assert_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_FAILED);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
    ghosts = rota_store_list_punches (fixture->store, 0, G_MAXINT64, "ghost", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ghosts->len, ==, 0);
    g_assert_cmpint (rota_store_count_outbox_kind (fixture->store, "punch", &error), ==, 4);
  }

  /* After a restart the sequence goes on, and the state is read back. */
  g_clear_object (&kiosk);
  reopen (fixture);
  kiosk = make_kiosk (fixture, real, monotonic);
  g_assert_cmpint (rota_kiosk_get_pending (kiosk), ==, 4);
  g_assert_cmpint (rota_kiosk_get_state (kiosk, "e1", NULL), ==, ROTA_KIOSK_STATE_OUT);
  {
    g_autoptr(RotaPunch) punch = punch_ok (kiosk, anna, ROTA_PUNCH_KIND_IN);

    g_assert_cmpint (rota_punch_get_device_seq (punch), ==, 5);
  }

  /* With the server reached an hour ahead of this clock: trusted, and
   * stamped with the server's time. The state follows the sequence, not
   * the time, so the jump of an hour does not reorder. */
  g_assert_true (_rota_kiosk_record_server_time (kiosk, 3600 * 1000, real, monotonic, &error));
  g_assert_no_error (error);
  g_assert_true (rota_kiosk_get_time_trusted (kiosk));
  g_assert_cmpint (rota_kiosk_get_clock_offset (kiosk), ==, 3600);
  g_assert_cmpint (rota_kiosk_now (kiosk), ==, real / SECOND_US + 3600);
  {
    g_autoptr(RotaPunch) punch = punch_ok (kiosk, anna, ROTA_PUNCH_KIND_OUT);

    g_assert_false (rota_punch_get_time_untrusted (punch));
    g_assert_cmpint (rota_punch_get_at (punch), ==, real / SECOND_US + 3600);
    g_assert_cmpint (rota_punch_get_device_seq (punch), ==, 6);
  }
  g_assert_cmpint (rota_kiosk_get_state (kiosk, "e1", NULL), ==, ROTA_KIOSK_STATE_OUT);

  {
    g_autofree char *problem = NULL;

    g_assert_true (rota_store_verify (fixture->store, &problem, &error));
    g_assert_null (problem);
  }
}

/* Clock */

static void
trusted_cb (RotaKiosk  *kiosk,
            GParamSpec *pspec,
            guint      *count)
{
  (*count)++;
}

static void
test_clock_jump (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RotaKiosk) kiosk = NULL;
  g_autoptr(GError) error = NULL;
  gint64 real = T0 * SECOND_US;
  gint64 monotonic = M0;
  guint notes = 0;

  kiosk = make_kiosk (fixture, real, monotonic);
  g_signal_connect (kiosk, "notify::time-trusted", G_CALLBACK (trusted_cb), &notes);
  g_assert_false (rota_kiosk_get_time_trusted (kiosk));
  g_assert_false (rota_kiosk_check_clock (kiosk));

  g_assert_true (_rota_kiosk_record_server_time (kiosk, 200, real, monotonic, &error));
  g_assert_no_error (error);
  g_assert_true (rota_kiosk_get_time_trusted (kiosk));
  g_assert_cmpuint (notes, ==, 1);
  g_assert_cmpint (rota_kiosk_get_clock_offset (kiosk), ==, 0);

  /* A minute and a half of drift is tolerated. */
  real += 10 * 60 * SECOND_US;
  monotonic += (10 * 60 - 90) * SECOND_US;
  _rota_kiosk_set_clock (kiosk, real, monotonic);
  g_assert_false (rota_kiosk_check_clock (kiosk));
  g_assert_true (rota_kiosk_get_time_trusted (kiosk));

  /* Two hours ahead in five seconds: one audit event, however often it
   * is checked after. */
  real += (2 * HOUR + 5) * SECOND_US;
  monotonic += 5 * SECOND_US;
  _rota_kiosk_set_clock (kiosk, real, monotonic);
  g_assert_true (rota_kiosk_check_clock (kiosk));
  g_assert_false (rota_kiosk_get_time_trusted (kiosk));
  g_assert_cmpuint (notes, ==, 2);
  for (guint i = 0; i < 5; i++)
    {
      real += 5 * SECOND_US;
      monotonic += 5 * SECOND_US;
      _rota_kiosk_set_clock (kiosk, real, monotonic);
      g_assert_false (rota_kiosk_check_clock (kiosk));
    }
  g_assert_cmpuint (count_audit (fixture->store, "device", "clock_jump"), ==, 1);
  {
    g_autoptr(GPtrArray) entries = rota_store_list_audit (fixture->store, "device", "front-desk", &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (rota_audit_entry_get_after_json (g_ptr_array_index (entries, 0)),
                              "\"jump_ms\":7200000"));
  }

  /* Set back by the same: the drift since the contact is gone, but the
   * time stays untrusted until the server is reached; a second event. */
  real -= 2 * HOUR * SECOND_US;
  _rota_kiosk_set_clock (kiosk, real, monotonic);
  g_assert_true (rota_kiosk_check_clock (kiosk));
  g_assert_false (rota_kiosk_get_time_trusted (kiosk));
  g_assert_cmpuint (count_audit (fixture->store, "device", "clock_jump"), ==, 2);

  /* Untrusted across a restart too. */
  g_clear_object (&kiosk);
  reopen (fixture);
  kiosk = make_kiosk (fixture, real, monotonic);
  g_assert_false (rota_kiosk_get_time_trusted (kiosk));

  g_assert_true (_rota_kiosk_record_server_time (kiosk, 0, real, monotonic, &error));
  g_assert_true (rota_kiosk_get_time_trusted (kiosk));

  /* A jump while the kiosk was not running shows against the contact. */
  g_clear_object (&kiosk);
  kiosk = make_kiosk (fixture, real + 3 * HOUR * SECOND_US, monotonic + 60 * SECOND_US);
  g_assert_false (rota_kiosk_get_time_trusted (kiosk));

  /* A contact of another boot is no contact on this one. */
  g_clear_object (&kiosk);
  kiosk = make_kiosk (fixture, real, monotonic);
  g_assert_true (rota_kiosk_get_time_trusted (kiosk));
  _rota_kiosk_set_boot_id (kiosk, "boot-b");
  g_assert_false (rota_kiosk_get_time_trusted (kiosk));
}

/* A wall-clock jump made by libfaketime under a helper process */

static const char *
find_libfaketime (void)
{
  static const char * const candidates[] = {
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_EXISTS))
      return candidates[i];

  return NULL;
}

static char *
read_line (GDataInputStream *out)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static void
test_clock_faketime (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *libfaketime = find_libfaketime ();
  g_autofree char *stamp = g_build_filename (fixture->dir, "faketime", NULL);
  g_autofree char *preload = NULL;
  g_autofree char *asan = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) helper = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) punches = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *in;
  RotaPunch *before;
  RotaPunch *after;
  gint64 started = g_get_real_time () / SECOND_US;

  /* libfaketime is in build-aux/debian-packages.txt: missing, it fails. */
  g_assert_nonnull (libfaketime);

  g_clear_object (&fixture->store);
  write_file (stamp, "+0", 0600);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Under AddressSanitizer its runtime must come first in the preload
   * list, or it refuses to start. */
  asan = g_strdup (g_getenv ("ROTA_TEST_ASAN_RUNTIME"));
  preload = asan != NULL && *asan != '\0' ? g_strconcat (asan, " ", libfaketime, NULL) : g_strdup (libfaketime);
  g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", preload, TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKETIME_TIMESTAMP_FILE", stamp, TRUE);
  g_subprocess_launcher_setenv (launcher, "FAKETIME_NO_CACHE", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "DONT_FAKE_MONOTONIC", "1", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "FAKETIME");
  helper = g_subprocess_launcher_spawn (launcher, &error, ROTA_TEST_KIOSK_CLOCK_HELPER,
                                        fixture->path, "e1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (helper));
  in = g_subprocess_get_stdin_pipe (helper);

  first = read_line (out);
  g_test_message ("helper: %s", first);
  g_assert_true (g_str_has_prefix (first, "punched 1"));

  /* Two hours ahead, while the helper runs. */
  write_file (stamp, "+7200", 0600);
  g_assert_true (g_output_stream_write_all (in, "go\n", 3, NULL, NULL, &error));
  g_assert_no_error (error);

  second = read_line (out);
  g_test_message ("helper: %s", second);
  g_assert_true (g_str_has_prefix (second, "punched 2"));
  g_assert_true (g_subprocess_wait_check (helper, NULL, &error));
  g_assert_no_error (error);

  fixture->store = rota_store_open (fixture->path, ROTA_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  punches = rota_store_list_punches (fixture->store, 0, G_MAXINT64, "e1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (punches->len, ==, 2);
  before = g_ptr_array_index (punches, 0);
  after = g_ptr_array_index (punches, 1);
  g_assert_cmpint (rota_punch_get_device_seq (before), ==, 1);
  g_assert_cmpint (rota_punch_get_device_seq (after), ==, 2);
  g_assert_false (rota_punch_get_time_untrusted (before));
  g_assert_true (rota_punch_get_time_untrusted (after));
  g_assert_cmpint (rota_punch_get_kind (before), ==, ROTA_PUNCH_KIND_IN);
  g_assert_cmpint (rota_punch_get_kind (after), ==, ROTA_PUNCH_KIND_OUT);
  /* The wall clock really moved for the helper, and the monotonic one
   * did not. */
  g_assert_cmpint (rota_punch_get_at (before), <, started + 60);
  g_assert_cmpint (rota_punch_get_at (after), >=, started + 7200 - 60);
  g_assert_cmpint (rota_punch_get_device_monotonic_ms (after) - rota_punch_get_device_monotonic_ms (before),
                   <, 60 * 1000);
  g_assert_cmpuint (count_audit (fixture->store, "device", "clock_jump"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/kiosk/credentials/load", Fixture, NULL, fixture_set_up, test_credentials_load,
              fixture_tear_down);
  g_test_add ("/core/kiosk/credentials/other-owner", Fixture, NULL, fixture_set_up, test_credentials_owner,
              fixture_tear_down);
  g_test_add ("/core/kiosk/credentials/write", Fixture, NULL, fixture_set_up, test_credentials_write,
              fixture_tear_down);
  g_test_add_func ("/core/kiosk/scopes", test_scopes);
  g_test_add_func ("/core/kiosk/pin/pbkdf2", test_pin_pbkdf2);
  g_test_add_func ("/core/kiosk/pin/valid", test_pin_valid);
  g_test_add_func ("/core/kiosk/pin/hash", test_pin_hash);
  g_test_add ("/core/kiosk/throttle/employee", Fixture, NULL, fixture_set_up, test_throttle_employee,
              fixture_tear_down);
  g_test_add ("/core/kiosk/throttle/clock", Fixture, NULL, fixture_set_up, test_throttle_clock,
              fixture_tear_down);
  g_test_add ("/core/kiosk/throttle/device", Fixture, NULL, fixture_set_up, test_throttle_device,
              fixture_tear_down);
  g_test_add ("/core/kiosk/identify", Fixture, NULL, fixture_set_up, test_identify, fixture_tear_down);
  g_test_add ("/core/kiosk/punch", Fixture, NULL, fixture_set_up, test_punch, fixture_tear_down);
  g_test_add ("/core/kiosk/clock/jump", Fixture, NULL, fixture_set_up, test_clock_jump, fixture_tear_down);
  g_test_add ("/core/kiosk/clock/faketime", Fixture, NULL, fixture_set_up, test_clock_faketime,
              fixture_tear_down);

  return g_test_run ();
}
