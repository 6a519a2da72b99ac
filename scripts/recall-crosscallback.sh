#!/usr/bin/env bash
# recall-crosscallback.sh: measures the recall of crosscallback on the
# registration sites enumerated by hand in docs/crosscallback-recall.tsv,
# over the same projects and configs as scripts/precision-crosscallback.sh
# (branch cc): nats-server v2.15.3, caddy v2.10.2 and coredns v1.15.0,
# fetched with the go command at pinned versions, each package made a
# module of its own (layerconfig.go -prefix MODULE -depth 0 ./...).
#
#	scripts/recall-crosscallback.sh [-work DIR] [-v] [-rev REV] [-flag FLAG]... RELOADVET
#	scripts/recall-crosscallback.sh [-work DIR] [-v] -report
#	scripts/recall-crosscallback.sh [-work DIR] -candidates
#
# RELOADVET is a reloadvet source tree (a directory: ./cmd/reloadvet is
# built from it, so main and branch cc can be measured from their
# worktrees; with -rev, from that commit of the tree's repository, by git
# archive, so uncommitted changes there are left out) or a reloadvet
# binary. For each project it runs
# `reloadvet -config NAME.yml -crosscallback ./...` in the project's root,
# one at a time, and keeps the config, output, exit status and
# /usr/bin/time report in DIR (default /tmp/ccrecall). A site is found
# when a finding is reported on a line of its registering call (columns 2
# and 7 of the TSV). The script prints the load average before and after
# the runs, the runs' wall time and peak RSS, recall with its 95% Wilson
# interval per kind, per project and pooled, every miss, and which of the
# negatives (docs/crosscallback-recall.md: sites a new user might expect a
# report at that are correctly not retained) were reported.
#
# -flag passes FLAG to each reloadvet run as well (-flag
# -crosscallback.skip-init, for a build that has it). -report prints the
# tables again from the outputs already in DIR (after
# editing the sites). -v also prints, for each site found, the findings
# that matched it, to check that they name the site's func value.
# -candidates prints, per kind, the candidate call
# sites that the selection rule of docs/crosscallback-recall.md reads, in
# its seeded order (random.Random(12) over the sorted grep hits), without
# running anything. Needs GNU /usr/bin/time and python3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=/tmp/ccrecall report= candidates= rev= verbose= flags=()
while [ $# -gt 0 ]; do
	case $1 in
	-work) work=$2 && shift 2 ;;
	-rev) rev=$2 && shift 2 ;;
	-report) report=1 && shift ;;
	-v) verbose=1 && shift ;;
	-flag) flags+=("$2") && shift 2 ;;
	-candidates) candidates=1 && shift ;;
	-*) echo "recall-crosscallback.sh: unknown flag $1 (want -work DIR, -rev REV, -flag FLAG, -report, -v or -candidates)" >&2 && exit 2 ;;
	*) break ;;
	esac
done
if [ -z "$candidates$report" ] && [ $# -ne 1 ]; then
	echo "usage: recall-crosscallback.sh [-work DIR] RELOADVET (a source tree or a binary), or -report, or -candidates" >&2
	exit 2
fi
mkdir -p "$work/src"
work=$(cd "$work" && pwd)

# shellcheck source=crosscallback-lib.sh
. "$repo/scripts/crosscallback-lib.sh"

if [ -n "$candidates" ]; then
	for p in "${projects[@]}"; do
		read -r name mod ver <<<"$p"
		fetch "$name" "$mod" "$ver"
	done
	exec python3 - "$work/src" <<'PY'
import os, random, re, sys
src = sys.argv[1]
# kind: the calls that can make a registration of that kind. Only
# non-test files are read (the configs do not set tests: true).
kinds = [
    ('default-mux', r'\bhttp\.(Handle|HandleFunc)\(|\bhttp\.DefaultServeMux\b'),
    ('afterfunc', r'\b(time|context)\.AfterFunc\('),
    ('finalizer', r'\bruntime\.(SetFinalizer|AddCleanup)\('),
    ('framework', r'\bcaddy\.RegisterModule\(|\bplugin\.Register\('),
    ('registry', r'\b(httpcaddyfile|caddycmd|caddyconfig)\.Register[A-Za-z]*\(|\bcaddy\.Register(CaddyfileLoader|ServerType|Plugin|ParsingCallback|EventHook)\(|\bOnProcessExit = append\('),
    ('long-lived-object', r'\bc\.On(Startup|Shutdown|Restart|FinalShutdown|RestartFailed|FirstStartup)\(|\.AddPlugin\(|\bctx\.On(Cancel|Exit)\('),
]
hits = {k: [] for k, _ in kinds}
for name in ('nats', 'caddy', 'coredns'):
    root = os.path.join(src, name)
    for d, subdirs, files in os.walk(root):
        subdirs[:] = sorted(s for s in subdirs if s not in ('testdata', 'vendor') and not s.startswith('.'))
        for f in sorted(files):
            if not f.endswith('.go') or f.endswith('_test.go'):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, root)
            for i, line in enumerate(open(path, encoding='utf-8', errors='replace'), 1):
                if line.lstrip().startswith('//'):
                    continue
                for k, rx in kinds:
                    if re.search(rx, line):
                        hits[k].append((name, f'{rel}:{i}', line.strip()))
