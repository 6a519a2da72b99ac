#!/usr/bin/env bash
# census-unjoined.sh: measures the unjoined analyzer against the census of
# docs/unjoined-census.tsv: goroutines of real projects that reload parts
# of themselves in process, each labelled by reading the code as joined,
# not joined or undecided.
#
#	scripts/census-unjoined.sh RELOADVET [workdir]
#
# RELOADVET is the reloadvet to measure: a source tree (a directory with
# cmd/reloadvet, e.g. /work/main or a worktree of a branch) that is built
# into workdir, or a reloadvet binary. The census, censuslist.go and
# layerconfig.go are always this script's own.
#
# For each project it fetches the pinned version with the go command
# (go mod download), copies it into workdir (default /tmp/unjoined-census),
# lists the spawns of the census packages (scripts/censuslist.go) and checks
# that the census labels exactly those, writes a config with each package
# as a module (scripts/layerconfig.go -depth 0), runs reloadvet -unjoined
# -json over the packages and matches findings to census lines by
# file:line:column. It prints recall (findings among the not-joined
# goroutines) and precision (not-joined among the findings on joined or
# not-joined goroutines) with 95% Wilson intervals, per project and pooled,
# for go statements and group spawns apart and together, then the misses
# and the false positives. Findings on undecided goroutines are counted
# apart and in neither ratio. Raw outputs stay in workdir. Needs python3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || {
	echo "usage: scripts/census-unjoined.sh RELOADVET [workdir]" >&2
	exit 2
}
target=$1
work=${2:-/tmp/unjoined-census}
mkdir -p "$work"
work=$(cd "$work" && pwd)
census=$repo/docs/unjoined-census.tsv
export GOWORK=off # prometheus ships a go.work naming folders its zip lacks

if [ -d "$target" ]; then
	(cd "$target" && go build -o "$work/reloadvet" ./cmd/reloadvet)
	rv=$work/reloadvet
else
	rv=$(cd "$(dirname "$target")" && pwd)/$(basename "$target")
fi
(cd "$repo" && go build -o "$work/censuslist" scripts/censuslist.go && go build -o "$work/layerconfig" scripts/layerconfig.go)

# The projects: name, module at its pinned version, census packages. The
# packages are the ones that a config reload restarts (prometheus: service
# discovery, scrape, rules, notifier, remote write; telegraf: the agent and
# the plugins it stops and starts again; caddy: the core, whose config
# loads start and stop apps, and the apps). Every spawn in them is in the
# census.
projects=(
	"prometheus github.com/prometheus/prometheus@v0.316.0 ./discovery ./discovery/file ./discovery/refresh ./discovery/kubernetes ./discovery/dns ./discovery/consul ./notifier ./rules ./scrape ./storage/remote ./util/treecache"
	"telegraf github.com/influxdata/telegraf@v1.37.2 ./agent ./models ./plugins/common/socket ./plugins/common/shim ./internal/process ./plugins/common/parallel ./plugins/inputs/statsd ./plugins/inputs/prometheus ./plugins/inputs/kafka_consumer ./plugins/inputs/nats_consumer ./plugins/inputs/execd ./plugins/outputs/execd ./plugins/processors/execd"
	"caddy github.com/caddyserver/caddy/v2@v2.10.2 . ./modules/caddyhttp ./modules/caddyhttp/reverseproxy ./modules/caddytls ./modules/caddypki ./modules/caddytls/standardstek ./modules/caddytls/distributedstek ./modules/caddyhttp/caddyauth"
)

