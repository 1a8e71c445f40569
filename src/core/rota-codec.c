/* rota-codec.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-codec"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rota-codec.h"
#include "rota-time.h"

/*
 * One codec for client and server. Every entity is written and read through
 * its field table (see RotaField), so that a field's JSON name is spelled
 * exactly once. Reading is strict: wrong types, missing required fields,
 * invalid values and anything out of range are refused with an error that
 * names the field, and nothing is half-read.
 */

typedef struct
{
  char *field;
} RotaCodecErrorPrivate;

static void
rota_codec_error_private_init (RotaCodecErrorPrivate *priv)
{
  priv->field = NULL;
}

static void
rota_codec_error_private_copy (const RotaCodecErrorPrivate *src,
                               RotaCodecErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
}

static void
rota_codec_error_private_clear (RotaCodecErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (RotaCodecError, rota_codec_error)

/**
 * rota_codec_error_get_field:
 * @error: a #GError
 *
 * Returns: (nullable): the JSON name of the field a %ROTA_CODEC_ERROR is
 *   about, or %NULL when it is about the whole document
 */
const char *
rota_codec_error_get_field (const GError *error)
{
  RotaCodecErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  priv = rota_codec_error_get_private (error);

  return priv != NULL ? priv->field : NULL;
}

void
rota_codec_set_error (GError         **error,
                      RotaCodecError   code,
                      const char      *field,
                      const char      *format,
                      ...)
{
  g_autofree char *message = NULL;
  RotaCodecErrorPrivate *priv;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, ROTA_CODEC_ERROR, code, message);

  priv = rota_codec_error_get_private (*error);
  if (priv != NULL)
    priv->field = g_strdup (field);
}

/* The member names of one object being scanned, to find duplicates. */
typedef struct
{
  gboolean    is_object;
  GHashTable *keys;
} ScanLevel;

static void
scan_level_clear (ScanLevel *level)
{
  g_clear_pointer (&level->keys, g_hash_table_unref);
}

/* The text of a member name as json-glib will see it, so that
 * "first\u004eame" counts as "firstName". The name was checked by
 * scan_string() already. */
static char *
decode_name (const char *start,
             gsize       length)
{
  GString *name;

  if (memchr (start, '\\', length) == NULL)
    return g_strndup (start, length);

  name = g_string_sized_new (length);
  for (gsize i = 0; i < length; i++)
    {
      gunichar c;

      if (start[i] != '\\')
        {
          g_string_append_c (name, start[i]);
          continue;
        }

      i++;
      switch (start[i])
        {
        case 'b': g_string_append_c (name, '\b'); break;
        case 'f': g_string_append_c (name, '\f'); break;
        case 'n': g_string_append_c (name, '\n'); break;
        case 'r': g_string_append_c (name, '\r'); break;
        case 't': g_string_append_c (name, '\t'); break;
        case 'u':
          c = (gunichar) g_ascii_strtoull ((char[5]) { start[i + 1], start[i + 2], start[i + 3], start[i + 4], 0 }, NULL, 16);
          i += 4;
          /* A surrogate pair makes one character. */
          if (c >= 0xd800 && c < 0xdc00 && i + 6 < length && start[i + 1] == '\\' && start[i + 2] == 'u')
            {
              gunichar low = (gunichar) g_ascii_strtoull ((char[5]) { start[i + 3], start[i + 4], start[i + 5], start[i + 6], 0 }, NULL, 16);

              if (low >= 0xdc00 && low < 0xe000)
                {
                  c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                  i += 6;
                }
            }
          g_string_append_unichar (name, c);
          break;
        default:
          g_string_append_c (name, start[i]);
          break;
        }
    }

  return g_string_free (name, FALSE);
}

/* Whether a run of decimal digits (no sign) fits a 64-bit integer. */
static gboolean
digits_fit_int64 (const char *digits,
                  guint       n_digits,
                  gboolean    negative)
{
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

  if (n_digits != 19)
    return n_digits < 19;

  return strncmp (digits, limit, 19) <= 0;
}

