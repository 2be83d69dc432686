#!/usr/bin/env bash
# Independent validation of Steady's exports (docs/export.md):
#   - every FHIR Bundle the tests wrote is validated, with each of its
#     resources, by the PyPI package fhir.resources (its R4B models, which
#     validate R4-style resources) — a validator nobody on the project wrote;
#   - every CSV file is read with Python's csv module and held to the columns
#     docs/export.md documents, with ISO 8601 offsets on every *_at column.
#
#   scripts/test-fhir.sh DIR     (default build/export-out)
# The tests write there when STEADY_EXPORT_OUT is set (scripts/test.sh sets
# it for the Rust, Kotlin and Swift suites). Installs fhir.resources into a
# venv under ${STEADY_CACHE:-~/.cache/steady} (or at STEADY_FHIR_VENV), once.
# Prints a count line.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-$PWD/build/export-out}"
CACHE="${STEADY_CACHE:-$HOME/.cache/steady}"
VENV="${STEADY_FHIR_VENV:-$CACHE/fhir-venv}"

if ! "$VENV/bin/python" -c 'import fhir.resources.R4B' 2>/dev/null; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  timeout 600 "$VENV/bin/pip" install --quiet --disable-pip-version-check 'fhir.resources>=8,<9'
fi

timeout 300 "$VENV/bin/python" - "$DIR" docs/export.md <<'PY'
import csv, json, pathlib, re, sys
from fhir.resources.R4B import get_fhir_model_class

out, doc = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
documented = {}
for line in doc.read_text(encoding="utf-8").splitlines():
    m = re.match(r"^\| `([a-z_]+\.csv)` \| (.+?) \|", line)
    if m:
        documented[m.group(1)] = re.findall(r"`([a-z_]+)`", m.group(2))
if not documented:
    sys.exit("docs/export.md documents no CSV columns")
offset = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")

bundles = resources = csv_files = 0
failures = []
for path in sorted(out.rglob("*.json")):
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("resourceType") != "Bundle":
        continue
    try:
        get_fhir_model_class("Bundle").model_validate(data)
        for entry in data.get("entry", []):
            resource = entry["resource"]
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            resources += 1
        if not data.get("entry") or data["entry"][0]["resource"]["resourceType"] != "Composition":
            raise ValueError("a document Bundle starts with its Composition")
        bundles += 1
    except Exception as e:  # report every file, then fail
        failures.append(f"{path}: {e}")
for path in sorted(out.rglob("*.csv")):
    columns = documented.get(path.name)
    if columns is None:
        failures.append(f"{path}: {path.name} is not documented in docs/export.md")
        continue
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, strict=True))
    if not rows or rows[0] != columns:
        failures.append(f"{path}: header {rows[:1]} is not the documented {columns}")
        continue
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(columns):
            failures.append(f"{path}:{n}: {len(row)} fields, {len(columns)} columns")
        for name, value in zip(columns, row):
            if name.endswith("_at") and value and not offset.match(value):
                failures.append(f"{path}:{n}: {name} {value!r} is not ISO 8601 with an offset")
    csv_files += 1
for failure in failures:
    print("FAILED", failure)
print(f"fhir: {bundles} bundles ({resources} resources) valid, {csv_files} CSV files as documented, {len(failures)} failed")
if bundles == 0 or csv_files == 0:
    sys.exit("fhir: nothing to validate: did the tests run with STEADY_EXPORT_OUT set?")
sys.exit(1 if failures else 0)
PY
