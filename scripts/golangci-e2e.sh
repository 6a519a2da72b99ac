#!/usr/bin/env bash
# Builds the custom golangci-lint (scripts/build-golangci.sh) and runs the
# end-to-end tests that need it: on a copy of testdata/layered, golangci-lint
# must report what reloadvet and go vet -vettool report (checked against
# cmd/reloadvet/testdata/golangci.golden), //nolint:reloadvet must silence
# it, bad plugin settings must fail with a clear message, and an edited
# .reloadvet.yml must not be answered from golangci-lint's cache.
#
# usage: scripts/golangci-e2e.sh [go test flags]   (e.g. -update, -v)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${RELOADVET_GOLANGCI_LINT:-$root/bin/custom-gcl}"
"$root/scripts/build-golangci.sh" "$bin"
cd "$root"
RELOADVET_GOLANGCI_LINT="$bin" go test -count=1 -run 'TestSameFindings|TestGolangci' ./cmd/reloadvet "$@"
