#!/usr/bin/env bash
# The container test: builds the image from ./Dockerfile with buildah, lints
# it with hadolint, runs it with podman and drives it from outside with
# grpcurl, then stops it and checks that a new container on the same volume
# still has the report. Run by scripts/test.sh, which installs grpcurl and
# hadolint; run alone, it finds them on PATH (or in $GRPCURL / $HADOLINT).
#
# No registry or Docker engine is reachable on these machines: the shared
# container kit (../shared/container beside the repository) sets podman and
# buildah up for the sandbox and builds local stand-ins for the base images.
# Needs root. Synchronises by bounded polling only (at most 60 tries).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

image=localhost/tongket:ci
run_id=tongket-ct-$$
volume=$run_id-data
passed=0

fail() {
    echo "container-test: FAILED: $*" >&2
    echo "container-test: $passed passed, 1 failed"
    exit 1
}

ok() {
    passed=$((passed + 1))
    echo "container-test: ok: $*" >&2
}

# -------------------------------------------------------------- prerequisites

kit=$root/../shared/container
if [ ! -x "$kit/standins.sh" ] && [ ! -f "$kit/standins.sh" ]; then
    fail "the shared container kit is missing: expected $kit/standins.sh (the 'shared' folder beside the repository)"
fi
if [ "$(id -u)" != 0 ]; then
    fail "podman and buildah are set up for root here; run as root"
fi
grpcurl=${GRPCURL:-$(command -v grpcurl || true)}
hadolint=${HADOLINT:-$(command -v hadolint || true)}
[ -n "$grpcurl" ] || fail "grpcurl not found: run scripts/test.sh, which installs it, or set GRPCURL"
[ -n "$hadolint" ] || fail "hadolint not found: run scripts/test.sh, which installs it, or set HADOLINT"

# standins.sh installs podman/buildah with apt-get but does not refresh the
# package lists; a machine that has never fetched them needs that once.
if ! command -v buildah >/dev/null || ! command -v podman >/dev/null; then
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        apt-get update -q >&2 || fail "apt-get update"
    fi
fi
kit_env=$(bash "$kit/standins.sh") || fail "$kit/standins.sh could not set up podman/buildah"
eval "$kit_env"
ok "container tools ready ($(podman --version), $(buildah --version | cut -d' ' -f1-3))"

# ---------------------------------------------------------------- lint, build

"$hadolint" --failure-threshold warning Dockerfile >&2 || fail "hadolint found problems in the Dockerfile"
ok "hadolint: Dockerfile clean"

build_start=$SECONDS
buildah bud --pull=never --network host --format docker \
    -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro \
    -t "$image" . >&2 || fail "buildah bud"
ok "image built in $((SECONDS - build_start))s ($(podman image inspect "$image" --format '{{.Size}}') bytes)"

user=$(podman image inspect "$image" --format '{{.Config.User}}')
entrypoint=$(podman image inspect "$image" --format '{{json .Config.Entrypoint}}')
healthcheck=$(podman image inspect "$image" --format '{{json .Config.Healthcheck}}')
[ -n "$user" ] && [ "${user%%:*}" != 0 ] && [ "${user%%:*}" != root ] || fail "image runs as root (User=$user)"
[ "$entrypoint" = '["/usr/local/bin/tongketd"]' ] || fail "entrypoint is not exec-form tongketd: $entrypoint"
case $healthcheck in
    *'"CMD","/usr/local/bin/tongket","health"'*) ;;
    *) fail "HEALTHCHECK is not exec-form 'tongket health': $healthcheck" ;;
esac
ok "image: user $user, entrypoint $entrypoint, healthcheck $healthcheck"

# -------------------------------------------------------------------- helpers

