"""Compares every session occurrence Steady expands from a corpus of calendars
with an independent implementation: Python's `icalendar` and
`recurring_ical_events`.

    python calendar_corpus.py STEADY_JSON FROM TO FILE...

STEADY_JSON is what `cargo run -p steady-core --example calendar_corpus`
printed for the same files and window (one JSON object per line). Every
occurrence the oracle finds in [FROM, TO) is counted once as

* match: Steady has the same UID, start instant and end instant;
* skipped, with a reason: a kind of event Steady deliberately does not keep as
  a session (all-day, zero-length, cancelled ...) or an event Steady's import
  report says it skipped, with Steady's own reason;
* mismatch: anything else, in either direction. Any mismatch fails the run.
"""

import collections
import datetime as dt
import json
import sys
import zoneinfo

import icalendar
import recurring_ical_events

UTC = dt.timezone.utc
# Steady's rule for an event with a start and neither DTEND nor DURATION: a
# one-hour session (RFC 5545 would make it end when it starts).
DEFAULT_MINUTES = 60
# Steady keeps sessions of 1 minute up to 14 days (docs/reminders.md).
MAX_MINUTES = 14 * 24 * 60
# Beyond this many occurrences of one event in the window the comparison is
# not meaningful for a treatment schedule; both sides stop there.
MAX_PER_EVENT = 5000
MAX_PER_FILE = 20000


def ms(moment):
    return int(moment.timestamp() * 1000)


def oracle(path, start, stop):
    """(occurrences, skipped) as the independent implementation sees them."""
    with open(path, "rb") as handle:
        calendar = icalendar.Calendar.from_ical(handle.read())
    zone_name = calendar.get("X-WR-TIMEZONE")
    calendar_zone = None
    if zone_name:
        try:
            calendar_zone = zoneinfo.ZoneInfo(str(zone_name).strip())
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            calendar_zone = None
    # Occurrences always carry a DTEND; whether the event stated one is in
    # the calendar itself.
    stated_end = {
        (str(c.get("UID", "")), str(c.get("RECURRENCE-ID").to_ical() if "RECURRENCE-ID" in c else ""))
        for c in calendar.walk("VEVENT")
        if "DTEND" in c or "DURATION" in c
    }
    date_until = {
        str(c.get("UID", "")) for c in calendar.walk("VEVENT") if has_date_until(c)
    }
    found, skipped = [], collections.Counter()
    per_uid = collections.Counter()
    cutoff = stop
    for seen, event in enumerate(
        recurring_ical_events.of(calendar, skip_bad_series=True).after(start)
    ):
        if seen >= MAX_PER_FILE:
            # A rule every minute or hour: compare up to here only.
            cutoff = as_instant(event.get("DTSTART").dt, calendar_zone)
            skipped[("", f"after the first {MAX_PER_FILE} occurrences of the file")] += 1
            break
        begin = event.get("DTSTART").dt
        if isinstance(begin, dt.datetime) and begin.tzinfo is None:
            if calendar_zone is None:
                uid = str(event.get("UID", ""))
                skipped[(uid, "floating time and no calendar zone")] += 1
                continue
        begin_at = as_instant(begin, calendar_zone)
        if begin_at >= stop:
            break
        uid = str(event.get("UID", ""))
        if begin_at < start:
            # Started before the window and still going: Steady lists
            # occurrences by their start.
            skipped[(uid, "starts before the window")] += 1
            continue
        if uid in date_until:
            skipped[(uid, "date-only UNTIL with a timed start (RFC 5545 forbids it; "
                     "implementations differ on the last day)")] += 1
            continue
        per_uid[uid] += 1
        if per_uid[uid] > MAX_PER_EVENT:
            skipped[(uid, f"more than {MAX_PER_EVENT} occurrences")] += 1
            continue
        if not isinstance(begin, dt.datetime):
            skipped[(uid, "all-day event (not a session)")] += 1
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            skipped[(uid, "cancelled")] += 1
            continue
        # Steady keeps whole minutes: seconds are dropped from the start, and
        # the length is counted in whole minutes.
        begin_at = begin_at.replace(second=0, microsecond=0)
        rid = str(event.get("RECURRENCE-ID").to_ical()) if "RECURRENCE-ID" in event else ""
        if (uid, rid) in stated_end or (uid, "") in stated_end:
            end = event.get("DTEND").dt if "DTEND" in event else begin + event.get("DURATION").dt
            end_at = as_instant(end, calendar_zone)
            minutes = (end_at - as_instant(begin, calendar_zone)).total_seconds() // 60
            end_at = begin_at + dt.timedelta(minutes=minutes)
            if minutes <= 0:
                skipped[(uid, "zero-length event (not a session)")] += 1
                continue
            if minutes > MAX_MINUTES:
                skipped[(uid, "longer than 14 days (not a session)")] += 1
                continue
        else:
            end_at = begin_at + dt.timedelta(minutes=DEFAULT_MINUTES)
        found.append((uid, ms(begin_at), ms(end_at)))
    return [f for f in found if f[1] < ms(cutoff)], skipped, ms(cutoff), date_until


