#!/usr/bin/env bash
# The layering is enforced by the build: a target set up as ui/ is (linking pretext_ui)
# compiles a file that includes the session's UI-facing headers, and fails on one that
# includes LibTorch, because torch's include paths never reach it.
#   tests/layering/check.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: check.sh BUILD_DIR}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! cmake --build "$build" --target layering_ui_ok > "$log" 2>&1; then
    cat "$log"
    echo "FAIL: the control (session headers from a UI target) does not build"
    exit 1
fi
if cmake --build "$build" --target layering_ui_torch > "$log" 2>&1; then
    echo "FAIL: a UI target compiled a file that includes <torch/torch.h>"
    exit 1
fi
if ! grep -q "torch/torch.h: No such file or directory" "$log"; then
    cat "$log"
    echo "FAIL: the UI target with a torch include failed, but not for want of torch's headers"
    exit 1
fi
echo "PASS: ui/ builds on the session's headers and cannot include <torch/torch.h>"
