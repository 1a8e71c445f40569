#!/bin/sh
# atspi-session.sh PROGRAM [ARGS...]
#
# Runs PROGRAM (tests/gui/test-atspi.py) as a screen reader would run: on a
# private D-Bus session bus with the accessibility bus (at-spi-bus-launcher
# and, through its activation, at-spi2-registryd) up, in a throwaway HOME,
# keeping the display. The suite's environment switches AT-SPI off
# (GTK_A11Y=test, NO_AT_BRIDGE=1); here GTK_A11Y=atspi and NO_AT_BRIDGE is
# unset. If the accessibility bus does not come up, this fails: it never
# skips.
set -eu

if [ -z "${DISPLAY:-}" ]; then
    echo "Bail out! No display: run the GUI suite under xvfb-run (build-aux/rota-test does)"
    exit 1
fi
for tool in dbus-run-session gdbus xdotool /usr/libexec/at-spi-bus-launcher; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "Bail out! $tool is missing (Debian packages dbus-daemon, libglib2.0-bin, xdotool, at-spi2-core)"
        exit 1
    fi
done

# Xvfb resets when its last client leaves, and refuses connections while
# it does. Here several short-lived clients come and go before the app
# connects (the bus launcher, xdotool), so one client stays connected for
# the whole session: xdotool, sleeping.
xdotool sleep 3600 &
x_holder=$!

HOME=$(mktemp -d "${TMPDIR:-/tmp}/rota-atspi-XXXXXX")
XDG_RUNTIME_DIR="$HOME/run"
XDG_DATA_HOME="$HOME/.local/share"
XDG_CONFIG_HOME="$HOME/.config"
XDG_CACHE_HOME="$HOME/.cache"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
export HOME XDG_RUNTIME_DIR XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME
trap 'kill "$x_holder" 2>/dev/null; rm -rf "$HOME"' EXIT

unset NO_AT_BRIDGE
GTK_A11Y=atspi
GDK_BACKEND=x11
export GTK_A11Y GDK_BACKEND
: "${GSETTINGS_BACKEND:=memory}"
export GSETTINGS_BACKEND

# The bus launcher and the registry run as on a desktop, without the
# tests' debug settings (G_DEBUG=fatal-warnings would abort them on their
# own warnings), printing to stderr: stdout is PROGRAM's TAP. The launcher
# takes org.a11y.Bus a moment after it starts. Until it has, a call would
# have the session bus start a second one (at-spi2-core's .service file),
# printing to stdout, so wait for the name without calling it first; then
# check that GetAddress answers, run PROGRAM, and stop the launcher.
dbus-run-session -- sh -c '
    env -u G_DEBUG -u MALLOC_CHECK_ -u MALLOC_PERTURB_ \
        /usr/libexec/at-spi-bus-launcher --launch-immediately >&2 &
    launcher=$!
    address=
    for i in $(seq 100); do
        if gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
               --method org.freedesktop.DBus.NameHasOwner org.a11y.Bus 2>/dev/null | grep -q true; then
            address=$(gdbus call --session --dest org.a11y.Bus --object-path /org/a11y/bus \
                          --method org.a11y.Bus.GetAddress) || address=
            break
        fi
        sleep 0.1
    done
    if [ -z "$address" ]; then
        echo "Bail out! at-spi-bus-launcher (at-spi2-core) did not bring up the accessibility bus within 10 s"
        kill "$launcher" 2>/dev/null
        exit 1
    fi
    echo "accessibility bus: $address" >&2
    status=0
    "$@" || status=$?
    kill "$launcher" 2>/dev/null
    wait "$launcher" 2>/dev/null
    exit $status' sh "$@"
