#!/usr/bin/env bash
# Builds golangci-lint with the reloadvet plugin compiled in, without git:
# the same binary `golangci-lint custom` builds from .custom-gcl.yml, made
# from the module proxy through the wrapper module in .ci/golangci.
#
# usage: scripts/build-golangci.sh [OUTPUT]   (default: bin/custom-gcl)
#
# Needs only Go. The first build downloads about 220 modules and compiles
# golangci-lint (minutes, about 1 GB of caches); later builds reuse Go's
# module and build caches and take seconds.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/bin/custom-gcl}"
case "$out" in
/*) ;;
*) out="$PWD/$out" ;;
esac
mkdir -p "$(dirname "$out")"
cd "$root/.ci/golangci"
# -mod=readonly: the committed go.mod and go.sum must be complete.
# -buildvcs=false: no git needed, as the build itself needs none.
go build -mod=readonly -buildvcs=false -trimpath -o "$out" .
echo "built $out ($("$out" version 2>&1 | head -n 1))" >&2
