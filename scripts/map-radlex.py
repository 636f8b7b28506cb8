#!/usr/bin/env python3
"""Propose, keep and check RadLex RIDs for the RadScribe ontology.

Reads Lexicon/ontology/radscribe-ontology.tsv and the RSNA RadLex term list
../shared/reference/radlex/radlex-terms.csv (`preferred name,RID,parent RID`; see that folder's
README). The reviewed decisions live in Lexicon/ontology/radlex-mapping.tsv, one row per
(concept, RID) pair that was looked at:

  concept_id  preferred_term  rid  radlex_name  decision  match  matched_term  reason

  decision  accepted: build-ontology.py attaches the RID (source `radlex-terms.csv`);
            rejected: wrong sense (the reason says why); deferred: the right sense, but RadLex
            words it differently from every term of the concept, so the name check would fail;
            attach it after the RadLex wording is added as a synonym (a language-model change).
  match     how the RadLex name was found: exact, normalized (case, hyphens, apostrophes, "the"),
            spelling (same letters without spaces: intra-articular / intraarticular), inverted
            ("effusion, pleural"; "root of spinal nerve"), number (one word singular/plural),
            expanded (equal once abbreviations in capitals are spelled out), abbreviation (an `abbr:`
            of the concept is the RadLex name), reworded (an adjective as "of NOUN": gastric antrum /
            antrum of stomach; never a name match, so at most deferred).
  matched_term  the preferred term, synonym or abbreviation of the concept that matched.

A run never changes a decision that is in the file. Without a mode it proposes candidates for
concepts that have no RID yet (pairs already decided are skipped) and writes them to --proposals
FILE (default: stdout) in the same columns plus category, radlex_parent and notes, decision `?`.
The reviewer sets each decision (and a reason) and merges them with --add FILE; --accept-exact
adds the exact-name, single-candidate proposals as accepted in one step (only after review).

Modes:
  (none)            write proposals
  --add FILE        merge reviewed proposal rows (decision accepted|rejected|deferred) into the file
  --accept-exact    add unreviewed exact proposals (one RID, name = preferred term) as accepted
  --check           every accepted RID exists in the RadLex list, its name there is the recorded
                    name and matches the concept's preferred term or a synonym; one RID per concept
                    and one concept per RID; the ontology carries the accepted RIDs. Exit 1 if not.
  --coverage        table of concepts with a verified RID per category, before (RIDs from the
                    MRRT sources only) and after (with accepted rows of the mapping)
  --parents         for concepts whose RadLex parent (or nearest RadLex ancestor) is itself mapped
                    to a concept, whether the ontology's ancestors include that concept

Exit codes: 0 ok, 1 check failed, 2 usage, 66 input missing (the RadLex list or the ontology).
Progress and summaries go to stderr; tables and proposals to stdout. Python 3 standard library only.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONT_DIR = ROOT / "Lexicon" / "ontology"
ONTOLOGY = ONT_DIR / "radscribe-ontology.tsv"
MAPPING = ONT_DIR / "radlex-mapping.tsv"
DEFAULT_RADLEX = ROOT.parent / "shared" / "reference" / "radlex"
MAPPING_SOURCE = "radlex-terms.csv"  # radlex_source of RIDs attached from the mapping

COLUMNS = ["concept_id", "preferred_term", "rid", "radlex_name", "decision", "match", "matched_term", "reason"]
PROPOSAL_EXTRA = ["category", "radlex_parent", "notes"]
DECISIONS = {"accepted", "rejected", "deferred"}
MATCH_RANK = ["exact", "normalized", "spelling", "inverted", "number", "expanded", "abbreviation", "reworded"]
CATEGORY_ORDER = ["finding", "anatomy", "descriptor", "device", "procedure", "measurement", "unit", "substance", "report"]
MAPPING_HEADER = """\
# RadLex RIDs for RadScribe ontology concepts, reviewed. Made and checked by scripts/map-radlex.py
# (see its --help for the columns); read by scripts/build-ontology.py (accepted rows only).
# Verified against RSNA's RadLex term list (RadLex, RSNA; ../shared/reference/radlex/radlex-terms.csv).
# A rerun of the script never changes a row here; edit a decision by hand, with its reason.
"""

EX_OK, EX_CHECK, EX_USAGE, EX_NOINPUT = 0, 1, 2, 66


def log(msg: str) -> None:
    print(f"map-radlex: {msg}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Names: normalization and variants (the same rules as Tests/OntologyTests/RadLexMappingTests.swift)

def norm(s: str) -> str:
    """Lower case; possessive 's and apostrophes dropped; hyphens to spaces; the word "the" dropped;
    whitespace collapsed."""
    s = s.lower().replace("\u2019", "'")
    s = re.sub(r"'s\b", "", s).replace("'", "")
    s = s.replace("-", " ")
    words = [w for w in s.split() if w != "the"]
    return " ".join(words)


def inverted(s: str) -> str | None:
    """"effusion, pleural" -> "pleural effusion" (one comma, no parentheses); else None."""
    if s.count(",") != 1 or "(" in s:
        return None
    head, modifier = (p.strip() for p in s.split(","))
    if not head or not modifier:
        return None
    return f"{modifier} {head}"


def of_inverted(key: str) -> str | None:
    """"root of spinal nerve" -> "spinal nerve root" (one " of " in a normalized name); else None."""
    parts = key.split(" of ")
    if len(parts) != 2 or not parts[0] or not parts[1] or " " in parts[0]:
        return None
    return f"{parts[1]} {parts[0]}"


# Adjective -> noun, to find RadLex names worded "X of NOUN" for a term "ADJECTIVE X" (gastric antrum ->
# antrum of stomach). Such a match is not a name match: it can only be deferred until the RadLex wording is
# a synonym of the concept.
ADJECTIVE_NOUNS = {
    "gastric": "stomach", "hepatic": "liver", "renal": "kidney", "pulmonary": "lung", "splenic": "spleen",
    "pancreatic": "pancreas", "cardiac": "heart", "vertebral": "vertebra", "femoral": "femur", "tibial": "tibia",
    "fibular": "fibula", "humeral": "humerus", "radial": "radius", "ulnar": "ulna", "pleural": "pleura",
    "colonic": "colon", "duodenal": "duodenum", "esophageal": "esophagus", "uterine": "uterus", "ovarian": "ovary",
    "tracheal": "trachea", "bronchial": "bronchus", "cerebellar": "cerebellum", "thyroid": "thyroid gland",
    "adrenal": "adrenal gland", "prostatic": "prostate", "testicular": "testis", "scapular": "scapula",
    "clavicular": "clavicle", "sternal": "sternum", "patellar": "patella", "calcaneal": "calcaneus",
    "talar": "talus", "acetabular": "acetabulum", "glenoid": "scapula", "mandibular": "mandible",
    "maxillary": "maxilla", "orbital": "orbit", "nasal": "nose", "laryngeal": "larynx", "pharyngeal": "pharynx",
    "aortic": "aorta", "iliac": "ilium", "sacral": "sacrum", "cervical": "neck", "meniscal": "meniscus",
    "cecal": "cecum", "rectal": "rectum", "vesical": "urinary bladder", "biliary": "biliary tree",
}


def reworded(key: str) -> set[str]:
    """"gastric antrum" -> {"antrum of stomach"}; "femoral head" -> {"head of femur"}."""
    words = key.split()
    if len(words) < 2 or words[0] not in ADJECTIVE_NOUNS:
        return set()
    return {f"{' '.join(words[1:])} of {ADJECTIVE_NOUNS[words[0]]}"}


# (singular ending, plural ending); a stem must remain.
NUMBER_RULES = [("", "s"), ("", "es"), ("y", "ies"), ("us", "i"), ("um", "a"), ("a", "ae"),
                ("ix", "ices"), ("ex", "ices"), ("is", "es"), ("on", "a")]


def number_variants(word: str) -> set[str]:
    out: set[str] = set()
    if len(word) < 3 or not word.isalpha():
        return out
    for sing, plur in NUMBER_RULES:
        if word.endswith(sing):
            stem = word[: len(word) - len(sing)] if sing else word
            if len(stem) >= 2:
                out.add(stem + plur)
        if word.endswith(plur):
            stem = word[: len(word) - len(plur)]
            if len(stem) >= 2:
                out.add(stem + sing)
    out.discard(word)
    return out


def is_number_variant(a: str, b: str) -> bool:
    return b in number_variants(a)


def phrase_number_variants(key: str) -> set[str]:
    """Variants of a normalized phrase with one word changed in number."""
    words = key.split()
    out: set[str] = set()
    for i, w in enumerate(words):
        for v in number_variants(w):
            out.add(" ".join(words[:i] + [v] + words[i + 1:]))
    return out


def forms(name: str) -> set[str]:
    """Normalized forms of a name: itself, for "x, y" also "y x", for "x of y z" also "y z x"."""
    out = {norm(name)}
    inv = inverted(name)
    if inv:
        out.add(norm(inv))
    for f in list(out):
        o = of_inverted(f)
        if o:
            out.add(o)
    return out


def names_match(a: str, b: str) -> str | None:
    """How two names match (a match kind), or None. Symmetric; abbreviations are not expanded."""
    if a.lower().split() == b.lower().split():
        return "exact"
    fa, fb = forms(a), forms(b)
    na, nb = norm(a), norm(b)
    if na == nb:
        return "normalized"
    if na.replace(" ", "") == nb.replace(" ", ""):
        return "spelling"
    if fa & fb:
        return "inverted"
    for x in fa:
        for y in fb:
            wx, wy = x.split(), y.split()
            if len(wx) == len(wy):
                diff = [(p, q) for p, q in zip(wx, wy) if p != q]
                if len(diff) == 1 and is_number_variant(*diff[0]):
                    return "number"
    return None


# ---------------------------------------------------------------------------------------------
# Inputs

class Concept:
    def __init__(self, row: list[str]) -> None:
        (self.id, self.term, self.category, parents, synonyms, abbreviations,
         self.rid, self.source) = row
        self.parents = [p for p in parents.split("|") if p]
        self.synonyms = [s for s in synonyms.split("|") if s]
        self.abbreviations = [a for a in abbreviations.split("|") if a]

    @property
    def names(self) -> list[str]:
        return [self.term] + self.synonyms


def load_ontology() -> dict[str, Concept]:
    if not ONTOLOGY.exists():
        log(f"ERROR: ontology file {ONTOLOGY} is missing (run python3 scripts/build-ontology.py)")
        sys.exit(EX_NOINPUT)
    lines = ONTOLOGY.read_text(encoding="utf-8").splitlines()
    concepts = {}
    for line in lines[1:]:
        c = Concept(line.split("\t"))
        concepts[c.id] = c
    return concepts


class RadLex:
    def __init__(self, directory: Path) -> None:
        path = directory / "radlex-terms.csv"
        if not path.exists():
            log(f"ERROR: the RadLex term list {path} is missing. It is RSNA's public list kept beside the "
                f"repository in ../shared/reference/radlex/; pass --radlex DIR if it is elsewhere.")
            sys.exit(EX_NOINPUT)
        self.path = path
        self.name: dict[str, str] = {}
        self.parent: dict[str, str] = {}
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                if len(row) != 3 or not re.fullmatch(r"RID\d+", row[1]):
                    continue
                self.name[row[1]] = row[0]
                self.parent[row[1]] = row[2]
        log(f"read {len(self.name)} RadLex terms from {path}")
        self.children: dict[str, list[str]] = defaultdict(list)
        for rid, parent in self.parent.items():
            self.children[parent].append(rid)

    def chain(self, rid: str, limit: int = 12) -> list[str]:
        out, seen = [], {rid}
        while len(out) < limit:
            rid = self.parent.get(rid, "")
            if not rid or rid in seen:
                break
            out.append(rid)
            seen.add(rid)
        return out

    def obsolete(self, rid: str) -> bool:
        """Under "Obsolete Radlex Term" (RID0 in this list)."""
        return "RID0" in self.chain(rid, limit=60) or self.name.get(rid, "").lower().startswith("obsolete")

    def chain_text(self, rid: str, limit: int = 4) -> str:
        return " < ".join(f"{self.name.get(r, '?')} ({r})" for r in self.chain(rid, limit))


def read_mapping(path: Path = MAPPING) -> list[dict[str, str]]:
    if not path.exists():
        return []
    rows = []
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    if not lines:
        return []
    header = lines[0].split("\t")
    if header[: len(COLUMNS)] != COLUMNS:
        log(f"ERROR: {path.name}: header must start with {' '.join(COLUMNS)}")
        sys.exit(EX_CHECK)
    for line in lines[1:]:
        fields = line.split("\t")
        if len(fields) < len(header):
            fields += [""] * (len(header) - len(fields))
        rows.append(dict(zip(header, fields)))
    return rows


def write_mapping(rows: list[dict[str, str]]) -> None:
    def order(r: dict[str, str]) -> tuple:
        return (r["concept_id"], int(r["rid"][3:]) if r["rid"][3:].isdigit() else 0)
    text = MAPPING_HEADER + "\t".join(COLUMNS) + "\n"
    text += "".join("\t".join(r.get(c, "") for c in COLUMNS) + "\n" for r in sorted(rows, key=order))
    MAPPING.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Proposals

class Index:
    """RadLex names by normalized form, inverted form, spacing-free form and abbreviation-expanded form."""

    def __init__(self, radlex: RadLex, expansions: dict[str, str]) -> None:
        self.expansions = expansions
        self.by_norm: dict[str, set[str]] = defaultdict(set)
        self.by_inverted: dict[str, set[str]] = defaultdict(set)
        self.by_compact: dict[str, set[str]] = defaultdict(set)
        self.by_expanded: dict[str, set[str]] = defaultdict(set)
        self.exact_names: dict[str, set[str]] = defaultdict(set)
        for rid, name in radlex.name.items():
            self.exact_names[" ".join(name.lower().split())].add(rid)
            n = norm(name)
            self.by_norm[n].add(rid)
            self.by_compact[n.replace(" ", "")].add(rid)
            for f in forms(name) - {n}:
                self.by_inverted[f].add(rid)
            e = self.expand(name)
            if e != n:
                self.by_expanded[e].add(rid)

    def expand(self, name: str) -> str:
        """The normalized name with abbreviations written in capitals (CT, MRI) spelled out."""
        words = name.replace("-", " ").split()
        return norm(" ".join(self.expansions.get(w.lower(), w) if w.isupper() and len(w) >= 2 else w for w in words))


def abbreviation_expansions(concepts: dict[str, Concept]) -> dict[str, str]:
    """Abbreviation (lower case) -> expansion, from the ontology's own `abbr:` fields, where unambiguous."""
    seen: dict[str, set[str]] = defaultdict(set)
    for c in concepts.values():
        for a in c.abbreviations:
            if " " not in a and len(a) >= 2:
                seen[norm(a)].add(norm(c.term))
    return {a: next(iter(t)) for a, t in seen.items() if len(t) == 1 and " " not in a}


