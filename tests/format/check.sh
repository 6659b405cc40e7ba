#!/usr/bin/env bash
# Every C++ source and header of the project is formatted as .clang-format says.
# Exit 77 (CTest: skipped) when clang-format is not installed.
#   tests/format/check.sh SOURCE_DIR
set -euo pipefail
root=${1:?usage: check.sh SOURCE_DIR}
format=$(command -v clang-format || true)
if [ -z "$format" ]; then
    echo "SKIP: clang-format is not installed (the set-up command installs it)"
    exit 77
fi
cd "$root"
mapfile -t files < <(find app bench engine tests ui -name '*.cpp' -o -name '*.h' | sort)
if ! "$format" --dry-run -Werror "${files[@]}"; then
    echo "FAIL: files above differ from .clang-format's layout; fix with:"
    echo "  clang-format -i \$(find app bench engine tests ui -name '*.cpp' -o -name '*.h')"
    exit 1
fi
echo "PASS: ${#files[@]} files formatted as .clang-format says ($("$format" --version))"
