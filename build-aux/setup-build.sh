#!/usr/bin/env bash
# Configure a build directory (or reconfigure an existing one) and compile it.
# usage: build-aux/setup-build.sh BUILDDIR [MESON-SETUP-OPTION...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
shift

if [[ -f $dir/meson-private/coredata.dat ]]; then
  meson setup --reconfigure "$dir" "$@"
else
  meson setup "$dir" "$@"
fi
meson compile -C "$dir"