def candidates(c: Concept, index: Index) -> dict[str, tuple[str, str]]:
    """RID -> (best match kind, the concept's term that matched)."""
    found: dict[str, tuple[str, str]] = {}

    def add(rids: set[str], kind: str, term: str) -> None:
        for rid in rids:
            old = found.get(rid)
            if old is None or MATCH_RANK.index(kind) < MATCH_RANK.index(old[0]):
                found[rid] = (kind, term)

    for term in c.names:
        n = norm(term)
        exact = {r for r in index.by_norm.get(n, set())}
        for rid in exact:
            add({rid}, "exact" if rid in index.exact_names.get(" ".join(term.lower().split()), set()) else "normalized", term)
        add(index.by_compact.get(n.replace(" ", ""), set()) - exact, "spelling", term)
        for f in forms(term):
            add(index.by_inverted.get(f, set()) | (index.by_norm.get(f, set()) if f != n else set()), "inverted", term)
        for v in phrase_number_variants(n):
            add(index.by_norm.get(v, set()) | index.by_inverted.get(v, set()), "number", term)
        for r in reworded(n):
            add(index.by_norm.get(r, set()), "reworded", term)
        e = index.expand(term)
        add(index.by_expanded.get(e, set()) | (index.by_norm.get(e, set()) if e != n else set()), "expanded", term)
    for a in c.abbreviations:
        add(index.by_norm.get(norm(a), set()), "abbreviation", a)
    return found


