#!/usr/bin/env bash
# Makes sure Node.js 20 or newer is there for the grader. Gradescope's base images have no Node (or an
# old one), so when it is missing this installs the official Node.js 20 build pinned below, after
# checking the download against its SHA-256 from https://nodejs.org/dist/v20.19.0/SHASUMS256.txt: a
# tarball that does not match is refused and nothing is installed.
#
# Environment (tests and offline images):
#   DLKIT_NODE          the node command to check (default: node)
#   DLKIT_NODE_TARBALL  a tarball already on disk, checked like a download (default: download it)
#   DLKIT_NODE_PREFIX   where to unpack it (default: /usr/local, so node lands in /usr/local/bin)
#   DLKIT_NODE_ARCH     the machine (default: uname -m)
set -euo pipefail
version=20.19.0
case "${DLKIT_NODE_ARCH:-$(uname -m)}" in
  x86_64) arch=x64; sha256=b4e336584d62abefad31baecff7af167268be9bb7dd11f1297112e6eed3ca0d5 ;;
  aarch64) arch=arm64; sha256=dbe339e55eb393955a213e6b872066880bb9feceaa494f4d44c7aac205ec2ab9 ;;
  *) echo "install-node.sh: no pinned Node.js build for $(uname -m); install Node.js 20+ on the image" >&2; exit 1 ;;
esac
node_command="${DLKIT_NODE:-node}"
prefix="${DLKIT_NODE_PREFIX:-/usr/local}"

major="$("$node_command" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$major" -ge 20 ]; then
  echo "install-node.sh: Node.js $("$node_command" --version) is present; nothing to install"
  exit 0
fi

name="node-v${version}-linux-${arch}.tar.xz"
tarball="${DLKIT_NODE_TARBALL:-}"
if [ -z "$tarball" ]; then
  tarball="$(mktemp)"
  trap 'rm -f "$tarball"' EXIT
  echo "install-node.sh: Node.js 20+ is missing (found major version ${major}); downloading ${name}"
  curl -fsSL "https://nodejs.org/dist/v${version}/${name}" -o "$tarball"
fi
actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
if [ "$actual" != "$sha256" ]; then
  echo "install-node.sh: refusing to install ${name}: its SHA-256 is ${actual}, expected ${sha256}" >&2
  exit 1
fi
mkdir -p "$prefix"
tar -xJf "$tarball" -C "$prefix" --strip-components=1 --no-same-owner
echo "install-node.sh: installed Node.js $("$prefix/bin/node" --version) in ${prefix}"
