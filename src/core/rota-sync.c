/* rota-sync.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "rota-codec.h"
#include "rota-enum-types.h"
#include "rota-mirror.h"
#include "rota-model-private.h"
#include "rota-models.h"
#include "rota-store-mirror.h"
#include "rota-sync.h"
#include "rota-time.h"

/*
 * The sync engine of DESIGN §4: push the outbox in order, then pull the
 * change feed.
 *
 * Push: every item goes with the idempotency key it was made with, on
 * every try, so a write the server committed before the connection broke
 * is answered again rather than done twice (a PUT carries its If-Match
 * as well). The answer is stored and the item removed in one transaction
 * (rota_store_outbox_complete()). A 412 makes the item a conflict that
 * keeps both versions until someone resolves it; a refusal of the content
 * (400, 409, 413, 415, 422, 428) parks it with the server's message.
 * Later edits of a record with a conflict or a parked edit wait behind it,
 * since they were made on top of it; other records go on.
 *
 * Pull: pages of the change feed, each applied together with its cursor
 * in one transaction, so a crash repeats at most one page, and a repeated
 * page changes nothing (older versions never overwrite newer ones).
 *
 * Against a plain Dyflexis server only punches can be pushed (clock-in
 * and clock-out); other local edits stay local, and are counted as such.
 * Instead of the change feed, the window from ROTA_SYNC_MIRROR_DAYS_BACK
 * days ago to ROTA_SYNC_MIRROR_DAYS_AHEAD days ahead is mirrored again
 * (rota-mirror.c).
 *
 * A kiosk (a token with only the clock scope) gets no shifts from the
 * change feed. After the feed it reads the published shifts of
 * ROTA_SYNC_KIOSK_DAYS_BACK days ago to ROTA_SYNC_KIOSK_DAYS_AHEAD days
 * ahead from getScheduled, which the server cuts down to what a kiosk
 * needs, and replaces its shifts with them (pull_kiosk_shifts ()). Being
 * a window read again at every sync, it needs no cursor: a shift that
 * enters the window is read then, and one that leaves it, is unpublished
 * or deleted goes.
 *
 * rota_sync_run() does one sync on the calling thread. rota_sync_start()
 * runs syncs on a worker thread: at once, then on a timer, when the
 * network comes back, and when rota_sync_request() asks. Properties are
 * only ever changed on the main context of the thread that made the
 * engine, so a UI can bind them.
 */

/* The share of the progress bar the push takes; the pull has the rest. */
#define PUSH_SHARE 0.2

struct _RotaSync
{
  GObject          parent_instance;

  RotaStore       *store;
  RotaClient      *client;
  GMainContext    *context;          /* where properties change */

  GMutex           run_lock;         /* one sync at a time */

  /* The worker, under @lock. */
  GMutex           lock;
  GCond            cond;
  GThread         *thread;
  GCancellable    *cancellable;
  gboolean         stopping;
  gboolean         requested;
  guint            interval;

  GNetworkMonitor *monitor;
  gulong           network_handler;

  /* What the properties say; owned by @context's thread. */
  RotaSyncState    state;
  gint64           last_success;
  gint64           pending;
  gint64           conflicts;
  gint64           parked;
  gint64           local_only;
  double           progress;
  char            *message;
  gint64           server_offset;    /* seconds; by the last Date header */
};

G_DEFINE_FINAL_TYPE (RotaSync, rota_sync, G_TYPE_OBJECT)

G_DEFINE_QUARK (rota-sync-error-quark, rota_sync_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_STATE,
  PROP_LAST_SUCCESS,
  PROP_PENDING,
  PROP_CONFLICTS,
  PROP_PARKED,
  PROP_LOCAL_ONLY,
  PROP_PROGRESS,
  PROP_MESSAGE,
  PROP_INTERVAL,
  PROP_SERVER_OFFSET,
  N_PROPS
};

enum {
  FINISHED,
  SERVER_REACHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Publishing state */

/* A snapshot of the engine's state, carried to its main context. */
typedef struct
{
  RotaSync      *self;
  RotaSyncState  state;
  double         progress;
  char          *message;
  gboolean       has_counts;
  gint64         pending;
  gint64         conflicts;
  gint64         parked;
  gint64         local_only;
  gint64         last_success;
  gboolean       finished;
  gboolean       reached;          /* the server answered with its time */
  gint64         server_offset;
} Update;

static void
update_free (gpointer data)
{
  Update *update = data;

  g_object_unref (update->self);
  g_free (update->message);
  g_free (update);
}

#define SET_AND_NOTIFY(field, value, prop)                                              \
  G_STMT_START {                                                                        \
    if (self->field != (value))                                                         \
      {                                                                                 \
        self->field = (value);                                                          \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);                   \
      }                                                                                 \
  } G_STMT_END

