"""Plurals and verb forms for the RadScribe corpus generator (scripts/generate-corpus.py).

Radiologists count findings ("two hypodense lesions", "no renal calculi", "the cruciate ligaments
are intact") and describe what they do ("the mass abuts the pancreas", "extending into the canal",
"compressed by the hematoma"). A corpus built from singular concept names alone taught the model
that "lesion" is 2,500 times likelier than "lesions", so plural endings were heard as a separate
short word ("lesion so", "device is"). These helpers give the generator the other word forms.
Python 3.11 standard library only.
"""
from __future__ import annotations

# Latin and Greek plurals used in radiology; everything else follows the rules in pluralize().
IRREGULAR_PLURALS = {
    "calculus": "calculi", "focus": "foci", "bronchus": "bronchi", "meniscus": "menisci",
    "embolus": "emboli", "thrombus": "thrombi", "nucleus": "nuclei", "sulcus": "sulci",
    "vertebra": "vertebrae", "bulla": "bullae", "fossa": "fossae", "diverticulum": "diverticula",
    "ganglion": "ganglia", "phalanx": "phalanges", "apex": "apices", "cortex": "cortices",
    "appendix": "appendices", "foramen": "foramina", "hilum": "hila", "axilla": "axillae",
    "varix": "varices", "tooth": "teeth", "foot": "feet",
}


def pluralize(phrase: str) -> str:
    """Plural of a noun phrase: its last word is inflected ("hypodense lesion" -> "hypodense lesions")."""
    words = phrase.split()
    last = words[-1]
    if last in IRREGULAR_PLURALS:
        plural = IRREGULAR_PLURALS[last]
    elif last.endswith("sis"):
        plural = last[:-3] + "ses"
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "o", "u"):
        plural = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh", "z")):
        plural = last + "es"
    else:
        plural = last + "s"
    return " ".join(words[:-1] + [plural])


# Countable findings beyond the generator's SIZEABLE list (which are countable as well).
COUNTABLE_FINDINGS = [
    "lesion", "hypodense lesion", "hypoattenuating lesion", "enhancing lesion", "nodule",
    "pulmonary nodule", "solid nodule", "ground glass nodule", "cyst", "renal cyst", "hepatic cyst",
    "stone", "calculus", "renal calculus", "gallstone", "lymph node", "enlarged lymph node",
    "mediastinal lymph node", "fracture", "rib fracture", "nondisplaced fracture", "osteophyte",
    "marginal osteophyte", "erosion", "opacity", "airspace opacity", "ground glass opacity",
    "calcification", "punctate calcification", "filling defect", "focus", "hypodensity",
    "hyperintensity", "white matter hyperintensity", "infarct", "lacunar infarct", "microhemorrhage",
    "metastasis", "diverticulum", "polyp", "fibroid", "hemangioma", "septation", "defect",
    "embolus", "pulmonary embolus", "thrombus", "tear", "loose body", "bone island", "sclerotic lesion",
    "lytic lesion", "air fluid level", "abscess", "collection", "fluid collection", "mass",
    "disc osteophyte complex",
]
# Countable things that are not findings: counted ("two pacemaker leads"), never "cannot be excluded".
COUNTABLE_OBJECTS = ["surgical clip", "biopsy clip", "pacemaker lead", "vertebral body", "intervertebral disc",
                     "sternal wire", "pedicle screw", "staple", "coil", "stent"]