static gboolean
scan_error (GError     **error,
            const char  *data,
            gsize        offset,
            const char  *what)
{
  rota_codec_set_error (error, ROTA_CODEC_ERROR_SYNTAX, NULL,
                        _("The document is not valid JSON: %s at byte %zu"), what, offset);
  return FALSE;
}

/* Scans a string from its opening quote; returns the offset of the
 * closing quote, or 0 after setting @error. */
static gsize
scan_string (const char  *data,
             gsize        length,
             gsize        start,
             GError     **error)
{
  gsize i = start + 1;

  while (i < length)
    {
      guchar ch = (guchar) data[i];

      if (ch == '"')
        return i;

      if (ch < 0x20)
        {
          scan_error (error, data, i, _("a control character inside a string"));
          return 0;
        }

      if (ch != '\\')
        {
          i++;
          continue;
        }

      if (i + 1 >= length)
        break;

      if (data[i + 1] != 'u')
        {
          if (strchr ("\"\\/bfnrt", data[i + 1]) == NULL || data[i + 1] == '\0')
            {
              scan_error (error, data, i, _("an unknown escape sequence"));
              return 0;
            }
          i += 2;
          continue;
        }

      if (i + 6 > length ||
          !g_ascii_isxdigit (data[i + 2]) || !g_ascii_isxdigit (data[i + 3]) ||
          !g_ascii_isxdigit (data[i + 4]) || !g_ascii_isxdigit (data[i + 5]))
        {
          scan_error (error, data, i, _("an incomplete \\u escape"));
          return 0;
        }

      /* json-glib would cut the string at an escaped NUL and hand us the
       * front part as if it were all: "s1\u0000x" would become "s1". */
      if (strncmp (data + i + 2, "0000", 4) == 0)
        {
          scan_error (error, data, i, _("a NUL character (\\u0000) inside a string"));
          return 0;
        }

      i += 6;
    }

  scan_error (error, data, start, _("a string that does not end"));
  return 0;
}

/**
 * rota_json_check:
 * @data: the document
 * @length: its length in bytes
 * @max_size: the largest size accepted, or 0 for %ROTA_JSON_MAX_SIZE
 * @error: a location for a #GError
 *
 * Checks what must be checked before json-glib sees a document: its size,
 * that it is valid UTF-8, that it is made only of JSON tokens (json-glib
 * also takes single quotes and comments, which would hide brackets from a
 * simpler scan) and holds exactly one value, that it nests no deeper than
 * %ROTA_JSON_MAX_DEPTH, that no string holds an escaped NUL, that no
 * object has a member twice (escapes decoded), and that no integer is too
 * large for 64 bits. One pass; json-glib 1.6 crashes
 * on deep input and merges duplicate members silently.
 *
 * Returns: %TRUE if the document may be parsed
 */
