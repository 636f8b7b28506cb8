#!/usr/bin/env python3
"""Mixes a general-English unigram backbone into the domain n-gram language model.

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
    """ARPA n-grams by order: grams[n - 1][words] = (log10 p, log10 backoff)."""
    grams: list[dict[tuple[str, ...], tuple[float, float]]] = []
    order = 0
    for line in path.open(encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("ngram ") and "=" in line:
            grams.append({})
            continue
        if line.startswith("\\") and line.endswith("-grams:"):
            order = int(line[1:line.index("-")])
            continue
        if line.startswith("\\end"):
            break
        if order and line.strip():
            parts = line.split()  # log10 p, the order's words, [log10 backoff]; tabs or spaces
            backoff = float(parts[1 + order]) if len(parts) > 1 + order else 0.0
            grams[order - 1][tuple(parts[1:1 + order])] = (float(parts[0]), backoff)
    if len(grams) < 2 or not grams[0]:
        sys.exit(f"general_backbone: {path} is not an ARPA model of order 2 or more")
    return grams


def read_cmudict() -> dict[str, list[str]]:
    prons: dict[str, list[str]] = defaultdict(list)
    for line in CMUDICT.open(encoding="utf-8", errors="replace"):
        parts = line.split()
        if parts:
            prons[re.sub(r"\(\d+\)$", "", parts[0]).lower()].append(" ".join(parts[1:]))
    return prons


def is_spelled_acronym(word: str, prons: dict[str, list[str]]) -> bool:
    """True for "mri", "usb", "ap": every pronunciation is the word's letters said one by one. The domain
    model speaks acronyms as letters ("m r i"); a one-word rival would split their probability."""
    if len(word) < 2 or not all(ch in prons for ch in word):
        return False
    spellings = {""}
    for ch in word:
        spellings = {(s + " " + p).strip() for s in spellings for p in prons[ch]}
    return all(p in spellings for p in prons[word])


def general_unigrams(path: Path, count: int) -> dict[str, float]:
    prons = read_cmudict()
    scored = []
    for line in path.open(encoding="utf-8"):
        logp, word = line.rstrip("\n").split("\t")
        if word.isalpha() and word.islower() and word in prons and not is_spelled_acronym(word, prons):
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
    order = len(domain)
    probs: list[dict[tuple[str, ...], float]] = [
        {(w,): (-99.0 if w == "<s>" else math.log10(max(mixed((w,)), 1e-12))) for w in vocabulary}]
    probs += [{k: math.log10(mixed(k)) for k in domain[n]} for n in range(1, order)]
    bows: list[dict[tuple[str, ...], float]] = []  # bows[n - 1]: backoff weights of n-word histories

    def p_mixed(k: tuple[str, ...]) -> float:
        """Probability under the output model (explicit n-gram or backoff), orders below the one being built."""
        if k in probs[len(k) - 1]:
            return 10 ** probs[len(k) - 1][k]
        return 10 ** bows[len(k) - 2].get(k[:-1], 0.0) * p_mixed(k[1:])

    def backoffs(higher: dict) -> dict:
        by_history = defaultdict(list)
        for k in higher:
            by_history[k[:-1]].append(k)
        result = {}
        for history, ks in by_history.items():
            left = 1 - sum(10 ** higher[k] for k in ks)
            lower_left = 1 - sum(p_mixed(k[1:]) for k in ks)
            result[history] = math.log10(max(left, 1e-9) / max(lower_left, 1e-9))
        return result

    for n in range(1, order):
        bows.append(backoffs(probs[n]))
    unigrams = probs[0]
    with args.out.open("w", encoding="utf-8") as f:
        f.write("\\data\\\n" + "".join(f"ngram {n + 1}={len(probs[n])}\n" for n in range(order)))
        for n in range(order):
            f.write(f"\n\\{n + 1}-grams:\n")
            for k in sorted(probs[n]):
                if n + 1 < order:
                    f.write(f"{probs[n][k]:.4f}\t{' '.join(k)}\t{bows[n].get(k, 0.0):.4f}\n")
                else:
                    f.write(f"{probs[n][k]:.4f}\t{' '.join(k)}\n")
        f.write("\n\\end\\\n")
    added = len(unigrams) - len(domain[0])
    counts = ", ".join(f"{len(probs[n])} {n + 1}-grams" for n in range(order))
    print(f"general_backbone: {len(domain[0])} domain words + {added} general words (top {args.words}, weight "
          f"{1 - lam:.2f}) -> {counts}", flush=True)


if __name__ == "__main__":
    main()
