#!/usr/bin/env bash
# Trains every task's default model in the C++ program and in the Python reference
# (tests/bench/reference.py, Debian's python3-torch: the same LibTorch underneath), in
# this one session, round by round over the tasks, alternating C++ and Python, and
# prints one line per task (the fastest round of each side) with the
# ratio. The program is found under build/ (or give BUILD_DIR); a core-only build's
# pretext-bench is used when there is no app.
# The program keeps freed memory for reuse (engine/core/Memory.h); the reference runs
# with glibc's defaults, as a PyTorch script does, unless --python-malloc-kept gives it
# the same setting (through GLIBC_TUNABLES); --malloc-defaults leaves the program's
# allocator as found instead. Each round runs the program twice, with every convolution
# by LibTorch's own kernels (--conv-route libtorch, as PyTorch runs them) and with the
# routes it measures per layer (--conv-route auto), so each line says what the choice is
# worth against LibTorch's route and against Python.
#   tests/bench/compare.sh [--size PX] [--batch B] [--steps N] [--rounds R] [--task T|all]
#                          [--backbone small|resnet18|resnet34|resnet50]
#                          [--precision fp32|bf16|amp] [--python-malloc-kept] [--malloc-defaults]
# With a ResNet backbone the reference is torchvision's own model (reference_nets.py);
# with --precision both sides run under the same autocast.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
size=64 batch=32 steps=30 rounds=2 task=all backbone=small
cpp_opts=() py_kept=0
while [ $# -gt 0 ]; do
    case "$1" in
    --size) size=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --task) task=$2; shift 2 ;;
    --backbone) backbone=$2; shift 2 ;;
    --precision) cpp_opts+=(--precision "$2"); shift 2 ;;
    --malloc-defaults) cpp_opts+=(--malloc-defaults); shift ;;
    --python-malloc-kept) py_kept=1; shift ;;
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
[ "$task" = all ] && tasks="inpainting jigsaw colorization temporal-order rotation"
common=(--size "$size" --batch "$batch" --steps "$steps" --backbone "$backbone")
"${bench[@]}" --task inpainting "${common[@]}" --steps 1 --no-loaders --json "$work/ceiling.json" > "$work/ceiling.txt"
head -1 "$work/ceiling.txt"
# Round by round over the tasks (not task by task), so that a slow minute on a shared
# machine costs one round of several tasks rather than every round of one.
for r in $(seq "$rounds"); do
    for t in $tasks; do
        # The two routes in turn, the first alternating by round.
        if [ $((r % 2)) = 1 ]; then routes="libtorch auto"; else routes="auto libtorch"; fi
        for route in $routes; do
            # The auto run also times its chosen routes against LibTorch's in its own
            # process, alternating (--conv-rounds): no drift between processes in that one.
            rounds_opt=()
            [ "$route" = auto ] && rounds_opt=(--conv-rounds 5)
            "${bench[@]}" --task "$t" "${common[@]}" "${cpp_opts[@]}" --conv-route "$route" "${rounds_opt[@]}" \
                --no-loaders --no-ceiling --json "$work/cpp-$route-$t-$r.json" > "$work/cpp-$route-$t-$r.txt"
        done
        py_env=(X=1)
        if [ "$py_kept" = 1 ]; then # the program's setting, as its JSON states it
            py_env=("GLIBC_TUNABLES=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["malloc_tunables"])' "$work/cpp-auto-$t-$r.json")")
        fi
        env "${py_env[@]}" "$python" "$here/reference.py" --spec "$work/cpp-auto-$t-$r.json" --json "$work/py-$t-$r.json" > /dev/null
    done
done
cpp=() lib=() py=()
for t in $tasks; do
    for r in $(seq "$rounds"); do
        cpp+=("$work/cpp-auto-$t-$r.json") lib+=("$work/cpp-libtorch-$t-$r.json") py+=("$work/py-$t-$r.json")
    done
done
"$python" "$here/table.py" --cpp "${cpp[@]}" --libtorch "${lib[@]}" --py "${py[@]}" --ceiling "$work/ceiling.json"