def propose(concepts: dict[str, Concept], radlex: RadLex, mapping: list[dict[str, str]]) -> list[dict[str, str]]:
    index = Index(radlex, abbreviation_expansions(concepts))
    decided = {(r["concept_id"], r["rid"]) for r in mapping}
    accepted_concepts = {r["concept_id"] for r in mapping if r["decision"] == "accepted"}
    rid_owner: dict[str, str] = {c.rid: c.id for c in concepts.values() if c.rid}
    rid_owner.update({r["rid"]: r["concept_id"] for r in mapping if r["decision"] == "accepted"})
    out = []
    for n, c in enumerate(sorted(concepts.values(), key=lambda c: c.id), 1):
        if n % 500 == 0:
            log(f"  matched {n}/{len(concepts)} concepts")
        if c.rid or c.id in accepted_concepts:
            continue
        found = candidates(c, index)
        for rid, (kind, term) in sorted(found.items(), key=lambda kv: (MATCH_RANK.index(kv[1][0]), int(kv[0][3:]))):
            if (c.id, rid) in decided:
                continue
            notes = []
            if len(found) > 1:
                notes.append(f"{len(found)} candidates")
            if rid in rid_owner and rid_owner[rid] != c.id:
                notes.append(f"RID already on {rid_owner[rid]} {concepts[rid_owner[rid]].term}")
            if radlex.obsolete(rid):
                notes.append("OBSOLETE in RadLex")
            same_name = index.by_norm.get(norm(radlex.name[rid]), set()) - {rid}
            if same_name:
                notes.append("same RadLex name: " + ",".join(sorted(same_name)))
            out.append({
                "concept_id": c.id, "preferred_term": c.term, "rid": rid, "radlex_name": radlex.name[rid],
                "decision": "?", "match": kind, "matched_term": term, "reason": "",
                "category": c.category, "radlex_parent": radlex.chain_text(rid),
                "notes": "; ".join(notes),
            })
    return out


