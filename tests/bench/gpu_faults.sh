#!/usr/bin/env bash
# The out-of-memory path with a real GPU, for a machine with CUDA and a Python torch
# (no Qt, no OpenCV): builds the core-only check against that torch's LibTorch and runs
# it for two tasks. On the CPU the same path is tested with --inject-fault (test_faults).
#   tests/bench/gpu_faults.sh      (environment: PYTHON, BUILD_DIR)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
python=${PYTHON:-python3}
build=${BUILD_DIR:-$root/build-core}
prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)') || exit 1
"$python" -c 'import torch; print("torch", torch.__version__, "CUDA", torch.version.cuda, "device",
      torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none")'
generator=()
command -v ninja > /dev/null && generator=(-G Ninja)
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DPRETEXT_CORE_ONLY=ON \
    -DCMAKE_PREFIX_PATH="$prefix" > /dev/null || exit 1
t0=$(date +%s)
cmake --build "$build" --target pretext-oom-check --parallel "$(nproc)" > "$build/oom-build.log" 2>&1 ||
    { tail -40 "$build/oom-build.log"; exit 1; }
echo "built in $(( $(date +%s) - t0 )) s"
for task in inpainting jigsaw; do
    echo "== $task"
    "$build/bench/pretext-oom-check" --task "$task" --free-gib 4 --size 128
done
