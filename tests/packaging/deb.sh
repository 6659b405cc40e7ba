#!/usr/bin/env bash
# Builds the .deb (cpack), installs it with apt-get as a user would, runs the installed
# program (--version, a short headless training, a screenshot), checks the installed
# desktop files, and removes the package again. Needs root (or sudo without a
# password); skipped (77) otherwise.
#   tests/packaging/deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || { echo "skipped: installing a package needs root or sudo"; exit 77; }
    sudo="sudo -n"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" >cpack.log 2>&1) || { tail -30 "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/pretext-workbench_*.deb)
echo "package: $(basename "$deb"), $(($(stat -c %s "$deb") / 1024)) KB"
echo "depends: $(dpkg-deb -f "$deb" Depends)"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" >"$work/apt.log" 2>&1 ||
    { tail -30 "$work/apt.log"; exit 1; }
status=0
{
    /usr/bin/pretext-workbench --version
    QT_QPA_PLATFORM=offscreen /usr/bin/pretext-workbench train --task inpainting --data demo --size 32 \
        --batch 4 --steps 3 --param base_channels=8 --device cpu --out "$work/run" | tail -2
    test -s "$work/run/checkpoint.pt"
    QT_QPA_PLATFORM=offscreen /usr/bin/pretext-workbench --screenshot "$work/shot.png" | grep -q "wrote"
    desktop-file-validate /usr/share/applications/org.pretextworkbench.PretextWorkbench.desktop
    appstreamcli validate --no-net /usr/share/metainfo/org.pretextworkbench.PretextWorkbench.metainfo.xml >/dev/null
    test -s /usr/share/icons/hicolor/256x256/apps/pretext-workbench.png
    test -s /usr/share/icons/hicolor/scalable/apps/pretext-workbench.svg
} || status=1
$sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q pretext-workbench >/dev/null 2>&1 || status=1
[ $status -eq 0 ] && echo "installed, ran and removed: ok"
exit $status
