#!/usr/bin/env bash
# Install the Node.js tools the tests use into _build-node/ (ignored by git):
# @redocly/cli, which lints data/openapi.yaml (tests/server/openapi/lint.sh).
# Does nothing when the pinned version is there already. Needs no TTY; runs as
# root or as a user (sudo only to install Debian's nodejs and npm if npm is
# missing).
# usage: build-aux/install-node-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned: bump deliberately, then run tests/server/openapi/lint.sh.
REDOCLY_VERSION=2.77.0
# @redocly/cli 2.x declares engines node ">=20.19.0 <21 || >=22.12.0".
NODE_MIN_20=20.19.0
NODE_MIN_22=22.12.0
# For an older Node.js, such as Debian 12's 18.19: checked to lint the spec
# with the same configuration.
REDOCLY_FALLBACK_VERSION=1.25.15
NODE_MIN_FALLBACK=14.19.0

prefix=_build-node
package_json=$prefix/node_modules/@redocly/cli/package.json

say() { echo "install-node-tools: $*"; }

# version_ge A B: whether version A >= version B (dotted numbers).
version_ge() {
  [[ $(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1) == "$2" ]]
}

installed_version() {
  [[ -f $package_json ]] || return 1
  sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$package_json" | head -n 1
}

if [[ $(installed_version || true) == "$REDOCLY_VERSION" && -x $prefix/node_modules/.bin/redocly ]]; then
  say "@redocly/cli $REDOCLY_VERSION is installed in $prefix/"
  exit 0
fi

if ! command -v npm >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    say "npm is missing and this is not a Debian system; install Node.js (>= $NODE_MIN_20) and npm by hand" >&2
    exit 1
  fi
  if [[ $EUID -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    say "npm is missing; run this as root, or install sudo, or as root run: apt-get install nodejs npm" >&2
    exit 1
  fi
  say "npm is missing: installing Debian's nodejs and npm"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends nodejs npm
fi

if ! command -v node >/dev/null; then
  say "npm is there but node is not; install Node.js (>= $NODE_MIN_20)" >&2
  exit 1
fi

node_version=$(node --version)
node_version=${node_version#v}
if ! { version_ge "$node_version" "$NODE_MIN_22" ||
       { version_ge "$node_version" "$NODE_MIN_20" && ! version_ge "$node_version" 21; }; }; then
  # Debian 12's own Node.js is 18: Redocly CLI's last 1.x line runs there
  # and lints data/openapi.yaml with the same configuration.
  if version_ge "$node_version" "$NODE_MIN_FALLBACK"; then
    say "Node.js $node_version is older than @redocly/cli $REDOCLY_VERSION needs;" \
        "using @redocly/cli $REDOCLY_FALLBACK_VERSION, which supports it"
    REDOCLY_VERSION=$REDOCLY_FALLBACK_VERSION
    if [[ $(installed_version || true) == "$REDOCLY_VERSION" && -x $prefix/node_modules/.bin/redocly ]]; then
      say "@redocly/cli $REDOCLY_VERSION is installed in $prefix/"
      exit 0
    fi
  else
    say "Node.js $node_version is too old for @redocly/cli (it needs >= $NODE_MIN_FALLBACK)" >&2
    exit 1
  fi
fi

say "installing @redocly/cli@$REDOCLY_VERSION into $prefix/ (node $node_version, npm $(npm --version))"
mkdir -p "$prefix"
# A package.json of our own keeps npm from walking up to a parent directory's.
if [[ ! -f $prefix/package.json ]]; then
  printf '{\n  "name": "rota-node-tools",\n  "private": true\n}\n' >"$prefix/package.json"
fi
npm install --prefix "$prefix" --no-audit --no-fund --no-progress --save-exact \
  "@redocly/cli@$REDOCLY_VERSION" </dev/null

if [[ $(installed_version || true) != "$REDOCLY_VERSION" ]]; then
  say "npm finished, but $package_json does not say version $REDOCLY_VERSION" >&2
  exit 1
fi
say "installed: $("$prefix/node_modules/.bin/redocly" --version 2>/dev/null || echo "@redocly/cli $REDOCLY_VERSION")"
