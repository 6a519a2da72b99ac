#!/usr/bin/env bash
# bench-loader.sh: the loader's benchmarks, -count times each (default 6),
# as a Markdown table of medians (time, CPU time, allocations), with the
# load average before and after the run, and the ratio of Handle.Go to a
# bare go statement with a sync.WaitGroup. The raw output stays in the
# work folder it names.
#
#	scripts/bench-loader.sh [-count N] [-bench REGEXP] [-C DIR]
#
# -C DIR benchmarks the loader of another checkout (say, an export of an
# earlier commit with this commit's bench_test.go), for a before/after
# table.
#
# The Handle.Go benchmarks are also run interleaved (bare, handle, bare,
# handle, ...; -count rounds of each), since back-to-back runs on a busy
# machine differ by more than the two differ.
set -euo pipefail
cd "$(dirname "$0")/.."

count=6
bench='Reload$|ReloadMidLayer|Start1000|Stop1000'
dir=.
while [ $# -gt 0 ]; do
	case $1 in
	-count) count=$2; shift 2 ;;
	-bench) bench=$2; shift 2 ;;
	-C) dir=$2; shift 2 ;;
	*) echo "usage: $0 [-count N] [-bench REGEXP] [-C DIR]" >&2; exit 2 ;;
	esac
done
work=$(mktemp -d /tmp/bench-loader.XXXXXX)
(cd "$dir" && go test -c -o "$work/loader.test" ./loader/)
rev=$(git -C "$dir" rev-parse --short HEAD 2>/dev/null || echo "$dir")

before=$(uptime | sed 's/.*load average: //')
"$work/loader.test" -test.run '^$' -test.bench "$bench" -test.benchmem -test.count "$count" >"$work/bench.txt"
for _ in $(seq "$count"); do
	for b in 'Go/bare$' 'Go/handle$'; do
		"$work/loader.test" -test.run '^$' -test.bench "$b" -test.benchmem -test.benchtime 200000x >>"$work/go.txt"
	done
done
after=$(uptime | sed 's/.*load average: //')

# median FILE: one row per benchmark, the median of each metric.
median() {
	awk '
	/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name)
		if (!(name in seen)) { seen[name] = 1; order[++n] = name }
		for (i = 3; i < NF; i += 2) { k = name SUBSEP $(i+1); v[k, ++c[k]] = $i; units[$(i+1)] = 1 }
	}
	function med(k,   m, i, j, t, a) {
		m = c[k]; if (m == 0) return ""
		for (i = 1; i <= m; i++) a[i] = v[k, i] + 0
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	function human(ns) {
		if (ns == "") return ""
		if (ns >= 1e6) return sprintf("%.2f ms", ns / 1e6)
		if (ns >= 1e3) return sprintf("%.1f µs", ns / 1e3)
		return sprintf("%d ns", ns)
	}
	END {
		print "| benchmark | time/op | CPU/op | B/op | allocs/op | profiles/op | runs |"
		print "|---|---:|---:|---:|---:|---:|---:|"
		for (i = 1; i <= n; i++) {
			b = order[i]
			p = med(b SUBSEP "profiles/op")
			printf "| `%s` | %s | %s | %s | %s | %s | %d |\n", substr(b, 10), human(med(b SUBSEP "ns/op")), human(med(b SUBSEP "cpu-ns/op")),
				int(med(b SUBSEP "B/op") + 0.5), int(med(b SUBSEP "allocs/op") + 0.5), p == "" ? "" : sprintf("%.4f", p), c[b SUBSEP "ns/op"]
		}
	}' "$1"
}

echo "loader benchmarks, $(go version | cut -d' ' -f3-), $(nproc) CPUs, $rev"
echo "load average before: $before; after: $after"
echo
median "$work/bench.txt"
echo
echo "Handle.Go against a bare go statement and a sync.WaitGroup, interleaved, median of $count rounds:"
echo
median "$work/go.txt"
awk '/^BenchmarkGo\/bare/ { b[++nb] = $3 } /^BenchmarkGo\/handle/ { h[++nh] = $3 }
	function med(a, m,   i, j, t) { for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
	END { if (nb && nh) printf "\nHandle.Go / bare: %.2fx (medians)\n", med(h, nh) / med(b, nb) }' "$work/go.txt"
echo
echo "raw output: $work"
