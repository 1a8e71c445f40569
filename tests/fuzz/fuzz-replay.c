/* fuzz-replay.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Runs a fuzz harness over every file of its corpus, so that the corpus
 * (and every crash once found and added to it) is checked in each test
 * run, with or without clang. Usage: fuzz-replay-X CORPUS_DIR
 */

#include "config.h"

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_files = 0;

  if (argc != 2)
    {
      g_printerr ("Usage: %s CORPUS_DIR\n", argv[0]);
      return 2;
    }

  dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("1..1\n");

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (argv[1], name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          g_print ("not ok 1 - %s\n", error->message);
          return 1;
        }

      LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
      n_files++;
    }

  if (n_files == 0)
    {
      g_print ("not ok 1 - the corpus %s is empty\n", argv[1]);
      return 1;
    }

  g_print ("ok 1 - %u corpus files\n", n_files);

  return 0;
}
