/* rota-kiosk.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-kiosk"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rota-kiosk-private.h"
#include "rota-model-private.h"
#include "rota-time.h"

/*
 * What the kiosk keeps in the store's local_state table (never synced):
 *
 *   kiosk.device-seq        the last device sequence number given
 *   kiosk.server-time       "OFFSET_MS REAL_MS MONOTONIC_MS BOOT_ID" of the
 *                           last answer of the server (its Date header)
 *   kiosk.clock-jumped      set when the wall clock jumped while running,
 *                           removed at the next contact with the server
 *   kiosk.pin.employee.ID   "FAILURES REAL_MS MONOTONIC_MS BOOT_ID" of the
 *   kiosk.pin.device        last wrong PIN: of a person, of anyone on this
 *   kiosk.pin.manager       device, and of the manager PIN
 *
 * How long ago a wrong PIN was: on the same boot, by the monotonic clock,
 * which nobody sets; after a reboot, by the wall clock but never more than
 * the time since boot, which the wrong PIN came before. So neither a
 * restart nor setting the clock shortens a wait.
 */

#define KEY_DEVICE_SEQ    "kiosk.device-seq"
#define KEY_SERVER_TIME   "kiosk.server-time"
#define KEY_CLOCK_JUMPED  "kiosk.clock-jumped"
#define KEY_PIN_DEVICE    "kiosk.pin.device"
#define KEY_PIN_MANAGER   "kiosk.pin.manager"
#define KEY_PIN_EMPLOYEE  "kiosk.pin.employee."

#define BOOT_ID_FILE      "/proc/sys/kernel/random/boot_id"
#define STATE_WINDOW      (24 * 60 * 60)
#define CREDENTIALS_MAX   (64 * 1024)
#define PIN_SALT_BYTES    16
#define PIN_HASH_BYTES    32
#define PIN_PREFIX        "pbkdf2-sha256$"

struct _RotaKiosk
{
  GObject     parent_instance;

  RotaStore  *store;
  RotaSync   *sync;
  char       *device;
  char       *source;            /* "kiosk:DEVICE", also the audit actor */
  char       *manager_pin_hash;
  char       *boot_id;

  /* Injected by tests (rota-kiosk-private.h). */
  gboolean    fake_clock;
  gint64      fake_real_us;
  gint64      fake_monotonic_us;

  /* The last contact with the server, as stored. */
  gboolean    has_contact;
  gint64      contact_offset_ms;
  gint64      contact_real_ms;
  gint64      contact_monotonic_ms;
  char       *contact_boot_id;
  gboolean    jumped;

  /* The clocks at the last rota_kiosk_check_clock(). */
  gint64      checked_real_us;
  gint64      checked_monotonic_us;

  gboolean    online;
  gint64      pending;
  gboolean    time_trusted;
};

G_DEFINE_FINAL_TYPE (RotaKiosk, rota_kiosk, G_TYPE_OBJECT)

G_DEFINE_QUARK (rota-kiosk-error-quark, rota_kiosk_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC,
  PROP_DEVICE,
  PROP_MANAGER_PIN_HASH,
  PROP_ONLINE,
  PROP_PENDING,
  PROP_TIME_TRUSTED,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Credentials */

/**
 * rota_kiosk_credentials_free:
 * @credentials: (nullable): credentials
 *
 * Frees @credentials, overwriting the token first.
 */
void
rota_kiosk_credentials_free (RotaKioskCredentials *credentials)
{
  if (credentials == NULL)
    return;

  if (credentials->token != NULL)
    explicit_bzero (credentials->token, strlen (credentials->token));
  g_free (credentials->server);
  g_free (credentials->tenant);
  g_free (credentials->token);
  g_free (credentials->ca_file);
  g_free (credentials->device);
  g_free (credentials->manager_pin_hash);
  g_free (credentials);
}

static gboolean
device_is_valid (const char *device)
{
  gsize len = device != NULL ? strlen (device) : 0;

  if (len == 0 || len > 64)
    return FALSE;
  for (const char *p = device; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.'))
      return FALSE;

  return TRUE;
}

static gboolean parse_pin_hash (const char  *hash,
                                guint       *iterations,
                                GBytes     **salt,
                                GBytes     **digest);

/* Reads the file @fd that lstat() described as @before, all of it. */
static char *
read_credentials (int                 fd,
                  const char         *path,
                  const struct stat  *before,
                  gsize              *length,
                  GError            **error)
{
  g_autoptr(GString) data = g_string_new (NULL);
  struct stat st;
  char buffer[4096];

  /* The file opened must be the file checked, not one swapped in since. */
  if (fstat (fd, &st) != 0 || st.st_dev != before->st_dev || st.st_ino != before->st_ino ||
      !S_ISREG (st.st_mode) || st.st_uid != getuid () || (st.st_mode & 0777) != 0600)
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("The credential file %s changed while it was read; try again"), path);
      return NULL;
    }

  for (;;)
    {
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          explicit_bzero (data->str, data->len);
          g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                       _("The credential file %s cannot be read: %s"), path, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + n > CREDENTIALS_MAX)
        {
          explicit_bzero (data->str, data->len);
          explicit_bzero (buffer, sizeof buffer);
          g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                       _("The credential file %s is too large to be one"), path);
          return NULL;
        }
      g_string_append_len (data, buffer, n);
    }
  explicit_bzero (buffer, sizeof buffer);

  *length = data->len;

  return g_string_free (g_steal_pointer (&data), FALSE);
}

static char *
get_value (GKeyFile    *keyfile,
           const char  *key,
           gboolean     required,
           const char  *path,
           GError     **error)
{
  g_autofree char *value = g_key_file_get_string (keyfile, "kiosk", key, NULL);

  if (value != NULL)
    g_strstrip (value);
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);

  if (value == NULL && required)
    g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                 _("The credential file %s has no %s= in its [kiosk] group"), path, key);

  return g_steal_pointer (&value);
}

/**
 * rota_kiosk_credentials_load:
 * @path: the credential file
 * @error: a location for a #GError
 *
 * Reads the kiosk's credential file (see #RotaKioskCredentials). It must
 * be a regular file, not a symbolic link, owned by the user running
 * this, with mode 0600; otherwise it is refused with
 * %ROTA_KIOSK_ERROR_CREDENTIALS and a message that says what to do.
 *
 * Returns: (transfer full) (nullable): the credentials
 */
