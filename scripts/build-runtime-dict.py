#!/usr/bin/env python3
"""Write Lexicon/radscribe.dict: a pronunciation for EVERY word in the ARPA LM's vocabulary,
from CMUdict first (all its variants), else Lexicon/radiology.dict. Fails loudly if any LM word
has no pronunciation. Usage: build-runtime-dict.py LM.arpa [OUT]   (stdlib only)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from spoken_text import load_cmudict  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SPECIAL = {"<s>", "</s>", "<unk>", "<UNK>"}


def arpa_unigrams(path: Path) -> list[str]:
    words: list[str] = []
    section = None
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("\\"):
                section = line
                continue
            if section == "\\1-grams:" and line:
                parts = line.split()
                if len(parts) >= 2:
                    words.append(parts[1])
    return words


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    lm = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "Lexicon" / "radscribe.dict"
    vocab = sorted(set(w for w in arpa_unigrams(lm) if w not in SPECIAL))
    if not vocab:
        sys.exit(f"build-runtime-dict: ERROR: no unigrams read from {lm}")
    cmu = load_cmudict()
    rad: dict[str, list[str]] = {}
    for line in (ROOT / "Lexicon" / "radiology.dict").read_text(encoding="utf-8").splitlines():
        p = line.split()
        if len(p) >= 2:
            rad.setdefault(re.sub(r"\(\d+\)$", "", p[0]), []).append(" ".join(p[1:]))
    lines, missing, n_cmu, n_rad = [], [], 0, 0
    for w in vocab:
        prons = cmu.get(w)
        if prons:
            n_cmu += 1
        else:
            prons = rad.get(w)
            if prons:
                n_rad += 1
        if not prons:
            missing.append(w)
            continue
        for k, p in enumerate(dict.fromkeys(prons)):
            lines.append(f"{w} {p}" if k == 0 else f"{w}({k + 1}) {p}")
    if missing:
        print(f"build-runtime-dict: ERROR: {len(missing)} LM word(s) have no pronunciation: "
              f"{missing[:40]}", file=sys.stderr)
        sys.exit(1)
    # every word of every template's visible text (raw and spoken form) must be in the vocabulary
    from spoken_text import plain_words, template_visible_lines, to_spoken
    vs = set(vocab)
    for t in sorted((ROOT / "Templates").glob("*.html")):
        tw = set()
        for l in template_visible_lines(t):
            tw.update(plain_words(l))
            tw.update(to_spoken(l).split())
        gap = sorted(tw - vs)
        if gap:
            print(f"build-runtime-dict: ERROR: words of {t.name} missing from the LM vocabulary: {gap}",
                  file=sys.stderr)
            sys.exit(1)
        print(f"  {t.name}: all {len(tw)} words in the LM vocabulary")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"build-runtime-dict: wrote {out.name}: {len(vocab)} words ({n_cmu} from CMUdict, "
          f"{n_rad} from radiology.dict), {len(lines)} entries")


if __name__ == "__main__":
    main()
