#!/usr/bin/env bash
# Gradescope autograder setup (runs once, as root, when the autograder image is built).
# Installs Node 20 and smtp-lab. Zip this file with run_autograder (and, optionally, the tarball
# `npm pack` makes in a smtp-lab checkout: smtp-lab-*.tgz, to pin the exact version you tested).
set -euo pipefail

apt-get update
apt-get install -y --no-install-recommends ca-certificates curl gnupg python3

# Node 20 from NodeSource (Gradescope's base images are Ubuntu).
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y nodejs
fi

tarball=$(ls /autograder/source/smtp-lab-*.tgz 2>/dev/null | head -n 1 || true)
if [ -n "$tarball" ]; then
  npm install -g "$tarball"
else
  npm install -g smtp-lab
fi
smtp-lab --version
smtp-lab scenarios