RotaKioskCredentials *
rota_kiosk_credentials_load (const char  *path,
                             GError     **error)
{
  g_autoptr(RotaKioskCredentials) credentials = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  struct stat st;
  gsize length = 0;
  gboolean parsed;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (lstat (path, &st) != 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                     _("The credential file %s does not exist"), path);
      else
        g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                     _("The credential file %s cannot be read: %s"), path, g_strerror (saved));
      return NULL;
    }

  if (S_ISLNK (st.st_mode))
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("The credential file %s is a symbolic link; name the file itself"), path);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("The credential file %s is not a regular file"), path);
      return NULL;
    }
  if (st.st_uid != getuid ())
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("The credential file %s belongs to user %u, not to the user running the kiosk (%u); "
                     "give it to that user: chown %u %s"),
                   path, (guint) st.st_uid, (guint) getuid (), (guint) getuid (), path);
      return NULL;
    }
  if ((st.st_mode & 0777) != 0600)
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("The credential file %s has mode %04o, but only its owner may read and write it: "
                     "chmod 600 %s"),
                   path, (guint) (st.st_mode & 0777), path);
      return NULL;
    }

  fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("The credential file %s cannot be read: %s"), path, g_strerror (saved));
      return NULL;
    }
  data = read_credentials (fd, path, &st, &length, error);
  g_close (fd, NULL);
  if (data == NULL)
    return NULL;

  keyfile = g_key_file_new ();
  parsed = g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_NONE, &local_error);
  explicit_bzero (data, length);
  if (!parsed)
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("The credential file %s is not a key file: %s"), path, local_error->message);
      return NULL;
    }
  if (!g_key_file_has_group (keyfile, "kiosk"))
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("The credential file %s has no [kiosk] group"), path);
      return NULL;
    }

  credentials = g_new0 (RotaKioskCredentials, 1);
  if ((credentials->server = get_value (keyfile, "server", TRUE, path, error)) == NULL ||
      (credentials->tenant = get_value (keyfile, "tenant", TRUE, path, error)) == NULL ||
      (credentials->token = get_value (keyfile, "token", TRUE, path, error)) == NULL)
    return NULL;
  credentials->ca_file = get_value (keyfile, "ca", FALSE, path, NULL);
  credentials->device = get_value (keyfile, "device", FALSE, path, NULL);
  credentials->manager_pin_hash = get_value (keyfile, "manager-pin", FALSE, path, NULL);

  if (credentials->device == NULL)
    credentials->device = g_strdup ("kiosk");
  if (!device_is_valid (credentials->device))
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("The device name “%s” in %s is not usable: use up to 64 letters, digits, "
                     "“-”, “_” or “.”"),
                   credentials->device, path);
      return NULL;
    }
  if (credentials->manager_pin_hash != NULL &&
      !parse_pin_hash (credentials->manager_pin_hash, NULL, NULL, NULL))
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("The manager-pin in %s is not a PIN hash; make one with rota_pin_hash()"), path);
      return NULL;
    }

  return g_steal_pointer (&credentials);
}

/**
 * rota_kiosk_credentials_write:
 * @path: where to write
 * @credentials: what to write
 * @error: a location for a #GError
 *
 * Writes a credential file that rota_kiosk_credentials_load() accepts:
 * into a new file of mode 0600 beside @path, synced, then renamed over
 * @path, so that no one ever sees it half written or readable by others.
 *
 * Returns: %TRUE when written
 */
gboolean
rota_kiosk_credentials_write (const char                  *path,
                              const RotaKioskCredentials  *credentials,
                              GError                     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  gsize written = 0;
  int saved = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (credentials != NULL, FALSE);
  g_return_val_if_fail (credentials->server != NULL && credentials->tenant != NULL &&
                        credentials->token != NULL, FALSE);

  g_key_file_set_string (keyfile, "kiosk", "server", credentials->server);
  g_key_file_set_string (keyfile, "kiosk", "tenant", credentials->tenant);
  g_key_file_set_string (keyfile, "kiosk", "token", credentials->token);
  if (credentials->ca_file != NULL)
    g_key_file_set_string (keyfile, "kiosk", "ca", credentials->ca_file);
  if (credentials->device != NULL)
    g_key_file_set_string (keyfile, "kiosk", "device", credentials->device);
  if (credentials->manager_pin_hash != NULL)
    g_key_file_set_string (keyfile, "kiosk", "manager-pin", credentials->manager_pin_hash);
  data = g_key_file_to_data (keyfile, &length, NULL);

  dir = g_path_get_dirname (path);
  tmp = g_build_filename (dir, ".rota-kiosk-XXXXXX", NULL);
  /* mkstemp makes the file 0600 whatever the umask. */
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved = errno;
      explicit_bzero (data, length);
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("Cannot write the credential file %s: %s"), path, g_strerror (saved));
      return FALSE;
    }

  if (fchmod (fd, 0600) != 0)
    saved = errno;
  while (saved == 0 && written < length)
    {
      gssize n = write (fd, data + written, length - written);

      if (n < 0 && errno != EINTR)
        saved = errno;
      else if (n > 0)
        written += n;
    }
  if (saved == 0 && fsync (fd) != 0)
    saved = errno;
  if (close (fd) != 0 && saved == 0)
    saved = errno;
  explicit_bzero (data, length);

  if (saved == 0 && g_rename (tmp, path) != 0)
    saved = errno;
  if (saved != 0)
    {
      g_unlink (tmp);
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_CREDENTIALS,
                   _("Cannot write the credential file %s: %s"), path, g_strerror (saved));
      return FALSE;
    }

  /* The rename is durable once the directory is synced. */
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }

  return TRUE;
}

/**
 * rota_kiosk_check_scopes:
 * @scopes: (nullable) (array zero-terminated=1): the token's scopes by whoami
 * @error: a location for a #GError
 *
 * The kiosk runs only with a token that may clock in and out and do
 * nothing else (DESIGN §5): its scopes must be exactly "clock".
 *
 * Returns: %TRUE when they are; otherwise %ROTA_KIOSK_ERROR_SCOPE
 */
gboolean
rota_kiosk_check_scopes (const char * const  *scopes,
                         GError             **error)
{
  g_autofree char *list = NULL;
  gboolean clock = FALSE;
  gboolean other = FALSE;

  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    {
      if (g_str_equal (scopes[i], "clock"))
        clock = TRUE;
      else
        other = TRUE;
    }

  if (clock && !other)
    return TRUE;

  if (scopes == NULL || scopes[0] == NULL)
    {
      g_set_error_literal (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_SCOPE,
                           _("The server names no scopes for this token, so the kiosk does not start; "
                             "make a token with only the clock scope for it"));
      return FALSE;
    }

  list = g_strjoinv (" ", (char **) scopes);
  g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_SCOPE,
               _("The kiosk does not start with a token that may do more than clock in and out "
                 "(it has: %s); make a token with only the clock scope for it, such as "
                 "“rota-server token add TENANT NAME --scopes clock”"),
               list);
  return FALSE;
}

/* PINs */

/**
 * rota_pin_is_valid:
 * @pin: (nullable): a PIN
 *
 * Returns: %TRUE when @pin is 4 to 8 ASCII digits
 */
gboolean
rota_pin_is_valid (const char *pin)
{
  gsize len = 0;

  if (pin == NULL)
    return FALSE;

  for (const char *p = pin; *p != '\0'; p++, len++)
    if (!g_ascii_isdigit (*p) || len >= 8)
      return FALSE;

  return len >= 4;
}

/* PBKDF2 (RFC 8018) with HMAC-SHA256, one block: 32 bytes out. */
void
_rota_pbkdf2_sha256 (const char   *password,
                     gsize         password_len,
                     const guchar *salt,
                     gsize         salt_len,
                     guint         iterations,
                     guchar        out[32])
{
  static const guchar block_one[4] = { 0, 0, 0, 1 };
  GHmac *keyed = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) password, password_len);
  guchar u[PIN_HASH_BYTES];
  GHmac *hmac;
  gsize len = sizeof u;

  g_assert (iterations > 0);

  hmac = g_hmac_copy (keyed);
  g_hmac_update (hmac, salt, salt_len);
  g_hmac_update (hmac, block_one, sizeof block_one);
  g_hmac_get_digest (hmac, u, &len);
  g_hmac_unref (hmac);
  memcpy (out, u, sizeof u);

  for (guint i = 1; i < iterations; i++)
    {
      hmac = g_hmac_copy (keyed);
      g_hmac_update (hmac, u, sizeof u);
      len = sizeof u;
      g_hmac_get_digest (hmac, u, &len);
      g_hmac_unref (hmac);

      for (guint j = 0; j < sizeof u; j++)
        out[j] ^= u[j];
    }

  explicit_bzero (u, sizeof u);
  g_hmac_unref (keyed);
}