# Anatomy that is normally reported in the plural.
PLURAL_ANATOMY = [
    "lungs", "kidneys", "adrenal glands", "ovaries", "breasts", "axillae", "hila", "costophrenic angles",
    "paranasal sinuses", "mastoid air cells", "orbits", "ventricles", "basal cisterns", "sulci",
    "cerebral sulci", "vertebral bodies", "vertebral body heights", "intervertebral discs",
    "intervertebral disc heights", "disc spaces", "facet joints", "neural foramina", "pedicles",
    "posterior elements", "cruciate ligaments", "collateral ligaments", "menisci", "tendons",
    "flexor tendons", "extensor tendons", "rotator cuff tendons", "visualized osseous structures",
    "osseous structures", "bones", "soft tissues", "joint spaces", "loops of bowel", "bowel loops",
    "small bowel loops", "mesenteric vessels", "pulmonary arteries", "carotid arteries",
    "vertebral arteries", "femoral veins", "deep veins", "lymph nodes", "seminal vesicles",
    "testes", "salivary glands", "thyroid lobes", "ureters", "renal arteries", "iliac arteries",
    "hepatic veins", "bile ducts", "intrahepatic bile ducts", "ribs", "clavicles", "carpal bones",
    "metacarpals", "phalanges", "tarsal bones", "metatarsals", "sacroiliac joints", "hips",
]
PLURAL_STATES = ["are normal", "are unremarkable", "are intact", "are clear", "are patent",
                 "are symmetric", "are within normal limits", "are preserved", "are maintained",
                 "are normal in size", "appear normal", "are grossly unremarkable", "are not dilated",
                 "are well aerated", "are normal in caliber", "are normally aligned"]
QUANTITIES = ["two", "three", "four", "five", "multiple", "several", "numerous", "scattered",
              "a few", "few", "innumerable", "bilateral", "at least three", "two adjacent"]

# verb -> (third person singular, past participle, present participle, object prepositions)
# An empty preposition means the verb takes its object directly.
VERBS: dict[str, tuple[str, str, str, list[str]]] = {
    "abut": ("abuts", "abutted", "abutting", [""]),
    "compress": ("compresses", "compressed", "compressing", [""]),
    "displace": ("displaces", "displaced", "displacing", [""]),
    "encase": ("encases", "encased", "encasing", [""]),
    "invade": ("invades", "invaded", "invading", [""]),
    "involve": ("involves", "involved", "involving", [""]),
    "surround": ("surrounds", "surrounded", "surrounding", [""]),
    "efface": ("effaces", "effaced", "effacing", [""]),
    "narrow": ("narrows", "narrowed", "narrowing", [""]),
    "obliterate": ("obliterates", "obliterated", "obliterating", [""]),
    "occlude": ("occludes", "occluded", "occluding", [""]),
    "obstruct": ("obstructs", "obstructed", "obstructing", [""]),
    "contact": ("contacts", "contacted", "contacting", [""]),
    "indent": ("indents", "indented", "indenting", [""]),
    "deform": ("deforms", "deformed", "deforming", [""]),
    "cross": ("crosses", "crossed", "crossing", [""]),
    "traverse": ("traverses", "traversed", "traversing", [""]),
    "extend": ("extends", "extended", "extending", ["into", "to", "along", "beyond"]),
    "project": ("projects", "projected", "projecting", ["over", "into", "beyond"]),
    "terminate": ("terminates", "terminated", "terminating", ["in", "at", "within"]),
    "insert": ("inserts", "inserted", "inserting", ["on", "into"]),
    "attach": ("attaches", "attached", "attaching", ["to"]),
    "arise": ("arises", "arisen", "arising", ["from"]),
    "protrude": ("protrudes", "protruded", "protruding", ["into"]),
    "herniate": ("herniates", "herniated", "herniating", ["into", "through"]),
    "drain": ("drains", "drained", "draining", ["into"]),
    "course": ("courses", "coursed", "coursing", ["along", "through", "over"]),
}
MASS_SUBJECTS = ["mass", "lesion", "hematoma", "collection", "cyst", "tumor", "disc extrusion",
                 "disc protrusion", "osteophyte", "fracture fragment", "enhancing mass", "abscess",
                 "lymph node", "aneurysm", "soft tissue component", "fluid collection", "nodule"]
