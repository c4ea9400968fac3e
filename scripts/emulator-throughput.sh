#!/usr/bin/env bash
# Measures the emulator's gateway throughput on loopback:
#   native-echo (answered in Rust) with wrk, HTTP/1.1 keep-alive, 100-byte JSON body,
#   plus the warm latency of the Node `echo` function (1 connection, sequential).
# Usage: scripts/emulator-throughput.sh [duration_seconds=5] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-5}"
CONNS="${2:-64}"

cargo build --profile emulator -p cloudbase-fn-emulator >&2
BIN="target/emulator/cloudbase-fn-emulator"

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get install -y wrk >&2 || { $SUDO apt-get update >&2 && $SUDO apt-get install -y wrk >&2; }
fi

TMP="$(mktemp -d)"
cleanup() {
  if [ -n "${EMU_PID:-}" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

"$BIN" --port 0 --faults --functions examples/functions >"$TMP/out" 2>"$TMP/err" &
EMU_PID=$!
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$TMP/out" 2>/dev/null && break
  sleep 0.05
done
URL="$(head -1 "$TMP/out" | sed 's/^listening on //')"
[ -n "$URL" ] || { echo "emulator did not start" >&2; cat "$TMP/err" >&2; exit 1; }

# A 100-byte JSON object body.
BODY='{"user":"alice","action":"ping","items":[1,2,3,4,5],"note":"throughput-probe-xxxxxxxxxxxxxxxxxxxxx"}'
[ "${#BODY}" -eq 100 ] || { echo "body is ${#BODY} bytes, expected 100" >&2; exit 1; }
cat >"$TMP/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
LUA

echo "== native-echo: wrk -t1 -c$CONNS -d${DURATION}s (100-byte JSON POST)" >&2
wrk -t1 -c"$CONNS" -d"${DURATION}s" -s "$TMP/post.lua" "$URL/v1/functions/native-echo" | tee "$TMP/wrk1" >&2
RPS="$(awk '/^Requests\/sec/ {print $2}' "$TMP/wrk1")"

# Warm the Node worker, then measure sequential latency of the JS echo function.
curl -s -X POST -d '{}' "$URL/v1/functions/echo" >/dev/null 2>&1 || true
echo "== node echo: wrk -t1 -c1 -d3s (sequential, warm)" >&2
wrk -t1 -c1 -d3s --latency -s "$TMP/post.lua" "$URL/v1/functions/echo" | tee "$TMP/wrk2" >&2
LAT="$(awk '/^    Latency/ {print $2; exit}' "$TMP/wrk2")"
ERRS="$(grep -E 'Non-2xx|Socket errors' "$TMP/wrk1" "$TMP/wrk2" || true)"
[ -z "$ERRS" ] || echo "WARNING: $ERRS" >&2

echo "native-echo requests/s: $RPS"
echo "node echo warm latency (avg): $LAT"