/* Strict base64: decodes to at least one byte and encodes back to the
 * same text (g_base64_decode() skips what it does not know). */
static GBytes *
decode_base64 (const char *text,
               gsize       text_len)
{
  g_autofree char *copy = g_strndup (text, text_len);
  g_autofree guchar *data = NULL;
  g_autofree char *again = NULL;
  gsize len = 0;

  if (text_len == 0 || text_len % 4 != 0)
    return NULL;
  for (gsize i = 0; i < text_len; i++)
    if (!(g_ascii_isalnum (copy[i]) || copy[i] == '+' || copy[i] == '/' || copy[i] == '='))
      return NULL;

  data = g_base64_decode (copy, &len);
  if (len == 0)
    return NULL;
  again = g_base64_encode (data, len);
  if (!g_str_equal (again, copy))
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&data), len);
}

static gboolean
parse_pin_hash (const char  *hash,
                guint       *iterations,
                GBytes     **salt,
                GBytes     **digest)
{
  g_autoptr(GBytes) salt_bytes = NULL;
  g_autoptr(GBytes) digest_bytes = NULL;
  g_autofree char *count = NULL;
  const char *p;
  const char *end;
  guint64 n = 0;

  if (hash == NULL || !g_str_has_prefix (hash, PIN_PREFIX))
    return FALSE;

  p = hash + strlen (PIN_PREFIX);
  end = strchr (p, '$');
  if (end == NULL)
    return FALSE;
  count = g_strndup (p, end - p);
  if (*count == '0' ||
      !g_ascii_string_to_unsigned (count, 10, 1, ROTA_PIN_MAX_ITERATIONS, &n, NULL))
    return FALSE;

  p = end + 1;
  end = strchr (p, '$');
  if (end == NULL || (salt_bytes = decode_base64 (p, end - p)) == NULL ||
      g_bytes_get_size (salt_bytes) < 8 || g_bytes_get_size (salt_bytes) > 64)
    return FALSE;

  p = end + 1;
  if ((digest_bytes = decode_base64 (p, strlen (p))) == NULL ||
      g_bytes_get_size (digest_bytes) != PIN_HASH_BYTES)
    return FALSE;

  if (iterations != NULL)
    *iterations = (guint) n;
  if (salt != NULL)
    *salt = g_steal_pointer (&salt_bytes);
  if (digest != NULL)
    *digest = g_steal_pointer (&digest_bytes);

  return TRUE;
}

static void
random_bytes (guchar *buffer,
              gsize   len)
{
  gsize got = 0;

  while (got < len)
    {
      gssize n = getrandom (buffer + got, len - got, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        g_error ("No random numbers from the kernel: %s", g_strerror (errno));
      got += n;
    }
}

/**
 * rota_pin_hash:
 * @pin: a valid PIN (rota_pin_is_valid())
 * @iterations: PBKDF2 iterations, up to %ROTA_PIN_MAX_ITERATIONS; 0 for
 *   %ROTA_PIN_DEFAULT_ITERATIONS
 *
 * Returns: (transfer full): "pbkdf2-sha256$ITERATIONS$SALT$HASH" with a
 *   new random salt
 */
char *
rota_pin_hash (const char *pin,
               guint       iterations)
{
  guchar salt[PIN_SALT_BYTES];
  guchar digest[PIN_HASH_BYTES];
  g_autofree char *salt_text = NULL;
  g_autofree char *digest_text = NULL;

  g_return_val_if_fail (rota_pin_is_valid (pin), NULL);
  g_return_val_if_fail (iterations <= ROTA_PIN_MAX_ITERATIONS, NULL);

  if (iterations == 0)
    iterations = ROTA_PIN_DEFAULT_ITERATIONS;

  random_bytes (salt, sizeof salt);
  _rota_pbkdf2_sha256 (pin, strlen (pin), salt, sizeof salt, iterations, digest);
  salt_text = g_base64_encode (salt, sizeof salt);
  digest_text = g_base64_encode (digest, sizeof digest);
  explicit_bzero (digest, sizeof digest);

  return g_strdup_printf (PIN_PREFIX "%u$%s$%s", iterations, salt_text, digest_text);
}

/**
 * rota_pin_verify:
 * @pin: (nullable): what was typed
 * @hash: (nullable): a hash from rota_pin_hash()
 *
 * Compares in constant time. A malformed hash matches nothing.
 *
 * Returns: %TRUE when @pin is the PIN @hash was made of
 */
gboolean
rota_pin_verify (const char *pin,
                 const char *hash)
{
  g_autoptr(GBytes) salt = NULL;
  g_autoptr(GBytes) digest = NULL;
  guchar computed[PIN_HASH_BYTES];
  const guchar *expected;
  guint iterations = 0;
  guchar diff = 0;

  if (!rota_pin_is_valid (pin) || !parse_pin_hash (hash, &iterations, &salt, &digest))
    return FALSE;

  _rota_pbkdf2_sha256 (pin, strlen (pin), g_bytes_get_data (salt, NULL), g_bytes_get_size (salt),
                       iterations, computed);
  expected = g_bytes_get_data (digest, NULL);
  for (guint i = 0; i < PIN_HASH_BYTES; i++)
    diff |= computed[i] ^ expected[i];
  explicit_bzero (computed, sizeof computed);

  return diff == 0;
}

/* Clocks */

static gint64
real_us (RotaKiosk *self)
{
  return self->fake_clock ? self->fake_real_us : g_get_real_time ();
}

static gint64
monotonic_us (RotaKiosk *self)
{
  return self->fake_clock ? self->fake_monotonic_us : g_get_monotonic_time ();
}

static char *
read_boot_id (void)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (BOOT_ID_FILE, &contents, NULL, NULL))
    return g_strdup ("unknown");

  return g_strdup (g_strstrip (contents));
}

static void
load_server_time (RotaKiosk *self)
{
  g_autofree char *value = rota_store_get_local (self->store, KEY_SERVER_TIME, NULL);
  g_autofree char *jumped = rota_store_get_local (self->store, KEY_CLOCK_JUMPED, NULL);
  g_auto(GStrv) parts = value != NULL ? g_strsplit (value, " ", 4) : NULL;

  self->has_contact = parts != NULL && g_strv_length (parts) == 4;
  if (self->has_contact)
    {
      self->contact_offset_ms = g_ascii_strtoll (parts[0], NULL, 10);
      self->contact_real_ms = g_ascii_strtoll (parts[1], NULL, 10);
      self->contact_monotonic_ms = g_ascii_strtoll (parts[2], NULL, 10);
      g_free (self->contact_boot_id);
      self->contact_boot_id = g_strdup (parts[3]);
    }
  self->jumped = jumped != NULL;
}

/* Time is trusted after a contact with the server on this boot, when the
 * wall clock has since moved as the monotonic clock did and no jump was
 * seen while running. */
static gboolean
compute_time_trusted (RotaKiosk *self)
{
  gint64 drift;

  if (!self->has_contact || self->jumped || g_strcmp0 (self->contact_boot_id, self->boot_id) != 0)
    return FALSE;

  drift = (real_us (self) / 1000 - self->contact_real_ms) -
          (monotonic_us (self) / 1000 - self->contact_monotonic_ms);

  return ABS (drift) < ROTA_KIOSK_CLOCK_TOLERANCE_MS;
}

