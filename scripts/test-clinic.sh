#!/usr/bin/env bash
# Starts a real steady-clinic server on loopback (SQLite in DIR) with one staff
# account, for the Kotlin and Swift transport tests. Source it, then:
#
#   start_test_clinic DIR    exports STEADY_CLINIC_URL, STEADY_STAFF_EMAIL,
#                            STEADY_STAFF_PASSWORD and adds them to
#                            STEADY_JVM_PROPS and STEADY_SWIFT_ENV
#   stop_test_clinic         stops it
# Needs CARGO_TARGET_DIR (the debug steady-clinic binary is built there).
# The clinic's clock starts at 2027-01-05 (`--clock-from`): the suites' phone
# clocks sit in early January 2027, and the clinic refuses a consent dated
# more than 7 days ahead of its own clock.

start_test_clinic() {
  local dir="$1"
  local bin="$CARGO_TARGET_DIR/debug/steady-clinic"
  cargo build -q -p steady-clinic
  mkdir -p "$dir"
  rm -f "$dir"/clinic.db*
  export STEADY_STAFF_EMAIL="shell-tests@clinic.test"
  export STEADY_STAFF_PASSWORD="shell-tests-only-on-loopback"
  "$bin" staff add "$STEADY_STAFF_EMAIL" --name "Shell Tests" \
    --password "$STEADY_STAFF_PASSWORD" --db "$dir/clinic.db" >/dev/null
  "$bin" --json serve --db "$dir/clinic.db" --listen 127.0.0.1:0 --clock-from 2027-01-05T00:00:00Z \
    --clinic-name "Riverside IOP" >"$dir/serve.out" 2>"$dir/serve.err" &
  TEST_CLINIC_PID=$!
  local url=""
  for _ in $(seq 1 100); do
    url=$(sed -nE 's/.*"listening": *"([^"]+)".*/\1/p' "$dir/serve.out" | head -1)
    [ -n "$url" ] && break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    echo "test clinic did not start: $(cat "$dir/serve.err")" >&2
    return 1
  fi
  export STEADY_CLINIC_URL="$url"
  export STEADY_JVM_PROPS="${STEADY_JVM_PROPS:-} -Dsteady.clinic.url=$url -Dsteady.staff.email=$STEADY_STAFF_EMAIL -Dsteady.staff.password=$STEADY_STAFF_PASSWORD"
  export STEADY_SWIFT_ENV="${STEADY_SWIFT_ENV:-} STEADY_CLINIC_URL=$url STEADY_STAFF_EMAIL=$STEADY_STAFF_EMAIL STEADY_STAFF_PASSWORD=$STEADY_STAFF_PASSWORD"
  echo "test clinic: $url (pid $TEST_CLINIC_PID)"
}

stop_test_clinic() {
  if [ -n "${TEST_CLINIC_PID:-}" ]; then
    kill "$TEST_CLINIC_PID" 2>/dev/null || true
    wait "$TEST_CLINIC_PID" 2>/dev/null || true
    TEST_CLINIC_PID=""
  fi
}