# ---------------------------------------------------------------------------------------------
# Check, coverage, parents

def check(concepts: dict[str, Concept], radlex: RadLex, mapping: list[dict[str, str]]) -> list[str]:
    problems = []
    per_concept: dict[str, list[str]] = defaultdict(list)
    per_rid: dict[str, list[str]] = defaultdict(list)
    seen_pairs: set[tuple[str, str]] = set()
    for r in mapping:
        where = f"{r['concept_id']} {r['rid']}"
        pair = (r["concept_id"], r["rid"])
        if pair in seen_pairs:
            problems.append(f"{where}: listed twice")
        seen_pairs.add(pair)
        if r["decision"] not in DECISIONS:
            problems.append(f"{where}: decision {r['decision']!r} is not one of {sorted(DECISIONS)}")
            continue
        if r["decision"] != "accepted" and not r["reason"].strip():
            problems.append(f"{where}: a {r['decision']} row needs a reason")
        if r["decision"] != "accepted":
            continue
        c = concepts.get(r["concept_id"])
        if c is None:
            problems.append(f"{where}: concept not in the ontology")
            continue
        per_concept[c.id].append(r["rid"])
        per_rid[r["rid"]].append(c.id)
        name = radlex.name.get(r["rid"])
        if name is None:
            problems.append(f"{where}: {r['rid']} is not in the RadLex list")
            continue
        if name != r["radlex_name"]:
            problems.append(f"{where}: RadLex names {r['rid']} {name!r}, the mapping says {r['radlex_name']!r}")
        if not any(names_match(t, name) for t in c.names):
            problems.append(f"{where}: RadLex name {name!r} matches neither {c.term!r} nor a synonym")
        if c.rid != r["rid"] or c.source != MAPPING_SOURCE:
            if c.rid and c.source != MAPPING_SOURCE:
                problems.append(f"{where}: the concept already has {c.rid} from {c.source}")
            else:
                problems.append(f"{where}: not in {ONTOLOGY.name}; run python3 scripts/build-ontology.py")
    for cid, rids in per_concept.items():
        if len(rids) > 1:
            problems.append(f"{cid}: more than one accepted RID: {', '.join(rids)}")
    for c in concepts.values():
        if c.rid and c.source != MAPPING_SOURCE:
            per_rid[c.rid].append(c.id)
        if c.source == MAPPING_SOURCE and c.rid not in per_concept.get(c.id, []):
            problems.append(f"{c.id}: {c.rid} from {MAPPING_SOURCE} but no accepted row; rebuild the ontology")
    for rid, cids in per_rid.items():
        if len(set(cids)) > 1:
            problems.append(f"{rid}: on more than one concept: {', '.join(sorted(set(cids)))}")
    return problems


