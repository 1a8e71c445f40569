/* rota-server-registry.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-server-registry"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rota-server-registry.h"
#include "rota-store-private.h"

/*
 * The registry is the server's one small database of tenants and API
 * tokens, DATA_DIR/registry.sqlite. Each tenant's own data lives in its
 * own file under DATA_DIR/tenants, which this file only names.
 *
 * A token is "rota_" and 32 random bytes in unpadded base64url. Only the
 * SHA-256 of the whole token is stored; a request's token is hashed and
 * looked up by that hash, so no secret is ever compared byte by byte, and
 * the database (or a backup of it) cannot be used to make requests.
 *
 * The HTTP server authenticates from several threads: one connection
 * serves them all, behind a mutex. Nothing is cached: every request reads
 * the row, so a revocation (by this process or by the command line in
 * another) counts from the next request on.
 */

#define REGISTRY_FILE_NAME "registry.sqlite"
#define TENANTS_DIR_NAME   "tenants"

#define TOKEN_PREFIX        "rota_"
#define TOKEN_PREFIX_LEN    5
#define TOKEN_RANDOM_BYTES  32
#define TOKEN_ENCODED_LEN   43   /* 32 bytes in base64url without padding */
#define TOKEN_LEN           (TOKEN_PREFIX_LEN + TOKEN_ENCODED_LEN)

#define SLUG_MIN_LEN   2
#define SLUG_MAX_LEN   63
#define NAME_MAX_CHARS 100

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _RotaServerRegistry
{
  GObject       parent_instance;

  char         *data_dir;
  char         *path;
  sqlite3      *db;
  sqlite3_stmt *authenticate_stmt;
  GMutex        lock;
};

G_DEFINE_FINAL_TYPE (RotaServerRegistry, rota_server_registry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (rota-server-registry-error-quark, rota_server_registry_error)

G_DEFINE_BOXED_TYPE (RotaTokenInfo, rota_token_info, rota_token_info_copy, rota_token_info_free)

static const struct {
  RotaScopes  scope;
  const char *name;
} scope_names[] = {
  { ROTA_SCOPE_PLANNING_READ, "planning:read" },
  { ROTA_SCOPE_PLANNING_WRITE, "planning:write" },
  { ROTA_SCOPE_HOURS_READ, "hours:read" },
  { ROTA_SCOPE_HOURS_WRITE, "hours:write" },
  { ROTA_SCOPE_CLOCK, "clock" },
};

static const char * const reserved_slugs[] = { "api", "admin", "health" };

/**
 * rota_token_info_copy:
 * @info: a token's description
 *
 * Returns: (transfer full): a deep copy of @info
 */
RotaTokenInfo *
rota_token_info_copy (const RotaTokenInfo *info)
{
  RotaTokenInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->token_id = g_strdup (info->token_id);
  copy->tenant = g_strdup (info->tenant);
  copy->name = g_strdup (info->name);
  copy->scopes = g_strdup (info->scopes);

  return copy;
}

void
rota_token_info_free (RotaTokenInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->token_id);
  g_free (info->tenant);
  g_free (info->name);
  g_free (info->scopes);
  g_free (info);
}

/* Errors */

/* The store's helpers report in ROTA_STORE_ERROR; the registry's callers
 * match on ROTA_SERVER_REGISTRY_ERROR only. */
static void
propagate_store_error (GError **error,
                       GError  *store_error)
{
  RotaServerRegistryError code;

  switch (store_error->code)
    {
    case ROTA_STORE_ERROR_PERMISSIONS:
    case ROTA_STORE_ERROR_READ_ONLY:
      code = ROTA_SERVER_REGISTRY_ERROR_PERMISSIONS;
      break;
    case ROTA_STORE_ERROR_NOT_FOUND:
      code = ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND;
      break;
    case ROTA_STORE_ERROR_EXISTS:
      code = ROTA_SERVER_REGISTRY_ERROR_EXISTS;
      break;
    default:
      code = ROTA_SERVER_REGISTRY_ERROR_FAILED;
      break;
    }

  g_set_error_literal (error, ROTA_SERVER_REGISTRY_ERROR, code, store_error->message);
  g_error_free (store_error);
}

static void
set_db_error (GError     **error,
              sqlite3     *db,
              int          rc,
              const char  *what)
{
  GError *store_error = NULL;

  _rota_store_set_error (&store_error, db, rc, what);
  propagate_store_error (error, store_error);
}

static gboolean
run_sql (sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  GError *store_error = NULL;

  if (_rota_store_exec (db, sql, &store_error))
    return TRUE;

  propagate_store_error (error, store_error);
  return FALSE;
}

