#!/usr/bin/env bash
# Trains every task's default model in the C++ program and in the Python reference
# (tests/bench/reference.py, Debian's python3-torch: the same LibTorch underneath), in
# this one session, task by task, alternating, and prints one line per task with the
# ratio. The program is found under build/ (or give BUILD_DIR); a core-only build's
# pretext-bench is used when there is no app.
#   tests/bench/compare.sh [--size PX] [--batch B] [--steps N] [--rounds R] [--task T|all]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
size=64 batch=32 steps=30 rounds=2 task=all
while [ $# -gt 0 ]; do
    case "$1" in
    --size) size=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --task) task=$2; shift 2 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -x "$build/bin/pretext-workbench" ]; then
    bench=("$build/bin/pretext-workbench" bench)
elif [ -x "$build/bench/pretext-bench" ]; then
    bench=("$build/bench/pretext-bench")
else
    echo "compare.sh: no pretext-workbench or pretext-bench under $build (build first, or set BUILD_DIR)" >&2
    exit 2
fi
python=${PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "compare.sh: $python cannot import torch (Debian: apt-get install python3-torch)" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tasks=$task
[ "$task" = all ] && tasks="inpainting jigsaw colorization temporal-order"
common=(--size "$size" --batch "$batch" --steps "$steps")
"${bench[@]}" --task inpainting "${common[@]}" --steps 1 --no-loaders --json "$work/ceiling.json" > "$work/ceiling.txt"
head -1 "$work/ceiling.txt"
for t in $tasks; do
    for r in $(seq "$rounds"); do
        "${bench[@]}" --task "$t" "${common[@]}" --no-loaders --no-ceiling --json "$work/cpp-$t-$r.json" > "$work/cpp-$t-$r.txt"
        "$python" "$here/reference.py" --spec "$work/cpp-$t-$r.json" --json "$work/py-$t-$r.json" > /dev/null
    done
done
"$python" - "$work" "$rounds" "$work/ceiling.json" $tasks <<'PY'
import json, sys
work, rounds, ceiling_file, tasks = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
ceiling = json.load(open(ceiling_file)).get("ceiling", {})
conv = ceiling.get("conv_gflops", 0)
bad = False
for t in tasks:
    cpp = [json.load(open(f"{work}/cpp-{t}-{r}.json"))["tasks"][0] for r in range(1, rounds + 1)]
    py = [json.load(open(f"{work}/py-{t}-{r}.json"))["tasks"][0] for r in range(1, rounds + 1)]
    c = max(cpp, key=lambda e: e["model_images_per_s"])
    app = max(e["train_images_per_s"] for e in cpp)
    p = max(py, key=lambda e: e["model_images_per_s"])
    same = c["parameters"] == p["parameters"] and c["forward_flops"] == p["forward_flops"]
    bad |= not same
    print(f"{t:15s} C++ {c['model_images_per_s']:7.1f} images/s  Python {p['model_images_per_s']:7.1f} images/s"
          f"  ratio {c['model_images_per_s'] / p['model_images_per_s']:.2f}"
          f"  | app step (new batch, loss read) {app:6.1f} images/s, ratio {app / p['model_images_per_s']:.2f}"
          f"  | C++ {c['model_gflops']:.1f} GFLOP/s"
          + (f" = {100 * c['model_gflops'] / conv:.0f}% of the conv ceiling" if conv else "")
          + f"  | {c['parameters']} parameters, {c['forward_flops'] / 1e6:.1f} MFLOP"
          + ("" if same else f"  MISMATCH: Python has {p['parameters']} parameters, {p['forward_flops']} FLOPs"))
print(f"best of {rounds} rounds each; {cpp[0]['threads']}; Python: {py[0]['threads']}, torch {py[0]['torch']}")
sys.exit(1 if bad else 0)
PY
