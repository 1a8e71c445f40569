#!/usr/bin/env bash
# Regenerate po/rota.pot from po/POTFILES.in and merge it into every catalogue
# listed in po/LINGUAS (without fuzzy matching: a changed string comes back
# untranslated, not half-translated). Then fill in the empty msgstr entries.
#
#   build-aux/update-po.sh              update po/rota.pot and po/*.po
#   build-aux/update-po.sh --pot FILE   only write the template to FILE (used by tests)
set -euo pipefail
cd "$(dirname "$0")/.."

pot=po/rota.pot
merge=1
if [[ ${1:-} == --pot ]]; then
  pot=${2:?usage: $0 [--pot FILE]}
  merge=0
elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--pot FILE]" >&2
  exit 2
fi

version=$(sed -n "s/^ *version: *'\([^']*\)'.*/\1/p" meson.build | head -n1)

# Same keywords and format flags as meson's i18n 'glib' preset, plus ngettext.
xgettext \
  --package-name=rota --package-version="$version" \
  --msgid-bugs-address=https://rota.example.org \
  --from-code=UTF-8 --add-comments=Translators --sort-by-file \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_prefix_error:2:c-format --flag=g_print:1:c-format \
  --flag=g_printerr:1:c-format --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format \
  --files-from=po/POTFILES.in --output="$pot"

if [[ $merge -eq 1 ]]; then
  echo "Wrote $pot"
  # shellcheck disable=SC2013 # LINGUAS may hold several codes per line
  for lang in $(grep -vE '^[[:space:]]*(#|$)' po/LINGUAS); do
    msgmerge --quiet --update --backup=none --no-fuzzy-matching "po/$lang.po" "$pot"
    echo "po/$lang.po: $(msgfmt --check --statistics --output-file=/dev/null "po/$lang.po" 2>&1)"
  done
fi
