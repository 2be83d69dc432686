#!/usr/bin/env bash
# Checks that the Android and iOS shells behaved alike on the shared scenario
# list: both results files exist, each holds every scenario of
# tests/scenarios/scenarios.json (run, not skipped), and every scenario has
# the same status and the same observed values in both
# (tests/scenarios/compare.py). Fails on any difference or missing scenario. Prints one count line:
#
#   scenarios compared: N agree, M differ
#
#   scripts/compare-scenarios.sh [ANDROID_RESULTS IOS_RESULTS]
# (default build/scenario-results/android.json and ios.json, as
# scripts/test-android-shell.sh and scripts/test-ios-shell.sh write them).
set -euo pipefail
cd "$(dirname "$0")/.."
ANDROID="${1:-build/scenario-results/android.json}"
IOS="${2:-build/scenario-results/ios.json}"

python3 - "$ANDROID" "$IOS" tests/scenarios/scenarios.json <<'PY'
import json, subprocess, sys

android_path, ios_path, list_path = sys.argv[1:4]
with open(list_path, encoding="utf-8") as f:
    wanted = [s["id"] for s in json.load(f)["scenarios"]]
problems = []
files = {}
for shell, path in (("android", android_path), ("ios", ios_path)):
    try:
        with open(path, encoding="utf-8") as f:
            files[shell] = json.load(f)
    except (OSError, ValueError) as e:
        problems.append(f"{shell}: no readable results file at {path} ({e.__class__.__name__})")
for shell, results in files.items():
    for sid in wanted:
        if sid not in results.get("scenarios", {}):
            problems.append(f"{shell}: scenario {sid} missing")
        elif results["scenarios"][sid]["status"] == "skipped":
            problems.append(f"{shell}: scenario {sid} {results['scenarios'][sid]['status']}")
for p in problems:
    print(p)
differ = set()
if len(files) == 2:
    out = subprocess.run([sys.executable, "tests/scenarios/compare.py", android_path, ios_path],
                         capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if not line.startswith("compared "):
            print(line)
            differ.add(line.split(":")[0].split(" step ")[0])
bad = differ | {p.split("scenario ")[1].split()[0] for p in problems if "scenario " in p}
agree = len([s for s in wanted if s not in bad]) if len(files) == 2 else 0
print(f"scenarios compared: {agree} agree, {len(wanted) - agree} differ")
sys.exit(1 if problems or differ else 0)
PY
