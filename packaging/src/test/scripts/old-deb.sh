#!/usr/bin/env bash
# Builds (once) the .deb of an earlier commit, for the upgrade test. Usage: old-deb.sh COMMIT. Prints its path.
# Cached under $EDGE_AGENT_ROOTFS_CACHE (default /var/cache/edge-agent-test) by commit: a commit never changes, so
# it is built once per machine. Built from `git archive` of the commit in a scratch directory, tests skipped.
set -euo pipefail
commit=${1:?usage: old-deb.sh COMMIT}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
full=$(git -C "$repo" rev-parse --verify "$commit^{commit}")
cache=${EDGE_AGENT_ROOTFS_CACHE:-/var/cache/edge-agent-test}
deb=$cache/edge-agent-${full:0:12}.deb
mkdir -p "$cache"
exec 9>"$cache/.lock-deb-${full:0:12}"
flock 9
if [ ! -s "$deb" ]; then
  src=$(mktemp -d)
  trap 'rm -rf "$src"' EXIT
  git -C "$repo" archive "$full" | tar -x -C "$src"
  (cd "$src" && ./mvnw -B -q package -DskipTests -Dmaven.javadoc.skip=true >"$cache/old-deb-build.log" 2>&1) \
    || { tail -30 "$cache/old-deb-build.log" >&2; exit 1; }
  cp "$src"/packaging/target/edge-agent_*_all.deb "$deb.tmp"
  mv "$deb.tmp" "$deb"
fi
echo "$deb"