static void
update_time_trusted (RotaKiosk *self)
{
  gboolean trusted = compute_time_trusted (self);

  if (trusted != self->time_trusted)
    {
      self->time_trusted = trusted;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_TRUSTED]);
    }
}

static void
update_pending (RotaKiosk *self)
{
  gint64 pending = rota_store_count_outbox_kind (self->store, "punch", NULL);

  if (pending >= 0 && pending != self->pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
}

static void
update_online (RotaKiosk *self)
{
  gboolean online = FALSE;

  if (self->sync != NULL)
    {
      RotaSyncState state = rota_sync_get_state (self->sync);

      /* A sync under way (the client may be retrying a server that is
       * gone) says nothing yet: what the last one found stands. */
      if (state == ROTA_SYNC_STATE_SYNCING)
        return;

      online = state == ROTA_SYNC_STATE_IDLE &&
               rota_client_get_server_time (rota_sync_get_client (self->sync), NULL, NULL, NULL);
    }

  if (online != self->online)
    {
      self->online = online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
}

gboolean
_rota_kiosk_record_server_time (RotaKiosk  *self,
                                gint64      offset_ms,
                                gint64      real,
                                gint64      monotonic,
                                GError    **error)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), FALSE);

  value = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s",
                           offset_ms, real / 1000, monotonic / 1000, self->boot_id);

  if (!rota_store_begin (self->store, error))
    return FALSE;
  if (!rota_store_set_local (self->store, KEY_SERVER_TIME, value, error) ||
      !rota_store_set_local (self->store, KEY_CLOCK_JUMPED, NULL, error))
    {
      rota_store_rollback (self->store);
      return FALSE;
    }
  if (!rota_store_commit (self->store, error))
    return FALSE;

  load_server_time (self);
  update_time_trusted (self);

  return TRUE;
}

/* Callbacks */

