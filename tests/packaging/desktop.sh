#!/usr/bin/env bash
# The .desktop file and the AppStream metainfo pass their validators (skipped, 77, when
# desktop-file-utils or appstream is not installed).
set -euo pipefail
linux=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../packaging/linux" && pwd)
if ! command -v desktop-file-validate >/dev/null || ! command -v appstreamcli >/dev/null; then
    echo "skipped: desktop-file-validate or appstreamcli missing (Debian: desktop-file-utils appstream)"
    exit 77
fi
desktop-file-validate "$linux"/*.desktop
appstreamcli validate --no-net "$linux"/*.metainfo.xml
echo "valid: $(cd "$linux" && ls *.desktop *.metainfo.xml | tr '\n' ' ')"
