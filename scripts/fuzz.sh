#!/usr/bin/env bash
# Fuzzes the parser for a bounded time with its cargo-fuzz target
# (fuzz/fuzz_targets/parse.rs: no input may panic, normalising twice changes
# nothing, every span lies inside the text on char boundaries).
#
# Usage: scripts/fuzz.sh [SECONDS]   (default 60)
#
# Works on the stable toolchain: cargo-fuzz needs nightly flags, which
# RUSTC_BOOTSTRAP=1 allows, and stable ships the address sanitizer runtime
# for x86_64 Linux. Installs a pinned cargo-fuzz when it is missing. Builds in
# its own target dir (fuzz/target, or FUZZ_TARGET_DIR) so the main build is
# not invalidated. The working corpus is fuzz/corpus/parse/ (ignored by git),
# started from the small committed seeds in fuzz/seeds/parse/; a crashing or
# slow input lands in fuzz/artifacts/parse/, named in libFuzzer's output.
# Each input may take at most FUZZ_TIMEOUT seconds (libFuzzer -timeout) and
# be at most 64 KiB. Exits non-zero when the fuzzer found a failure.
#
# Environment:
#   FUZZ_JOBS         libFuzzer worker processes (default: 1)
#   FUZZ_TIMEOUT      seconds one input may take (default: 10)
#   FUZZ_SANITIZER    address (default) or none
#   FUZZ_TARGET_DIR   where the fuzz build goes (default: fuzz/target)
set -euo pipefail

cargo_fuzz_version=0.13.1
seconds=${1:-60}
jobs=${FUZZ_JOBS:-1}
timeout=${FUZZ_TIMEOUT:-10}
sanitizer=${FUZZ_SANITIZER:-address}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
    echo "usage: scripts/fuzz.sh [SECONDS]  (a positive whole number)" >&2
    exit 2
fi
if ! cargo fuzz --version 2>/dev/null | grep -q "$cargo_fuzz_version"; then
    echo "fuzz.sh: installing cargo-fuzz $cargo_fuzz_version" >&2
    cargo install --locked "cargo-fuzz@$cargo_fuzz_version"
fi

corpus=fuzz/corpus/parse
mkdir -p "$corpus"
for seed in fuzz/seeds/parse/*; do
    [ -e "$corpus/$(basename "$seed")" ] || cp "$seed" "$corpus/"
done

parallel=()
if ((jobs > 1)); then
    parallel=(-jobs="$jobs" -workers="$jobs")
fi
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$root/fuzz/target}
echo "fuzz.sh: fuzzing the parser for ${seconds}s with $jobs job(s), sanitizer $sanitizer" >&2
exec cargo fuzz run --sanitizer "$sanitizer" parse "$corpus" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout="$timeout" \
    -rss_limit_mb=4096 "${parallel[@]}"