cleanup() {
    podman rm -f -t 0 "$run_id-1" "$run_id-2" >/dev/null 2>&1 || true
    podman volume rm -f "$volume" >/dev/null 2>&1 || true
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

show_logs() {
    echo "--- podman logs $1" >&2
    podman logs "$1" >&2 || true
}

# start NAME PORT: runs the image detached on 127.0.0.1:PORT with the volume.
start() {
    podman run -d --name "$1" --no-healthcheck -p "127.0.0.1:$2:50051" -v "$volume:/data" "$image" >/dev/null \
        || fail "podman run $1"
}

# wait_healthy NAME PORT: polls the image's own health command, then grpcurl
# from outside, at most 60 tries each, a quarter second apart.
wait_healthy() {
    local name=$1 port=$2 try
    for try in $(seq 60); do
        if [ "$(podman inspect "$name" --format '{{.State.Running}}')" != true ]; then
            show_logs "$name"
            fail "$name exited before becoming healthy"
        fi
        if podman exec "$name" /usr/local/bin/tongket health >&2; then
            break
        fi
        [ "$try" = 60 ] && { show_logs "$name"; fail "$name: 'tongket health' never succeeded in 60 tries"; }
        sleep 0.25
    done
    ok "$name: podman exec $name tongket health exits 0 (try $try)"
    for try in $(seq 60); do
        if "$grpcurl" -plaintext -max-time 5 "127.0.0.1:$port" grpc.health.v1.Health/Check 2>/dev/null | grep -q '"SERVING"'; then
            ok "$name: reached from outside on 127.0.0.1:$port, Health/Check SERVING (try $try)"
            return 0
        fi
        sleep 0.25
    done
    show_logs "$name"
    fail "$name: grpcurl never reached 127.0.0.1:$port"
}

# json_field JSON PYTHON_EXPR [ARG]: prints an expression over the parsed JSON
# `r` (ARG, if given, is sys.argv[3]).
json_field() {
    python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$@"
}

# ------------------------------------------------------------ first container

podman volume create "$volume" >/dev/null || fail "podman volume create"
port=$(free_port)
start "$run_id-1" "$port"
wait_healthy "$run_id-1" "$port"

services=$("$grpcurl" -plaintext "127.0.0.1:$port" list) || fail "grpcurl list"
grep -qx 'tongket.v1.ReportService' <<<"$services" || fail "grpcurl list lacks tongket.v1.ReportService: $services"
grep -qx 'grpc.health.v1.Health' <<<"$services" || fail "grpcurl list lacks grpc.health.v1.Health: $services"
ok "grpcurl list shows tongket.v1.ReportService and grpc.health.v1.Health"

seed=$(find "$root/../shared/seeds" -name '*.txt' | sort | head -n 1)
[ -n "$seed" ] || fail "no seed text in ../shared/seeds"
request=$(python3 -c 'import json, sys; print(json.dumps({"text": open(sys.argv[1], encoding="utf-8").read(), "source_name": "container-test.txt"}))' "$seed")
submitted=$("$grpcurl" -plaintext -d @ "127.0.0.1:$port" tongket.v1.ReportService/SubmitReport <<<"$request") \
    || fail "SubmitReport: $submitted"
id=$(json_field "$submitted" 'r["report"]["id"]')
kind=$(json_field "$submitted" 'r["report"].get("kind", "REPORT_KIND_UNSPECIFIED")')
created=$(json_field "$submitted" 'r.get("created", False)')
[ -n "$id" ] && [ "$created" = True ] || fail "SubmitReport did not create a report: $submitted"
ok "SubmitReport created report $id (kind $kind)"

podman exec "$run_id-1" /usr/local/bin/tongket health >&2 || fail "podman exec tongket health after the submission"
ok "podman exec tongket health still exits 0"

stop_start=$SECONDS
podman stop -t 10 "$run_id-1" >/dev/null || fail "podman stop"
exit_code=$(podman inspect "$run_id-1" --format '{{.State.ExitCode}}')
if [ "$exit_code" != 0 ]; then
    show_logs "$run_id-1"
    fail "podman stop: exit code $exit_code, wanted 0 (a clean exit on SIGTERM)"
fi
ok "podman stop -t 10: exit code 0 after $((SECONDS - stop_start))s"

# ----------------------------------------------------------- second container

port=$(free_port)
start "$run_id-2" "$port"
wait_healthy "$run_id-2" "$port"

got=$("$grpcurl" -plaintext -d "{\"id\": \"$id\", \"view\": \"REPORT_VIEW_FULL\"}" "127.0.0.1:$port" tongket.v1.ReportService/GetReport) \
    || fail "GetReport $id on the new container: $got"
[ "$(json_field "$got" 'r["id"]')" = "$id" ] || fail "GetReport returned another report: $got"
same_text=$(python3 -c '
import json, sys, unicodedata
stored = json.loads(sys.argv[1]).get("text", "")
seed = open(sys.argv[2], encoding="utf-8").read()
print(stored.strip() == unicodedata.normalize("NFC", seed).strip())' "$got" "$seed")
[ "$same_text" = True ] || fail "GetReport (FULL) on the new container does not return the submitted text"
ok "new container on the same volume: GetReport finds $id with its text"

listed=$("$grpcurl" -plaintext -d "{\"kind\": \"$kind\"}" "127.0.0.1:$port" tongket.v1.ReportService/ListReports) \
    || fail "ListReports: $listed"
found=$(json_field "$listed" 'any(x["id"] == sys.argv[3] for x in r.get("reports", []))' "$id")
[ "$found" = True ] || fail "ListReports on the new container does not list $id: $listed"
ok "new container: ListReports lists $id"

resubmitted=$("$grpcurl" -plaintext -d @ "127.0.0.1:$port" tongket.v1.ReportService/SubmitReport <<<"$request") \
    || fail "second SubmitReport: $resubmitted"
[ "$(json_field "$resubmitted" 'r.get("created", False)')" = False ] \
    || fail "the same text was stored again after the restart: $resubmitted"
ok "new container: resubmitting the same text creates nothing (created=false)"

podman stop -t 10 "$run_id-2" >/dev/null || fail "podman stop (second container)"
exit_code=$(podman inspect "$run_id-2" --format '{{.State.ExitCode}}')
[ "$exit_code" = 0 ] || fail "second container: exit code $exit_code after podman stop"
ok "second container stopped cleanly too"

echo "container-test: $passed passed, 0 failed"
