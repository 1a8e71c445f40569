/* rota-text-cache.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  ROTA_TEXT_PLAIN   = 0,
  ROTA_TEXT_BOLD    = 1 << 0,
  ROTA_TEXT_NUMERIC = 1 << 1, /* figures of one width, as the "numeric" style class */
} RotaTextStyle;

typedef struct
{
  PangoLayout *layout;
  int          width;
  int          height;
} RotaShapedText;

const RotaShapedText *rota_text_cache_lookup (PangoContext  *context,
                                              const char    *text,
                                              RotaTextStyle  style);

G_END_DECLS
