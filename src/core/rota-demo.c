/* rota-demo.c
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "rota-demo"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rota-demo.h"
#include "rota-model-private.h"
#include "rota-pbkdf2.h"
#include "rota-time.h"

/*
 * The deterministic demo generator.
 *
 * Everything is derived from options->seed with a private PRNG (never
 * GRand, never the wall clock): the setup (offices, departments,
 * employees, devices) comes from one stream, and every employee-week and
 * department-week from a stream of its own, derived from (seed, week,
 * index). That keeps a week's data independent of how many random numbers
 * earlier weeks happened to draw.
 *
 * The large tenant is ~500k shifts and ~1M punches, so the week loop
 * fills one reused RotaShift and one reused RotaPunch in place, with
 * preallocated string buffers, and does no per-entity allocation.
 * Punches are collected per week, sorted by time and only then numbered,
 * so that every device's sequence numbers and monotonic clock increase
 * with time as on a real kiosk.
 */

#define UUID_LEN 36

/* Sanity limits on the options; beyond them the data stops being
 * realistic (personnel numbers have five digits) or the run takes minutes. */
#define MAX_EMPLOYEES   99999
#define MAX_OFFICES     64
#define MAX_DEPARTMENTS 4096
#define MAX_WEEKS       520

#define DAY_SECONDS    G_GINT64_CONSTANT (86400)
#define MINUTE_SECONDS 60

/* Rest between two shifts of one employee, in seconds (DESIGN §6). */
#define REST_ADULT (11 * 3600)
#define REST_MINOR (12 * 3600)

/* Percent-mille rates of the faults and events, per shift or per
 * employee-week. */
#define RATE_NO_SHOW        20
#define RATE_FORGOT_OUT     30
#define RATE_LATE           40
#define RATE_LEFT_EARLY     30
#define RATE_DOUBLE_IN      15
#define RATE_UNPLANNED      20
#define RATE_VACATION       40
#define RATE_SICK           25
#define RATE_OTHER_ABSENCE  5
#define RATE_EXTRA_SHIFT    80
#define RATE_FEWER_SHIFTS   50
#define RATE_SECOND_DEPT    250
#define RATE_TERMINAL       80
#define RATE_OFFLINE        15
#define RATE_BREAK_PUNCH_DE 300
#define RATE_BREAK_PUNCH_NL 120

/* Streams of the PRNG. */
enum
{
  STREAM_SETUP = 1,
  STREAM_EMPLOYEE_WEEK,
  STREAM_DEPARTMENT_WEEK,
  STREAM_PUNCH_IDS,
  STREAM_PIN_SALT,
};

/* Iterations of the demo employees' PIN hashes. Far below what a real
 * PIN gets (ROTA_PBKDF2_PIN_ITERATIONS): these PINs are public by rule
 * (demo_pin ()), so the hash protects nothing, and the standard large
 * tenant hashes 2,000 of them, which must take a second rather than
 * fifteen minutes. A kiosk verifies any iteration count a hash names. */
#define DEMO_PIN_ITERATIONS 1000

typedef enum
{
  FAULT_NONE,
  FAULT_NO_SHOW,
  FAULT_FORGOT_OUT,
  FAULT_LATE,
  FAULT_LEFT_EARLY,
  FAULT_DOUBLE_IN,
  FAULT_UNPLANNED,
  N_FAULTS
} Fault;

typedef enum
{
  TEMPLATE_EARLY,
  TEMPLATE_LATE,
  TEMPLATE_DAY,
  TEMPLATE_NIGHT,
} Template;

/* PRNG: xoshiro256** seeded through splitmix64. */

typedef struct
{
  guint64 s[4];
} Rng;

static inline guint64
mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
splitmix64 (guint64 *state)
{
  *state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return mix64 (*state);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_next (Rng *r)
{
  guint64 result = rotl (r->s[1] * 5, 7) * 9;
  guint64 t = r->s[1] << 17;

  r->s[2] ^= r->s[0];
  r->s[3] ^= r->s[1];
  r->s[1] ^= r->s[2];
  r->s[0] ^= r->s[3];
  r->s[2] ^= t;
  r->s[3] = rotl (r->s[3], 45);

  return result;
}

static void
rng_init (Rng     *r,
          guint64  seed,
          guint64  stream,
          guint64  a,
          guint64  b)
{
  guint64 state;

  state = mix64 (seed + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) * (stream + 1));
  state = mix64 (state ^ (a * G_GUINT64_CONSTANT (0xd1b54a32d192ed03) + 1));
  state = mix64 (state ^ (b * G_GUINT64_CONSTANT (0x8cb92ba72f3d8dd7) + 2));

  for (guint i = 0; i < 4; i++)
    r->s[i] = splitmix64 (&state);
}

/* A number in [0, n), n > 0; the bias of the multiply-shift is far below
 * anything demo data could show. */
static inline guint32
rng_below (Rng     *r,
           guint32  n)
{
  return (guint32) (((rng_next (r) >> 32) * n) >> 32);
}

/* An integer in [lo, hi]. */
static inline int
rng_range (Rng *r,
           int  lo,
           int  hi)
{
  return lo + (int) rng_below (r, (guint32) (hi - lo + 1));
}

/* TRUE with probability permille / 1000. */
static inline gboolean
rng_chance (Rng   *r,
            guint  permille)
{
  return rng_below (r, 1000) < permille;
}

static const char hex_lower[] = "0123456789abcdef";

/* Writes a UUIDv4 (lowercase, version nibble 4, variant 8..b) and a NUL
 * into @buf, which holds at least UUID_LEN + 1 bytes. */
static void
rng_uuid (Rng  *r,
          char *buf)
{
  guint8 bytes[16];
  guint64 hi = rng_next (r);
  guint64 lo = rng_next (r);
  char *p = buf;

  for (guint i = 0; i < 8; i++)
    {
      bytes[i] = (guint8) (hi >> (56 - 8 * i));
      bytes[8 + i] = (guint8) (lo >> (56 - 8 * i));
    }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = hex_lower[bytes[i] >> 4];
      *p++ = hex_lower[bytes[i] & 0xf];
    }
  *p = '\0';
}

/* Name and place tables. */

typedef struct
{
  const char *name;
  const char *slug;
} OfficeName;

static const OfficeName office_names_de[] = {
  { "Hotel Spree Berlin", "berlin" },
  { "Hotel Alster Hamburg", "hamburg" },
  { "Hotel Isar München", "muenchen" },
  { "Domhotel Köln", "koeln" },
  { "Mainhotel Frankfurt", "frankfurt" },
  { "Hotel Schlossgarten Stuttgart", "stuttgart" },
  { "Rheinhotel Düsseldorf", "duesseldorf" },
  { "Hotel Auerbach Leipzig", "leipzig" },
  { "Hotel Elbufer Dresden", "dresden" },
  { "Hotel Pegnitz Nürnberg", "nuernberg" },
};

static const OfficeName office_names_nl[] = {
  { "Hotel Amstel Amsterdam", "amsterdam" },
  { "Hotel De Maas Rotterdam", "rotterdam" },
  { "Grand Hotel Domplein Utrecht", "utrecht" },
  { "Hotel Hofvijver Den Haag", "den-haag" },
  { "Hotel Stratum Eindhoven", "eindhoven" },
  { "Hotel Martini Groningen", "groningen" },
  { "Hotel Vrijthof Maastricht", "maastricht" },
  { "Hotel Spaarne Haarlem", "haarlem" },
  { "Hotel Oudegracht Leiden", "leiden" },
  { "Hotel Binnendieze Den Bosch", "den-bosch" },
};

/* Departments in the order an office gets them: the front desk first, so
 * that even a small office is staffed around the clock. */
static const char * const department_names_de[] = {
  "Rezeption", "Küche", "Service", "Housekeeping", "Bar", "Technik",
  "Bankett", "Spülküche", "Frühstück", "Restaurant", "Etagenservice", "Wellness",
};

