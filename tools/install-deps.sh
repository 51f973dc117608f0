#!/usr/bin/env bash
# Installs the Debian 12 packages agl needs to build and test (skips what is already there).
# The CUDA toolkit is optional: without nvcc the build is CPU-only.
set -euo pipefail
# lammps: only for the cross-check of the MD engine against LAMMPS (tests/md/lammps_test.cpp, which skips
# without it); python3 runs tools/fuzz-inputs.py as a test; python3-torch is not installed here (bench only:
# tools/bench_torch_train.py).
packages=(build-essential cmake ninja-build python3 libopenblas-dev liblapacke-dev libcxxopts-dev libgtest-dev
          libcairo2-dev fonts-dejavu-core nlohmann-json3-dev pkg-config lammps)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
