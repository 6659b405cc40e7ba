#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs each for a fixed number of
# inputs (a test: exit 0 when none crashed, 77 = skipped when clang cannot build them).
#   tests/fuzz/run.sh BUILD_DIR [SCALE]    (BUILD_DIR: the main build, for its core library;
#                                           SCALE multiplies each harness's count of inputs)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
main_build=$(cd "$1" && pwd)
scale=${2:-1}
# Inputs per harness: about ten seconds each here (files on disk are the slow part).
declare -A runs=([fuzz_image_header]=200000 [fuzz_idx]=20000 [fuzz_config]=200000 [fuzz_run_files]=4000)
out="$main_build/fuzz"
clangxx=$(command -v clang++ || true)
if [ -z "$clangxx" ] || ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
    "$clangxx" -x c++ -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
    echo "skipped: no clang++ with libFuzzer (Debian: clang libclang-rt-14-dev)"
    exit 77
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$here" -B "$out" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$clangxx" \
    -DPRETEXT_CORE_LIB="$main_build/engine/core/libpretext_core.a" \
    -DPRETEXT_KERNELS_LIB="$(ls "$main_build/engine/kernels/libpretext_kernels.a" 2>/dev/null || true)" >/dev/null
cmake --build "$out" --parallel "$(nproc)"
rm -rf "$out/seeds"
python3 "$here/seeds.py" "$out/seeds"
export ASAN_OPTIONS=detect_leaks=0 # LibTorch and Qt keep some allocations until exit
for harness in fuzz_image_header fuzz_idx fuzz_config fuzz_run_files; do
    mkdir -p "$out/corpus/$harness" "$out/crashes"
    dict=()
    [ -f "$out/seeds/$harness.dict" ] && dict=(-dict="$out/seeds/$harness.dict")
    # -seed fixed: the same inputs each time; the corpus grows between runs on one machine.
    "$out/$harness" -runs=$((runs[$harness] * scale)) -seed=1 -max_len=4096 -timeout=10 "${dict[@]}" \
        -artifact_prefix="$out/crashes/$harness-" "$out/corpus/$harness" "$out/seeds/$harness" \
        >"$out/$harness.log" 2>&1 || { tail -40 "$out/$harness.log"; echo "FAILED: $harness (see $out/crashes)"; exit 1; }
    echo "$harness: $(grep -E '^Done' "$out/$harness.log"), no crash; corpus $(ls "$out/corpus/$harness" | wc -l) inputs"
done