def source_rid_notes(concepts: dict[str, Concept], radlex: RadLex) -> list[str]:
    """RIDs attached from the MRRT sources whose RadLex name differs from every term (reported, not failed)."""
    out = []
    for c in sorted(concepts.values(), key=lambda c: c.id):
        if c.rid and c.source != MAPPING_SOURCE:
            name = radlex.name.get(c.rid)
            if name is None:
                out.append(f"{c.id} {c.term}: {c.rid} ({c.source}) is not in the RadLex list")
            elif not any(names_match(t, name) for t in c.names):
                out.append(f"{c.id} {c.term}: {c.rid} is {name!r} in RadLex ({c.source})")
    return out


def coverage(concepts: dict[str, Concept]) -> str:
    total: dict[str, int] = defaultdict(int)
    before: dict[str, int] = defaultdict(int)
    after: dict[str, int] = defaultdict(int)
    for c in concepts.values():
        total[c.category] += 1
        if c.rid:
            after[c.category] += 1
            if c.source != MAPPING_SOURCE:
                before[c.category] += 1

    def pct(n: int, d: int) -> str:
        return f"{100 * n / d:.1f} %" if d else "-"

    lines = ["| category | concepts | with a RID before | after | coverage after |", "|---|---:|---:|---:|---:|"]
    cats = [c for c in CATEGORY_ORDER if c in total] + sorted(set(total) - set(CATEGORY_ORDER))
    for cat in cats:
        lines.append(f"| {cat} | {total[cat]} | {before[cat]} | {after[cat]} | {pct(after[cat], total[cat])} |")
    t, b, a = sum(total.values()), sum(before.values()), sum(after.values())
    lines.append(f"| **all** | {t} | {b} | {a} | {pct(a, t)} |")
    return "\n".join(lines)


