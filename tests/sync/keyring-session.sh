#!/bin/sh
# keyring-session.sh [--no-keyring] [--keep-display] PROGRAM [ARGS...]
#
# Runs PROGRAM on a private D-Bus session bus, in a throwaway HOME, with
# gnome-keyring's Secret Service unlocked (password "rota-test"), as a
# desktop session would have it. With --no-keyring the bus offers no
# services at all, as on a machine without a keyring. --keep-display
# leaves DISPLAY to PROGRAM (a GUI test on Xvfb); the keyring daemon
# still gets none.
set -eu

here=$(dirname "$0")
no_keyring=0
keep_display=0
while :; do
    case "${1:-}" in
        --no-keyring) no_keyring=1; shift ;;
        --keep-display) keep_display=1; shift ;;
        *) break ;;
    esac
done
display=${DISPLAY:-}

HOME=$(mktemp -d "${TMPDIR:-/tmp}/rota-keyring-XXXXXX")
XDG_RUNTIME_DIR="$HOME/run"
XDG_DATA_HOME="$HOME/.local/share"
XDG_CONFIG_HOME="$HOME/.config"
XDG_CACHE_HOME="$HOME/.cache"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
# No display: the keyring cannot show an unlock prompt, as on a kiosk or
# over ssh; a locked keyring then stays locked instead of waiting.
unset DISPLAY WAYLAND_DISPLAY
export HOME XDG_RUNTIME_DIR XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME
ROTA_KEEP_DISPLAY=
if [ "$keep_display" = 1 ]; then
    ROTA_KEEP_DISPLAY=$display
fi
export ROTA_KEEP_DISPLAY
trap 'rm -rf "$HOME"' EXIT

if [ "$no_keyring" = 1 ]; then
    dbus-run-session --config-file="$here/no-services.conf" -- "$@"
else
    # The daemon runs as it would on a desktop, without the tests' debug
    # settings (G_DEBUG=fatal-warnings would abort it on its own warnings).
    # gnome-keyring-daemon forks and takes its bus name a moment later.
    # Until it has, a call would have the bus start a second daemon (its
    # .service file), and the two would fight over the name: so wait.
    dbus-run-session -- sh -c '
        printf "rota-test" | env -u G_DEBUG -u MALLOC_CHECK_ -u MALLOC_PERTURB_ -u ASAN_OPTIONS -u UBSAN_OPTIONS \
            gnome-keyring-daemon --unlock --components=secrets >/dev/null
        for i in $(seq 100); do
            if gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
                   --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null |
               grep -q true; then
                if [ -n "$ROTA_KEEP_DISPLAY" ]; then
                    export DISPLAY="$ROTA_KEEP_DISPLAY"
                fi
                exec "$@"
            fi
            sleep 0.1
        done
        echo "gnome-keyring-daemon did not take org.freedesktop.secrets within 10 s" >&2
        exit 1' sh "$@"
fi
