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

/* What may come next inside a container (or at the top, level 0). */
typedef enum
{
  EXPECT_VALUE,            /* the top; an array after a comma; a member after its colon */
  EXPECT_VALUE_OR_END,     /* an array just opened */
  EXPECT_KEY,              /* an object after a comma */
  EXPECT_KEY_OR_END,       /* an object just opened */
  EXPECT_COLON,            /* after a member name */
  EXPECT_COMMA_OR_END,     /* after a value inside a container */
  EXPECT_NOTHING,          /* the top, after its one value */
} Expect;

/* Member names an object keeps as spans of the text before it needs a
 * hash table: most objects are small and their names plain. */
#define SCAN_INLINE_NAMES 24

/* One container being scanned: what may come next, and its member names,
 * to find duplicates. */
typedef struct
{
  gboolean    is_object;
  Expect      expect;
  guint       n_names;                        /* in @names, until @keys is made */
  const char *names[SCAN_INLINE_NAMES];       /* plain names: no escapes */
  gsize       lengths[SCAN_INLINE_NAMES];
  GHashTable *keys;                           /* decoded names */
} ScanLevel;

static void
scan_level_clear (ScanLevel *level)
{
  g_clear_pointer (&level->keys, g_hash_table_unref);
  level->n_names = 0;
}

static char *decode_name (const char *start,
                          gsize       length);

/* Adds a member name (the text between its quotes); FALSE if the object
 * had it already, escapes decoded. */
