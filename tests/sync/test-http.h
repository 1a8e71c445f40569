/* test-http.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _TestHttp TestHttp;

TestHttp   *test_http_start    (SoupServerCallback  handler,
                                gpointer            user_data) G_GNUC_WARN_UNUSED_RESULT;
const char *test_http_get_base (TestHttp           *self);
void        test_http_stop     (TestHttp           *self);

G_END_DECLS