static const char * const department_names_nl[] = {
  "Receptie", "Keuken", "Bediening", "Huishouding", "Bar", "Techniek",
  "Banqueting", "Afwas", "Ontbijt", "Restaurant", "Roomservice", "Wellness",
};

/* Index in the tables above of the departments with night shifts. */
#define DEPARTMENT_FRONT_DESK 0
#define DEPARTMENT_TECHNICAL  5

static const char * const department_colors[] = {
  "#3584e4", "#e66100", "#2ec27e", "#9141ac", "#c01c28", "#865e3c",
  "#f5c211", "#1c71d8", "#26a269", "#813d9c", "#ff7800", "#63452c",
};

static const char * const first_names_de[] = {
  "Anna", "Lena", "Leonie", "Marie", "Sophie", "Lea", "Laura", "Julia",
  "Hannah", "Lara", "Sarah", "Katharina", "Johanna", "Mia", "Emma", "Clara",
  "Charlotte", "Paula", "Greta", "Frieda", "Käthe", "Jördis", "Ursula", "Monika",
  "Sabine", "Petra", "Claudia", "Andrea", "Birgit", "Heike", "Susanne", "Gülay",
  "Ayşe", "Zoë", "Bärbel", "Renée", "Annika", "Svenja", "Franziska", "Miriam",
  "Lukas", "Leon", "Finn", "Jonas", "Paul", "Felix", "Maximilian", "Elias",
  "Noah", "Ben", "Tim", "Jan", "Niklas", "Moritz", "Tobias", "Florian",
  "Sebastian", "Stefan", "Thomas", "Michael", "Andreas", "Markus", "Frank", "Uwe",
  "Dieter", "Klaus", "Jürgen", "Jörg", "Björn", "Sören", "Günter", "Jörn",
  "Bernd", "Ralf", "Holger", "Kai", "Timo", "Mehmet", "Tomasz", "Luca",
};

static const char * const last_names_de[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
  "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
  "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann",
  "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid",
  "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
  "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
  "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
  "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster",
  "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer",
  "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich",
};

static const char * const first_names_nl[] = {
  "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Bram", "Thijs",
  "Jesse", "Ruben", "Lars", "Sven", "Tim", "Stijn", "Niels", "Joris",
  "Pieter", "Jan", "Kees", "Henk", "Gerrit", "Wouter", "Maarten", "Jeroen",
  "Bas", "Rutger", "Sander", "Koen", "Teun", "Gijs", "Joost", "Floris",
  "Mees", "Luuk", "Thomas", "Mohamed", "Youssef", "René", "André", "Noël",
  "Emma", "Julia", "Tess", "Sophie", "Zoë", "Mila", "Sara", "Lotte",
  "Eva", "Anna", "Lieke", "Sanne", "Fleur", "Anouk", "Femke", "Iris",
  "Noor", "Roos", "Lisa", "Marloes", "Ilse", "Esther", "Ingrid", "Annelies",
  "Marieke", "Wilma", "Petra", "Saskia", "Yvonne", "Kim", "Demi", "Isa",
  "Nina", "Joëlle", "Chloë", "Loïs", "Maud", "Fenna", "Jasmijn", "Linde",
};

typedef struct
{
  const char *prefix;
  const char *name;
} DutchLastName;

static const DutchLastName last_names_nl[] = {
  { "de", "Jong" }, { NULL, "Jansen" }, { "de", "Vries" }, { "van den", "Berg" },
  { "van", "Dijk" }, { NULL, "Bakker" }, { NULL, "Janssen" }, { NULL, "Visser" },
  { NULL, "Smit" }, { NULL, "Meijer" }, { "de", "Boer" }, { NULL, "Mulder" },
  { "de", "Groot" }, { NULL, "Bos" }, { NULL, "Vos" }, { NULL, "Peters" },
  { NULL, "Hendriks" }, { "van", "Leeuwen" }, { NULL, "Dekker" }, { NULL, "Brouwer" },
  { "de", "Wit" }, { NULL, "Dijkstra" }, { NULL, "Smits" }, { "de", "Graaf" },
  { "van der", "Meer" }, { "van der", "Linden" }, { NULL, "Kok" }, { NULL, "Jacobs" },
  { "de", "Haan" }, { NULL, "Vermeulen" }, { "van den", "Heuvel" }, { "van der", "Veen" },
  { "van den", "Broek" }, { "de", "Bruijn" }, { "de", "Bruin" }, { "van der", "Heijden" },
  { NULL, "Schouten" }, { "van", "Beek" }, { NULL, "Willems" }, { "van", "Vliet" },
  { "van de", "Ven" }, { NULL, "Hoekstra" }, { NULL, "Maas" }, { NULL, "Verhoeven" },
  { NULL, "Koster" }, { "van", "Dam" }, { "van der", "Wal" }, { NULL, "Prins" },
  { NULL, "Blom" }, { NULL, "Huisman" }, { NULL, "Peeters" }, { "de", "Jonge" },
  { "van", "Wijk" }, { NULL, "Postma" }, { NULL, "Kuipers" }, { NULL, "Veenstra" },
  { "van", "Rijn" }, { NULL, "Kramer" }, { "van den", "Bosch" }, { "ter", "Horst" },
  { "'t", "Hart" }, { "van", "Os" }, { NULL, "Timmermans" }, { NULL, "Groen" },
  { NULL, "Gerritsen" }, { NULL, "Bosman" }, { "van", "Dongen" }, { "van", "Loon" },
  { NULL, "Wouters" }, { "van der", "Laan" }, { NULL, "Boersma" }, { "de", "Lange" },
  { NULL, "Evers" }, { "van", "Zanten" }, { NULL, "Kuijpers" }, { "ten", "Cate" },
  { NULL, "Brinkman" }, { NULL, "Koning" }, { NULL, "Scholten" }, { NULL, "Sedney" },
};

/* Contract hours and how they are split into shifts: part-timers in
 * hospitality work shorter shifts rather than fewer full days. */
typedef struct
{
  guint hours;
  guint weight;
  guint n_shifts;
  guint net_minutes;      /* of each shift but the last */
  guint last_net_minutes; /* of the last shift of the week */
} Contract;

static const Contract contracts[] = {
  { 40, 30, 5, 480, 480 },
  { 38, 20, 5, 480, 360 },
  { 32, 20, 5, 420, 240 },
  { 24, 10, 4, 360, 360 },
  { 20, 12, 4, 300, 300 },
  { 12,  8, 3, 240, 240 },
};

/* Minors get the small contracts and day shifts only. */
#define CONTRACT_MINOR_FIRST 4

/* Generator state. */

typedef char DateText[11];

typedef struct
{
  char id[UUID_LEN + 1];
  GTimeZone *tz;
  RotaRulesProfile profile;
  guint first_device;  /* kiosk 1, kiosk 2, terminal */
  int today;           /* day index of the local date of `now` */
} Office;

typedef struct
{
  char id[UUID_LEN + 1];
  guint office;
  gboolean night;      /* staffed around the clock */
  guint *adults;       /* employees at home here who can work nights */
  guint n_adults;
} Department;

typedef struct
{
  char id[UUID_LEN + 1];
  guint office;
  guint departments[2];
  guint n_departments;
  guint contract;
  gboolean minor;
  int unavailable;     /* ISO weekday never planned, or 0 */
  int first_day;       /* employment, as day indices of the window */
  int last_day;
  guint kiosk;         /* the device the employee usually uses */
  gint64 last_end;     /* end of the last planned shift */
  int sick_from;       /* current or last sickness, day indices */
  int sick_until;
} Employee;

typedef struct
{
  char source[64];
  char boot_id[UUID_LEN + 1];
  gint64 boot;         /* the instant the device booted */
  gint64 seq;
} Device;

typedef struct
{
  gint64 at;
  gint64 received_at;
  guint32 order;
  guint32 employee;
  guint16 ms;
  guint8 kind;
  guint8 device;
} PunchRecord;

