#!/usr/bin/env bash
# sweep-spawn.sh: runs reloadvet -rawspawn -crosscallback over std and over
# large dependency trees from the module proxy (pinned versions in
# sweep-lib.sh), each with a layered config written by layerconfig.go,
# prints a Markdown table of packages, findings per analyzer, panics, wall
# time and peak memory, and lists each tree's crosscallback findings for
# hand classification (all of std's; a seeded sample of 40 of a tree with
# more).
#
#	scripts/sweep-spawn.sh [workdir]
#
# The scratch module lives in workdir (default /tmp/spawn-sweep); configs
# (NAME.yml) and raw outputs stay there. Needs GNU /usr/bin/time and python3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/spawn-sweep}
. "$repo/scripts/sweep-lib.sh"
setup

spawner='sync.(*WaitGroup).Go'
# How each tree is cut into modules: layerconfig's -prefix and -depth.
declare -A depth=(
	[google.golang.org/grpc]=1
	[k8s.io/apimachinery]=2
	[golang.org/x/net]=1
	[github.com/prometheus/client_golang]=2
	[golang.org/x/tools]=2
)

# layerconfig is built from the repository: run from the scratch module,
# go run would not find this module's packages.
(cd "$repo" && go build -o "$work/layerconfig" ./scripts/layerconfig.go)
"$work/layerconfig" -depth 0 -spawner "$spawner" std >std.yml
run std -config std.yml -rawspawn -crosscallback std
echo "std $(go list std | wc -l)" >"$work/counts"
for m in "${mods[@]}"; do
	p=${m%@*}
	n=$(stem "$p")
	mapfile -t list < <(pkgs "$p")
	"$work/layerconfig" -prefix "$p" -depth "${depth[$p]}" -spawner "$spawner" "${list[@]}" >"$n.yml"
	run "$n" -config "$n.yml" -rawspawn -crosscallback "${list[@]}"
	echo "$n ${#list[@]}" >>"$work/counts"
done

echo "| tree | packages | modules | rawspawn | crosscallback | panics | exit | wall time | peak RSS (MiB) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
while read -r n count; do
	nmod=$(grep -c '^  - \(name: \|{name:\)' "$n.yml" || true) # layerconfig writes either spelling
	rs=$(grep -c '^[^	].*(rawspawn)$' "$n.out" || true)
	cc=$(grep -c '^[^	].*(crosscallback)$' "$n.out" || true)
	echo "| $n | $count | $nmod | $rs | $cc | $(cells "$n") |"
done <"$work/counts"

python3 - "$work" <<'PY'
import random, re, sys
work = sys.argv[1]
def findings(name):
    out = []
    for line in open(f'{work}/{name}.out'):
        m = re.match(r'(\S+\.go):(\d+):\d+: (.*) \(crosscallback\)$', line.rstrip('\n'))
        if m:
            out.append((re.sub(r'^.*?/(src|mod)/', '', m[1]) + ':' + m[2], m[3]))
    return sorted(set(out))
for name in [line.split()[0] for line in open(f'{work}/counts')]:
    f = findings(name)
    if name != 'std' and len(f) > 40:  # std is classified in full
        f = sorted(random.Random(1).sample(f, 40))
        print(f'\n{name}: sample of 40 crosscallback findings (random.Random(1)):')
    else:
        print(f'\n{name}: all {len(f)} crosscallback findings:')
    for i, (loc, msg) in enumerate(f):
        print(f'{i + 1}. {loc}: {msg}')
PY