for k, _ in kinds:
    h = sorted(hits[k])
    random.Random(12).shuffle(h)
    print(f'== {k}: {len(h)} candidates')
    for n, (name, pos, text) in enumerate(h, 1):
        print(f'{n}\t{name}\t{pos}\t{text[:110]}')
PY
fi

arg=${1:-}
if [ -n "$report" ]; then
	:
elif [ -d "$arg" ] && [ -n "$rev" ]; then
	rev=$(git -C "$arg" rev-parse --short "$rev")
	bin=$work/reloadvet-$rev
	rm -rf "$work/build-$rev" && mkdir -p "$work/build-$rev"
	git -C "$arg" archive "$rev" | tar -x -C "$work/build-$rev"
	(cd "$work/build-$rev" && go build -o "$bin" ./cmd/reloadvet)
	echo "reloadvet built from $arg at commit $rev"
elif [ -d "$arg" ]; then
	rev=$(git -C "$arg" rev-parse --short HEAD 2>/dev/null || echo tree)
	[ -z "$(git -C "$arg" status --porcelain 2>/dev/null)" ] || rev=$rev-dirty
	bin=$work/reloadvet-$rev
	(cd "$arg" && go build -o "$bin" ./cmd/reloadvet)
	echo "reloadvet built from the working tree $arg at $rev"
else
	bin=$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")
	[ -x "$bin" ] || { echo "recall-crosscallback.sh: $arg is neither a directory nor an executable" >&2 && exit 2; }
fi

if [ -z "$report" ]; then
	# layerconfig.go imports this repository's packages, so it is built
	# here and run in each project's root (where go list sees its packages).
	(cd "$repo" && go build -o "$work/layerconfig" ./scripts/layerconfig.go)
	echo "reloadvet -crosscallback ${flags[*]+${flags[*]}}; load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
	for p in "${projects[@]}"; do
		read -r name mod ver <<<"$p"
		fetch "$name" "$mod" "$ver"
		src=$work/src/$name
		(cd "$src" && "$work/layerconfig" -prefix "$mod" -depth 0 ./... >"$work/$name.yml")
		rc=0
		(cd "$src" && /usr/bin/time -v -o "$work/$name.time" "$bin" -config "$work/$name.yml" -crosscallback ${flags[@]+"${flags[@]}"} ./... \
			>"$work/$name.out" 2>"$work/$name.err") || rc=$?
		echo "$rc" >"$work/$name.rc"
	done
	echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

PYTHONPATH="$repo/scripts" python3 - "$work" "$repo/docs/crosscallback-recall.tsv" "$repo/docs/crosscallback-recall.md" "$verbose" <<'PY'
import math, re, sys
from wilson import interval
work, sites_path, md_path, verbose = sys.argv[1:5]
names = ('nats', 'caddy', 'coredns')

wilson = interval

def cell(k, n):
    if n == 0:
        return '–'
    lo, hi = wilson(k, n)
    return f'{k}/{n} = {100 * k / n:.1f}% ({100 * lo:.1f}%–{100 * hi:.1f}%)'

