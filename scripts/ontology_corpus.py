"""Spoken forms of the RadScribe ontology (Lexicon/ontology/radscribe-ontology.tsv) and corpus
frames that put every preferred term, synonym and abbreviation into the language model, so every
ontology word is in the LM vocabulary and gets a pronunciation (scripts/build-lexicon.py).

Abbreviations are spoken letter by letter ("CT" -> "c t", "TR4" -> "t r four") unless they are
said as a word (SAID_AS_WORDS) or spoken_text.py knows them ("PICC" -> "pick", "mm" -> "millimeters").
Python 3.11 standard library only.
"""
from __future__ import annotations

import re
from pathlib import Path

from spoken_text import ABBREVIATIONS, UNITS, number_words

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "Lexicon" / "ontology" / "radscribe-ontology.tsv"

# Acronyms radiologists say as a word, not letter by letter.
SAID_AS_WORDS = {"PICC": "pick", "FLAIR": "flair", "STIR": "stir", "PET": "pet", "SPECT": "spect",
                 "TIPS": "tips", "SLAP": "slap", "HIDA": "hida", "DEXA": "dexa", "GIST": "gist",
                 "RADS": "rads", "ASPECTS": "aspects", "ECMO": "ecmo", "DISH": "dish", "CABG": "cabbage",
                 "AAST": "a a s t", "MIP": "mip", "PEG": "peg", "VATS": "vats", "FESS": "fess",
                 "TEVAR": "tee var", "EVAR": "e var", "LVAD": "l vad", "COPD": "c o p d", "CAT": "cat",
                 "SAH": "s a h", "NOS": "n o s", "ADEM": "adem", "PRES": "pres", "AML": "a m l"}
ROMAN = {"I": "one", "II": "two", "III": "three", "IV": "four", "IIF": "two f"}  # after "Bosniak" only
TOKENS = {"LCx": "l c x", "SUVmax": "s u v max", "CTDIvol": "c t d i vol", "PI-RADS": "pi rads"}
UNIT_WORDS = {"mgy-cm": "milligray centimeters", "cm2": "square centimeters", "m/s": "meters per second",
              "mci": "millicuries", "mbq": "megabecquerels", "bpm": "beats per minute", "min": "minutes",
              "gy": "gray", "mgy": "milligray", "msv": "millisieverts", "mhz": "megahertz"}


def _spell(letters: str) -> str:
    return " ".join(letters.lower())


def _part(part: str, abbreviation: bool, previous: str = "") -> str:
    """Spoken form of one hyphen/slash-free piece of a term."""
    low = part.lower()
    if not part:
        return ""
    if part in SAID_AS_WORDS:
        return SAID_AS_WORDS[part]
    if part in ROMAN and previous.lower() == "bosniak":
        return ROMAN[part]
    if re.fullmatch(r"\d+", part):
        return number_words(int(part))
    if low in ABBREVIATIONS and (abbreviation or part.isupper() or part[0].isdigit() or low[0] in "tcls" and low[1:].isdigit()):
        return ABBREVIATIONS[low]
    if abbreviation and low in UNITS:
        return UNITS[low]
    if abbreviation and low in UNIT_WORDS:
        return UNIT_WORDS[low]
    if part.islower() and part.isalpha():
        return part
    # mixed pieces: "TR4", "4A", "SUVmax", "CTDIvol", "LCx", "Y90", "3D"
    out: list[str] = []
    for run in re.findall(r"\d+|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[A-Z]", part):
        if run.isdigit():
            out.append(number_words(int(run)))
        elif run in SAID_AS_WORDS:
            out.append(SAID_AS_WORDS[run])
        elif run.isupper() or len(run) == 1:
            out.append(_spell(run))
        else:
            out.append(run.lower())
    return " ".join(out)


def spoken(term: str, abbreviation: bool = False) -> str:
    """Spoken form of an ontology term or abbreviation, lowercase words only."""
    t = term.replace("'", "")
    if abbreviation and t.lower() in UNIT_WORDS:
        return UNIT_WORDS[t.lower()]
    if abbreviation and t.lower() in UNITS:
        return UNITS[t.lower()]
    words: list[str] = []
    previous = ""
    for token in t.split():
        if token in TOKENS:
            words.append(TOKENS[token])
        elif token.lower() in ("bi-rads", "li-rads", "ti-rads"):
            words.append(ABBREVIATIONS[token.lower()])
        else:
            for piece in re.split(r"[-/]", token):
                words.append(_part(piece.strip(".,()"), abbreviation, previous))
        previous = token
    result = " ".join(" ".join(words).split())
    if not re.fullmatch(r"[a-z']+( [a-z']+)*", result):
        raise ValueError(f"cannot speak ontology term {term!r}: {result!r}")
    return result


def concepts(path: Path = ONTOLOGY) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:] if line]


def terms(concept: dict[str, str]) -> list[str]:
    """Every spoken form of a concept: preferred term, synonyms, abbreviations."""
    out = [spoken(concept["preferred_term"])]
    out += [spoken(s) for s in concept["synonyms"].split("|") if s]
    out += [spoken(a, abbreviation=True) for a in concept["abbreviations"].split("|") if a]
    return list(dict.fromkeys(out))


FRAMES = {
    "anatomy": ["the {t} is unremarkable", "there is no abnormality of the {t}", "findings involving the {t}",
                "the {side} {t} is normal"],
    "finding": ["there is {t}", "no {t}", "no evidence of {t}", "findings suspicious for {t}",
                "{sev} {t} on the {side}", "negative for {t}", "impression colon {t}"],
    "descriptor": ["the lesion is {t}", "{t} finding", "the findings are {t}"],
    "device": ["the {t} is in satisfactory position", "interval placement of the {t}",
               "the tip of the {t} is unchanged", "no {t}"],
    "procedure": ["status post {t}", "technique colon {t}", "{t} was performed", "comparison colon prior {t}"],
    "measurement": ["the {t} measures {num} millimeters", "{t} colon {num}", "the {t} is {num}"],
    "unit": ["measuring {num} {t}", "{num} {t}"],
    "substance": ["{t} was administered", "without {t}", "with {t}"],
    "report": ["{t} colon", "go to {t}"],
}


def drill(choice, randint) -> list[str]:
    """Two frames per spoken form of every concept (seeded by the caller's random source)."""
    out: list[str] = []
    for c in concepts():
        frames = FRAMES[c["category"]]
        for t in terms(c):
            for frame in sorted(set(choice(frames) for _ in range(2))):
                line = frame.format(t=t, side=choice(["right", "left"]), num=number_words(randint(1, 99)),
                                    sev=choice(["mild", "moderate", "severe", "small", "large"]))
                out.append(line + ("" if frame.endswith("colon") else " period"))
    return out
