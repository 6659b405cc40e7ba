#!/usr/bin/env bash
# The .desktop file and the AppStream metainfo (as configured into the build folder, and
# its variant with the screenshot list) pass their validators (skipped, 77, when
# desktop-file-utils or appstream is not installed).
#   desktop.sh BUILD_DIR
set -euo pipefail
linux=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../packaging/linux" && pwd)
build=${1:?usage: desktop.sh BUILD_DIR}
if ! command -v desktop-file-validate >/dev/null || ! command -v appstreamcli >/dev/null; then
    echo "skipped: desktop-file-validate or appstreamcli missing (Debian: desktop-file-utils appstream)"
    exit 77
fi
desktop-file-validate "$linux"/*.desktop
metainfo=org.pretextworkbench.PretextWorkbench.metainfo.xml
appstreamcli validate --no-net "$build/packaging/$metainfo"
appstreamcli validate --no-net "$build/packaging/check/$metainfo"
grep -q '<caption>' "$build/packaging/check/$metainfo"
echo "valid: $(cd "$linux" && ls *.desktop | tr '\n' ' ')$metainfo (with and without screenshots)"