static gboolean
is_busy (int rc)
{
  return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

/* Some locks are refused at once rather than through the busy handler:
 * changing the journal mode while another process opens the same new
 * file, for one. Such statements are tried again for a while. */
static gboolean
run_sql_retrying (sqlite3     *db,
                  const char  *sql,
                  GError     **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

      if (rc == SQLITE_OK)
        return TRUE;

      if (!is_busy (rc) || attempt >= 500)
        {
          set_db_error (error, db, rc, sql);
          return FALSE;
        }

      g_usleep (20 * 1000);
    }
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  return NULL;
}

static sqlite3_stmt *
prepare (RotaServerRegistry  *self,
         const char          *sql,
         GError             **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, self->db, rc, "Preparing a query of the registry");
      sqlite3_finalize (stmt);
      return NULL;
    }

  return stmt;
}

/* Input that ends up in a message (an unknown scope, say) is shown as
 * at most a few dozen printable characters, so that a message cannot be
 * used to smuggle control characters into a log or a terminal. */
static char *
printable_excerpt (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *excerpt = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == 40)
        {
          g_string_append (excerpt, "…");
          break;
        }

      g_string_append_unichar (excerpt, g_unichar_isprint (c) ? c : 0xfffd);
    }

  return g_string_free (excerpt, FALSE);
}

/* Checks */

static gboolean
slug_is_valid (const char *slug)
{
  gsize len;

  if (slug == NULL)
    return FALSE;

  len = strlen (slug);
  if (len < SLUG_MIN_LEN || len > SLUG_MAX_LEN)
    return FALSE;

  if (!g_ascii_islower (slug[0]) && !g_ascii_isdigit (slug[0]))
    return FALSE;

  for (gsize i = 1; i < len; i++)
    if (!g_ascii_islower (slug[i]) && !g_ascii_isdigit (slug[i]) && slug[i] != '-')
      return FALSE;

  /* These name the server's own routes beside the tenants'. */
  for (guint i = 0; i < G_N_ELEMENTS (reserved_slugs); i++)
    if (g_str_equal (slug, reserved_slugs[i]))
      return FALSE;

  return TRUE;
}

static gboolean
check_slug (const char  *slug,
            GError     **error)
{
  g_autofree char *shown = NULL;

  if (slug_is_valid (slug))
    return TRUE;

  shown = printable_excerpt (slug);
  g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID,
               "“%s” is not a valid tenant name: it must be 2 to 63 characters of a-z, 0-9 "
               "and '-', start with a letter or digit, and not be api, admin or health",
               shown);
  return FALSE;
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  glong n_chars;

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID,
                           "A token's name must be valid UTF-8");
      return FALSE;
    }

  n_chars = g_utf8_strlen (name, -1);
  if (n_chars < 1 || n_chars > NAME_MAX_CHARS)
    {
      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID,
                   "A token's name must be 1 to %d characters long", NAME_MAX_CHARS);
      return FALSE;
    }

  /* The name is shown by whoami and in lists: no control or formatting
   * characters (a right-to-left override could disguise it), no breaks. */
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (!g_unichar_isprint (c) ||
          type == G_UNICODE_LINE_SEPARATOR ||
          type == G_UNICODE_PARAGRAPH_SEPARATOR)
        {
          g_set_error_literal (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID,
                               "A token's name may hold only printable characters");
          return FALSE;
        }
    }

  return TRUE;
}

/* "rota_" and 43 base64url characters; anything else is not looked up. */
static gboolean
secret_is_well_formed (const char *secret)
{
  if (secret == NULL || strnlen (secret, TOKEN_LEN + 1) != TOKEN_LEN ||
      !g_str_has_prefix (secret, TOKEN_PREFIX))
    return FALSE;

  for (guint i = TOKEN_PREFIX_LEN; i < TOKEN_LEN; i++)
    if (!g_ascii_isalnum (secret[i]) && secret[i] != '-' && secret[i] != '_')
      return FALSE;

  return TRUE;
}

/* Randomness and hashes */

static gboolean
fill_random (guint8  *buffer,
             gsize    length,
             GError **error)
{
  gsize done = 0;

  /* getrandom(2) without flags blocks only until the kernel's pool is
   * seeded once. A token made from anything weaker would be guessable,
   * so there is no fallback: without randomness there is no token. */
  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0 && errno == EINTR)
        continue;

      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : EIO;

          explicit_bzero (buffer, length);
          g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED,
                       "The system could not provide random numbers (%s); no token was made",
                       g_strerror (saved_errno));
          return FALSE;
        }

      done += n;
    }

  return TRUE;
}

/* Writes the unpadded base64url form of @length bytes and a NUL to @out,
 * which has room for (length * 4 + 2) / 3 + 1 bytes. */