TARGETS = ["thecal sac", "spinal cord", "ventral thecal sac", "traversing nerve root", "exiting nerve root",
           "neural foramen", "spinal canal", "pancreas", "duodenum", "bladder", "rectum", "liver capsule",
           "inferior vena cava", "portal vein", "superior mesenteric vein", "superior mesenteric artery",
           "celiac axis", "aorta", "left renal vein", "bronchus", "trachea", "esophagus", "pleura",
           "chest wall", "diaphragm", "lateral ventricle", "fourth ventricle", "brainstem", "optic chiasm",
           "cavernous sinus", "orbit", "ureter", "collecting system", "renal pelvis", "gallbladder",
           "common bile duct", "pericardium", "adjacent bowel", "adjacent vertebral body", "joint space",
           "subcutaneous fat", "muscle", "pectoralis muscle", "nipple", "skin", "cortex"]
DEVICES = ["endotracheal tube", "enteric tube", "nasogastric tube", "central venous catheter",
           "right internal jugular central venous catheter", "peripherally inserted central catheter",
           "pacemaker lead", "chest tube", "surgical drain", "femoral component", "acetabular component",
           "tibial component", "hip prosthesis", "knee arthroplasty", "interbody spacer", "pedicle screw",
           "plate and screws", "intramedullary nail", "ureteral stent", "biliary stent", "sternal wires"]
ADVERBS = ["mildly", "moderately", "severely", "markedly", "minimally", "slightly", "diffusely", "focally",
           "predominantly", "primarily", "partially", "completely", "heterogeneously", "homogeneously",
           "avidly", "peripherally", "centrally", "somewhat", "relatively", "newly", "previously",
           "persistently", "progressively", "chronically", "acutely", "circumferentially", "asymmetrically",
           "symmetrically", "bilaterally", "incompletely", "superiorly", "inferiorly", "medially", "laterally",
           "anteriorly", "posteriorly"]
ADVERB_TARGETS = ["enhancing", "dilated", "thickened", "displaced", "distended", "narrowed", "increased",
                  "decreased", "calcified", "hyperintense", "hypointense", "hypodense", "hyperdense",
                  "heterogeneous", "enlarged", "prominent", "edematous", "echogenic", "hypoechoic",
                  "effaced", "collapsed", "aerated", "atrophic", "sclerotic", "lucent", "lobulated",
                  "ill defined", "well circumscribed", "loculated", "septated", "necrotic", "cystic"]


# Negated verbs: "the lesions do not enhance", "the right ovary was not seen", "cannot be excluded".
NEGATED_VERB_PHRASES = [
    "enhance", "restrict diffusion", "require follow up", "require further evaluation",
    "demonstrate internal flow", "demonstrate internal vascularity", "demonstrate suspicious features",
    "extend into the canal", "communicate with the joint", "cross the midline", "meet size criteria",
    "cause mass effect", "contain fat", "show interval growth", "appear aggressive", "involve the cortex",
]
NEGATED_STATES = ["visualized", "seen", "imaged", "identified", "evaluated", "included", "assessed",
                  "well seen", "well visualized", "performed", "compressible", "opacified", "distended"]


def negated_sentences(choice) -> list[str]:
    """One draw of each negated verb form."""
    f = choice(MASS_SUBJECTS + COUNTABLE_FINDINGS)
    organ = choice(PLURAL_ANATOMY)
    return [
        f"the {pluralize(f)} do not {choice(NEGATED_VERB_PHRASES)}",
        f"the {f} does not {choice(NEGATED_VERB_PHRASES)}",
        f"the {f} did not {choice(NEGATED_VERB_PHRASES)}",
        f"the {choice(TARGETS)} was not {choice(NEGATED_STATES)}",
        f"the {organ} were not {choice(NEGATED_STATES)}",
        f"the {organ} are not {choice(NEGATED_STATES)}",
        f"{choice(['a', 'an underlying', 'a small'])} {f} {choice(['cannot be excluded', 'is not excluded', 'is not seen', 'is not identified'])}",
        f"{choice(['this', 'it', 'which'])} {choice(['does not', 'did not', 'is not', 'was not'])} {choice(['change', 'enhance', 'appear significantly changed', 'represent a fracture', 'meet criteria'])}",
    ]