static gboolean
scan_level_add_name (ScanLevel  *level,
                     const char *name,
                     gsize       length)
{
  gboolean plain = memchr (name, '\\', length) == NULL;

  if (level->keys == NULL && plain && level->n_names < SCAN_INLINE_NAMES)
    {
      for (guint i = 0; i < level->n_names; i++)
        if (level->lengths[i] == length && memcmp (level->names[i], name, length) == 0)
          return FALSE;
      level->names[level->n_names] = name;
      level->lengths[level->n_names] = length;
      level->n_names++;
      return TRUE;
    }

  if (level->keys == NULL)
    {
      level->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < level->n_names; i++)
        g_hash_table_add (level->keys, g_strndup (level->names[i], level->lengths[i]));
    }

  return g_hash_table_add (level->keys, decode_name (name, length));
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

  levels[0].expect = EXPECT_VALUE;

  while (ok && i < length)
    {
      char ch = data[i];
      ScanLevel *level = &levels[depth];

      switch (ch)
        {
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          i++;
          break;

        case ':':
          if (level->expect != EXPECT_COLON)
            ok = scan_error (error, data, i, _("a colon out of place"));
          level->expect = EXPECT_VALUE;
          i++;
          break;

        case ',':
          if (depth == 0 || level->expect != EXPECT_COMMA_OR_END)
            ok = scan_error (error, data, i, _("a comma out of place"));
          level->expect = level->is_object ? EXPECT_KEY : EXPECT_VALUE;
          i++;
          break;

        case '[':
        case '{':
          if (level->expect == EXPECT_NOTHING)
            {
              ok = scan_error (error, data, i, _("a second value after the first"));
              break;
            }
          if (level->expect != EXPECT_VALUE && level->expect != EXPECT_VALUE_OR_END)
            {
              ok = scan_error (error, data, i, _("a value out of place"));
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
          level->expect = depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
          depth++;
          levels[depth].is_object = ch == '{';
          levels[depth].expect = ch == '{' ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END;
          i++;
          break;

        case ']':
        case '}':
          if (depth == 0)
            {
              ok = scan_error (error, data, i, _("a closing bracket without an opening one"));
              break;
            }
          if (level->is_object != (ch == '}') ||
              (level->expect != EXPECT_COMMA_OR_END &&
               level->expect != (level->is_object ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END)))
            {
              ok = scan_error (error, data, i, _("a closing bracket out of place"));
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
            gboolean is_name = level->expect == EXPECT_KEY || level->expect == EXPECT_KEY_OR_END;

            if (end == 0)
              {
                ok = FALSE;
                break;
              }

            if (level->expect == EXPECT_NOTHING)
              {
                ok = scan_error (error, data, i, _("a second value after the first"));
                break;
              }
            if (!is_name && level->expect != EXPECT_VALUE && level->expect != EXPECT_VALUE_OR_END)
              {
                ok = scan_error (error, data, i, _("a string out of place"));
                break;
              }

            if (is_name)
              {
                if (!scan_level_add_name (level, data + i + 1, end - i - 1))
                  {
                    g_autofree char *name = decode_name (data + i + 1, end - i - 1);
                    g_autofree char *shown = g_utf8_validate (name, -1, NULL)
                                             ? g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 64))
                                             : g_strdup ("?");

                    rota_codec_set_error (error, ROTA_CODEC_ERROR_SYNTAX, shown,
                                          _("The document has the member “%s” twice in one object"),
                                          shown);
                    ok = FALSE;
                    break;
                  }
                level->expect = EXPECT_COLON;
              }
            else
              {
                level->expect = depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
                have_root = have_root || depth == 0;
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
            gsize int_digits;
            guint digits = 0;
            gboolean integer = TRUE;

            if (level->expect == EXPECT_NOTHING)
              {
                ok = scan_error (error, data, i, _("a second value after the first"));
                break;
              }
            if (level->expect != EXPECT_VALUE && level->expect != EXPECT_VALUE_OR_END)
              {
                ok = scan_error (error, data, i, _("a number out of place"));
                break;
              }

            /* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
            i = first_digit;
            while (i < length && g_ascii_isdigit (data[i]))
              i++;
            int_digits = i - first_digit;
            digits = (guint) MIN (int_digits, G_MAXUINT);
            if (int_digits == 0 || (int_digits > 1 && data[first_digit] == '0'))
              {
                ok = scan_error (error, data, start, _("a malformed number"));
                break;
              }
            if (i < length && data[i] == '.')
              {
                gsize fraction = ++i;

                integer = FALSE;
                while (i < length && g_ascii_isdigit (data[i]))
                  i++;
                if (i == fraction)
                  {
                    ok = scan_error (error, data, start, _("a malformed number"));
                    break;
                  }
              }
            if (i < length && (data[i] == 'e' || data[i] == 'E'))
              {
                gsize exponent;

                integer = FALSE;
                i++;
                if (i < length && (data[i] == '+' || data[i] == '-'))
                  i++;
                exponent = i;
                while (i < length && g_ascii_isdigit (data[i]))
                  i++;
                if (i == exponent)
                  {
                    ok = scan_error (error, data, start, _("a malformed number"));
                    break;
                  }
              }

            /* json-glib turns what does not fit 64 bits into garbage. */
            if (integer && !digits_fit_int64 (data + first_digit, digits, data[start] == '-'))
              {
                ok = scan_error (error, data, start, _("an integer too large"));
                break;
              }

            level->expect = depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
            have_root = have_root || depth == 0;
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
            else if (level->expect == EXPECT_NOTHING)
              ok = scan_error (error, data, i, _("a second value after the first"));
            else if (level->expect != EXPECT_VALUE && level->expect != EXPECT_VALUE_OR_END)
              ok = scan_error (error, data, i, _("a value out of place"));
            level->expect = depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
            have_root = have_root || depth == 0;
            i += word_length;
          }
          break;

        default:
          ok = scan_error (error, data, i, _("an unexpected character"));
          break;
        }
    }

  if (ok && (depth > 0 || !have_root))
    ok = scan_error (error, data, length, have_root || depth > 0 ? _("a document that ends too early")
                                                                  : _("an empty document"));

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

/* One member's value, read from a json-glib tree or straight from text,
 * so that both ways share one set of rules and messages. */
typedef enum
{
  VALUE_NULL,
  VALUE_STRING,
  VALUE_INT,
  VALUE_DOUBLE,
  VALUE_BOOL,
  VALUE_ARRAY,
  VALUE_OBJECT,
} ValueKind;

