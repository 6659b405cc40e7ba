#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages), builds in Release, then either
# starts the GUI on its built-in demo data (gui) or runs the whole test suite (test).
#   bash packaging/debian/setup.sh gui|test|build
set -euo pipefail

mode=${1:-gui}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${PRETEXT_BUILD_DIR:-$root/build}

packages=(
    build-essential cmake ninja-build pkg-config ccache
    qt6-base-dev qt6-base-dev-tools libgl-dev
    libqcustomplot-dev libqcustomplot2.1-qt6
    libtorch-dev
    libgloo-dev # c10d's headers include Gloo's: data-parallel training (engine/core/dist)
    libopencv-dev
    libopenblas0-pthread # torch's BLAS; the reference BLAS is several times slower
    fonts-dejavu-core
    zlib1g-dev # IDX files (MNIST, Fashion-MNIST), gzip or plain
    dataset-fashion-mnist # labelled images for the linear probe
    opencv-doc # real photos and videos (examples/data): tests train every task on them
    python3-torch # the benchmark's Python reference (tests/bench/reference.py), tested
    python3-torchvision # tests: exported ResNets load into torchvision; its ResNets in the reference
    python3-sklearn # bench --embedding: scikit-learn's t-SNE, the map's peer
    libjpeg62-turbo-dev # tests: a CMYK JPEG among the hostile files
    clang libclang-rt-14-dev # tests: libFuzzer harnesses of the file parsers
    clang-format # tests: the sources are formatted as .clang-format says
    qt6-svg-dev # build: the application icon's PNGs are rendered from its SVG
    desktop-file-utils appstream # tests: the .desktop file and AppStream metainfo validated
    qt6-l10n-tools # build: lupdate and lrelease for the update_translations target and .qm files
)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "Installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# PRETEXT_CMAKE_ARGS: extra configure options (CI: -DPRETEXT_WERROR=ON).
read -r -a extra <<< "${PRETEXT_CMAKE_ARGS:-}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${extra[@]}"
cmake --build "$build" --parallel "$(nproc)"

case "$mode" in
gui)
    exec "$build/bin/pretext-workbench" --demo
    ;;
test)
    cd "$build"
    exec ctest --output-on-failure --timeout 900
    ;;
build)
    ;;
*)
    echo "usage: $0 gui|test|build" >&2
    exit 2
    ;;
esac