static void
sync_server_reached_cb (RotaKiosk *self,
                        RotaSync  *sync)
{
  g_autoptr(GError) error = NULL;
  gint64 offset_ms = 0;
  gint64 real = 0;
  gint64 monotonic = 0;

  if (rota_client_get_server_time (rota_sync_get_client (sync), &offset_ms, &real, &monotonic) &&
      !_rota_kiosk_record_server_time (self, offset_ms, real, monotonic, &error))
    g_warning ("Cannot record the server's time: %s", error->message);

  update_online (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
sync_state_cb (RotaKiosk  *self,
               GParamSpec *pspec,
               RotaSync   *sync)
{
  update_online (self);
}

static void
sync_finished_cb (RotaKiosk *self,
                  RotaSync  *sync)
{
  update_online (self);
  update_pending (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Object */

static void
rota_kiosk_constructed (GObject *object)
{
  RotaKiosk *self = ROTA_KIOSK (object);

  G_OBJECT_CLASS (rota_kiosk_parent_class)->constructed (object);

  g_assert (ROTA_IS_STORE (self->store));

  if (self->device == NULL)
    self->device = g_strdup ("kiosk");
  self->source = g_strconcat ("kiosk:", self->device, NULL);
  self->boot_id = read_boot_id ();
  self->checked_real_us = real_us (self);
  self->checked_monotonic_us = monotonic_us (self);

  load_server_time (self);
  self->time_trusted = compute_time_trusted (self);
  self->pending = MAX (0, rota_store_count_outbox_kind (self->store, "punch", NULL));

  if (self->sync != NULL)
    {
      g_signal_connect_object (self->sync, "server-reached", G_CALLBACK (sync_server_reached_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->sync, "notify::state", G_CALLBACK (sync_state_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->sync, "finished", G_CALLBACK (sync_finished_cb),
                               self, G_CONNECT_SWAPPED);
      self->online = FALSE;
      update_online (self);
    }
}

static void
rota_kiosk_dispose (GObject *object)
{
  RotaKiosk *self = ROTA_KIOSK (object);

  g_clear_object (&self->sync);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rota_kiosk_parent_class)->dispose (object);
}

static void
rota_kiosk_finalize (GObject *object)
{
  RotaKiosk *self = ROTA_KIOSK (object);

  g_free (self->device);
  g_free (self->source);
  g_free (self->manager_pin_hash);
  g_free (self->boot_id);
  g_free (self->contact_boot_id);

  G_OBJECT_CLASS (rota_kiosk_parent_class)->finalize (object);
}

static void
rota_kiosk_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RotaKiosk *self = ROTA_KIOSK (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;

    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;

    case PROP_MANAGER_PIN_HASH:
      g_value_set_string (value, self->manager_pin_hash);
      break;

    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;

    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;

    case PROP_TIME_TRUSTED:
      g_value_set_boolean (value, self->time_trusted);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_kiosk_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RotaKiosk *self = ROTA_KIOSK (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SYNC:
      self->sync = g_value_dup_object (value);
      break;

    case PROP_DEVICE:
      self->device = g_value_dup_string (value);
      break;

    case PROP_MANAGER_PIN_HASH:
      self->manager_pin_hash = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_kiosk_class_init (RotaKioskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rota_kiosk_constructed;
  object_class->dispose = rota_kiosk_dispose;
  object_class->finalize = rota_kiosk_finalize;
  object_class->get_property = rota_kiosk_get_property;
  object_class->set_property = rota_kiosk_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, ROTA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, ROTA_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MANAGER_PIN_HASH] =
    g_param_spec_string ("manager-pin-hash", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_TRUSTED] =
    g_param_spec_boolean ("time-trusted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RotaKiosk::changed:
   *
   * After a punch, a sync or an unlock: whatever a screen shows may be
   * out of date.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rota_kiosk_init (RotaKiosk *self)
{
}

/* Test hooks */

void
_rota_kiosk_set_clock (RotaKiosk *self,
                       gint64     real,
                       gint64     monotonic)
{
  g_return_if_fail (ROTA_IS_KIOSK (self));

  if (!self->fake_clock)
    {
      self->checked_real_us = real;
      self->checked_monotonic_us = monotonic;
    }
  self->fake_clock = TRUE;
  self->fake_real_us = real;
  self->fake_monotonic_us = monotonic;
}

void
_rota_kiosk_set_boot_id (RotaKiosk  *self,
                         const char *boot_id)
{
  g_return_if_fail (ROTA_IS_KIOSK (self));
  g_return_if_fail (boot_id != NULL);

  g_free (self->boot_id);
  self->boot_id = g_strdup (boot_id);
  update_time_trusted (self);
}

/* Public API */

/**
 * rota_kiosk_new:
 * @store: the account's cache
 * @sync: (nullable): the account's sync engine
 * @device: (nullable): the device's name, for the punches' source
 *   "kiosk:DEVICE"; "kiosk" when %NULL
 * @manager_pin_hash: (nullable): the manager PIN's hash; without it
 *   nothing can be unlocked here
 *
 * Returns: (transfer full): a kiosk
 */
RotaKiosk *
rota_kiosk_new (RotaStore  *store,
                RotaSync   *sync,
                const char *device,
                const char *manager_pin_hash)
{
  g_return_val_if_fail (ROTA_IS_STORE (store), NULL);
  g_return_val_if_fail (sync == NULL || ROTA_IS_SYNC (sync), NULL);
  g_return_val_if_fail (device == NULL || device_is_valid (device), NULL);

  return g_object_new (ROTA_TYPE_KIOSK,
                       "store", store,
                       "sync", sync,
                       "device", device,
                       "manager-pin-hash", manager_pin_hash,
                       NULL);
}

const char *
rota_kiosk_get_device (RotaKiosk *self)
{
  g_return_val_if_fail (ROTA_IS_KIOSK (self), NULL);

  return self->device;
}

/* Whether the last sync reached the server. */
gboolean
rota_kiosk_get_online (RotaKiosk *self)
{
  g_return_val_if_fail (ROTA_IS_KIOSK (self), FALSE);

  return self->online;
}

/* Punches not yet on the server (outbox items of kind punch). */
gint64
rota_kiosk_get_pending (RotaKiosk *self)
{
  g_return_val_if_fail (ROTA_IS_KIOSK (self), 0);

  return self->pending;
}

/* The server's clock minus this machine's, in seconds, by the HTTP Date
 * header of the last contact (kept across restarts); 0 before any. */
gint64
rota_kiosk_get_clock_offset (RotaKiosk *self)
{
  g_return_val_if_fail (ROTA_IS_KIOSK (self), 0);

  if (!self->has_contact)
    return 0;

  return (self->contact_offset_ms + (self->contact_offset_ms < 0 ? -500 : 500)) / 1000;
}

/* The time for a punch, in seconds since the epoch: the wall clock
 * corrected by the server's offset. */
gint64
rota_kiosk_now (RotaKiosk *self)
{
  g_return_val_if_fail (ROTA_IS_KIOSK (self), 0);

  return (real_us (self) / 1000 + (self->has_contact ? self->contact_offset_ms : 0)) / 1000;
}

gboolean
rota_kiosk_get_time_trusted (RotaKiosk *self)
{
  g_return_val_if_fail (ROTA_IS_KIOSK (self), FALSE);

  update_time_trusted (self);

  return self->time_trusted;
}

/**
 * rota_kiosk_check_clock:
 * @self: a kiosk
 *
 * Compares how far the wall clock and the monotonic clock moved since
 * the last check (or since the kiosk started). When they differ by more
 * than two minutes, the wall clock jumped: that is written to the audit
 * trail once, with its size, and the time is untrusted until the server
 * is reached again. The window calls this every few seconds; a punch
 * calls it first.
 *
 * A suspended machine looks the same (the monotonic clock stops); a
 * kiosk is not suspended.
 *
 * Returns: %TRUE when a jump was found
 */
gboolean
rota_kiosk_check_clock (RotaKiosk *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *size = NULL;
  gint64 real;
  gint64 monotonic;
  gint64 jump_ms;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), FALSE);

  real = real_us (self);
  monotonic = monotonic_us (self);
  jump_ms = ((real - self->checked_real_us) - (monotonic - self->checked_monotonic_us)) / 1000;
  self->checked_real_us = real;
  self->checked_monotonic_us = monotonic;

  if (ABS (jump_ms) <= ROTA_KIOSK_CLOCK_TOLERANCE_MS)
    {
      update_time_trusted (self);
      return FALSE;
    }

  size = g_strdup_printf ("%+" G_GINT64_FORMAT, jump_ms / 1000);
  details = g_strdup_printf ("{\"jump_ms\":%" G_GINT64_FORMAT ",\"boot_id\":\"%s\","
                             "\"monotonic_ms\":%" G_GINT64_FORMAT "}",
                             jump_ms, self->boot_id, monotonic / 1000);
  /* The audit trail is read by people of either language later; like the
   * other audit reasons, it is written in English. */
  reason = g_strdup_printf ("The wall clock jumped %s s against the monotonic clock", size);

  self->jumped = TRUE;
  if (rota_store_begin (self->store, &error))
    {
      if (rota_store_record_event (self->store, self->source, "device", self->device, "clock_jump",
                                   details, reason, &error) &&
          rota_store_set_local (self->store, KEY_CLOCK_JUMPED, size, &error))
        rota_store_commit (self->store, &error);
      else
        rota_store_rollback (self->store);
    }
  if (error != NULL)
    g_warning ("Cannot record a clock jump of %s s: %s", size, error->message);

  update_time_trusted (self);
  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

/* Identifying */

static gboolean
employed (RotaKiosk    *self,
          RotaEmployee *employee)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (rota_kiosk_now (self));
  g_autofree char *today = now != NULL ? g_date_time_format (now, "%Y-%m-%d") : NULL;

  return employee->employment_end == NULL || today == NULL ||
         strcmp (employee->employment_end, today) >= 0;
}

/**
 * rota_kiosk_find_badge:
 * @self: a kiosk
 * @badge: what the reader typed
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): the employee with that card
 *   number, or %NULL with %ROTA_KIOSK_ERROR_UNKNOWN_BADGE
 */
RotaEmployee *
rota_kiosk_find_badge (RotaKiosk   *self,
                       const char  *badge,
                       GError     **error)
{
  g_autoptr(GPtrArray) employees = NULL;
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), NULL);
  g_return_val_if_fail (badge != NULL, NULL);

  wanted = g_strstrip (g_strdup (badge));
  if (*wanted != '\0')
    {
      employees = rota_store_list_entities (self->store, ROTA_TYPE_EMPLOYEE, error);
      if (employees == NULL)
        return NULL;

      for (guint i = 0; i < employees->len; i++)
        {
          RotaEmployee *employee = g_ptr_array_index (employees, i);

          /* Readers differ in the case they type a hexadecimal number in. */
          for (guint c = 0; employee->card_numbers != NULL && employee->card_numbers[c] != NULL; c++)
            if (g_ascii_strcasecmp (employee->card_numbers[c], wanted) == 0 && employed (self, employee))
              return g_object_ref (employee);
        }
    }

  g_set_error_literal (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_UNKNOWN_BADGE,
                       _("This badge is not known here. Ask a manager, or pick your name."));
  return NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  RotaEmployee *x = *(RotaEmployee **) a;
  RotaEmployee *y = *(RotaEmployee **) b;
  g_autofree char *x_last = rota_text_fold (x->last_name);
  g_autofree char *y_last = rota_text_fold (y->last_name);
  g_autofree char *x_first = NULL;
  g_autofree char *y_first = NULL;
  int cmp = strcmp (x_last, y_last);

  if (cmp != 0)
    return cmp;
  x_first = rota_text_fold (x->first_name);
  y_first = rota_text_fold (y->first_name);
  cmp = strcmp (x_first, y_first);

  return cmp != 0 ? cmp : g_strcmp0 (x->id, y->id);
}

/**
 * rota_kiosk_search:
 * @self: a kiosk
 * @text: what was typed of a name
 * @max_results: the most to return
 *
 * Finds employees whose name holds every word of @text, ignoring case
 * and accents ("muller" finds Müller), sorted by last and first name.
 * People whose employment has ended are left out; so is everyone when
 * @text has no word.
 *
 * Returns: (transfer full) (element-type RotaEmployee): the employees
 */
GPtrArray *
rota_kiosk_search (RotaKiosk  *self,
                   const char *text,
                   guint       max_results)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  folded = rota_text_fold (text);
  words = g_strsplit_set (g_strstrip (folded), " \t", -1);
  if (words[0] == NULL || *words[0] == '\0')
    return g_steal_pointer (&result);

  employees = rota_store_list_entities (self->store, ROTA_TYPE_EMPLOYEE, &error);
  if (employees == NULL)
    {
      g_warning ("Cannot list the employees: %s", error->message);
      return g_steal_pointer (&result);
    }

  for (guint i = 0; i < employees->len; i++)
    {
      RotaEmployee *employee = g_ptr_array_index (employees, i);
      g_autofree char *name = rota_employee_dup_name (employee);
      g_autofree char *haystack = rota_text_fold (name);
      gboolean match = TRUE;

      for (guint w = 0; match && words[w] != NULL; w++)
        match = *words[w] == '\0' || strstr (haystack, words[w]) != NULL;

      if (match && employed (self, employee))
        g_ptr_array_add (result, g_object_ref (employee));
    }

  g_ptr_array_sort (result, compare_names);
  if (result->len > max_results)
    g_ptr_array_set_size (result, max_results);

  return g_steal_pointer (&result);
}

/* Throttling */

typedef struct
{
  gint64 failures;
  gint64 real_ms;
  gint64 monotonic_ms;
  char   boot_id[64];
} Attempts;

gint64
_rota_kiosk_delay_ms (gint64 failures,
                      gint64 free_failures)
{
  gint64 doublings;

  if (failures <= free_failures)
    return 0;

  /* 1 s, 2 s, 4 s, … up to five minutes. */
  doublings = failures - free_failures - 1;
  if (doublings >= 20)
    return ROTA_KIOSK_MAX_DELAY_MS;

  return MIN ((gint64) 1000 << doublings, ROTA_KIOSK_MAX_DELAY_MS);
}

static char *
employee_key (const char *employee_id)
{
  return g_strconcat (KEY_PIN_EMPLOYEE, employee_id, NULL);
}

static Attempts
load_attempts (RotaKiosk  *self,
               const char *key)
{
  g_autofree char *value = rota_store_get_local (self->store, key, NULL);
  g_auto(GStrv) parts = value != NULL ? g_strsplit (value, " ", 4) : NULL;
  Attempts attempts = { 0, 0, 0, "" };

  if (parts != NULL && g_strv_length (parts) == 4)
    {
      attempts.failures = MAX (0, g_ascii_strtoll (parts[0], NULL, 10));
      attempts.real_ms = g_ascii_strtoll (parts[1], NULL, 10);
      attempts.monotonic_ms = g_ascii_strtoll (parts[2], NULL, 10);
      g_strlcpy (attempts.boot_id, parts[3], sizeof attempts.boot_id);
    }

  return attempts;
}

static gboolean
save_attempts (RotaKiosk       *self,
               const char      *key,
               const Attempts  *attempts,
               GError         **error)
{
  g_autofree char *value = NULL;

  if (attempts->failures == 0)
    return rota_store_set_local (self->store, key, NULL, error);

  value = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s",
                           attempts->failures, attempts->real_ms, attempts->monotonic_ms,
                           attempts->boot_id);

  return rota_store_set_local (self->store, key, value, error);
}

/* How long ago the last failure was, as a lower bound (see the top). */
static gint64
since_last_ms (RotaKiosk      *self,
               const Attempts *attempts)
{
  gint64 monotonic_ms = monotonic_us (self) / 1000;

  if (attempts->failures == 0)
    return G_MAXINT64;
  if (g_str_equal (attempts->boot_id, self->boot_id))
    return MAX (0, monotonic_ms - attempts->monotonic_ms);

  return MAX (0, MIN (real_us (self) / 1000 - attempts->real_ms, monotonic_ms));
}

static gint64
remaining_ms (RotaKiosk      *self,
              const Attempts *attempts,
              gint64          free_failures)
{
  gint64 delay = _rota_kiosk_delay_ms (attempts->failures, free_failures);

  if (delay == 0)
    return 0;

  return MAX (0, delay - since_last_ms (self, attempts));
}

/* The device's count, forgotten after a quiet quarter of an hour. */
static Attempts
load_device_attempts (RotaKiosk *self)
{
  Attempts attempts = load_attempts (self, KEY_PIN_DEVICE);

  if (attempts.failures > 0 && since_last_ms (self, &attempts) >= ROTA_KIOSK_DEVICE_FORGET_MS)
    attempts.failures = 0;

  return attempts;
}

static void
stamp (RotaKiosk *self,
       Attempts  *attempts)
{
  attempts->failures++;
  attempts->real_ms = real_us (self) / 1000;
  attempts->monotonic_ms = monotonic_us (self) / 1000;
  g_strlcpy (attempts->boot_id, self->boot_id, sizeof attempts->boot_id);
}

static void
set_throttled (GError **error,
               gint64   wait_ms)
{
  gint64 seconds = (wait_ms + 999) / 1000;

  g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_THROTTLED,
               g_dngettext (GETTEXT_PACKAGE, "Too many wrong PINs. Try again in %d second.",
                            "Too many wrong PINs. Try again in %d seconds.", (gulong) seconds),
               (int) seconds);
}

static void
set_locked_out (GError **error)
{
  g_set_error_literal (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_LOCKED_OUT,
                       _("Your PIN is locked after too many wrong tries. Ask a manager to unlock it."));
}

/**
 * rota_kiosk_get_pin_delay:
 * @self: a kiosk
 * @employee_id: an employee
 *
 * Returns: the milliseconds before @employee_id may try a PIN (the
 *   longer of their own wait and the device's); -1 when locked out
 */
gint64
rota_kiosk_get_pin_delay (RotaKiosk  *self,
                          const char *employee_id)
{
  g_autofree char *key = NULL;
  Attempts person;
  Attempts device;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), 0);
  g_return_val_if_fail (employee_id != NULL, 0);

  key = employee_key (employee_id);
  person = load_attempts (self, key);
  if (person.failures >= ROTA_KIOSK_MAX_FAILURES)
    return -1;
  device = load_device_attempts (self);

  return MAX (remaining_ms (self, &person, ROTA_KIOSK_FREE_FAILURES),
              remaining_ms (self, &device, ROTA_KIOSK_DEVICE_FREE_FAILURES));
}

