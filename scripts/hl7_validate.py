#!/usr/bin/env python3
"""Validate HL7 v2 messages offline with hl7apy in STRICT mode, treating warnings as failures.

Usage:
    scripts/hl7_validate.py FILE...      validate every message in each file
    scripts/hl7_validate.py < FILE       validate every message read from standard input
    scripts/hl7_validate.py -            the same, explicitly

Run it with the project's venv (scripts/setup-python.sh): `.venv/bin/python3 scripts/hl7_validate.py FILE`.

Input:
    * Segments may be separated by CR (as on the wire), LF or CRLF: every CRLF and LF is converted to CR
      before parsing, so files edited with a text editor work. (A consequence: a raw LF inside a field is
      seen as a segment break and reported, which is what we want; HL7 text must escape line breaks.)
    * MLLP framing bytes (0x0B at the start, 0x1C at the end) are ignored.
    * A file may hold several messages; each one starts with an `MSH` segment.

What is checked, per message (hl7apy alone misses the last four):
    1. hl7apy `parse_message` at VALIDATION_LEVEL.STRICT (the version comes from MSH-12).
    2. hl7apy `Validator.validate`, whose report file lists *every* error and warning (the exception only
       carries the first one). Warnings (value not in an HL7 table, field too long) count as failures.
    3. Python warnings raised while parsing also count as failures.
    4. Segment order, against hl7apy's own message structure (hl7apy does not check it and silently
       reorders on `to_er7()`). Z-segments are left out of this check.
    5. Non-ASCII text with an empty MSH-18 (the default character set is ASCII).
    6. Work-around for ORM only: hl7apy validates `choice` groups as sequences, so a correct ORM^O01 fails
       with "Missing required child ORM_O01_..._SUPPGRP.RQD". That error is dropped when the message is an
       ORM and every instance of the choice group holds exactly one child. Nothing else is forgiven.

Output: one verdict line per message, `OK` or `FAIL`, then one indented line per problem.
Exit status: 0 when every message passed, 1 when any failed, 2 for usage or I/O errors.
"""

import os
import re
import sys
import tempfile
import warnings

try:
    from hl7apy import load_reference
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.parser import parse_message
    from hl7apy.validation import Validator
except ImportError:  # pragma: no cover - depends on the environment
    sys.stderr.write("hl7_validate: hl7apy is not installed; run scripts/setup-python.sh and use .venv/bin/python3\n")
    sys.exit(2)


def split_messages(text):
    """Normalizes separators to CR and splits the text into messages starting with MSH."""
    text = text.replace("\x0b", "").replace("\x1c", "")
    text = text.replace("\r\n", "\r").replace("\n", "\r")
    messages, current = [], []
    for segment in text.split("\r"):
        if not segment.strip():
            continue
        if segment.startswith("MSH") and current:
            messages.append(current)
            current = []
        current.append(segment)
    if current:
        messages.append(current)
    return ["\r".join(segments) + "\r" for segments in messages]


def structure_regex(reference):
    """Turns an hl7apy message reference into a regex over `NAME,` segment tokens."""

    def quantifier(cardinality):
        low, high = cardinality
        if (low, high) == (1, 1):
            return ""
        if (low, high) == (0, 1):
            return "?"
        if high == -1:
            return "*" if low == 0 else "+" if low == 1 else "{%d,}" % low
        return "{%d,%d}" % (low, high)

    def node(kind, children):
        parts = []
        for child in children:
            name, content, cardinality, child_kind = child[0], child[1], child[2], child[3]
            if child_kind == "SEG":
                part = "(?:%s,)" % re.escape(name)
            else:
                part = "(?:%s)" % node(content[0], content[1])
            parts.append(part + quantifier(cardinality))
        joiner = "|" if kind == "choice" else ""
        return joiner.join(parts)

    return re.compile(node(reference[0], reference[1]))


def choice_groups(reference):
    """Names of the groups that hl7apy's reference declares as `choice`."""
    names = set()

    def walk(children):
        for child in children:
            if child[3] == "GRP":
                if child[1][0] == "choice":
                    names.add(child[0])
                walk(child[1][1])

    walk(reference[1])
    return names


def find_elements(element, name):
    """All descendants (groups or segments) of a parsed hl7apy element with the given name."""
    found = []
    for child in getattr(element, "children", []):
        if child.name == name:
            found.append(child)
        if child.classname in ("Group", "Message"):
            found.extend(find_elements(child, name))
    return found


def message_structure(msh_fields, component_separator):
    """Returns (message type text, structure id) from the raw MSH-9, e.g. ('ORU^R01', 'ORU_R01')."""
    msh9 = msh_fields[8] if len(msh_fields) > 8 else ""
    components = msh9.split(component_separator)
    if len(components) > 2 and components[2]:
        structure = components[2]
    elif len(components) > 1 and components[1]:
        structure = "%s_%s" % (components[0], components[1])
    else:
        structure = components[0]
    return component_separator.join(components[:2]), structure


