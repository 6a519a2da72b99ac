#!/usr/bin/env bash
# bench-real.sh: the cost of reloadvet on a real project beside go vet
# -vettool=reloadvet, staticcheck and go vet, measured as a new user would:
# fetch caddy v2.10.2 with the go command, build it (a warm build cache),
# write a config for it (scripts/layerconfig.go), then time in one run,
# one after the other, with a Go cache and a staticcheck cache of the run's
# own:
#
#	reloadvet ./...                first run, re-run with nothing changed,
#	                               re-run after editing one leaf package
#	go vet -vettool=reloadvet      first run, re-run
#	staticcheck ./...              first run, re-run
#	go vet ./...                   first run, re-run
#	reloadvet on testdata/layered  first run, re-run
#
# Prints a Markdown table (wall, CPU, peak RSS of the largest process, exit
# status, load average before the run), checks the targets of issue 10 and
# diffs the command's per-package findings against go vet -vettool's (the
# diff must be empty). The outputs stay in the work folder it names.
#
#	scripts/bench-real.sh [WORK]
#
# Needs GNU time (installed with apt-get when missing) and staticcheck
# v0.8.2 (installed with go install when missing).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d /tmp/bench-real.XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
mod=github.com/caddyserver/caddy/v2
ver=v2.10.2

if [ ! -x /usr/bin/time ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get install -y -q time >/dev/null
fi
staticcheck=$(command -v staticcheck || echo "$(go env GOPATH)/bin/staticcheck")
if [ ! -x "$staticcheck" ]; then
	go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	staticcheck="$(go env GOPATH)/bin/staticcheck"
fi
(cd "$repo" && go build -o "$work/reloadvet" ./cmd/reloadvet && go build -o "$work/layerconfig" scripts/layerconfig.go)
rv="$work/reloadvet"

# The project, fetched and built with a Go cache of this run's own.
export GOFLAGS= GOCACHE="$work/gocache" XDG_CACHE_HOME="$work/xdg"
src=$(go mod download -json "$mod@$ver" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
rm -rf "$work/caddy" "$work/layered"
cp -r "$src" "$work/caddy"
chmod -R u+w "$work/caddy"
cd "$work/caddy"
go mod download
go build ./...
"$work/layerconfig" -prefix "$mod" -depth 2 -spawner 'sync.(*WaitGroup).Go' ./... >.reloadvet.yml
npkgs=$(go list ./... | wc -l)
ndeps=$(go list -deps ./... | wc -l)

# The leaf package edited: the first, in path order, of the packages of
# the module that no package of the module imports and that are not main.
leaf=$(go list -f '{{.ImportPath}} {{.Name}}{{range .Imports}} {{.}}{{end}}' ./... | awk '
	{ name[$1] = $2; for (i = 3; i <= NF; i++) imported[$i] = 1; pkgs[NR] = $1 }
	END { for (i = 1; i <= NR; i++) if (!imported[pkgs[i]] && name[pkgs[i]] != "main") print pkgs[i] }' | sort | head -n 1)
leaffile=$(go list -f '{{.Dir}}/{{index .GoFiles 0}}' "$leaf")

rows="$work/rows"
: >"$rows"
# run NAME DIR CMD...: runs CMD in DIR, its stdout in NAME.out, stderr in
# NAME.err, and adds a row to the table.
run() {
	local name=$1 dir=$2
	shift 2
	local load rc=0 wall user sys rss
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	(cd "$dir" && /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err") || rc=$?
	read -r wall user sys rss < <(tail -n 1 "$work/$name.time")
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$rc" "$load" >>"$rows"
}

caddy="$work/caddy"
run rv-first "$caddy" "$rv" -json ./...
run rv-rerun "$caddy" "$rv" -json ./...
printf '\n// edited by scripts/bench-real.sh\n' >>"$leaffile"
run rv-leaf "$caddy" "$rv" -json ./...
run vettool-first "$caddy" env RELOADVET_CONFIG="$caddy/.reloadvet.yml" go vet -vettool="$rv" -json ./...
run vettool-rerun "$caddy" env RELOADVET_CONFIG="$caddy/.reloadvet.yml" go vet -vettool="$rv" -json ./...
run staticcheck-first "$caddy" "$staticcheck" ./...
run staticcheck-rerun "$caddy" "$staticcheck" ./...
run govet-first "$caddy" go vet ./...
run govet-rerun "$caddy" go vet ./...
cp -r "$repo/testdata/layered" "$work/layered"
run fixture-first "$work/layered" "$rv" ./...
run fixture-rerun "$work/layered" "$rv" ./...

# The command's findings beside go vet -vettool's, per package (the module
# cycles are the command's alone).
findings() { (cd "$repo" && go run scripts/findings.go "$@"); }
findings -per-package <"$work/rv-first.out" >"$work/rv.findings"
findings <"$work/vettool-first.out" >"$work/vettool.findings"
findings <"$work/rv-first.out" | grep -c ': layering: module import cycle ' >"$work/cycles" || true
diff "$work/rv.findings" "$work/vettool.findings" >"$work/findings.diff" || true

label() {
	case $1 in
	rv-first) echo 'reloadvet ./... (first run)' ;;
	rv-rerun) echo 'reloadvet ./... (re-run, nothing changed)' ;;
	rv-leaf) echo "reloadvet ./... (re-run, one leaf package edited: ${leaf#$mod/})" ;;
	vettool-first) echo 'go vet -vettool=reloadvet -json ./... (first run)' ;;
	vettool-rerun) echo 'go vet -vettool=reloadvet -json ./... (re-run)' ;;
	staticcheck-first) echo 'staticcheck ./... (first run)' ;;
	staticcheck-rerun) echo 'staticcheck ./... (re-run)' ;;
	govet-first) echo 'go vet ./... (first run)' ;;
	govet-rerun) echo 'go vet ./... (re-run)' ;;
	fixture-first) echo 'reloadvet on testdata/layered (first run)' ;;
	fixture-rerun) echo 'reloadvet on testdata/layered (re-run)' ;;
	esac
}
col() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$rows"; }

