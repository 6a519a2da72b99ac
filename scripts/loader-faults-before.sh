#!/usr/bin/env bash
# loader-faults-before.sh: run the fault tests of issue 13 against the
# loader of another revision (default: main), to see each of them fail
# there. The tests are written against the API that revision has, so they
# compile on it. It exports REV to a temporary folder (git archive: no
# worktree, nothing checked out), copies this tree's fault tests into it and
# runs them under -race; then the hot-reload example's hung-load scenario,
# with this tree's run.sh less the two flags the old service lacks.
#
#	scripts/loader-faults-before.sh [REV]
#
# Every test it runs is expected to FAIL on a revision before the fixes;
# the script prints go test's summary lines and exits 0 either way.
set -uo pipefail
cd "$(dirname "$0")/.."

rev=${1:-main}
dir=$(mktemp -d /tmp/loader-faults.XXXXXX)
git archive "$rev" | tar -x -C "$dir"
cp loader/fault_test.go "$dir/loader/"
cp loader/loadertest/fault_test.go "$dir/loader/loadertest/"
cp loader/loaderconfig/loaderconfig_test.go "$dir/loader/loaderconfig/"
cp examples/hotreload/run.sh examples/hotreload/hotreload_test.go "$dir/examples/hotreload/"
sed -i 's/ -load-timeout 1m -shutdown-timeout 3s//' "$dir/examples/hotreload/run.sh"

echo "fault tests of issue 13 against $rev ($(git rev-parse --short "$rev")), in $dir"
(cd "$dir" && go test -race -count=1 -run 'Fault' ./loader/ ./loader/loadertest/ 2>&1 | grep -E '^(--- |ok|FAIL)')
(cd "$dir" && go test -race -count=1 -run 'NoLayers' ./loader/loaderconfig/ 2>&1 | grep -E '^(--- |ok|FAIL)')
(cd "$dir" && go test -race -count=1 -run 'SIGTERMDuringAHungLoad' ./examples/hotreload/ 2>&1 | grep -E '^(--- |ok|FAIL|\s+FAIL:)')
exit 0