MAX_PROBLEM_LENGTH = 240


def shorten(text):
    """Keeps problem lines readable: hl7apy quotes whole field values (report text) in some errors."""
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_PROBLEM_LENGTH else text[:MAX_PROBLEM_LENGTH] + "…"


def validate(er7):
    """Validates one CR-separated message. Returns (summary, problems); no problems means valid."""
    problems = []
    segments = [s for s in er7.split("\r") if s]
    if not segments or not segments[0].startswith("MSH") or len(segments[0]) < 8:
        return "(no MSH)", ["E: the message does not start with an MSH segment"]
    field_separator = segments[0][3]
    msh = segments[0].split(field_separator)
    # msh[1] holds MSH-2; shift so that msh_fields[n - 1] is MSH-n.
    msh_fields = [field_separator] + msh[1:]
    component_separator = msh_fields[1][0] if msh_fields[1] else "^"
    message_type, structure = message_structure(msh_fields, component_separator)
    control_id = msh_fields[9] if len(msh_fields) > 9 else ""
    version = msh_fields[11].split(component_separator)[0] if len(msh_fields) > 11 else ""
    summary = "%s %s (MSH-10 %s, v%s)" % (message_type or "?", structure, control_id or "?", version or "?")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            message = parse_message(er7, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
        except Exception as error:  # hl7apy raises many exception types while parsing
            problems.append("E: parse: %s: %s" % (type(error).__name__, error))
            message = None

        report_lines = []
        if message is not None:
            handle, report_path = tempfile.mkstemp(prefix="hl7-report-", suffix=".txt")
            os.close(handle)
            try:
                try:
                    Validator.validate(message, report_file=report_path)
                except Exception as error:
                    # The report file has every error, including this first one; keep the exception only
                    # when the report is empty (an internal hl7apy failure, not a validation finding).
                    first_error = "E: validate: %s: %s" % (type(error).__name__, error)
                else:
                    first_error = None
                with open(report_path, encoding="utf-8") as report:
                    report_lines = [line.rstrip("\n") for line in report if line.strip()]
                if first_error and not report_lines:
                    problems.append(first_error)
            finally:
                os.unlink(report_path)
    for warning in caught:
        problems.append("W: python warning: %s" % warning.message)

    is_orm = structure.startswith("ORM_")
    choices = set()
    if is_orm and message is not None:
        try:
            choices = choice_groups(load_reference(message.name, "Message", message.version))
        except Exception:
            choices = set()
    for line in report_lines:
        kind, _, text = line.partition(": ")
        missing = re.match(r"Missing required child (\S+)\.(\S+)$", text)
        if is_orm and missing and missing.group(1) in choices:
            instances = find_elements(message, missing.group(1))
            if instances and all(len(instance.children) == 1 for instance in instances):
                continue  # known false error: a choice group validated as a sequence
        problems.append("%s: %s" % ("W" if kind == "Warning" else "E", text))

    # Segment order, which hl7apy does not check.
    if message is not None:
        try:
            reference = load_reference(message.name, "Message", message.version)
        except Exception:
            problems.append("E: order: no hl7apy structure %s for version %s" % (message.name, message.version))
        else:
            names = [s[:3] for s in segments if not s.startswith("Z")]
            tokens = "".join(name + "," for name in names)
            if not structure_regex(reference).fullmatch(tokens):
                problems.append("E: order: segments %s do not follow the %s structure" % (" ".join(names), message.name))

    # Character set: the default (empty MSH-18) is ASCII.
    charset = msh_fields[17] if len(msh_fields) > 17 else ""
    if not charset and any(ord(c) > 127 for c in er7):
        problems.append("E: non-ASCII text but MSH-18 (character set) is empty, which means ASCII")

    return summary, problems


def main(argv):
    paths = argv[1:] or ["-"]
    if any(p in ("-h", "--help") for p in paths):
        print(__doc__)
        return 0
    failed = False
    total = 0
    for path in paths:
        try:
            if path == "-":
                data = sys.stdin.buffer.read()
                label = "<stdin>"
            else:
                with open(path, "rb") as handle:
                    data = handle.read()
                label = path
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            print("FAIL %s: cannot read: %s" % (path, error))
            failed = True
            continue
        messages = split_messages(text)
        if not messages:
            print("FAIL %s: no HL7 message found" % label)
            failed = True
            continue
        for index, er7 in enumerate(messages, start=1):
            total += 1
            where = label if len(messages) == 1 else "%s#%d" % (label, index)
            summary, problems = validate(er7)
            if problems:
                failed = True
                print("FAIL %s: %s: %d problem(s)" % (where, summary, len(problems)))
                for problem in problems:
                    print("  " + shorten(problem))
            else:
                print("OK   %s: %s" % (where, summary))
    print("hl7_validate: %d message(s), %s" % (total, "all valid" if not failed else "FAILED"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
