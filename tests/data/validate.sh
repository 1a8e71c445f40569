#!/usr/bin/env bash
# Run a validator on a built or source data file and say what to fix if it fails.
# usage: validate.sh SOURCE-FILE COMMAND [ARGS...]
set -uo pipefail
source_file=$1
shift
echo "Running: $*"
if "$@"; then
  echo "ok: $source_file passes $(basename "$1")"
else
  echo "FAIL: $source_file does not pass $(basename "$1"): fix it as the messages above say" >&2
  exit 1
fi