def parents_report(concepts: dict[str, Concept], radlex: RadLex) -> tuple[list[tuple[str, ...]], dict[str, int]]:
    by_rid = {c.rid: c for c in concepts.values() if c.rid}

    def ancestors(cid: str) -> set[str]:
        out: set[str] = set()
        stack = list(concepts[cid].parents)
        while stack:
            p = stack.pop()
            if p not in out:
                out.add(p)
                stack.extend(concepts[p].parents)
        return out

    rows = []
    counts: dict[str, int] = defaultdict(int)
    for c in sorted(by_rid.values(), key=lambda c: c.id):
        chain = radlex.chain(c.rid, limit=40)
        mapped = [(i, r) for i, r in enumerate(chain) if r in by_rid and by_rid[r].id != c.id]
        if not mapped:
            continue
        depth, rid = mapped[0]
        target = by_rid[rid]
        anc = ancestors(c.id)
        if target.id in c.parents:
            status = "agrees" if depth == 0 else "agrees (parent is a RadLex ancestor)"
        elif target.id in anc:
            status = "agrees (ontology ancestor)"
        elif c.id in ancestors(target.id):
            status = "DISAGREES (inverted)"
        else:
            status = "DISAGREES"
        counts[status.split(" (")[0] if status.startswith("agrees") else status] += 1
        via = "parent" if depth == 0 else f"ancestor at {depth + 1}"
        ont_parents = "; ".join(concepts[p].term for p in c.parents) or "(root)"
        rows.append((status, c.id, c.term, c.category, c.rid, f"{target.term} ({rid}, RadLex {via})", ont_parents))
    return rows, counts


# ---------------------------------------------------------------------------------------------

def write_proposals(rows: list[dict[str, str]], path: str | None) -> None:
    cols = COLUMNS + PROPOSAL_EXTRA
    text = "\t".join(cols) + "\n" + "".join("\t".join(r[c] for c in cols) + "\n" for r in rows)
    if path in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")
        log(f"wrote {len(rows)} proposals to {path}")


