#!/usr/bin/env python3
"""Build Lexicon/ontology/radscribe-ontology.tsv from the hand-written lists in
Lexicon/ontology/source/*.txt (see Lexicon/ontology/README.md for both formats).

* Stable ids: Lexicon/ontology/ids.tsv maps every preferred term ever seen to its `RS:nnnnnn` id.
  It is append-only: a new term gets the next free number; an id is never reused, even when its
  term leaves the source (the row stays, the concept simply is no longer emitted).
* RadLex RIDs: a `rid:` must be listed in Lexicon/ontology/radlex-verified.tsv (RIDs verified
  from a source); its source is copied into the ontology. Anything else fails the build.
* Checks: unique preferred terms (case-insensitive), every `also:` parent exists, no cycles.

Usage: python3 scripts/build-ontology.py [--check]
  --check  fail (exit 1) if the ontology file or ids.tsv would change; write nothing.
Python 3.11 standard library only. Deterministic.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONT = ROOT / "Lexicon" / "ontology"
SOURCES = ONT / "source"
IDS = ONT / "ids.tsv"
VERIFIED = ONT / "radlex-verified.tsv"
OUT = ONT / "radscribe-ontology.tsv"
HEADER = ["id", "preferred_term", "category", "parents", "synonyms", "abbreviations", "radlex_rid", "radlex_source"]
CATEGORIES = {"anatomy", "finding", "descriptor", "device", "procedure", "measurement", "unit", "substance", "report"}
FIELD_KEYS = {"syn", "abbr", "also", "rid"}
INDENT = 2


def die(msg: str) -> None:
    print(f"build-ontology: ERROR: {msg}", file=sys.stderr)
    sys.exit(1)


def key(term: str) -> str:
    return " ".join(term.lower().split())


class Concept:
    def __init__(self, term: str, category: str, where: str) -> None:
        self.term = term
        self.category = category
        self.where = where
        self.parents: list[str] = []  # keys
        self.also: list[str] = []
        self.synonyms: list[str] = []
        self.abbreviations: list[str] = []
        self.rid = ""
        self.id = ""


def parse_sources() -> list[Concept]:
    concepts: list[Concept] = []
    files = sorted(SOURCES.glob("*.txt"))
    if not files:
        die(f"no source lists in {SOURCES}")
    for path in files:
        category = ""
        stack: list[Concept] = []
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{n}"
            if not raw.strip():
                continue
            if raw.startswith("#"):
                m = re.fullmatch(r"#\s*category:\s*(\S+)\s*", raw)
                if m:
                    category = m.group(1)
                    if category not in CATEGORIES:
                        die(f"{where}: unknown category {category!r}")
                    stack = []
                continue
            if not category:
                die(f"{where}: concept before any '# category:' line")
            stripped = raw.lstrip(" ")
            if "\t" in raw:
                die(f"{where}: tab character (indent with {INDENT} spaces)")
            indent = len(raw) - len(stripped)
            if indent % INDENT:
                die(f"{where}: indentation must be a multiple of {INDENT} spaces")
            depth = indent // INDENT
            if depth > len(stack):
                die(f"{where}: indented more than one level below its parent")
            stack = stack[:depth]
            fields = [f.strip() for f in stripped.split(" | ")]
            term = fields[0]
            if not term or "|" in term or ";" in term:
                die(f"{where}: bad preferred term {term!r}")
            c = Concept(term, category, where)
            for f in fields[1:]:
                m = re.fullmatch(r"(\w+):\s*(.+)", f)
                if not m or m.group(1) not in FIELD_KEYS:
                    die(f"{where}: bad field {f!r} (expected syn:, abbr:, also:, rid:)")
                values = [v.strip() for v in m.group(2).split(";") if v.strip()]
                if m.group(1) == "syn":
                    c.synonyms += values
                elif m.group(1) == "abbr":
                    c.abbreviations += values
                elif m.group(1) == "also":
                    c.also += [key(v) for v in values]
                else:
                    if len(values) != 1 or not re.fullmatch(r"RID\d+", values[0]):
                        die(f"{where}: rid must be one RadLex id like RID58, got {m.group(2)!r}")
                    c.rid = values[0]
            if stack:
                c.parents.append(key(stack[-1].term))
            concepts.append(c)
            stack.append(c)
    return concepts


def load_ids() -> dict[str, str]:
    ids: dict[str, str] = {}
    if not IDS.exists():
        return ids
    for n, line in enumerate(IDS.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not re.fullmatch(r"RS:\d{6}", parts[0]):
            die(f"ids.tsv:{n}: expected 'RS:nnnnnn<TAB>term', got {line!r}")
        if parts[1] in ids:
            die(f"ids.tsv:{n}: term {parts[1]!r} listed twice")
        ids[parts[1]] = parts[0]
    if len(set(ids.values())) != len(ids):
        die("ids.tsv: an id is used twice")
    return ids


def load_verified() -> dict[str, str]:
    verified: dict[str, str] = {}
    for line in VERIFIED.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("rid\t"):
            continue
        rid, _meaning, sources = line.split("\t")
        verified[rid] = sources
    return verified


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()

    concepts = parse_sources()
    by_key: dict[str, Concept] = {}
    for c in concepts:
        k = key(c.term)
        if k in by_key:
            die(f"{c.where}: preferred term {c.term!r} already defined at {by_key[k].where}")
        by_key[k] = c
    for c in concepts:
        for a in c.also:
            if a not in by_key:
                die(f"{c.where}: also: parent {a!r} is not a preferred term")
            if a not in c.parents:
                c.parents.append(a)

    # cycles (depth-first over parent links)
    state: dict[str, int] = {}

    def visit(k: str, path: list[str]) -> None:
        if state.get(k) == 2:
            return
        if state.get(k) == 1:
            die("cycle: " + " -> ".join(path + [k]))
        state[k] = 1
        for p in by_key[k].parents:
            visit(p, path + [k])
        state[k] = 2

    for k in by_key:
        visit(k, [])

    verified = load_verified()
    ids = load_ids()
    next_number = max((int(v[3:]) for v in ids.values()), default=0) + 1
    new_ids = dict(ids)
    for c in concepts:  # source order: new concepts get ids in the order they appear
        k = key(c.term)
        if k not in new_ids:
            new_ids[k] = f"RS:{next_number:06d}"
            next_number += 1
        c.id = new_ids[k]
        if c.rid and c.rid not in verified:
            die(f"{c.where}: {c.rid} is not in {VERIFIED.name}; attach only RIDs verified from a source")

    rows = ["\t".join(HEADER)]
    for c in sorted(concepts, key=lambda c: c.id):
        rows.append("\t".join([
            c.id, c.term, c.category,
            "|".join(by_key[p].id for p in c.parents),
            "|".join(c.synonyms), "|".join(c.abbreviations),
            c.rid, verified.get(c.rid, "") if c.rid else "",
        ]))
    text = "\n".join(rows) + "\n"
    ids_text = ("# RadScribe ontology ids: append-only (an id is never reused). id<TAB>preferred term (lowercase)\n"
                + "".join(f"{v}\t{k}\n" for k, v in sorted(new_ids.items(), key=lambda kv: kv[1])))

    if args.check:
        stale = [p.name for p, t in ((OUT, text), (IDS, ids_text)) if not p.exists() or p.read_text(encoding="utf-8") != t]
        if stale:
            die(f"out of date: {', '.join(stale)}; run python3 scripts/build-ontology.py")
        print(f"build-ontology: up to date ({len(concepts)} concepts)")
        return
    OUT.write_text(text, encoding="utf-8")
    IDS.write_text(ids_text, encoding="utf-8")
    counts: dict[str, int] = {}
    for c in concepts:
        counts[c.category] = counts.get(c.category, 0) + 1
    print(f"build-ontology: wrote {OUT.relative_to(ROOT)}: {len(concepts)} concepts "
          f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}); "
          f"{sum(1 for c in concepts if c.rid)} with a verified RadLex RID; "
          f"{len(new_ids) - len(ids)} new id(s)")


if __name__ == "__main__":
    main()
