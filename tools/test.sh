#!/usr/bin/env bash
# Installs what is missing, builds agl (with CUDA when nvcc is present, else CPU-only) and runs every test.
# Usage: tools/test.sh [build-dir]      (default: build; set AGL_CUDA=OFF to force a CPU-only build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
"$root/tools/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGL_CUDA="${AGL_CUDA:-ON}" >/dev/null
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure -j "$(nproc)"
