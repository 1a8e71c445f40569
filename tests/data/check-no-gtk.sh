#!/usr/bin/env bash
# The core library, the server and the command line must never use GTK or
# libadwaita (DESIGN.md §1, STYLE.md §2): only src/gui may.
# usage: check-no-gtk.sh SOURCE_ROOT [BINARY...]
set -euo pipefail
root=$1
shift
fail=0

dirs=()
for d in src/core src/server src/cli; do
  if [[ -d $root/$d ]]; then dirs+=("$root/$d"); fi
done
if [[ ${#dirs[@]} -eq 0 ]]; then
  echo "FAIL: none of src/core, src/server, src/cli exists under $root" >&2
  exit 1
fi

echo "Checking sources in ${dirs[*]#"$root"/} for GTK/GDK/GSK/libadwaita includes"
if grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|gsk/|gtk\.h|adwaita\.h|adw-)' \
     --include='*.c' --include='*.h' "${dirs[@]}"; then
  echo "FAIL: the lines above include GTK or libadwaita headers outside src/gui;" \
       "move that code to src/gui or use GLib/GIO instead" >&2
  fail=1
fi

echo "Checking meson.build files there for gtk4/libadwaita dependencies"
if grep -rnE "dependency\([[:space:]]*'(gtk4|gtk\+-3\.0|libadwaita-1)'" \
     --include=meson.build "${dirs[@]}"; then
  echo "FAIL: the lines above make core, server or cli depend on GTK or libadwaita;" \
       "only src/gui may" >&2
  fail=1
fi

for bin in "$@"; do
  echo "Checking the libraries $bin links against"
  if ! libs=$(ldd "$bin"); then
    echo "FAIL: ldd could not inspect $bin" >&2
    fail=1
  elif grep -E 'lib(gtk|gdk|adwaita)-' <<<"$libs"; then
    echo "FAIL: $(basename "$bin") links against GTK or libadwaita (lines above);" \
         "remove the gtk4/libadwaita dependency from its target" >&2
    fail=1
  fi
done

if [[ $fail -eq 0 ]]; then
  echo "ok: no GTK or libadwaita in core, server or cli"
fi
exit $fail
