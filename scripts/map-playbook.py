#!/usr/bin/env python3
"""Map RadLex Playbook core procedure codes (RPIDs) to the bundled report templates.

Reads ../shared/reference/radlex/playbook-core.csv (RSNA's 1,018 Playbook core codes:
`RPID,short code,short name,long name,` then 26 `|`-separated attribute RIDs) and radlex-terms.csv
from the same folder (to decode the attribute RIDs into names), and the templates in Templates/*.html.
Writes Templates/playbook-procedures.tsv, one row per (RPID, template):

  rpid  short_code  long_name  template  match  modality  body_region  focus  contrast

  match  served: the template is written for this procedure (its RPIDs, chosen by the reviewed rules
         in TEMPLATES below: modality, body region, anatomic focus, contrast, modifiers, purpose);
         region: no template is written for it, but it is a served procedure of exactly one template
         (same modality, anatomic focus, purpose, technique) on the same body region or a part of
         it, differing only in contrast, laterality, population, views or extent (limited/complete):
         the fallback "by modality and body region from the RPID's attributes". Guidance and
         intraoperative codes and the codes a rule excludes get no region row.
  modality, body_region, focus, contrast  the Playbook attribute RIDs (positions 1, 4-6, 14, 21;
         body regions joined with `+`), so an order with only a Playbook code can be placed.

An order's template: its RPID's `served` row, else its `region` row, else the site's own table.
Attribute positions used (1-based, as in the Playbook): 1 modality, 4-6 body regions, 9 modifier
(views, angiography, guidance), 14-15 anatomic focus, 16 laterality, 17 purpose (screening, biopsy),
21 contrast, 3 population (infant, pediatric); any other set position must be allowed by the rule.

Usage: python3 scripts/map-playbook.py [--radlex DIR] [--check] [--list]
  --check  exit 1 if Templates/playbook-procedures.tsv is out of date; write nothing
  --list   also print every core code of the served modalities with its template (or none)
Prints (stdout) the share of Playbook core codes that resolve to a bundled template, overall and for
the modalities the templates serve. Exit codes: 0 ok, 1 check failed, 2 usage, 66 input missing.
RadLex and the RadLex Playbook are (c) RSNA; cite "RadLex, RSNA". Python 3 standard library only.
"""
from __future__ import annotations

import argparse
import html
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "Templates"
OUT = TEMPLATES_DIR / "playbook-procedures.tsv"
DEFAULT_RADLEX = ROOT.parent / "shared" / "reference" / "radlex"
EX_OK, EX_CHECK, EX_USAGE, EX_NOINPUT = 0, 1, 2, 66

# Attribute positions (0-based) in the 26-field list.
MODALITY, POPULATION, REGIONS, MODIFIER, FOCUS, FOCUS2, LATERALITY, PURPOSE, CONTRAST = 0, 2, (3, 4, 5), 8, 13, 14, 15, 16, 20
ALWAYS = {1}  # position 2 is "imaging procedure" on every code

WO, W, WWO = "imaging without IV contrast", "imaging with IV contrast", "imaging without then with IV contrast"