typedef struct
{
  ValueKind    kind;
  const char  *string;       /* VALUE_STRING */
  gint64       integer;      /* VALUE_INT */
  double       number;       /* VALUE_DOUBLE */
  gboolean     boolean;      /* VALUE_BOOL */
  char       **strv;         /* VALUE_ARRAY of strings only, else NULL */
  guint        bad_index;    /* VALUE_ARRAY: the first element not a string */
  ValueKind    bad_kind;     /* and what it is */
} Value;

static const char *
value_kind_name (ValueKind kind)
{
  switch (kind)
    {
    case VALUE_OBJECT:
      return "an object";
    case VALUE_ARRAY:
      return "an array";
    case VALUE_NULL:
      return "null";
    case VALUE_BOOL:
      return "a boolean";
    case VALUE_INT:
      return "an integer";
    case VALUE_DOUBLE:
      return "a number";
    case VALUE_STRING:
      return "a string";
    default:
      return "a value";
    }
}

static ValueKind
node_kind (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return VALUE_OBJECT;
    case JSON_NODE_ARRAY:
      return VALUE_ARRAY;
    case JSON_NODE_NULL:
      return VALUE_NULL;
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          return VALUE_BOOL;
        case G_TYPE_INT64:
          return VALUE_INT;
        case G_TYPE_DOUBLE:
          return VALUE_DOUBLE;
        default:
          return VALUE_STRING;
        }
    }
}

/* @node as a Value; strings point into @node. */
static void
value_from_node (Value    *value,
                 JsonNode *node)
{
  value->kind = node_kind (node);

  switch (value->kind)
    {
    case VALUE_STRING:
      value->string = json_node_get_string (node);
      break;
    case VALUE_INT:
      value->integer = json_node_get_int (node);
      break;
    case VALUE_DOUBLE:
      value->number = json_node_get_double (node);
      break;
    case VALUE_BOOL:
      value->boolean = json_node_get_boolean (node);
      break;
    case VALUE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

        for (guint i = 0; i < n; i++)
          {
            JsonNode *element = json_array_get_element (array, i);

            if (node_kind (element) != VALUE_STRING || json_node_get_string (element) == NULL)
              {
                value->bad_index = i;
                value->bad_kind = node_kind (element);
                return;
              }
            g_strv_builder_add (builder, json_node_get_string (element));
          }
        value->strv = g_strv_builder_end (builder);
      }
      break;
    case VALUE_NULL:
    case VALUE_OBJECT:
    default:
      break;
    }
}

static gboolean
wrong_type (const RotaField  *field,
            const Value      *value,
            const char       *expected,
            GError          **error)
{
  rota_codec_set_error (error, ROTA_CODEC_ERROR_WRONG_TYPE, field->json_name,
                        "%s: expected %s, got %s", field->json_name, expected, value_kind_name (value->kind));
  return FALSE;
}