def has_date_until(component):
    """A timed event whose RRULE ends with a date-only UNTIL."""
    start = component.get("DTSTART")
    if start is None or not isinstance(start.dt, dt.datetime):
        return False
    for line in component.content_lines():
        if line.startswith("RRULE"):
            for part in line.split(":", 1)[-1].split(";"):
                if part.upper().startswith("UNTIL=") and len(part.split("=", 1)[1].strip()) == 8:
                    return True
    return False


def as_instant(value, calendar_zone):
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), calendar_zone or UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=calendar_zone or UTC)
    return value.astimezone(UTC)


def main():
    steady_json, first, last, *files = sys.argv[1:]
    start = dt.datetime.fromisoformat(first).replace(tzinfo=UTC)
    stop = dt.datetime.fromisoformat(last).replace(tzinfo=UTC)
    steady = {}
    with open(steady_json, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            steady[record["file"]] = record
    totals = collections.Counter()
    reasons = collections.Counter()
    problems = []
    for path in files:
        name = path.split("/site-packages/")[-1]
        mine = steady.get(path)
        try:
            expected, skipped, cutoff_ms, excluded = oracle(path, start, stop)
        except Exception as error:  # the oracle cannot read it: nothing to compare
            reasons[f"oracle cannot read the file ({type(error).__name__})"] += 1
            totals["files skipped"] += 1
            if mine and mine.get("occurrences"):
                totals["steady-only files"] += 1
            continue
        totals["files"] += 1
        for (uid, reason), count in skipped.items():
            reasons[reason] += count
            totals["skipped"] += count
        if mine is None:
            problems.append(f"{name}: Steady printed nothing")
            totals["mismatch"] += len(expected)
            continue
        if mine.get("error"):
            # The file as a whole was refused: every occurrence is skipped with
            # Steady's reason (a broken calendar structure).
            reasons[f"file refused: {mine['error']}"] += len(expected)
            totals["skipped"] += len(expected)
            continue
        steady_skips = {}
        for skip in mine["skipped"]:
            if skip.get("uid"):
                uid = "" if skip["uid"].startswith("noid-") else skip["uid"]
                steady_skips.setdefault(uid, skip["reason"])
        # An event without UID: Steady derives one ("noid-..."); compared
        # by its times.
        got = collections.Counter(
            ("" if (o["uid"] or "").startswith("noid-") else o["uid"], o["start_ms"], o["end_ms"])
            for o in mine["occurrences"]
            if not o["cancelled"] and o["start_ms"] < cutoff_ms
        )
        capped = {uid for (uid, reason) in skipped if reason.startswith("more than")}
        capped |= excluded
        want = collections.Counter()
        for item in expected:
            if item[0] in steady_skips and not any(k[0] == item[0] for k in got):
                reasons[f"Steady skipped: {steady_skips[item[0]]}"] += 1
                totals["skipped"] += 1
            else:
                want[item] += 1
        for key in list(got):
            if key[0] in capped:
                del got[key]
        for key in list(want):
            if key[0] in capped:
                del want[key]
        matched = got & want
        totals["match"] += sum(matched.values())
        for key, count in (want - matched).items():
            problems.append(f"{name}: oracle has {describe(key)} x{count}, Steady does not")
            totals["mismatch"] += count
        for key, count in (got - matched).items():
            problems.append(f"{name}: Steady has {describe(key)} x{count}, oracle does not")
            totals["mismatch"] += count
    for reason, count in sorted(reasons.items(), key=lambda r: -r[1]):
        print(f"  skipped {count:6d}  {reason}")
    with open(steady_json + ".mismatches.txt", "w", encoding="utf-8") as out:
        out.write("\n".join(problems))
    for problem in problems[:80]:
        print(f"  MISMATCH {problem}")
    if len(problems) > 80:
        print(f"  ... and {len(problems) - 80} more")
    print(
        f"calendar corpus: {totals['files']} files compared ({totals['files skipped']} unreadable "
        f"by the oracle), {totals['match']} occurrences match, {totals['skipped']} skipped "
        f"with a reason, {totals['mismatch']} mismatch"
    )
    print(f"{totals['match']} passed, {totals['mismatch']} failed")
    return 1 if totals["mismatch"] else 0


def describe(key):
    uid, start_ms, end_ms = key
    begin = dt.datetime.fromtimestamp(start_ms / 1000, UTC).isoformat()
    return f"{uid} at {begin} for {(end_ms - start_ms) // 60000} min"


if __name__ == "__main__":
    sys.exit(main())
