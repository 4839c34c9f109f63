#!/usr/bin/env bash
# Builds (once), with mmdebstrap, a Debian bookworm root file system in which the systemd tests boot a real systemd with systemd-nspawn.
# Usage: rootfs.sh ARCH   (amd64 or arm64). Prints the rootfs directory on stdout.
# The result is cached under $EDGE_AGENT_ROOTFS_CACHE (default /var/cache/edge-agent-test), keyed by the architecture
# and the package list, and is only ever copied from: tests boot a copy, so every run starts from the same state.
# The mirror is the one this machine's apt already uses, so the script works wherever apt-get does.
set -euo pipefail
arch=${1:?usage: rootfs.sh amd64|arm64}
packages=systemd,systemd-sysv,dbus,openjdk-17-jre-headless,adduser,procps,mosquitto,mosquitto-clients,curl,ca-certificates
cache=${EDGE_AGENT_ROOTFS_CACHE:-/var/cache/edge-agent-test}
key=$(printf '%s %s' "$arch" "$packages" | sha1sum | cut -c1-10)
dir=$cache/bookworm-$arch-$key
lock=$cache/.lock-$arch

mirror() {
  local uri
  uri=$(grep -hs -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list \
        | grep -v -- '-security' | head -1 | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//; s/[[:space:]].*//')
  [ -n "$uri" ] || { echo "rootfs.sh: no Debian mirror found in the apt sources" >&2; exit 2; }
  printf '%s' "$uri"
}

mkdir -p "$cache"
exec 9>"$lock"
flock 9
if [ ! -e "$dir/.complete" ]; then
  if [ "$arch" != "$(dpkg --print-architecture)" ]; then
    # Foreign architecture: the kernel must run its binaries through qemu-user-static.
    mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    update-binfmts --enable "qemu-${arch/arm64/aarch64}" >/dev/null 2>&1 || true
  fi
  rm -rf "$dir.tmp"
  start=$(date +%s)
  # mmdebstrap resolves and downloads with apt (parallel, pipelined) and unpacks without fsync: on a fresh machine
  # it builds the rootfs in a fraction of debootstrap's time (figures in docs/operations.md).
  mmdebstrap --mode=root --arch="$arch" --variant=minbase --include="$packages" \
    --dpkgopt=force-unsafe-io bookworm "$dir.tmp" "$(mirror)" >"$cache/mmdebstrap-$arch.log" 2>&1 \
    || { tail -20 "$cache/mmdebstrap-$arch.log" >&2; exit 1; }
  # The distribution's broker is not what the tests talk to: each test starts the one it needs.
  chroot "$dir.tmp" systemctl disable mosquitto >/dev/null 2>&1 || true
  rm -rf "$dir.tmp/var/cache/apt/archives/"*.deb "$dir.tmp/var/lib/apt/lists/"*
  echo "$(( $(date +%s) - start ))" >"$dir.tmp/.build-seconds"
  touch "$dir.tmp/.complete"
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
fi
echo "$dir"
