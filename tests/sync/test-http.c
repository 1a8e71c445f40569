/* test-http.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * A plain HTTP server on loopback in a thread of the test, for the fakes
 * and the proxy the sync tests talk to: its own GMainContext and loop on
 * the thread, a port the kernel chooses, and one handler for every path.
 * The handler runs on that thread, so what it shares with the test needs
 * the test's own lock.
 */

#include "config.h"

#include "test-http.h"

struct _TestHttp
{
  GMutex              lock;
  GCond               ready;
  GThread            *thread;
  GMainContext       *context;
  GMainLoop          *loop;
  SoupServerCallback  handler;
  gpointer            user_data;
  char               *base;     /* set once the server listens, then never changed */
};

static gpointer
serve (gpointer data)
{
  TestHttp *self = data;
  g_autoptr(GError) error = NULL;
  SoupServer *server;
  GSList *uris;

  g_main_context_push_thread_default (self->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, self->handler, self->user_data, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);

  g_mutex_lock (&self->lock);
  self->base = g_uri_to_string (uris->data);
  g_cond_signal (&self->ready);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (self->loop);

  soup_server_disconnect (server);
  g_object_unref (server);
  g_main_context_pop_thread_default (self->context);

  return NULL;
}

/**
 * test_http_start:
 * @handler: answers every request, on the server's thread
 * @user_data: for @handler
 *
 * Returns: (transfer full): a server that listens on 127.0.0.1 already;
 *   stop it with test_http_stop()
 */
TestHttp *
test_http_start (SoupServerCallback handler,
                 gpointer           user_data)
{
  TestHttp *self = g_new0 (TestHttp, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->ready);
  self->handler = handler;
  self->user_data = user_data;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  g_mutex_lock (&self->lock);
  self->thread = g_thread_new ("test-http", serve, self);
  while (self->base == NULL)
    g_cond_wait (&self->ready, &self->lock);
  g_mutex_unlock (&self->lock);

  return self;
}

/* "http://127.0.0.1:PORT/"; from any thread, until test_http_stop(). */
const char *
test_http_get_base (TestHttp *self)
{
  return self->base;
}

/* Ends the loop, waits for the thread (which disconnects and frees the
 * server), and frees @self. The handler is not called again after this. */
void
test_http_stop (TestHttp *self)
{
  g_main_loop_quit (self->loop);
  g_main_context_wakeup (self->context);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_free (self->base);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->ready);
  g_free (self);
}
