#!/usr/bin/env bash
# The calendar corpus test: every occurrence Steady expands from real-world
# calendars is compared with an independent implementation (Python's
# `icalendar` + `recurring_ical_events`) over a fixed window.
#
#   scripts/test-calendar-corpus.sh
#
# The corpus is the test calendars those two packages ship (read from the
# installed packages, never copied into this repository) plus the calendars
# in tests/calendars/, written in the exact shapes Google, Outlook/Exchange,
# Apple, Thunderbird and Evolution export. Prints match / skipped-with-reason
# / mismatch counts and fails on any mismatch. Installs the two packages
# (pinned) into a virtualenv under the cache, idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
CACHE="${STEADY_CACHE:-$HOME/.cache/steady}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
VENV="$CACHE/calendar-corpus/venv"
ICALENDAR_VERSION=7.3.2
RECURRING_VERSION=3.8.2
FROM=2000-01-01
TO=2031-01-01

if ! "$VENV/bin/python" -c "import sys; from importlib.metadata import version as v; \
sys.exit(0 if (v('icalendar'), v('recurring_ical_events')) == \
('$ICALENDAR_VERSION', '$RECURRING_VERSION') else 1)" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "icalendar==$ICALENDAR_VERSION" \
    "recurring_ical_events==$RECURRING_VERSION"
fi
SITE=$("$VENV/bin/python" -c "import icalendar, os; print(os.path.dirname(os.path.dirname(icalendar.__file__)))")

files=()
while IFS= read -r file; do files+=("$file"); done < <(
  find "$ROOT/tests/calendars" "$SITE/icalendar/tests" "$SITE/recurring_ical_events/test/calendars" \
    -name '*.ics' -type f | sort
)

OUT="$ROOT/build/calendar-corpus"
mkdir -p "$OUT"
timeout 1200 cargo run -q -p steady-core --example calendar_corpus -- "$FROM" "$TO" "${files[@]}" \
  > "$OUT/steady.jsonl"
timeout 600 "$VENV/bin/python" -W ignore scripts/calendar_corpus.py "$OUT/steady.jsonl" "$FROM" "$TO" "${files[@]}"
