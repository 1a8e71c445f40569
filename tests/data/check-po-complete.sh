#!/usr/bin/env bash
# Every language in po/LINGUAS translates every current message: extract a fresh
# template, merge each catalogue into it and report untranslated or fuzzy ones.
# usage: check-po-complete.sh SOURCE_ROOT
set -euo pipefail
cd "$1"
export LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

if ! build-aux/update-po.sh --pot "$tmp/rota.pot"; then
  echo "FAIL: xgettext could not extract the messages; check the files in po/POTFILES.in" >&2
  exit 1
fi

# List the msgids of a catalogue's entries, one a line, indented.
msgids() { sed -n 's/^msgid "\(..*\)"$/    \1/p'; }

# shellcheck disable=SC2013 # LINGUAS may hold several codes per line
for lang in $(grep -vE '^[[:space:]]*(#|$)' po/LINGUAS); do
  if [[ ! -f po/$lang.po ]]; then
    echo "FAIL: po/LINGUAS lists $lang but po/$lang.po does not exist" >&2
    fail=1
    continue
  fi
  msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/$lang.po" "po/$lang.po" "$tmp/rota.pot"
  if ! stats=$(msgfmt --check --statistics --output-file=/dev/null "$tmp/$lang.po" 2>&1); then
    echo "$stats" >&2
    echo "FAIL: po/$lang.po does not pass msgfmt --check (see above)" >&2
    fail=1
    continue
  fi
  echo "po/$lang.po: $stats"
  untranslated=$(msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" | msgids)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/$lang.po" | msgids)
  if [[ -n $untranslated ]]; then
    printf 'FAIL: po/%s.po has untranslated messages:\n%s\n' "$lang" "$untranslated" >&2
    fail=1
  fi
  if [[ -n $fuzzy ]]; then
    printf 'FAIL: po/%s.po has fuzzy messages:\n%s\n' "$lang" "$fuzzy" >&2
    fail=1
  fi
done

if [[ $fail -ne 0 ]]; then
  echo "To fix: run build-aux/update-po.sh, fill in the empty msgstr entries and" \
       "remove '#, fuzzy' marks in po/*.po, then run this test again." >&2
else
  echo "ok: every message is translated in $(grep -vcE '^[[:space:]]*(#|$)' po/LINGUAS) languages"
fi
exit $fail
