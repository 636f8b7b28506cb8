#!/usr/bin/env python3
"""Mixes a general-English unigram backbone into the domain trigram language model.

    general_backbone.py DOMAIN.arpa GENERAL-UNIGRAMS.tsv OUT.arpa [--words 5000] [--weight 0.98]

The domain model knows radiology but not everyday English ("some", "about", "appears", "maintained"): a word
missing from the model can never be recognized. The backbone is the `--words` most probable lowercase words of the
stock en-us model (`lm-unigrams` output, "log10p<TAB>word") that CMUdict can pronounce, renormalized. The result is
the linear interpolation

    p(w | h) = weight * p_domain(w | h) + (1 - weight) * p_general(w)

written as a backoff ARPA model: the domain's explicit n-grams with their interpolated probabilities, the union of
both vocabularies as unigrams, and backoff weights recomputed so every history's distribution sums to one.
Deterministic: same inputs, same bytes. Weight and size were chosen on Benchmarks/dev (see BENCHMARKS.md).
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

CMUDICT = Path("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict")


def read_arpa(path: Path) -> list[dict[tuple[str, ...], tuple[float, float]]]:
    grams: list[dict[tuple[str, ...], tuple[float, float]]] = [{}, {}, {}]
    order = 0
    for line in path.open(encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("\\") and line.endswith("-grams:"):
            order = int(line[1])
            continue
        if line.startswith("\\end"):
            break
        if order and line.strip():
            parts = line.split("\t") if "\t" in line else line.split()
            words = tuple(parts[1].split())
            grams[order - 1][words] = (float(parts[0]), float(parts[2]) if len(parts) > 2 else 0.0)
    if not grams[0] or len(grams) != 3:
        sys.exit(f"general_backbone: {path} is not a trigram ARPA model")
    return grams


def general_unigrams(path: Path, count: int) -> dict[str, float]:
    pronounceable = {re.sub(r"\(\d+\)$", "", l.split()[0]).lower() for l in CMUDICT.open(encoding="utf-8", errors="replace") if l.strip()}
    scored = []
    for line in path.open(encoding="utf-8"):
        logp, word = line.rstrip("\n").split("\t")
        if word.isalpha() and word.islower() and word in pronounceable:
            scored.append((float(logp), word))
    scored.sort(key=lambda item: (-item[0], item[1]))
    top = scored[:count]
    total = sum(10 ** logp for logp, _ in top)
    return {word: 10 ** logp / total for logp, word in top}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("domain", type=Path)
    parser.add_argument("general", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--weight", type=float, default=0.98)
    args = parser.parse_args()
    lam = args.weight
    domain = read_arpa(args.domain)
    general = general_unigrams(args.general, args.words)
    unk = domain[0].get(("<unk>",), (-99.0, 0.0))[0]

    def p_domain(words: tuple[str, ...]) -> float:
        n = len(words)
        if n == 1:
            return 10 ** domain[0].get(words, (unk, 0.0))[0]
        if words in domain[n - 1]:
            return 10 ** domain[n - 1][words][0]
        backoff = domain[n - 2].get(words[:-1], (0.0, 0.0))[1]
        return 10 ** backoff * p_domain(words[1:])

    def mixed(words: tuple[str, ...]) -> float:
        in_domain = (words[-1],) in domain[0]
        return lam * (p_domain(words) if in_domain else 0.0) + (1 - lam) * general.get(words[-1], 0.0)

    vocabulary = sorted({w for (w,) in domain[0]} | set(general))
    unigrams = {(w,): (-99.0 if w == "<s>" else math.log10(max(mixed((w,)), 1e-12))) for w in vocabulary}
    bigrams = {k: math.log10(mixed(k)) for k in domain[1]}
    trigrams = {k: math.log10(mixed(k)) for k in domain[2]}

    def backoffs(higher: dict, lower) -> dict:
        by_history = defaultdict(list)
        for k in higher:
            by_history[k[:-1]].append(k)
        result = {}
        for history, ks in by_history.items():
            left = 1 - sum(10 ** higher[k] for k in ks)
            lower_left = 1 - sum(lower(k[1:]) for k in ks)
            result[history] = math.log10(max(left, 1e-9) / max(lower_left, 1e-9))
        return result

    b1 = backoffs(bigrams, lambda k: 10 ** unigrams[k])

    def p_bigram(k: tuple[str, ...]) -> float:
        if k in bigrams:
            return 10 ** bigrams[k]
        return 10 ** b1.get(k[:-1], 0.0) * 10 ** unigrams[k[1:]]

    b2 = backoffs(trigrams, p_bigram)
    with args.out.open("w", encoding="utf-8") as f:
        f.write(f"\\data\\\nngram 1={len(unigrams)}\nngram 2={len(bigrams)}\nngram 3={len(trigrams)}\n\n\\1-grams:\n")
        for k in sorted(unigrams):
            f.write(f"{unigrams[k]:.4f}\t{k[0]}\t{b1.get(k, 0.0):.4f}\n")
        f.write("\n\\2-grams:\n")
        for k in sorted(bigrams):
            f.write(f"{bigrams[k]:.4f}\t{' '.join(k)}\t{b2.get(k, 0.0):.4f}\n")
        f.write("\n\\3-grams:\n")
        for k in sorted(trigrams):
            f.write(f"{trigrams[k]:.4f}\t{' '.join(k)}\n")
        f.write("\n\\end\\\n")
    added = len(unigrams) - len(domain[0])
    print(f"general_backbone: {len(domain[0])} domain words + {added} general words (top {args.words}, weight "
          f"{1 - lam:.2f}) -> {len(unigrams)} unigrams, {len(bigrams)} bigrams, {len(trigrams)} trigrams", flush=True)


if __name__ == "__main__":
    main()