def plural_sentences(choice, randint, loc_for, size, neg_lead) -> list[str]:
    """One draw of each plural sentence kind. The callers pass their seeded random helpers:
    choice(seq), randint(lo, hi), loc_for() -> a location phrase, size() -> "seven millimeters",
    neg_lead() -> "no" | "there is no" | ... ."""
    f = choice(COUNTABLE_FINDINGS + COUNTABLE_OBJECTS)
    p = pluralize(f)
    q = choice(QUANTITIES)
    anatomy = choice(PLURAL_ANATOMY)
    out = [
        f"there are {q} {p} in the {loc_for()}",
        f"{q} {p} are seen in the {loc_for()}",
        f"{q} {p} are present comma the largest measuring {size()}",
        f"the {p} measure up to {size()}",
        f"the {p} are {choice(['stable', 'unchanged', 'not significantly changed', 'slightly larger', 'smaller', 'new'])}",
        f"{choice(['no', 'no other', 'no new', 'no suspicious', 'no additional', 'no enlarged'])} {p} {choice(['are seen', 'are identified', 'are present', ''])}".strip(),
        f"{neg_lead()} {p}",
        f"the {anatomy} {choice(PLURAL_STATES)}",
        f"both {anatomy} {choice(PLURAL_STATES)}",
        f"the {anatomy} demonstrate {choice(['no abnormality', 'normal signal', 'normal enhancement', 'mild degenerative change'])}",
        f"{choice(['scattered', 'multiple', 'several'])} {p} {choice(['are again noted', 'are again seen', 'are redemonstrated', 'remain'])}",
    ]
    return out


def verb_sentences(choice) -> list[str]:
    """One draw of each verb form for a random verb: 3rd person, plural subject, -ing, passive."""
    verb = choice(sorted(VERBS))
    third, participle, ing, preps = VERBS[verb]
    prep = choice(preps)
    obj = (prep + " the " if prep else "the ") + choice(TARGETS)
    subject = choice(MASS_SUBJECTS)
    out = [
        f"the {subject} {third} {obj}",
        f"the {pluralize(subject)} {verb} {obj}",
        f"there is {'an' if subject[0] in 'aeiou' else 'a'} {subject} {ing} {obj}",
        f"{choice(['with', 'without'])} {pluralize(subject) if choice([0, 1]) else 'mass effect'} {ing} {obj}",
        f"{choice(['previously', 'again'])} {ing} {obj}",
    ]
    if not prep:
        out.append(f"the {choice(TARGETS)} is {participle} by the {subject}")
        out.append(f"the {choice(TARGETS)} is {choice(['mildly', 'severely', 'not', 'partially'])} {participle}")
    else:
        out.append(f"the {subject} has {participle} {obj}")
    device = choice(DEVICES)
    out.append(f"the {device} is {choice(['well seated', 'in satisfactory position', 'in expected position', 'appropriately positioned', 'unchanged in position', 'intact'])}")
    out.append(f"the {device} {choice(['terminates', 'projects', 'tip projects', 'courses'])} {choice(['over', 'in', 'at'])} the {choice(TARGETS)}")
    out.append(f"{choice(ADVERBS)} {choice(ADVERB_TARGETS)} {choice(MASS_SUBJECTS)}")
    out.append(f"the {choice(MASS_SUBJECTS)} is {choice(ADVERBS)} {choice(ADVERB_TARGETS)}")
    out.append(f"the {pluralize(choice(MASS_SUBJECTS))} contain {choice(['fluid', 'internal debris', 'a thin septation', 'fat', 'gas', 'calcification'])}")
    out.append(f"the {choice(MASS_SUBJECTS)} contains {choice(['fluid', 'internal debris', 'thin septations', 'macroscopic fat', 'a fluid level', 'coarse calcification'])}")
    return out
