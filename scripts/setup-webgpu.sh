#!/usr/bin/env bash
# scripts/setup-webgpu.sh - install a software Vulkan driver (Mesa lavapipe / llvmpipe
# from bookworm-backports) so that the npm package `webgpu` (Dawn) gets an
# adapter on a GPU-less Debian 12 (bookworm) machine.
#
# Idempotent: safe to re-run; prints what it did (or that nothing was needed).
# CI (.ci/run) calls it before `npm ci`; locally: `sudo bash scripts/setup-webgpu.sh`.
# Runs `apt-get update` only when the backports package index is missing.
# Needs root (re-execs itself through sudo if it can).
#
# Why backports: bookworm's own Mesa 22.3 lavapipe is rejected by Dawn;
# Mesa 25.x from bookworm-backports works.
set -euo pipefail

log() { echo "[setup-webgpu] $*"; }

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -E bash "$0" "$@"
  fi
  log "must run as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
MIN_MESA=23 # Mesa 22.x lavapipe is rejected by Dawn
PKGS=(mesa-vulkan-drivers libvulkan1)

. /etc/os-release
if [ "${VERSION_CODENAME:-}" != "bookworm" ]; then
  log "warning: written for Debian bookworm, this is '${VERSION_CODENAME:-unknown}'"
fi

installed_version() { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | awk '$3=="installed"{print $4}'; }

mesa_ok() {
  local v
  v="$(installed_version mesa-vulkan-drivers)"
  [ -n "$v" ] && [ -n "$(installed_version libvulkan1)" ] && dpkg --compare-versions "$v" ge "$MIN_MESA"
}

if mesa_ok; then
  log "already done: mesa-vulkan-drivers $(installed_version mesa-vulkan-drivers), libvulkan1 $(installed_version libvulkan1)"
  exit 0
fi

# 1. apt source for bookworm-backports, reusing the image's own Debian mirror.
BP_FILE=/etc/apt/sources.list.d/bookworm-backports.sources
if grep -rqs --include='*.list' --include='*.sources' --include='sources.list' 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  log "bookworm-backports source already configured"
elif [ -f /etc/apt/sources.list.d/debian.sources ]; then
  # deb822 image: copy the first stanza (the main Debian mirror), change Suites.
  awk 'BEGIN{RS=""; ORS="\n"} NR==1{print; exit}' /etc/apt/sources.list.d/debian.sources \
    | sed -E 's/^Suites:.*/Suites: bookworm-backports/' > "$BP_FILE"
  log "added $BP_FILE:"; sed 's/^/    /' "$BP_FILE"
else
  # classic one-line sources.list: reuse the first main-archive 'deb' line's URI.
  MIRROR="$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^(https?|file):/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)"
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
  echo "deb $MIRROR bookworm-backports main" > /etc/apt/sources.list.d/bookworm-backports.list
  log "added /etc/apt/sources.list.d/bookworm-backports.list: deb $MIRROR bookworm-backports main"
fi

# 2. apt-get update only if the backports index is not there yet.
# (capture first: `apt-cache ... | grep -q` + pipefail can fail on SIGPIPE)
POLICY="$(apt-cache policy mesa-vulkan-drivers 2>/dev/null || true)"
if grep -q 'bookworm-backports' <<<"$POLICY"; then
  log "backports package index present, skipping apt-get update"
else
  log "running apt-get update"
  apt-get update -qq
fi

# 3. install the driver + Vulkan loader from backports.
log "installing ${PKGS[*]} from bookworm-backports"
apt_install() { apt-get install -y -qq --no-install-recommends -t bookworm-backports "${PKGS[@]}" >/dev/null; }
if ! apt_install; then
  log "install failed (stale package index?), running apt-get update and retrying"
  apt-get update -qq
  apt_install
fi

if ! mesa_ok; then
  log "ERROR: mesa-vulkan-drivers $(installed_version mesa-vulkan-drivers) is older than $MIN_MESA" >&2
  exit 1
fi
log "installed: mesa-vulkan-drivers $(installed_version mesa-vulkan-drivers), libvulkan1 $(installed_version libvulkan1)"
ls /usr/share/vulkan/icd.d/ 2>/dev/null | sed 's/^/[setup-webgpu] ICD: /' || true
