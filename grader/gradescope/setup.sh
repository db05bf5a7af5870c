#!/usr/bin/env bash
# Gradescope autograder setup (runs once, as root, when the autograder image is built).
# Installs the sandbox (bubblewrap; prlimit and unshare come with util-linux) and the kit's npm
# dependencies. Node.js 20 or newer must be on the image: pick a Gradescope base image that has it,
# or install it here from your distribution's packages.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends bubblewrap util-linux ca-certificates
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  apt-get install -y -qq --no-install-recommends nodejs npm || true
fi
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$major" -lt 20 ]; then
  echo "dlkit's grader needs Node.js >= 20 (found ${major}); choose a base image with Node 20+." >&2
  exit 1
fi
cd /autograder/source
npm ci --no-audit --no-fund
