/* rota-client.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ROTA_CLIENT_ERROR (rota_client_error_quark ())

/**
 * RotaClientError:
 * @ROTA_CLIENT_ERROR_INVALID_URL: the server address is not one Rota talks to
 * @ROTA_CLIENT_ERROR_INSECURE: plain HTTP to a host that is not loopback
 * @ROTA_CLIENT_ERROR_TLS: the server's certificate or TLS version was refused
 * @ROTA_CLIENT_ERROR_OFFLINE: the server could not be reached
 * @ROTA_CLIENT_ERROR_UNAUTHORIZED: the token was refused (401 or 403)
 * @ROTA_CLIENT_ERROR_HTTP: another error status; the message is the server's
 * @ROTA_CLIENT_ERROR_BAD_RESPONSE: too large, not JSON, or malformed JSON
 */
typedef enum
{
  ROTA_CLIENT_ERROR_INVALID_URL,
  ROTA_CLIENT_ERROR_INSECURE,
  ROTA_CLIENT_ERROR_TLS,
  ROTA_CLIENT_ERROR_OFFLINE,
  ROTA_CLIENT_ERROR_UNAUTHORIZED,
  ROTA_CLIENT_ERROR_HTTP,
  ROTA_CLIENT_ERROR_BAD_RESPONSE,
} RotaClientError;

/* The largest response body read: a page of 10,000 changes fits. */
#define ROTA_CLIENT_MAX_RESPONSE (64 * 1024 * 1024)

/* How often a GET is tried in all, and the longest wait between tries
 * (seconds), see rota_client_get(). */
#define ROTA_CLIENT_MAX_ATTEMPTS 6
#define ROTA_CLIENT_MAX_WAIT     30

/* For rota_client_send(): no If-Match and no If-None-Match. */
#define ROTA_CLIENT_NO_PRECONDITION (-1)

/* The most pages rota_client_get_pages() follows. */
#define ROTA_CLIENT_MAX_PAGES    100000

/**
 * RotaClientProfile:
 * @ROTA_CLIENT_PROFILE_UNKNOWN: rota_client_connect() has not succeeded yet
 * @ROTA_CLIENT_PROFILE_ROTA: a Rota server, with capabilities, whoami and
 *   the change feed
 * @ROTA_CLIENT_PROFILE_DYFLEXIS: a plain Dyflexis server (no capabilities):
 *   a read-only mirror plus clock-in and clock-out
 */
typedef enum
{
  ROTA_CLIENT_PROFILE_UNKNOWN,
  ROTA_CLIENT_PROFILE_ROTA,
  ROTA_CLIENT_PROFILE_DYFLEXIS,
} RotaClientProfile;

#define ROTA_TYPE_CLIENT (rota_client_get_type ())

G_DECLARE_FINAL_TYPE (RotaClient, rota_client, ROTA, CLIENT, GObject)

GQuark      rota_client_error_quark (void);
RotaClient *rota_client_new         (const char    *server,
                                     const char    *tenant,
                                     const char    *token,
                                     const char    *ca_file,
                                     GError       **error);
const char *rota_client_get_server  (RotaClient    *self);
const char *rota_client_get_tenant  (RotaClient    *self);
JsonNode   *rota_client_get         (RotaClient    *self,
                                     const char    *path,
                                     guint         *status,
                                     GCancellable  *cancellable,
                                     GError       **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    rota_client_connect     (RotaClient    *self,
                                     GCancellable  *cancellable,
                                     GError       **error);
RotaClientProfile rota_client_get_profile (RotaClient *self);
gboolean    rota_client_has_feature (RotaClient    *self,
                                     const char    *feature);
gboolean    rota_client_has_scope   (RotaClient    *self,
                                     const char    *scope);
const char *rota_client_get_token_name (RotaClient *self);
const char * const *rota_client_get_scopes (RotaClient *self);
JsonNode   *rota_client_send        (RotaClient    *self,
                                     const char    *method,
                                     const char    *path,
                                     const char    *body,
                                     const char    *idempotency_key,
                                     gint64         if_match,
                                     guint         *status,
                                     JsonNode     **error_body,
                                     GCancellable  *cancellable,
                                     GError       **error) G_GNUC_WARN_UNUSED_RESULT;
GBytes     *rota_client_get_bytes   (RotaClient    *self,
                                     const char    *path,
                                     guint         *status,
                                     GCancellable  *cancellable,
                                     GError       **error) G_GNUC_WARN_UNUSED_RESULT;
JsonArray  *rota_client_get_pages   (RotaClient    *self,
                                     const char    *path,
                                     const char    *member,
                                     GCancellable  *cancellable,
                                     GError       **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    rota_client_get_server_time (RotaClient *self,
                                         gint64     *offset_ms,
                                         gint64     *real_us,
                                         gint64     *monotonic_us);

G_END_DECLS
