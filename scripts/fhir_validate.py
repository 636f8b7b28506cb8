#!/usr/bin/env python3
"""Validate FHIR DiagnosticReport JSON offline against the fhir.resources R4B models (R4's structure).

Usage:
    .venv/bin/python3 scripts/fhir_validate.py FILE...     each file holds one resource (JSON object)
    .venv/bin/python3 scripts/fhir_validate.py < FILE      one resource from standard input

Checks, per resource:
    1. fhir.resources.R4B DiagnosticReport parses it (types, cardinalities, date formats, required `code`).
    2. What the models do not check (see shared/reference/hl7.md §4): `status` is in the required value set,
       presentedForm data is valid base64 that decodes as UTF-8 text, every coding has a system and a code.

Output: `OK` or `FAIL` per resource with one indented line per problem. Exit 0 when all pass, 1 otherwise,
2 for usage or I/O errors.
"""

import base64
import binascii
import json
import sys

try:
    from fhir.resources.R4B.diagnosticreport import DiagnosticReport
except ImportError:  # pragma: no cover - depends on the environment
    sys.stderr.write("fhir_validate: fhir.resources is not installed; run scripts/setup-python.sh\n")
    sys.exit(2)

STATUSES = {"registered", "partial", "preliminary", "final", "amended", "corrected", "appended", "cancelled",
            "entered-in-error", "unknown"}


def codings(node):
    """Every Coding object inside a JSON value (objects with a `system` or `code` beside `display`)."""
    found = []
    if isinstance(node, dict):
        if "coding" in node and isinstance(node["coding"], list):
            found.extend(c for c in node["coding"] if isinstance(c, dict))
        for value in node.values():
            found.extend(codings(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(codings(value))
    return found


def validate(data):
    problems = []
    if not isinstance(data, dict) or data.get("resourceType") != "DiagnosticReport":
        return ["E: not a DiagnosticReport resource"]
    try:
        DiagnosticReport.model_validate(data)
    except Exception as error:  # pydantic ValidationError and friends
        problems.extend("E: model: " + " ".join(str(line).split()) for line in str(error).splitlines()[:20])
    if data.get("status") not in STATUSES:
        problems.append("E: status %r is not in the DiagnosticReport status value set" % data.get("status"))
    for form in data.get("presentedForm", []):
        try:
            base64.b64decode(form.get("data", ""), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            problems.append("E: presentedForm data is not base64 UTF-8 text: %s" % error)
    for coding in codings(data):
        if not coding.get("system") or not coding.get("code"):
            problems.append("E: a coding lacks system or code: %s" % json.dumps(coding))
    return problems


def main(argv):
    paths = argv[1:] or ["-"]
    if any(p in ("-h", "--help") for p in paths):
        print(__doc__)
        return 0
    failed = False
    for path in paths:
        try:
            text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
            data = json.loads(text)
        except (OSError, ValueError) as error:
            print("FAIL %s: cannot read JSON: %s" % (path, error))
            failed = True
            continue
        problems = validate(data)
        label = "<stdin>" if path == "-" else path
        if problems:
            failed = True
            print("FAIL %s: %d problem(s)" % (label, len(problems)))
            for problem in problems:
                print("  " + problem)
        else:
            print("OK   %s: DiagnosticReport %s (%s)" % (label, data.get("id", "?"), data.get("status")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