static void
encode_base64url (const guint8 *data,
                  gsize         length,
                  char         *out)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  gsize i;

  for (i = 0; i + 3 <= length; i += 3)
    {
      guint32 group = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];

      *out++ = alphabet[(group >> 18) & 0x3f];
      *out++ = alphabet[(group >> 12) & 0x3f];
      *out++ = alphabet[(group >> 6) & 0x3f];
      *out++ = alphabet[group & 0x3f];
    }

  if (length - i == 1)
    {
      guint32 group = data[i] << 16;

      *out++ = alphabet[(group >> 18) & 0x3f];
      *out++ = alphabet[(group >> 12) & 0x3f];
    }
  else if (length - i == 2)
    {
      guint32 group = (data[i] << 16) | (data[i + 1] << 8);

      *out++ = alphabet[(group >> 18) & 0x3f];
      *out++ = alphabet[(group >> 12) & 0x3f];
      *out++ = alphabet[(group >> 6) & 0x3f];
    }

  *out = '\0';
}

static char *
make_secret (GError **error)
{
  guint8 random_bytes[TOKEN_RANDOM_BYTES];
  char *secret;

  G_STATIC_ASSERT ((TOKEN_RANDOM_BYTES * 4 + 2) / 3 == TOKEN_ENCODED_LEN);

  if (!fill_random (random_bytes, sizeof random_bytes, error))
    return NULL;

  secret = g_malloc (TOKEN_LEN + 1);
  memcpy (secret, TOKEN_PREFIX, TOKEN_PREFIX_LEN);
  encode_base64url (random_bytes, sizeof random_bytes, secret + TOKEN_PREFIX_LEN);
  explicit_bzero (random_bytes, sizeof random_bytes);

  return secret;
}

static void
secret_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static char *
make_uuid4 (GError **error)
{
  guint8 b[16];

  if (!fill_random (b, sizeof b, error))
    return NULL;

  b[6] = (b[6] & 0x0f) | 0x40;   /* version 4 */
  b[8] = (b[8] & 0x3f) | 0x80;   /* the RFC 4122 variant */

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static char *
hash_secret (const char *secret)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Files and folders */

static gboolean
ensure_private_dir (const char  *dir,
                    gboolean     create,
                    GError     **error)
{
  struct stat st;

  if (create && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *parent = g_path_get_dirname (dir);

      /* Missing parents get the usual mode; only the folder itself is private. */
      if (g_mkdir_with_parents (parent, 0755) != 0 ||
          (g_mkdir (dir, 0700) != 0 && errno != EEXIST))
        {
          int saved_errno = errno;

          g_set_error (error, ROTA_SERVER_REGISTRY_ERROR,
                       saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS ?
                       ROTA_SERVER_REGISTRY_ERROR_PERMISSIONS : ROTA_SERVER_REGISTRY_ERROR_FAILED,
                       "Cannot create the folder %s: %s", dir, g_strerror (saved_errno));
          return FALSE;
        }
    }

  if (g_stat (dir, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR,
                   saved_errno == ENOENT ? ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND :
                   ROTA_SERVER_REGISTRY_ERROR_PERMISSIONS,
                   "The folder %s cannot be used: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED,
                   "%s is not a folder", dir);
      return FALSE;
    }

  /* The server's folders hold every tenant's data: they are ours alone,
   * whoever made them and whatever the umask was. */
  if ((st.st_mode & 077) != 0)
    {
      if (st.st_uid != geteuid () || g_chmod (dir, 0700) != 0)
        {
          g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_PERMISSIONS,
                       "The folder %s can be read by other users and cannot be made private; "
                       "run chmod 700 on it", dir);
          return FALSE;
        }
      g_message ("Made the folder %s private (mode 0700)", dir);
    }

  return TRUE;
}

static void
sync_dir (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

static gboolean
ensure_private_file (const char  *path,
                     gboolean     create,
                     GError     **error)
{
  struct stat st;

  /* Create the file before SQLite does, so that it is 0600 whatever the
   * umask; SQLite gives the -wal and -shm files the same mode. */
  if (create)
    {
      int fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

      if (fd >= 0)
        {
          g_autofree char *dir = g_path_get_dirname (path);

          close (fd);
          sync_dir (dir);
          return TRUE;
        }

      if (errno != EEXIST)
        {
          int saved_errno = errno;

          g_set_error (error, ROTA_SERVER_REGISTRY_ERROR,
                       saved_errno == ENOENT ? ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND :
                       ROTA_SERVER_REGISTRY_ERROR_PERMISSIONS,
                       "Cannot create %s: %s", path, g_strerror (saved_errno));
          return FALSE;
        }
    }

  if (g_lstat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND,
                     "There is no server registry at %s; run rota-server init", path);
      else
        g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_PERMISSIONS,
                     "Cannot open %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED,
                   "%s is not a regular file", path);
      return FALSE;
    }

  if ((st.st_mode & 077) != 0)
    {
      if (st.st_uid != geteuid () || g_chmod (path, 0600) != 0)
        {
          g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_PERMISSIONS,
                       "The registry %s can be read by other users and cannot be made private; "
                       "run chmod 600 on it", path);
          return FALSE;
        }
      g_message ("Made %s private (mode 0600)", path);
    }

  return TRUE;
}

