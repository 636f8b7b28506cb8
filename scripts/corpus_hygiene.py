#!/usr/bin/env python3
"""Test-set hygiene for the RadScribe language-model corpus.

A corpus line is removed when it equals, or contains (on word boundaries), any full sentence of
any benchmark or development dictation (Benchmarks/dictations/*.txt, Benchmarks/dev/*.txt) or test fixture (Tests/**/Fixtures/**/*.txt).
Sentences are the pieces of those files split on the spoken word "period" (and on line breaks);
written-form files (digits, punctuation) are converted to spoken form first. Pieces shorter than
MIN_WORDS words are not used as keys: bare voice commands ("next field") and stock phrases that
every radiologist says every day ("no acute cardiopulmonary disease", "the lungs are clear") are
the language itself, not test content; removing every corpus line that contains them would teach
the model to mishear the commonest sentences in radiology. A test sentence of six or more words
is specific enough to be held out.

CLI:  python3 scripts/corpus_hygiene.py IN.txt [IN2.txt ...] > OUT.txt   (count on stderr)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from spoken_text import to_spoken  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MIN_WORDS = 6


def heldout_files(root: Path = ROOT) -> list[Path]:
    files = sorted((root / "Benchmarks" / "dictations").glob("*.txt"))
    files += sorted((root / "Benchmarks" / "dev").glob("*.txt"))
    files += sorted(p for p in (root / "Tests").glob("**/Fixtures/**/*.txt"))
    return files


def _normalize(line: str) -> str:
    line = line.strip()
    if re.search(r"[0-9.,;:()]", line) or re.search(r"[A-Z]", line):
        line = to_spoken(line)
    return " ".join(re.findall(r"[a-z][a-z']*", line.lower()))


def heldout_sentences(root: Path = ROOT) -> set[str]:
    sents: set[str] = set()
    for f in heldout_files(root):
        for raw in f.read_text(encoding="utf-8", errors="replace").splitlines():
            norm = _normalize(raw)
            for piece in re.split(r"\bperiod\b", norm):
                piece = " ".join(piece.split())
                if len(piece.split()) >= MIN_WORDS:
                    sents.add(piece)
    return sents


class Filter:
    def __init__(self, root: Path = ROOT) -> None:
        self.files = heldout_files(root)
        self.sentences = sorted(heldout_sentences(root), key=len)
        self.removed = 0

    def keep(self, line: str) -> bool:
        padded = " " + " ".join(line.split()) + " "
        for s in self.sentences:
            if " " + s + " " in padded:
                self.removed += 1
                return False
        return True

    def describe(self) -> str:
        return (f"test hygiene: {len(self.sentences)} held-out sentences from {len(self.files)} "
                f"file(s); removed {self.removed} corpus line(s)")


def main() -> None:
    flt = Filter()
    out = sys.stdout
    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as fh:
            for line in fh:
                if line.strip() and flt.keep(line):
                    out.write(" ".join(line.split()) + "\n")
    print(flt.describe(), file=sys.stderr)


if __name__ == "__main__":
    main()
