/* rota-codec.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "rota-entity.h"

G_BEGIN_DECLS

/* Deeper documents are refused before json-glib sees them: json-glib 1.6
 * recurses without a limit and crashes on very deep input. */
#define ROTA_JSON_MAX_DEPTH 64
/* The default cap for one document (a request body or an entity). */
#define ROTA_JSON_MAX_SIZE  (1024 * 1024)

#define ROTA_CODEC_ERROR (rota_codec_error_quark ())

typedef enum
{
  ROTA_CODEC_ERROR_TOO_LARGE,
  ROTA_CODEC_ERROR_TOO_DEEP,
  ROTA_CODEC_ERROR_INVALID_UTF8,
  ROTA_CODEC_ERROR_SYNTAX,
  ROTA_CODEC_ERROR_WRONG_TYPE,
  ROTA_CODEC_ERROR_MISSING_FIELD,
  ROTA_CODEC_ERROR_INVALID_VALUE,
} RotaCodecError;

/**
 * RotaCodecFlags:
 * @ROTA_CODEC_DEFAULT: ids as JSON strings
 * @ROTA_CODEC_NUMERIC_IDS: ids made of decimal digits are written as JSON
 *   integers, as the Dyflexis API does
 */
typedef enum
{
  ROTA_CODEC_DEFAULT     = 0,
  ROTA_CODEC_NUMERIC_IDS = 1 << 0,
} RotaCodecFlags;

GQuark      rota_codec_error_quark     (void);
const char *rota_codec_error_get_field (const GError   *error);
void        rota_codec_set_error       (GError        **error,
                                        RotaCodecError  code,
                                        const char     *field,
                                        const char     *format,
                                        ...) G_GNUC_PRINTF (4, 5);

gboolean    rota_json_check            (const char     *data,
                                        gsize           length,
                                        gsize           max_size,
                                        GError        **error);
JsonNode   *rota_json_parse            (const char     *data,
                                        gsize           length,
                                        gsize           max_size,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;
char       *rota_json_to_string        (JsonNode       *node,
                                        gsize          *length) G_GNUC_WARN_UNUSED_RESULT;

JsonNode   *rota_codec_encode          (RotaEntity     *entity,
                                        RotaCodecFlags  flags) G_GNUC_WARN_UNUSED_RESULT;
char       *rota_codec_encode_string   (RotaEntity     *entity,
                                        RotaCodecFlags  flags) G_GNUC_WARN_UNUSED_RESULT;
void        rota_codec_append          (GString        *out,
                                        RotaEntity     *entity,
                                        RotaCodecFlags  flags,
                                        gboolean      (*keep) (const char *json_name,
                                                               gpointer    user_data),
                                        gpointer        user_data);
RotaEntity *rota_codec_decode          (GType           type,
                                        JsonNode       *node,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;
RotaEntity *rota_codec_decode_string   (GType           type,
                                        const char     *data,
                                        gsize           length,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;

/**
 * RotaJsonReader:
 *
 * A position in JSON text that rota_json_check() accepted; see
 * rota_json_reader_init().
 */
typedef struct
{
  const char *pos;
  const char *end;
} RotaJsonReader;

void        rota_json_reader_init         (RotaJsonReader  *reader,
                                           const char      *data,
                                           gsize            length);
gboolean    rota_json_reader_enter        (RotaJsonReader  *reader,
                                           char             bracket);
gboolean    rota_json_reader_next_member  (RotaJsonReader  *reader,
                                           char           **name);
gboolean    rota_json_reader_next_element (RotaJsonReader  *reader);
void        rota_json_reader_skip         (RotaJsonReader  *reader);
char       *rota_json_reader_read_string  (RotaJsonReader  *reader) G_GNUC_WARN_UNUSED_RESULT;
gboolean    rota_json_reader_read_int     (RotaJsonReader  *reader,
                                           gint64          *integer);
gboolean    rota_json_reader_read_bool    (RotaJsonReader  *reader,
                                           gboolean        *boolean);
gboolean    rota_json_reader_is_null      (RotaJsonReader  *reader);
RotaEntity *rota_codec_decode_reader      (GType            type,
                                           RotaJsonReader  *reader,
                                           GError         **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