gboolean
rota_json_check (const char  *data,
                 gsize        length,
                 gsize        max_size,
                 GError     **error)
{
  ScanLevel levels[ROTA_JSON_MAX_DEPTH + 1] = { { 0, } };
  const char *bad = NULL;
  gboolean have_root = FALSE;
  guint depth = 0;
  gboolean ok = TRUE;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (max_size == 0)
    max_size = ROTA_JSON_MAX_SIZE;

  if (length > max_size)
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_TOO_LARGE, NULL,
                            _("The document is %zu bytes, more than the limit of %zu bytes"),
                            length, max_size);
      return FALSE;
    }

  if (!g_utf8_validate_len (data, length, &bad))
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_UTF8, NULL,
                            _("The document is not valid UTF-8 (at byte %zu)"),
                            (gsize) (bad - data));
      return FALSE;
    }

  while (ok && i < length)
    {
      char ch = data[i];

      switch (ch)
        {
        case ' ':
        case '\t':
        case '\n':
        case '\r':
        case ':':
        case ',':
          i++;
          break;

        case '[':
        case '{':
          if (depth == 0 && have_root)
            {
              ok = scan_error (error, data, i, _("a second value after the first"));
              break;
            }
          if (depth >= ROTA_JSON_MAX_DEPTH)
            {
              rota_codec_set_error (error, ROTA_CODEC_ERROR_TOO_DEEP, NULL,
                                    _("The document nests deeper than %d levels"),
                                    ROTA_JSON_MAX_DEPTH);
              ok = FALSE;
              break;
            }
          depth++;
          levels[depth].is_object = ch == '{';
          i++;
          break;

        case ']':
        case '}':
          if (depth == 0)
            {
              ok = scan_error (error, data, i, _("a closing bracket without an opening one"));
              break;
            }
          scan_level_clear (&levels[depth--]);
          if (depth == 0)
            have_root = TRUE;
          i++;
          break;

        case '"':
          {
            gsize end = scan_string (data, length, i, error);
            gsize next;

            if (end == 0)
              {
                ok = FALSE;
                break;
              }

            if (depth == 0)
              {
                if (have_root)
                  {
                    ok = scan_error (error, data, i, _("a second value after the first"));
                    break;
                  }
                have_root = TRUE;
              }

            /* A string followed by a colon is a member name. */
            for (next = end + 1; next < length && strchr (" \t\n\r", data[next]) && data[next]; next++)
              ;
            if (depth > 0 && levels[depth].is_object && next < length && data[next] == ':')
              {
                char *name = decode_name (data + i + 1, end - i - 1);

                if (levels[depth].keys == NULL)
                  levels[depth].keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

                if (!g_hash_table_add (levels[depth].keys, name))
                  {
                    g_autofree char *shown = g_utf8_validate (name, -1, NULL)
                                             ? g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 64))
                                             : g_strdup ("?");

                    rota_codec_set_error (error, ROTA_CODEC_ERROR_SYNTAX, shown,
                                          _("The document has the member “%s” twice in one object"),
                                          shown);
                    ok = FALSE;
                    break;
                  }
              }
            i = end + 1;
          }
          break;

        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          {
            gsize start = i;
            gsize first_digit = data[i] == '-' ? i + 1 : i;
            guint digits = 0;
            gboolean integer = TRUE;

            if (depth == 0)
              {
                if (have_root)
                  {
                    ok = scan_error (error, data, i, _("a second value after the first"));
                    break;
                  }
                have_root = TRUE;
              }

            for (; i < length && data[i] && strchr ("+-.eE0123456789", data[i]); i++)
              {
                if (g_ascii_isdigit (data[i]))
                  digits++;
                else if (data[i] != '-' || i != start)
                  integer = FALSE;
              }

            /* json-glib turns what does not fit 64 bits into garbage. */
            if (integer && !digits_fit_int64 (data + first_digit, digits, data[start] == '-'))
              ok = scan_error (error, data, start, _("an integer too large"));
          }
          break;

        case 't':
        case 'f':
        case 'n':
          {
            const char *word = ch == 't' ? "true" : ch == 'f' ? "false" : "null";
            gsize word_length = strlen (word);

            if (i + word_length > length || strncmp (data + i, word, word_length) != 0)
              ok = scan_error (error, data, i, _("an unexpected word"));
            else if (depth == 0 && have_root)
              ok = scan_error (error, data, i, _("a second value after the first"));
            have_root = depth == 0 || have_root;
            i += word_length;
          }
          break;

        default:
          ok = scan_error (error, data, i, _("an unexpected character"));
          break;
        }
    }

  while (depth > 0)
    scan_level_clear (&levels[depth--]);

  return ok;
}

/**
 * rota_json_parse:
 * @data: the document
 * @length: its length in bytes
 * @max_size: the largest size accepted, or 0 for %ROTA_JSON_MAX_SIZE
 * @error: a location for a #GError
 *
 * Runs rota_json_check(), then parses the document.
 *
 * Returns: (transfer full) (nullable): the root node, or %NULL on error
 */
JsonNode *
rota_json_parse (const char  *data,
                 gsize        length,
                 gsize        max_size,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!rota_json_check (data, length, max_size, error))
    return NULL;

  if (length == 0)
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_SYNTAX, NULL, _("The document is empty"));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_SYNTAX, NULL,
                            _("The document is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_SYNTAX, NULL, _("The document is empty"));
      return NULL;
    }

  return json_node_ref (root);
}