gboolean
rota_kiosk_get_locked_out (RotaKiosk  *self,
                           const char *employee_id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), FALSE);
  g_return_val_if_fail (employee_id != NULL, FALSE);

  key = employee_key (employee_id);

  return load_attempts (self, key).failures >= ROTA_KIOSK_MAX_FAILURES;
}

/**
 * rota_kiosk_check_pin:
 * @self: a kiosk
 * @employee: who is trying
 * @pin: what they typed
 * @retry_in_ms: (out) (optional): how long the next try must wait; -1
 *   when locked out
 * @error: a location for a #GError
 *
 * Checks a PIN, unless the person or the device must wait
 * (%ROTA_KIOSK_ERROR_THROTTLED) or the person is locked out
 * (%ROTA_KIOSK_ERROR_LOCKED_OUT): then not even a right PIN passes. A
 * wrong PIN is counted, on disk, before this returns.
 *
 * Returns: %TRUE when the PIN is right
 */
gboolean
rota_kiosk_check_pin (RotaKiosk     *self,
                      RotaEmployee  *employee,
                      const char    *pin,
                      gint64        *retry_in_ms,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = NULL;
  const char *hash;
  Attempts person;
  Attempts device;
  gint64 wait;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), FALSE);
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (employee), FALSE);

  if (retry_in_ms != NULL)
    *retry_in_ms = 0;

  key = employee_key (employee->id);
  person = load_attempts (self, key);
  if (person.failures >= ROTA_KIOSK_MAX_FAILURES)
    {
      if (retry_in_ms != NULL)
        *retry_in_ms = -1;
      set_locked_out (error);
      return FALSE;
    }

  device = load_device_attempts (self);
  wait = MAX (remaining_ms (self, &person, ROTA_KIOSK_FREE_FAILURES),
              remaining_ms (self, &device, ROTA_KIOSK_DEVICE_FREE_FAILURES));
  if (wait > 0)
    {
      if (retry_in_ms != NULL)
        *retry_in_ms = wait;
      set_throttled (error, wait);
      return FALSE;
    }

  hash = employee->kiosk_pin_hash;
  if (hash == NULL || !parse_pin_hash (hash, NULL, NULL, NULL))
    {
      g_set_error_literal (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_NO_PIN,
                           _("You have no PIN yet. Use your badge, or ask a manager to set a PIN."));
      return FALSE;
    }

  if (rota_pin_verify (pin, hash))
    {
      if (person.failures > 0)
        {
          person.failures = 0;
          if (!save_attempts (self, key, &person, &local_error))
            g_warning ("Cannot reset the wrong PINs of %s: %s", employee->id, local_error->message);
        }
      return TRUE;
    }

  /* Counted on disk before the answer, so a kill right after it does not
   * forget the try. */
  stamp (self, &person);
  stamp (self, &device);
  if (!rota_store_begin (self->store, &local_error) ||
      !save_attempts (self, key, &person, &local_error) ||
      !save_attempts (self, KEY_PIN_DEVICE, &device, &local_error) ||
      !rota_store_commit (self->store, &local_error))
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_FAILED,
                   _("The PIN could not be checked: %s"), local_error->message);
      return FALSE;
    }

  if (person.failures >= ROTA_KIOSK_MAX_FAILURES)
    {
      if (retry_in_ms != NULL)
        *retry_in_ms = -1;
      set_locked_out (error);
      return FALSE;
    }

  if (retry_in_ms != NULL)
    *retry_in_ms = MAX (_rota_kiosk_delay_ms (person.failures, ROTA_KIOSK_FREE_FAILURES),
                        _rota_kiosk_delay_ms (device.failures, ROTA_KIOSK_DEVICE_FREE_FAILURES));
  g_set_error_literal (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_WRONG_PIN,
                       _("That PIN is not right. Try again."));
  return FALSE;
}

