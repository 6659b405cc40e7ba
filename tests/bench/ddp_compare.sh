#!/usr/bin/env bash
# The program's data-parallel training against PyTorch's DistributedDataParallel on this
# machine, in one session: `pretext-workbench bench --nproc N` (its ranks, Gloo, the
# program's gradient buckets) and tests/bench/ddp_reference.py (N Python ranks, Gloo,
# DDP over the same model: torchvision's for a ResNet backbone), round by round,
# alternating. Both time the model step alone on a fixed batch per rank with one torch
# thread per rank (on 2 CPUs, 2 ranks), and one process with every thread on the same
# global batch; the lines printed are the fastest round of each side: the ratio of the
# ranks, of the single processes, and each side's scaling.
#   tests/bench/ddp_compare.sh [--task T] [--backbone B] [--size PX] [--batch B] [--steps N]
#                              [--nproc N] [--rounds R] [--conv-route auto|libtorch|fast]
#   (--batch: per rank; --conv-route libtorch: every convolution by LibTorch's kernels, as
#   PyTorch runs them, to see the communication and the step apart from the routes)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
task=rotation backbone=resnet18 size=32 batch=16 steps=10 nproc=2 rounds=2 route=auto
while [ $# -gt 0 ]; do
    case "$1" in
    --task) task=$2; shift 2 ;;
    --backbone) backbone=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --nproc) nproc=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --conv-route) route=$2; shift 2 ;;
    *) echo "ddp_compare.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
app=$build/bin/pretext-workbench
if [ ! -x "$app" ]; then
    echo "ddp_compare.sh: no $app (build first, or set BUILD_DIR)" >&2
    exit 2
fi
python=${PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import torch.distributed as d; assert d.is_available() and d.is_gloo_available()' 2>/dev/null; then
    echo "ddp_compare.sh: $python has no torch with Gloo (Debian: apt-get install python3-torch)" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--task "$task" --backbone "$backbone" --size "$size" --batch "$batch")
# The model's shapes and rate for the reference (one rank's batch, one thread).
"$app" bench "${common[@]}" --steps 1 --threads 1 --no-ceiling --no-loaders --json "$work/spec.json" > /dev/null
for r in $(seq "$rounds"); do
    "$app" bench --nproc "$nproc" "${common[@]}" --conv-route "$route" --steps "$steps" --json "$work/app-$r.json" > "$work/app-$r.txt"
    [ "$r" = 1 ] && cat "$work/app-$r.txt"
    "$python" "$here/ddp_reference.py" --spec "$work/spec.json" --nproc "$nproc" --steps "$steps" \
        --json "$work/ddp-$r.json" > "$work/ddp-$r.txt"
    [ "$r" = 1 ] && cat "$work/ddp-$r.txt"
done
"$python" - "$work" "$rounds" "$task" "$backbone" "$size" "$batch" "$nproc" "$route" <<'PY'
import json, os, sys
work, rounds, task, backbone, size, batch, nproc, route = sys.argv[1:]
load = lambda name: json.load(open(os.path.join(work, name)))
app = [load(f"app-{r}.json") for r in range(1, int(rounds) + 1)]
ddp = [load(f"ddp-{r}.json") for r in range(1, int(rounds) + 1)]
ranks = max(a["ranks"]["model_images_per_s"] for a in app)
train = max(a["ranks"]["images_per_s"] for a in app)
one = max(a["one_process"]["model_images_per_s"] for a in app)
peer = max(d["ranks"]["model_images_per_s"] for d in ddp)
peer_one = max(d["one_process"]["model_images_per_s"] for d in ddp)
print(f"\n{task}, {backbone}, {size} px, {batch} per rank, {nproc} ranks, convolutions {route}, "
      f"fastest of {rounds} rounds:")
print(f"  program, {nproc} ranks: model step {ranks:.1f} images/s (full training step {train:.1f})")
print(f"  PyTorch DDP, {nproc} ranks: model step {peer:.1f} images/s")
print(f"  program / DDP: {ranks / peer:.2f}x  (one process each: program {one:.1f}, "
      f"PyTorch {peer_one:.1f} images/s, {one / peer_one:.2f}x)")
print(f"  scaling, {nproc} ranks / one process: program {ranks / one:.2f}x, "
      f"PyTorch DDP {peer / peer_one:.2f}x")
PY
