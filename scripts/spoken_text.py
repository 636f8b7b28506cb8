"""Shared helpers for RadScribe's lexicon / corpus scripts (Python 3.11 stdlib only).

- number words (0 ... 9999, decimals, years) in the project's SPOKEN FORM
- written report text -> spoken form ("2.5 cm." -> "two point five centimeters period")
- visible text of the HTML report templates
- CMUdict loading
"""
from __future__ import annotations

import html.parser
import re
from pathlib import Path

CMUDICT = Path("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict")

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth",
            7: "seventh", 8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh",
            12: "twelfth", 13: "thirteenth", 14: "fourteenth", 15: "fifteenth",
            16: "sixteenth", 17: "seventeenth", 18: "eighteenth", 19: "nineteenth",
            20: "twentieth", 21: "twenty first", 22: "twenty second", 23: "twenty third",
            24: "twenty fourth", 25: "twenty fifth", 26: "twenty sixth",
            27: "twenty seventh", 28: "twenty eighth", 29: "twenty ninth",
            30: "thirtieth", 31: "thirty first"}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]


def number_words(n: int) -> str:
    """0 <= n <= 9999 as spoken cardinal words (no 'and')."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return TENS[t] + ("" if o == 0 else " " + ONES[o])
    if n < 1000:
        h, r = divmod(n, 100)
        return ONES[h] + " hundred" + ("" if r == 0 else " " + number_words(r))
    if n < 10000:
        th, r = divmod(n, 1000)
        return ONES[th] + " thousand" + ("" if r == 0 else " " + number_words(r))
    raise ValueError(f"number too large for spoken form: {n}")


def year_words(y: int) -> str:
    """Years as radiologists say them: 2024 -> twenty twenty four, 2005 -> two thousand five."""
    if 2000 <= y <= 2009:
        return number_words(y)
    if 1100 <= y <= 2099:
        hi, lo = divmod(y, 100)
        if lo == 0:
            return number_words(hi) + " hundred"
        if lo < 10:
            return number_words(hi) + " oh " + ONES[lo]
        return number_words(hi) + " " + number_words(lo)
    return number_words(y)


def decimal_words(text: str) -> str:
    """'2.5' -> 'two point five', '0.75' -> 'zero point seven five', '12' -> 'twelve'."""
    if "." in text:
        whole, frac = text.split(".", 1)
        w = number_words(int(whole)) if whole else "zero"
        return w + " point " + " ".join(ONES[int(c)] for c in frac)
    return number_words(int(text))


UNITS = {
    "mm": "millimeters", "cm": "centimeters", "ml": "milliliters",
    "cc": "c c", "hu": "hounsfield units", "kg": "kilograms",
    "mg": "milligrams", "mgy": "milligray", "msv": "millisievert",
    "mhz": "megahertz", "cm/s": "centimeters per second",
    "cm/sec": "centimeters per second", "mm2": "square millimeters",
}
ABBREVIATIONS = {
    "ct": "c t", "cta": "c t a", "mri": "m r i", "mr": "m r", "mra": "m r a",
    "pa": "p a", "ap": "a p", "pe": "p e", "dvt": "d v t", "ivc": "i v c",
    "cbd": "c b d", "acl": "a c l", "pcl": "p c l", "mcl": "m c l", "lcl": "l c l",
    "pet": "pet", "ekg": "e k g", "ecg": "e c g", "iv": "i v", "flair": "flair",
    "dwi": "d w i", "adc": "a d c", "t1": "t one", "t2": "t two", "stir": "stir",
    "birads": "bi rads", "bi-rads": "bi rads", "icu": "i c u",
    "copd": "c o p d", "chf": "c h f", "ett": "e t t", "ng": "n g", "picc": "pick",
    "tirads": "ti rads", "ti-rads": "ti rads", "li-rads": "li rads", "lirads": "li rads",
    "lv": "l v", "rv": "r v", "svc": "s v c", "gi": "g i", "gu": "g u", "ac": "a c",
    "l1": "l one", "l2": "l two", "l3": "l three", "l4": "l four", "l5": "l five",
    "s1": "s one", "c1": "c one", "c2": "c two", "c3": "c three", "c4": "c four",
    "c5": "c five", "c6": "c six", "c7": "c seven", "t12": "t twelve",
    "rul": "right upper lobe", "rml": "right middle lobe", "rll": "right lower lobe",
    "lul": "left upper lobe", "lll": "left lower lobe", "cm/s": "centimeters per second",
    "dr": "doctor", "vs": "versus", "approx": "approximately",
}
PUNCT_WORDS = {".": "period", ",": "comma", ":": "colon", ";": "semicolon",
               "(": "open paren", ")": "close paren"}


def _expand_token(tok: str) -> str:
    low = tok.lower()
    if low in ABBREVIATIONS:
        return ABBREVIATIONS[low]
    if low in UNITS:
        return UNITS[low]
    m = re.fullmatch(r"([ctls])(\d{1,2})(?:-([ctls])?(\d{1,2}))?", low)
    if m:  # vertebral levels: C5-6 -> c five six, L5-S1 -> l five s one
        out = m.group(1) + " " + number_words(int(m.group(2)))
        if m.group(4):
            if m.group(3):
                out += " " + m.group(3)
            out += " " + number_words(int(m.group(4)))
        return out
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(mm|cm|ml|cc|hu|mhz|kg|g|mg|ms|t|m)", low)
    if m:
        unit = {"g": "grams", "ms": "milliseconds", "t": "tesla", "m": "meters"}.get(m.group(2))
        return decimal_words(m.group(1)) + " " + (unit or UNITS[m.group(2)])
    if re.fullmatch(r"\d+(?:\.\d+)?", low):
        if "." not in low and 1900 <= int(low) <= 2099:
            return year_words(int(low))
        return decimal_words(low)
    return low


def to_spoken(text: str) -> str:
    """Convert written report text to RadScribe spoken form (lowercase words only)."""
    t = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", " - ")
    # dates: 1/2/2024 or 2024-01-02
    def _date(m: re.Match) -> str:
        mo, d, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f" {MONTHS[mo - 1]} {ORDINALS[d]} {year_words(y)} "
        return m.group(0)
    t = re.sub(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", _date, t)
    t = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b",
               lambda m: _date(re.match(r"(\d+)/(\d+)/(\d+)", f"{m.group(2)}/{m.group(3)}/{m.group(1)}")), t)
    t = re.sub(r"(\d)\s*[x×]\s*(?=\d)", r"\1 by ", t)           # 3 x 4 -> 3 by 4
    t = re.sub(r"(\d)\s*%", r"\1 percent", t)
    t = re.sub(r"(?<![A-Za-z\d.])(\d+(?:\.\d+)?)\s*-\s*(?=\d)", r"\1 to ", t)               # 2-3 mm -> 2 to 3
    t = t.replace("&", " and ").replace("+", " plus ").replace("=", " equals ")
    t = re.sub(r"(?<=[a-z])/(?=[a-z])", " ", t, flags=re.I)     # and/or -> and or
    t = re.sub(r"(?<!\d)\.(?!\d)", " . ", t)
    t = re.sub(r"([,;:()])", r" \1 ", t)
    out: list[str] = []
    for tok in t.split():
        if tok in PUNCT_WORDS:
            out.append(PUNCT_WORDS[tok])
            continue
        tok = tok.strip("\"'`[]{}<>!?*#_|~^")
        if not tok:
            continue
        if tok.lower() in ABBREVIATIONS or tok.lower() in ("bi-rads", "ti-rads", "li-rads"):
            out.append(ABBREVIATIONS[tok.lower()])
            continue
        for part in re.split(r"[-/]", tok):
            part = part.strip(".'")
            if part:
                out.append(_expand_token(part))
    words = " ".join(out).split()
    return " ".join(w for w in words if re.fullmatch(r"[a-z][a-z']*", w))


def word_tokens(text: str) -> list[str]:
    """Plain lowercase word tokens of written text (letters, inner apostrophes)."""
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())


def plain_words(text: str) -> list[str]:
    """word_tokens of written text without its acronyms ("CT", "MRI"): those are spoken letter by
    letter ("c t"), and a one-word "mri" in the language model would compete with "m r i"."""
    return word_tokens(" ".join(t for t in text.split() if not (t.isupper() and len(t) > 1)))


class _VisibleText(html.parser.HTMLParser):
    SKIP = {"script", "style", "template"}
    BLOCK = {"p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
             "section", "article", "br", "label", "option", "textarea", "title", "dt", "dd",
             "header", "footer", "span"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth_skip = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth_skip += 1
        if tag in self.BLOCK:
            self.chunks.append("\n")
        if self.depth_skip:
            return
        for k, v in attrs:
            # visible/default text: placeholders, the normal text in input values, option values,
            # and the field/section names a user sees as labels or may say to navigate
            if k in ("placeholder", "title", "alt", "aria-label", "value", "name",
                     "data-section-name") and v and tag != "meta":
                self.chunks.append("\n" + v + "\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth_skip:
            self.depth_skip -= 1
        if tag in self.BLOCK:
            self.chunks.append("\n")

    def handle_data(self, data):
        if not self.depth_skip:
            self.chunks.append(data)


def template_visible_lines(path: Path) -> list[str]:
    """Visible text of an HTML template, one block per line, placeholders like {{x}} removed."""
    p = _VisibleText()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    text = "".join(p.chunks)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\$\{.*?\}", " ", text)
    lines = [re.sub(r"\s+", " ", l).strip() for l in text.split("\n")]
    return [l for l in lines if l]


def load_cmudict(path: Path = CMUDICT) -> dict[str, list[str]]:
    """word (lowercase, variants merged) -> list of pronunciations."""
    d: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            w = re.sub(r"\(\d+\)$", "", parts[0]).lower()
            d.setdefault(w, []).append(" ".join(parts[1:]))
    return d
