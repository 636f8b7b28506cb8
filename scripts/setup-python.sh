#!/usr/bin/env bash
# Creates the project's Python venv at .venv (beside Package.swift) with the offline validators:
#   hl7apy 1.3.5 (HL7 v2 structure/table validation), hl7 0.4.5 (python-hl7, MLLP peer),
#   fhir.resources 8.3.0 (FHIR R4B/R5 models), selenium 4.38.0 (browser end-to-end test of the workstation).
#   openapi-spec-validator 0.9.0 + PyYAML 6.0.4 (checks Sources/RadScribeServer/openapi.yaml against the routes).
# Idempotent: an existing venv is reused and pip only installs what is missing or of another version.
# Usage: scripts/setup-python.sh            (PYTHON=/path/to/python3 to choose the interpreter)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"

requirements=(
    "hl7apy==1.3.5"
    "hl7==0.4.5"
    "fhir.resources==8.3.0"
    "selenium==4.38.0"
    "openapi-spec-validator==0.9.0"
    "PyYAML==6.0.4"
)

if [[ ! -x "$venv/bin/python3" ]]; then
    echo "setup-python: creating $venv with $("$python" --version 2>&1)"
    "$python" -m venv "$venv"
fi

# Already satisfied? Then do nothing (no network, fast for CI re-runs).
if "$venv/bin/python3" - "${requirements[@]}" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
for req in sys.argv[1:]:
    name, wanted = req.split("==")
    try:
        if version(name) != wanted:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
then
    echo "setup-python: $venv already has ${requirements[*]}"
    exit 0
fi

echo "setup-python: installing ${requirements[*]}"
"$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "${requirements[@]}"
"$venv/bin/python3" -c 'import hl7apy, hl7, fhir.resources, selenium; print("setup-python: ok")'
