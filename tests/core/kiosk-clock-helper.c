/* kiosk-clock-helper.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * For test-kiosk's /core/kiosk/clock/faketime, run under libfaketime
 * with a timestamp file the test rewrites: records a contact with the
 * server now, clocks in, waits for a line on stdin (the test moves the
 * wall clock meanwhile), checks the clock as the window would, clocks
 * out. Prints "punched N AT UNTRUSTED" after each punch.
 *
 * usage: kiosk-clock-helper STORE EMPLOYEE-ID
 */

#include "config.h"

#include <stdio.h>

#include "rota-kiosk-private.h"
#include "rota-models.h"

static void
punch (RotaKiosk     *kiosk,
       RotaEmployee  *employee,
       RotaPunchKind  kind,
       guint          n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RotaPunch) punch = rota_kiosk_punch (kiosk, employee, kind, &error);

  if (punch == NULL)
    g_error ("Punch %u: %s", n, error->message);
  printf ("punched %u %" G_GINT64_FORMAT " %d\n", n, rota_punch_get_at (punch),
          rota_punch_get_time_untrusted (punch));
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RotaStore) store = NULL;
  g_autoptr(RotaEntity) employee = NULL;
  g_autoptr(RotaKiosk) kiosk = NULL;
  g_autoptr(GError) error = NULL;
  char line[64];

  if (argc != 3)
    g_error ("usage: %s STORE EMPLOYEE-ID", argv[0]);

  store = rota_store_open (argv[1], ROTA_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  employee = rota_store_get_entity (store, ROTA_TYPE_EMPLOYEE, argv[2], &error);
  if (employee == NULL)
    g_error ("%s", error->message);

  kiosk = rota_kiosk_new (store, NULL, "front-desk", NULL);
  /* As a sync that reached the server a moment ago would. */
  if (!_rota_kiosk_record_server_time (kiosk, 0, g_get_real_time (), g_get_monotonic_time (), &error))
    g_error ("%s", error->message);

  punch (kiosk, ROTA_EMPLOYEE (employee), ROTA_PUNCH_KIND_IN, 1);

  if (fgets (line, sizeof line, stdin) == NULL)
    g_error ("No go from the test");

  rota_kiosk_check_clock (kiosk);
  punch (kiosk, ROTA_EMPLOYEE (employee), ROTA_PUNCH_KIND_OUT, 2);

  return 0;
}
