#!/usr/bin/env bash
# po/POTFILES.in must be sorted, list only existing files, and list every file
# with translatable strings (else those strings never reach translators).
# usage: check-potfiles.sh SOURCE_ROOT
set -euo pipefail
cd "$1"
export LC_ALL=C
fail=0

entries() { grep -vE '^[[:space:]]*(#|$)' "$1" || true; }
listed=$(entries po/POTFILES.in)
skipped=""
if [[ -f po/POTFILES.skip ]]; then skipped=$(entries po/POTFILES.skip); fi

if ! sort --check=quiet <<<"$listed"; then
  echo "FAIL: po/POTFILES.in is not sorted; sort it with: LC_ALL=C sort" >&2
  fail=1
fi

for f in $listed; do
  if [[ ! -f $f ]]; then
    echo "FAIL: po/POTFILES.in lists $f, which does not exist; remove the line or add the file" >&2
    fail=1
  fi
done

# C sources and UI files using _() N_() C_() NC_() (GNU style allows a space
# before the parenthesis) or translatable="yes", plus the data files.
candidates=$( {
  grep -rlIE '(^|[^[:alnum:]_])N?C?_[[:space:]]*\("|translatable="(yes|true|1)"' src || true
  ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml 2>/dev/null || true
} | sort -u)

checked=0
for f in $candidates; do
  checked=$((checked + 1))
  if ! grep -qxF "$f" <<<"$listed" && ! grep -qxF "$f" <<<"$skipped"; then
    echo "FAIL: $f has translatable strings but is not in po/POTFILES.in; add it (keep the list sorted)" >&2
    fail=1
  fi
done

echo "Checked: po/POTFILES.in ($(wc -w <<<"$listed") entries) against $checked files with translatable strings"
if [[ $fail -eq 0 ]]; then
  echo "ok: po/POTFILES.in is complete, sorted and lists only existing files"
fi
exit $fail
