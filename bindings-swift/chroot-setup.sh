#!/usr/bin/env bash
# Create (once) a Debian trixie chroot with Swift 6.0.3 (`swiftlang`) in $ORDO_SWIFT_CHROOT
# (default /var/cache/ordo-swift-chroot, outside the checkout). Reused when present. Needs root.
set -euo pipefail
CHROOT=${ORDO_SWIFT_CHROOT:-/var/cache/ordo-swift-chroot}
if [ -x "$CHROOT/usr/bin/swift" ] && [ -f "$CHROOT/.ordo-ready" ]; then exit 0; fi
command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
# the Debian mirror the machine itself uses
MIRROR=$( { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources || true; grep -hs '^deb ' /etc/apt/sources.list | awk '{print "URIs: "$2}' || true; } \
  | awk '{print $2}' | grep -v security | head -n1 || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
if [ ! -f "$CHROOT/.debootstrap-done" ]; then
  # Never delete through a bind mount left by an interrupted run (it could be the checkout).
  if grep -q " $CHROOT/" /proc/mounts; then echo "chroot-setup: mounts left under $CHROOT; unmount them first" >&2; exit 1; fi
  rm -rf "$CHROOT"; mkdir -p "$CHROOT"
  debootstrap --variant=minbase trixie "$CHROOT" "$MIRROR"
  touch "$CHROOT/.debootstrap-done"
fi
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
mount_all() {
  for d in proc sys dev dev/pts; do mountpoint -q "$CHROOT/$d" || mount --bind "/$d" "$CHROOT/$d"; done
}
umount_all() {
  for d in dev/pts dev sys proc; do mountpoint -q "$CHROOT/$d" && umount -l "$CHROOT/$d" || true; done
}
trap umount_all EXIT
mount_all
chroot "$CHROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c 'apt-get update -qq && apt-get install -y -qq swiftlang >/dev/null'
touch "$CHROOT/.ordo-ready"