/**
 * rota_json_to_string:
 * @node: a node
 * @length: (out) (optional): the length of the result
 *
 * Returns: (transfer full): @node as compact JSON
 */
char *
rota_json_to_string (JsonNode *node,
                     gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, length);
}

static gboolean
is_decimal (const char *text)
{
  if (text == NULL || *text == '\0' || strlen (text) > 18)
    return FALSE;
  if (text[0] == '0' && text[1] != '\0')
    return FALSE;

  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

static void
encode_field (JsonBuilder     *builder,
              RotaEntity      *entity,
              const RotaField *field,
              RotaCodecFlags   flags)
{
  json_builder_set_member_name (builder, field->json_name);

  switch (field->type)
    {
    case ROTA_FIELD_ID:
      {
        const char *value = *ROTA_FIELD_PTR (entity, field, char *);

        if (value == NULL)
          json_builder_add_null_value (builder);
        else if ((flags & ROTA_CODEC_NUMERIC_IDS) && is_decimal (value))
          json_builder_add_int_value (builder, g_ascii_strtoll (value, NULL, 10));
        else
          json_builder_add_string_value (builder, value);
      }
      break;

    case ROTA_FIELD_STRING:
    case ROTA_FIELD_DATE:
    case ROTA_FIELD_TIME:
      {
        const char *value = *ROTA_FIELD_PTR (entity, field, char *);

        if (value == NULL)
          json_builder_add_null_value (builder);
        else
          json_builder_add_string_value (builder, value);
      }
      break;

    case ROTA_FIELD_INT:
      json_builder_add_int_value (builder, *ROTA_FIELD_PTR (entity, field, gint64));
      break;

    case ROTA_FIELD_DOUBLE:
      json_builder_add_double_value (builder, *ROTA_FIELD_PTR (entity, field, gdouble));
      break;

    case ROTA_FIELD_BOOL:
      json_builder_add_boolean_value (builder, *ROTA_FIELD_PTR (entity, field, gboolean));
      break;

    case ROTA_FIELD_INSTANT:
      {
        gint64 value = *ROTA_FIELD_PTR (entity, field, gint64);

        if (value == 0)
          {
            json_builder_add_null_value (builder);
          }
        else
          {
            g_autofree char *text = rota_instant_format (value);
            json_builder_add_string_value (builder, text);
          }
      }
      break;

    case ROTA_FIELD_ENUM:
      {
        int value = *ROTA_FIELD_PTR (entity, field, int);
        g_autoptr(GEnumClass) enum_class = g_type_class_ref (field->get_enum_type ());
        GEnumValue *enum_value = g_enum_get_value (enum_class, value);

        if (value == 0 || enum_value == NULL)
          json_builder_add_null_value (builder);
        else
          json_builder_add_string_value (builder, enum_value->value_nick);
      }
      break;

    case ROTA_FIELD_STRV:
      {
        char **strv = *ROTA_FIELD_PTR (entity, field, char **);

        json_builder_begin_array (builder);
        for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
          json_builder_add_string_value (builder, strv[i]);
        json_builder_end_array (builder);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * rota_codec_encode:
 * @entity: an entity
 * @flags: how to write ids
 *
 * Returns: (transfer full): @entity as a JSON object
 */
JsonNode *
rota_codec_encode (RotaEntity     *entity,
                   RotaCodecFlags  flags)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  RotaEntityClass *klass;

  g_return_val_if_fail (ROTA_IS_ENTITY (entity), NULL);

  klass = ROTA_ENTITY_GET_CLASS (entity);

  json_builder_begin_object (builder);
  for (guint i = 0; i < klass->n_fields; i++)
    encode_field (builder, entity, &klass->fields[i], flags);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * rota_codec_encode_string:
 * @entity: an entity
 * @flags: how to write ids
 *
 * Returns: (transfer full): @entity as compact JSON text
 */
char *
rota_codec_encode_string (RotaEntity     *entity,
                          RotaCodecFlags  flags)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (ROTA_IS_ENTITY (entity), NULL);

  node = rota_codec_encode (entity, flags);

  return rota_json_to_string (node, NULL);
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar ch = (guchar) *p;

      switch (ch)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (ch < 0x20)
            g_string_append_printf (out, "\\u%04x", ch);
          else
            g_string_append_c (out, (char) ch);
        }
    }
  g_string_append_c (out, '"');
}

/**
 * rota_codec_append:
 * @out: where to write
 * @entity: an entity
 * @flags: how to write ids
 * @keep: (nullable) (scope call): which members to write, by JSON name; %NULL for all
 * @user_data: data for @keep
 *
 * Writes @entity as a compact JSON object to @out, the same document
 * rota_codec_encode() makes, without building a tree first: for the
 * change feed and other long lists, where that would cost most of the time.
 */
void
rota_codec_append (GString         *out,
                   RotaEntity      *entity,
                   RotaCodecFlags   flags,
                   gboolean       (*keep) (const char *json_name,
                                           gpointer    user_data),
                   gpointer         user_data)
{
  RotaEntityClass *klass;
  gboolean first = TRUE;

  g_return_if_fail (out != NULL);
  g_return_if_fail (ROTA_IS_ENTITY (entity));

  klass = ROTA_ENTITY_GET_CLASS (entity);

  g_string_append_c (out, '{');
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const RotaField *field = &klass->fields[i];

      if (keep != NULL && !keep (field->json_name, user_data))
        continue;

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_json_string (out, field->json_name);
      g_string_append_c (out, ':');

      switch (field->type)
        {
        case ROTA_FIELD_ID:
        case ROTA_FIELD_STRING:
        case ROTA_FIELD_DATE:
        case ROTA_FIELD_TIME:
          {
            const char *value = *ROTA_FIELD_PTR (entity, field, char *);

            if (value == NULL)
              g_string_append (out, "null");
            else if (field->type == ROTA_FIELD_ID && (flags & ROTA_CODEC_NUMERIC_IDS) && is_decimal (value))
              g_string_append (out, value);
            else
              append_json_string (out, value);
          }
          break;

        case ROTA_FIELD_INT:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, *ROTA_FIELD_PTR (entity, field, gint64));
          break;

        case ROTA_FIELD_DOUBLE:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];
            gdouble value = *ROTA_FIELD_PTR (entity, field, gdouble);

            g_ascii_dtostr (buffer, sizeof buffer, value);
            g_string_append (out, buffer);
            /* As json-glib writes it: a double always has a fraction. */
            if (strpbrk (buffer, ".eEn") == NULL)
              g_string_append (out, ".0");
          }
          break;

        case ROTA_FIELD_BOOL:
          g_string_append (out, *ROTA_FIELD_PTR (entity, field, gboolean) ? "true" : "false");
          break;

        case ROTA_FIELD_INSTANT:
          {
            gint64 value = *ROTA_FIELD_PTR (entity, field, gint64);

            if (value == 0)
              {
                g_string_append (out, "null");
              }
            else
              {
                g_autofree char *text = rota_instant_format (value);
                append_json_string (out, text);
              }
          }
          break;

        case ROTA_FIELD_ENUM:
          {
            int value = *ROTA_FIELD_PTR (entity, field, int);
            GEnumClass *enum_class = g_type_class_peek (field->get_enum_type ());
            GEnumValue *enum_value = value != 0 && enum_class != NULL ? g_enum_get_value (enum_class, value) : NULL;

            if (enum_value == NULL)
              g_string_append (out, "null");
            else
              append_json_string (out, enum_value->value_nick);
          }
          break;

        case ROTA_FIELD_STRV:
          {
            char **strv = *ROTA_FIELD_PTR (entity, field, char **);

            g_string_append_c (out, '[');
            for (guint s = 0; strv != NULL && strv[s] != NULL; s++)
              {
                if (s > 0)
                  g_string_append_c (out, ',');
                append_json_string (out, strv[s]);
              }
            g_string_append_c (out, ']');
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
  g_string_append_c (out, '}');
}