typedef struct
{
  const RotaDemoOptions *options;
  RotaDemoSink sink;
  gpointer user_data;

  guint n_days;
  DateText *dates;     /* dates[d + 1] is day d, for d in -1 .. n_days */

  Office *offices;
  Department *departments;
  Employee *employees;
  Device *devices;
  guint n_devices;
  guint *adult_pool;

  GArray *punches;     /* of PunchRecord: this week's and carried over */
  guint32 punch_order;
  Rng punch_ids;
  gboolean seen[N_FAULTS];
  gboolean seen_sick;

  RotaShift *shift;
  RotaPunch *punch;
  char *shift_employee_id;  /* owned while the shift has no employee */
} Generator;

static inline const char *
date_at (Generator *g,
         int        day)
{
  g_assert (day >= -1 && day <= (int) g->n_days);

  return g->dates[day + 1];
}

/* Text helpers, used only during setup. */

static char *
ascii_fold (const char *text)
{
  g_autoptr(GString) expanded = g_string_new (NULL);
  g_autofree char *ascii = NULL;
  GString *out;

  /* German transliteration first: g_str_to_ascii() would make ü a plain u. */
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case 0xe4: case 0xc4: g_string_append (expanded, "ae"); break;
        case 0xf6: case 0xd6: g_string_append (expanded, "oe"); break;
        case 0xfc: case 0xdc: g_string_append (expanded, "ue"); break;
        case 0xdf: g_string_append (expanded, "ss"); break;
        default: g_string_append_unichar (expanded, c); break;
        }
    }

  ascii = g_str_to_ascii (expanded->str, "C");
  out = g_string_new (NULL);
  for (const char *p = ascii; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));

  return g_string_free (out, FALSE);
}

static char *
date_from_gdate (const GDate *date)
{
  return rota_date_new (g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
}

/* A created/updated time for an entity that first appeared around
 * @around, never after `now`. */
static gint64
created_at (Generator *g,
            Rng       *r,
            gint64     around)
{
  gint64 at = around - rng_range (r, 0, 14 * 86400);
  /* The hour of `now`, not the second: the same seed then gives the same
   * data all through the hour, also for what is dated in the future. */
  gint64 hour = g->options->now - g->options->now % 3600;

  if (at >= hour)
    at = hour - 1 - rng_range (r, 0, 3600);

  return MAX (at, ROTA_INSTANT_MIN);
}

/* Options. */

static char *
week_containing (gint64 now)
{
  g_autofree char *today = rota_time_work_date (now, rota_time_zone_get (ROTA_DEFAULT_TIME_ZONE));

  return rota_date_week_start (today);
}

static void
options_init (RotaDemoOptions *options,
              gint64           now,
              int              weeks_before)
{
  g_autofree char *monday = week_containing (now);
  g_autofree char *first = rota_date_add_days (monday, -7 * weeks_before);

  memset (options, 0, sizeof *options);
  options->seed = 42;
  g_strlcpy (options->first_week, first, sizeof options->first_week);
  options->now = now;
}

/**
 * rota_demo_options_init:
 * @options: (out caller-allocates): the options to fill in
 * @now: the instant to make the data for, such as rota_time_now()
 *
 * Fills in the small default: seed 42, 12 employees in 4 departments of 2
 * offices, 8 weeks starting 6 weeks before the week of @now (in
 * Europe/Amsterdam), so that there is history with punches, the current
 * week and a week that is planned but not yet published.
 */
void
rota_demo_options_init (RotaDemoOptions *options,
                        gint64           now)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (rota_instant_is_valid (now));

  options_init (options, now, 6);
  options->n_employees = 12;
  options->n_offices = 2;
  options->n_departments = 4;
  options->n_weeks = 8;
}

/**
 * rota_demo_options_init_large:
 * @options: (out caller-allocates): the options to fill in
 * @now: the instant to make the data for
 *
 * Fills in the standard large tenant of DESIGN §7: seed 42, 2,000
 * employees in 40 departments of 5 offices, and the 52 weeks before the
 * week of @now, all of them in the past and clocked.
 */
void
rota_demo_options_init_large (RotaDemoOptions *options,
                              gint64           now)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (rota_instant_is_valid (now));

  options_init (options, now, 52);
  options->n_employees = 2000;
  options->n_offices = 5;
  options->n_departments = 40;
  options->n_weeks = 52;
}

static gboolean
check_options (const RotaDemoOptions  *options,
               GError                **error)
{
  GTimeZone *utc = rota_time_zone_get ("UTC");
  g_autofree char *last = NULL;

  if (options->n_employees < 1 || options->n_employees > MAX_EMPLOYEES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Demo data needs 1 to %d employees, not %u",
                   MAX_EMPLOYEES, options->n_employees);
      return FALSE;
    }

  if (options->n_offices < 1 || options->n_offices > MAX_OFFICES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Demo data needs 1 to %d offices, not %u", MAX_OFFICES, options->n_offices);
      return FALSE;
    }

  if (options->n_departments < options->n_offices || options->n_departments > MAX_DEPARTMENTS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Demo data needs %u to %d departments (at least one per office), not %u",
                   options->n_offices, MAX_DEPARTMENTS, options->n_departments);
      return FALSE;
    }

  if (options->n_weeks < 1 || options->n_weeks > MAX_WEEKS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Demo data needs 1 to %d weeks, not %u", MAX_WEEKS, options->n_weeks);
      return FALSE;
    }

  if (memchr (options->first_week, '\0', sizeof options->first_week) == NULL ||
      !rota_date_is_valid (options->first_week) ||
      rota_date_weekday (options->first_week) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The first week must be given by its Monday as YYYY-MM-DD");
      return FALSE;
    }

  if (!rota_instant_is_valid (options->now))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The demo's current time is outside the years 2000 to 2099");
      return FALSE;
    }

  /* Devices booted and entities were created up to ~6 weeks before the
   * window; night shifts end the day after it. */
  last = rota_date_add_days (options->first_week, (int) options->n_weeks * 7 + 2);
  if (last == NULL ||
      rota_time_day_start (utc, options->first_week) - 45 * DAY_SECONDS < ROTA_INSTANT_MIN ||
      rota_time_day_start (utc, last) >= ROTA_INSTANT_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The demo weeks must lie within the years 2000 to 2099");
      return FALSE;
    }

  return TRUE;
}

/* Setup: offices, departments, employees, devices. */

static gboolean
emit (Generator   *g,
      gpointer     entity,
      GError     **error)
{
  return g->sink (ROTA_ENTITY (entity), g->user_data, error);
}