/* The database */

static gboolean
set_and_check_pragma (sqlite3     *db,
                      const char  *set,
                      const char  *get,
                      const char  *expected,
                      GError     **error)
{
  g_autofree char *value = NULL;

  if (!run_sql_retrying (db, set, error))
    return FALSE;

  value = query_text (db, get);
  if (g_strcmp0 (value, expected) != 0)
    {
      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED,
                   "SQLite did not accept “%s” (it reports “%s”); the server refuses to run "
                   "without it", set, value ? value : "nothing");
      return FALSE;
    }

  return TRUE;
}

/* The first read of the file: a file that is not SQLite fails here, and
 * an SQLite file of someone else's is never touched. */
static gboolean
check_identity (sqlite3     *db,
                const char  *path,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 application_id = 0;
  gint64 n_tables = 0;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT (SELECT application_id FROM pragma_application_id), "
                               "(SELECT count(*) FROM sqlite_schema)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED,
                   "%s cannot be read as a database (%s)", path, sqlite3_errstr (rc));
      return FALSE;
    }

  application_id = sqlite3_column_int64 (stmt, 0);
  n_tables = sqlite3_column_int64 (stmt, 1);

  if ((application_id != 0 && application_id != ROTA_SERVER_REGISTRY_APPLICATION_ID) ||
      (application_id == 0 && n_tables > 0))
    {
      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED,
                   "%s is an SQLite database, but not a Rota server registry", path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (sqlite3     *db,
         const char  *path,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *set_identity = NULL;
  gint64 version;
  int rc;

  /* Another process may create the same registry at the same time: the
   * version is read, and the schema made, inside one write transaction. */
  if (!run_sql_retrying (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (error, db, rc, "Reading the registry's version");
      goto fail;
    }
  version = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > ROTA_SERVER_REGISTRY_SCHEMA_VERSION)
    {
      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_FAILED,
                   "%s was made by a newer Rota server (schema %" G_GINT64_FORMAT ", this one "
                   "knows up to %d)", path, version, ROTA_SERVER_REGISTRY_SCHEMA_VERSION);
      goto fail;
    }

  if (version == 0)
    {
      set_identity = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                      ROTA_SERVER_REGISTRY_APPLICATION_ID,
                                      ROTA_SERVER_REGISTRY_SCHEMA_VERSION);

      if (!run_sql (db,
                    "CREATE TABLE tenants ("
                    "  slug TEXT PRIMARY KEY,"
                    "  created_at INTEGER NOT NULL"
                    ");"
                    "CREATE TABLE tokens ("
                    "  token_id TEXT PRIMARY KEY,"
                    "  hash TEXT NOT NULL UNIQUE,"
                    "  tenant TEXT NOT NULL REFERENCES tenants (slug),"
                    "  name TEXT NOT NULL,"
                    "  scopes TEXT NOT NULL,"
                    "  created_at INTEGER NOT NULL,"
                    "  revoked_at INTEGER"
                    ");"
                    "CREATE INDEX tokens_tenant ON tokens (tenant);",
                    error) ||
          !run_sql (db, set_identity, error))
        goto fail;

      g_debug ("Created the registry schema in %s", path);
    }

  return run_sql (db, "COMMIT", error);

