#!/usr/bin/env bash
# Gradescope autograder setup (runs once, as root, when the autograder image is built).
# Installs the sandbox (bubblewrap; prlimit and unshare come with util-linux), Node.js 20 when the image
# lacks it (install-node.sh: a pinned official build, checked against its SHA-256) and the kit's npm
# dependencies. (AUTOGRADER_ROOT replaces /autograder, for trying it out locally.)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
root="${AUTOGRADER_ROOT:-/autograder}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends bubblewrap util-linux ca-certificates curl xz-utils
cd "$root/source"
bash grader/gradescope/install-node.sh
export PATH="/usr/local/bin:$PATH"
# Exercise 5 (WebGPU kernels) needs a Vulkan driver inside the sandbox: Mesa's software lavapipe, as the
# kit's CI installs it (a Debian 12 recipe). Without one the grader leaves Exercise 5 ungraded and says
# so in every report (docs/grader.md, "WebGPU components"); the other exercises are graded as usual.
bash scripts/setup-webgpu.sh || echo "setup.sh: no WebGPU driver installed: Exercise 5 will not be graded" >&2
npm ci --no-audit --no-fund
