#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image. Made by
# `smtp-lab autograder`. It installs only what the image lacks, then smtp-lab from the tarball
# next to this file (smtp-lab-*.tgz, as `npm pack` makes it): never by name from a registry.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="${AUTOGRADER_SOURCE:-$ROOT/source}"

packages=()
command -v python3 >/dev/null || packages+=(python3)
command -v bwrap >/dev/null || packages+=(bubblewrap)
need_node=no
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  need_node=yes
  command -v curl >/dev/null || packages+=(curl ca-certificates)
fi
if [ ${#packages[@]} -gt 0 ] || [ "$need_node" = yes ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "=== installing Debian packages: ${packages[*]}"
  apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
if [ "$need_node" = yes ]; then
  # Node 20 from NodeSource (the images' own nodejs is older).
  echo "=== installing Node 20"
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y -qq nodejs
fi

tarball=$(ls "$SOURCE"/smtp-lab-*.tgz 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ]; then
  echo "setup.sh: no smtp-lab-*.tgz in $SOURCE: rebuild the zip with smtp-lab autograder" >&2
  exit 1
fi
echo "=== installing $(basename "$tarball")"
npm install -g --no-audit --no-fund "$tarball"
smtp-lab --version