fail:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
open_db (RotaServerRegistry  *self,
         gboolean             create,
         GError             **error)
{
  g_autofree char *tenants_dir = g_build_filename (self->data_dir, TENANTS_DIR_NAME, NULL);
  int rc;

  if (!create && !g_file_test (self->data_dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND,
                   "There is no server registry at %s; run rota-server init", self->path);
      return FALSE;
    }

  if (!ensure_private_dir (self->data_dir, create, error))
    return FALSE;

  if (!ensure_private_file (self->path, create, error))
    return FALSE;

  /* The registry exists; its tenants' folder is part of it. */
  if (!ensure_private_dir (tenants_dir, TRUE, error))
    return FALSE;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, self->db, rc, self->path);
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 10000);

  if (!check_identity (self->db, self->path, error))
    return FALSE;

  if (!set_and_check_pragma (self->db, "PRAGMA journal_mode = WAL", "PRAGMA journal_mode", "wal", error) ||
      !set_and_check_pragma (self->db, "PRAGMA synchronous = FULL", "PRAGMA synchronous", "2", error) ||
      !set_and_check_pragma (self->db, "PRAGMA secure_delete = ON", "PRAGMA secure_delete", "1", error) ||
      !set_and_check_pragma (self->db, "PRAGMA foreign_keys = ON", "PRAGMA foreign_keys", "1", error))
    return FALSE;

  if (!migrate (self->db, self->path, error))
    return FALSE;

  /* Asked for on every request, so prepared once. Only the statement is
   * kept: its answer is read afresh each time. */
  rc = sqlite3_prepare_v3 (self->db,
                           "SELECT tenant, name, token_id, scopes FROM tokens "
                           "WHERE hash = ? AND revoked_at IS NULL",
                           -1, SQLITE_PREPARE_PERSISTENT, &self->authenticate_stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (error, self->db, rc, "Preparing the token lookup");
      return FALSE;
    }

  return TRUE;
}

/* GObject */

static void
rota_server_registry_finalize (GObject *object)
{
  RotaServerRegistry *self = (RotaServerRegistry *)object;

  g_clear_pointer (&self->authenticate_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (rota_server_registry_parent_class)->finalize (object);
}

static void
rota_server_registry_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RotaServerRegistry *self = ROTA_SERVER_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_server_registry_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  RotaServerRegistry *self = ROTA_SERVER_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_server_registry_constructed (GObject *object)
{
  RotaServerRegistry *self = ROTA_SERVER_REGISTRY (object);

  G_OBJECT_CLASS (rota_server_registry_parent_class)->constructed (object);

  g_assert (self->data_dir != NULL);
  self->path = g_build_filename (self->data_dir, REGISTRY_FILE_NAME, NULL);
}

static void
rota_server_registry_class_init (RotaServerRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rota_server_registry_finalize;
  object_class->constructed = rota_server_registry_constructed;
  object_class->get_property = rota_server_registry_get_property;
  object_class->set_property = rota_server_registry_set_property;

  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rota_server_registry_init (RotaServerRegistry *self)
{
  g_mutex_init (&self->lock);
}

/* Public API */

/**
 * rota_server_registry_open:
 * @data_dir: the server's data folder
 * @create: whether to create the folder and the registry if missing
 * @error: a location for a #GError
 *
 * Opens DATA_DIR/registry.sqlite. The data folder and DATA_DIR/tenants are
 * made private (0700) and the file 0600, whatever the umask; WAL,
 * synchronous=FULL, secure_delete and foreign keys are set and read back.
 * Without @create, a missing registry is %ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND.
 *
 * Returns: (transfer full) (nullable): the registry, or %NULL on error
 */
RotaServerRegistry *
rota_server_registry_open (const char  *data_dir,
                           gboolean     create,
                           GError     **error)
{
  g_autoptr(RotaServerRegistry) self = NULL;
  g_autofree char *absolute = NULL;

  g_return_val_if_fail (data_dir != NULL && *data_dir != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The server may change its working folder; its paths must not. */
  absolute = g_canonicalize_filename (data_dir, NULL);
  self = g_object_new (ROTA_TYPE_SERVER_REGISTRY, "data-dir", absolute, NULL);

  if (!open_db (self, create, error))
    return NULL;

  g_debug ("Opened the registry %s", self->path);

  return g_steal_pointer (&self);
}

/**
 * rota_server_registry_get_data_dir:
 * @self: a registry
 *
 * Returns: the absolute path of the server's data folder
 */
const char *
rota_server_registry_get_data_dir (RotaServerRegistry *self)
{
  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (self), NULL);

  return self->data_dir;
}

/**
 * rota_server_registry_add_tenant:
 * @self: a registry
 * @slug: the tenant's name in URLs, like `grand-cafe`
 * @error: a location for a #GError
 *
 * Registers a tenant. Its database file is made by whoever first opens
 * rota_server_registry_tenant_path().
 *
 * Returns: %TRUE on success; %ROTA_SERVER_REGISTRY_ERROR_INVALID for a bad
 *   slug and %ROTA_SERVER_REGISTRY_ERROR_EXISTS for a known one
 */
gboolean
rota_server_registry_add_tenant (RotaServerRegistry  *self,
                                 const char          *slug,
                                 GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (self), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_slug (slug, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);

  stmt = prepare (self, "INSERT INTO tenants (slug, created_at) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, slug, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_EXISTS,
                   "The tenant %s exists already", slug);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, rc, "Adding a tenant");
      return FALSE;
    }

  g_debug ("Added the tenant %s", slug);

  return TRUE;
}

