#!/usr/bin/env bash
# Builds (once) the .deb of an earlier commit, for the upgrade test. Usage: old-deb.sh [COMMIT]. Prints its path.
# The default is the commit SystemdServiceIT upgrades from: the last one before the package became lintian-clean
# (.ci/run starts this script early, in the background, so that the test finds the package built).
# Cached under $EDGE_AGENT_ROOTFS_CACHE (default /var/cache/edge-agent-test) by commit: a commit never changes, so
# it is built once per machine. Built from `git archive` of the commit in a scratch directory, tests not even compiled,
# offline first (in CI the main build has just filled ~/.m2), online only if something is missing.
# The earlier commit carries the same Maven version as this build, so its package would have the same Debian version
# and dpkg would reinstall rather than upgrade; its control Version gets the suffix ~earlier.COMMIT, which sorts below
# the unsuffixed version, so installing this build over it is a real upgrade (dpkg.log says so, the scripts see it).
set -euo pipefail
commit=${1:-2073315}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
full=$(git -C "$repo" rev-parse --verify "$commit^{commit}")
cache=${EDGE_AGENT_ROOTFS_CACHE:-/var/cache/edge-agent-test}
deb=$cache/edge-agent-${full:0:12}-earlier.deb
mkdir -p "$cache"
exec 9>"$cache/.lock-deb-${full:0:12}"
flock 9
if [ ! -s "$deb" ]; then
  src=$(mktemp -d)
  trap 'rm -rf "$src"' EXIT
  git -C "$repo" archive "$full" | tar -x -C "$src"
  log=$cache/old-deb-build.log
  build() { (cd "$src" && ./mvnw -B -q "$@" package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true >>"$log" 2>&1); }
  : >"$log"
  build -o || build || { tail -30 "$log" >&2; exit 1; }
  unpacked=$src/unpacked
  dpkg-deb -R "$src"/packaging/target/edge-agent_*_all.deb "$unpacked"
  sed -i -E "s/^Version: (.*)$/Version: \1~earlier.${full:0:7}/" "$unpacked/DEBIAN/control"
  dpkg-deb --root-owner-group -Zgzip -b "$unpacked" "$deb.tmp" >/dev/null
  mv "$deb.tmp" "$deb"
fi
echo "$deb"