# The reviewed rules: which Playbook codes each template is written for. Names are RadLex names of the
# attribute RIDs. regions: the body regions (positions 4-6) exactly, as alternatives; focus / contrast /
# modifier / purpose: allowed values ("" = unset); allow: further positions that may be set, with values.
TEMPLATES: dict[str, dict] = {
    "chest-radiograph-2-views": dict(
        modality="projection radiography", regions=[["thorax"]], focus={""}, modifier={"2 views"},
        note="frontal and lateral chest: XR Chest 2 Views; codes that add views (apical lordotic, decubitus, "
             "obliques, inspiration/expiration) are not this template's technique"),
    "ct-head": dict(
        modality="computed tomography", regions=[["head"]], focus={""}, contrast={WO},
        note="noncontrast head CT only (the template's technique says so); orbits, sinuses, temporal bone, "
             "face, sella, perfusion and angiography have their own protocols"),
    "ct-chest": dict(
        modality="computed tomography", regions=[["thorax"]], focus={""}, contrast={WO, W, WWO},
        note="routine chest CT with or without contrast; screening (Lung-RADS), angiography, airway, "
             "high-resolution and cardiac codes need fields this template lacks"),
    "ct-pulmonary-angiogram": dict(
        modality="computed tomography", regions=[["thorax"]], focus={"set of pulmonary arteries"},
        contrast={W}, purpose={"embolism"},
        note="CT Chest w IV Contrast Pulmonary Embolus; CT Chest Angio w and wo (RPID6) is the aortic protocol"),
    "ct-abdomen-pelvis": dict(
        modality="computed tomography", regions=[["abdomen", "pelvis"]], focus={""}, contrast={WO, W, WWO},
        note="abdomen and pelvis together; colonography, enterography, urography and post-processing excluded"),
    "mri-brain": dict(
        modality="magnetic resonance imaging", regions=[["head"]], focus={"brain"}, contrast={WO, W, WWO},
        purpose={"", "postoperative", "metastasis", "neoplasm"},
        allow={POPULATION: {"pediatric"}, 11: {"high grade", "low grade", "new diagnosis"}},
        note="MR head (brain) with or without contrast, including the tumour, metastasis, post-op and "
             "pediatric variants (the template has a post-contrast option); functional MR and venography excluded"),
    "mri-knee": dict(
        modality="magnetic resonance imaging", regions=[["lower extremity"]], focus={"knee"}, contrast={WO},
        note="noncontrast knee MR (the template's technique); contrast knee MR and arthrography excluded"),
    "mri-lumbar-spine": dict(
        modality="magnetic resonance imaging", regions=[["lumbar vertebral column"]], focus={""}, contrast={WO},
        note="noncontrast lumbar spine MR (the template's technique)"),
    "radiograph-extremity": dict(
        modality="projection radiography", regions=[["upper extremity"], ["lower extremity"]],
        focus={"shoulder girdle", "humerus", "elbow", "forearm", "wrist", "hand", "finger", "thumb", "hip",
               "femur", "knee", "tibia", "ankle", "foot", "set of toes"},
        modifier={"", "1 view", "2 views", "1-2 views", "3 or more views", "2 or more views", "4 or more views",
                  "portable"},
        allow={FOCUS2: {"fibula"}, 22: {"scaphoid view"}},
        exclude={"RPID2537": "XR Hip Intraoperative: an intraoperative image, not a diagnostic radiograph "
                             "(the Playbook attributes do not say intraoperative)"},
        note="one extremity, the parts the template offers; bilateral, intraoperative, pre-operative, bone-age, "
             "infant and DXA codes excluded; clavicle, scapula, calcaneus are not among its parts"),
    "renal-ultrasound": dict(
        modality="ultrasound", regions=[[]], focus={"retroperitoneum"},
        note="US Retroperitoneum (complete): the kidneys and bladder exam; aorta and renal-vessel codes excluded"),
    "ultrasound-abdomen": dict(
        modality="ultrasound", regions=[["abdomen"]], focus={""},
        note="complete abdominal US; limited, Doppler and single-organ codes excluded"),
    "screening-mammogram": dict(
        modality="mammography", regions=[["breast"]], focus={""}, modifier={"", "tomosynthesis"},
        purpose={"screening"}, allow={LATERALITY: {"bilateral"}},
        note="bilateral screening mammography with or without tomosynthesis; implant-displaced and training "
             "codes excluded"),
}
NO_REGION_FALLBACK = {"guidance", "intraoperative"}  # modifiers that are not diagnostic reading


def log(msg: str) -> None:
    print(f"map-playbook: {msg}", file=sys.stderr)


def read_inputs(directory: Path) -> tuple[dict[str, str], list[list[str]]]:
    terms, playbook = directory / "radlex-terms.csv", directory / "playbook-core.csv"
    for path in (terms, playbook):
        if not path.exists():
            log(f"ERROR: {path} is missing. It is RSNA's public list kept beside the repository in "
                f"../shared/reference/radlex/; pass --radlex DIR if it is elsewhere.")
            sys.exit(EX_NOINPUT)
    with terms.open(encoding="utf-8", newline="") as f:
        names = {row[1]: row[0] for row in csv.reader(f) if len(row) == 3}
    with playbook.open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.reader(f) if row and row[0].startswith("RPID")]
    log(f"read {len(rows)} Playbook core codes and {len(names)} RadLex terms from {directory}")
    return names, rows


class Code:
    def __init__(self, row: list[str], names: dict[str, str]) -> None:
        self.rpid, self.short, self.short_name, self.long_name = (row[0], row[1], row[2],
                                                                  " ".join(row[3].split()))
        fields = row[4].rstrip("|").split("|")
        if len(fields) != 26:
            raise ValueError(f"{self.rpid}: {len(fields)} attributes, expected 26")
        self.rids = ["" if f == "0" else f for f in fields]
        self.names = [" + ".join(names.get(r, r) for r in f.split(";")) if f else "" for f in self.rids]

    def name(self, pos: int) -> str:
        return self.names[pos]

    @property
    def regions(self) -> list[str]:
        return [self.names[p] for p in REGIONS if self.names[p]]

    @property
    def number(self) -> int:
        return int(self.rpid[4:])


