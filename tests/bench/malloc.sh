#!/usr/bin/env bash
# What the allocator setting (engine/core/Memory.h) is worth, on both sides: rounds of
# four runs one after the other, the program's model step with freed memory kept (as it
# ships) and with malloc as found (--malloc-defaults), the Python reference with glibc's
# defaults (as a PyTorch script runs) and with the same setting (GLIBC_TUNABLES). Prints
# each round and the median and best of each, and the ratios of the medians.
#   tests/bench/malloc.sh [--task T] [--rounds R] [--steps N]   (BUILD_DIR: the build)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
task=rotation rounds=6 steps=6
while [ $# -gt 0 ]; do
    case "$1" in
    --task) task=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    *) echo "malloc.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
bench=$build/bin/pretext-workbench
[ -x "$bench" ] || { echo "malloc.sh: no $bench (build first, or set BUILD_DIR)" >&2; exit 2; }
python=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--task "$task" --steps "$steps" --no-loaders --no-ceiling)
# The figure after "model step alone" (C++) or after the task's name (Python).
cpp_rate() { "$bench" bench "${common[@]}" "$@" | sed -n 's/.*model step alone *\([0-9.]*\).*/\1/p'; }
py_rate() { env "$@" "$python" "$here/reference.py" --spec "$work/spec.json" | sed -n 's/^reference [^:]*: \([0-9.]*\).*/\1/p'; }
for r in $(seq "$rounds"); do
    a=$(cpp_rate --json "$work/spec.json")
    # The program's setting, as its JSON states it, for the Python side.
    kept="GLIBC_TUNABLES=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["malloc_tunables"])' "$work/spec.json")"
    b=$(cpp_rate --malloc-defaults)
    c=$(py_rate X=1)
    d=$(py_rate "$kept")
    echo "round $r: C++ kept $a  C++ defaults $b  Python defaults $c  Python kept $d" | tee -a "$work/rounds.txt"
done
"$python" - "$work/rounds.txt" "$task" <<'PY'
import statistics, sys
cols = {"C++ kept": [], "C++ defaults": [], "Python defaults": [], "Python kept": []}
for line in open(sys.argv[1]):
    v = line.split(":", 1)[1].split()
    for i, k in enumerate(cols):
        cols[k].append(float(v[3 * i + 2]))
med = {k: statistics.median(v) for k, v in cols.items()}
print(f"{sys.argv[2]}, model step, images/s: " + "; ".join(
    f"{k} median {med[k]:.1f} (best {max(v):.1f})" for k, v in cols.items()))
print(f"ratios of the medians: program as shipped / Python as a script runs "
      f"{med['C++ kept'] / med['Python defaults']:.2f}; both with freed memory kept "
      f"{med['C++ kept'] / med['Python kept']:.2f}; both with malloc as found "
      f"{med['C++ defaults'] / med['Python defaults']:.2f}")
PY