/* Sets @field of @entity from @value; steals value->strv. */
static gboolean
decode_field (RotaEntity       *entity,
              const RotaField  *field,
              Value            *value,
              GError          **error)
{
  const char *name = field->json_name;

  if (value->kind == VALUE_NULL)
    {
      /* Booleans and numbers have no null: absent means the default.
       * Validation reports required fields that stayed empty. */
      return TRUE;
    }

  switch (field->type)
    {
    case ROTA_FIELD_ID:
      if (value->kind == VALUE_INT)
        {
          if (value->integer < 0)
            {
              rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                    "%s: a numeric id must not be negative", name);
              return FALSE;
            }
          *ROTA_FIELD_PTR (entity, field, char *) = g_strdup_printf ("%" PRId64, value->integer);
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;

    case ROTA_FIELD_STRING:
    case ROTA_FIELD_DATE:
    case ROTA_FIELD_TIME:
      /* An escaped NUL, which json-glib would cut the string at, never
       * gets here: rota_json_check() refuses it. */
      if (value->kind != VALUE_STRING || value->string == NULL)
        return wrong_type (field, value, field->type == ROTA_FIELD_ID ? "a string or an integer id" : "a string", error);
      *ROTA_FIELD_PTR (entity, field, char *) = g_strdup (value->string);
      return TRUE;

    case ROTA_FIELD_INT:
      if (value->kind != VALUE_INT)
        return wrong_type (field, value, "an integer", error);
      *ROTA_FIELD_PTR (entity, field, gint64) = value->integer;
      return TRUE;

    case ROTA_FIELD_DOUBLE:
      if (value->kind == VALUE_INT)
        *ROTA_FIELD_PTR (entity, field, gdouble) = (gdouble) value->integer;
      else if (value->kind == VALUE_DOUBLE)
        *ROTA_FIELD_PTR (entity, field, gdouble) = value->number;
      else
        return wrong_type (field, value, "a number", error);
      return TRUE;

    case ROTA_FIELD_BOOL:
      if (value->kind != VALUE_BOOL)
        return wrong_type (field, value, "true or false", error);
      *ROTA_FIELD_PTR (entity, field, gboolean) = value->boolean;
      return TRUE;

    case ROTA_FIELD_INSTANT:
      if (value->kind != VALUE_STRING)
        return wrong_type (field, value, "a date-time string such as 2026-11-23T08:00:00Z", error);
      {
        gint64 instant = 0;

        /* Offset-less times are Dyflexis wall-clock times in Amsterdam
         * (reference/dyflexis-api.md §1.9). */
        if (!rota_instant_parse (value->string, NULL, &instant))
          {
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: \"%s\" is not a date-time such as 2026-11-23T08:00:00Z "
                                  "between the years 2000 and 2099",
                                  name, value->string);
            return FALSE;
          }
        *ROTA_FIELD_PTR (entity, field, gint64) = instant;
      }
      return TRUE;

    case ROTA_FIELD_ENUM:
      if (value->kind != VALUE_STRING)
        return wrong_type (field, value, "a string", error);
      {
        g_autoptr(GEnumClass) enum_class = g_type_class_ref (field->get_enum_type ());
        GEnumValue *found = g_enum_get_value_by_nick (enum_class, value->string);

        if (found == NULL || found->value == 0)
          {
            g_autoptr(GString) allowed = g_string_new (NULL);

            for (guint i = 1; i < enum_class->n_values; i++)
              g_string_append_printf (allowed, "%s%s", i > 1 ? ", " : "", enum_class->values[i].value_nick);
            rota_codec_set_error (error, ROTA_CODEC_ERROR_INVALID_VALUE, name,
                                  "%s: \"%s\" is not one of %s", name, value->string, allowed->str);
            return FALSE;
          }
        *ROTA_FIELD_PTR (entity, field, int) = found->value;
      }
      return TRUE;

    case ROTA_FIELD_STRV:
      if (value->kind != VALUE_ARRAY)
        return wrong_type (field, value, "an array of strings", error);
      if (value->strv == NULL)
        {
          rota_codec_set_error (error, ROTA_CODEC_ERROR_WRONG_TYPE, name,
                                "%s: element %u: expected a string, got %s",
                                name, value->bad_index, value_kind_name (value->bad_kind));
          return FALSE;
        }
      *ROTA_FIELD_PTR (entity, field, char **) = g_steal_pointer (&value->strv);
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

/* The start of decoding: an entity with its defaults. */
static RotaEntity *
decode_begin (GType type)
{
  return g_object_new (type, NULL);
}

/* A member of the entity's object: a string field that has a default
 * (an office's time zone) loses it when the member is there, even as
 * null, so that a required field sent as null is refused. */
static gboolean
decode_member (RotaEntity       *entity,
               const RotaField  *field,
               Value            *value,
               GError          **error)
{
  gboolean ok;

  if (field->type == ROTA_FIELD_ID || field->type == ROTA_FIELD_STRING ||
      field->type == ROTA_FIELD_DATE || field->type == ROTA_FIELD_TIME)
    g_clear_pointer (ROTA_FIELD_PTR (entity, field, char *), g_free);

  ok = decode_field (entity, field, value, error);
  g_clear_pointer (&value->strv, g_strfreev);

  return ok;
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
                            _("Expected a JSON object, got %s"), value_kind_name (node_kind (node)));
      return NULL;
    }

  object = json_node_get_object (node);
  entity = decode_begin (type);
  klass = ROTA_ENTITY_GET_CLASS (entity);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const RotaField *field = &klass->fields[i];
      JsonNode *member = json_object_get_member (object, field->json_name);
      Value value = { VALUE_NULL, };

      if (member == NULL)
        continue;
      value_from_node (&value, member);
      if (!decode_member (entity, field, &value, error))
        return NULL;
    }

  if (!rota_entity_validate (entity, NULL, error))
    return NULL;

  return g_steal_pointer (&entity);
}

