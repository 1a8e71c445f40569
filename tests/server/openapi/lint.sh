#!/usr/bin/env bash
# Lint data/openapi.yaml with Redocly CLI against tests/server/openapi/redocly.yaml.
# Passes only with no errors and no warnings. Redocly is installed into _build-node/
# by build-aux/install-node-tools.sh.
# usage: tests/server/openapi/lint.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

redocly=_build-node/node_modules/.bin/redocly
if [[ ! -x $redocly ]]; then
  echo "lint.sh: Redocly CLI is not installed in _build-node/; run build-aux/install-node-tools.sh" >&2
  exit 1
fi

# No update checks or telemetry: CI has no network beyond the package registries.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_NOTIFICATIONS=true REDOCLY_SUPPRESS_UPDATE_NOTICE=true
# Redocly exits non-zero on errors only; --max-problems keeps every warning in view,
# and a warning fails this script too.
output=$("$redocly" lint --config tests/server/openapi/redocly.yaml --max-problems 1000 \
         --format stylish data/openapi.yaml 2>&1) && status=0 || status=$?
echo "$output"
if [[ $status -ne 0 ]]; then
  echo "lint.sh: data/openapi.yaml has lint errors" >&2
  exit 1
fi
if grep -Eq '^[[:space:]]*[0-9]+:[0-9]+[[:space:]]+warning[[:space:]]' <<<"$output"; then
  echo "lint.sh: data/openapi.yaml has lint warnings" >&2
  exit 1
fi
echo "lint.sh: data/openapi.yaml is clean"
