/* rota-pbkdf2.h
 *
 * Copyright 2026 The Rota developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), the primitive under the kiosk's PIN
 * hashes (rota-kiosk.h): "pbkdf2-sha256$ITERATIONS$SALT$HASH" with the
 * salt and the 32-byte hash in base64.
 */

/* Iterations for a PIN hash that protects a real account (rotactl
 * pin-hash, kiosk-credentials). OWASP's 2023 figure for
 * PBKDF2-HMAC-SHA256 is 600,000; a kiosk checks a PIN on a modest
 * back-office PC for each person who clocks in, where 600,000 rounds of
 * GLib's SHA-256 take about a second. 310,000 is OWASP's earlier figure,
 * about half a second there, and above the 210,000 floor. */
#define ROTA_PBKDF2_PIN_ITERATIONS 310000

/* Bytes of salt and of hash in a PIN hash. */
#define ROTA_PBKDF2_SALT_LENGTH 16
#define ROTA_PBKDF2_HASH_LENGTH 32

/* The most iterations a PIN hash string may name; a larger count would
 * let a crafted hash keep a kiosk busy for minutes. */
#define ROTA_PBKDF2_MAX_ITERATIONS 10000000

void  rota_pbkdf2_sha256           (const guint8 *password,
                                    gsize         password_len,
                                    const guint8 *salt,
                                    gsize         salt_len,
                                    guint         iterations,
                                    guint8       *out,
                                    gsize         out_len);
char *rota_pbkdf2_format_pin_hash  (const char   *pin,
                                    guint         iterations,
                                    const guint8 *salt16) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