/**
 * rota_server_registry_has_tenant:
 * @self: a registry
 * @slug: (nullable): a tenant's slug, as it came in a URL
 *
 * Returns: %TRUE if @slug is a valid slug of a registered tenant
 */
gboolean
rota_server_registry_has_tenant (RotaServerRegistry *self,
                                 const char         *slug)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (self), FALSE);

  if (!slug_is_valid (slug))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);

  stmt = prepare (self, "SELECT 1 FROM tenants WHERE slug = ?", &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot look up a tenant: %s", error->message);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, slug, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    g_warning ("Cannot look up a tenant: %s", sqlite3_errmsg (self->db));

  return rc == SQLITE_ROW;
}

/**
 * rota_server_registry_list_tenants:
 * @self: a registry
 * @error: a location for a #GError
 *
 * Returns: (transfer full) (nullable): the tenants' slugs in alphabetical
 *   order, or %NULL on error
 */
GStrv
rota_server_registry_list_tenants (RotaServerRegistry  *self,
                                   GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);

  stmt = prepare (self, "SELECT slug FROM tenants ORDER BY slug", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));

  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, rc, "Listing the tenants");
      return NULL;
    }

  return g_strv_builder_end (builder);
}

/**
 * rota_server_registry_tenant_path:
 * @self: a registry
 * @slug: a tenant's slug
 *
 * Names the tenant's database file, DATA_DIR/tenants/SLUG.sqlite, whether
 * or not the tenant or the file exists. The slug may come from a URL, so
 * an invalid one (which might climb out of the folder) gives %NULL.
 *
 * Returns: (transfer full) (nullable): the path, or %NULL for an invalid slug
 */
char *
rota_server_registry_tenant_path (RotaServerRegistry *self,
                                  const char         *slug)
{
  g_autofree char *file_name = NULL;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (self), NULL);
  g_return_val_if_fail (slug != NULL, NULL);

  if (!slug_is_valid (slug))
    return NULL;

  file_name = g_strconcat (slug, ".sqlite", NULL);

  return g_build_filename (self->data_dir, TENANTS_DIR_NAME, file_name, NULL);
}

/**
 * rota_server_registry_add_token:
 * @self: a registry
 * @tenant: the slug of the tenant the token is for
 * @name: what the token is for: 1 to 100 printable characters
 * @scopes: what it may do; at least one scope
 * @token_id: (out) (optional) (transfer full): the new token's id
 * @error: a location for a #GError
 *
 * Makes a token. The secret is returned once and never stored: only its
 * SHA-256 is. Show it to the administrator and forget it.
 *
 * Returns: (transfer full) (nullable): the secret, `rota_` and 43
 *   characters, or %NULL on error
 */
char *
rota_server_registry_add_token (RotaServerRegistry  *self,
                                const char          *tenant,
                                const char          *name,
                                RotaScopes           scopes,
                                char               **token_id,
                                GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *scopes_text = NULL;
  g_autofree char *id = NULL;
  g_autofree char *hash = NULL;
  char *secret = NULL;
  int rc;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (self), NULL);
  g_return_val_if_fail (tenant != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (token_id != NULL)
    *token_id = NULL;

  if (!check_slug (tenant, error) || !check_name (name, error))
    return NULL;

  if (scopes == ROTA_SCOPE_NONE || (scopes & ~ROTA_SCOPES_ALL) != 0)
    {
      g_set_error_literal (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID,
                           scopes == ROTA_SCOPE_NONE ?
                           "A token needs at least one scope" :
                           "A token can only have the known scopes");
      return NULL;
    }

  scopes_text = rota_scopes_to_string (scopes);

  id = make_uuid4 (error);
  if (id == NULL)
    return NULL;

  secret = make_secret (error);
  if (secret == NULL)
    return NULL;

  hash = hash_secret (secret);

  locker = g_mutex_locker_new (&self->lock);

  /* The foreign key would refuse it too, but not by name. */
  stmt = prepare (self, "SELECT 1 FROM tenants WHERE slug = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, tenant, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND,
                   "There is no tenant %s", tenant);
      goto fail;
    }
  if (rc != SQLITE_ROW)
    {
      set_db_error (error, self->db, rc, "Looking up the tenant");
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = prepare (self,
                  "INSERT INTO tokens (token_id, hash, tenant, name, scopes, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tenant, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, scopes_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, now_seconds ());

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, rc, "Adding a token");
      goto fail;
    }

  g_debug ("Added the token %s (%s) for the tenant %s", id, scopes_text, tenant);

  if (token_id != NULL)
    *token_id = g_steal_pointer (&id);

  return secret;

fail:
  secret_free (secret);
  return NULL;
}

