#!/usr/bin/env bash
# bench-unjoined.sh: time and peak memory of reloadvet running unjoined
# alone, go vet and staticcheck over the same packages (default: std), one
# after the other in one run, each with a result cache of its own that
# starts empty. Prints a Markdown table; the raw outputs stay in the work
# folder it names.
#
#	scripts/bench-unjoined.sh [packages...]
#
# Needs /usr/bin/time (GNU) and staticcheck on PATH or in $(go env GOPATH)/bin
# (go install honnef.co/go/tools/cmd/staticcheck@v0.8.2). Expect ~20 min
# for std on 2 cores, most of it staticcheck.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(std)
work=$(mktemp -d /tmp/bench-unjoined.XXXXXX)
staticcheck=$(command -v staticcheck || echo "$(go env GOPATH)/bin/staticcheck")
[ -x "$staticcheck" ] || { echo "staticcheck not found: go install honnef.co/go/tools/cmd/staticcheck@v0.8.2" >&2; exit 1; }

go build -o "$work/reloadvet" ./cmd/reloadvet

# run NAME CMD...: runs CMD in an empty folder (no config file applies),
# records wall time, peak RSS, exit status and the number of findings.
run() {
	local name=$1
	shift
	mkdir -p "$work/$name.d"
	local rc=0
	(cd "$work/$name.d" && /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err") || rc=$?
	local wall rss
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$name.time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")
	echo "$name|$wall|$((rss / 1024))|$rc" >>"$work/rows"
}

# Each tool gets fresh caches: GOCACHE for go vet (export data and vet
# results) and for reloadvet (cgo preprocessing), XDG_CACHE_HOME for
# staticcheck's own cache.
export GOFLAGS=
run reloadvet env GOCACHE="$work/gocache-rv" "$work/reloadvet" -unjoined "${pkgs[@]}"
run govet env GOCACHE="$work/gocache-vet" go vet "${pkgs[@]}"
run staticcheck env XDG_CACHE_HOME="$work/xdg-sc" GOCACHE="$work/gocache-sc" "$staticcheck" "${pkgs[@]}"

count() { grep -c "$2" "$work/$1.out" "$work/$1.err" | awk -F: '{s+=$2} END {print s+0}'; }
echo "packages: ${pkgs[*]}; $(go version); $(nproc) cores; work folder $work"
echo
echo "| tool | wall time | peak RSS (MiB) | exit | findings |"
echo "| --- | --- | --- | --- | --- |"
while IFS='|' read -r name wall rss rc; do
	case $name in
	reloadvet) label="reloadvet -unjoined"; n=$(count reloadvet 'goroutine is not joined') ;;
	govet) label="go vet"; n=$(grep -c '^[^#].*\.go:[0-9]*:[0-9]*: ' "$work/govet.err" || true) ;;
	staticcheck) label="staticcheck"; n=$(grep -c '\.go:[0-9]*:[0-9]*: ' "$work/staticcheck.out" || true) ;;
	esac
	echo "| $label | $wall | $rss | $rc | $n |"
done <"$work/rows"
