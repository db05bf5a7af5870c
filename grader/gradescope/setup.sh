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
# Exercise 5 (WebGPU kernels) needs a Vulkan driver inside the sandbox: Mesa's software lavapipe, as the
# kit's CI installs it (a Debian 12 recipe). Without one the grader leaves Exercise 5 ungraded and says
# so in every report (docs/grader.md, "WebGPU components"); the other exercises are graded as usual.
bash scripts/setup-webgpu.sh || echo "setup.sh: no WebGPU driver installed: Exercise 5 will not be graded" >&2
npm ci --no-audit --no-fund
