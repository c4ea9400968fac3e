# Sourced by the scripts: start_emulator BIN ARGS... starts the emulator on an ephemeral port,
# sets EMULATOR_URL and EMULATOR_PID, and stops it when the calling script exits.
start_emulator() {
  local bin=$1; shift
  local out
  out=$(mktemp)
  "$bin" --port 0 "$@" > "$out" &
  EMULATOR_PID=$!
  trap 'kill $EMULATOR_PID 2>/dev/null; wait $EMULATOR_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 150); do
    if grep -q '^listening on ' "$out"; then break; fi
    kill -0 "$EMULATOR_PID" 2>/dev/null || { echo "emulator failed to start" >&2; return 1; }
    sleep 0.1
  done
  EMULATOR_URL=$(sed -n 's/^listening on //p' "$out" | head -1)
  [ -n "$EMULATOR_URL" ] || { echo "emulator did not report its port" >&2; return 1; }
}
