/* rota-demo-store.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-demo"

#include "config.h"

#include "rota-demo.h"
#include "rota-model-private.h"
#include "rota-store-private.h"
#include "rota-time.h"

/* Entities per transaction: big enough that the commit's fsync is cheap
 * per row, small enough that the WAL stays a reasonable size. */
#define BATCH_SIZE 50000

typedef struct
{
  RotaStore        *store;
  RotaDemoProgress  progress;
  gpointer          user_data;
  const char       *last_week;
  gint64            first_instant;
  gint64            span;
  guint             in_batch;
  gboolean          in_transaction;
  double            reported;
} FillState;

static gboolean
fill_sink (RotaEntity  *entity,
           gpointer     user_data,
           GError     **error)
{
  FillState *state = user_data;

  if (!rota_store_put_entity (state->store, entity, error))
    return FALSE;

  if (++state->in_batch < BATCH_SIZE)
    return TRUE;

  state->in_batch = 0;

  state->in_transaction = FALSE;
  if (!rota_store_commit (state->store, error))
    return FALSE;

  /* Shifts arrive week by week, so their start tells how far we are. */
  if (state->progress != NULL && ROTA_IS_SHIFT (entity) && state->span > 0)
    {
      double fraction = (double) (ROTA_SHIFT (entity)->start - state->first_instant) / (double) state->span;

      fraction = CLAMP (fraction, 0.0, 1.0);
      if (fraction > state->reported)
        {
          state->reported = fraction;
          state->progress (fraction, state->user_data);
        }
    }

  state->in_transaction = rota_store_begin (state->store, error);

  return state->in_transaction;
}

/**
 * rota_demo_fill_store:
 * @store: an empty, writable store
 * @options: what to generate
 * @progress: (nullable) (scope call): called as the work proceeds
 * @user_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * Generates demo data into @store as server state, in batches of
 * transactions. On error, the batches committed so far stay.
 *
 * Returns: %TRUE on success
 */
gboolean
rota_demo_fill_store (RotaStore              *store,
                      const RotaDemoOptions  *options,
                      RotaDemoProgress        progress,
                      gpointer                user_data,
                      GCancellable           *cancellable,
                      GError                **error)
{
  FillState state = { 0 };
  gboolean ok;

  g_return_val_if_fail (ROTA_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  state.store = store;
  state.progress = progress;
  state.user_data = user_data;
  state.first_instant = rota_time_day_start (rota_time_zone_get (NULL), options->first_week);
  state.span = (gint64) options->n_weeks * 7 * 24 * 60 * 60;

  if (!rota_store_begin (store, error))
    return FALSE;
  state.in_transaction = TRUE;

  /* A large tenant's random ids touch index pages all over the file: a
   * bigger page cache saves rereads, and fewer, larger checkpoints save
   * copying the same pages from the WAL again and again. Set while the
   * transaction holds the store's lock, and set back whatever happens. */
  _rota_store_exec (_rota_store_get_db (store), "PRAGMA cache_size = -262144; PRAGMA wal_autocheckpoint = 65536", NULL);

  ok = rota_demo_generate (options, fill_sink, &state, cancellable, error);

  if (!state.in_transaction && !rota_store_begin (store, ok ? error : NULL))
    return FALSE;
  _rota_store_exec (_rota_store_get_db (store), "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 1000", NULL);

  if (!ok)
    {
      rota_store_rollback (store);
      return FALSE;
    }

  if (!rota_store_commit (store, error))
    return FALSE;

  if (progress != NULL)
    progress (1.0, user_data);

  return TRUE;
}