static gboolean
apply_update (gpointer data)
{
  Update *update = data;
  RotaSync *self = update->self;

  g_object_freeze_notify (G_OBJECT (self));

  SET_AND_NOTIFY (state, update->state, PROP_STATE);
  SET_AND_NOTIFY (progress, update->progress, PROP_PROGRESS);
  if (g_strcmp0 (self->message, update->message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (update->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  if (update->has_counts)
    {
      SET_AND_NOTIFY (pending, update->pending, PROP_PENDING);
      SET_AND_NOTIFY (conflicts, update->conflicts, PROP_CONFLICTS);
      SET_AND_NOTIFY (parked, update->parked, PROP_PARKED);
      SET_AND_NOTIFY (local_only, update->local_only, PROP_LOCAL_ONLY);
      SET_AND_NOTIFY (last_success, update->last_success, PROP_LAST_SUCCESS);
    }
  if (update->reached)
    SET_AND_NOTIFY (server_offset, update->server_offset, PROP_SERVER_OFFSET);

  g_object_thaw_notify (G_OBJECT (self));

  if (update->reached)
    g_signal_emit (self, signals[SERVER_REACHED], 0);
  if (update->finished)
    g_signal_emit (self, signals[FINISHED], 0);

  return G_SOURCE_REMOVE;
}

static void
publish (RotaSync      *self,
         RotaSyncState  state,
         double         progress,
         const char    *message)
{
  Update *update = g_new0 (Update, 1);

  update->self = g_object_ref (self);
  update->state = state;
  update->progress = progress;
  update->message = g_strdup (message);

  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, apply_update, update, update_free);
}

/* The end of a sync: the counts from the store with the final state. */
static void
publish_finished (RotaSync      *self,
                  RotaSyncState  state,
                  const char    *message,
                  gint64         local_only,
                  gint64         contact_before)
{
  Update *update = g_new0 (Update, 1);
  gint64 offset_ms = 0;
  gint64 contact = 0;

  update->self = g_object_ref (self);
  update->state = state;
  update->progress = state == ROTA_SYNC_STATE_IDLE ? 1.0 : 0.0;
  update->message = g_strdup (message);
  update->has_counts = rota_store_count_outbox (self->store, &update->pending, &update->conflicts,
                                                &update->parked, NULL);
  update->local_only = local_only;
  update->last_success = rota_store_get_cursor (self->store, ROTA_SYNC_CURSOR_SYNCED_AT);
  update->finished = TRUE;
  update->reached = rota_client_get_server_time (self->client, &offset_ms, NULL, &contact) &&
                    contact != contact_before;
  update->server_offset = (offset_ms + (offset_ms < 0 ? -500 : 500)) / 1000;

  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, apply_update, update, update_free);
}

/* Push */

/* Where an outbox item goes; NULL when it cannot go to this server. */
static char *
item_path (RotaSync       *self,
           RotaOutboxItem *item,
           GError        **error)
{
  gboolean dyflexis = rota_client_get_profile (self->client) == ROTA_CLIENT_PROFILE_DYFLEXIS;

  if (g_str_equal (item->kind, "punch"))
    {
      g_autoptr(RotaEntity) punch = rota_codec_decode_string (ROTA_TYPE_PUNCH, item->payload,
                                                              strlen (item->payload), error);

      if (punch == NULL)
        return NULL;
      if (ROTA_PUNCH (punch)->kind == ROTA_PUNCH_KIND_IN || ROTA_PUNCH (punch)->kind == ROTA_PUNCH_KIND_BREAK_END)
        return g_strdup ("api/clock/v3/clock-in");
      return g_strdup ("api/clock/v3/clock-out");
    }

  /* Plain Dyflexis takes clock-ins and clock-outs, and nothing else. */
  if (dyflexis)
    return NULL;

  if (g_str_equal (item->kind, "shift"))
    return g_strconcat ("api/planning/v3/shifts/", item->entity_id, NULL);
  if (g_str_equal (item->kind, "absence"))
    return g_strconcat ("api/absence/v3/absences/", item->entity_id, NULL);
  if (g_str_equal (item->kind, "availability"))
    return g_strconcat ("api/planning/v3/availability/", item->entity_id, NULL);
  if (g_str_equal (item->kind, "punch_correction"))
    return g_strdup ("api/clock/v3/punch-corrections");
  if (g_str_equal (item->kind, "approval"))
    return g_strdup ("api/business/v3/approvals");

  return NULL;
}

static char *
entity_key (const char *kind,
            const char *id)
{
  return g_strconcat (kind, "\x1f", id, NULL);
}

/* What a person reads about an edit the server refused: in their words
 * for the refusals HR meets (an approval of a day that changed, or of a
 * day with a punch missing), the server's message with its status for
 * the rest. */
static char *
parked_message (JsonNode   *error_body,
                const char *fallback)
{
  JsonObject *object = error_body != NULL && JSON_NODE_HOLDS_OBJECT (error_body)
                       ? json_node_get_object (error_body) : NULL;
  JsonNode *inner = object != NULL ? json_object_get_member (object, "error") : NULL;
  const char *code = NULL;

  if (inner != NULL && JSON_NODE_HOLDS_OBJECT (inner) &&
      json_object_has_member (json_node_get_object (inner), "code") &&
      json_node_get_value_type (json_object_get_member (json_node_get_object (inner), "code")) == G_TYPE_STRING)
    code = json_object_get_string_member (json_node_get_object (inner), "code");

  if (g_strcmp0 (code, "day_changed") == 0)
    return g_strdup (_("The day changed on the server after it was reviewed here (a correction or a punch "
                       "came in): review it again, then approve it"));
  if (g_strcmp0 (code, "incomplete") == 0)
    return g_strdup (_("A clock-in or clock-out of the day is missing or doubled on the server: correct "
                       "the day, then approve it"));

  return g_strdup (fallback);
}

/* Sends one item and stores the outcome. Returns FALSE (with @error) when
 * the sync cannot go on: the server is unreachable, refuses the token, or
 * fails. *blocked says that later edits of the same record must wait. */
static gboolean
push_item (RotaSync        *self,
           RotaOutboxItem  *item,
           const char      *path,
           gint64           base_version,
           gint64          *new_version,
           gboolean        *blocked,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) error_body = NULL;
  g_autoptr(GError) local_error = NULL;
  GType type = rota_entity_type_from_kind (item->kind);
  const char *method;
  gint64 if_match = ROTA_CLIENT_NO_PRECONDITION;
  guint status = 0;

  *blocked = FALSE;
  *new_version = -1;

  switch (item->op)
    {
    case ROTA_OUTBOX_OP_PUT:
      method = "PUT";
      if_match = base_version;
      break;

    case ROTA_OUTBOX_OP_DELETE:
      method = "DELETE";
      if_match = base_version;
      /* Made and deleted before the server ever had it. */
      if (base_version == 0)
        return rota_store_outbox_complete (self->store, item->seq, NULL, error);
      break;

    case ROTA_OUTBOX_OP_POST:
      method = "POST";
      break;

    case ROTA_OUTBOX_OP_NONE:
    default:
      g_return_val_if_reached (FALSE);
    }

  g_debug ("Sending outbox item %" G_GINT64_FORMAT ": %s %s", item->seq, method, path);

  answer = rota_client_send (self->client, method, path,
                             item->op == ROTA_OUTBOX_OP_DELETE ? NULL : item->payload,
                             item->idempotency_key, if_match, &status, &error_body,
                             cancellable, &local_error);

  if (answer != NULL)
    {
      g_autoptr(RotaEntity) entity = NULL;

      if (item->op != ROTA_OUTBOX_OP_DELETE)
        {
          entity = rota_codec_decode (type, answer, &local_error);
          if (entity == NULL)
            {
              g_set_error (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                           _("The server accepted a change but answered with something that is not a %s: %s"),
                           item->kind, local_error->message);
              return FALSE;
            }
          *new_version = rota_entity_get_version (entity);
        }

      return rota_store_outbox_complete (self->store, item->seq, entity, error);
    }

  if (status == SOUP_STATUS_PRECONDITION_FAILED)
    {
      g_autoptr(RotaEntity) theirs = NULL;
      g_autofree char *theirs_json = NULL;

      if (error_body != NULL && JSON_NODE_HOLDS_OBJECT (error_body) &&
          !json_object_has_member (json_node_get_object (error_body), "error"))
        theirs = rota_codec_decode (type, error_body, NULL);
      if (theirs != NULL)
        theirs_json = rota_codec_encode_string (theirs, ROTA_CODEC_DEFAULT);

      *blocked = TRUE;
      return rota_store_outbox_set_state (self->store, item->seq, ROTA_OUTBOX_STATE_CONFLICT,
                                          theirs != NULL ? _("Someone else changed this on the server first")
                                                         : local_error->message,
                                          theirs_json, error);
    }

  /* Deleting what the server does not have is done. */
  if (status == SOUP_STATUS_NOT_FOUND && item->op == ROTA_OUTBOX_OP_DELETE)
    return rota_store_outbox_complete (self->store, item->seq, NULL, error);

  if (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_CONFLICT ||
      status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE || status == SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE ||
      status == 422 || status == 428)
    {
      g_autofree char *message = parked_message (error_body, local_error->message);

      *blocked = TRUE;
      return rota_store_outbox_set_state (self->store, item->seq, ROTA_OUTBOX_STATE_PARKED,
                                          message, NULL, error);
    }

  /* Unreachable, the token refused, or the server failing: the item stays
   * as it is, and is sent again with the same key next time. */
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
push (RotaSync      *self,
      gint64        *local_only,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) blocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  *local_only = 0;

  items = rota_store_list_outbox (self->store, error);
  if (items == NULL)
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      RotaOutboxItem *item = g_ptr_array_index (items, i);
      g_autofree char *key = entity_key (item->kind, item->entity_id);
      g_autofree char *path = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 *known_version;
      gint64 new_version = -1;
      gboolean now_blocked = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (item->state != ROTA_OUTBOX_STATE_PENDING || g_hash_table_contains (blocked, key))
        {
          g_hash_table_add (blocked, g_steal_pointer (&key));
          continue;
        }

      path = item_path (self, item, &local_error);
      if (path == NULL && local_error != NULL)
        {
          /* A payload that does not decode can never be sent. */
          if (!rota_store_outbox_set_state (self->store, item->seq, ROTA_OUTBOX_STATE_PARKED,
                                            local_error->message, NULL, error))
            return FALSE;
          g_hash_table_add (blocked, g_steal_pointer (&key));
          continue;
        }
      if (path == NULL)
        {
          (*local_only)++;
          g_hash_table_add (blocked, g_steal_pointer (&key));
          continue;
        }

      publish (self, ROTA_SYNC_STATE_SYNCING, PUSH_SHARE * i / items->len, NULL);

      /* An earlier item of this record was completed in this sync: the
       * store moved this one onto the server's new version. */
      known_version = g_hash_table_lookup (versions, key);
      if (!push_item (self, item, path, known_version != NULL ? *known_version : item->base_version,
                      &new_version, &now_blocked, cancellable, error))
        return FALSE;

      if (now_blocked)
        g_hash_table_add (blocked, g_steal_pointer (&key));
      else if (new_version >= 0)
        g_hash_table_insert (versions, g_steal_pointer (&key), g_memdup2 (&new_version, sizeof new_version));
    }

  return TRUE;
}