/**
 * rota_server_registry_list_tokens:
 * @self: a registry
 * @tenant: (nullable): a tenant's slug, or %NULL for every tenant's tokens
 * @error: a location for a #GError
 *
 * Lists tokens, revoked ones included, oldest first. Secrets are never
 * stored, and their hashes are never handed out.
 *
 * Returns: (transfer full) (element-type RotaTokenInfo) (nullable): the
 *   tokens, or %NULL on error; %ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND for an
 *   unknown tenant
 */
GPtrArray *
rota_server_registry_list_tokens (RotaServerRegistry  *self,
                                  const char          *tenant,
                                  GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  int rc;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (tenant != NULL && !check_slug (tenant, error))
    return NULL;

  locker = g_mutex_locker_new (&self->lock);

  if (tenant != NULL)
    {
      stmt = prepare (self, "SELECT 1 FROM tenants WHERE slug = ?", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, tenant, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND,
                       "There is no tenant %s", tenant);
          return NULL;
        }
      if (rc != SQLITE_ROW)
        {
          set_db_error (error, self->db, rc, "Looking up the tenant");
          return NULL;
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  stmt = prepare (self,
                  "SELECT token_id, tenant, name, scopes, created_at, revoked_at FROM tokens "
                  "WHERE ?1 IS NULL OR tenant = ?1 ORDER BY created_at, rowid",
                  error);
  if (stmt == NULL)
    return NULL;

  if (tenant != NULL)
    sqlite3_bind_text (stmt, 1, tenant, -1, SQLITE_STATIC);

  tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) rota_token_info_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RotaTokenInfo *info = g_new0 (RotaTokenInfo, 1);
      const char *scopes_text = (const char *) sqlite3_column_text (stmt, 3);
      RotaScopes scopes = ROTA_SCOPE_NONE;

      info->token_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      info->tenant = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      info->created_at = sqlite3_column_int64 (stmt, 4);
      info->revoked_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (tokens, info);

      /* Listing is for the administrator: a row this server cannot read
       * is shown without scopes rather than hiding the token.
       * rota_server_registry_authenticate() refuses it. */
      if (rota_scopes_parse (scopes_text, &scopes, NULL))
        info->scopes = rota_scopes_to_string (scopes);
      else
        {
          g_warning ("The token %s has scopes this server does not know; it is listed without them",
                     info->token_id);
          info->scopes = g_strdup ("");
        }
    }

  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, rc, "Listing the tokens");
      return NULL;
    }

  return g_steal_pointer (&tokens);
}

/**
 * rota_server_registry_revoke_token:
 * @self: a registry
 * @token_id: the token's id
 * @error: a location for a #GError
 *
 * Revokes a token: from the next request on, it authenticates nothing.
 * Revoking a revoked token changes nothing and succeeds.
 *
 * Returns: %TRUE on success; %ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND for an
 *   unknown id
 */
gboolean
rota_server_registry_revoke_token (RotaServerRegistry  *self,
                                   const char          *token_id,
                                   GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (self), FALSE);
  g_return_val_if_fail (token_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);

  /* The first revocation's time is kept. */
  stmt = prepare (self,
                  "UPDATE tokens SET revoked_at = coalesce (revoked_at, ?) WHERE token_id = ?",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  sqlite3_bind_text (stmt, 2, token_id, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, rc, "Revoking a token");
      return FALSE;
    }

  /* Only an id is repeated in the message: what was given may be a
   * secret pasted by mistake, and messages end up in logs. */
  if (sqlite3_changes (self->db) == 0)
    {
      if (g_uuid_string_is_valid (token_id))
        g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND,
                     "There is no token %s", token_id);
      else if (g_str_has_prefix (token_id, TOKEN_PREFIX))
        g_set_error_literal (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND,
                             "That is a token's secret, not its id; tokens are revoked by the "
                             "id that the token list shows");
      else
        g_set_error_literal (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_NOT_FOUND,
                             "There is no token with that id; the token list shows the ids");
      return FALSE;
    }

  g_debug ("Revoked the token %s", token_id);

  return TRUE;
}

/**
 * rota_server_registry_authenticate:
 * @self: a registry
 * @secret: (nullable): the token from the request's Authorization header
 * @tenant: (out) (optional) (transfer full): the token's tenant
 * @name: (out) (optional) (transfer full): the token's name
 * @token_id: (out) (optional) (transfer full): the token's id
 * @scopes: (out) (optional): what the token may do
 *
 * Looks a token up by its hash. May be called from any thread. The caller
 * must still check that @tenant is the tenant of the URL.
 *
 * Returns: %TRUE for a known token that is not revoked; %FALSE for any
 *   other, with the out arguments set to %NULL and 0
 */
