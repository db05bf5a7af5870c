#!/usr/bin/env bash
# What the grader needs from Debian, installed if missing (idempotent; run as root, e.g. from .ci/run):
#   bubblewrap  the sandbox: private mount, PID and network namespaces for every case process
#   util-linux  prlimit (memory cap) and unshare (network namespace without bubblewrap)
#   chromium    the headless browser that tests/grader/cli.test.ts opens report.html in
set -euo pipefail

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
{ command -v prlimit >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1; } || missing+=(util-linux)
[ -x /usr/bin/chromium ] || missing+=(chromium)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-grader: missing ${missing[*]}; run this script as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# bubblewrap needs user or privileged namespaces; say so now rather than in every report.
if ! bwrap --unshare-all --die-with-parent --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
  --symlink usr/bin /bin --proc /proc --dev /dev -- /bin/true; then
  echo "setup-grader: bubblewrap is installed but cannot create namespaces here; the grader falls back to unshare -n and says so in every report" >&2
fi
echo "setup-grader: bubblewrap $(bwrap --version | cut -d' ' -f2), $(prlimit --version | head -1), chromium $(/usr/bin/chromium --version 2>/dev/null | cut -d' ' -f2)"