for p in "${projects[@]}"; do
	read -r name mod pkgs <<<"$p"
	read -ra pkgs <<<"$pkgs"
	tree=$work/$name
	if [ ! -d "$tree" ]; then
		dir=$(go mod download -json "$mod" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
		cp -r "$dir" "$tree"
		chmod -R u+w "$tree"
	fi
	(
		cd "$tree"
		go mod download
		"$work/censuslist" "${pkgs[@]}" | sed "s|^|$name\t|" >"$work/$name.spawns"
		"$work/layerconfig" -depth 0 "${pkgs[@]}" >"$work/$name.yml"
		rc=0
		"$rv" -unjoined -json -config "$work/$name.yml" "${pkgs[@]}" >"$work/$name.json" 2>"$work/$name.err" || rc=$?
		echo "$rc" >"$work/$name.rc"
		# 0: no findings, 3: findings; anything else is a failed run.
		if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
			echo "census: reloadvet failed on $name (exit $rc), see $work/$name.err" >&2
			exit 1
		fi
	)
done

PYTHONPATH="$repo/scripts" python3 - "$census" "$work" "${projects[@]}" <<'PY'
import json, math, os, sys
from wilson import interval
census, work, projects = sys.argv[1], sys.argv[2], [p.split()[0] for p in sys.argv[3:]]

def wilson(k, n):
    if n == 0:
        return '-'
    lo, hi = interval(k, n, z=1.959964)
    return f'{k}/{n} = {k / n:.2f} ({lo:.2f}–{hi:.2f})'

labels = {}
for line in open(census):
    if line.startswith('#') or not line.strip():
        continue
    f = line.rstrip('\n').split('\t')
    if f[0] == 'project':
        continue
    proj, loc, kind, fn, label, shape, reason = f[:7]
    if label not in ('joined', 'not-joined', 'undecided'):
        sys.exit(f'{census}: {proj} {loc}: label {label!r}, want joined, not-joined or undecided')
    labels[(proj, loc)] = dict(kind=kind, fn=fn, label=label, shape=shape, reason=reason)

bad = False
for proj in projects:
    listed = {}
    for line in open(f'{work}/{proj}.spawns'):
        f = line.rstrip('\n').split('\t')
        listed[(proj, f[1])] = f
    labelled = {k for k in labels if k[0] == proj}
    for k in sorted(set(listed) - labelled):
        print(f'census: {proj} {k[1]}: spawn not in the census', file=sys.stderr)
        bad = True
    for k in sorted(labelled - set(listed)):
        print(f'census: {proj} {k[1]}: census line names no spawn of the tree', file=sys.stderr)
        bad = True
if bad:
    sys.exit('census: the census and the trees disagree')

def posns(v, out):
    # findings in go vet -json shape: {pkg: {analyzer: [{posn, message}]}}
    # (a diagnostic's related information, also posn and message, is
    # not descended into)
    if isinstance(v, dict):
        if 'posn' in v and 'message' in v:
            out.append((v['posn'], v['message']))
            return
        for x in v.values():
            posns(x, out)
    elif isinstance(v, list):
        for x in v:
            posns(x, out)

found, outside = {}, []
for proj in projects:
    root = os.path.realpath(f'{work}/{proj}') + '/'
    text = open(f'{work}/{proj}.json').read()
    dec, i, objs = json.JSONDecoder(), 0, []
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        o, i = dec.raw_decode(text, i)
        objs.append(o)
    fs = []
    posns(objs, fs)
    for posn, msg in fs:
        path = os.path.realpath(posn.rsplit(':', 2)[0])
        loc = path.removeprefix(root) + ':' + ':'.join(posn.rsplit(':', 2)[1:])
        if (proj, loc) in labels:
            found[(proj, loc)] = msg
        else:
            outside.append((proj, loc, msg))

def row(name, keys):
    nj = [k for k in keys if labels[k]['label'] == 'not-joined']
    jo = [k for k in keys if labels[k]['label'] == 'joined']
    un = [k for k in keys if labels[k]['label'] == 'undecided']
    tp = sum(k in found for k in nj)
    fp = sum(k in found for k in jo)
    fu = sum(k in found for k in un)
    return f'| {name} | {len(keys)} | {len(jo)} | {len(nj)} | {len(un)} | {tp + fp + fu} | {wilson(tp, len(nj))} | {wilson(tp, tp + fp)} | {fu} |'

print('| project | spawns | joined | not joined | undecided | findings | recall (95% Wilson) | precision (95% Wilson) | findings on undecided |')
print('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for proj in projects + ['pooled']:
    keys = [k for k in labels if proj in ('pooled', k[0])]
    print(row(proj, keys))
    if proj == 'pooled':
        for kind in ('go', 'group'):
            sub = [k for k in keys if labels[k]['kind'] == kind]
            if sub:
                print(row(f'pooled, {kind} spawns only', sub))

print()
miss = [k for k in sorted(labels) if labels[k]['label'] == 'not-joined' and k not in found]
print(f'Misses ({len(miss)}): not joined, not reported')
shapes = {}
for k in miss:
    shapes[labels[k]['shape']] = shapes.get(labels[k]['shape'], 0) + 1
    print(f'- {k[0]} {k[1]} [{labels[k]["shape"]}] {labels[k]["reason"]}')
print()
print('Missed shapes:')
for s, n in sorted(shapes.items(), key=lambda x: (-x[1], x[0])):
    print(f'- {s}: {n}')
print()
fps = [k for k in sorted(labels) if labels[k]['label'] == 'joined' and k in found]
print(f'False positives ({len(fps)}): joined, reported')
for k in fps:
    print(f'- {k[0]} {k[1]}: {found[k]} (label: {labels[k]["reason"]})')
und = [k for k in sorted(labels) if labels[k]['label'] == 'undecided' and k in found]
print()
print(f'Findings on undecided goroutines ({len(und)})')
for k in und:
    print(f'- {k[0]} {k[1]}: {found[k]}')
print()
print(f'Findings outside the census ({len(outside)})')
for proj, loc, msg in outside:
    print(f'- {proj} {loc}: {msg}')
PY