/* Reading from text */

static void
reader_skip_space (RotaJsonReader *reader)
{
  while (reader->pos < reader->end &&
         (*reader->pos == ' ' || *reader->pos == '\t' || *reader->pos == '\n' || *reader->pos == '\r'))
    reader->pos++;
}

/* Consumes @c (after white space) if it is next. */
static gboolean
reader_take (RotaJsonReader *reader,
             char            c)
{
  reader_skip_space (reader);
  if (reader->pos < reader->end && *reader->pos == c)
    {
      reader->pos++;
      return TRUE;
    }
  return FALSE;
}

/**
 * rota_json_reader_init:
 * @reader: a reader
 * @data: JSON text that rota_json_check() accepted
 * @length: its length
 *
 * Starts reading @data from its first value. The reader walks the text
 * without building a tree; it relies on rota_json_check() for syntax,
 * depth, UTF-8 and duplicate members, and checks only types itself.
 */
void
rota_json_reader_init (RotaJsonReader *reader,
                       const char     *data,
                       gsize           length)
{
  reader->pos = data;
  reader->end = data + length;
}

/**
 * rota_json_reader_next_member:
 * @reader: a reader inside an object, just after `{` or after a member's value
 * @name: (out): the member's name, to be freed
 *
 * Returns: %TRUE with the reader at the member's value, %FALSE after the
 *   closing `}`
 */
gboolean
rota_json_reader_next_member (RotaJsonReader  *reader,
                              char           **name)
{
  const char *start;
  gsize i;

  if (reader_take (reader, '}'))
    return FALSE;
  reader_take (reader, ',');
  reader_skip_space (reader);
  if (reader->pos >= reader->end || *reader->pos != '"')
    return FALSE;

  start = ++reader->pos;
  for (i = 0; start + i < reader->end && start[i] != '"'; i++)
    if (start[i] == '\\')
      i++;
  *name = decode_name (start, i);
  reader->pos = MIN (start + i + 1, reader->end);
  reader_take (reader, ':');
  reader_skip_space (reader);

  return TRUE;
}

/**
 * rota_json_reader_enter:
 * @reader: a reader at a value
 * @bracket: `{` or `[`
 *
 * Returns: %TRUE when the value is an object (or array) and the reader
 *   is now inside it
 */
gboolean
rota_json_reader_enter (RotaJsonReader *reader,
                        char            bracket)
{
  return reader_take (reader, bracket);
}

/**
 * rota_json_reader_next_element:
 * @reader: a reader inside an array, just after `[` or after an element
 *
 * Returns: %TRUE with the reader at the next element, %FALSE after the
 *   closing `]`
 */
gboolean
rota_json_reader_next_element (RotaJsonReader *reader)
{
  if (reader_take (reader, ']'))
    return FALSE;
  reader_take (reader, ',');
  reader_skip_space (reader);

  return reader->pos < reader->end;
}

/**
 * rota_json_reader_skip:
 * @reader: a reader at a value
 *
 * Steps over the value, whatever it is.
 */