static gboolean
make_offices (Generator  *g,
              Rng        *r,
              GError    **error)
{
  guint n = g->options->n_offices;
  gint64 window_start = rota_time_day_start (rota_time_zone_get ("UTC"), date_at (g, 0));

  g->offices = g_new0 (Office, n);
  g->n_devices = 3 * n;
  g->devices = g_new0 (Device, g->n_devices);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RotaOffice) office = rota_office_new ();
      gboolean dutch = (i % 2) == 1;
      const OfficeName *names = dutch ? office_names_nl : office_names_de;
      guint n_names = dutch ? G_N_ELEMENTS (office_names_nl) : G_N_ELEMENTS (office_names_de);
      guint k = i / 2;
      guint cycle = k / n_names;
      const OfficeName *name = &names[k % n_names];
      const char *zone = dutch ? "Europe/Amsterdam" : "Europe/Berlin";
      g_autofree char *today = NULL;
      g_autofree char *slug = NULL;
      Office *o = &g->offices[i];

      rng_uuid (r, o->id);
      o->tz = rota_time_zone_get (zone);
      g_assert (o->tz != NULL);
      o->profile = dutch ? ROTA_RULES_PROFILE_NL : ROTA_RULES_PROFILE_DE;
      o->first_device = 3 * i;
      today = rota_time_work_date (g->options->now, o->tz);
      o->today = rota_date_diff_days (g->options->first_week, today);

      slug = cycle == 0 ? g_strdup (name->slug) : g_strdup_printf ("%s%u", name->slug, cycle + 1);
      for (guint d = 0; d < 3; d++)
        {
          Device *device = &g->devices[3 * i + d];

          if (d < 2)
            g_snprintf (device->source, sizeof device->source, "kiosk:%s-%u", slug, d + 1);
          else
            g_strlcpy (device->source, "terminal", sizeof device->source);
          rng_uuid (r, device->boot_id);
          device->boot = window_start - rng_range (r, 1, 30) * DAY_SECONDS
                         - rng_range (r, 0, 86399);
          device->seq = rng_range (r, 1, 5000);
        }

      office->id = g_strdup (o->id);
      office->version = 1;
      office->updated_at = created_at (g, r, window_start - 28 * DAY_SECONDS);
      if (cycle == 0)
        office->name = g_strdup (name->name);
      else
        office->name = g_strdup_printf ("%s %u", name->name, cycle + 1);
      g_free (office->time_zone);
      office->time_zone = g_strdup (zone);
      office->rules_profile = o->profile;

      if (!emit (g, office, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
make_departments (Generator  *g,
                  Rng        *r,
                  GError    **error)
{
  guint n = g->options->n_departments;
  gint64 window_start = rota_time_day_start (rota_time_zone_get ("UTC"), date_at (g, 0));

  g->departments = g_new0 (Department, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RotaDepartment) department = rota_department_new ();
      Department *d = &g->departments[i];
      guint office = i % g->options->n_offices;
      guint k = i / g->options->n_offices;
      gboolean dutch = (office % 2) == 1;
      const char * const *names = dutch ? department_names_nl : department_names_de;
      guint n_names = dutch ? G_N_ELEMENTS (department_names_nl)
                            : G_N_ELEMENTS (department_names_de);

      rng_uuid (r, d->id);
      d->office = office;
      d->night = (k % n_names) == DEPARTMENT_FRONT_DESK || (k % n_names) == DEPARTMENT_TECHNICAL;

      department->id = g_strdup (d->id);
      department->version = 1;
      department->updated_at = created_at (g, r, window_start - 28 * DAY_SECONDS);
      department->office_id = g_strdup (g->offices[office].id);
      if (k < n_names)
        department->name = g_strdup (names[k]);
      else
        department->name = g_strdup_printf ("%s %u", names[k % n_names], k / n_names + 1);
      department->color =
        g_strdup (department_colors[(k + office) % G_N_ELEMENTS (department_colors)]);

      if (!emit (g, department, error))
        return FALSE;
    }

  return TRUE;
}

static guint
pick_contract (Rng      *r,
               gboolean  minor)
{
  guint total = 0;
  guint first = minor ? CONTRACT_MINOR_FIRST : 0;
  guint x;

  for (guint i = first; i < G_N_ELEMENTS (contracts); i++)
    total += contracts[i].weight;

  x = rng_below (r, total);
  for (guint i = first; i < G_N_ELEMENTS (contracts); i++)
    {
      if (x < contracts[i].weight)
        return i;
      x -= contracts[i].weight;
    }

  g_assert_not_reached ();
}

/* A demo employee's kiosk PIN is the last four digits of their
 * personnel number: P-00042 has PIN 0042 (README, "Trying the kiosk").
 * The salt comes from a stream of its own, per employee, so the data stays
 * the same for the same seed and no other draw moves. */
static char *
demo_pin_hash (guint64     seed,
               guint32     index,
               const char *personnel_number)
{
  gsize len = strlen (personnel_number);
  guint8 salt[ROTA_PBKDF2_SALT_LENGTH];
  Rng r;

  g_assert (len >= 4);
  rng_init (&r, seed, STREAM_PIN_SALT, index, 0);
  for (guint k = 0; k < sizeof salt; k += 8)
    {
      guint64 x = rng_next (&r);

      for (guint b = 0; b < 8; b++)
        salt[k + b] = (guint8) (x >> (8 * b));
    }

  return rota_pbkdf2_format_pin_hash (personnel_number + len - 4, DEMO_PIN_ITERATIONS, salt);
}

/* A bijection of the 32-bit numbers, so that badge numbers are unique
 * without a hash table. */
static guint32
card_number (guint64 seed,
             guint32 index)
{
  guint32 x = index * 0x9e3779b1u + (guint32) mix64 (seed);

  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  x ^= x >> 16;

  return x;
}

static gboolean
make_employees (Generator  *g,
                Rng        *r,
                GError    **error)
{
  const RotaDemoOptions *options = g->options;
  guint n = options->n_employees;
  g_autofree guint *order = g_new (guint, n);
  g_autofree gboolean *minor = g_new0 (gboolean, n);
  g_autofree guint *n_adults = g_new0 (guint, options->n_departments);
  guint n_minors = n * 3 / 100;
  guint pool = 0;
  GDate first_week;
  gint64 window_start = rota_time_day_start (rota_time_zone_get ("UTC"), date_at (g, 0));

  if (n_minors == 0 && n >= 10)
    n_minors = 1;

  /* Pick the minors by a partial shuffle. */
  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = 0; i < n_minors; i++)
    {
      guint j = i + rng_below (r, n - i);
      guint t = order[i];

      order[i] = order[j];
      order[j] = t;
      minor[order[i]] = TRUE;
    }

  g_date_clear (&first_week, 1);
  g_date_set_parse (&first_week, options->first_week);
  g_assert (g_date_valid (&first_week));

  g->employees = g_new0 (Employee, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RotaEmployee) employee = rota_employee_new ();
      Employee *e = &g->employees[i];
      guint home = i % options->n_departments;
      guint office = g->departments[home].office;
      gboolean dutch = g->offices[office].profile == ROTA_RULES_PROFILE_NL;
      guint n_in_office =
        (options->n_departments - office + options->n_offices - 1) / options->n_offices;
      const char *first_name;
      const char *prefix = NULL;
      const char *last_name;
      g_autofree char *folded_first = NULL;
      g_autofree char *folded_last = NULL;
      char *cards[2] = { NULL, NULL };
      char *department_ids[3] = { NULL, NULL, NULL };
      int age;
      int start_offset;
      GDate date;

      rng_uuid (r, e->id);
      e->office = office;
      e->departments[0] = home;
      e->n_departments = 1;
      e->minor = minor[i];
      e->contract = pick_contract (r, e->minor);
      e->kiosk = g->offices[office].first_device + rng_below (r, 2);
      e->last_end = 0;
      e->sick_from = G_MININT;
      e->sick_until = G_MININT;

      /* Some also work in another department of their office; the
       * departments of office o are o, o + n_offices, o + 2 n_offices … */
      if (n_in_office >= 2 && rng_chance (r, 200))
        {
          guint k = home / options->n_offices;
          guint j = rng_below (r, n_in_office - 1);

          if (j >= k)
            j++;
          e->departments[e->n_departments++] = office + j * options->n_offices;
        }

      if (!e->minor && g->departments[home].night)
        n_adults[home]++;

      if (dutch)
        {
          const DutchLastName *last = &last_names_nl[rng_below (r, G_N_ELEMENTS (last_names_nl))];

          first_name = first_names_nl[rng_below (r, G_N_ELEMENTS (first_names_nl))];
          prefix = last->prefix;
          last_name = last->name;
        }
      else
        {
          first_name = first_names_de[rng_below (r, G_N_ELEMENTS (first_names_de))];
          last_name = last_names_de[rng_below (r, G_N_ELEMENTS (last_names_de))];
        }

      /* Age at the first week; the birthday is anywhere in the year. */
      age = e->minor ? rng_range (r, 16, 17) : rng_range (r, 18, 64);
      date = first_week;
      g_date_subtract_years (&date, age);
      g_date_subtract_days (&date, rng_below (r, 365));
      employee->date_of_birth = date_from_gdate (&date);

      /* Most have been employed for a while, no longer than since 16;
       * a few join during the window, a few leave. */
      e->last_day = G_MAXINT / 2;
      if (g->n_days >= 28 && rng_chance (r, 30))
        start_offset = rng_range (r, 7, (int) g->n_days - 14);
      else
        start_offset = -rng_range (r, 14, MAX (30, MIN (3650, (age - 16) * 365)));
      e->first_day = start_offset;
      date = first_week;
      if (start_offset >= 0)
        g_date_add_days (&date, start_offset);
      else
        g_date_subtract_days (&date, -start_offset);
      employee->employment_start = date_from_gdate (&date);

      if (g->n_days >= 28 && rng_chance (r, 20))
        {
          e->last_day = rng_range (r, MAX (e->first_day + 14, 7), (int) g->n_days - 1);
          date = first_week;
          g_date_add_days (&date, e->last_day);
          employee->employment_end = date_from_gdate (&date);
        }

      /* Every fourth has a weekday off for good (school, childcare). */
      e->unavailable = rng_chance (r, 250) ? rng_range (r, 1, 7) : 0;

      folded_first = ascii_fold (first_name);
      folded_last = prefix != NULL ? ascii_fold (prefix) : g_strdup ("");
      {
        g_autofree char *tail = ascii_fold (last_name);
        char *joined = g_strconcat (folded_last, tail, NULL);

        g_free (folded_last);
        folded_last = joined;
      }

      cards[0] = g_strdup_printf ("%08X", card_number (options->seed, i));
      for (guint k = 0; k < e->n_departments; k++)
        department_ids[k] = g->departments[e->departments[k]].id;

      employee->id = g_strdup (e->id);
      employee->version = 1;
      employee->updated_at = created_at (g, r,
                                         window_start + MAX (e->first_day, -28) * DAY_SECONDS);
      employee->personnel_number = g_strdup_printf ("P-%05u", i + 1);
      employee->first_name = g_strdup (first_name);
      employee->last_name_prefix = g_strdup (prefix);
      employee->last_name = g_strdup (last_name);
      employee->email = g_strdup_printf ("%s.%s.%u@example.org", folded_first, folded_last, i + 1);
      employee->card_numbers = g_strdupv (cards);
      employee->department_ids = g_strdupv (department_ids);
      employee->contract_hours_week = contracts[e->contract].hours;
      /* JArbSchG and the ATW cap minors at 40 and 45 hours. */
      employee->max_hours_week = e->minor ? 40 : 48;
      employee->hourly_wage_cents = rng_range (r, 1300, e->minor ? 1550 : 2800);
      employee->kiosk_pin_hash = demo_pin_hash (options->seed, i, employee->personnel_number);
      g_free (cards[0]);

      if (!emit (g, employee, error))
        return FALSE;
    }

  /* The night rota of each round-the-clock department. */
  for (guint d = 0; d < options->n_departments; d++)
    pool += n_adults[d];
  g->adult_pool = g_new (guint, MAX (pool, 1));
  pool = 0;
  for (guint d = 0; d < options->n_departments; d++)
    {
      g->departments[d].adults = g->adult_pool + pool;
      pool += n_adults[d];
    }
  for (guint i = 0; i < n; i++)
    {
      Employee *e = &g->employees[i];
      Department *d = &g->departments[e->departments[0]];

      if (!e->minor && d->night)
        d->adults[d->n_adults++] = i;
    }

  return TRUE;
}