/* Pull */

/* One page of the change feed, read and decoded. */
typedef struct
{
  GPtrArray *entities;
  GPtrArray *deletions;
  gint64     revision;
  gint64     latest;      /* 0 when the server did not say */
  gboolean   has_more;
  guint      status;      /* of a failed request */
  GError    *error;       /* why this is not a page */
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->entities, g_ptr_array_unref);
  g_clear_pointer (&page->deletions, g_ptr_array_unref);
  g_clear_error (&page->error);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

static GType
type_of_kind (GHashTable *types,
              const char *kind)
{
  GType type;

  /* Looked up once per kind: a page has thousands of changes. */
  if (!g_hash_table_lookup_extended (types, kind, NULL, (gpointer *) &type))
    {
      type = rota_entity_type_from_kind (kind);
      g_hash_table_insert (types, g_strdup (kind), GSIZE_TO_POINTER (type));
    }

  return type;
}

/* One change, from `{` to `}`: into @entities or @deletions. Unknown
 * kinds (from a newer server) are skipped. The data is decoded when the
 * change's kind is known, wherever the members stand. */
static gboolean
read_change (RotaJsonReader  *reader,
             guint            index,
             GHashTable      *types,
             GPtrArray       *entities,
             GPtrArray       *deletions,
             GError         **error)
{
  g_autofree char *kind = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) local_error = NULL;
  RotaJsonReader data = { NULL, NULL };
  gboolean have_version = FALSE;
  gboolean have_deleted = FALSE;
  gboolean well_typed = TRUE;
  gint64 version = 0;
  gboolean deleted = FALSE;
  char *name = NULL;
  GType type;

  if (!rota_json_reader_enter (reader, '{'))
    {
      rota_json_reader_skip (reader);
      well_typed = FALSE;
    }
  else
    while (rota_json_reader_next_member (reader, &name))
      {
        if (g_str_equal (name, "entity") && kind == NULL)
          well_typed &= (kind = rota_json_reader_read_string (reader)) != NULL;
        else if (g_str_equal (name, "id") && id == NULL)
          well_typed &= (id = rota_json_reader_read_string (reader)) != NULL;
        else if (g_str_equal (name, "version"))
          well_typed &= have_version = rota_json_reader_read_int (reader, &version);
        else if (g_str_equal (name, "deleted"))
          well_typed &= have_deleted = rota_json_reader_read_bool (reader, &deleted);
        else if (g_str_equal (name, "data"))
          {
            data = *reader;
            rota_json_reader_skip (reader);
          }
        else
          rota_json_reader_skip (reader);
        g_clear_pointer (&name, g_free);
      }

  if (!well_typed || kind == NULL || id == NULL || !have_version || !have_deleted || data.pos == NULL)
    {
      g_set_error (error, ROTA_SYNC_ERROR, ROTA_SYNC_ERROR_BAD_FEED,
                   _("Change %u of the server's feed lacks its entity, id, version, deleted or data"), index + 1);
      return FALSE;
    }

  type = type_of_kind (types, kind);
  if (type == G_TYPE_INVALID || g_str_equal (kind, "audit"))
    {
      g_debug ("Skipping a change of the unknown kind “%s”", kind);
      return TRUE;
    }

  if (deleted)
    {
      g_ptr_array_add (deletions, g_object_new (type, "id", id, "version", version, NULL));
      return TRUE;
    }

  {
    RotaEntity *entity = rota_codec_decode_reader (type, &data, &local_error);

    if (entity == NULL)
      {
        g_set_error (error, ROTA_SYNC_ERROR, ROTA_SYNC_ERROR_BAD_FEED,
                     _("The server sent a %s (%s) that cannot be used: %s"), kind, id, local_error->message);
        return FALSE;
      }
    if (g_strcmp0 (rota_entity_get_id (entity), id) != 0)
      {
        g_object_unref (entity);
        g_set_error (error, ROTA_SYNC_ERROR, ROTA_SYNC_ERROR_BAD_FEED,
                     _("The server sent a %s under the id %s whose data has another id"), kind, id);
        return FALSE;
      }
    g_ptr_array_add (entities, entity);
  }

  return TRUE;
}

