#!/usr/bin/env python3
"""Build Lexicon/radiology.dict: CMU-style pronunciations for every word RadScribe needs
that the stock CMUdict lacks.

Words needed = Lexicon/radiology-words.txt
             + every word of Lexicon/corpus/*.txt (spoken form)
             + every word of the visible text of Templates/*.html (raw and spoken form)
             + words of any file given with --words FILE (one word or sentence per line)

For each needed word not in /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict:
  1. Lexicon/pronunciation-overrides.dict (hand reviewed) if it has the word, else
  2. espeak-ng -q -x --ipa -v en-us, mapped to the 39 CMU phones with a longest-match table.
Every phone is checked against the acoustic model's mdef; the script fails loudly otherwise.

Usage: python3 scripts/build-lexicon.py [--words FILE ...] [--out Lexicon/radiology.dict]
Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from spoken_text import load_cmudict, template_visible_lines, to_spoken, word_tokens  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LEX = ROOT / "Lexicon"
MODEL_MDEF = Path("/usr/share/pocketsphinx/model/en-us/en-us/mdef")

# IPA (espeak-ng en-us) -> ARPAbet. Longest match first; r-coloured vowels and diphthongs
# before their parts. Stress marks and length marks outside these keys are dropped.
IPA_TO_ARPA: dict[str, list[str]] = {
    # r-coloured vowels
    "ɑːɹ": ["AA", "R"], "ɔːɹ": ["AO", "R"], "oːɹ": ["AO", "R"], "oɹ": ["AO", "R"],
    "ɛɹ": ["EH", "R"], "eɹ": ["EH", "R"], "ɪɹ": ["IH", "R"], "iəɹ": ["IH", "R"],
    "ʊɹ": ["UH", "R"], "aɪɚ": ["AY", "ER"], "aɪə": ["AY", "AH"], "aʊɚ": ["AW", "ER"],
    "ɜːɹ": ["ER"], "ɚɹ": ["ER"], "ɜː": ["ER"], "ɜ": ["ER"], "ɚ": ["ER"], "ɝ": ["ER"], "əɹ": ["ER"],
    # diphthongs
    "eɪ": ["EY"], "aɪ": ["AY"], "aʊ": ["AW"], "ɔɪ": ["OY"], "oʊ": ["OW"], "əʊ": ["OW"],
    "iə": ["IY", "AH"], "uə": ["UW", "AH"],
    # affricates
    "tʃ": ["CH"], "t͡ʃ": ["CH"], "dʒ": ["JH"], "d͡ʒ": ["JH"],
    # syllabic consonants (CMUdict writes button = B AH T AH N)
    "n̩": ["AH", "N"], "l̩": ["AH", "L"], "m̩": ["AH", "M"],
    # monophthongs
    "ɑː": ["AA"], "ɑ": ["AA"], "ɒ": ["AA"], "æ": ["AE"], "a": ["AE"], "ʌ": ["AH"],
    "ə": ["AH"], "ɐ": ["AH"], "ɔː": ["AO"], "ɔ": ["AO"], "oː": ["AO"], "o": ["OW"],
    "ɛ": ["EH"], "e": ["EY"], "ɪ": ["IH"], "ᵻ": ["IH"], "ɨ": ["IH"], "iː": ["IY"],
    "i": ["IY"], "ʊ": ["UH"], "uː": ["UW"], "u": ["UW"], "ʉ": ["UW"], "y": ["UW"],
    # consonants
    "b": ["B"], "d": ["D"], "ð": ["DH"], "f": ["F"], "ɡ": ["G"], "g": ["G"], "h": ["HH"],
    "k": ["K"], "l": ["L"], "ɫ": ["L"], "ɬ": ["L"], "m": ["M"], "n": ["N"], "ŋ": ["NG"],
    "p": ["P"], "ɹ": ["R"], "r": ["R"], "ɾ": ["T"], "s": ["S"], "ʃ": ["SH"], "t": ["T"],
    "θ": ["TH"], "v": ["V"], "w": ["W"], "ʍ": ["W"], "j": ["Y"], "z": ["Z"], "ʒ": ["ZH"],
    "ʔ": ["T"], "x": ["K"], "ç": ["HH"], "ɣ": ["G"], "β": ["V"],
}
IGNORED = set("ˈˌː.-_ ‿͡'|") | {"\u0329"}
KEYS = sorted(IPA_TO_ARPA, key=len, reverse=True)
MAXKEY = max(len(k) for k in KEYS)


def die(msg: str) -> None:
    print(f"build-lexicon: ERROR: {msg}", file=sys.stderr)
    sys.exit(1)


def model_phones(mdef: Path) -> set[str]:
    """Base (CI) phones of the acoustic model, read from its mdef."""
    data = mdef.read_bytes()
    if data.startswith(b"0.3"):  # text mdef
        text = data.decode()
    else:
        tool = shutil.which("pocketsphinx_mdef_convert")
        if not tool:
            die("pocketsphinx_mdef_convert not found (Debian package pocketsphinx)")
        with tempfile.TemporaryDirectory() as td:
            out = Path(td) / "mdef.txt"
            subprocess.run([tool, "-text", str(mdef), str(out)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            text = out.read_text()
    phones = set()
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 6 and f[1] == "-" and f[2] == "-" and f[3] == "-":
            phones.add(f[0])
    if "AA" not in phones or len(phones) < 40:
        die(f"could not read phone list from {mdef} (got {sorted(phones)})")
    return phones


def ipa_to_arpa(word: str, ipa: str) -> list[str]:
    ipa = ipa.strip()
    phones: list[str] = []
    i = 0
    while i < len(ipa):
        ch = ipa[i]
        if ch in IGNORED:
            i += 1
            continue
        for L in range(min(MAXKEY, len(ipa) - i), 0, -1):
            # match ignoring stress marks inside the key window is not needed: espeak puts
            # stress marks before syllables, which we skip above.
            seg = ipa[i:i + L]
            if seg in IPA_TO_ARPA:
                out = IPA_TO_ARPA[seg]
                if seg == "ɾ" and "t" not in word and "d" in word:
                    out = ["D"]  # flap spelled with d
                phones.extend(out)
                i += L
                break
        else:
            raise ValueError(f"unmapped IPA symbol {ch!r} (U+{ord(ch):04X}) in {word!r}: {ipa!r}")
    # collapse doubled identical consonants espeak sometimes emits (e.g. 'll')
    dedup: list[str] = []
    for p in phones:
        if dedup and p == dedup[-1] and p not in ("AH", "IY", "IH"):
            continue
        dedup.append(p)
    return dedup


def espeak_batch(words: list[str]) -> dict[str, str]:
    """IPA for each word, one espeak-ng process per chunk; one 'word.' line in, one line out."""
    exe = shutil.which("espeak-ng")
    if not exe:
        die("espeak-ng not found (Debian package espeak-ng)")
    result: dict[str, str] = {}
    chunk = 250
    for start in range(0, len(words), chunk):
        part = words[start:start + chunk]
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as tf:
            tf.write("".join(w + ".\n" for w in part))
            name = tf.name
        try:
            out = subprocess.run([exe, "-q", "-x", "--ipa", "-v", "en-us", "-f", name],
                                 check=True, capture_output=True, text=True).stdout
        finally:
            Path(name).unlink(missing_ok=True)
        lines = [l for l in out.split("\n") if l.strip()]
        if len(lines) == len(part):
            result.update(zip(part, lines))
        else:  # fall back to one process per word for this chunk
            for w in part:
                o = subprocess.run([exe, "-q", "-x", "--ipa", "-v", "en-us", w],
                                   check=True, capture_output=True, text=True).stdout
                result[w] = " ".join(o.split())
        print(f"  espeak-ng: {min(start + chunk, len(words))}/{len(words)} words", flush=True)
    return result


def read_dict(path: Path) -> dict[str, list[str]]:
    d: dict[str, list[str]] = {}
    if not path.exists():
        return d
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(";;") or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) < 2:
            die(f"{path}:{n}: no pronunciation: {line!r}")
        w = re.sub(r"\(\d+\)$", "", parts[0]).lower()
        d.setdefault(w, []).append(" ".join(parts[1:]))
    return d


def needed_words(extra: list[Path]) -> tuple[set[str], dict[str, int]]:
    words: set[str] = set()
    counts: dict[str, int] = {}

    def add(src: str, ws) -> None:
        before = len(words)
        for w in ws:
            w = w.strip().lower()
            if w and re.fullmatch(r"[a-z][a-z']*", w):
                words.add(w)
        counts[src] = counts.get(src, 0) + len(words) - before

    rw = LEX / "radiology-words.txt"
    if not rw.exists():
        die(f"{rw} missing")
    add("radiology-words.txt", rw.read_text().split())
    for f in sorted((LEX / "corpus").glob("*.txt")):
        with f.open(encoding="utf-8") as fh:
            add(f"corpus/{f.name}", (w for line in fh for w in line.split()))
    for t in sorted((ROOT / "Templates").glob("*.html")):
        lines = template_visible_lines(t)
        add(f"Templates/{t.name}", [w for l in lines for w in word_tokens(l)])
        add(f"Templates/{t.name} (spoken)", [w for l in lines for w in to_spoken(l).split()])
    for e in extra:
        add(str(e), e.read_text(encoding="utf-8").split())
    return words, counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=Path, action="append", default=[],
                    help="extra file of words/sentences that must be covered")
    ap.add_argument("--out", type=Path, default=LEX / "radiology.dict")
    ap.add_argument("--mdef", type=Path, default=MODEL_MDEF)
    args = ap.parse_args()

    print("build-lexicon: reading CMUdict and model phones", flush=True)
    cmu = load_cmudict()
    phones = model_phones(args.mdef)
    speech_phones = phones - {"SIL", "+NSN+", "+SPN+"}
    print(f"  cmudict: {len(cmu)} words; model: {len(speech_phones)} speech phones", flush=True)

    overrides = read_dict(LEX / "pronunciation-overrides.dict")
    for w, prons in overrides.items():
        for p in prons:
            bad = [ph for ph in p.split() if ph not in speech_phones]
            if bad:
                die(f"override {w!r} uses phones not in the model: {bad}")

    # radiology-words.txt must hold only words missing from CMUdict
    rw = [w.strip().lower() for w in (LEX / "radiology-words.txt").read_text().split() if w.strip()]
    in_cmu = [w for w in rw if w in cmu]
    if in_cmu:
        die(f"radiology-words.txt lists words already in CMUdict: {in_cmu[:20]}")

    words, counts = needed_words(args.words)
    for src, n in counts.items():
        print(f"  words from {src}: +{n}", flush=True)
    missing = sorted(w for w in words if w not in cmu)
    print(f"  needed words: {len(words)}; not in CMUdict: {len(missing)}", flush=True)

    shadowed = sorted(w for w in overrides if w in cmu)
    if shadowed:
        print(f"  note: overrides for words CMUdict already has (CMUdict wins at runtime): {shadowed}")

    from_override = [w for w in missing if w in overrides]
    to_espeak = [w for w in missing if w not in overrides]
    ipa = espeak_batch(to_espeak) if to_espeak else {}

    entries: dict[str, list[str]] = {}
    errors: list[str] = []
    for w in sorted(set(missing) | (set(overrides) - set(cmu))):
        if w in overrides:
            entries[w] = overrides[w]
            continue
        try:
            ph = ipa_to_arpa(w, ipa[w])
        except ValueError as e:
            errors.append(str(e))
            continue
        if not ph:
            errors.append(f"empty pronunciation for {w!r} (espeak: {ipa[w]!r})")
            continue
        bad = [p for p in ph if p not in speech_phones]
        if bad:
            errors.append(f"{w!r}: phones {bad} not in model mdef")
            continue
        entries[w] = [" ".join(ph)]
    if errors:
        for e in errors[:50]:
            print("  " + e, file=sys.stderr)
        die(f"{len(errors)} word(s) could not be given a valid pronunciation")

    lines = []
    for w in sorted(entries):
        for k, p in enumerate(entries[w]):
            lines.append(f"{w} {p}" if k == 0 else f"{w}({k + 1}) {p}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"build-lexicon: wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: "
          f"{len(entries)} words ({len(from_override)} needed words from overrides, "
          f"{len(to_espeak)} from espeak-ng)", flush=True)


if __name__ == "__main__":
    main()