static gboolean
make_availability (Generator  *g,
                   Rng        *r,
                   GError    **error)
{
  gint64 window_start = rota_time_day_start (rota_time_zone_get ("UTC"), date_at (g, 0));

  for (guint i = 0; i < g->options->n_employees; i++)
    {
      Employee *e = &g->employees[i];
      g_autoptr(RotaAvailability) unavailable = NULL;
      g_autoptr(RotaAvailability) available = NULL;

      if (e->unavailable != 0)
        {
          unavailable = rota_availability_new ();
          unavailable->id = g_malloc (UUID_LEN + 1);
          rng_uuid (r, unavailable->id);
          unavailable->version = 1;
          unavailable->updated_at = created_at (g, r, window_start - 14 * DAY_SECONDS);
          unavailable->employee_id = g_strdup (e->id);
          unavailable->weekday = e->unavailable;
          unavailable->from_time = g_strdup ("00:00");
          unavailable->to_time = g_strdup ("24:00");
          unavailable->kind = ROTA_AVAILABILITY_KIND_UNAVAILABLE;

          if (!emit (g, unavailable, error))
            return FALSE;
        }

      /* Some say when they like to work on a weekend day; the planner
       * treats that as a preference only. */
      if (rng_chance (r, 100))
        {
          int weekday = rng_range (r, 6, 7);

          if (weekday == e->unavailable)
            continue;

          available = rota_availability_new ();
          available->id = g_malloc (UUID_LEN + 1);
          rng_uuid (r, available->id);
          available->version = 1;
          available->updated_at = created_at (g, r, window_start - 14 * DAY_SECONDS);
          available->employee_id = g_strdup (e->id);
          available->weekday = weekday;
          available->from_time = g_strdup (e->minor ? "09:00" : "07:00");
          available->to_time = g_strdup (e->minor ? "18:00" : "23:00");
          available->kind = ROTA_AVAILABILITY_KIND_AVAILABLE;

          if (!emit (g, available, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* Shifts. */

static int
break_for (RotaRulesProfile profile,
           int              gross)
{
  /* DESIGN §6 counts the break rules on net time; plan so that both
   * profiles are met: DE 30 min over 6 h and 45 over 9 h, NL 30 min over
   * 5.5 h and 45 over 10 h. */
  int over_30 = profile == ROTA_RULES_PROFILE_NL ? 330 : 360;
  int over_45 = profile == ROTA_RULES_PROFILE_NL ? 600 : 540;

  if (gross - 30 > over_45)
    return 45;
  if (gross > over_30)
    return 30;
  return 0;
}

static int
template_start (Template template,
                int      gross)
{
  switch (template)
    {
    case TEMPLATE_EARLY:
      return 7 * 60;
    case TEMPLATE_LATE:
      return 23 * 60 - gross;
    case TEMPLATE_DAY:
      return gross >= 360 ? 9 * 60 : 11 * 60;
    case TEMPLATE_NIGHT:
      return 22 * 60;
    default:
      g_assert_not_reached ();
    }
}

static void
fill_shift (Generator  *g,
            Rng        *r,
            const char *employee_id,
            guint       department,
            gint64      start,
            gint64      end,
            int         break_minutes,
            gboolean    published,
            gint64      week_start)
{
  RotaShift *s = g->shift;

  rng_uuid (r, s->id);
  s->version = 1;
  s->updated_at = created_at (g, r, week_start - 7 * DAY_SECONDS);

  if (employee_id != NULL)
    {
      if (s->employee_id == NULL)
        s->employee_id = g_steal_pointer (&g->shift_employee_id);
      memcpy (s->employee_id, employee_id, UUID_LEN + 1);
    }
  else if (s->employee_id != NULL)
    {
      g->shift_employee_id = g_steal_pointer (&s->employee_id);
    }

  memcpy (s->department_id, g->departments[department].id, UUID_LEN + 1);
  s->start = start;
  s->end = end;
  s->break_minutes = break_minutes;
  g_clear_pointer (&s->note, g_free);
  s->published = published;
  s->deleted = FALSE;
}

/* Punches. */

static void
add_punch (Generator     *g,
           Rng           *r,
           guint          employee,
           RotaPunchKind  kind,
           gint64         at)
{
  const Employee *e = &g->employees[employee];
  gint64 now = g->options->now;
  PunchRecord p;

  if (at >= now)
    return;

  p.at = at;
  p.ms = rng_below (r, 1000);
  p.kind = kind;
  p.employee = employee;
  p.order = g->punch_order++;
  p.device = rng_chance (r, RATE_TERMINAL) ? g->offices[e->office].first_device + 2 : e->kiosk;

  /* Sent within seconds; now and then the kiosk was offline and sent
   * its queue later. */
  p.received_at = at + rng_range (r, 1, 20);
  if (rng_chance (r, RATE_OFFLINE))
    p.received_at += rng_range (r, 5 * 60, 4 * 3600);
  p.received_at = MIN (p.received_at, now);

  g_array_append_val (g->punches, p);
}

static Fault
roll_fault (Generator *g,
            Rng       *r,
            guint      employee,
            gboolean   complete)
{
  guint x = rng_below (r, 1000);
  Fault fault = FAULT_NONE;

  if (x < RATE_NO_SHOW)
    fault = FAULT_NO_SHOW;
  else if ((x -= RATE_NO_SHOW) < RATE_FORGOT_OUT)
    fault = FAULT_FORGOT_OUT;
  else if ((x -= RATE_FORGOT_OUT) < RATE_LATE)
    fault = FAULT_LATE;
  else if ((x -= RATE_LATE) < RATE_LEFT_EARLY)
    fault = FAULT_LEFT_EARLY;
  else if ((x -= RATE_LEFT_EARLY) < RATE_DOUBLE_IN)
    fault = FAULT_DOUBLE_IN;

  /* So that even a tiny tenant shows every kind of fault to review, the
   * first completed shifts take on the kinds not seen yet. */
  if (complete)
    {
      if (fault == FAULT_NONE)
        {
          Fault wanted = FAULT_NO_SHOW + employee % (FAULT_DOUBLE_IN - FAULT_NO_SHOW + 1);

          if (!g->seen[wanted])
            fault = wanted;
        }
      g->seen[fault] = TRUE;
    }

  return fault;
}

static void
punch_shift (Generator *g,
             Rng       *r,
             guint      employee,
             gint64     start,
             gint64     end,
             int        break_minutes,
             Fault      fault)
{
  const Employee *e = &g->employees[employee];
  gint64 in;
  gint64 last;
  gint64 out;
  gboolean breaks;

  if (fault == FAULT_NO_SHOW)
    return;

  if (fault == FAULT_LATE)
    in = start + rng_range (r, 10 * 60, 45 * 60);
  else
    in = start + rng_range (r, -10 * 60, 3 * 60);
  add_punch (g, r, employee, ROTA_PUNCH_KIND_IN, in);
  last = in;

  if (fault == FAULT_DOUBLE_IN)
    {
      last = in + rng_range (r, 20, 90);
      add_punch (g, r, employee, ROTA_PUNCH_KIND_IN, last);
    }

  breaks = break_minutes > 0 &&
           rng_chance (r, g->offices[e->office].profile == ROTA_RULES_PROFILE_DE ?
                          RATE_BREAK_PUNCH_DE : RATE_BREAK_PUNCH_NL);
  if (breaks)
    {
      gint64 break_start = start + (end - start) / 2 - 30 * 60 + rng_range (r, 0, 60 * 60);
      gint64 break_end = break_start + break_minutes * 60 + rng_range (r, -3 * 60, 8 * 60);

      add_punch (g, r, employee, ROTA_PUNCH_KIND_BREAK_START, break_start);
      add_punch (g, r, employee, ROTA_PUNCH_KIND_BREAK_END, break_end);
      last = break_end;
    }

  if (fault == FAULT_FORGOT_OUT)
    return;

  if (fault == FAULT_LEFT_EARLY)
    out = MAX (end - rng_range (r, 30 * 60, 120 * 60), last + rng_range (r, 15 * 60, 30 * 60));
  else
    out = end + rng_range (r, -2 * 60, 10 * 60);
  add_punch (g, r, employee, ROTA_PUNCH_KIND_OUT, out);
}

static int
compare_punches (gconstpointer a,
                 gconstpointer b)
{
  const PunchRecord *pa = a;
  const PunchRecord *pb = b;

  if (pa->at != pb->at)
    return pa->at < pb->at ? -1 : 1;
  if (pa->ms != pb->ms)
    return pa->ms < pb->ms ? -1 : 1;
  return pa->order < pb->order ? -1 : pa->order > pb->order;
}

/* Emits the collected punches before @until in time order and keeps the
 * later ones for the next week, so that the stream of punches is ordered
 * by time and every device's sequence grows with it. */
static gboolean
flush_punches (Generator  *g,
               gint64      until,
               GError    **error)
{
  GArray *punches = g->punches;
  RotaPunch *p = g->punch;
  guint n_emitted = 0;

  if (punches->len > 1)
    qsort (punches->data, punches->len, sizeof (PunchRecord), compare_punches);

  for (guint i = 0; i < punches->len; i++)
    {
      const PunchRecord *rec = &g_array_index (punches, PunchRecord, i);
      Device *device = &g->devices[rec->device];

      if (rec->at >= until)
        break;

      rng_uuid (&g->punch_ids, p->id);
      p->version = 1;
      p->updated_at = rec->received_at;
      memcpy (p->employee_id, g->employees[rec->employee].id, UUID_LEN + 1);
      p->kind = rec->kind;
      p->at = rec->at;
      strcpy (p->source, device->source);
      p->device_seq = ++device->seq;
      p->device_monotonic_ms = (rec->at - device->boot) * 1000 + rec->ms;
      memcpy (p->device_boot_id, device->boot_id, UUID_LEN + 1);
      p->time_untrusted = FALSE;
      p->received_at = rec->received_at;

      n_emitted++;
      if (!emit (g, p, error))
        return FALSE;
    }

  g_array_remove_range (punches, 0, n_emitted);

  return TRUE;
}

/* Absences. */

static RotaAbsence *
new_absence (Generator       *g,
             Rng             *r,
             const Employee  *e,
             RotaAbsenceKind  kind,
             int              first_day,
             int              last_day)
{
  RotaAbsence *absence = rota_absence_new ();
  gboolean dutch = g->offices[e->office].profile == ROTA_RULES_PROFILE_NL;
  gint64 window_start = rota_time_day_start (g->offices[e->office].tz, date_at (g, 0));

  absence->id = g_malloc (UUID_LEN + 1);
  rng_uuid (r, absence->id);
  absence->version = 1;
  absence->updated_at = created_at (g, r, window_start + first_day * DAY_SECONDS);
  absence->employee_id = g_strdup (e->id);
  absence->kind = kind;
  absence->start_date = g_strdup (date_at (g, first_day));
  absence->end_date = last_day >= 0 ? rota_date_add_days (date_at (g, 0), last_day) : NULL;

  if (kind == ROTA_ABSENCE_KIND_VACATION)
    absence->note = g_strdup (dutch ? "Vakantie" : "Urlaub");
  else if (kind == ROTA_ABSENCE_KIND_OTHER)
    absence->note = g_strdup (dutch ? "Cursus BHV" : "Schulung Hygiene");

  return absence;
}

/* One week. */

typedef struct
{
  int week;
  int first_day;         /* day index of the Monday */
  gboolean published;
  gint64 week_start;     /* the Monday, 00:00 UTC, for created times */
  int *night_employee;   /* per department, or -1 */
  gboolean *dst_offices; /* per office: the night after Saturday changes DST */
  GPtrArray *absences;
} Week;

static gboolean
dst_night (Generator *g,
           guint      office,
           int        saturday)
{
  GTimeZone *tz = g->offices[office].tz;
  gint64 evening = rota_time_from_local (tz, date_at (g, saturday), 22 * 60);
  gint64 morning = rota_time_from_local (tz, date_at (g, saturday), 30 * 60 + 30);

  return morning - evening != (gint64) (8 * 60 + 30) * MINUTE_SECONDS;
}

static gboolean
employee_free_all_week (const Employee *e,
                        int             first_day)
{
  return e->first_day <= first_day && e->last_day >= first_day + 6 &&
         e->unavailable != 6 && e->unavailable != 7;
}

/* Whether work from @in to @out keeps the rest time to the shifts of
 * the week and to the last shift before it. */
static gboolean
rest_kept (gint64        previous_end,
           const gint64 *starts,
           const gint64 *ends,
           guint         worked_mask,
           gint64        in,
           gint64        out,
           int           rest)
{
  if (previous_end != 0 && in - previous_end < rest)
    return FALSE;

  for (int d = 0; d < 7; d++)
    if ((worked_mask & (1u << d)) != 0 &&
        !(ends[d] + rest <= in || out + rest <= starts[d]))
      return FALSE;

  return TRUE;
}

static gboolean
plan_employee_week (Generator  *g,
                    Week       *w,
                    guint       index,
                    GError    **error)
{
  Employee *e = &g->employees[index];
  const Office *office = &g->offices[e->office];
  const Contract *contract = &contracts[e->contract];
  gint64 now = g->options->now;
  Rng rng;
  Rng *r = &rng;
  gboolean night = w->night_employee[e->departments[0]] == (int) index;
  gboolean force_saturday = night && w->dst_offices[e->office] &&
                            employee_free_all_week (e, w->first_day);
  gboolean vacation = FALSE;
  gboolean force_sick;
  int other_day = -1;
  int candidates[7];
  int n_candidates = 0;
  int chosen[7];
  int n_shifts;
  guint worked_mask = 0;
  gint64 starts[7];
  gint64 ends[7];
  gint64 previous_end = e->last_end;
  Template template;
  int rest = e->minor ? REST_MINOR : REST_ADULT;

  rng_init (r, g->options->seed, STREAM_EMPLOYEE_WEEK, w->week, index);

  /* Absences first: the planner plans around vacation and training;
   * sickness comes after planning and only empties the time clock. */
  if (!force_saturday && e->first_day <= w->first_day && e->last_day >= w->first_day + 6 &&
      rng_chance (r, RATE_VACATION))
    {
      vacation = TRUE;
      g_ptr_array_add (w->absences,
                       new_absence (g, r, e, ROTA_ABSENCE_KIND_VACATION,
                                    w->first_day, w->first_day + 6));
    }
  else if (rng_chance (r, RATE_OTHER_ABSENCE))
    {
      other_day = w->first_day + rng_range (r, 0, 4);
      if (other_day >= e->first_day && other_day <= e->last_day)
        g_ptr_array_add (w->absences,
                         new_absence (g, r, e, ROTA_ABSENCE_KIND_OTHER, other_day, other_day));
      else
        other_day = -1;
    }

  /* Somebody is off sick today: the planner's absence warnings need
   * an example, even in a small tenant. */
  force_sick = !g->seen_sick && !vacation && e->sick_until < w->first_day &&
               office->today >= w->first_day && office->today <= w->first_day + 6 &&
               office->today > e->first_day && office->today <= e->last_day;

  if (!vacation && e->sick_until < w->first_day && (rng_chance (r, RATE_SICK) || force_sick))
    {
      int first = force_sick ? MAX (office->today - 1, w->first_day)
                             : w->first_day + rng_range (r, 0, 6);
      int length = rng_chance (r, 150) ? rng_range (r, 8, 15) : rng_range (r, 1, 5);
      int last = first + length - 1;

      /* A sickness is only known once it has begun; one still going on
       * has no end date yet. */
      if (force_sick)
        last = MAX (last, office->today + 2);

      if (first <= office->today && first >= e->first_day && first <= e->last_day)
        {
          g->seen_sick = TRUE;
          e->sick_from = first;
          e->sick_until = last;
          g_ptr_array_add (w->absences,
                           new_absence (g, r, e, ROTA_ABSENCE_KIND_SICK, first,
                                        last >= office->today ? -1 : last));
          if (last >= office->today)
            e->sick_until = G_MAXINT / 2;
        }
    }

  if (vacation)
    return TRUE;

  /* The template of the week: night duty rotates through the adults of
   * a round-the-clock department, the others alternate early, late and
   * day weeks; minors only work days (JArbSchG, ATW). */
  if (night)
    template = TEMPLATE_NIGHT;
  else if (e->minor)
    template = (w->week + index) % 2 == 0 ? TEMPLATE_EARLY : TEMPLATE_DAY;
  else
    template = (Template) ((w->week + index) % 3);

  /* Night porters work whole nights, fewer of them. */
  n_shifts = night ? MAX ((int) (contract->hours + 4) / 8, 1) : (int) contract->n_shifts;
  if (!e->minor && n_shifts < 6 && rng_chance (r, RATE_EXTRA_SHIFT))
    n_shifts++;
  else if (n_shifts > 1 && rng_chance (r, RATE_FEWER_SHIFTS))
    n_shifts--;

  for (int d = 0; d < 7; d++)
    {
      int day = w->first_day + d;

      if (day < e->first_day || day > e->last_day || day == other_day || d + 1 == e->unavailable)
        continue;
      if (force_saturday && d == 5)
        continue;
      candidates[n_candidates++] = d;
    }

  /* A partial shuffle picks the working days. */
  {
    int n_chosen = 0;

    if (force_saturday)
      {
        chosen[n_chosen++] = 5;
        n_shifts = MAX (n_shifts - 1, 0);
      }
    for (int i = 0; i < n_candidates && i < n_shifts; i++)
      {
        int j = i + (int) rng_below (r, n_candidates - i);
        int t = candidates[i];

        candidates[i] = candidates[j];
        candidates[j] = t;
        chosen[n_chosen++] = candidates[i];
      }
    n_shifts = n_chosen;
  }

  for (int i = 0; i < n_shifts; i++)
    worked_mask |= 1u << chosen[i];

  for (int d = 0, k = 0; d < 7; d++)
    {
      int day = w->first_day + d;
      gboolean last_of_week;
      int net;
      int gross;
      int break_minutes;
      int start_minutes;
      gint64 start;
      gint64 end;
      guint department;
      gboolean sick;
      Fault fault;

      if ((worked_mask & (1u << d)) == 0)
        continue;

      last_of_week = ++k == n_shifts;
      if (template == TEMPLATE_NIGHT)
        net = 480;
      else
        net = (int) (last_of_week ? contract->last_net_minutes : contract->net_minutes);
      gross = net + break_for (office->profile, net);
      gross = net + break_for (office->profile, gross);
      break_minutes = gross - net;
      start_minutes = template_start (template, gross);

      start = rota_time_from_local (office->tz, date_at (g, day), start_minutes);

      /* Keep the rest time: start later where the last shift ended late,
       * or skip the day. The forced DST night is never moved. */
      if (e->last_end != 0 && start - e->last_end < rest && !(force_saturday && d == 5))
        {
          gint64 missing = e->last_end + rest - start;

          start_minutes += (int) ((missing + 1799) / 1800) * 30;
          if (template == TEMPLATE_NIGHT ||
              start_minutes + gross > (e->minor ? 20 * 60 : 23 * 60))
            {
              worked_mask &= ~(1u << d);
              continue;
            }
          start = rota_time_from_local (office->tz, date_at (g, day), start_minutes);
        }

      end = rota_time_from_local (office->tz, date_at (g, day), start_minutes + gross);
      e->last_end = end;
      starts[d] = start;
      ends[d] = end;

      department = e->departments[0];
      if (e->n_departments > 1 && template != TEMPLATE_NIGHT && rng_chance (r, RATE_SECOND_DEPT))
        department = e->departments[1];

      fill_shift (g, r, e->id, department, start, end, break_minutes, w->published, w->week_start);
      if (!emit (g, g->shift, error))
        return FALSE;

      sick = day >= e->sick_from && day <= e->sick_until;
      if (sick || start - 15 * 60 >= now)
        continue;

      fault = roll_fault (g, r, index, end + 3600 < now);
      punch_shift (g, r, index, start, end, break_minutes, fault);
    }

  /* Unplanned work: somebody came in to help on a day off. */
  {
    gboolean force = !g->seen[FAULT_UNPLANNED];

    if (rng_chance (r, RATE_UNPLANNED) || force)
      {
        int offset = rng_range (r, 0, 6);

        for (int i = 0; i < 7; i++)
          {
            int d = (offset + i) % 7;
            int day = w->first_day + d;
            gint64 in;
            gint64 out;

            if ((worked_mask & (1u << d)) != 0 ||
                day < e->first_day || day > e->last_day || day == other_day ||
                (day >= e->sick_from && day <= e->sick_until))
              continue;

            in = rota_time_from_local (office->tz, date_at (g, day),
                                       10 * 60 + rng_range (r, -15, 15));
            out = rota_time_from_local (office->tz, date_at (g, day),
                                        14 * 60 + rng_range (r, -15, 15));
            if (out + 3600 >= now ||
                !rest_kept (previous_end, starts, ends, worked_mask, in, out, rest))
              continue;

            add_punch (g, r, index, ROTA_PUNCH_KIND_IN, in);
            add_punch (g, r, index, ROTA_PUNCH_KIND_OUT, out);
            g->seen[FAULT_UNPLANNED] = TRUE;
            break;
          }
      }
  }

  return TRUE;
}

static gboolean
plan_open_shifts (Generator  *g,
                  Week       *w,
                  GError    **error)
{
  for (guint i = 0; i < g->options->n_departments; i++)
    {
      const Department *department = &g->departments[i];
      const Office *office = &g->offices[department->office];
      Rng rng;
      int d;
      int gross = 510;
      int start_minutes;
      gint64 start;
      gint64 end;
      gboolean dutch = office->profile == ROTA_RULES_PROFILE_NL;

      rng_init (&rng, g->options->seed, STREAM_DEPARTMENT_WEEK, w->week, i);

      /* One open shift per department and week; where nobody can take
       * the night of a DST change, that night is the open shift. */
      if (department->night && w->dst_offices[department->office] &&
          (w->night_employee[i] < 0 ||
           !employee_free_all_week (&g->employees[w->night_employee[i]], w->first_day)))
        {
          d = 5;
          start_minutes = 22 * 60;
        }
      else
        {
          d = rng_range (&rng, 0, 6);
          start_minutes = template_start (rng_chance (&rng, 500) ? TEMPLATE_LATE : TEMPLATE_DAY,
                                          gross);
        }

      start = rota_time_from_local (office->tz, date_at (g, w->first_day + d), start_minutes);
      end = rota_time_from_local (office->tz, date_at (g, w->first_day + d), start_minutes + gross);

      fill_shift (g, &rng, NULL, i, start, end, break_for (office->profile, gross),
                  w->published, w->week_start);
      g->shift->note = g_strdup (dutch ? "Invaller gezocht" : "Aushilfe gesucht");

      if (!emit (g, g->shift, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
generate_week (Generator     *g,
               int            week,
               GCancellable  *cancellable,
               GError       **error)
{
  const RotaDemoOptions *options = g->options;
  g_autofree int *night_employee = g_new (int, options->n_departments);
  g_autofree gboolean *dst_offices = g_new0 (gboolean, options->n_offices);
  g_autoptr(GPtrArray) absences = g_ptr_array_new_with_free_func (g_object_unref);
  GTimeZone *utc = rota_time_zone_get ("UTC");
  Week w = { 0 };
  gint64 until = G_MAXINT64;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  w.week = week;
  w.first_day = 7 * week;
  w.published = week + 1 < (int) options->n_weeks;
  w.week_start = rota_time_day_start (utc, date_at (g, w.first_day));
  w.night_employee = night_employee;
  w.dst_offices = dst_offices;
  w.absences = absences;

  for (guint o = 0; o < options->n_offices; o++)
    dst_offices[o] = dst_night (g, o, w.first_day + 5);

  for (guint i = 0; i < options->n_departments; i++)
    {
      const Department *d = &g->departments[i];

      night_employee[i] = d->night && d->n_adults > 0 ?
                          (int) d->adults[(week + i) % d->n_adults] : -1;
    }

  if (!plan_open_shifts (g, &w, error))
    return FALSE;

  for (guint i = 0; i < options->n_employees; i++)
    if (!plan_employee_week (g, &w, i, error))
      return FALSE;

  /* Punches after the next Monday 00:00 in any office wait for the next
   * week, to be emitted in time order with it. */
  if (week + 1 < (int) options->n_weeks)
    for (guint o = 0; o < options->n_offices; o++)
      until = MIN (until, rota_time_day_start (g->offices[o].tz, date_at (g, w.first_day + 7)));

  if (!flush_punches (g, until, error))
    return FALSE;

  for (guint i = 0; i < absences->len; i++)
    if (!emit (g, absences->pdata[i], error))
      return FALSE;

  return TRUE;
}

static void
generator_clear (Generator *g)
{
  if (g->shift != NULL && g->shift->employee_id == NULL)
    g->shift->employee_id = g_steal_pointer (&g->shift_employee_id);
  g_clear_object (&g->shift);
  g_clear_object (&g->punch);
  g_clear_pointer (&g->shift_employee_id, g_free);
  g_clear_pointer (&g->punches, g_array_unref);
  g_clear_pointer (&g->dates, g_free);
  g_clear_pointer (&g->offices, g_free);
  g_clear_pointer (&g->departments, g_free);
  g_clear_pointer (&g->employees, g_free);
  g_clear_pointer (&g->devices, g_free);
  g_clear_pointer (&g->adult_pool, g_free);
}

/**
 * rota_demo_generate:
 * @options: what to make, see rota_demo_options_init()
 * @sink: (scope call): receives every entity
 * @user_data: data for @sink
 * @cancellable: (nullable): a #GCancellable, checked every week
 * @error: a location for a #GError
 *
 * Makes a deterministic demo tenant: the same @options always give the
 * same entities, field for field, in the same order. Offices alternate
 * Germany and the Netherlands; the employees have realistic names, badges,
 * contracts, a few minors, weekly unavailability, vacation and sick leave;
 * every week has published shifts (the last week is a draft), one open
 * shift per department, and punches with realistic faults (forgotten
 * clock-outs, late arrivals, early leavers, no-shows, unplanned work,
 * double clock-ins) for everything that began before @options->now.
 *
 * The entities passed to @sink may be reused for the next one.
 *
 * Returns: %TRUE on success; %FALSE with @error set if the options are
 *   out of range (%G_IO_ERROR_INVALID_ARGUMENT), the run was cancelled,
 *   or @sink failed
 */
gboolean
rota_demo_generate (const RotaDemoOptions  *options,
                    RotaDemoSink            sink,
                    gpointer                user_data,
                    GCancellable           *cancellable,
                    GError                **error)
{
  Generator g = { 0 };
  Rng setup;
  gboolean ok = FALSE;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_options (options, error))
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  g.options = options;
  g.sink = sink;
  g.user_data = user_data;
  g.n_days = options->n_weeks * 7;
  g.dates = g_new (DateText, g.n_days + 2);
  for (int d = -1; d <= (int) g.n_days; d++)
    {
      g_autofree char *date = rota_date_add_days (options->first_week, d);

      g_strlcpy (g.dates[d + 1], date, sizeof g.dates[0]);
    }

  g.punches = g_array_sized_new (FALSE, FALSE, sizeof (PunchRecord),
                                 MIN (options->n_employees, 5000) * 20);

  /* The reused shift and punch own fixed buffers for their strings. */
  g.shift = rota_shift_new ();
  g.shift->id = g_malloc (UUID_LEN + 1);
  g.shift->employee_id = g_malloc (UUID_LEN + 1);
  g.shift->department_id = g_malloc (UUID_LEN + 1);
  g.punch = rota_punch_new ();
  g.punch->id = g_malloc (UUID_LEN + 1);
  g.punch->employee_id = g_malloc (UUID_LEN + 1);
  g.punch->source = g_malloc (sizeof ((Device *) NULL)->source);
  g.punch->device_boot_id = g_malloc (UUID_LEN + 1);

  rng_init (&setup, options->seed, STREAM_SETUP, 0, 0);
  rng_init (&g.punch_ids, options->seed, STREAM_PUNCH_IDS, 0, 0);

  if (!make_offices (&g, &setup, error) ||
      !make_departments (&g, &setup, error) ||
      !make_employees (&g, &setup, error) ||
      !make_availability (&g, &setup, error))
    goto out;

  for (guint week = 0; week < options->n_weeks; week++)
    if (!generate_week (&g, (int) week, cancellable, error))
      goto out;

  ok = TRUE;

out:
  generator_clear (&g);

  return ok;
}