/* A page of the feed after @since, from its text: checked whole first
 * (size, UTF-8, grammar, depth, duplicate members), then read without a
 * json-glib tree, which would be most of a large sync's time. */
static Page *
read_page (const char  *text,
           gsize        length,
           gint64       since,
           GHashTable  *types)
{
  g_autoptr(Page) page = g_new0 (Page, 1);
  g_autoptr(GError) local_error = NULL;
  RotaJsonReader reader;
  gboolean have_changes = FALSE;
  gboolean have_revision = FALSE;
  gboolean have_more = FALSE;
  gboolean well_typed = TRUE;
  char *name = NULL;
  char number[32];

  page->entities = g_ptr_array_new_with_free_func (g_object_unref);
  page->deletions = g_ptr_array_new_with_free_func (g_object_unref);

  if (!rota_json_check (text, length, ROTA_CLIENT_MAX_RESPONSE, &local_error))
    {
      g_set_error (&page->error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_BAD_RESPONSE,
                   _("The server's answer is not valid JSON: %s"), local_error->message);
      return g_steal_pointer (&page);
    }

  rota_json_reader_init (&reader, text, length);
  if (rota_json_reader_enter (&reader, '{'))
    while (rota_json_reader_next_member (&reader, &name))
      {
        if (g_str_equal (name, "revision"))
          well_typed &= have_revision = rota_json_reader_read_int (&reader, &page->revision);
        else if (g_str_equal (name, "hasMore"))
          well_typed &= have_more = rota_json_reader_read_bool (&reader, &page->has_more);
        else if (g_str_equal (name, "latestRevision"))
          {
            if (!rota_json_reader_read_int (&reader, &page->latest))
              page->latest = 0;
          }
        else if (g_str_equal (name, "changes") && rota_json_reader_enter (&reader, '['))
          {
            have_changes = TRUE;
            for (guint i = 0; rota_json_reader_next_element (&reader); i++)
              if (!read_change (&reader, i, types, page->entities, page->deletions, &page->error))
                {
                  g_clear_pointer (&name, g_free);
                  return g_steal_pointer (&page);
                }
          }
        else
          rota_json_reader_skip (&reader);
        g_clear_pointer (&name, g_free);
      }

  if (!well_typed || !have_changes || !have_revision || !have_more ||
      page->revision < since || (page->has_more && page->revision == since))
    {
      g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, since);
      g_set_error (&page->error, ROTA_SYNC_ERROR, ROTA_SYNC_ERROR_BAD_FEED,
                   _("The server's change feed after revision %s is not a page of changes"), number);
    }

  return g_steal_pointer (&page);
}

/* The pages of one pull, fetched and decoded on a thread of their own
 * while the sync applies the ones before: the network, the server and
 * the decoding overlap the writing. At most PIPELINE_DEPTH pages wait:
 * a batch's worth and two more, so that fetching goes on all the while
 * a batch is written. */
