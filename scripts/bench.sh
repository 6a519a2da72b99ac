#!/usr/bin/env bash
# bench.sh: wall time, CPU time and peak memory of reloadvet beside go vet
# and staticcheck over the same packages (default: std), one after the
# other in one run, each with caches of its own that start empty. Prints a
# Markdown table; the raw outputs stay in the work folder it names.
#
#	scripts/bench.sh [-config FILE] [packages...]
#
# With -config, the reloadvet runs use FILE (the CLI through -config, the
# go vet -vettool run through RELOADVET_CONFIG); without it they run in an
# empty folder where no config applies, so only unjoined has work. For std,
# write a config that makes every package a module of its own first:
#
#	go run scripts/layerconfig.go -depth 0 -spawner 'sync.(*WaitGroup).Go' std >/tmp/std.yml
#	scripts/bench.sh -config /tmp/std.yml std
#
# Needs GNU /usr/bin/time and staticcheck on PATH or in $(go env GOPATH)/bin
# (go install honnef.co/go/tools/cmd/staticcheck@v0.8.2).
set -euo pipefail
cd "$(dirname "$0")/.."

cfg=
if [ "${1:-}" = -config ]; then
	cfg=$(realpath "$2")
	shift 2
fi
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(std)
work=$(mktemp -d /tmp/bench.XXXXXX)
staticcheck=$(command -v staticcheck || echo "$(go env GOPATH)/bin/staticcheck")
[ -x "$staticcheck" ] || { echo "staticcheck not found: go install honnef.co/go/tools/cmd/staticcheck@v0.8.2" >&2; exit 1; }
go build -o "$work/reloadvet" ./cmd/reloadvet
rv=("$work/reloadvet")
[ -z "$cfg" ] || rv+=(-config "$cfg")

# run NAME CMD...: runs CMD in an empty folder with fresh caches (GOCACHE
# holds export data, vet results and cgo output; XDG_CACHE_HOME holds
# staticcheck's own cache) and records wall time, CPU time, peak RSS, exit
# status and the number of findings (lines that start with a position).
run() {
	local name=$1
	shift
	mkdir -p "$work/$name.d"
	local rc=0
	(cd "$work/$name.d" && env GOCACHE="$work/$name.d/gocache" XDG_CACHE_HOME="$work/$name.d/xdg" RELOADVET_CONFIG="$cfg" \
		/usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>&1) || rc=$?
	local wall user sys rss n
	# GNU time writes "Command exited with non-zero status N" first on failure.
	read -r wall user sys rss < <(tail -n 1 "$work/$name.time")
	n=$(grep -cE '^[^#[:space:]][^[:space:]]*\.go:[0-9]+:[0-9]+: ' "$work/$name.out" || true)
	printf '| %s | %.1f s | %.1f s | %d | %d | %d |\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$rc" "$n" >>"$work/rows"
	rm -rf "$work/$name.d"
}

export GOFLAGS=
run "go vet" go vet "${pkgs[@]}"
run "staticcheck" "$staticcheck" "${pkgs[@]}"
run "reloadvet (all analyzers)" "${rv[@]}" "${pkgs[@]}"
run "reloadvet -unjoined" "${rv[@]}" -unjoined "${pkgs[@]}"
if [ -n "$cfg" ]; then
	run "reloadvet -rawspawn" "${rv[@]}" -rawspawn "${pkgs[@]}"
	run "reloadvet -crosscallback" "${rv[@]}" -crosscallback "${pkgs[@]}"
	run "go vet -vettool=reloadvet" go vet -vettool="$work/reloadvet" "${pkgs[@]}"
fi

echo "packages: ${pkgs[*]}; config: ${cfg:-none}; $(go version); $(nproc) cores; work folder $work"
echo
echo "| run | wall | CPU (user+sys) | peak RSS (MiB) | exit | findings |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
cat "$work/rows"
