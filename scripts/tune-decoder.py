#!/usr/bin/env python3
"""Decoder-option sweep on the development set with stock `pocketsphinx_continuous`.

Each configuration is a JSON object of PocketSphinx options laid over RadScribe's radiology settings
(the same -hmm/-lm/-dict as `radscribe transcribe`); every WAV of every voice folder is decoded with
it, and the pooled WER, number-word misses, per-voice WER and the decoders' CPU seconds are printed.
Fast (one config ≈ 15–50 s for the 24 dev files on 2 cores) and independent of the Swift build;
confirm a choice with `scripts/bench-recognition.py --dictations Benchmarks/dev --decoder-option …`,
which also measures latency. Use it on Benchmarks/dev only, never on the test dictations.

Example (audio synthesized by a dev run of bench-recognition.py --out /tmp/bench-dev):
  scripts/tune-decoder.py --audio /tmp/bench-dev/audio '{}' '{"-lw": "6.5"}' '{"-beam": "1e-60"}'

Leave-one-family-out: `--exclude-family festival-diphone` tunes without that voice family (bench-recognition.py's
FAMILIES; voice folders of no family are kept), so its test-set figures measure an unseen voice.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import importlib.util
import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_recognition", REPO / "scripts" / "bench-recognition.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_recognition"] = bench
_spec.loader.exec_module(bench)

def product_decoder_options() -> dict[str, str]:
    """RecognizerConfiguration.radiologyDecoderOptions, read from the Swift source so that this sweep starts from
    exactly what `radscribe` decodes with (a hand-kept copy once drifted: -lw 6 here, 5 in the product)."""
    source = (REPO / "Sources" / "SpeechRecognition" / "RecognizerConfiguration.swift").read_text()
    literal = re.search(r"radiologyDecoderOptions: \[String: String\] = \[(.*?)\]", source, re.S)
    if not literal:
        raise SystemExit("cannot find radiologyDecoderOptions in RecognizerConfiguration.swift")
    return dict(re.findall(r'"(-[a-z_]+)": "([^"]*)"', literal.group(1)))


# RadScribe's settings; configurations override them.
RADIOLOGY = {
    "-hmm": "/usr/share/pocketsphinx/model/en-us/en-us",
    "-lm": str(REPO / "Lexicon" / "radiology.lm.bin"),
    "-dict": str(REPO / "Lexicon" / "radscribe.dict"),
    "-logfn": "/dev/null",
    **product_decoder_options(),
}


def decode(wav: Path, options: dict[str, str]) -> list[str]:
    merged = dict(RADIOLOGY)
    merged.update(options)
    argv = ["pocketsphinx_continuous", "-infile", str(wav)] + [x for kv in merged.items() for x in kv]
    run = subprocess.run(argv, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"pocketsphinx_continuous failed on {wav}: {run.stderr.strip()[-500:]}")
    return bench.normalize(run.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("configs", nargs="+", help='JSON objects of options, e.g. \'{"-lw": "6"}\' ({} = the current settings)')
    ap.add_argument("--audio", type=Path, required=True, help="folder of voice folders of NAME.wav")
    ap.add_argument("--dictations", type=Path, default=REPO / "Benchmarks" / "dev", help="reference NAME.txt (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--family", help="only voice folders of these families (comma-separated: " + ", ".join(bench.FAMILIES) + ")")
    ap.add_argument("--exclude-family", help="leave out the voice folders of these families (leave-one-family-out)")
    a = ap.parse_args()
    folders = sorted(p.name for p in a.audio.iterdir() if p.is_dir())
    try:
        folders = bench.filter_families(folders, a.family, a.exclude_family)
    except bench.BenchError as e:
        ap.error(str(e))
    jobs = [(name, wav) for name in folders
            for wav in sorted((a.audio / name).glob("*.wav")) if (a.dictations / (wav.stem + ".txt")).exists()]
    if not jobs:
        print(f"no WAV under {a.audio} (of the chosen families) has a reference in {a.dictations}", file=sys.stderr)
        return 66
    for text in a.configs:
        options = json.loads(text)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        with cf.ThreadPoolExecutor(a.jobs) as ex:
            hyps = list(ex.map(lambda job: decode(job[1], options), jobs))
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before
        errors = words = numbers = numbers_missed = 0
        voices: dict[str, list[int]] = {}
        for (voice, wav), hyp in zip(jobs, hyps):
            ref = bench.load_reference(a.dictations / (wav.stem + ".txt"))
            alignment = bench.align(ref, hyp)
            errors += alignment.errors
            words += len(ref)
            n, missed = alignment.class_counts()["number"]
            numbers += n
            numbers_missed += missed
            v = voices.setdefault(voice, [0, 0])
            v[0] += alignment.errors
            v[1] += len(ref)
        per_voice = " ".join(f"{name} {100 * e / n:.1f}%" for name, (e, n) in voices.items())
        print(f"WER {100 * errors / words:5.2f}%  numbers missed {numbers_missed}/{numbers}  cpu {cpu:5.1f}s  "
              f"[{per_voice}]  {json.dumps(options)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
