#!/usr/bin/env bash
# Time to visible learning of each task's classroom preset on this machine: trains the
# preset headless (its settings, the demo set at its size) and reads the run's
# metrics.csv. "Visible" means, for inpainting and colorization, the held-out loss at
# most 80% of its value at step 1 (reconstructions and colours visibly better); for the
# classification tasks, held-out accuracy at least chance + 0.25. Prints, per preset,
# the seconds from the first step to that point, and the figures after 60 s.
# The program is found under build/ (or give BUILD_DIR).
#   tests/bench/classroom.sh [--seconds S]   (train each for about S seconds; 75)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
seconds=75
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    *) echo "classroom.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
app="$build/bin/pretext-workbench"
[ -x "$app" ] || { echo "classroom.sh: no $app (build first, or set BUILD_DIR)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
# id and chance level (0: a regression task)
for entry in inpainting-classroom:0 colorization-classroom:0 jigsaw-classroom:0.041667 \
             rotation-classroom:0.25 temporal-classroom:0.333333; do
    id=${entry%%:*} chance=${entry##*:}
    run="$work/$id"
    # The preset's own step count, raised until the run lasts about $seconds.
    timeout $((seconds + 60)) "$app" train --preset "$id" --out "$run" --steps 100000 --device cpu \
        > "$work/$id.log" 2>&1 &
    pid=$!
    sleep "$seconds"
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    python3 - "$run/metrics.csv" "$id" "$chance" <<'PY'
import csv, sys
path, name, chance = sys.argv[1], sys.argv[2], float(sys.argv[3])
rows = [r for r in csv.DictReader(open(path)) if r.get("heldout_loss")]
if not rows:
    print(f"{name:24s} no held-out evaluation was written"); sys.exit(0)
first = float(rows[0]["heldout_loss"])
def visible(r):
    if chance == 0:
        return float(r["heldout_loss"]) <= 0.8 * first
    return float(r.get("heldout_accuracy") or 0) >= chance + 0.25
hit = next((r for r in rows if visible(r)), None)
at60 = [r for r in rows if float(r["wall_time_s"]) <= 60.0][-1]
def acc(r):
    figures = [f"{k[8:]} {float(r[k]):.3f}" for k in ("heldout_accuracy", "heldout_ab_error", "heldout_chroma_ratio") if r.get(k)]
    first_figures = [f"{k[8:]} {float(rows[0][k]):.3f}" for k in ("heldout_ab_error", "heldout_chroma_ratio") if rows[0].get(k)]
    return (", " + ", ".join(figures) if figures else "") + (f" (at step 1: {', '.join(first_figures)})" if first_figures else "")
when = f"visible at {float(hit['wall_time_s']):5.1f} s (step {hit['step']})" if hit else "not visible"
print(f"{name:24s} {when}; held-out loss {first:.4f} at step 1 -> {float(at60['heldout_loss']):.4f} "
      f"at {float(at60['wall_time_s']):.0f} s (step {at60['step']}){acc(at60)}"
      + (f"; chance {chance:.3f}" if chance else ""))
PY
done