def serves(rule: dict, code: Code) -> bool:
    if code.name(MODALITY) != rule["modality"] or code.regions not in rule["regions"]:
        return False
    checks = {FOCUS: rule.get("focus", {""}), MODIFIER: rule.get("modifier", {""}),
              PURPOSE: rule.get("purpose", {""}), CONTRAST: rule.get("contrast", {""})}
    checks.update({pos: values | {""} for pos, values in rule.get("allow", {}).items()})  # allow: optional
    for pos in range(26):
        if pos in ALWAYS or pos == MODALITY or pos in REGIONS:
            continue
        allowed = checks.get(pos)
        if allowed is None:  # a position the rule does not mention must be unset
            if code.name(pos):
                return False
        elif code.name(pos) not in allowed:
            return False
    return code.rpid not in rule.get("exclude", {})


def template_slugs() -> dict[str, str]:
    out = {}
    for path in sorted(TEMPLATES_DIR.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        m = re.search(r'<meta name="dcterms.title" content="([^"]*)"', text)
        out[path.stem] = m.group(1) if m else path.stem
    return out


# The fallback ignores what changes the technique but not the report: contrast, laterality, population,
# the number or kind of views and the extent (limited / complete / portable).
IGNORED_POSITIONS = {POPULATION, LATERALITY, CONTRAST, 22, 23, 24, 25}
IGNORED_MODIFIERS = {"", "1 view", "2 views", "3 views", "1-2 views", "2-3 views", "3 or more views", "2 or more views",
                     "4 or more views", "3 or fewer views", "limited", "complete", "portable"}


def fallback_key(code: Code) -> tuple:
    """Everything but the body regions and the ignored attributes."""
    return tuple("" if pos in IGNORED_POSITIONS or pos in REGIONS or (pos == MODIFIER and code.name(pos) in
                 IGNORED_MODIFIERS) else code.name(pos) for pos in range(26))


def resolve(codes: list[Code]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """served: RPID -> templates written for it; region: RPID -> the one fallback template."""
    served: dict[str, list[str]] = defaultdict(list)
    for slug, rule in TEMPLATES.items():
        for code in codes:
            if serves(rule, code):
                served[code.rpid].append(slug)
    by_rpid = {c.rpid: c for c in codes}
    excluded = {r for rule in TEMPLATES.values() for r in rule.get("exclude", {})}
    region: dict[str, str] = {}
    for code in codes:
        if code.rpid in served or code.rpid in excluded or code.name(MODIFIER) in NO_REGION_FALLBACK:
            continue
        key, regions = fallback_key(code), set(code.regions)
        fits = {slug for rpid, slugs in served.items() for slug in slugs
                if fallback_key(by_rpid[rpid]) == key and regions <= set(by_rpid[rpid].regions)
                and (regions or not by_rpid[rpid].regions)}
        if len(fits) == 1:
            region[code.rpid] = fits.pop()
    return served, region


def table(codes: list[Code], served: dict[str, list[str]], region: dict[str, str]) -> str:
    header = ("# Playbook core codes (RPIDs) -> bundled report templates. Made by scripts/map-playbook.py from "
              "RSNA's playbook-core.csv (RadLex, RSNA); do not edit.\n"
              "# match: served = the template is written for this procedure; region = fallback: a served procedure "
              "of that template on the same body region (or part), differing only in contrast, laterality, "
              "population, views or extent. An order's template: served row, else region row, else the site's "
              "table. Attribute columns are RadLex RIDs (see scripts/map-playbook.py --help).\n")
    cols = ["rpid", "short_code", "long_name", "template", "match", "modality", "body_region", "focus", "contrast"]
    lines = []
    for code in sorted(codes, key=lambda c: c.number):
        rows = [(s, "served") for s in served.get(code.rpid, [])]
        if code.rpid in region:
            rows.append((region[code.rpid], "region"))
        for slug, match in rows:
            lines.append("\t".join([
                code.rpid, code.short, code.long_name, slug, match, code.rids[MODALITY],
                "+".join(code.rids[p] for p in REGIONS if code.rids[p]), code.rids[FOCUS], code.rids[CONTRAST],
            ]))
    return header + "\t".join(cols) + "\n" + "".join(l + "\n" for l in lines)


def shares(codes: list[Code], served: dict[str, list[str]], region: dict[str, str]) -> str:
    modalities = sorted({c.name(MODALITY) for c in codes if c.rpid in served})

    def line(label: str, subset: list[Code]) -> str:
        n = len(subset)
        s = sum(1 for c in subset if c.rpid in served)
        r = sum(1 for c in subset if c.rpid in served or c.rpid in region)
        return f"| {label} | {n} | {s} ({100 * s / n:.1f} %) | {r} ({100 * r / n:.1f} %) |" if n else ""

    out = ["| Playbook core codes | codes | a template written for it | with the modality + region fallback |",
           "|---|---:|---:|---:|", line("all modalities", codes)]
    served_mod = [c for c in codes if c.name(MODALITY) in modalities]
    out.append(line("modalities the templates serve", served_mod))
    diagnostic = [c for c in served_mod if c.name(MODIFIER) not in NO_REGION_FALLBACK and not c.name(PURPOSE)
                  or c.rpid in served]
    out.append(line("... without guidance, intraoperative and purpose-coded (biopsy, screening ...) codes",
                    diagnostic))
    for m in modalities:
        out.append(line(f"{m}", [c for c in codes if c.name(MODALITY) == m]))
    return "\n".join(out)


RPID_TERM = re.compile(r'\n  <term>\n    <code meaning="[^"]*" value="RPID\d+" scheme="RadLex"/>\n  </term>')


def write_templates(check: bool) -> int:
    """States in each template's MRRT template attributes the Playbook codes it serves (the `served` rows of
    Templates/playbook-procedures.tsv), as template-level RadLex terms: the Playbook is part of RadLex (same OID).
    Reads only the committed TSV, so it needs no ../shared. Rewrites only those terms; --check compares."""
    rows = [line.split("\t") for line in OUT.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#") and not line.startswith("rpid\t")]
    by_template: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        if row[4] == "served":
            by_template.setdefault(row[3], []).append((row[0], row[2]))
    stale = []
    for slug in sorted(template_slugs()):
        path = TEMPLATES_DIR / f"{slug}.html"
        text = path.read_text(encoding="utf-8")
        bare = RPID_TERM.sub("", text)
        codes = sorted(by_template.get(slug, []), key=lambda c: int(c[0][4:]))
        terms = "".join(
            f'\n  <term>\n    <code meaning="{html.escape(name, quote=True)}" value="{rpid}" scheme="RadLex"/>\n  </term>'
            for rpid, name in codes)
        anchor = "\n  <coded_content>"
        if anchor not in bare:
            log(f"ERROR: {path.name}: no <coded_content> after the template-level terms")
            return EX_CHECK
        new = bare.replace(anchor, terms + anchor, 1)
        if new != text:
            stale.append(slug)
            if not check:
                path.write_text(new, encoding="utf-8")
    if check and stale:
        log(f"templates out of date: {', '.join(stale)}; run python3 scripts/map-playbook.py --write-templates")
        return EX_CHECK
    log(("checked" if check else "wrote") + f" the Playbook codes of {len(template_slugs())} templates")
    return EX_OK


def main() -> int:
    if "--write-templates" in sys.argv[1:]:
        return write_templates(check="--check" in sys.argv[1:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--radlex", metavar="DIR", type=Path, default=DEFAULT_RADLEX)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--write-templates", action="store_true",
                    help="write the served RPIDs into each template's MRRT attributes (from the committed TSV; "
                         "with --check, only compare)")
    try:
        args = ap.parse_args()
    except SystemExit as e:
        return EX_OK if e.code == 0 else EX_USAGE
    names, rows = read_inputs(args.radlex)
    codes = [Code(r, names) for r in rows]
    slugs = template_slugs()
    missing = sorted(set(TEMPLATES) - set(slugs))
    if missing:
        log(f"ERROR: rules for templates that are not in Templates/: {', '.join(missing)}")
        return EX_CHECK
    served, region = resolve(codes)
    for slug in slugs:
        mine = sorted((r for r, s in served.items() if slug in s), key=lambda r: int(r[4:]))
        if not mine:
            log(f"WARNING: {slug} serves no Playbook core code")
        log(f"{slug}: {', '.join(mine)}")
    text = table(codes, served, region)
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            log(f"out of date: {OUT.relative_to(ROOT)}; run python3 scripts/map-playbook.py")
            return EX_CHECK
        log(f"up to date: {OUT.relative_to(ROOT)}")
    else:
        OUT.write_text(text, encoding="utf-8")
        log(f"wrote {OUT.relative_to(ROOT)}: {sum(len(v) for v in served.values())} served rows, "
            f"{len(region)} region rows")
    if args.list:
        served_modalities = {c.name(MODALITY) for c in codes if c.rpid in served}
        for c in sorted(codes, key=lambda c: (c.name(MODALITY), c.number)):
            if c.name(MODALITY) in served_modalities:
                where = ",".join(served.get(c.rpid, [])) or (f"({region[c.rpid]})" if c.rpid in region else "-")
                print(f"{c.rpid}\t{c.long_name}\t{where}")
    print(shares(codes, served, region))
    return EX_OK


if __name__ == "__main__":
    sys.exit(main())
