#!/usr/bin/env bash
# `make fuzz-api`: schemathesis (from PyPI, in a venv under target/) against `onewindow serve` on
# a freshly seeded SQLite database, once per kind of caller: anonymous, an applicant, a clerk,
# an approver and the centre admin (each with its own session cookie, and a case from its own
# inbox for the case operations' `number`). It checks every operation
# of /api/openapi.json for server errors and for answers outside the documented schema, status
# codes and content types. FUZZ_API_EXAMPLES sets the examples per operation (default 40).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
venv=$target/fuzz-api/venv
examples=${FUZZ_API_EXAMPLES:-40}
password='OneWindow@2026'
schemathesis_version=4.32.5

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$schemathesis_version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi
cargo build --quiet -p onewindow-server
bin=$target/debug/onewindow

dir=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
database="sqlite://$dir/fuzz-api.db"
export RUST_LOG=${RUST_LOG:-warn}
env -u DATABASE_URL "$bin" seed demo --cases 50 --database "$database" >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
env -u DATABASE_URL "$bin" serve --listen "127.0.0.1:$port" --database "$database" >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 120); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$base/readyz" >/dev/null

# The session cookie of a login (`staff USERNAME` or `applicant PHONE`).
session() {
  local body
  if [ "$1" = staff ]; then body="{\"username\":\"$2\",\"password\":\"$password\"}"
  else body="{\"phone\":\"$2\",\"password\":\"$password\"}"; fi
  curl -fsS -o /dev/null -D - -H 'content-type: application/json' -d "$body" \
    "$base/api/v1/auth/$1/login" | tr -d '\r' | sed -n 's/^set-cookie: \(ow_session=[^;]*\).*/\1/ip'
}
applicant_phone=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["phone"])' \
  "$root/crates/server/seed/demo/applicants.json")

failed=0
# schemathesis keeps its example database (.schemathesis/) in the working directory.
cd "$target/fuzz-api"
run() {
  local who=$1 cookie=$2
  echo "== fuzz-api as $who"
  local auth=() config="$target/fuzz-api/$who.toml"
  : >"$config"
  if [ -n "$cookie" ]; then
    auth=(-H "Cookie: $cookie")
    # A case from the caller's own inbox, so the case operations reach a real one.
    local number
    number=$(curl -fsS -H "Cookie: $cookie" "$base/api/v1/cases?limit=1" \
      | python3 -c 'import json, sys; items = json.load(sys.stdin)["items"]; print(items[0]["number"] if items else "")')
    if [ -n "$number" ]; then printf '[parameters]\n"path.number" = "%s"\n' "$number" >"$config"; fi
  fi
  # log_out would end the very session the run uses.
  if ! "$venv/bin/schemathesis" --config-file "$config" run "$base/api/openapi.json" "${auth[@]}" \
      --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
      --exclude-operation-id log_out --max-examples "$examples" --workers 2 --seed 20261121 \
      --report junit --report-dir "$target/fuzz-api/report-$who"; then
    failed=$((failed + 1))
  fi
}
run anonymous ""
run applicant "$(session applicant "$applicant_phone")"
run clerk "$(session staff clerk.a01)"
run approver "$(session staff approver.rsj.1)"
run centre_admin "$(session staff admin)"

if grep -q panicked "$dir/server.log"; then
  grep -B2 -A8 panicked "$dir/server.log"
  failed=$((failed + 1))
fi
echo "fuzz-api: $((5 - failed)) passed, $failed failed"
[ "$failed" = 0 ]