#define PIPELINE_DEPTH (ROTA_SYNC_BATCH / ROTA_SYNC_PAGE_SIZE + 2)

typedef struct
{
  RotaClient   *client;
  GCancellable *cancellable;   /* the sync's, and the pipeline's own stop */
  gint64        since;
  GMutex        lock;
  GCond         cond;
  GQueue        pages;
  gboolean      stopped;       /* the consumer went away */
  gint64        fetch_us;      /* where the time went, for the debug log */
  gint64        read_us;
} Pipeline;

static gpointer
fetch_pages (gpointer data)
{
  Pipeline *pipeline = data;
  g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 since = pipeline->since;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *path = NULL;
      GError *error = NULL;
      Page *page;
      guint status = 0;

      gint64 started = g_get_monotonic_time ();

      path = g_strdup_printf ("api/sync/v3/changes?since=%" G_GINT64_FORMAT "&limit=%d", since, ROTA_SYNC_PAGE_SIZE);
      bytes = rota_client_get_bytes (pipeline->client, path, &status, pipeline->cancellable, &error);
      pipeline->fetch_us += g_get_monotonic_time () - started;
      started = g_get_monotonic_time ();
      if (bytes == NULL)
        {
          page = g_new0 (Page, 1);
          page->error = error;
          page->status = status;
        }
      else
        page = read_page (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), since, types);
      pipeline->read_us += g_get_monotonic_time () - started;

      more = page->error == NULL && page->has_more;
      since = page->revision;

      g_mutex_lock (&pipeline->lock);
      while (!pipeline->stopped && g_queue_get_length (&pipeline->pages) >= PIPELINE_DEPTH)
        g_cond_wait (&pipeline->cond, &pipeline->lock);
      if (pipeline->stopped)
        {
          g_mutex_unlock (&pipeline->lock);
          page_free (page);
          break;
        }
      g_queue_push_tail (&pipeline->pages, page);
      g_cond_broadcast (&pipeline->cond);
      g_mutex_unlock (&pipeline->lock);
    }

  return NULL;
}

static Page *
next_page (Pipeline *pipeline)
{
  Page *page;

  g_mutex_lock (&pipeline->lock);
  while (g_queue_is_empty (&pipeline->pages))
    g_cond_wait (&pipeline->cond, &pipeline->lock);
  page = g_queue_pop_head (&pipeline->pages);
  g_cond_broadcast (&pipeline->cond);
  g_mutex_unlock (&pipeline->lock);

  return page;
}

/* Stops the fetching thread and waits for it. */
static void
pipeline_stop (Pipeline *pipeline,
               GThread  *thread)
{
  g_mutex_lock (&pipeline->lock);
  pipeline->stopped = TRUE;
  g_cond_broadcast (&pipeline->cond);
  g_mutex_unlock (&pipeline->lock);
  g_cancellable_cancel (pipeline->cancellable);
  g_thread_join (thread);

  g_queue_clear_full (&pipeline->pages, (GDestroyNotify) page_free);
  g_mutex_clear (&pipeline->lock);
  g_cond_clear (&pipeline->cond);
}

static void
forward_cancel (GCancellable *from,
                GCancellable *to)
{
  g_cancellable_cancel (to);
}

/* Applies what was gathered, with the cursor of its last page, in one
 * transaction. */
static gboolean
apply_batch (RotaSync   *self,
             GPtrArray  *entities,
             GPtrArray  *deletions,
             gint64      revision,
             GError    **error)
{
  gboolean ok = rota_store_apply_feed (self->store, entities, deletions, ROTA_SYNC_CURSOR_CHANGES, revision, error);

  g_ptr_array_set_size (entities, 0);
  g_ptr_array_set_size (deletions, 0);

  return ok;
}

/* One pull from @since: FALSE with @error on failure; *restart when the
 * server is behind the cache and everything must be pulled again. */
static gboolean
pull_from (RotaSync      *self,
           gint64         since,
           gboolean      *restart,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GPtrArray) entities = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) deletions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GCancellable) own = g_cancellable_new ();
  Pipeline pipeline = { self->client, own, since, };
  GThread *thread;
  gint64 start = since;
  gint64 applied = since;
  gint64 began = g_get_monotonic_time ();
  gint64 wait_us = 0;
  gint64 apply_us = 0;
  guint changes = 0;
  gulong forward = 0;
  gboolean ok = TRUE;

  *restart = FALSE;

  g_mutex_init (&pipeline.lock);
  g_cond_init (&pipeline.cond);
  g_queue_init (&pipeline.pages);
  if (cancellable != NULL)
    forward = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel), g_object_ref (own), g_object_unref);
  thread = g_thread_new ("rota-sync-fetch", fetch_pages, &pipeline);

  for (gboolean first = TRUE; ; first = FALSE)
    {
      gint64 waited = g_get_monotonic_time ();
      g_autoptr(Page) page = next_page (&pipeline);
      gboolean last = page->error == NULL && !page->has_more;

      wait_us += g_get_monotonic_time () - waited;

      if (page->error != NULL)
        {
          /* The server was restored from an older backup. */
          if (first && page->status == SOUP_STATUS_CONFLICT && since > 0)
            *restart = TRUE;
          else
            g_propagate_error (error, g_steal_pointer (&page->error));
          ok = FALSE;
          break;
        }

      changes += page->entities->len + page->deletions->len;
      g_ptr_array_extend_and_steal (entities, g_steal_pointer (&page->entities));
      g_ptr_array_extend_and_steal (deletions, g_steal_pointer (&page->deletions));
      since = page->revision;

      /* A transaction per batch, not per page: each commit rewrites the
       * index pages it touched, and a large first sync would write its
       * cache many times over. A crash repeats at most one batch. */
      if (last || entities->len + deletions->len >= ROTA_SYNC_BATCH)
        {
          gint64 applying = g_get_monotonic_time ();

          if (!apply_batch (self, entities, deletions, since, error))
            {
              ok = FALSE;
              break;
            }
          apply_us += g_get_monotonic_time () - applying;
          applied = since;
        }

      if (last)
        break;

      publish (self, ROTA_SYNC_STATE_SYNCING,
               page->latest > start ? PUSH_SHARE + (1.0 - PUSH_SHARE) * (since - start) / (double) (page->latest - start)
                                    : -1.0,
               NULL);
    }

  if (forward != 0)
    g_cancellable_disconnect (cancellable, forward);
  pipeline_stop (&pipeline, thread);

  g_debug ("Pulled %u changes from revision %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " in %.2f s: "
           "fetching %.2f s, reading %.2f s (on their own thread), writing %.2f s, waiting for pages %.2f s",
           changes, start, applied, (g_get_monotonic_time () - began) / (double) G_USEC_PER_SEC,
           pipeline.fetch_us / (double) G_USEC_PER_SEC, pipeline.read_us / (double) G_USEC_PER_SEC,
           apply_us / (double) G_USEC_PER_SEC, wait_us / (double) G_USEC_PER_SEC);

  return ok;
}

