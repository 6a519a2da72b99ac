#!/usr/bin/env bash
# sweep-unjoined.sh: runs reloadvet -unjoined over std and over large
# dependency trees from the module proxy (pinned versions), prints a
# Markdown table of packages, findings, panics, wall time and peak memory,
# and draws a seeded sample of 40 findings for hand classification.
#
#	scripts/sweep-unjoined.sh [workdir]
#
# The scratch module lives in workdir (default /tmp/unjoined-sweep); the
# raw outputs stay there. Needs GNU /usr/bin/time and python3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/unjoined-sweep}
. "$repo/scripts/sweep-lib.sh"
setup

# The scratch module has no config file: every non-main package is checked.
run std -unjoined std
echo "std $(go list std | wc -l)" >"$work/counts"
for m in "${mods[@]}"; do
	p=${m%@*}
	name=$(stem "$p")
	mapfile -t list < <(pkgs "$p")
	run "$name" -unjoined "${list[@]}"
	echo "$name ${#list[@]}" >>"$work/counts"
done

echo "| tree | packages | findings | panics | exit | wall time | peak RSS (MiB) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
while read -r name n; do
	f=$(cat "$work/$name.out" "$work/$name.err" | grep -c 'goroutine is not joined' || true)
	echo "| $name | $n | $f | $(cells "$name") |"
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
print(len(locs), 'distinct findings; sample of 40 (random.Random(20261203)):')
for i, loc in enumerate(sorted(random.Random(20261203).sample(locs, min(40, len(locs))))):
    print(f'{i + 1}. {loc}: {found[loc]}')
PY