/**
 * rota_kiosk_check_manager_pin:
 * @self: a kiosk
 * @pin: what was typed
 * @retry_in_ms: (out) (optional): how long the next try must wait
 * @error: a location for a #GError
 *
 * Checks the manager PIN of the credential file. Wrong tries are
 * throttled as a person's are, on a count of their own, but never locked
 * out: that would leave the kiosk with no way to be left.
 *
 * Returns: %TRUE when the PIN is the manager's
 */
gboolean
rota_kiosk_check_manager_pin (RotaKiosk   *self,
                              const char  *pin,
                              gint64      *retry_in_ms,
                              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  Attempts attempts;
  gint64 wait;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), FALSE);

  if (retry_in_ms != NULL)
    *retry_in_ms = 0;

  if (self->manager_pin_hash == NULL)
    {
      g_set_error_literal (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_NO_PIN,
                           _("This kiosk has no manager PIN (manager-pin in its credential file)."));
      return FALSE;
    }

  attempts = load_attempts (self, KEY_PIN_MANAGER);
  wait = remaining_ms (self, &attempts, ROTA_KIOSK_FREE_FAILURES);
  if (wait > 0)
    {
      if (retry_in_ms != NULL)
        *retry_in_ms = wait;
      set_throttled (error, wait);
      return FALSE;
    }

  if (rota_pin_verify (pin, self->manager_pin_hash))
    {
      attempts.failures = 0;
      if (!save_attempts (self, KEY_PIN_MANAGER, &attempts, &local_error))
        g_warning ("Cannot reset the wrong manager PINs: %s", local_error->message);
      return TRUE;
    }

  stamp (self, &attempts);
  if (!save_attempts (self, KEY_PIN_MANAGER, &attempts, &local_error))
    {
      g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_FAILED,
                   _("The PIN could not be checked: %s"), local_error->message);
      return FALSE;
    }

  if (retry_in_ms != NULL)
    *retry_in_ms = _rota_kiosk_delay_ms (attempts.failures, ROTA_KIOSK_FREE_FAILURES);
  g_set_error_literal (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_WRONG_PIN,
                       _("That is not the manager PIN."));
  return FALSE;
}

/**
 * rota_kiosk_unlock:
 * @self: a kiosk
 * @employee_id: whose PIN to unlock
 * @manager_pin: the manager PIN
 * @error: a location for a #GError
 *
 * With the manager PIN (rota_kiosk_check_manager_pin(), throttled),
 * forgets the wrong PINs of @employee_id and of the device, and writes
 * an audit row ("pin_unlock") in the same transaction.
 *
 * Returns: %TRUE when unlocked
 */
gboolean
rota_kiosk_unlock (RotaKiosk   *self,
                   const char  *employee_id,
                   const char  *manager_pin,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *details = NULL;
  g_autofree char *reason = NULL;
  Attempts person;
  Attempts none = { 0, 0, 0, "" };

  g_return_val_if_fail (ROTA_IS_KIOSK (self), FALSE);
  g_return_val_if_fail (employee_id != NULL, FALSE);

  if (!rota_kiosk_check_manager_pin (self, manager_pin, NULL, error))
    return FALSE;

  key = employee_key (employee_id);
  person = load_attempts (self, key);
  details = g_strdup_printf ("{\"failures\":%" G_GINT64_FORMAT ",\"device\":\"%s\"}",
                             person.failures, self->device);
  reason = g_strdup_printf ("PIN unlocked with the manager PIN after %" G_GINT64_FORMAT " wrong PINs",
                            person.failures);

  if (!rota_store_begin (self->store, &local_error))
    goto failed;
  if (!save_attempts (self, key, &none, &local_error) ||
      !save_attempts (self, KEY_PIN_DEVICE, &none, &local_error) ||
      !rota_store_record_event (self->store, self->source, "employee", employee_id, "pin_unlock",
                                details, reason, &local_error))
    {
      rota_store_rollback (self->store);
      goto failed;
    }
  if (!rota_store_commit (self->store, &local_error))
    goto failed;

  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;

failed:
  g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_FAILED,
               _("The PIN could not be unlocked: %s"), local_error->message);
  return FALSE;
}

/* Punching */

/* Whether @a came after @b: by the device's sequence when both are this
 * device's (its wall clock may have jumped between them), else by time. */
static gboolean
punch_after (RotaKiosk *self,
             RotaPunch *a,
             RotaPunch *b)
{
  if (g_strcmp0 (a->source, self->source) == 0 && g_strcmp0 (b->source, self->source) == 0)
    return a->device_seq > b->device_seq;
  if (a->at != b->at)
    return a->at > b->at;

  return a->device_seq > b->device_seq;
}

static gboolean
load_window (RotaKiosk   *self,
             const char  *employee_id,
             GPtrArray  **shifts,
             GPtrArray  **punches,
             GError     **error)
{
  gint64 now = rota_kiosk_now (self);

  /* Up to a day ahead too: punches made before the clock was set back. */
  return rota_store_load_employee_week (self->store, employee_id, now - STATE_WINDOW, now + STATE_WINDOW,
                                        shifts, punches, error);
}