static gboolean
pull_changes (RotaSync      *self,
              GCancellable  *cancellable,
              GError       **error)
{
  gint64 since = rota_store_get_cursor (self->store, ROTA_SYNC_CURSOR_CHANGES);
  gboolean restart = FALSE;

  if (pull_from (self, since, &restart, cancellable, error))
    return TRUE;
  if (!restart)
    return FALSE;

  g_message ("The server is behind this cache (revision %" G_GINT64_FORMAT "); pulling everything again", since);
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    if (!rota_store_apply_feed (self->store, none, NULL, ROTA_SYNC_CURSOR_CHANGES, 0, error))
      return FALSE;
  }

  return pull_from (self, 0, &restart, cancellable, error);
}

/* Pull a kiosk's shifts */

static gboolean
is_kiosk (RotaClient *client)
{
  const char * const *scopes = rota_client_get_scopes (client);

  return scopes != NULL && scopes[0] != NULL && g_str_equal (scopes[0], "clock") && scopes[1] == NULL;
}

static gboolean
pull_kiosk_shifts (RotaSync      *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  GTimeZone *utc = rota_time_zone_get ("UTC");
  g_autofree char *today = rota_time_work_date (rota_time_now (), utc);
  g_autofree char *start = rota_date_add_days (today, -ROTA_SYNC_KIOSK_DAYS_BACK);
  g_autofree char *end = rota_date_add_days (today, ROTA_SYNC_KIOSK_DAYS_AHEAD);
  g_autofree char *path = g_strdup_printf ("api/business/v3/scheduled?startDate=%s&endDate=%s", start, end);
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(GPtrArray) shifts = g_ptr_array_new_with_free_func (g_object_unref);
  RotaMirrorData data = { 0 };

  list = rota_client_get_pages (self->client, path, "shifts", cancellable, error);
  if (list == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_autoptr(GError) local_error = NULL;
      RotaEntity *shift = rota_codec_decode (ROTA_TYPE_SHIFT, json_array_get_element (list, i), &local_error);

      if (shift == NULL)
        {
          g_set_error (error, ROTA_SYNC_ERROR, ROTA_SYNC_ERROR_BAD_FEED,
                       _("The server listed a shift Rota cannot read: %s"), local_error->message);
          return FALSE;
        }
      g_ptr_array_add (shifts, shift);
    }

  /* Every server-state shift that starts before the window's end and was
   * not listed goes, the days before the window too: a kiosk keeps no
   * history of the plan. */
  data.start_date = "2000-01-01";
  data.end_date = end;
  data.mirrored_at = rota_time_now ();
  data.shifts = shifts;

  g_debug ("Kiosk: %u published shifts from %s to %s", shifts->len, start, end);

  return rota_store_apply_mirror (self->store, &data, error);
}

/* Pull from plain Dyflexis */

static void
mirror_progress_cb (const char *what,
                    guint       done,
                    guint       total,
                    gpointer    user_data)
{
  RotaSync *self = user_data;

  publish (self, ROTA_SYNC_STATE_SYNCING,
           total > 0 ? PUSH_SHARE + (1.0 - PUSH_SHARE) * done / total : -1.0, NULL);
}

static gboolean
pull_mirror (RotaSync      *self,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -ROTA_SYNC_MIRROR_DAYS_BACK);
  g_autoptr(GDateTime) to = g_date_time_add_days (now, ROTA_SYNC_MIRROR_DAYS_AHEAD);
  g_autofree char *start = g_date_time_format (from, "%Y-%m-%d");
  g_autofree char *end = g_date_time_format (to, "%Y-%m-%d");

  return rota_mirror_pull (self->store, self->client, start, end, mirror_progress_cb, self, cancellable, error);
}

/* Object */

static void
rota_sync_dispose (GObject *object)
{
  RotaSync *self = ROTA_SYNC (object);

  rota_sync_stop (self);

  G_OBJECT_CLASS (rota_sync_parent_class)->dispose (object);
}

static void
rota_sync_finalize (GObject *object)
{
  RotaSync *self = ROTA_SYNC (object);

  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->message, g_free);
  g_mutex_clear (&self->run_lock);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (rota_sync_parent_class)->finalize (object);
}