static const char *
json_type_name (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          return "a boolean";
        case G_TYPE_INT64:
          return "an integer";
        case G_TYPE_DOUBLE:
          return "a number";
        case G_TYPE_STRING:
          return "a string";
        default:
          return "a value";
        }
    default:
      return "a value";
    }
}

static gboolean
node_is (JsonNode *node,
         GType     value_type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == value_type;
}

static gboolean
wrong_type (const RotaField  *field,
            JsonNode         *node,
            const char       *expected,
            GError          **error)
{
  rota_codec_set_error (error, ROTA_CODEC_ERROR_WRONG_TYPE, field->json_name,
                        "%s: expected %s, got %s", field->json_name, expected, json_type_name (node));
  return FALSE;
}

static gboolean
decode_field (RotaEntity       *entity,
              const RotaField  *field,
              JsonNode         *node,
              GError          **error)
{
  const char *name = field->json_name;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      /* Booleans and numbers have no null: absent means the default.
       * Validation reports required fields that stayed empty. */
      return TRUE;
    }

  switch (field->type)
    {
    case ROTA_FIELD_ID:
      if (node_is (node, G_TYPE_INT64))
        {
          gint64 value = json_node_get_int (node);

          if (value < 0)
            {
              rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                    "%s: a numeric id must not be negative", name);
              return FALSE;
            }
          *ROTA_FIELD_PTR (entity, field, char *) = g_strdup_printf ("%" PRId64, value);
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;

    case ROTA_FIELD_STRING:
    case ROTA_FIELD_DATE:
    case ROTA_FIELD_TIME:
      if (!node_is (node, G_TYPE_STRING))
        return wrong_type (field, node, field->type == ROTA_FIELD_ID ? "a string or an integer id" : "a string", error);
      {
        const char *value = json_node_get_string (node);

        /* An escaped NUL, which json-glib would cut the string at, never
         * gets here: rota_json_check() refuses it. */
        if (value == NULL)
          return wrong_type (field, node, "a string", error);
        *ROTA_FIELD_PTR (entity, field, char *) = g_strdup (value);
      }
      return TRUE;

    case ROTA_FIELD_INT:
      if (node_is (node, G_TYPE_INT64))
        {
          *ROTA_FIELD_PTR (entity, field, gint64) = json_node_get_int (node);
          return TRUE;
        }
      return wrong_type (field, node, "an integer", error);

    case ROTA_FIELD_DOUBLE:
      if (node_is (node, G_TYPE_INT64))
        {
          *ROTA_FIELD_PTR (entity, field, gdouble) = (gdouble) json_node_get_int (node);
          return TRUE;
        }
      if (node_is (node, G_TYPE_DOUBLE))
        {
          *ROTA_FIELD_PTR (entity, field, gdouble) = json_node_get_double (node);
          return TRUE;
        }
      return wrong_type (field, node, "a number", error);

    case ROTA_FIELD_BOOL:
      if (!node_is (node, G_TYPE_BOOLEAN))
        return wrong_type (field, node, "true or false", error);
      *ROTA_FIELD_PTR (entity, field, gboolean) = json_node_get_boolean (node);
      return TRUE;

    case ROTA_FIELD_INSTANT:
      if (!node_is (node, G_TYPE_STRING))
        return wrong_type (field, node, "a date-time string such as 2026-11-23T08:00:00Z", error);
      {
        gint64 instant = 0;

        /* Offset-less times are Dyflexis wall-clock times in Amsterdam
         * (reference/dyflexis-api.md §1.9). */
        if (!rota_instant_parse (json_node_get_string (node), NULL, &instant))
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: \"%s\" is not a date-time such as 2026-11-23T08:00:00Z "
                                  "between the years 2000 and 2099",
                                  name, json_node_get_string (node));
            return FALSE;
          }
        *ROTA_FIELD_PTR (entity, field, gint64) = instant;
      }
      return TRUE;

    case ROTA_FIELD_ENUM:
      if (!node_is (node, G_TYPE_STRING))
        return wrong_type (field, node, "a string", error);
      {
        g_autoptr(GEnumClass) enum_class = g_type_class_ref (field->get_enum_type ());
        const char *nick = json_node_get_string (node);
        GEnumValue *value = g_enum_get_value_by_nick (enum_class, nick);

        if (value == NULL || value->value == 0)
          {
            g_autoptr(GString) allowed = g_string_new (NULL);

            for (guint i = 1; i < enum_class->n_values; i++)
              g_string_append_printf (allowed, "%s%s", i > 1 ? ", " : "", enum_class->values[i].value_nick);
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: \"%s\" is not one of %s", name, nick, allowed->str);
            return FALSE;
          }
        *ROTA_FIELD_PTR (entity, field, int) = value->value;
      }
      return TRUE;

    case ROTA_FIELD_STRV:
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return wrong_type (field, node, "an array of strings", error);
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

        for (guint i = 0; i < n; i++)
          {
            JsonNode *element = json_array_get_element (array, i);

            if (!node_is (element, G_TYPE_STRING) || json_node_get_string (element) == NULL)
              {
                rota_codec_set_error (error, ROTA_CODEC_ERROR_WRONG_TYPE, name,
                                      "%s: element %u: expected a string, got %s",
                                      name, i, json_type_name (element));
                return FALSE;
              }
            g_strv_builder_add (builder, json_node_get_string (element));
          }
        *ROTA_FIELD_PTR (entity, field, char **) = g_strv_builder_end (builder);
      }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

