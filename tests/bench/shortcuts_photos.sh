#!/usr/bin/env bash
# The jigsaw shortcut diagnostics on photographs instead of the demo set (per-tile
# normalisation against vignetting and exposure, channel jitter against chromatic
# aberration: cues the demo set lacks; and the gaps), and the temporal-order motion
# filter on a filmed video when the folder holds opencv-doc's, each probed. The
# photographs: a folder given with --photos, or else the sample photographs of Debian's
# opencv-doc package (installed with apt-get when missing). The program is found under
# build/ (or give BUILD_DIR).
#   tests/bench/shortcuts_photos.sh [--photos DIR] [--steps N]   (800)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
steps=800
photos=""
while [ $# -gt 0 ]; do
    case "$1" in
    --photos) photos=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    *) echo "shortcuts_photos.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
app="$build/bin/pretext-workbench"
[ -x "$app" ] || { echo "shortcuts_photos.sh: no $app (build first, or set BUILD_DIR)" >&2; exit 2; }
if [ -z "$photos" ]; then
    photos=/usr/share/doc/opencv-doc/examples/data
    if [ ! -d "$photos" ]; then
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends opencv-doc
    fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Colour photographs only (grey ones carry no chromatic cue), the larger ones.
mkdir -p "$work/photos"
find "$photos" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) -size +20k |
    while read -r f; do ln -s "$f" "$work/photos/"; done
echo "photographs: $(ls "$work/photos" | wc -l) files from $photos"
for id in jigsaw-normalize jigsaw-color-jitter jigsaw-gaps; do
    echo "== $id"
    "$app" shortcuts "$id" --data "$work/photos" --steps "$steps" --probe --workspace "$work/runs" 2>&1 |
        grep -v '^probing'
done
# A filmed video (opencv-doc's): the motion filter on real footage.
video=$(find "$photos" -maxdepth 1 -name 'Megamind.avi' | head -1)
if [ -n "$video" ]; then
    echo "== temporal-motion on $(basename "$video")"
    "$app" shortcuts temporal-motion --data "$video" --steps "$steps" --probe --workspace "$work/runs" 2>&1 |
        grep -v '^probing'
fi
