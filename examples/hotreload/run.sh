#!/usr/bin/env bash
# Hot reload, end to end. Both scenarios build the service and version 1
# of its greeter plugin and start the service.
#
# reload (the default): build version 2 of the plugin (one line changed),
# send SIGHUP, and check that the service answers with the new code
# without restarting, that the store kept its state and that no goroutine
# of the old generation is left. Then SIGTERM, and check that the modules
# stopped in reverse order and the service exited cleanly.
#
# hung-load: build a version of the plugin whose load hangs, ignoring its
# context, send SIGHUP, and once the load has begun, SIGTERM: the service
# must exit within its shutdown timeout (plus a little), reporting the
# load that did not return, instead of ignoring the signal.
#
#	run.sh [reload|hung-load] [workdir]
#
# Environment: GO picks the go command; BUILDFLAGS (say, -race) is passed
# to every build. The service and the plugins are always built here with
# the same flags, since a plugin loads only into a program built by the
# same toolchain with the same -race setting. The Go test that runs this
# script passes its own -race setting, so that the builds reuse the
# packages its own build compiled.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
scenario=reload
case ${1:-} in
reload | hung-load)
	scenario=$1
	shift
	;;
esac
work=${1:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
GO=${GO:-go}
read -r -a buildflags <<<"${BUILDFLAGS:-}"
log=$work/service.log
pid=

fail() {
	echo "FAIL: $*" >&2
	if [[ -f $log ]]; then
		echo "--- service log ($log):" >&2
		cat "$log" >&2
	fi
	exit 1
}

cleanup() {
	if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT

# wait_for PATTERN SECONDS: wait until the service log has a line matching
# PATTERN.
wait_for() {
	local deadline=$((SECONDS + $2))
	until grep -q -- "$1" "$log" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null; then
			fail "service exited while waiting for /$1/"
		fi
		if ((SECONDS >= deadline)); then
			fail "no /$1/ in the service log after $2s"
		fi
		sleep 0.05
	done
}

# get PATH: print the body of GET http://$addr$PATH (bash's /dev/tcp, so
# that no HTTP client is needed).
get() {
	local resp
	exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}" || fail "cannot connect to $addr"
	printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "$addr" >&3
	resp=$(cat <&3)
	exec 3<&-
	[[ $resp == "HTTP/1.0 200"* ]] || fail "GET $1: ${resp%%$'\r'*}"
	printf '%s\n' "${resp#*$'\r\n\r\n'}"
}

# build_plugin VERSION SED-EXPR: build the greeter plugin with a fresh
# package identity, its source changed by SED-EXPR through a build overlay
# (the tree is not touched), to a new file, and point greeter.so at it.
build_plugin() {
	local version=$1 id="greeter_v$1_$$_$(date +%s%N)"
	local src="$here/greeter/main.go" changed="$work/greeter-v$version.go"
	sed -e "$2" "$src" >"$changed"
	printf '{"Replace":{"%s":"%s"}}\n' "$src" "$changed" >"$work/overlay-v$version.json"
	(cd "$here" && "$GO" build "${buildflags[@]}" -buildmode=plugin -overlay="$work/overlay-v$version.json" \
		-gcflags=-p="$id" -ldflags=-pluginpath="$id" -o "$work/greeter-v$version.so" ./greeter) ||
		fail "build plugin v$version"
	ln -sfn "greeter-v$version.so" "$work/greeter.so"
}

echo "building in $work"
# The service and the first plugin share little (the plugin's packages are
# compiled for dynamic linking): build them side by side.
(cd "$here" && "$GO" build "${buildflags[@]}" -o "$work/hotreload" .) &
build=$!
build_plugin 1 's/^const greeting = .*/const greeting = "Hello"/'
wait "$build" || fail "build service"

"$work/hotreload" -addr 127.0.0.1:0 -plugin "$work/greeter.so" -config "$here/.reloadvet.yml" \
	-stop-timeout 1s -load-timeout 1m -shutdown-timeout 3s >"$log" 2>&1 &
pid=$!
wait_for 'msg=listening' 30
addr=$(sed -n 's/.*msg=listening addr=\([0-9.:]*\).*/\1/p' "$log" | head -n 1)
echo "service $pid listening on $addr"

body=$(get '/hello?name=gopher')
echo "v1: $body"
[[ $body == "Hello, gopher! (visit 1, greeter generation 1,"* ]] || fail "v1 answered: $body"

if [[ $scenario == hung-load ]]; then
	# The load of version 3 never returns and ignores its context; the
	# load timeout (1m) is far away.
	build_plugin 3 's/^\tvisits, err := loader.Dep.*/\tfor {\n\t\ttime.Sleep(time.Hour)\n\t}\n&/'
	kill -HUP "$pid"
	wait_for 'msg=unloaded module=greeter generation=1' 30
	sleep 0.2 # well inside the load of generation 2
	start=$(date +%s%N)
	kill -TERM "$pid"
	status=0
	deadline=$((SECONDS + 20))
	while kill -0 "$pid" 2>/dev/null; do
		((SECONDS < deadline)) || fail "the service ignored SIGTERM during a hung load for 20s"
		sleep 0.05
	done
	wait "$pid" || status=$?
	pid=
	took=$((($(date +%s%N) - start) / 1000000))
	echo "exited ${took}ms after SIGTERM, status $status"
	# The shutdown timeout is 3s; allow for a loaded machine.
	((took < 6000)) || fail "the service took ${took}ms to exit after SIGTERM (shutdown timeout 3s)"
	((status == 1)) || fail "exit status $status, want 1 (the hung load reported)"
	grep -q 'msg=stopping signal=terminated' "$log" || fail "no stopping line"
	grep -q 'msg=stopped' "$log" || fail "the modules were not stopped"
	grep -q 'msg=exit error=.*stop what the failed load of module greeter (generation 2) started' "$log" ||
		fail "the exit error does not name the load that did not return"
	echo "PASS"
	exit 0
fi

build_plugin 2 's/^const greeting = .*/const greeting = "Howdy"/'
kill -HUP "$pid"
wait_for 'msg="reloaded 2 modules: greeter, web in' 30

body=$(get '/hello?name=gopher')
echo "v2: $body"
# New code, same process, and the store (not reloaded) kept its count.
[[ $body == "Howdy, gopher! (visit 2, greeter generation 2,"* ]] || fail "v2 answered: $body"

goroutines=$(get '/debug/goroutines?module=greeter')
echo "greeter goroutines: ${goroutines:-none}"
if grep -q 'generation=1 ' <<<"$goroutines"; then
	fail "goroutines of greeter generation 1 are still running: $goroutines"
fi
grep -q 'generation=2 ' <<<"$goroutines" || fail "no goroutine of greeter generation 2: $goroutines"
if grep -q 'msg=leaked' "$log"; then
	fail "an old generation is still reachable"
fi

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
((status == 0)) || fail "service exited with status $status"
order=$(sed -n 's/.*msg=unloaded module=\([a-z]*\) generation=2.*/\1/p; s/.*msg=unloaded module=\(store\) generation=1.*/\1/p' "$log" | tr '\n' ' ')
[[ $order == "web greeter store " ]] || fail "stop order: $order"
grep -q 'msg=stopped' "$log" || fail "no stopped event"
echo "stop order: $order"
echo "PASS"
