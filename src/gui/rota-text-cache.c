/* rota-text-cache.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-text-cache"

#include "config.h"

#include "rota-text-cache.h"

/*
 * Shaped texts, kept for the rows that draw their own text (the Planner's
 * and the Punches list's). A week of 2,000 people shows the same few
 * dozen time ranges over and over, and a filter switch brings 200 new
 * rows mostly with texts seen before ("—", the days, the same spans and
 * durations): shaping them again at every frame was most of its time.
 *
 * One cache for every widget: a text is keyed by what lays it out (the
 * context's font, resolution and font options) and its style, so rows
 * share their shapes, and a new font or scale simply makes new ones. The
 * GUI runs on one thread.
 */

#define MAX_TEXTS 20000

static GHashTable *cache;

static void
shaped_text_free (gpointer data)
{
  RotaShapedText *shaped = data;

  g_object_unref (shaped->layout);
  g_free (shaped);
}

/**
 * rota_text_cache_lookup:
 * @context: the context of the widget that draws
 *
 * Returns: (transfer none): @text shaped in @style, with its size in
 *   pixels; valid until the next lookup
 */
const RotaShapedText *
rota_text_cache_lookup (PangoContext  *context,
                        const char    *text,
                        RotaTextStyle  style)
{
  g_autofree char *key = NULL;
  RotaShapedText *shaped;

  g_return_val_if_fail (PANGO_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, shaped_text_free);
  else if (g_hash_table_size (cache) > MAX_TEXTS)
    g_hash_table_remove_all (cache);

  {
    const cairo_font_options_t *options = pango_cairo_context_get_font_options (context);

    key = g_strdup_printf ("%x:%lx:%g:%c%s", pango_font_description_hash (pango_context_get_font_description (context)),
                           options != NULL ? cairo_font_options_hash (options) : 0UL,
                           pango_cairo_context_get_resolution (context), 'a' + style, text);
  }
  shaped = g_hash_table_lookup (cache, key);
  if (shaped == NULL)
    {
      shaped = g_new0 (RotaShapedText, 1);
      shaped->layout = pango_layout_new (context);
      pango_layout_set_text (shaped->layout, text, -1);
      if (style != ROTA_TEXT_PLAIN)
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          if (style & ROTA_TEXT_BOLD)
            pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
          if (style & ROTA_TEXT_NUMERIC)
            pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
          pango_layout_set_attributes (shaped->layout, attrs);
          pango_attr_list_unref (attrs);
        }
      pango_layout_get_pixel_size (shaped->layout, &shaped->width, &shaped->height);
      g_hash_table_insert (cache, g_steal_pointer (&key), shaped);
    }

  return shaped;
}