gboolean
rota_server_registry_authenticate (RotaServerRegistry  *self,
                                   const char          *secret,
                                   char               **tenant,
                                   char               **name,
                                   char               **token_id,
                                   RotaScopes          *scopes)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *found_tenant = NULL;
  g_autofree char *found_name = NULL;
  g_autofree char *found_id = NULL;
  RotaScopes found_scopes = ROTA_SCOPE_NONE;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (ROTA_IS_SERVER_REGISTRY (self), FALSE);

  if (tenant != NULL)
    *tenant = NULL;
  if (name != NULL)
    *name = NULL;
  if (token_id != NULL)
    *token_id = NULL;
  if (scopes != NULL)
    *scopes = ROTA_SCOPE_NONE;

  if (!secret_is_well_formed (secret))
    return FALSE;

  hash = hash_secret (secret);

  locker = g_mutex_locker_new (&self->lock);

  sqlite3_bind_text (self->authenticate_stmt, 1, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (self->authenticate_stmt);

  if (rc == SQLITE_ROW)
    {
      const char *scopes_text = (const char *) sqlite3_column_text (self->authenticate_stmt, 3);

      found_tenant = g_strdup ((const char *) sqlite3_column_text (self->authenticate_stmt, 0));
      found_name = g_strdup ((const char *) sqlite3_column_text (self->authenticate_stmt, 1));
      found_id = g_strdup ((const char *) sqlite3_column_text (self->authenticate_stmt, 2));

      /* A row this server cannot read grants nothing. */
      ok = rota_scopes_parse (scopes_text, &found_scopes, NULL) &&
           found_scopes != ROTA_SCOPE_NONE;
      if (!ok)
        g_warning ("The token %s has scopes this server does not know; it is refused", found_id);
    }
  else if (rc != SQLITE_DONE)
    {
      /* Fail closed, and say why without the token. */
      g_warning ("Cannot look up a token: %s", sqlite3_errmsg (self->db));
    }

  sqlite3_reset (self->authenticate_stmt);
  sqlite3_clear_bindings (self->authenticate_stmt);

  g_clear_pointer (&locker, g_mutex_locker_free);

  if (!ok)
    return FALSE;

  if (tenant != NULL)
    *tenant = g_steal_pointer (&found_tenant);
  if (name != NULL)
    *name = g_steal_pointer (&found_name);
  if (token_id != NULL)
    *token_id = g_steal_pointer (&found_id);
  if (scopes != NULL)
    *scopes = found_scopes;

  return TRUE;
}

/**
 * rota_scopes_to_string:
 * @scopes: scopes
 *
 * Returns: (transfer full): the scopes' names in a fixed order, separated
 *   by spaces, like "planning:read hours:write"; "" for none
 */
char *
rota_scopes_to_string (RotaScopes scopes)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (scope_names); i++)
    if (scopes & scope_names[i].scope)
      g_string_append_printf (text, "%s%s", text->len ? " " : "", scope_names[i].name);

  return g_string_free (text, FALSE);
}

/**
 * rota_scopes_parse:
 * @text: scope names separated by spaces or commas
 * @out: (out) (optional): the scopes
 * @error: a location for a #GError
 *
 * Parses a list of scopes; an empty list is %ROTA_SCOPE_NONE.
 *
 * Returns: %TRUE on success; %ROTA_SERVER_REGISTRY_ERROR_INVALID naming an
 *   unknown scope, or for "admin", which no token can have
 */
gboolean
rota_scopes_parse (const char  *text,
                   RotaScopes  *out,
                   GError     **error)
{
  g_auto(GStrv) words = NULL;
  RotaScopes scopes = ROTA_SCOPE_NONE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out != NULL)
    *out = ROTA_SCOPE_NONE;

  words = g_strsplit_set (text, " ,\t\r\n", -1);
  for (guint w = 0; words[w] != NULL; w++)
    {
      const char *word = words[w];
      gboolean known = FALSE;

      if (*word == '\0')
        continue;

      for (guint i = 0; i < G_N_ELEMENTS (scope_names) && !known; i++)
        if (g_str_equal (word, scope_names[i].name))
          {
            scopes |= scope_names[i].scope;
            known = TRUE;
          }

      if (known)
        continue;

      if (g_str_equal (word, "admin"))
        {
          g_set_error_literal (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID,
                               "The admin scope cannot be given to a token: administration is "
                               "only through the rota-server command line");
        }
      else
        {
          g_autofree char *shown = printable_excerpt (word);

          g_set_error (error, ROTA_SERVER_REGISTRY_ERROR, ROTA_SERVER_REGISTRY_ERROR_INVALID,
                       "Unknown scope “%s”; the scopes are planning:read, planning:write, "
                       "hours:read, hours:write and clock", shown);
        }
      return FALSE;
    }

  if (out != NULL)
    *out = scopes;

  return TRUE;
}
