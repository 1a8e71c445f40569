/* gui-testlib.h: what the GUI tests share
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rota-store.h"

G_BEGIN_DECLS

void       gui_test_init        (int          *argc,
                                 char       ***argv);
void       gui_test_iterate     (guint         milliseconds);
gboolean   gui_test_wait_for    (gboolean    (*done) (gpointer),
                                 gpointer      data,
                                 guint         timeout_ms);
char      *gui_test_screenshot  (const char   *name);
RotaStore *gui_test_demo_store  (const char   *dir,
                                 guint         n_employees,
                                 const char   *first_week);
void       gui_test_focus       (GtkWindow    *window);
void       gui_test_close       (GtkWindow    *window);
void       gui_test_keys        (const char   *keys);
void       gui_test_type        (const char   *text);
void       gui_test_drag        (GtkWidget    *widget,
                                 double        from_x,
                                 double        from_y,
                                 GtkWidget    *to_widget,
                                 double        to_x,
                                 double        to_y);

G_END_DECLS
