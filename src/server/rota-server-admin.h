/* rota-server-admin.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rota-entity.h"
#include "rota-server-registry.h"

G_BEGIN_DECLS

/*
 * What the admin commands `rota-server backup|restore|anonymize|verify`
 * do (DESIGN §3, issue 3 item 8): daily backups through SQLite's
 * online-backup API, tested restores, anonymised copies for debugging
 * (security paper §2.6, §2.7) and the audit chain check.
 */

#define ROTA_SERVER_ADMIN_ERROR (rota_server_admin_error_quark ())

/**
 * RotaServerAdminError:
 * @ROTA_SERVER_ADMIN_ERROR_FAILED: something else went wrong
 * @ROTA_SERVER_ADMIN_ERROR_UNKNOWN_TENANT: the registry has no such tenant
 * @ROTA_SERVER_ADMIN_ERROR_EXISTS: the destination exists already
 * @ROTA_SERVER_ADMIN_ERROR_NOT_A_TENANT: the file is no tenant database
 *   (a desktop store, say, or not a Rota file at all)
 * @ROTA_SERVER_ADMIN_ERROR_ANONYMIZED: the backup is an anonymised copy,
 *   which is restored only with force
 * @ROTA_SERVER_ADMIN_ERROR_UNSUPPORTED: a personal field has a type that
 *   anonymising does not know
 */
typedef enum
{
  ROTA_SERVER_ADMIN_ERROR_FAILED,
  ROTA_SERVER_ADMIN_ERROR_UNKNOWN_TENANT,
  ROTA_SERVER_ADMIN_ERROR_EXISTS,
  ROTA_SERVER_ADMIN_ERROR_NOT_A_TENANT,
  ROTA_SERVER_ADMIN_ERROR_ANONYMIZED,
  ROTA_SERVER_ADMIN_ERROR_UNSUPPORTED,
} RotaServerAdminError;

/* The file names inside a rota_server_admin_backup_all() folder. */
#define ROTA_SERVER_ADMIN_MANIFEST "MANIFEST"

/* The server_meta key an anonymised copy carries; its value is when it was made. */
#define ROTA_SERVER_ADMIN_ANONYMIZED_KEY "anonymized_at"

GQuark   rota_server_admin_error_quark (void);

gboolean rota_server_admin_backup      (RotaServerRegistry  *registry,
                                        const char          *slug,
                                        const char          *dest,
                                        GError             **error);
gboolean rota_server_admin_backup_all  (RotaServerRegistry  *registry,
                                        const char          *dest_dir,
                                        GError             **error);
gboolean rota_server_admin_restore     (RotaServerRegistry  *registry,
                                        const char          *slug,
                                        const char          *source,
                                        gboolean             force,
                                        GError             **error);
gboolean rota_server_admin_anonymize   (RotaServerRegistry  *registry,
                                        const char          *slug,
                                        const char          *dest,
                                        GError             **error);
gboolean rota_server_admin_verify      (RotaServerRegistry  *registry,
                                        const char          *slug,
                                        char               **problem,
                                        GError             **error);

/**
 * RotaServerOfficePolicy:
 * @grace_minutes: late and left-early tolerance, or -1 to keep it
 * @rounding_minutes: 0 (off), 5, 10, 15 or 30, or -1 to keep it
 * @rounding_mode: "inward", "nearest" or "outward", or %NULL to keep it
 * @early_from_plan: 0 or 1, or -1 to keep it
 *
 * What `rota-server office set` changes of an office's punch policy.
 */
typedef struct
{
  gint64      grace_minutes;
  gint64      rounding_minutes;
  const char *rounding_mode;
  int         early_from_plan;
} RotaServerOfficePolicy;

GPtrArray *rota_server_admin_list_offices (RotaServerRegistry           *registry,
                                           const char                   *slug,
                                           GError                      **error) G_GNUC_WARN_UNUSED_RESULT;
RotaEntity *rota_server_admin_set_office  (RotaServerRegistry           *registry,
                                           const char                   *slug,
                                           const char                   *office_id,
                                           const RotaServerOfficePolicy *policy,
                                           GError                      **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