void
rota_json_reader_skip (RotaJsonReader *reader)
{
  guint depth = 0;

  reader_skip_space (reader);
  do
    {
      if (reader->pos >= reader->end)
        return;

      switch (*reader->pos)
        {
        case '{':
        case '[':
          depth++;
          reader->pos++;
          break;
        case '}':
        case ']':
          depth--;
          reader->pos++;
          break;
        case '"':
          for (reader->pos++; reader->pos < reader->end && *reader->pos != '"'; reader->pos++)
            if (*reader->pos == '\\')
              reader->pos++;
          reader->pos++;
          break;
        default:
          /* A number, true, false or null, or the separators inside a
           * container. */
          reader->pos++;
          if (depth == 0)
            while (reader->pos < reader->end && strchr (",}] \t\r\n", *reader->pos) == NULL)
              reader->pos++;
          break;
        }
    }
  while (depth > 0);
}

/* The value at @reader as a Value; a string goes into @buffer, or is
 * only stepped over when @buffer is NULL (value->string stays NULL). */
static void
reader_read_value (RotaJsonReader *reader,
                   Value          *value,
                   GString        *buffer)
{
  const char *start;

  reader_skip_space (reader);
  if (reader->pos >= reader->end)
    {
      value->kind = VALUE_NULL;
      return;
    }

  start = reader->pos;
  switch (*start)
    {
    case '"':
      {
        gsize i;
        g_autofree char *text = NULL;

        for (i = 1; start + i < reader->end && start[i] != '"'; i++)
          if (start[i] == '\\')
            i++;
        reader->pos = MIN (start + i + 1, reader->end);
        value->kind = VALUE_STRING;
        if (buffer != NULL)
          {
            text = decode_name (start + 1, i - 1);
            g_string_assign (buffer, text);
            value->string = buffer->str;
          }
      }
      return;

    case '{':
      rota_json_reader_skip (reader);
      value->kind = VALUE_OBJECT;
      return;

    case '[':
      {
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
        g_autoptr(GString) element_buffer = g_string_new (NULL);
        gboolean all_strings = TRUE;
        guint index = 0;

        value->kind = VALUE_ARRAY;
        reader->pos++;
        while (rota_json_reader_next_element (reader))
          {
            Value element = { VALUE_NULL, };

            reader_read_value (reader, &element, element_buffer);
            g_clear_pointer (&element.strv, g_strfreev);
            if (all_strings && element.kind != VALUE_STRING)
              {
                all_strings = FALSE;
                value->bad_index = index;
                value->bad_kind = element.kind;
              }
            else if (all_strings)
              g_strv_builder_add (builder, element.string);
            index++;
          }
        if (all_strings)
          value->strv = g_strv_builder_end (builder);
      }
      return;

    case 't':
    case 'f':
      value->kind = VALUE_BOOL;
      value->boolean = *start == 't';
      rota_json_reader_skip (reader);
      return;

    case 'n':
      value->kind = VALUE_NULL;
      rota_json_reader_skip (reader);
      return;

    default:
      {
        const char *end;

        rota_json_reader_skip (reader);
        end = reader->pos;
        /* rota_json_check() made sure an integer fits 64 bits. */
        if (memchr (start, '.', end - start) == NULL && memchr (start, 'e', end - start) == NULL &&
            memchr (start, 'E', end - start) == NULL)
          {
            value->kind = VALUE_INT;
            value->integer = g_ascii_strtoll (start, NULL, 10);
          }
        else
          {
            value->kind = VALUE_DOUBLE;
            value->number = g_ascii_strtod (start, NULL);
          }
      }
      return;
    }
}

/**
 * rota_json_reader_read_string:
 * @reader: a reader at a value
 *
 * Returns: (transfer full) (nullable): the string, or %NULL (the value
 *   stepped over) when it is not one
 */
char *
rota_json_reader_read_string (RotaJsonReader *reader)
{
  const char *start;
  gsize i;

  reader_skip_space (reader);
  if (reader->pos >= reader->end || *reader->pos != '"')
    {
      rota_json_reader_skip (reader);
      return NULL;
    }

  start = reader->pos;
  for (i = 1; start + i < reader->end && start[i] != '"'; i++)
    if (start[i] == '\\')
      i++;
  reader->pos = MIN (start + i + 1, reader->end);

  return decode_name (start + 1, i - 1);
}

