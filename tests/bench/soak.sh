#!/usr/bin/env bash
# Soak: a long headless run (the full path: held-out judging every 25 steps, previews
# every 100, checkpoints every 250, a metrics row per step), resident memory at step
# 1,000 and at the end. The model is small so that 10,000 steps take minutes.
#   tests/bench/soak.sh [--steps N] [--task T]      (BUILD_DIR)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
steps=10000 task=inpainting
while [ $# -gt 0 ]; do
    case "$1" in
    --steps) steps=$2; shift 2 ;;
    --task) task=$2; shift 2 ;;
    *) echo "soak.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
"$build/bin/pretext-workbench" train --task "$task" --data demo --size 32 --batch 8 \
    --param base_channels=8 --steps "$steps" --memory-at "1000,$steps" --out "$work/run" \
    | tee "$work/log" | grep -E "^(training|resident)"
elapsed=$(( $(date +%s) - start ))
awk -v steps="$steps" -v s="$elapsed" '/^resident memory at step/ { sub(":", "", $5); mb[$5] = $6 }
    END { d = 100 * (mb[steps] - mb[1000]) / mb[1000];
          printf "soak: %d steps in %d s; resident memory %.1f MB at step 1000, %.1f MB at step %d: %+.2f%%\n",
                 steps, s, mb[1000], mb[steps], steps, d }' "$work/log"
