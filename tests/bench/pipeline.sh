#!/usr/bin/env bash
# The input pipeline on large generated sets of photo-like JPEGs (256-640 px):
#  - index time and the pipeline's images/s per decode thread against what each task's
#    training step consumes at 64 px (bench --data);
#  - peak resident memory of a 128 px training run on 5,000 and on 50,000 files (it must
#    not depend on the number of files);
#  - with --soak MINUTES, a long run on the large set: resident memory after the first
#    epoch and at the end.
#   tests/bench/pipeline.sh [--files N] [--small N] [--soak MINUTES] [--keep DIR]   (BUILD_DIR)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
files=50000 small=5000 soak=0 keep=""
while [ $# -gt 0 ]; do
    case "$1" in
    --files) files=$2; shift 2 ;;
    --small) small=$2; shift 2 ;;
    --soak) soak=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "pipeline.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
app="$build/bin/pretext-workbench"
make="$build/bench/pretext-make-images"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sets=${keep:-$work/sets}
lscpu | grep -E "^(Model name|CPU\(s\))" | sed 's/  */ /g'
for n in "$small" "$files"; do
    if [ ! -d "$sets/$n" ]; then
        start=$(date +%s.%N)
        "$make" "$sets/$n" "$n" >/dev/null
        echo "made $n JPEGs in $(echo "$(date +%s.%N) - $start" | bc) s"
    fi
done
sync
echo "== pipeline against training, 64 px, every image task =="
"$app" bench --task all --data "$sets/$files" --size 64 --steps 15 --no-ceiling --no-loaders \
    2>&1 | grep -E "input pipeline|pipeline / training"
echo "== peak resident memory of a 128 px training run (streamed) =="
for n in "$small" "$files"; do
    "$app" train --task inpainting --data "$sets/$n" --size 128 --batch 32 --steps 60 \
        --memory-at 60 --out "$work/run$n" | grep -E "^(loaded|resident)" | sed "s/^/  $n files: /"
done
if [ "$soak" -gt 0 ]; then
    echo "== $soak-minute run on $files files, 64 px =="
    # Steps for the time asked, from a short measurement; memory after the first epoch
    # (its warm-up) and at the end.
    epoch=$(( files * 7 / 8 / 32 ))
    "$app" train --task jigsaw --data "$sets/$files" --size 64 --batch 32 --steps 40 \
        --out "$work/probe" > "$work/probe.log"
    rate=$(grep -Eo "[0-9.]+ images/s" "$work/probe.log" | tail -1 | cut -d' ' -f1)
    steps=$(echo "$rate * 60 * $soak / 32" | bc)
    [ "$steps" -gt "$epoch" ] || steps=$(( epoch + 100 ))
    "$app" train --task jigsaw --data "$sets/$files" --size 64 --batch 32 --steps "$steps" \
        --checkpoint-every 2000 --memory-at "$epoch,$steps" --out "$work/soak" \
        | grep -E "^resident" | tee "$work/soak.log"
    awk '{ sub(":", "", $5); mb[NR] = $6 } END { printf "growth after the first epoch: %+.2f%%\n", 100 * (mb[2] - mb[1]) / mb[1] }' "$work/soak.log"
fi
