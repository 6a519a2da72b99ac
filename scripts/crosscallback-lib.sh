# crosscallback-lib.sh: what the crosscallback measurement scripts share
# (sourced, not run): the projects and how one is fetched. The caller sets
# work (the scratch directory).

# name module version: the projects, at pinned versions.
projects=(
	"nats github.com/nats-io/nats-server/v2 v2.15.3"
	"caddy github.com/caddyserver/caddy/v2 v2.10.2"
	"coredns github.com/coredns/coredns v1.15.0"
)

# fetch NAME MODULE VERSION: copies the module at that version, fetched
# with the go command, into $work/src/NAME and builds it, unless it is
# there already.
fetch() {
	local src=$work/src/$1 dir
	if [ ! -f "$src/go.mod" ]; then
		dir=$(go mod download -json "$2@$3" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
		rm -rf "$src" && cp -r "$dir" "$src" && chmod -R u+w "$src"
		(cd "$src" && go mod download && go build ./...)
	fi
}
