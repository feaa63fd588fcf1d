#!/usr/bin/env bash
# Prints the checksum of Tessera's patches for Bochs (tests/setup/bochs-patches/):
# build-bochs.sh records it with the build, deps.sh compares.
set -euo pipefail
cat "$(dirname "$0")"/bochs-patches/*.patch | sha256sum | cut -d' ' -f1
