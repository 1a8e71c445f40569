/* rota-crash-writer.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * A helper program for test-crash and test-backup: a second process that
 * writes to a store, so that the tests can kill it or back the store up
 * under its feet.
 *
 *   rota-crash-writer setup STORE
 *     creates STORE with office "office-1", department "dept-1" and
 *     employee "emp-1", and exits 0.
 *
 *   rota-crash-writer punches STORE START_SEQ [--max N]
 *     records punches of "emp-1" with device_seq START_SEQ, START_SEQ + 1, …
 *     through rota_store_record_edit(), for ever or N times. Only after
 *     record_edit() has returned (the punch, its outbox item and its audit
 *     row are committed) is the punch's id printed on a line of its own and
 *     flushed: a complete line on stdout is an acknowledged punch.
 *
 * Any error is printed to stderr and ends the program with exit code 1;
 * bad arguments give exit code 2.
 */

#define G_LOG_DOMAIN "rota-crash-writer"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rota-model-private.h"
#include "rota-store.h"

/* Punch times are this plus the device sequence number, well inside the
 * instants the codec accepts (2000..2099). */
#define PUNCH_EPOCH G_GINT64_CONSTANT (1795000000)

#define SOURCE "kiosk:test"

static int
fail (const char   *what,
      const GError *error)
{
  fprintf (stderr, "rota-crash-writer: %s: %s\n", what, error != NULL ? error->message : "failed");
  return EXIT_FAILURE;
}

static int
usage (void)
{
  fprintf (stderr,
           "Usage: rota-crash-writer setup STORE\n"
           "       rota-crash-writer punches STORE START_SEQ [--max N]\n");
  return 2;
}

static gboolean
parse_int64 (const char *text,
             gint64      min,
             gint64     *value)
{
  guint64 parsed;

  if (!g_ascii_string_to_unsigned (text, 10, (guint64) min, G_MAXINT64, &parsed, NULL))
    return FALSE;

  *value = (gint64) parsed;
  return TRUE;
}

static int
command_setup (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaOffice) office = rota_office_new ();
  g_autoptr(RotaDepartment) department = rota_department_new ();
  g_autoptr(RotaEmployee) employee = rota_employee_new ();
  g_autoptr(GPtrArray) entities = g_ptr_array_new ();

  store = rota_store_open (path, ROTA_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    return fail ("opening the store", error);

  office->id = g_strdup ("office-1");
  office->name = g_strdup ("Kiosk test office");
  g_free (office->time_zone); /* The default zone, set by init. */
  office->time_zone = g_strdup ("Europe/Berlin");
  office->rules_profile = ROTA_RULES_PROFILE_DE;

  department->id = g_strdup ("dept-1");
  department->office_id = g_strdup ("office-1");
  department->name = g_strdup ("Front desk");

  employee->id = g_strdup ("emp-1");
  employee->first_name = g_strdup ("Anna");
  employee->last_name = g_strdup ("Schmidt");
  employee->department_ids = g_new0 (char *, 2);
  employee->department_ids[0] = g_strdup ("dept-1");

  g_ptr_array_add (entities, office);
  g_ptr_array_add (entities, department);
  g_ptr_array_add (entities, employee);

  if (!rota_store_put_entities (store, entities, &error))
    return fail ("storing the office, department and employee", error);

  rota_store_close (store);

  return EXIT_SUCCESS;
}

static int
command_punches (const char *path,
                 gint64      start_seq,
                 gint64      max)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaStore) store = NULL;
  pid_t parent = getppid ();

  store = rota_store_open (path, ROTA_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail ("opening the store", error);

  for (gint64 n = 0; max < 0 || n < max; n++)
    {
      g_autoptr(RotaPunch) punch = rota_punch_new ();
      g_autoptr(RotaOutboxItem) item = NULL;
      gint64 seq = start_seq + n;

      /* A test that died must not leave us writing for ever. */
      if (getppid () != parent)
        {
          fprintf (stderr, "rota-crash-writer: the test has gone away, stopping\n");
          return EXIT_FAILURE;
        }

      punch->id = g_uuid_string_random ();
      punch->employee_id = g_strdup ("emp-1");
      punch->kind = (seq % 2) != 0 ? ROTA_PUNCH_KIND_IN : ROTA_PUNCH_KIND_OUT;
      punch->at = PUNCH_EPOCH + seq;
      punch->source = g_strdup (SOURCE);
      punch->device_seq = seq;

      item = rota_store_record_edit (store, ROTA_OUTBOX_OP_POST, ROTA_ENTITY (punch),
                                     SOURCE, NULL, &error);
      if (item == NULL)
        return fail ("recording a punch", error);

      /* The acknowledgement: only now may the kiosk say "recorded". */
      if (printf ("%s\n", punch->id) < 0 || fflush (stdout) != 0)
        {
          int saved_errno = errno;

          fprintf (stderr, "rota-crash-writer: writing to stdout: %s\n", g_strerror (saved_errno));
          return EXIT_FAILURE;
        }
    }

  rota_store_close (store);

  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  gint64 start_seq = 0;
  gint64 max = -1;

  if (argc == 3 && g_str_equal (argv[1], "setup"))
    return command_setup (argv[2]);

  if ((argc == 4 || argc == 6) && g_str_equal (argv[1], "punches"))
    {
      if (!parse_int64 (argv[3], 0, &start_seq))
        return usage ();
      if (argc == 6 && (!g_str_equal (argv[4], "--max") || !parse_int64 (argv[5], 0, &max)))
        return usage ();

      return command_punches (argv[2], start_seq, max);
    }

  return usage ();
}