# (project, file:line) -> the messages of the findings reported there
found = {}
for name in names:
    for line in open(f'{work}/{name}.out'):
        m = re.match(r'(\S+\.go):(\d+):\d+: (.*) \(crosscallback\)$', line.rstrip('\n'))
        if m:
            found.setdefault((name, f'{m[1]}:{m[2]}'), []).append(m[3])

def matches(name, pos, last):
    """The findings on the lines of the call from pos to last."""
    path, line = pos.rsplit(':', 1)
    return [m for n in range(int(line), int(last) + 1) for m in found.get((name, f'{path}:{n}'), [])]

print('\n| project | findings | exit | panics | wall | peak RSS (MiB) |')
print('| --- | ---: | ---: | ---: | ---: | ---: |')
for name in names:
    t = open(f'{work}/{name}.time').read()
    wall = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)', t)
    rss = re.search(r'Maximum resident set size \(kbytes\): (\d+)', t)
    err = open(f'{work}/{name}.err').read()
    panics = len(re.findall(r'^panic: |internal error', err, re.M))
    n = sum(len(v) for (p, _), v in found.items() if p == name)
    print(f'| {name} | {n} | {open(f"{work}/{name}.rc").read().strip()} | {panics} | '
          f'{wall[1] if wall else "?"} | {int(rss[1]) // 1024 if rss else 0} |')

# project, file:line of the registering call, kind, func value retained,
# where it is stored, why the store outlives the module, last line of the
# call, made during package initialisation ("init..." or "no")
sites = [l.rstrip('\n').split('\t') for l in open(sites_path)
         if l.strip() and not l.startswith('#')]
for s in sites:
    if len(s) != 8 or s[0] not in names or not re.fullmatch(r'\S+\.go:\d+', s[1]) or not s[6].isdigit() \
            or not (s[7] == 'no' or s[7].startswith('init')):
        sys.exit(f'{sites_path}: bad row (want 8 tab-separated columns: project one of {names}, file.go:line, ..., '
                 f'last line, "init..." or "no"): {s}')
hit = [bool(matches(s[0], s[1], s[6])) for s in sites]

kinds = sorted({s[2] for s in sites})
print('\n| kind | ' + ' | '.join(names) + ' | pooled |')
print('| --- |' + ' --- |' * (len(names) + 1))
for k in kinds + ['pooled']:
    row = []
    for name in names + ('pooled',):
        sel = [h for s, h in zip(sites, hit) if (k == 'pooled' or s[2] == k) and (name == 'pooled' or s[0] == name)]
        row.append(cell(sum(sel), len(sel)))
    print(f'| {k} | ' + ' | '.join(row) + ' |')

print('\n| registration | ' + ' | '.join(names) + ' | pooled |')
print('| --- |' + ' --- |' * (len(names) + 1))
for when, isinit in (('during package initialisation', True), ('after it', False)):
    row = []
    for name in names + ('pooled',):
        sel = [h for s, h in zip(sites, hit) if s[7].startswith('init') == isinit and (name == 'pooled' or s[0] == name)]
        row.append(cell(sum(sel), len(sel)))
    print(f'| {when} | ' + ' | '.join(row) + ' |')

if verbose:
    print('\nfound:')
    for s in sites:
        for m in matches(s[0], s[1], s[6]):
            print(f'  {s[0]} {s[1]} [{s[2]}]: {m}')

print('\nmisses:')
for s, h in zip(sites, hit):
    if not h:
        print(f'  {s[0]} {s[1]} [{s[2]}] {s[3]} -> {s[4]}')

# negatives: the rows of the table under "## Negatives" in the md file,
# | project | file:line | kind | what the code does | why it is not retained |
negs, inneg = [], False
for line in open(md_path):
    if line.startswith('## '):
        inneg = line.strip() == '## Negatives'
    elif inneg and line.startswith('| ') and not line.startswith('| ---') and not line.startswith('| project'):
        negs.append([c.strip().strip('`') for c in line.strip().strip('|').split('|')])
rep = [n for n in negs if (n[0], n[1]) in found]
print(f'\nnegatives reported: {len(rep)} of {len(negs)}')
for n in rep:
    print(f'  {n[0]} {n[1]} [{n[2]}]: {found[(n[0], n[1])][0]}')
PY
