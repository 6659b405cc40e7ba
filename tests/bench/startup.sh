#!/usr/bin/env bash
# Cold and warm start of the window on its demo data: milliseconds from the process's
# start (loading Qt, LibTorch and OpenCV included) to the window's first paint and to
# the first preview of the demo set drawn in it (the program's PRETEXT_REPORT_STARTUP
# hook). Cold: the page cache dropped first (needs root; skipped otherwise). Warm: the
# median of 5 runs. Offscreen, and under Xvfb as well when it is installed. The program
# is found under build/ (or give BUILD_DIR).
#   tests/bench/startup.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
app="$build/bin/pretext-workbench"
[ -x "$app" ] || { echo "startup.sh: no $app (build first, or set BUILD_DIR)" >&2; exit 2; }
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
once() { # prints "paint preview" in ms
    XDG_CONFIG_HOME="$config" PRETEXT_REPORT_STARTUP=quit timeout 120 "$app" --demo 2>&1 |
        awk '/first paint/ {p=$(NF-5)} /previewed/ {v=$(NF-5)} END {print p, v}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run_set() { # label
    local label=$1 cold="-"
    if [ "$(id -u)" -eq 0 ] && sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then
        cold=$(once)
    fi
    local runs=()
    for _ in 1 2 3 4 5; do runs+=("$(once)"); done
    local paint preview
    paint=$(printf '%s\n' "${runs[@]}" | awk '{print $1}' | median)
    preview=$(printf '%s\n' "${runs[@]}" | awk '{print $2}' | median)
    printf '%-10s cold: first paint %s ms, demo previewed %s ms | warm (median of 5): first paint %s ms, demo previewed %s ms\n' \
        "$label" "${cold% *}" "${cold#* }" "$paint" "$preview"
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
QT_QPA_PLATFORM=offscreen run_set offscreen
if [ -x /usr/bin/Xvfb ]; then
    disp=:$((90 + RANDOM % 400))
    Xvfb "$disp" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
    xpid=$!
    sleep 1
    DISPLAY=$disp QT_QPA_PLATFORM=xcb run_set xcb
    kill "$xpid" 2>/dev/null || true
fi
