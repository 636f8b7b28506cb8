#!/usr/bin/env python3
"""Generate Lexicon/corpus/generated.txt: deterministic (seeded) spoken-form radiology sentences.

Combines ontology-like lists (exam, anatomy, finding, descriptor, laterality, negation,
measurement with number words 0-100 / decimals / units, comparison dates, section headers,
spoken punctuation, voice commands) into grammatical sentences, puts every term of the ontology
(Lexicon/ontology/radscribe-ontology.tsv, see scripts/ontology_corpus.py) into a few frames, and adds
the visible text of every Templates/*.html converted to spoken form. Lines that equal or contain a held-out
benchmark/test sentence are removed (see scripts/corpus_hygiene.py); the count is printed.

Usage: python3 scripts/generate-corpus.py [--lines N] [--seed S] [--out FILE]
Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_hygiene import Filter  # noqa: E402
from corpus_inflections import negated_sentences, plural_sentences, pluralize, verb_sentences  # noqa: E402
from ontology_corpus import drill as ontology_drill  # noqa: E402
from spoken_text import MONTHS, ORDINALS, number_words, plain_words, template_visible_lines, to_spoken, year_words  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Lexicon" / "corpus" / "generated.txt"

COMMANDS = ["next field", "previous field", "scratch that", "undo that", "insert normal",
            "sign report", "save draft", "go to findings", "go to impression", "new paragraph",
            "new line"]
HEADERS = ["clinical information", "history", "indication", "comparison", "technique",
           "findings", "impression", "recommendation"]
SIDES = ["right", "left"]
LATERALITY = ["right", "left", "bilateral"]
SIZES = ["small", "moderate", "large", "trace", "tiny", "mild", "moderate to large", "small to moderate"]
SEVERITY = ["mild", "moderate", "severe", "minimal", "mild to moderate", "moderate to severe"]
CHRONICITY = ["acute", "chronic", "subacute", "new", "stable", "unchanged", "old", "healing"]
NEG_LEADS = ["no", "there is no", "no evidence of", "negative for", "without evidence of",
             "no definite", "there is no evidence of", "no significant", "no acute"]
CERTAINTY = ["likely", "most likely", "possibly", "probably", "consistent with", "compatible with",
             "suspicious for", "concerning for", "suggestive of", "which may represent",
             "which could represent"]

# organ/system -> (location phrases, positive findings (noun phrases), negatable findings)
SYSTEMS: dict[str, dict[str, list[str]]] = {
    "chest": {
        "loc": ["{side} upper lobe", "{side} lower lobe", "right middle lobe", "lingula",
                "{side} lung base", "{side} lung apex", "{side} perihilar region",
                "{side} costophrenic angle", "{side} hemithorax", "{side} mid lung",
                "superior segment of the {side} lower lobe", "posterior segment of the right upper lobe",
                "apicoposterior segment of the left upper lobe", "{side} major fissure"],
        "pos": ["consolidation", "airspace opacity", "ground glass opacity", "atelectasis",
                "subsegmental atelectasis", "linear atelectasis", "pleural effusion", "pneumothorax",
                "nodule", "solid nodule", "part solid nodule", "ground glass nodule", "mass",
                "spiculated mass", "calcified granuloma", "bronchiectasis", "bronchial wall thickening",
                "mucus plugging", "tree in bud nodularity", "cavitary lesion", "scarring",
                "pleural thickening", "calcified pleural plaque", "interstitial opacity",
                "reticular opacity", "honeycombing", "emphysema", "centrilobular emphysema",
                "paraseptal emphysema", "bulla", "loculated pleural effusion", "empyema",
                "hydropneumothorax", "pulmonary infarct", "air bronchogram", "aspiration",
                "pneumonia", "lobar pneumonia", "opacification", "volume loss"],
        "neg": ["focal consolidation", "pleural effusion", "pneumothorax", "pulmonary edema",
                "suspicious pulmonary nodule", "pulmonary embolism", "mediastinal lymphadenopathy",
                "hilar lymphadenopathy", "pericardial effusion", "free air under the diaphragm",
                "acute cardiopulmonary process", "cardiomegaly", "interstitial edema",
                "acute osseous abnormality", "displaced rib fracture", "pneumomediastinum",
                "aortic dissection", "mediastinal widening", "consolidation", "pleural thickening"],
    },
    "head": {
        "loc": ["{side} frontal lobe", "{side} parietal lobe", "{side} temporal lobe",
                "{side} occipital lobe", "{side} cerebellar hemisphere", "{side} basal ganglia",
                "{side} thalamus", "pons", "{side} corona radiata", "{side} centrum semiovale",
                "{side} insular cortex", "{side} caudate head", "{side} internal capsule",
                "{side} frontal convexity", "{side} sylvian fissure", "{side} lateral ventricle",
                "corpus callosum", "{side} middle cerebral artery territory", "vermis"],
        "pos": ["infarct", "acute infarct", "lacunar infarct", "hemorrhage", "intraparenchymal hemorrhage",
                "subdural hematoma", "epidural hematoma", "subarachnoid hemorrhage", "contusion",
                "encephalomalacia", "gliosis", "vasogenic edema", "mass", "enhancing mass",
                "ring enhancing lesion", "meningioma", "white matter hyperintensity",
                "restricted diffusion", "microhemorrhage", "cavernous malformation",
                "arachnoid cyst", "developmental venous anomaly", "calcification"],
        "neg": ["acute intracranial hemorrhage", "mass effect", "midline shift", "hydrocephalus",
                "extraaxial fluid collection", "acute territorial infarct", "restricted diffusion",
                "abnormal enhancement", "intracranial mass", "calvarial fracture",
                "acute intracranial abnormality", "herniation", "skull fracture",
                "abnormal susceptibility", "intracranial aneurysm"],
    },
    "abdomen": {
        "loc": ["liver", "right hepatic lobe", "left hepatic lobe", "segment {seg} of the liver",
                "gallbladder", "pancreatic head", "pancreatic tail", "pancreatic body", "spleen",
                "{side} kidney", "upper pole of the {side} kidney", "lower pole of the {side} kidney",
                "interpolar region of the {side} kidney", "{side} adrenal gland", "{side} ureter",
                "urinary bladder", "sigmoid colon", "cecum", "terminal ileum", "ascending colon",
                "descending colon", "transverse colon", "{side} lower quadrant", "{side} upper quadrant",
                "pelvis", "retroperitoneum", "mesentery", "{side} ovary", "uterus", "prostate",
                "{side} paracolic gutter", "{side} inguinal canal", "{side} renal pelvis"],
        "pos": ["hypodense lesion", "hypoattenuating lesion", "cyst", "simple cyst", "complex cyst",
                "hemangioma", "enhancing mass", "solid mass", "stone", "calculus", "nonobstructing stone",
                "obstructing stone", "hydronephrosis", "fat stranding", "wall thickening",
                "fluid collection", "abscess", "free fluid", "lymph node", "adenoma", "lipoma",
                "angiomyolipoma", "diverticulosis", "diverticulitis", "hernia", "calcification",
                "hepatic steatosis", "fibroid", "polyp", "sludge", "gallstone", "cholelithiasis",
                "splenule", "ascites", "bowel wall thickening", "phlebolith"],
        "neg": ["hydronephrosis", "free air", "pneumoperitoneum", "bowel obstruction", "abscess",
                "free fluid", "ascites", "lymphadenopathy", "retroperitoneal lymphadenopathy",
                "acute appendicitis", "diverticulitis", "cholecystitis", "pericholecystic fluid",
                "biliary ductal dilatation", "intrahepatic biliary ductal dilatation",
                "pancreatic ductal dilatation", "focal hepatic lesion", "renal mass",
                "nephrolithiasis", "urolithiasis", "hydroureter", "perinephric stranding",
                "splenomegaly", "hepatomegaly", "abdominal aortic aneurysm", "inguinal hernia",
                "pneumatosis", "portal venous gas", "mesenteric stranding", "adnexal mass",
                "ovarian torsion", "acute abnormality in the abdomen or pelvis"],
    },
    "spine": {
        "loc": ["{level} level", "{vert} vertebral body", "{vert} level"],
        "pos": ["disc bulge", "broad based disc bulge", "disc protrusion", "disc extrusion",
                "paracentral disc protrusion", "foraminal disc protrusion", "annular fissure",
                "facet arthropathy", "ligamentum flavum thickening", "uncovertebral hypertrophy",
                "disc osteophyte complex", "spinal canal stenosis", "neural foraminal narrowing",
                "compression fracture", "compression deformity", "anterolisthesis", "retrolisthesis",
                "spondylolysis", "endplate edema", "modic type one endplate change",
                "modic type two endplate change", "schmorl node", "hemangioma", "synovial cyst",
                "disc desiccation", "loss of disc height", "myelomalacia", "cord compression"],
        "neg": ["spinal canal stenosis", "neural foraminal narrowing", "disc herniation",
                "cord compression", "abnormal cord signal", "acute fracture", "marrow edema",
                "suspicious marrow lesion", "spondylolisthesis", "epidural collection",
                "paraspinal abnormality", "nerve root impingement", "malalignment"],
    },
    "msk": {
        "loc": ["{side} distal radius", "{side} ulnar styloid", "{side} scaphoid", "{side} fifth metatarsal",
                "{side} distal fibula", "{side} lateral malleolus", "{side} medial malleolus",
                "{side} femoral neck", "{side} intertrochanteric femur", "{side} proximal humerus",
                "{side} humeral head", "{side} clavicle", "{side} patella", "{side} tibial plateau",
                "{side} calcaneus", "{side} proximal phalanx", "{side} acetabulum",
                "{side} medial meniscus", "{side} lateral meniscus", "{side} anterior cruciate ligament",
                "{side} supraspinatus tendon", "{side} glenoid labrum", "{side} achilles tendon",
                "{side} knee", "{side} hip", "{side} shoulder", "{side} ankle", "{side} wrist",
                "{side} elbow", "{side} hand", "{side} foot", "{side} first metatarsophalangeal joint",
                "{side} acromioclavicular joint", "{side} sacroiliac joint"],
        "pos": ["fracture", "nondisplaced fracture", "displaced fracture", "comminuted fracture",
                "impacted fracture", "avulsion fracture", "stress fracture", "dislocation",
                "subluxation", "joint effusion", "osteoarthritis", "degenerative change",
                "joint space narrowing", "osteophyte", "erosion", "soft tissue swelling",
                "bone contusion", "bone marrow edema", "tear", "partial thickness tear",
                "full thickness tear", "complete tear", "tendinosis", "tenosynovitis", "bursitis",
                "lytic lesion", "sclerotic lesion", "enchondroma", "osteochondral lesion",
                "chondromalacia", "calcific tendinitis", "foreign body", "soft tissue gas",
                "periosteal reaction", "callus formation"],
        "neg": ["acute fracture", "dislocation", "malalignment", "joint effusion", "focal osseous lesion",
                "radiopaque foreign body", "soft tissue gas", "erosion", "periosteal reaction",
                "meniscal tear", "ligament tear", "rotator cuff tear", "labral tear",
                "avascular necrosis", "osteomyelitis", "internal derangement",
                "acute osseous abnormality", "hardware complication", "loosening"],
    },
    "breast": {
        "loc": ["{side} breast", "upper outer quadrant of the {side} breast",
                "upper inner quadrant of the {side} breast", "lower outer quadrant of the {side} breast",
                "lower inner quadrant of the {side} breast", "{side} breast at {clock} o'clock",
                "{side} retroareolar region", "{side} axilla", "{side} breast at {clock} o'clock {cm} centimeters from the nipple"],
        "pos": ["mass", "oval mass", "irregular mass", "circumscribed mass", "spiculated mass",
                "focal asymmetry", "asymmetry", "developing asymmetry", "architectural distortion",
                "calcifications", "grouped calcifications", "fine pleomorphic calcifications",
                "amorphous calcifications", "coarse heterogeneous calcifications",
                "benign appearing calcifications", "cyst", "simple cyst", "complicated cyst",
                "hypoechoic mass", "fibroadenoma", "intramammary lymph node", "skin thickening",
                "lymph node", "biopsy clip", "postsurgical change"],
        "neg": ["suspicious mass", "suspicious calcifications", "architectural distortion",
                "mammographic evidence of malignancy", "suspicious axillary lymphadenopathy",
                "skin thickening", "nipple retraction", "sonographic abnormality", "suspicious finding"],
    },
    "vascular": {
        "loc": ["{side} common femoral vein", "{side} femoral vein", "{side} popliteal vein",
                "{side} posterior tibial veins", "{side} internal jugular vein", "{side} subclavian vein",
                "{side} common carotid artery", "{side} internal carotid artery", "abdominal aorta",
                "ascending aorta", "descending thoracic aorta", "main pulmonary artery",
                "{side} main pulmonary artery", "{side} lower lobe pulmonary arteries",
                "{side} upper lobe segmental pulmonary arteries", "superior mesenteric artery",
                "portal vein", "inferior vena cava", "{side} renal artery", "{side} common iliac artery"],
        "pos": ["thrombus", "occlusive thrombus", "nonocclusive thrombus", "filling defect",
                "pulmonary embolus", "saddle embolus", "aneurysm", "dissection", "stenosis",
                "plaque", "calcified plaque", "atherosclerotic calcification", "pseudoaneurysm",
                "dilatation", "intimal flap", "mural thrombus"],
        "neg": ["deep venous thrombosis", "pulmonary embolism", "aortic dissection", "aneurysm",
                "hemodynamically significant stenosis", "thrombus", "right heart strain",
                "active extravasation", "pseudoaneurysm"],
    },
}

MASS_NOUNS = {
    "consolidation", "atelectasis", "subsegmental atelectasis", "linear atelectasis", "emphysema",
    "centrilobular emphysema", "paraseptal emphysema", "honeycombing", "bronchiectasis", "scarring",
    "bronchial wall thickening", "mucus plugging", "tree in bud nodularity", "pleural thickening",
    "opacification", "volume loss", "aspiration", "pneumonia", "lobar pneumonia", "hydropneumothorax",
    "pneumothorax", "empyema", "hemorrhage", "intraparenchymal hemorrhage", "subarachnoid hemorrhage",
    "encephalomalacia", "gliosis", "vasogenic edema", "restricted diffusion", "calcification",
    "white matter hyperintensity", "fat stranding", "wall thickening", "free fluid", "hydronephrosis",
    "diverticulosis", "diverticulitis", "hepatic steatosis", "sludge", "cholelithiasis", "ascites",
    "bowel wall thickening", "facet arthropathy", "ligamentum flavum thickening",
    "uncovertebral hypertrophy", "spinal canal stenosis", "neural foraminal narrowing", "endplate edema",
    "disc desiccation", "loss of disc height", "myelomalacia", "cord compression", "anterolisthesis",
    "retrolisthesis", "spondylolysis", "joint effusion", "osteoarthritis", "degenerative change",
    "joint space narrowing", "soft tissue swelling", "bone marrow edema", "tendinosis", "tenosynovitis",
    "bursitis", "chondromalacia", "calcific tendinitis", "soft tissue gas", "periosteal reaction",
    "callus formation", "architectural distortion", "calcifications", "grouped calcifications",
    "fine pleomorphic calcifications", "amorphous calcifications", "coarse heterogeneous calcifications",
    "benign appearing calcifications", "skin thickening", "postsurgical change", "thrombus",
    "occlusive thrombus", "nonocclusive thrombus", "dilatation", "plaque", "calcified plaque",
    "atherosclerotic calcification", "stenosis", "mural thrombus", "emphysema", "interstitial opacity",
    "reticular opacity", "dissection", "subluxation", "erosion", "disc desiccation"}
SIZEABLE = {
    "nodule", "solid nodule", "part solid nodule", "ground glass nodule", "mass", "spiculated mass",
    "calcified granuloma", "cavitary lesion", "bulla", "enhancing mass", "ring enhancing lesion",
    "meningioma", "arachnoid cyst", "subdural hematoma", "epidural hematoma", "hypodense lesion",
    "hypoattenuating lesion", "cyst", "simple cyst", "complex cyst", "hemangioma", "solid mass", "stone",
    "calculus", "nonobstructing stone", "obstructing stone", "fluid collection", "abscess", "lymph node",
    "adenoma", "lipoma", "angiomyolipoma", "fibroid", "polyp", "gallstone", "lytic lesion",
    "sclerotic lesion", "enchondroma", "osteochondral lesion", "foreign body", "oval mass",
    "irregular mass", "circumscribed mass", "complicated cyst", "hypoechoic mass", "fibroadenoma",
    "intramammary lymph node", "aneurysm", "pseudoaneurysm", "synovial cyst", "disc extrusion",
    "disc protrusion", "paracentral disc protrusion", "foraminal disc protrusion", "loculated pleural effusion"}
DX = {
    "chest": ["pneumonia", "atelectasis", "scarring", "aspiration", "pulmonary edema", "malignancy",
              "infection", "granulomatous disease", "a benign process", "an intrapulmonary lymph node",
              "organizing pneumonia", "metastatic disease", "pulmonary infarct"],
    "head": ["acute infarct", "chronic small vessel ischemic disease", "a meningioma", "metastatic disease",
             "postoperative change", "hemorrhagic contusion", "a developmental venous anomaly",
             "demyelinating disease", "a primary neoplasm", "subacute infarct"],
    "abdomen": ["a simple cyst", "a hemangioma", "metastatic disease", "an adenoma", "infection",
                "acute appendicitis", "acute diverticulitis", "inflammation", "a benign lesion",
                "focal fatty sparing", "an angiomyolipoma", "a complicated cyst", "malignancy"],
    "spine": ["degenerative change", "a chronic fracture", "an acute fracture", "a hemangioma",
              "discitis", "metastatic disease", "a schmorl node", "a synovial cyst"],
    "msk": ["a bone island", "an enchondroma", "an acute fracture", "a healing fracture",
            "osteomyelitis", "a bone contusion", "degenerative change", "a stress fracture",
            "a nonossifying fibroma", "gout", "inflammatory arthritis"],
    "breast": ["a fibroadenoma", "a simple cyst", "a complicated cyst", "an intramammary lymph node",
               "fat necrosis", "postsurgical change", "malignancy", "a benign process"],
    "vascular": ["acute deep venous thrombosis", "chronic thrombus", "pulmonary embolism",
                 "atherosclerotic disease", "a dissection", "a pseudoaneurysm", "mixing artifact"],
}
BILATERAL = ["pleural effusions", "lower lobe opacities", "perihilar opacities", "hilar lymphadenopathy",
             "renal cysts", "hydronephrosis", "pulmonary nodules", "lower lobe atelectasis",
             "pulmonary emboli", "hip osteoarthritis", "knee osteoarthritis", "breast cysts",
             "neural foraminal narrowing", "adrenal nodules", "inguinal hernias", "apical pleural thickening",
             "ground glass opacities", "axillary lymph nodes", "pars defects", "sacroiliitis"]

EXAMS = {
    "chest": ["p a and lateral views of the chest", "a single portable a p view of the chest",
              "c t of the chest without intravenous contrast", "c t of the chest with intravenous contrast",
              "c t angiography of the chest according to pulmonary embolism protocol",
              "low dose c t of the chest for lung cancer screening",
              "high resolution c t of the chest"],
    "head": ["noncontrast c t of the head", "m r i of the brain with and without intravenous gadolinium",
             "m r i of the brain without contrast", "c t angiography of the head and neck",
             "c t perfusion of the brain"],
    "abdomen": ["c t of the abdomen and pelvis with intravenous contrast",
                "c t of the abdomen and pelvis without contrast", "ultrasound of the abdomen",
                "right upper quadrant ultrasound", "renal ultrasound", "ultrasound of the kidneys and bladder",
                "m r i of the abdomen with and without contrast", "transvaginal ultrasound of the pelvis",
                "c t urogram"],
    "spine": ["m r i of the lumbar spine without contrast", "m r i of the cervical spine without contrast",
              "m r i of the thoracic spine", "c t of the cervical spine without contrast",
              "radiographs of the lumbar spine", "flexion and extension views of the cervical spine"],
    "msk": ["three views of the {side} wrist", "two views of the {side} ankle", "three views of the {side} foot",
            "a p and lateral views of the {side} knee", "m r i of the {side} knee without contrast",
            "m r i of the {side} shoulder without contrast", "two views of the {side} hip",
            "three views of the {side} hand", "two views of the {side} elbow", "a p pelvis",
            "two views of the {side} humerus", "two views of the {side} tibia and fibula"],
    "breast": ["bilateral digital screening mammography with tomosynthesis",
               "diagnostic mammography of the {side} breast", "targeted ultrasound of the {side} breast",
               "bilateral breast m r i with and without contrast"],
    "vascular": ["duplex ultrasound of the {side} lower extremity veins", "carotid duplex ultrasound",
                 "c t angiography of the chest", "c t angiography of the abdomen and pelvis",
                 "ultrasound of the {side} upper extremity veins"],
}
CLINICAL = ["shortness of breath", "chest pain", "cough and fever", "abdominal pain", "flank pain",
            "hematuria", "headache", "trauma", "fall", "motor vehicle collision", "weight loss",
            "follow up of a pulmonary nodule", "known malignancy", "staging", "low back pain",
            "neck pain", "knee pain", "shoulder pain", "wrist pain after fall", "ankle injury",
            "hip pain", "right upper quadrant pain", "right lower quadrant pain", "left lower quadrant pain",
            "nausea and vomiting", "altered mental status", "syncope", "seizure", "dizziness",
            "hypoxia", "tachycardia", "leg swelling", "palpable lump", "screening", "elevated liver enzymes",
            "acute kidney injury", "urinary tract infection", "sepsis", "fever of unknown origin",
            "postoperative evaluation", "line placement", "tube placement", "stroke symptoms",
            "numbness and tingling", "radiculopathy", "pelvic pain", "vaginal bleeding",
            "hemoptysis", "wheezing", "dysphagia", "jaundice", "constipation", "diarrhea"]
VERTS = (["c " + number_words(i) for i in range(1, 8)] + ["t " + number_words(i) for i in range(1, 13)]
         + ["l " + number_words(i) for i in range(1, 6)] + ["s one"])
LEVELS = ([f"c {number_words(i)} {number_words(i + 1)}" for i in range(2, 7)] + ["c seven t one"]
          + [f"t {number_words(i)} {number_words(i + 1)}" for i in range(1, 12)] + ["t twelve l one"]
          + [f"l {number_words(i)} {number_words(i + 1)}" for i in range(1, 5)] + ["l five s one"]
          + [f"l {number_words(i)} l {number_words(i + 1)}" for i in range(1, 5)]
          + [f"c {number_words(i)} c {number_words(i + 1)}" for i in range(2, 7)])
DEGEN = ["disc bulge", "broad based disc bulge", "disc protrusion", "disc osteophyte complex",
         "facet arthropathy", "ligamentum flavum thickening", "uncovertebral hypertrophy",
         "disc desiccation", "loss of disc height", "paracentral disc protrusion", "foraminal disc protrusion",
         "disc extrusion", "facet hypertrophy"]
UNITS_MM = ["millimeters", "centimeters"]
ORGANS_MEASURE = ["the liver", "the spleen", "the right kidney", "the left kidney", "the common bile duct",
                  "the gallbladder wall", "the endometrial stripe", "the uterus", "the right ovary",
                  "the left ovary", "the prostate", "the thyroid isthmus", "the right thyroid lobe",
                  "the left thyroid lobe", "the ascending aorta", "the abdominal aorta",
                  "the main pulmonary artery", "the pancreatic duct", "the appendix",
                  "the aortic root", "the spleen in craniocaudal dimension", "the bladder wall"]
LATERAL_FINDINGS = ["pleural effusion", "pneumothorax", "hydropneumothorax", "hemothorax", "hydronephrosis",
                    "hydroureter", "renal cyst", "renal calculus", "adrenal nodule", "ovarian cyst", "inguinal hernia",
                    "subdural hematoma", "joint effusion", "knee joint effusion", "hip joint effusion",
                    "lower lobe opacity", "upper lobe nodule", "perinephric fluid collection", "breast mass",
                    "axillary lymph node", "parapharyngeal abscess", "chronic subdural collection",
                    "baker cyst", "thyroid nodule", "hilar lymph node", "apical pneumothorax"]
UNCOUNTED_ENDINGS = ("thorax", "osis", "ureter")  # "bilateral hydronephrosis", not "-oses"
LESIONS = ["nodule", "mass", "cyst", "lesion", "lymph node", "stone", "collection", "hematoma",
           "aneurysm", "polyp", "fibroid", "abscess", "hemangioma", "adenoma", "effusion",
           "pneumothorax", "calcification", "focus", "defect", "opacity"]


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def c(self, seq):
        return self.r.choice(seq)

    # ---- numbers
    def integer(self, lo=1, hi=99) -> str:
        return number_words(self.r.randint(lo, hi))

    def decimal(self) -> str:
        return f"{number_words(self.r.randint(0, 19))} point {number_words(self.r.randint(0, 9))}"

    def size(self) -> str:
        """a measurement with unit, e.g. 'two point five centimeters', 'seven millimeters'."""
        k = self.r.random()
        if k < 0.45:
            return f"{self.integer(1, 99)} millimeters"
        if k < 0.85:
            return f"{self.decimal()} centimeters"
        return f"{self.integer(1, 30)} centimeters"

    def dims(self) -> str:
        unit = self.c(UNITS_MM)
        num = (lambda: self.integer(1, 99)) if unit == "millimeters" else self.decimal
        n = self.r.choice([2, 2, 3])
        return " by ".join(num() for _ in range(n)) + " " + unit

    def adj_size(self) -> str:
        """attributive size: 'five millimeter', 'one point two centimeter'."""
        if self.r.random() < 0.5:
            return f"{self.integer(1, 99)} millimeter"
        return f"{self.decimal()} centimeter"

    def date(self) -> str:
        y = year_words(self.r.randint(2005, 2026))
        k = self.r.random()
        if k < 0.6:
            return f"{self.c(MONTHS)} {ORDINALS[self.r.randint(1, 28)]} {y}"
        if k < 0.85:
            return f"{self.c(MONTHS)} {y}"
        return y

    def fill(self, s: str) -> str:
        while "{" in s:
            s = (s.replace("{side}", self.c(SIDES), 1).replace("{seg}", number_words(self.r.randint(1, 8)), 1)
                 .replace("{level}", self.c(LEVELS), 1).replace("{vert}", self.c(VERTS), 1)
                 .replace("{clock}", number_words(self.r.randint(1, 12)), 1)
                 .replace("{cm}", number_words(self.r.randint(1, 15)), 1))
        return s

    @staticmethod
    def art(np: str) -> str:
        first = np.split()[0]
        if first in ("one", "once", "uniform", "unilateral", "uterine", "urinary", "usual", "ureteral"):
            vowel = False
        elif first in ("eight", "eighteen", "eighty", "eleven", "hour", "honest"):
            vowel = True
        else:
            vowel = first[0] in "aeiou"
        return ("an " if vowel else "a ") + np

    # ---- sentence kinds
    def np(self, finding: str, mods: list[str] | None = None) -> str:
        phrase = " ".join((mods or []) + [finding])
        return phrase if finding in MASS_NOUNS else self.art(phrase)

    def positive(self, sysname: str) -> str:
        s = SYSTEMS[sysname]
        finding = self.c(s["pos"])
        loc = self.fill(self.c(s["loc"]))
        k = self.r.random()
        mods = []
        if self.r.random() < 0.3:
            mods.append(self.c(SEVERITY if finding in MASS_NOUNS else CHRONICITY))
        if finding in SIZEABLE and k < 0.45:
            k = 0.3 if self.r.random() < 0.5 else 0.5
        if k < 0.25:
            return f"there is {self.np(finding, mods)} in the {loc}"
        if k < 0.4 and finding in SIZEABLE:
            return f"there is {self.art(self.adj_size() + ' ' + finding)} in the {loc}"
        if k < 0.6 and finding in SIZEABLE:
            return f"the {finding} in the {loc} measures {self.c([self.size(), self.dims()])}"
        if k < 0.6:
            return f"there is {self.np(finding, mods)} in the {loc}"
        if k < 0.7:
            return f"there is {self.np(finding, mods)} in the {loc} {self.c(CERTAINTY)} {self.c(DX[sysname])}"
        if k < 0.8:
            return f"{self.c(['there are', 'there are', ''])} bilateral {self.c(BILATERAL)}".strip()
        if k < 0.9:
            return f"{' '.join(mods + [finding])} is seen in the {loc}"
        return f"{self.c(['redemonstrated', 'again seen', 'new', 'unchanged'])} {' '.join(mods + [finding])} in the {loc}"

    def negative(self, sysname: str) -> str:
        s = SYSTEMS[sysname]
        a, b = self.r.sample(s["neg"], 2)
        k = self.r.random()
        lead = self.c(NEG_LEADS)
        if k < 0.35:
            return f"{lead} {a}"
        if k < 0.6:
            c3 = self.c(s["neg"])
            return f"{lead} {a} comma {b} comma or {c3}" if c3 not in (a, b) else f"{lead} {a} or {b}"
        if k < 0.75:
            return f"{lead} {a} or {b}"
        if k < 0.85:
            return f"{a} is not identified"
        if k < 0.9:
            return f"there is no {a} on the {self.c(SIDES)}"
        if k < 0.95:
            return f"no other {a} {self.c(['', 'is seen', 'is identified'])}".strip()
        return f"no {a} in the {self.fill(self.c(s['loc']))}"

    def lateral(self) -> list[str]:
        """size and side before the finding: "a small left pleural effusion", the commonest shape of a
        lateralized finding, which the location-phrase sentences ("in the left lower lobe") never make."""
        finding = self.c(LATERAL_FINDINGS)
        size = self.c(SIZES + SEVERITY)
        side = self.c(SIDES)
        return [
            f"there is {self.art(size + ' ' + side + ' ' + finding)}",
            f"{self.c(['impression colon', ''])} {size} {side} {finding}".strip(),
            f"{self.c(['there are', ''])} {size} bilateral {finding if finding.endswith(UNCOUNTED_ENDINGS) else pluralize(finding)}".strip(),
            f"{self.c(['the', 'a'])} {side} {finding} {self.c(['is unchanged', 'has decreased in size', 'has increased in size', 'is new', 'has resolved', 'is again seen', 'is stable'])}",
            f"{self.c(['no', 'no residual', 'there is no'])} {side} {finding}",
            f"{self.c(['interval decrease', 'interval increase', 'no change'])} in the {size} {side} {finding}",
        ]

    def measurement(self) -> str:
        k = self.r.random()
        if k < 0.3:
            return f"{self.c(ORGANS_MEASURE)} measures {self.size()}"
        if k < 0.55:
            return f"the {self.c(LESIONS)} measures {self.dims()}"
        if k < 0.6:
            return (f"the {self.c(LESIONS)} measures {self.dims()} comma previously {self.dims()}")
        if k < 0.65:
            return f"the {pluralize(self.c([l for l in LESIONS if not l.endswith(UNCOUNTED_ENDINGS)]))} measure {self.size()} and {self.size()}"
        if k < 0.72:
            return f"there is {self.art(self.adj_size() + ' ' + self.c(LESIONS))} open paren series {self.integer(1, 12)} comma image {self.integer(1, 99)} close paren"
        if k < 0.8:
            return f"the {self.c(LESIONS)} measures {self.integer(1, 99)} hounsfield units"
        if k < 0.86:
            return f"estimated volume of {self.volume()}"
        if k < 0.92:
            return f"approximately {self.integer(5, 95)} percent {self.c(['height loss', 'stenosis', 'narrowing'])}"
        return f"{self.c(['increased', 'decreased'])} in size from {self.size()} to {self.size()}"

    def volume(self) -> str:
        n = self.r.randint(1, 999)
        return f"{number_words(n)} {self.c(['milliliters', 'cubic centimeters', 'milliliters'])}"

    def comparison(self) -> str:
        k = self.r.random()
        exam = self.fill(self.c(self.c(list(EXAMS.values()))))
        if k < 0.4:
            return f"comparison colon {self.c(['prior', 'outside', ''])} {exam} dated {self.date()}".replace("  ", " ")
        if k < 0.6:
            return f"compared to {self.date()} comma {self.c(['there is no significant interval change', 'the findings are stable', 'there has been interval improvement', 'there has been interval worsening'])}"
        if k < 0.75:
            return f"comparison {self.c(['colon ', 'colon ', ''])}{self.c(['none', 'none', 'none available', 'no prior studies'])}"
        if k < 0.9:
            return f"unchanged since {self.date()}"
        return f"comparison colon {exam} from {self.date()} and {self.date()}"

    def clinical(self) -> str:
        age = self.integer(18, 99)
        sex = self.c(["male", "female", "man", "woman"])
        k = self.r.random()
        h = self.c(["clinical information", "history", "indication"])
        if k < 0.5:
            return f"{h} colon {self.c(CLINICAL)}"
        if k < 0.8:
            return f"{h} colon {age} year old {sex} with {self.c(CLINICAL)}"
        return f"{h} colon {self.c(CLINICAL)} comma {self.c(['rule out', 'evaluate for', 'assess for'])} {self.c(self.c(list(SYSTEMS.values()))['neg'])}"

    def technique(self, sysname: str) -> str:
        exam = self.fill(self.c(EXAMS[sysname]))
        return self.c([f"technique colon {exam}", f"technique colon {exam} was performed",
                       f"technique colon {exam} were obtained", f"{exam} was performed"])

    def spine_level(self) -> str:
        lvl = self.c(LEVELS)
        s = SYSTEMS["spine"]
        k = self.r.random()
        if k < 0.4:
            return f"{lvl} colon {self.c(SEVERITY)} {self.c(DEGEN)} {self.c(['with', 'without'])} {self.c(s['neg'])}"
        if k < 0.7:
            return f"at {lvl} there is {self.np(self.c(DEGEN))} {self.c(['resulting in', 'causing', 'with'])} {self.c(SEVERITY)} {self.c(['spinal canal stenosis', 'left neural foraminal narrowing', 'right neural foraminal narrowing', 'bilateral neural foraminal narrowing'])}"
        if k < 0.85:
            return f"{lvl} colon no {self.c(s['neg'])}"
        i = self.r.randrange(len(VERTS) - 1)
        return f"grade {self.c(['one', 'two', 'three'])} {self.c(['anterolisthesis', 'retrolisthesis'])} of {VERTS[i]} on {VERTS[i + 1]}"

    def impression(self, sysname: str) -> str:
        k = self.r.random()
        body = self.positive(sysname) if k < 0.5 else self.negative(sysname)
        head = self.c(["impression colon", "impression colon one period", "two period", "three period",
                       "impression colon"])
        return f"{head} {body}"

    def recommendation(self) -> str:
        return self.c([
            f"recommendation colon follow up {self.c(['c t', 'm r i', 'ultrasound', 'radiograph', 'mammogram'])} in {self.integer(1, 24)} months",
            f"follow up {self.c(['c t', 'm r i', 'ultrasound'])} in {self.c(['three', 'six', 'twelve', 'three to six', 'six to twelve'])} months is recommended",
            "clinical correlation is recommended", "correlation with prior imaging is recommended",
            f"recommendation colon {self.c(['tissue sampling', 'biopsy', 'surgical consultation', 'dedicated m r i', 'contrast enhanced c t'])}",
            f"bi rads {self.c(['zero', 'one', 'two', 'three', 'four', 'four a', 'four b', 'four c', 'five', 'six'])} colon {self.c(['negative', 'benign', 'probably benign', 'suspicious', 'highly suggestive of malignancy', 'incomplete', 'known biopsy proven malignancy'])}",
            f"these findings were communicated to doctor {self.c(['smith', 'jones', 'lee', 'patel', 'garcia', 'brown', 'nguyen', 'miller'])} at {self.integer(1, 12)} {self.integer(10, 59)} {self.c(['a m', 'p m'])} on {self.c(MONTHS)} {ORDINALS[self.r.randint(1, 28)]} {year_words(self.r.randint(2015, 2026))}",
        ])

    def number_drill(self, n: int) -> str:
        """sentences guaranteeing coverage of every number word 0..100 in varied contexts."""
        w = number_words(n)
        d = number_words(self.r.randint(0, 9))
        return self.c([
            f"the {self.c(LESIONS)} measures {w} millimeters",
            f"the {self.c(LESIONS)} measures {w} point {d} centimeters",
            f"{self.c(ORGANS_MEASURE)} measures {w} point {d} centimeters",
            f"there is {self.art(w + ' millimeter ' + self.c(LESIONS))}",
            f"{w} by {self.integer(1, 99)} millimeters",
            f"{self.integer(18, 99)} year old {self.c(['male', 'female'])} period the {self.c(LESIONS)} measures {w} millimeters",
            f"series {self.integer(1, 12)} image {w}",
            f"the {self.c(LESIONS)} measures {w} hounsfield units",
            f"approximately {w} percent",
            f"{w} milliliters",
            f"zero point {d} centimeters",
            f"measuring {w} by {self.integer(1, 99)} by {self.integer(1, 99)} millimeters",
            f"{w} degrees of angulation",
            f"the velocity is {w} centimeters per second",
        ])

    def sentence(self) -> str:
        sysname = self.c(list(SYSTEMS))
        k = self.r.random()
        if k < 0.27:
            s = self.positive(sysname)
        elif k < 0.52:
            s = self.negative(sysname)
        elif k < 0.64:
            s = self.measurement()
        elif k < 0.69:
            s = self.comparison()
        elif k < 0.74:
            s = self.clinical()
        elif k < 0.78:
            s = self.technique(sysname)
        elif k < 0.85:
            s = self.spine_level()
        elif k < 0.93:
            s = self.impression(sysname)
        else:
            s = self.recommendation()
        if k < 0.52 and self.r.random() < 0.08:
            s = f"findings colon {s}"
        return s + " period"

    def line(self) -> str:
        n = self.r.choice([1, 1, 1, 2, 2, 3])
        parts = []
        for i in range(n):
            if i and self.r.random() < 0.05:
                parts.append(self.c(COMMANDS))
            parts.append(self.sentence())
        if self.r.random() < 0.03:
            parts.insert(self.r.randint(0, len(parts)), self.c(COMMANDS))
        return " ".join(parts)

    def report(self) -> list[str]:
        """a short whole report, one sentence per line, with headers in order."""
        sysname = self.c(list(SYSTEMS))
        lines = [self.clinical() + " period", self.technique(sysname) + " period", self.comparison() + " period"]
        for _ in range(self.r.randint(2, 6)):
            lines.append((self.positive(sysname) if self.r.random() < 0.4 else self.negative(sysname)) + " period")
        lines[3] = "findings colon " + lines[3]
        lines.append(self.impression(sysname) + " period")
        if self.r.random() < 0.3:
            lines.append(self.recommendation() + " period")
        if self.r.random() < 0.5:
            lines.append(self.c(["sign report", "save draft"]))
        return lines


LEXICON_WORDS = ROOT / "Lexicon" / "radiology-words.txt"
ADJ_SUFFIXES = ("al", "ar", "ic", "ous", "oid", "ary", "eal", "ial", "ine", "ent", "ive", "atic", "ish")
STATE_PREFIXES = ("hyper", "hypo", "iso", "anechoic", "non", "multi", "micro")
CONDITION_SUFFIXES = ("itis", "osis", "iasis", "ectasis", "megaly", "oma", "omas", "pathy", "plasia",
                      "lysis", "esis", "thesis", "ism", "ia",
                      "cele", "emia", "ysm", "ion", "ions", "ness", "ity", "ities", "ance")


def lexicon_drill(g: "Gen") -> list[str]:
    """Put every word of Lexicon/radiology-words.txt into a few grammatical frames, so the
    language model's vocabulary covers the whole radiology lexicon (suffix-based word class)."""
    out: list[str] = []
    words = [w.strip() for w in LEXICON_WORDS.read_text().split() if w.strip()]
    for w in words:
        if w.endswith(("ed", "ing")) or w.startswith(STATE_PREFIXES) and w.endswith(ADJ_SUFFIXES + ("ed", "ing", "ense")):
            frames = [f"the {g.c(LESIONS)} is {w}", f"there is {g.art(w + ' ' + g.c(LESIONS))}",
                      f"the {g.c(LESIONS)} is not {w}", f"{w} {g.c(LESIONS)} in the {g.fill(g.c(SYSTEMS['abdomen']['loc']))}"]
        elif w.endswith(("ectomy", "otomy", "ostomy", "plasty", "desis", "ectomies")):
            frames = [f"the patient is status post {w}", f"postsurgical changes of {w}",
                      f"status post {g.c(SIDES)} {w}", f"changes from prior {w} are noted"]
        elif w.endswith(CONDITION_SUFFIXES):
            frames = [f"there is {w}", f"no evidence of {w}", f"findings {g.c(CERTAINTY)} {w}",
                      f"impression colon {g.c(SEVERITY)} {w}", f"negative for {w}",
                      f"there is {g.c(SEVERITY)} {w} on the {g.c(SIDES)}"]
        elif w.endswith(ADJ_SUFFIXES):
            frames = [f"the {w} region is unremarkable", f"there is {w} {g.c(['thickening', 'fluid', 'enhancement', 'edema', 'involvement', 'extension'])}",
                      f"no {w} abnormality", f"{g.c(SEVERITY)} {w} {g.c(['changes', 'thickening', 'narrowing', 'prominence'])} on the {g.c(SIDES)}"]
        elif w.endswith(("ae", "i", "es", "a")) and not w.endswith(("ia", "oma")) or w.endswith("s") and not w.endswith(("us", "is", "ss")):
            frames = [f"the {w} are unremarkable", f"the {g.c(SIDES)} {w} are normal",
                      f"there are no abnormalities of the {w}", f"findings involving the {w}"]
        else:
            frames = [f"the {w} is unremarkable", f"the {g.c(SIDES)} {w} is normal",
                      f"there is no abnormality of the {w}", f"there is {g.c(['edema', 'fluid', 'thickening', 'a lesion'])} in the {w}"]
        out.extend(f + " period" for f in frames)
    return out


