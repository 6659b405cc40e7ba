#!/usr/bin/env bash
# The probe table: each task that applies to grayscale images trained without labels
# on Fashion-MNIST's training images for the same budget, colorization on the colour
# demo set (its training data differ), each then probed on Fashion-MNIST; three seeds;
# mean and spread of the best stage against random weights and raw pixels.
#   tests/bench/probe_table.sh [--steps N] [--seeds "1 2 3"] [--probe-size N] [--batch B]
#                              [--backbone NAME] [--tasks "rotation jigsaw"]   (BUILD_DIR, OUT)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${BUILD_DIR:-$root/build}/bin/pretext-workbench
out=${OUT:-$(mktemp -d)}
steps=800 seeds="1 2 3" probe=5000 backbone=small batch=32
tasks="inpainting jigsaw rotation colorization"
while [ $# -gt 0 ]; do
    case "$1" in
    --backbone) backbone=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --tasks) tasks=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --probe-size) probe=$2; shift 2 ;;
    *) echo "probe_table.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$out"
echo "runs and probes under $out"
# task:size:data (jigsaw at 48 px so that a 3x3 grid leaves tiles of 13 px)
for spec in inpainting:32:fashion-mnist jigsaw:48:fashion-mnist rotation:32:fashion-mnist colorization:32:demo; do
    IFS=: read -r task size data <<< "$spec"
    case " $tasks " in *" $task "*) ;; *) continue ;; esac
    for seed in $seeds; do
        run="$out/$task-$seed"
        [ -f "$run/checkpoint.json" ] || "$bin" train --task "$task" --data "$data" --size "$size" \
            --steps "$steps" --seed "$seed" --batch "$batch" --backbone "$backbone" --out "$run" \
            > "$out/$task-$seed.train.log"
        "$bin" probe --run "$run" --labels fashion-mnist --train-size "$probe" --test-size "$probe" \
            --seed "$seed" --json "$out/$task-$seed.probe.json" > /dev/null
        echo "$task seed $seed: $(tail -1 "$out/$task-$seed.train.log")"
    done
done
/usr/bin/python3 - "$out" "$tasks" $seeds <<'PY'
import json, statistics, sys
out, tasks, seeds = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
def ms(v):
    return f"{100 * statistics.mean(v):.1f} ± {100 * (statistics.stdev(v) if len(v) > 1 else 0):.1f}"
print("\n| task (trained on) | best stage | probe accuracy % | random weights % | raw pixels % |")
print("|---|---|---|---|---|")
every = [("inpainting", "Fashion-MNIST"), ("jigsaw", "Fashion-MNIST"), ("rotation", "Fashion-MNIST"),
         ("colorization", "colour demo set")]
chosen = [(t, d) for t, d in every if t in tasks]
for task, data in chosen:
    runs = [json.load(open(f"{out}/{task}-{s}.probe.json")) for s in seeds]
    # The stage that is best on average over the seeds, for the probe and the baseline alike.
    n = len(runs[0]["stages"])
    best = max(range(n), key=lambda k: statistics.mean(r["stages"][k]["accuracy"] for r in runs))
    rbest = max(range(n), key=lambda k: statistics.mean(r["random_weights"][k]["accuracy"] for r in runs))
    print(f"| {task} ({data}) | {best + 1} | {ms([r['stages'][best]['accuracy'] for r in runs])} | "
          f"{ms([r['random_weights'][rbest]['accuracy'] for r in runs])} (stage {rbest + 1}) | "
          f"{ms([r['raw_pixels']['accuracy'] for r in runs])} |")
print("\n| task | stage | probe accuracy % | random weights % | difference (points) |")
print("|---|---|---|---|---|")
for task, data in chosen:
    runs = [json.load(open(f"{out}/{task}-{s}.probe.json")) for s in seeds]
    for k in range(len(runs[0]["stages"])):
        trained = [r["stages"][k]["accuracy"] for r in runs]
        random = [r["random_weights"][k]["accuracy"] for r in runs]
        diff = [100 * (a - b) for a, b in zip(trained, random)]
        print(f"| {task} | {k + 1} | {ms(trained)} | {ms(random)} | "
              f"{statistics.mean(diff):+.1f} ± {statistics.stdev(diff) if len(diff) > 1 else 0:.1f} |")
r = runs[0]
print(f"\nencoder {r.get('encoder', 'small')}; {len(seeds)} seeds; probe: {r['train_size']} training and {r['test_size']} test images of "
      f"{r['labels']}, chance {100 * r['chance']:.0f}%")
PY
