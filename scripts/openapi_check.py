#!/usr/bin/env python3
"""Validate the workstation's OpenAPI description and list its operations with the roles allowed.

Usage:
    .venv/bin/python3 scripts/openapi_check.py SPEC.yaml

Needs openapi-spec-validator and PyYAML (scripts/setup-python.sh installs them into .venv).

What is checked:
    1. The document is valid OpenAPI (openapi_spec_validator, by the version the document declares: 3.1 here).
    2. Every operation carries `x-roles`: a list of known role names (radiologist, resident, transcriptionist,
       administrator, interface), sorted, without duplicates. A public operation (`x-roles: []`) must also
       say `security: []`, and only a public one may.

Output (stdout, only when every check passed): one JSON array of
    {"method": "GET", "path": "/api/reports/{accession}", "roles": ["administrator", ...]}
for every operation, sorted by path, then method, so a Swift test can compare it with the routes in code.

Exit status: 0 valid; 1 invalid (the problems on stderr, one per line); 2 usage or I/O errors.
"""

import json
import sys

try:
    import yaml
    from openapi_spec_validator.shortcuts import get_validator_cls
except ImportError as error:  # pragma: no cover - environment problem
    print(f"openapi_check: {error}; run scripts/setup-python.sh and use .venv/bin/python3", file=sys.stderr)
    sys.exit(2)

ROLES = {"radiologist", "resident", "transcriptionist", "administrator", "interface"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class _StringDateLoader(yaml.SafeLoader):
    """SafeLoader that keeps ISO dates as strings, as JSON (and the validator) see them."""


_StringDateLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def spec_errors(spec):
    """Every problem openapi_spec_validator finds (not just the first), by the version the document declares."""
    try:
        validator = get_validator_cls(spec)
    except Exception as error:  # no `openapi`/`swagger` field, or a version the validator does not know
        return [f"cannot tell the OpenAPI version: {error}"]
    try:
        return [_describe(error) for error in validator(spec).iter_errors()]
    except Exception as error:  # e.g. a $ref that does not resolve (the message quotes the whole document: cut it)
        message = str(error).split(" within ", 1)[0]
        return [f"{type(error).__name__}: {message[:500]}"]


def _describe(error):
    where = "/".join(str(part) for part in getattr(error, "absolute_path", []) or [])
    message = getattr(error, "message", None) or str(error)
    return f"{where}: {message}" if where else message


def operations(spec):
    """(method, path, operation) for every operation, sorted by path then method."""
    found = []
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                found.append((method.upper(), path, operation))
    return sorted(found, key=lambda entry: (entry[1], entry[0]))


def role_errors(spec, listed):
    problems = []
    global_security = spec.get("security")
    for method, path, operation in listed:
        where = f"{method} {path}"
        roles = operation.get("x-roles")
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            problems.append(f"{where}: x-roles must be a list of role names")
            continue
        unknown = sorted(set(roles) - ROLES)
        if unknown:
            problems.append(f"{where}: unknown role(s) in x-roles: {', '.join(unknown)}")
        if roles != sorted(roles) or len(set(roles)) != len(roles):
            problems.append(f"{where}: x-roles must be sorted, without duplicates: {roles}")
        security = operation.get("security", global_security)
        public_security = security == [] or security == [{}]
        if not roles and not public_security:
            problems.append(f"{where}: a public route (x-roles: []) must say `security: []`")
        if roles and public_security:
            problems.append(f"{where}: x-roles {roles} but no security: the route would look public")
    return problems


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print("usage: openapi_check.py SPEC.yaml", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as file:
            spec = yaml.load(file, Loader=_StringDateLoader)
    except (OSError, yaml.YAMLError) as error:
        print(f"openapi_check: {argv[1]}: {error}", file=sys.stderr)
        return 2
    if not isinstance(spec, dict):
        print(f"openapi_check: {argv[1]}: not a YAML mapping", file=sys.stderr)
        return 1
    problems = spec_errors(spec)
    listed = operations(spec)
    problems += role_errors(spec, listed)
    if problems:
        print(f"openapi_check: {argv[1]} is invalid:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    table = [{"method": method, "path": path, "roles": operation["x-roles"]} for method, path, operation in listed]
    json.dump(table, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