/**
 * rota_json_reader_read_int:
 * @reader: a reader at a value
 * @integer: (out): the value
 *
 * Returns: %TRUE if the value was an integer
 */
gboolean
rota_json_reader_read_int (RotaJsonReader *reader,
                           gint64         *integer)
{
  Value value = { VALUE_NULL, };

  reader_read_value (reader, &value, NULL);
  g_clear_pointer (&value.strv, g_strfreev);
  *integer = value.integer;

  return value.kind == VALUE_INT;
}

/**
 * rota_json_reader_read_bool:
 * @reader: a reader at a value
 * @boolean: (out): the value
 *
 * Returns: %TRUE if the value was true or false
 */
gboolean
rota_json_reader_read_bool (RotaJsonReader *reader,
                            gboolean       *boolean)
{
  Value value = { VALUE_NULL, };

  reader_read_value (reader, &value, NULL);
  g_clear_pointer (&value.strv, g_strfreev);
  *boolean = value.boolean;

  return value.kind == VALUE_BOOL;
}

/**
 * rota_json_reader_is_null:
 * @reader: a reader at a value
 *
 * Returns: whether the value there is null (it is not consumed)
 */
gboolean
rota_json_reader_is_null (RotaJsonReader *reader)
{
  reader_skip_space (reader);

  return reader->pos < reader->end && *reader->pos == 'n';
}

/**
 * rota_codec_decode_reader:
 * @type: an entity type, such as %ROTA_TYPE_SHIFT
 * @reader: a reader at the entity's object
 * @error: a location for a #GError, as for rota_codec_decode()
 *
 * rota_codec_decode() straight from text, without a json-glib tree: the
 * same rules, the same messages, several times faster for a change feed.
 * The text must have passed rota_json_check(). The reader ends after the
 * object, also on error.
 *
 * Returns: (transfer full) (nullable): the entity, or %NULL on error
 */
RotaEntity *
rota_codec_decode_reader (GType            type,
                          RotaJsonReader  *reader,
                          GError         **error)
{
  g_autoptr(RotaEntity) entity = NULL;
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(GError) first_error = NULL;
  RotaEntityClass *klass;
  char *name = NULL;
  guint failed_index = G_MAXUINT;

  g_return_val_if_fail (g_type_is_a (type, ROTA_TYPE_ENTITY), NULL);

  reader_skip_space (reader);
  if (!rota_json_reader_enter (reader, '{'))
    {
      Value value = { VALUE_NULL, };

      reader_read_value (reader, &value, buffer);
      g_clear_pointer (&value.strv, g_strfreev);
      rota_codec_set_error (error, ROTA_CODEC_ERROR_WRONG_TYPE, NULL,
                            _("Expected a JSON object, got %s"), value_kind_name (value.kind));
      return NULL;
    }

  entity = decode_begin (type);
  klass = ROTA_ENTITY_GET_CLASS (entity);

  /* Members come in any order; of several bad ones, the first in the
   * entity's field order is reported, as rota_codec_decode() does. */
  while (rota_json_reader_next_member (reader, &name))
    {
      guint index = klass->n_fields;

      for (guint i = 0; i < klass->n_fields && index == klass->n_fields; i++)
        if (strcmp (klass->fields[i].json_name, name) == 0)
          index = i;
      g_clear_pointer (&name, g_free);

      if (index >= MIN (klass->n_fields, failed_index))
        {
          rota_json_reader_skip (reader);
          continue;
        }

      {
        g_autoptr(GError) member_error = NULL;
        Value value = { VALUE_NULL, };

        reader_read_value (reader, &value, buffer);
        if (!decode_member (entity, &klass->fields[index], &value, &member_error))
          {
            failed_index = index;
            g_clear_error (&first_error);
            first_error = g_steal_pointer (&member_error);
          }
      }
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
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