static void
rota_sync_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RotaSync *self = ROTA_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_LAST_SUCCESS:
      g_value_set_int64 (value, self->last_success);
      break;

    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;

    case PROP_CONFLICTS:
      g_value_set_int64 (value, self->conflicts);
      break;

    case PROP_PARKED:
      g_value_set_int64 (value, self->parked);
      break;

    case PROP_LOCAL_ONLY:
      g_value_set_int64 (value, self->local_only);
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_INTERVAL:
      g_value_set_uint (value, rota_sync_get_interval (self));
      break;

    case PROP_SERVER_OFFSET:
      g_value_set_int64 (value, self->server_offset);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_sync_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RotaSync *self = ROTA_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_INTERVAL:
      rota_sync_set_interval (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rota_sync_constructed (GObject *object)
{
  RotaSync *self = ROTA_SYNC (object);

  G_OBJECT_CLASS (rota_sync_parent_class)->constructed (object);

  g_assert (ROTA_IS_STORE (self->store));
  g_assert (ROTA_IS_CLIENT (self->client));

  self->monitor = g_object_ref (g_network_monitor_get_default ());

  self->last_success = rota_store_get_cursor (self->store, ROTA_SYNC_CURSOR_SYNCED_AT);
  rota_store_count_outbox (self->store, &self->pending, &self->conflicts, &self->parked, NULL);
}

static void
rota_sync_class_init (RotaSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = rota_sync_constructed;
  object_class->dispose = rota_sync_dispose;
  object_class->finalize = rota_sync_finalize;
  object_class->get_property = rota_sync_get_property;
  object_class->set_property = rota_sync_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, ROTA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, ROTA_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, ROTA_TYPE_SYNC_STATE, ROTA_SYNC_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SUCCESS] =
    g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFLICTS] =
    g_param_spec_int64 ("conflicts", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PARKED] =
    g_param_spec_int64 ("parked", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCAL_ONLY] =
    g_param_spec_int64 ("local-only", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, -1.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, G_MAXUINT, ROTA_SYNC_DEFAULT_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The server's clock minus this machine's, in seconds, by the HTTP
   * Date header of the server's last answer; 0 until it answered. */
  properties[PROP_SERVER_OFFSET] =
    g_param_spec_int64 ("server-offset", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RotaSync::finished:
   *
   * Emitted on the engine's main context after every sync, successful or
   * not, once the properties show its outcome.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * RotaSync::server-reached:
   *
   * Emitted on the engine's main context, before #RotaSync::finished,
   * after a sync in which the server answered with its time (the HTTP
   * Date header), successful or not: rota_client_get_server_time() of
   * the engine's client has the new reading.
   */
  signals[SERVER_REACHED] =
    g_signal_new ("server-reached", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rota_sync_init (RotaSync *self)
{
  g_mutex_init (&self->run_lock);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->interval = ROTA_SYNC_DEFAULT_INTERVAL;
  self->context = g_main_context_ref_thread_default ();
}

/**
 * rota_sync_new:
 * @store: the account's cache
 * @client: a client for the account's server, with its token
 *
 * Makes a sync engine. Its properties change on the thread-default main
 * context of the calling thread.
 *
 * Returns: (transfer full): a new engine
 */
RotaSync *
rota_sync_new (RotaStore  *store,
               RotaClient *client)
{
  g_return_val_if_fail (ROTA_IS_STORE (store), NULL);
  g_return_val_if_fail (ROTA_IS_CLIENT (client), NULL);

  return g_object_new (ROTA_TYPE_SYNC, "store", store, "client", client, NULL);
}

RotaStore *
rota_sync_get_store (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), NULL);
  return self->store;
}

RotaClient *
rota_sync_get_client (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), NULL);
  return self->client;
}

/* idle, syncing, offline (the last sync could not reach the server) or
 * error (it failed otherwise; see the message). */
RotaSyncState
rota_sync_get_state (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), ROTA_SYNC_STATE_IDLE);
  return self->state;
}

/* When the last sync succeeded, in seconds since the epoch; 0 never. */
gint64
rota_sync_get_last_success (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), 0);
  return self->last_success;
}

/* Local edits waiting to be sent. */
gint64
rota_sync_get_pending (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), 0);
  return self->pending;
}

/* Local edits in conflict with the server's, waiting for a person. */
gint64
rota_sync_get_conflicts (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), 0);
  return self->conflicts;
}

/* Local edits the server refused, with its message on each. */
gint64
rota_sync_get_parked (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), 0);
  return self->parked;
}

/* Local edits this server cannot take (plan edits on a plain Dyflexis
 * account): they stay in this cache only. */
gint64
rota_sync_get_local_only (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), 0);
  return self->local_only;
}

/* From 0 to 1 during a sync; -1 when how far it is cannot be told. */
double
rota_sync_get_progress (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), 0.0);
  return self->progress;
}

/* The server's clock minus this machine's wall clock, in seconds, by
 * the Date header of its last answer during a sync; 0 until then. */
gint64
rota_sync_get_server_offset (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), 0);
  return self->server_offset;
}

/* Why the last sync failed, or NULL. */
const char *
rota_sync_get_message (RotaSync *self)
{
  g_return_val_if_fail (ROTA_IS_SYNC (self), NULL);
  return self->message;
}

guint
rota_sync_get_interval (RotaSync *self)
{
  guint interval;

  g_return_val_if_fail (ROTA_IS_SYNC (self), 0);

  g_mutex_lock (&self->lock);
  interval = self->interval;
  g_mutex_unlock (&self->lock);

  return interval;
}