echo "$mod@$ver: $npkgs packages, $ndeps with dependencies; $(go version); $(nproc) cores; work folder $work"
echo
echo "| run | wall | CPU (user+sys) | peak RSS (MiB) | exit | load average before |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
while IFS=$'\t' read -r name wall cpu rss rc load; do
	printf '| %s | %.1f s | %.1f s | %d | %d | %s |\n' "$(label "$name")" "$wall" "$cpu" "$rss" "$rc" "$load"
done <"$rows"
echo
echo "findings: reloadvet $(wc -l <"$work/rv.findings") per package (and $(cat "$work/cycles") module cycles), go vet -vettool $(wc -l <"$work/vettool.findings"); difference (empty when they agree):"
echo '```'
cat "$work/findings.diff"
echo '```'
echo
check() { # check TEXT CONDITION
	if awk "BEGIN { exit !($2) }"; then echo "- met: $1"; else echo "- NOT met: $1"; fi
}
check "first run $(col rv-first 2) s <= 1.2 x go vet -vettool's $(col vettool-first 2) s" "$(col rv-first 2) <= 1.2 * $(col vettool-first 2)"
check "re-run with nothing changed $(col rv-rerun 2) s <= 2 s" "$(col rv-rerun 2) <= 2"
check "one-leaf edit $(col rv-leaf 2) s <= 5 s" "$(col rv-leaf 2) <= 5"
check "peak RSS $(col rv-first 4) MiB <= staticcheck's $(col staticcheck-first 4) MiB" "$(col rv-first 4) <= $(col staticcheck-first 4)"
check "fixture re-run $(col fixture-rerun 2) s <= 1 s" "$(col fixture-rerun 2) <= 1"
check "the findings agree" "$(wc -l <"$work/findings.diff") == 0"
