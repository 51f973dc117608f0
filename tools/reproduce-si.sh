#!/usr/bin/env bash
# The method on real DFT data: silicon from the mlearn benchmark (Zuo et al., J. Phys. Chem. A 124, 731 (2020);
# 214 training + 25 test configurations, VASP PBE, eV and Å), with the 60-function candidate set
# docs/si-mlearn/si.nn. Writes OUT/si.data (mlearn's test configurations tagged set=test), then
#   OUT/select/   agl select with the default settings (λ path, suggested set, refit potential)
#   OUT/select-3seeds/  the same path with --refit-seeds 3 (the suggestion ranks the mean of 3 refits)
#   OUT/compare/  agl compare: all 60, the AGL set, PC/CUR/FPS at its size; 4 models each; test = mlearn's test
# Steps whose output exists are skipped (select and compare resume by themselves), so an interrupted run
# continues.
# Results on our hardware: docs/si-mlearn.md.
# Usage: tools/reproduce-si.sh [--mlearn DIR] [--out DIR] [--agl BINARY]
#   --mlearn  folder with train/input.data and test/input.data (default: ../shared/data/Si_mlearn/converted
#             beside the repository; any n2p2 conversion of mlearn's data/Si/{training,test}.json works)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mlearn="$root/../shared/data/Si_mlearn/converted"
out="si-mlearn"
agl="$root/build/agl"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mlearn) mlearn="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --agl) agl="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "reproduce-si: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
for f in "$mlearn/train/input.data" "$mlearn/test/input.data"; do
    [[ -r "$f" ]] || { echo "reproduce-si: $f not found (give the mlearn Si folder with --mlearn)" >&2; exit 2; }
done
[[ -x "$agl" ]] || { echo "reproduce-si: $agl not built (cmake --build build)" >&2; exit 2; }
nn="$root/docs/si-mlearn/si.nn"
mkdir -p "$out"

if [[ ! -s "$out/si.data" ]]; then
    # mlearn's own split: its test configurations become agl's test set (begin set=test), never trained on.
    { cat "$mlearn/train/input.data"; sed 's/^begin$/begin set=test/' "$mlearn/test/input.data"; } > "$out/si.data.tmp"
    mv "$out/si.data.tmp" "$out/si.data"
fi

echo "== select (defaults: lambda path of 16, batch and patience auto)"
if [[ ! -s "$out/select/path.json" ]]; then
    "$agl" select --data "$out/si.data" --nn "$nn" --out "$out/select" --seed 1 --timings
fi

echo "== select with 3 refits per lambda"
if [[ ! -s "$out/select-3seeds/path.json" ]]; then
    "$agl" select --data "$out/si.data" --nn "$nn" --out "$out/select-3seeds" --seed 1 --refit-seeds 3
fi

echo "== compare (4 models per set, 8191 epochs; test set = mlearn's 25 test configurations)"
if [[ ! -s "$out/compare/compare.md" ]]; then
    # --test-fraction 0 and the split seed of select: the sets are judged on structures select never saw.
    "$agl" compare --data "$out/si.data" --nn "$nn" --out "$out/compare" --force \
        --sets "all,agl:$out/select/selected.nn,pc,cur,fps" --test-fraction 0 --split-seed 1 --seed 1 --energy-unit eV --timings
fi
cat "$out/compare/compare.md"
