#!/usr/bin/env bash
# precision-crosscallback.sh: measures crosscallback on real servers that
# nobody here wrote, fetched with the go command at pinned versions, each
# package made a module of its own (layerconfig.go -depth 0). For each
# project it runs `reloadvet -crosscallback ./...`, draws a seeded sample
# of 40 findings (random.Random(1)), joins the hand labels kept in
# docs/crosscallback-labels.tsv and prints, per project, the findings,
# the sample's true and false positives and the precision with its 95%
# Wilson interval; then the recall over the registration sites listed in
# docs/crosscallback-recall.tsv (found when a finding is reported on the
# site's line); then every sampled finding, labelled or not, for hand
# classification.
#
#	scripts/precision-crosscallback.sh [-rev REV] [-report] [workdir]
#
# -report skips the runs and prints the tables again from the outputs
# already in workdir, with the labels as they are now (after labelling).
# -rev builds reloadvet from that git revision of this repository (git
# archive, so the working tree is not touched) instead of the working
# tree: -rev c2bbfd0 gives the analyzer before issue 12. The projects are
# copied to workdir/src (default /tmp/cc-precision); configs, outputs, exit
# statuses and /usr/bin/time reports stay in workdir. One reloadvet runs
# at a time. Needs GNU /usr/bin/time and python3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rev= report=
while [ $# -gt 0 ]; do
	case $1 in
	-rev) rev=$2 && shift 2 ;;
	-report) report=1 && shift ;;
	*) break ;;
	esac
done
work=${1:-/tmp/cc-precision}
mkdir -p "$work/src"
work=$(cd "$work" && pwd)

# shellcheck source=crosscallback-lib.sh
. "$repo/scripts/crosscallback-lib.sh"

bin=$work/reloadvet${rev:+-$rev}
# layerconfig is built from this repository: run from inside a project it
# would not find this module's packages.
[ -n "$report" ] || (cd "$repo" && go build -o "$work/layerconfig" ./scripts/layerconfig.go)
if [ -n "$report" ]; then
	:
elif [ -n "$rev" ]; then
	rm -rf "$work/build-$rev" && mkdir -p "$work/build-$rev"
	git -C "$repo" archive "$rev" | tar -x -C "$work/build-$rev"
	(cd "$work/build-$rev" && go build -o "$bin" ./cmd/reloadvet)
else
	(cd "$repo" && go build -o "$bin" ./cmd/reloadvet)
fi

: >"$work/runs.new"
for p in "${projects[@]}"; do
	[ -z "$report" ] || break
	read -r name mod ver <<<"$p"
	src=$work/src/$name
	fetch "$name" "$mod" "$ver"
	(cd "$src" && "$work/layerconfig" -prefix "$mod" -depth 0 ./... >"$work/$name.yml")
	rc=0
	(cd "$src" && /usr/bin/time -v -o "$work/$name.time" "$bin" -config "$work/$name.yml" -crosscallback ./... \
		>"$work/$name.out" 2>"$work/$name.err") || rc=$?
	echo "$rc" >"$work/$name.rc"
	echo "$name $mod $ver" >>"$work/runs.new"
done
if [ -z "$report" ]; then
	mv "$work/runs.new" "$work/runs"
	echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

PYTHONPATH="$repo/scripts" python3 - "$work" "$repo/docs/crosscallback-labels.tsv" "$repo/docs/crosscallback-recall.tsv" <<'PY'
import math, os, random, re, sys
from wilson import interval
work, labels_path, recall_path = sys.argv[1:4]

wilson = interval

def tsv(path):
    rows = []
    if os.path.exists(path):
        for line in open(path):
            if line.strip() and not line.startswith('#'):
                rows.append(line.rstrip('\n').split('\t'))
    return rows

# project, position (file:line:col), message, verdict (TP or FP), reason
labels = {(r[0], r[1], r[2]): (r[3], r[4]) for r in tsv(labels_path)}

def findings(name):
    out, cats = [], {}
    for line in open(f'{work}/{name}.out'):
        m = re.match(r'(\S+\.go:\d+:\d+): (.*) \((crosscallback)\)$', line.rstrip('\n'))
        if m:
            out.append((m[1], m[2]))
    return sorted(set(out))

def time_cells(name):
    t = open(f'{work}/{name}.time').read()
    wall = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)', t)
    rss = re.search(r'Maximum resident set size \(kbytes\): (\d+)', t)
    return (wall[1] if wall else '?', int(rss[1]) // 1024 if rss else 0)

runs = [line.split() for line in open(f'{work}/runs')]
print('\n| project | findings | sample | TP | FP | unlabelled | precision (95% Wilson) | panics | exit | wall | peak RSS (MiB) |')
print('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |')
samples, allf = {}, {}
for name, mod, ver in runs:
    f = findings(name)
    allf[name] = f
    s = sorted(random.Random(1).sample(f, 40)) if len(f) > 40 else f
    samples[name] = s
    verdicts = [labels.get((name, loc, msg), ('?', ''))[0] for loc, msg in s]
    tp, fp = verdicts.count('TP'), verdicts.count('FP')
    un = len(s) - tp - fp
    lo, hi = wilson(tp, tp + fp)
    prec = f'{tp}/{tp + fp} = {100 * tp / (tp + fp):.1f}% ({100 * lo:.1f}%–{100 * hi:.1f}%)' if tp + fp else '–'
    err = open(f'{work}/{name}.err').read()
    panics = len(re.findall(r'^panic: |internal error', err, re.M))
    wall, rss = time_cells(name)
    rc = open(f'{work}/{name}.rc').read().strip()
    print(f'| {name} {ver} | {len(f)} | {len(s)} | {tp} | {fp} | {un} | {prec} | {panics} | {rc} | {wall} | {rss} |')

# project, position of the hand-over (file:line), kind, what the code does
sites = tsv(recall_path)
if sites:
    found = 0
    misses = []
    for r in sites:
        name, pos = r[0], r[1]
        hit = any(loc.startswith(pos + ':') for loc, _ in allf.get(name, []))
        found += hit
        if not hit:
            misses.append(r)
    lo, hi = wilson(found, len(sites))
    print(f'\nrecall: {found} of {len(sites)} registration sites reported = {100 * found / len(sites):.1f}% (95% Wilson {100 * lo:.1f}%–{100 * hi:.1f}%)')
    by = {}
    for r in sites:
        k = (r[0], r[2])
        by.setdefault(k, [0, 0])[1] += 1
    for r in sites:
        if r not in misses:
            by[(r[0], r[2])][0] += 1
    for (name, kind), (k, n) in sorted(by.items()):
        print(f'  {name} {kind}: {k}/{n}')
    for r in misses:
        print(f'  missed: {r[0]} {r[1]} {r[2]}: {r[3]}')

for name, _, _ in runs:
    print(f'\n{name}: {"sample of 40 (random.Random(1))" if len(allf[name]) > 40 else "all findings"}:')
    for i, (loc, msg) in enumerate(samples[name]):
        v, why = labels.get((name, loc, msg), ('?', 'unlabelled'))
        print(f'{i + 1}.\t{v}\t{loc}\t{msg}\t{why}')
PY
