#!/usr/bin/env bash
# GPU figures, for a machine with CUDA and a Python torch but no Qt or OpenCV: builds
# the core-only benchmark against the LibTorch inside that torch, runs every task on
# the GPU and on the CPU, and the Python reference on the GPU, and prints the table.
#   tests/bench/gpu.sh [--steps N] [--size PX] [--batch B]     (PYTHON, BUILD_DIR, OUT)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
build=${BUILD_DIR:-$root/build-core}
out=${OUT:-$(mktemp -d)}
steps=60 size=64 batch=32
while [ $# -gt 0 ]; do
    case "$1" in
    --steps) steps=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    *) echo "gpu.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$out"
prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
"$python" -c 'import torch; print("torch", torch.__version__, "CUDA", torch.version.cuda, "device", torch.cuda.get_device_name(0))'
generator=()
command -v ninja > /dev/null && generator=(-G Ninja)
t0=$(date +%s)
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DPRETEXT_CORE_ONLY=ON \
    -DCMAKE_PREFIX_PATH="$prefix" > "$out/cmake.log"
cmake --build "$build" --parallel "$(nproc)" > "$out/build.log"
echo "core-only build: $(( $(date +%s) - t0 )) s"
bench=("$build/bench/pretext-bench" --size "$size" --batch "$batch")
"${bench[@]}" --task all --device cuda --steps "$steps" --json "$out/cuda.json" | tee "$out/cuda.txt"
"$python" "$here/reference.py" --spec "$out/cuda.json" --device cuda --json "$out/py-cuda.json"
"${bench[@]}" --task all --device cpu --steps 12 --json "$out/cpu.json" > "$out/cpu.txt"
"$python" "$here/reference.py" --spec "$out/cpu.json" --device cpu --json "$out/py-cpu.json"
echo
"$python" "$here/table.py" --cpp "$out/cuda.json" --py "$out/py-cuda.json" --ceiling "$out/cuda.json"
"$python" "$here/table.py" --cpp "$out/cpu.json" --py "$out/py-cpu.json" --ceiling "$out/cpu.json"