/**
 * rota_codec_decode:
 * @type: an entity type, such as %ROTA_TYPE_SHIFT
 * @node: a JSON object
 * @error: a location for a #GError in the %ROTA_CODEC_ERROR domain;
 *   rota_codec_error_get_field() names the field
 *
 * Reads an entity and validates it with rota_entity_validate(). Members
 * the entity does not know are ignored, so that newer servers can add
 * fields.
 *
 * Returns: (transfer full) (nullable): the entity, or %NULL on error
 */
RotaEntity *
rota_codec_decode (GType       type,
                   JsonNode   *node,
                   GError    **error)
{
  g_autoptr(RotaEntity) entity = NULL;
  RotaEntityClass *klass;
  JsonObject *object;

  g_return_val_if_fail (g_type_is_a (type, ROTA_TYPE_ENTITY), NULL);
  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      rota_codec_set_error (error, ROTA_CODEC_ERROR_WRONG_TYPE, NULL,
                            _("Expected a JSON object, got %s"), json_type_name (node));
      return NULL;
    }

  object = json_node_get_object (node);
  entity = g_object_new (type, NULL);
  klass = ROTA_ENTITY_GET_CLASS (entity);

  /* The entity starts with its defaults; a string field that has one
   * (an office's time zone) is replaced when the member is there, even
   * as null, so that a required field sent as null is refused. */
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const RotaField *field = &klass->fields[i];
      JsonNode *member = json_object_get_member (object, field->json_name);

      if (member != NULL &&
          (field->type == ROTA_FIELD_ID || field->type == ROTA_FIELD_STRING ||
           field->type == ROTA_FIELD_DATE || field->type == ROTA_FIELD_TIME))
        g_clear_pointer (ROTA_FIELD_PTR (entity, field, char *), g_free);

      if (!decode_field (entity, field, member, error))
        return NULL;
    }

  if (!rota_entity_validate (entity, NULL, error))
    return NULL;

  return g_steal_pointer (&entity);
}

/**
 * rota_codec_decode_string:
 * @type: an entity type
 * @data: JSON text
 * @length: its length in bytes
 * @error: a location for a #GError
 *
 * rota_json_parse() with %ROTA_JSON_MAX_SIZE, then rota_codec_decode().
 *
 * Returns: (transfer full) (nullable): the entity, or %NULL on error
 */
RotaEntity *
rota_codec_decode_string (GType        type,
                          const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (g_type_is_a (type, ROTA_TYPE_ENTITY), NULL);

  node = rota_json_parse (data, length, 0, error);
  if (node == NULL)
    return NULL;

  return rota_codec_decode (type, node, error);
}
