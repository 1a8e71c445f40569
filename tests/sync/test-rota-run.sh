#!/bin/sh
# test-rota-run.sh SOURCE_ROOT BUILD_DIR
#
# The README's main command as a user runs it, short of opening the app:
# `build-aux/rota-run --no-app --no-install` in a throwaway HOME under a
# keyring session (keyring-session.sh). It must start the local server,
# add the demo account with a planner's scopes and sync it; a second run
# must reuse the CA, the key, the port and the account, and sync again.
set -eu
root=$1
build=$2
rotactl=$build/src/cli/rotactl
here=${XDG_DATA_HOME:?}/rota/local-server
cd "${HOME:?}"

fail() { echo "FAIL: $*" >&2; exit 1; }

"$root/build-aux/rota-run" --no-app --no-install --no-build --build-dir "$build" >run1.log 2>&1 ||
    { cat run1.log >&2; fail "rota-run --no-app exited with $?"; }
cat run1.log

port=$(cat "$here/port")
line=$("$rotactl" account list | grep "^https://127.0.0.1:$port/	demo	") ||
    fail "no account for demo on https://127.0.0.1:$port/"
scopes=$(printf '%s\n' "$line" | cut -f4)
[ "$scopes" = "planning:read planning:write" ] || fail "the account's scopes are '$scopes'"
grep -q "rotactl sync exited with 0" run1.log || fail "the sync did not return 0"

for file in ca.key server.key; do
    mode=$(stat -c %a "$here/$file")
    [ "$mode" = 600 ] || fail "$file has mode $mode, not 600"
done
[ "$(stat -c %a "$here")" = 700 ] || fail "$here is not 0700"
ca_sum=$(sha256sum "$here/ca.pem" "$here/server.key")

# No server left behind: the port is free again.
if /usr/bin/python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $port)) != 0)"; then
    fail "rota-server still listens on $port after rota-run ended"
fi

# Again: the same CA, key and account; no second token added.
rm -f run2.log
"$root/build-aux/rota-run" --no-app --no-install --no-build --build-dir "$build" >run2.log 2>&1 ||
    { cat run2.log >&2; fail "the second rota-run exited with $?"; }
cat run2.log
[ "$(sha256sum "$here/ca.pem" "$here/server.key")" = "$ca_sum" ] || fail "the second run made a new CA or key"
[ "$(cat "$here/port")" = "$port" ] || fail "the second run picked another port"
grep -q "rotactl sync exited with 0" run2.log || fail "the second sync did not return 0"
[ "$("$rotactl" account list | wc -l)" = 1 ] || fail "the second run added another account"
if [ "${ROTA_TEST_KEYRING:-}" != none ]; then
    grep -q "adding the account again" run2.log && fail "the second run replaced the account"
fi
echo "ok: rota-run made, reused and synced the demo account"
