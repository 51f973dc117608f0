#!/usr/bin/env bash
# The build dependencies of agl for a machine that has CUDA, CMake, ninja and a C++ compiler but reaches no
# package registry — the lent GPU machine. Figures (cairo) are optional and left out.
#   tools/gpu-deps.sh fetch   here, with Debian's apt: downloads the .debs into .gpu-deps/ (git-ignored; name it
#                             in the device tool's `carry`)
#   tools/gpu-deps.sh env     there: unpacks them once into .gpu-deps/root (dpkg -x, no install scripts) and
#                             prints the exports that let CMake, the compiler and the programs find them;
#                             tools/gpu-check.sh runs `eval "$(tools/gpu-deps.sh env)"` when .gpu-deps/ holds .debs
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.gpu-deps"
packages=(libopenblas0-pthread libopenblas-pthread-dev liblapacke liblapacke-dev libtmglib3 libgfortran5 libquadmath0
          libgtest-dev libcxxopts-dev nlohmann-json3-dev)

case "${1:-}" in
fetch)
    mkdir -p "$dir"
    (cd "$dir" && apt-get download "${packages[@]}")
    echo "gpu-deps: $(ls "$dir"/*.deb | wc -l) packages, $(du -sh "$dir" | cut -f1) in $dir" >&2
    ;;
env)
    compgen -G "$dir/*.deb" >/dev/null || { echo "gpu-deps: no .debs in $dir (run 'tools/gpu-deps.sh fetch' first)" >&2; exit 1; }
    if [[ ! -f "$dir/root/.unpacked" ]]; then
        mkdir -p "$dir/root"
        for deb in "$dir"/*.deb; do dpkg -x "$deb" "$dir/root"; done
        touch "$dir/root/.unpacked"
    fi
    usr="$dir/root/usr"
    lib="$usr/lib/x86_64-linux-gnu"
    blas="$lib/openblas-pthread"   # Debian's alternatives symlinks are not made by dpkg -x: name the real place
    echo "export CMAKE_PREFIX_PATH='$usr'\${CMAKE_PREFIX_PATH:+:\$CMAKE_PREFIX_PATH}"
    echo "export CMAKE_LIBRARY_PATH='$blas:$lib'\${CMAKE_LIBRARY_PATH:+:\$CMAKE_LIBRARY_PATH}"
    echo "export CPATH='$usr/include/x86_64-linux-gnu/openblas-pthread:$usr/include'\${CPATH:+:\$CPATH}"
    echo "export LIBRARY_PATH='$blas:$lib'\${LIBRARY_PATH:+:\$LIBRARY_PATH}"
    echo "export LD_LIBRARY_PATH='$blas:$lib'\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
    ;;
*)
    echo "usage: tools/gpu-deps.sh fetch|env" >&2
    exit 2
    ;;
esac
