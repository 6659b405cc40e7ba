#!/usr/bin/env bash
# GPU figures, for a machine with CUDA and a Python torch but no Qt or OpenCV: builds
# the core-only benchmark against the LibTorch inside that torch, runs every task on
# the GPU and on the CPU, and the Python reference on the GPU and the CPU, and prints
# the tables. A task that fails is reported and the others still run.
# Then the backbones on the GPU: rotation (4 network inputs per image) with each ResNet
# at 224 px, in fp32, amp (bf16 where the GPU computes it) and fp16 with loss scaling,
# C++ and Python (torchvision's model under the same autocast), with the peak GPU memory.
#   tests/bench/gpu.sh [--steps N] [--size PX] [--batch B] [--rounds R] [--devices "cuda cpu"]
#                      [--backbones "resnet18 resnet50"] [--bb-size PX] [--bb-batch B] [--with-nccl]
# Last, data-parallel training on the GPU (bench/dist_check.cpp): two ranks over Gloo with
# CUDA tensors in fp32, amp and fp16, and over NCCL where the build has it (--with-nccl:
# -DPRETEXT_WITH_NCCL=ON) and the machine two GPUs; the ranks must stay bit-identical.
#   (environment: PYTHON, BUILD_DIR, OUT: where the logs and JSON files go)
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
build=${BUILD_DIR:-$root/build-core}
out=${OUT:-$(mktemp -d)}
steps=60 size=64 batch=32 rounds=2 devices="cuda cpu" backbones="resnet18" bb_size=224 bb_batch=32
nccl=OFF
while [ $# -gt 0 ]; do
    case "$1" in
    --steps) steps=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --backbones) backbones=$2; shift 2 ;;
    --bb-size) bb_size=$2; shift 2 ;;
    --bb-batch) bb_batch=$2; shift 2 ;;
    --with-nccl) nccl=ON; shift ;;
    *) echo "gpu.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$out"
tasks="inpainting jigsaw colorization temporal-order rotation"
prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)') || exit 1
"$python" -c 'import torch; print("torch", torch.__version__, "CUDA", torch.version.cuda, "device",
      torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none")'
command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

bench=("$build/bench/pretext-bench")
if [ ! -x "${bench[0]}" ]; then
    generator=() keep_going=()
    command -v ninja > /dev/null && generator=(-G Ninja) keep_going=(-- -k 0)
    t0=$(date +%s)
    if ! cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DPRETEXT_CORE_ONLY=ON \
        -DCMAKE_PREFIX_PATH="$prefix" -DPRETEXT_WITH_NCCL="$nccl" > "$out/cmake.log" 2>&1; then
        tail -40 "$out/cmake.log"
        exit 1
    fi
    if ! cmake --build "$build" --parallel "$(nproc)" "${keep_going[@]}" > "$out/build.log" 2>&1; then
        grep -E -A4 "error|undefined reference" "$out/build.log" | head -120
        exit 1
    fi
    echo "core-only build: $(( $(date +%s) - t0 )) s on $(nproc) cores"
fi
common=(--size "$size" --batch "$batch")

# One device: the ceiling, then each task C++ and Python alternately, several rounds.
run_device() {
    local device=$1 n=$2
    "${bench[@]}" --task inpainting "${common[@]}" --device "$device" --steps 1 --no-loaders \
        --json "$out/ceiling-$device.json" > "$out/ceiling-$device.txt" 2>&1 &&
        head -1 "$out/ceiling-$device.txt"
    for t in $tasks; do
        for r in $(seq "$rounds"); do
            local c="$out/cpp-$device-$t-$r" p="$out/py-$device-$t-$r"
            if ! "${bench[@]}" --task "$t" "${common[@]}" --device "$device" --steps "$n" --no-ceiling \
                --json "$c.json" > "$c.txt" 2>&1; then
                echo "$t on $device: the C++ benchmark failed:"; tail -5 "$c.txt"; rm -f "$c.json"; break
            fi
            [ "$r" = 1 ] && grep -v "^ *$" "$c.txt" | head -12
            if ! "$python" "$here/reference.py" --spec "$c.json" --device "$device" --json "$p.json" > "$p.txt" 2>&1; then
                echo "$t on $device: the Python reference failed:"; tail -5 "$p.txt"; rm -f "$p.json"
            fi
        done
    done
    local cpp=("$out"/cpp-"$device"-*.json) py=("$out"/py-"$device"-*.json)
    echo
    if [ -e "${cpp[0]}" ] && [ -e "${py[0]}" ]; then
        local ceiling=()
        [ -e "$out/ceiling-$device.json" ] && ceiling=(--ceiling "$out/ceiling-$device.json")
        "$python" "$here/table.py" --cpp "${cpp[@]}" --py "${py[@]}" "${ceiling[@]}"
    fi
    echo
}

for d in $devices; do
    if [ "$d" = cpu ]; then rounds=1 run_device cpu 12; else run_device "$d" "$steps"; fi
done

# The backbones on the GPU, each precision C++ then Python.
if "$python" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'; then
    for bb in $backbones; do
        for prec in fp32 amp fp16; do
            c="$out/bb-$bb-$prec"
            if ! "${bench[@]}" --task rotation --backbone "$bb" --size "$bb_size" --batch "$bb_batch" \
                --device cuda --steps "$steps" --precision "$prec" --no-ceiling --json "$c.json" > "$c.txt" 2>&1; then
                echo "$bb $prec: the C++ benchmark failed:"; tail -5 "$c.txt"; rm -f "$c.json"; continue
            fi
            if ! "$python" "$here/reference.py" --spec "$c.json" --device cuda --json "$c-py.json" > "$c-py.txt" 2>&1; then
                echo "$bb $prec: the Python reference failed:"; tail -5 "$c-py.txt"; rm -f "$c-py.json"
            fi
        done
    done
    "$python" - "$out" $backbones <<'PY'
import json, os, sys
out, backbones = sys.argv[1], sys.argv[2:]
def load(path):
    try:
        with open(path) as f:
            return json.load(f)["tasks"][0]
    except (OSError, KeyError, IndexError, ValueError):
        return None
print("backbone   precision  taken  C++ model step   Python model step   C++/Py  vs fp32  peak GPU MB")
for bb in backbones:
    base = None
    for prec in ("fp32", "amp", "fp16"):
        c = load(os.path.join(out, f"bb-{bb}-{prec}.json"))
        p = load(os.path.join(out, f"bb-{bb}-{prec}-py.json"))
        if c is None:
            continue
        ci = c["model_images_per_s"]
        base = base or (ci if prec == "fp32" else None)
        pi = p["model_images_per_s"] if p else float("nan")
        print(f"{bb:10} {prec:10} {c['precision']:6} {ci:9.1f} img/s   {pi:11.1f} img/s   "
              f"{ci / pi:6.2f}  {ci / base if base else float('nan'):6.2f}x  {c['peak_gpu_mb']:10.0f}")
PY
fi

# Data-parallel training with CUDA tensors: every line must end "ok".
check=("$build/bench/pretext-dist-check")
if [ -x "${check[0]}" ] && "$python" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'; then
    echo
    for prec in fp32 amp fp16; do
        "${check[@]}" --device cuda --backend gloo --precision "$prec" --backbone resnet18 --size 64 \
            --batch 32 --steps 5 2>&1 | tail -3
    done
    [ "$nccl" = ON ] && "${check[@]}" --device cuda --backend nccl --precision amp --backbone resnet18 \
        --size 64 --batch 32 --steps 5 2>&1 | tail -3
fi
exit 0