/* Seconds between syncs on the timer. */
void
rota_sync_set_interval (RotaSync *self,
                        guint     seconds)
{
  gboolean changed;

  g_return_if_fail (ROTA_IS_SYNC (self));
  g_return_if_fail (seconds > 0);

  g_mutex_lock (&self->lock);
  changed = self->interval != seconds;
  self->interval = seconds;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

/**
 * rota_sync_run:
 * @self: an engine
 * @cancellable: (nullable): a #GCancellable
 * @error: a location for a #GError
 *
 * One sync on the calling thread, which it blocks: connects if it has not
 * yet, pushes the outbox, pulls the server's changes. Conflicts and
 * refused edits do not fail a sync; they are counted in the properties.
 * Fails with %ROTA_CLIENT_ERROR_OFFLINE when the server cannot be
 * reached, and with %ROTA_SYNC_ERROR_BUSY when another sync of this
 * engine is running.
 *
 * Returns: %TRUE when everything that could be sent was sent, and the
 *   server's changes were pulled
 */
gboolean
rota_sync_run (RotaSync      *self,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  RotaSyncState final_state = ROTA_SYNC_STATE_IDLE;
  gint64 local_only = 0;
  gint64 contact_before = 0;
  gboolean ok;

  g_return_val_if_fail (ROTA_IS_SYNC (self), FALSE);

  if (!g_mutex_trylock (&self->run_lock))
    {
      g_set_error_literal (error, ROTA_SYNC_ERROR, ROTA_SYNC_ERROR_BUSY,
                           _("A sync of this account is already running"));
      return FALSE;
    }

  publish (self, ROTA_SYNC_STATE_SYNCING, 0.0, NULL);
  rota_client_get_server_time (self->client, NULL, NULL, &contact_before);

  /* A cache whose integrity check still runs is not synced before it
   * passes, and a damaged one never (reliability.md D7). */
  if (!rota_store_wait_checked (self->store))
    {
      g_set_error (&local_error, ROTA_STORE_ERROR, ROTA_STORE_ERROR_READ_ONLY,
                   _("The cache %s is damaged (%s), so it is not synced; export its unsynced work and restore a backup"),
                   rota_store_get_path (self->store), rota_store_get_recovery_reason (self->store));
      ok = FALSE;
    }
  else
    ok = TRUE;

  ok = ok &&
       (rota_client_get_profile (self->client) != ROTA_CLIENT_PROFILE_UNKNOWN ||
        rota_client_connect (self->client, cancellable, &local_error)) &&
       push (self, &local_only, cancellable, &local_error);

  if (ok && rota_client_get_profile (self->client) == ROTA_CLIENT_PROFILE_ROTA)
    ok = pull_changes (self, cancellable, &local_error) &&
         (!is_kiosk (self->client) || pull_kiosk_shifts (self, cancellable, &local_error));
  else if (ok)
    ok = pull_mirror (self, cancellable, &local_error);

  if (ok)
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      ok = rota_store_apply_feed (self->store, none, NULL, ROTA_SYNC_CURSOR_SYNCED_AT, rota_time_now (),
                                  &local_error);
    }

  if (!ok)
    {
      if (g_error_matches (local_error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_OFFLINE))
        final_state = ROTA_SYNC_STATE_OFFLINE;
      else if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        final_state = ROTA_SYNC_STATE_ERROR;
      g_debug ("Sync failed: %s", local_error->message);
    }

  publish_finished (self, final_state, ok ? NULL : local_error->message, local_only, contact_before);

  g_mutex_unlock (&self->run_lock);

  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return ok;
}

/* Worker */

static gpointer
worker (gpointer data)
{
  RotaSync *self = data;
  guint offline_wait = 0;   /* seconds; 0 while the server answers */

  g_mutex_lock (&self->lock);

  while (!self->stopping)
    {
      if (!self->requested)
        {
          /* Offline, try again sooner than the timer: 15 s, doubling up
           * to the interval (and at once when the network comes back). */
          guint wait = offline_wait > 0 ? MIN (offline_wait, self->interval) : self->interval;
          gint64 until = g_get_monotonic_time () + (gint64) wait * G_USEC_PER_SEC;

          while (!self->requested && !self->stopping)
            if (!g_cond_wait_until (&self->cond, &self->lock, until))
              break;
        }
      if (self->stopping)
        break;

      self->requested = FALSE;
      g_mutex_unlock (&self->lock);

      {
        g_autoptr(GError) error = NULL;

        if (!rota_sync_run (self, self->cancellable, &error) &&
            g_error_matches (error, ROTA_CLIENT_ERROR, ROTA_CLIENT_ERROR_OFFLINE))
          offline_wait = offline_wait == 0 ? ROTA_SYNC_OFFLINE_RETRY : MIN (offline_wait * 2, G_MAXUINT / 2);
        else
          offline_wait = 0;
      }

      g_mutex_lock (&self->lock);
    }

  g_mutex_unlock (&self->lock);

  return NULL;
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    RotaSync        *self)
{
  if (available)
    rota_sync_request (self);
}

/**
 * rota_sync_start:
 * @self: an engine
 *
 * Syncs on a worker thread from now on: at once, every
 * #RotaSync:interval seconds, when the network comes back, and on
 * rota_sync_request(). Does nothing when already started.
 */
void
rota_sync_start (RotaSync *self)
{
  g_return_if_fail (ROTA_IS_SYNC (self));

  g_mutex_lock (&self->lock);
  if (self->thread != NULL)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->stopping = FALSE;
  self->requested = TRUE;
  self->cancellable = g_cancellable_new ();
  self->thread = g_thread_new ("rota-sync", worker, self);
  g_mutex_unlock (&self->lock);

  self->network_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
}

/**
 * rota_sync_request:
 * @self: an engine
 *
 * Asks the worker for a sync now (or right after the running one).
 */
void
rota_sync_request (RotaSync *self)
{
  g_return_if_fail (ROTA_IS_SYNC (self));

  g_mutex_lock (&self->lock);
  self->requested = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

/**
 * rota_sync_stop:
 * @self: an engine
 *
 * Cancels a running sync and ends the worker; waits for it. What the
 * running sync did is kept: every step is its own transaction.
 */
void
rota_sync_stop (RotaSync *self)
{
  GThread *thread;

  g_return_if_fail (ROTA_IS_SYNC (self));

  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_handler, self->monitor);

  g_mutex_lock (&self->lock);
  thread = g_steal_pointer (&self->thread);
  self->stopping = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  if (thread != NULL)
    g_thread_join (thread);

  g_clear_object (&self->cancellable);
}
