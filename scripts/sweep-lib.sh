# sweep-lib.sh: helpers shared by the sweep scripts (sourced, not run).
# The caller sets repo (this repository) and work (the scratch directory).

# The dependency trees of the sweeps, at pinned versions.
mods=(
	google.golang.org/grpc@v1.85.0
	k8s.io/apimachinery@v0.37.2
	golang.org/x/net@v0.61.0
	github.com/prometheus/client_golang@v1.25.0
	golang.org/x/tools@v0.52.0
)

# setup: builds reloadvet into $work and makes $work a scratch module that
# requires every tree of mods; the working directory is then $work.
setup() {
	mkdir -p "$work"
	work=$(cd "$work" && pwd)
	(cd "$repo" && go build -o "$work/reloadvet" ./cmd/reloadvet)
	cd "$work"
	[ -f go.mod ] || go mod init sweep >/dev/null 2>&1
	local m pass
	for m in "${mods[@]}"; do
		go get "$m" >/dev/null 2>&1
	done
	# Pull in what every package of each module imports; patterns reaching
	# into nested modules may fail, which only drops those packages. A later
	# tree can upgrade a dependency an earlier one needs the go.sum lines
	# of, so a second pass fills those in.
	for pass in 1 2; do
		for m in "${mods[@]}"; do
			go get "${m%@*}/...@${m#*@}" >/dev/null 2>&1 || true
		done
	done
	# go get stops at the first pattern that reaches a nested module and
	# may leave go.sum short of what the packages import; listing them
	# and their tests (go vet loads the test files too) with -mod=mod
	# records the missing sums.
	for m in "${mods[@]}"; do
		go list -mod=mod -e -deps -test "${m%@*}/..." >/dev/null 2>&1 || true
	done
}

# run NAME ARGS...: one reloadvet run, its stdout, stderr, exit status and
# /usr/bin/time report kept in $work/NAME.{out,err,rc,time}.
run() {
	local name=$1
	shift
	local rc=0
	/usr/bin/time -v -o "$work/$name.time" "$work/reloadvet" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
	echo "$rc" >"$work/$name.rc"
}

# pkgs TREE: the packages of a module that load cleanly and are not main
# packages.
pkgs() {
	go list -e -f '{{if and (not .Error) (not .DepsErrors) (ne .Name "main")}}{{.ImportPath}}{{end}}' "$1/..." 2>/dev/null | grep .
}

# stem TREE: the file name stem of a tree's outputs.
stem() {
	echo "$1" | tr '/.' '__'
}

# cells NAME: the panics, exit, wall time and peak RSS (MiB) columns of a
# run's table row.
cells() {
	local p wall rss
	p=$(cat "$work/$1.out" "$work/$1.err" | grep -c -e '^panic: ' -e 'internal error' || true)
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$1.time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$1.time")
	echo "$p | $(cat "$work/$1.rc") | $wall | $((rss / 1024))"
}