static RotaKioskState
state_of (RotaKiosk *self,
          GPtrArray *punches,
          gint64    *since)
{
  RotaPunch *last = NULL;

  for (guint i = 0; i < punches->len; i++)
    {
      RotaPunch *punch = g_ptr_array_index (punches, i);

      if (last == NULL || punch_after (self, punch, last))
        last = punch;
    }

  if (since != NULL)
    *since = last != NULL ? last->at : 0;
  if (last == NULL)
    return ROTA_KIOSK_STATE_OUT;

  switch (last->kind)
    {
    case ROTA_PUNCH_KIND_IN:
    case ROTA_PUNCH_KIND_BREAK_END:
      return ROTA_KIOSK_STATE_IN;

    case ROTA_PUNCH_KIND_BREAK_START:
      return ROTA_KIOSK_STATE_BREAK;

    case ROTA_PUNCH_KIND_OUT:
    case ROTA_PUNCH_KIND_NONE:
    default:
      return ROTA_KIOSK_STATE_OUT;
    }
}

/**
 * rota_kiosk_get_state:
 * @self: a kiosk
 * @employee_id: an employee
 * @since: (out) (optional): when the state began (the last punch), 0
 *   when there is none
 *
 * Whether @employee_id is clocked in, on a break or out, by their last
 * punch of the last day in this store, those not yet sent included.
 *
 * Returns: the state
 */
RotaKioskState
rota_kiosk_get_state (RotaKiosk  *self,
                      const char *employee_id,
                      gint64     *since)
{
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) punches = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), ROTA_KIOSK_STATE_OUT);
  g_return_val_if_fail (employee_id != NULL, ROTA_KIOSK_STATE_OUT);

  if (since != NULL)
    *since = 0;

  if (!load_window (self, employee_id, &shifts, &punches, &error))
    {
      g_warning ("Cannot read the punches of %s: %s", employee_id, error->message);
      return ROTA_KIOSK_STATE_OUT;
    }

  return state_of (self, punches, since);
}

/**
 * rota_kiosk_get_next_shift:
 * @self: a kiosk
 * @employee_id: an employee
 *
 * Returns: (transfer full) (nullable): the published shift of
 *   @employee_id running now, or else the next one starting within a
 *   day; %NULL when there is none
 */
RotaShift *
rota_kiosk_get_next_shift (RotaKiosk  *self,
                           const char *employee_id)
{
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) punches = NULL;
  g_autoptr(GError) error = NULL;
  RotaShift *best = NULL;
  gint64 now;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), NULL);
  g_return_val_if_fail (employee_id != NULL, NULL);

  now = rota_kiosk_now (self);
  if (!load_window (self, employee_id, &shifts, &punches, &error))
    {
      g_warning ("Cannot read the shifts of %s: %s", employee_id, error->message);
      return NULL;
    }

  for (guint i = 0; i < shifts->len; i++)
    {
      RotaShift *shift = g_ptr_array_index (shifts, i);

      if (!shift->published || shift->deleted || g_strcmp0 (shift->employee_id, employee_id) != 0 ||
          shift->end <= now || shift->start >= now + STATE_WINDOW)
        continue;

      /* Ordered by start: the first one left is running or next. */
      if (best == NULL || shift->start < best->start)
        best = shift;
    }

  return best != NULL ? g_object_ref (best) : NULL;
}

static gboolean
check_allowed (RotaKioskState   state,
               RotaPunchKind    kind,
               GError         **error)
{
  const char *message = NULL;

  switch (kind)
    {
    case ROTA_PUNCH_KIND_IN:
      if (state == ROTA_KIOSK_STATE_IN)
        message = _("You are already clocked in.");
      else if (state == ROTA_KIOSK_STATE_BREAK)
        message = _("You are on a break. End your break instead.");
      break;

    case ROTA_PUNCH_KIND_OUT:
      if (state == ROTA_KIOSK_STATE_OUT)
        message = _("You are not clocked in, so you cannot clock out.");
      else if (state == ROTA_KIOSK_STATE_BREAK)
        message = _("You are on a break. End your break before you clock out.");
      break;

    case ROTA_PUNCH_KIND_BREAK_START:
      if (state == ROTA_KIOSK_STATE_OUT)
        message = _("You are not clocked in, so you cannot start a break.");
      else if (state == ROTA_KIOSK_STATE_BREAK)
        message = _("You are already on a break.");
      break;

    case ROTA_PUNCH_KIND_BREAK_END:
      if (state != ROTA_KIOSK_STATE_BREAK)
        message = _("You are not on a break, so you cannot end one.");
      break;

    case ROTA_PUNCH_KIND_NONE:
    default:
      message = _("That is not a punch.");
      break;
    }

  if (message != NULL)
    {
      g_set_error_literal (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_NOT_ALLOWED, message);
      return FALSE;
    }

  return TRUE;
}

/**
 * rota_kiosk_punch:
 * @self: a kiosk
 * @employee: who punches
 * @kind: in, out, break_start or break_end
 * @error: a location for a #GError
 *
 * Records a punch that follows the employee's state
 * (%ROTA_KIOSK_ERROR_NOT_ALLOWED otherwise): at rota_kiosk_now(), with
 * the device's next sequence number, the monotonic clock and the boot
 * id, flagged time_untrusted when the time is not trusted. The punch,
 * its sequence number, its outbox item and its audit row are one
 * transaction; when this returns the punch is on disk.
 *
 * Returns: (transfer full) (nullable): the punch
 */
RotaPunch *
rota_kiosk_punch (RotaKiosk      *self,
                  RotaEmployee   *employee,
                  RotaPunchKind   kind,
                  GError        **error)
{
  g_autoptr(RotaPunch) punch = NULL;
  g_autoptr(RotaOutboxItem) item = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *last_seq = NULL;
  g_autofree char *seq_text = NULL;
  RotaKioskState state;
  gint64 seq;

  g_return_val_if_fail (ROTA_IS_KIOSK (self), NULL);
  g_return_val_if_fail (ROTA_IS_EMPLOYEE (employee), NULL);

  /* A jump since the last check is found before this punch is stamped. */
  rota_kiosk_check_clock (self);

  if (!rota_store_begin (self->store, &local_error))
    goto failed;

  /* The state is read in the transaction that writes, so two punches
   * cannot both follow the same last one. */
  state = rota_kiosk_get_state (self, employee->id, NULL);
  if (!check_allowed (state, kind, error))
    {
      rota_store_rollback (self->store);
      return NULL;
    }

  last_seq = rota_store_get_local (self->store, KEY_DEVICE_SEQ, &local_error);
  if (local_error != NULL)
    {
      rota_store_rollback (self->store);
      goto failed;
    }
  seq = (last_seq != NULL ? g_ascii_strtoll (last_seq, NULL, 10) : 0) + 1;
  seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

  punch = rota_punch_new ();
  punch->id = g_uuid_string_random ();
  punch->employee_id = g_strdup (employee->id);
  punch->kind = kind;
  punch->at = rota_kiosk_now (self);
  punch->source = g_strdup (self->source);
  punch->device_seq = seq;
  punch->device_monotonic_ms = monotonic_us (self) / 1000;
  punch->device_boot_id = g_strdup (self->boot_id);
  punch->time_untrusted = !rota_kiosk_get_time_trusted (self);

  if (!rota_store_set_local (self->store, KEY_DEVICE_SEQ, seq_text, &local_error) ||
      (item = rota_store_record_edit (self->store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch),
                                      self->source, NULL, &local_error)) == NULL)
    {
      rota_store_rollback (self->store);
      goto failed;
    }
  if (!rota_store_commit (self->store, &local_error))
    goto failed;

  update_pending (self);
  g_signal_emit (self, signals[CHANGED], 0);

  return g_steal_pointer (&punch);

failed:
  g_set_error (error, ROTA_KIOSK_ERROR, ROTA_KIOSK_ERROR_FAILED,
               _("The punch was not recorded: %s"), local_error->message);
  return NULL;
}
