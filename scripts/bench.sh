#!/bin/sh
# bench.sh times rawspawn and crosscallback beside go vet and staticcheck
# over the same packages, each from cold caches, one after another, and
# prints a Markdown table: wall time, CPU time, peak RSS of the largest
# process, and findings (lines of the form file:line:col: message).
#
# Usage, from the directory the patterns are relative to:
#
#	scripts/bench.sh CONFIG RELOADVET [PATTERN...]    (default pattern: std)
#
# CONFIG is the .reloadvet.yml the reloadvet runs use (through
# RELOADVET_CONFIG, as go vet -vettool runs need); RELOADVET is a built
# cmd/reloadvet. staticcheck must be on PATH.
set -eu
cfg=$(realpath "$1")
tool=$(realpath "$2")
shift 2
[ $# -gt 0 ] || set -- std
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| run | wall | CPU (user+sys) | peak RSS | findings |"
echo "|---|---:|---:|---:|---:|"
row() {
	name=$1
	shift
	rm -rf "$work/cache"
	mkdir -p "$work/cache"
	GOCACHE="$work/cache/go" STATICCHECK_CACHE="$work/cache/staticcheck" RELOADVET_CONFIG="$cfg" \
		/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>&1 || true
	read -r wall user sys rss <"$work/time"
	findings=$(grep -cE '^[^[:space:]]+\.go:[0-9]+:[0-9]+: ' "$work/out" || true)
	cpu=$(echo "$user + $sys" | bc)
	printf '| %s | %s s | %s s | %s MB | %s |\n' "$name" "$wall" "$cpu" "$((rss / 1024))" "$findings"
	cp "$work/out" "bench-$(echo "$name" | tr -c 'a-z0-9\n' '-').out"
}

row "go vet" go vet "$@"
row "go vet -vettool=reloadvet -rawspawn -crosscallback" go vet -vettool="$tool" -rawspawn -crosscallback "$@"
row "go vet -vettool=reloadvet -rawspawn" go vet -vettool="$tool" -rawspawn "$@"
row "go vet -vettool=reloadvet -crosscallback" go vet -vettool="$tool" -crosscallback "$@"
row "staticcheck" staticcheck "$@"