def add_rows(new: list[dict[str, str]], mapping: list[dict[str, str]], concepts: dict[str, Concept],
             radlex: RadLex) -> int:
    decided = {(r["concept_id"], r["rid"]) for r in mapping}
    added = 0
    for r in new:
        if r.get("decision") not in DECISIONS or (r["concept_id"], r["rid"]) in decided:
            continue
        if r["concept_id"] not in concepts or r["rid"] not in radlex.name:
            log(f"skipped {r['concept_id']} {r['rid']}: concept or RID unknown")
            continue
        if r["decision"] != "accepted" and not r.get("reason", "").strip():
            log(f"skipped {r['concept_id']} {r['rid']}: a {r['decision']} row needs a reason")
            continue
        row = {c: r.get(c, "") for c in COLUMNS}
        row["radlex_name"] = radlex.name[r["rid"]]
        row["preferred_term"] = concepts[r["concept_id"]].term
        mapping.append(row)
        decided.add((r["concept_id"], r["rid"]))
        added += 1
    return added


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--radlex", metavar="DIR", type=Path, default=DEFAULT_RADLEX,
                    help=f"folder holding radlex-terms.csv (default {DEFAULT_RADLEX})")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="verify accepted rows (exit 1 on a problem)")
    mode.add_argument("--coverage", action="store_true", help="print the coverage table per category")
    mode.add_argument("--parents", action="store_true", help="print the parent agreement report")
    mode.add_argument("--add", metavar="FILE", help="merge reviewed proposal rows into the mapping file")
    mode.add_argument("--accept-exact", action="store_true",
                      help="add exact single-candidate proposals as accepted (after reviewing them)")
    ap.add_argument("--proposals", metavar="FILE", help="where proposals go (default stdout)")
    ap.add_argument("--all", action="store_true", help="with --parents: list agreements too")
    try:
        args = ap.parse_args()
    except SystemExit as e:
        return EX_OK if e.code == 0 else EX_USAGE

    concepts = load_ontology()
    mapping = read_mapping()

    if args.coverage:  # needs no RadLex list: counts what the ontology carries
        print(coverage(concepts))
        return EX_OK

    radlex = RadLex(args.radlex)

    if args.check:
        problems = check(concepts, radlex, mapping)
        for note in source_rid_notes(concepts, radlex):
            log(f"note (not an error): {note}")
        for p in problems:
            log(f"FAIL: {p}")
        counts = defaultdict(int)
        for r in mapping:
            counts[r["decision"]] += 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        if problems:
            log(f"check failed: {len(problems)} problem(s) ({summary})")
            return EX_CHECK
        log(f"check ok: {len(mapping)} rows ({summary}); every accepted RID is in {radlex.path.name} "
            f"with a matching name and is in {ONTOLOGY.name}")
        return EX_OK

    if args.parents:
        rows, counts = parents_report(concepts, radlex)
        print("status\tconcept_id\tterm\tcategory\trid\tradlex_parent_concept\tontology_parents")
        for row in rows:
            if args.all or row[0].startswith("DIS"):
                print("\t".join(row))
        log("parent agreement: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            + f" (of {len(rows)} concepts whose RadLex parent or ancestor is mapped)")
        groups: dict[str, int] = defaultdict(int)
        for row in rows:
            if row[0].startswith("DIS"):
                groups[row[5].split(" (")[0]] += 1
        log("disagreements by the RadLex-side concept: "
            + ", ".join(f"{k} {v}" for k, v in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))))
        return EX_OK

    if args.add:
        path = Path(args.add)
        if not path.exists():
            log(f"ERROR: {path} is missing")
            return EX_NOINPUT
        added = add_rows(read_mapping(path), mapping, concepts, radlex)
        write_mapping(mapping)
        log(f"added {added} reviewed row(s) to {MAPPING.relative_to(ROOT)}; run python3 scripts/build-ontology.py")
        return EX_OK

    proposals = propose(concepts, radlex, mapping)
    if args.accept_exact:
        by_concept: dict[str, list[dict[str, str]]] = defaultdict(list)
        for p in proposals:
            by_concept[p["concept_id"]].append(p)
        chosen = []
        for ps in by_concept.values():
            if len(ps) == 1 and ps[0]["match"] == "exact" and ps[0]["matched_term"] == ps[0]["preferred_term"] \
                    and not ps[0]["notes"]:
                chosen.append({**ps[0], "decision": "accepted", "reason": "exact name (accepted with --accept-exact)"})
        added = add_rows(chosen, mapping, concepts, radlex)
        write_mapping(mapping)
        log(f"accepted {added} exact proposal(s); run python3 scripts/build-ontology.py")
        return EX_OK
    write_proposals(proposals, args.proposals)
    kinds = defaultdict(int)
    for p in proposals:
        kinds[p["match"]] += 1
    log(f"{len(proposals)} new proposal(s) for {len({p['concept_id'] for p in proposals})} concept(s): "
        + ", ".join(f"{k} {kinds[k]}" for k in MATCH_RANK if kinds[k]))
    return EX_OK


if __name__ == "__main__":
    sys.exit(main())
