/* fuzz-codec.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * libFuzzer harness for the JSON codec: whatever the input, decoding must
 * either fail with an error or give an entity that encodes and decodes to
 * itself; and decoding straight from the text (the change feed's way)
 * must say exactly what decoding through json-glib says. The replay
 * driver runs the corpus in every test run.
 */

#include "config.h"

#include <string.h>

#include "rota-codec.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const GType *types;
  guint n_types;

  types = rota_entity_get_types (&n_types);

  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) text_error = NULL;
      g_autoptr(RotaEntity) entity = NULL;
      g_autoptr(RotaEntity) from_text = NULL;
      g_autoptr(RotaEntity) again = NULL;
      g_autofree char *text = NULL;

      entity = rota_codec_decode_string (types[i], (const char *) data, size, &error);

      if (rota_json_check ((const char *) data, size, 0, NULL))
        {
          RotaJsonReader reader;

          rota_json_reader_init (&reader, (const char *) data, size);
          from_text = rota_codec_decode_reader (types[i], &reader, &text_error);
          g_assert ((entity == NULL) == (from_text == NULL));
          if (entity != NULL)
            g_assert (rota_entity_equal (entity, from_text));
          else
            g_assert (text_error != NULL && g_str_equal (text_error->message, error->message));
        }

      if (entity == NULL)
        {
          g_assert (error != NULL && error->domain == ROTA_CODEC_ERROR);
          continue;
        }

      g_assert (error == NULL);
      g_assert (rota_entity_validate (entity, NULL, NULL));

      text = rota_codec_encode_string (entity, ROTA_CODEC_DEFAULT);
      again = rota_codec_decode_string (types[i], text, strlen (text), &error);
      g_assert (again != NULL);
      g_assert (rota_entity_equal (entity, again));
    }

  return 0;
}