def navigation_lines() -> list[str]:
    """"go to {field label}" for every labelled template field: the dictation session's navigation command
    (DictationSession.navigationTargets), which otherwise competes with "no to …" in every negated sentence."""
    out: list[str] = []
    for t in sorted((ROOT / "Templates").glob("*.html")):
        html = t.read_text(encoding="utf-8", errors="replace")
        for label in re.findall(r"<label[^>]*>(.*?)</label>", html, flags=re.S):
            text = re.sub(r"<[^>]+>", " ", label)
            spoken = to_spoken(text).replace(" colon", "").strip()
            if spoken:
                out.append(f"go to {spoken}")
    return sorted(set(out))


def template_lines() -> list[str]:
    out: list[str] = []
    for t in sorted((ROOT / "Templates").glob("*.html")):
        for line in template_visible_lines(t):
            sp = to_spoken(line)
            if sp:
                out.append(sp)
            raw = " ".join(plain_words(line))  # raw words too, so every template word is in the LM
            if raw and raw != sp and raw not in sp:
                out.append(raw)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=40000, help="number of random sentence lines")
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    g = Gen(args.seed)
    lines: list[str] = []
    print(f"generate-corpus: {args.lines} random lines (seed {args.seed})", flush=True)
    for i in range(args.lines):
        lines.append(g.line())
        if (i + 1) % 10000 == 0:
            print(f"  {i + 1}/{args.lines}", flush=True)
    for _ in range(args.lines // 20):
        lines.extend(g.report())
    for n in range(0, 101):
        for _ in range(25):
            lines.append(g.number_drill(n) + " period")
    for _ in range(300):
        lines.append(f"comparison colon {g.date()} period")
        lines.append(f"{g.c(COMMANDS)}")
    for _ in range(args.lines // 25):  # plurals and verb forms (see scripts/corpus_inflections.py)
        lines.extend(s + " period" for s in plural_sentences(
            g.c, g.r.randint, lambda: g.fill(g.c(g.c(list(SYSTEMS.values()))["loc"])), g.size, lambda: g.c(NEG_LEADS)))
    for _ in range(args.lines // 40):
        lines.extend(s + " period" for s in g.lateral())
    for _ in range(args.lines // 50):
        lines.extend(s + " period" for s in verb_sentences(g.c))
        lines.extend(s + " period" for s in negated_sentences(g.c))
    drill = lexicon_drill(g)
    lines.extend(drill)
    print(f"  lexicon drill lines: {len(drill)}", flush=True)
    onto = ontology_drill(g.c, g.r.randint)  # every ontology term (Lexicon/ontology/radscribe-ontology.tsv)
    lines.extend(onto)
    print(f"  ontology drill lines: {len(onto)}", flush=True)
    tl = template_lines()
    for _ in range(5):  # weight template normal text
        lines.extend(tl)
    print(f"  template lines: {len(tl)} (x5)", flush=True)
    nav = navigation_lines()
    for _ in range(5):
        lines.extend(nav)
    print(f"  navigation commands: {len(nav)} (x5)", flush=True)

    flt = Filter()
    kept = [" ".join(l.split()) for l in lines if l.strip() and flt.keep(l)]
    print("  " + flt.describe(), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(kept) + "\n", encoding="utf-8")
    words = sum(len(l.split()) for l in kept)
    print(f"generate-corpus: wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: "
          f"{len(kept)} lines, {words} words", flush=True)


if __name__ == "__main__":
    main()
