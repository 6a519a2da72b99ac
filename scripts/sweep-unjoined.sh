#!/usr/bin/env bash
# sweep-unjoined.sh: runs reloadvet -unjoined over std and over large
# dependency trees from the module proxy (pinned versions), prints a
# Markdown table of packages, findings, panics, wall time and peak memory,
# and draws a seeded sample of 30 findings for hand classification.
#
#	scripts/sweep-unjoined.sh [workdir]
#
# The scratch module lives in workdir (default /tmp/unjoined-sweep); the
# raw outputs stay there. Needs GNU /usr/bin/time and python3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/unjoined-sweep}
mkdir -p "$work"
go build -o "$work/reloadvet" "$repo/cmd/reloadvet"

mods=(
	google.golang.org/grpc@v1.85.0
	k8s.io/apimachinery@v0.37.2
	golang.org/x/net@v0.61.0
	github.com/prometheus/client_golang@v1.25.0
	golang.org/x/tools@v0.52.0
)
cd "$work"
[ -f go.mod ] || go mod init sweep >/dev/null 2>&1
for m in "${mods[@]}"; do
	go get "$m" >/dev/null 2>&1
	# Pull in what every package of the module imports; patterns reaching
	# into nested modules may fail, which only drops those packages.
	go get "${m%@*}/...@${m#*@}" >/dev/null 2>&1 || true
done

# run NAME PACKAGES...: one reloadvet run in the scratch module, which has
# no config file: every non-main package is checked.
run() {
	local name=$1
	shift
	local rc=0
	/usr/bin/time -v -o "$work/$name.time" "$work/reloadvet" -unjoined "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
	echo "$rc" >"$work/$name.rc"
}
# Packages of a module that load cleanly and are not main packages.
pkgs() {
	go list -e -f '{{if and (not .Error) (not .DepsErrors) (ne .Name "main")}}{{.ImportPath}}{{end}}' "$1/..." 2>/dev/null | grep .
}

run std std
echo "std $(go list std | wc -l)" >"$work/counts"
for m in "${mods[@]}"; do
	p=${m%@*}
	name=$(echo "$p" | tr '/.' '__')
	mapfile -t list < <(pkgs "$p")
	run "$name" "${list[@]}"
	echo "$name ${#list[@]}" >>"$work/counts"
done

echo "| tree | packages | findings | panics | exit | wall time | peak RSS (MiB) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
while read -r name n; do
	f=$(cat "$work/$name.out" "$work/$name.err" | grep -c 'goroutine is not joined' || true)
	p=$(cat "$work/$name.out" "$work/$name.err" | grep -c '^panic: ' || true)
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$name.time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")
	echo "| $name | $n | $f | $p | $(cat "$work/$name.rc") | $wall | $((rss / 1024)) |"
done <"$work/counts"

python3 - "$work" <<'PY'
import glob, random, re, sys
work = sys.argv[1]
found = {}
for f in sorted(glob.glob(work + '/*.out') + glob.glob(work + '/*.err')):
    for line in open(f):
        m = re.match(r'(\S+\.go):(\d+):(\d+): (goroutine is not joined: .*)', line.strip())
        if m:
            loc = re.sub(r'^.*?/(src|mod)/', '', m[1]) + ':' + m[2] + ':' + m[3]
            found[loc] = m[4]
locs = sorted(found)
print()
print(len(locs), 'distinct findings; sample of 30 (random.Random(20261125)):')
for i, loc in enumerate(sorted(random.Random(20261125).sample(locs, min(30, len(locs))))):
    print(f'{i + 1}. {loc}: {found[loc]}')
PY
