#!/usr/bin/env bash
# Fuzzes the parser for a bounded time with its cargo-fuzz target
# (fuzz/fuzz_targets/parse.rs: no input may panic, normalising twice changes
# nothing, every span lies inside the text on char boundaries).
#
# Usage: scripts/fuzz.sh [SECONDS]   (default 60)
#
# Needs a nightly toolchain (cargo-fuzz builds with sanitizers); installs
# cargo-fuzz with `cargo install --locked cargo-fuzz` when it is missing.
# The corpus grows in fuzz/corpus/parse/ and any crashing input lands in
# fuzz/artifacts/parse/, which libFuzzer names in its output. Exits non-zero
# when the fuzzer found a failure. Not part of scripts/test.sh.
#
# Environment:
#   FUZZ_TOOLCHAIN   the nightly toolchain to use (default: nightly)
#   FUZZ_JOBS        libFuzzer worker processes (default: 1)
#   CARGO_TARGET_DIR honoured as usual
set -euo pipefail

seconds=${1:-60}
toolchain=${FUZZ_TOOLCHAIN:-nightly}
jobs=${FUZZ_JOBS:-1}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
    echo "usage: scripts/fuzz.sh [SECONDS]  (a positive whole number)" >&2
    exit 2
fi
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    echo "fuzz.sh: the $toolchain toolchain is missing; install it with" \
        "\`rustup toolchain install $toolchain\`" >&2
    exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz" >&2
    cargo install --locked cargo-fuzz
fi

# Seed the corpus with the real and golden texts the first time, so the
# fuzzer starts from inputs that reach deep into the parser.
corpus=fuzz/corpus/parse
mkdir -p "$corpus"
if [ -z "$(ls -A "$corpus")" ]; then
    for seed in tests/data/reports/*.txt tests/data/texts/*.txt; do
        [ -f "$seed" ] && cp "$seed" "$corpus/"
    done
fi

# With -jobs libFuzzer runs workers in child processes logging to
# fuzz-N.log, so one job runs in this process and prints here.
parallel=()
if ((jobs > 1)); then
    parallel=(-jobs="$jobs" -workers="$jobs")
fi
echo "fuzz.sh: fuzzing the parser for ${seconds}s with $jobs job(s)" >&2
exec cargo "+$toolchain" fuzz run parse "$corpus" -- \
    -max_total_time="$seconds" -max_len=65536 "${parallel[@]}"
