#!/usr/bin/env python3
"""Speaker-profile benchmark: what `radscribe profile enroll` (and later corrected dictations) buy per voice.

For every voice, in one run:

  1. synthesizes the enrollment script (Lexicon/enrollment/script.txt), one WAV + TXT pair per sentence,
     and enrolls a MAP (or MLLR) profile from it with `radscribe profile enroll --audio-dir`;
  2. synthesizes the development dictations (Benchmarks/dev/, never the test set), split into sentences,
     as the speaker's earlier dictations that a transcriptionist corrected, and adapts the enrolled
     profile further on them with `radscribe profile adapt USER --audio-dir`; with --more-sentences N,
     a third profile also hears N sentences of the hand-written corpus (a longer history of use);
  3. transcribes the held-out test dictations (Benchmarks/dictations/) without a profile and with each
     profile, and scores them exactly as scripts/bench-recognition.py does.

Synthesized test audio is cached in OUT/audio/VOICE/ with the same layout as bench-recognition.py, so
`--out` pointing at a bench-recognition output folder reuses its audio.

Examples:
  scripts/bench-profile.py --voices flite-rms
  scripts/bench-profile.py --out /tmp/bench-full2 --method map
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import importlib.util
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_recognition", REPO / "scripts" / "bench-recognition.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_recognition"] = bench  # dataclasses look the module up by name
_spec.loader.exec_module(bench)

DEFAULT_VOICES = [v for v, (_, _, unreliable) in bench.VOICES.items() if not unreliable]
ENROLLMENT_SCRIPT = REPO / "Lexicon" / "enrollment" / "script.txt"


log = bench.log


def enrollment_sentences(script: Path) -> list[str]:
    lines = [l.strip() for l in script.read_text().splitlines()]
    return [l for l in lines if l and not l.startswith("#")]


def dictation_sentences(text: str) -> list[str]:
    """Splits a spoken-form dictation after each spoken full stop, as a speaker pauses there."""
    words = text.split()
    sentences, current = [], []
    for w in words:
        current.append(w)
        if w == "period":
            sentences.append(" ".join(current))
            current = []
    if current:
        sentences.append(" ".join(current))
    return sentences


def corpus_sentences(count: int, known: set[str]) -> list[str]:
    """`count` lines spread evenly over the hand-written corpus (Lexicon/corpus/handwritten*.txt), each of at least
    four words, all in the dictionary. The corpus is held out from the test dictations (corpus_hygiene.py)."""
    lines = []
    for path in sorted((REPO / "Lexicon" / "corpus").glob("handwritten*.txt")):
        for line in path.read_text().splitlines():
            words = line.split()
            if len(words) >= 4 and all(w in known for w in words):
                lines.append(" ".join(words))
    if count > len(lines):
        raise bench.BenchError(f"--more-sentences {count}: the hand-written corpus has only {len(lines)} usable lines")
    step = len(lines) / count if count else 1
    return [lines[int(k * step)] for k in range(count)]


def dictionary_words(path: Path) -> set[str]:
    words = set()
    for line in path.read_text().splitlines():
        if line.strip():
            words.add(bench._VARIANT.sub("", line.split()[0]))
    return words


def write_pairs(voice: str, sentences: list[tuple[str, str]], folder: Path) -> int:
    """Synthesizes NAME.wav for each (NAME, text) into folder with NAME.txt beside it; returns how many are new."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {name for name, _ in sentences}
    for stale in folder.iterdir():
        if stale.stem not in wanted:
            stale.unlink()
    made = 0
    for name, text in sentences:
        txt = folder / f"{name}.txt"
        if not txt.exists() or txt.read_text() != text + "\n":
            txt.write_text(text + "\n")
        made += bench.synthesize(voice, txt, folder / f"{name}.wav")
    return made


def make_profile(binary: Path, user: str, enrollment: Path, corrections: Path | None,
                 out: Path, method: str, timeout: float) -> tuple[float, dict]:
    """`profile enroll` from the enrollment pairs, then `profile adapt --audio-dir` on the corrected ones if given.

    Returns (CPU seconds of both, profile.json)."""
    profiles = out / "profiles"
    shutil.rmtree(profiles / user, ignore_errors=True)
    common = ["--method", method, "--profiles-dir", str(profiles), "--db", str(out / "profiles.sqlite")]
    steps = [[str(binary), "profile", "enroll", user, "--audio-dir", str(enrollment), *common]]
    if corrections is not None:
        steps.append([str(binary), "profile", "adapt", user, "--audio-dir", str(corrections), *common])
    cpu = 0.0
    for argv in steps:
        r = bench.run_measured(argv, timeout)
        if r.returncode != 0:
            raise bench.BenchError(f"profile {argv[2]} {user} failed (exit {r.returncode}):\n{r.stderr.strip()[-2000:]}")
        cpu += r.cpu
    profile = json.loads((profiles / user / "profile.json").read_text())
    return cpu, profile


def bench_voice(binary: Path, voice: str, a: argparse.Namespace) -> list[dict]:
    out = a.out
    enroll_dir = out / "enrollment" / voice
    made = write_pairs(voice, [(f"e{k:02d}", s) for k, s in enumerate(enrollment_sentences(a.script), 1)],
                       enroll_dir)
    log(f"{voice}: enrollment script, {made} sentence(s) synthesized")
    # label -> folder of corrected sentences (None: enrollment only)
    variants: dict[str, Path | None] = {"enroll": None}
    if not a.no_corrections:
        corr_dir = out / "corrections" / voice
        pairs, skipped = [], 0
        for txt in sorted(a.corrections.glob("*.txt")):
            if txt.name.lower() == "readme.txt":
                continue
            for k, s in enumerate(dictation_sentences(txt.read_text()), 1):
                # `profile adapt --audio-dir` would skip it anyway; not synthesizing it keeps the cache to what is used.
                if all(w in a.known_words for w in s.split()):
                    pairs.append((f"{txt.stem}-s{k:02d}", s))
                else:
                    skipped += 1
        made = write_pairs(voice, pairs, corr_dir)
        log(f"{voice}: {len(pairs)} corrected-dictation sentences from {a.corrections} ({made} synthesized), "
            f"{skipped} skipped for words outside the dictionary")
        variants["enroll+corrections"] = corr_dir
        if a.more_sentences:
            # A longer history of corrected dictations: the dev sentences plus corpus sentences in one folder.
            more_dir = out / "corrections-more" / voice
            made = write_pairs(voice, [(f"c{k:04d}", t) for k, t in enumerate(corpus_sentences(a.more_sentences, a.known_words), 1)],
                               out / "corpus-sentences" / voice)
            log(f"{voice}: {a.more_sentences} corpus sentences as further corrected dictations ({made} synthesized)")
            shutil.rmtree(more_dir, ignore_errors=True)
            more_dir.mkdir(parents=True)
            for folder in (corr_dir, out / "corpus-sentences" / voice):
                for f in sorted(folder.iterdir()):
                    if f.suffix in (".wav", ".txt"):
                        (more_dir / f.name).symlink_to(f.resolve())
            variants[f"enroll+corrections+{a.more_sentences} corpus sentences"] = more_dir

    items = bench.synthetic_items(a.dictations, [voice], out, a.limit, 1)[voice]
    audio = sum(i.seconds for i in items)
    log(f"{voice}: {len(items)} test dictations, {audio:.0f} s")

    rows = []
    plain = bench.run_radscribe(binary, voice, items, a.timeout, False, [])
    rows.append(bench.score(plain, items))
    log(f"{voice}: no profile: WER {bench.pct(rows[-1]['wer'])}")
    for label, corrections in variants.items():
        user = re.sub(r"[^a-z0-9]+", "-", f"{voice}-{label}-{a.method}")
        cpu, profile = make_profile(binary, user, enroll_dir, corrections, out, a.method, a.timeout)
        log(f"{voice}: profile {user}: {profile.get('sentenceCount')} sentences, "
            f"{profile.get('audioSeconds', 0):.0f} s of speech, adapted in {cpu:.0f} CPU s")
        extra = ["--profile", user, "--profiles-dir", str(out / "profiles")]
        run = bench.run_radscribe(binary, voice, items, a.timeout, False, [], extra)
        run.system = f"profile: {label}"
        row = bench.score(run, items)
        row["adaptation"] = {"sentences": profile.get("sentenceCount"), "audio_seconds": profile.get("audioSeconds"),
                             "cpu_seconds": round(cpu, 1), "method": a.method}
        rows.append(row)
        log(f"{voice}: {label}: WER {bench.pct(row['wer'])}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Speaker-profile benchmark: test WER per voice without a profile, with an enrollment "
                    "profile, and with enrollment + corrected development dictations.")
    ap.add_argument("--voices", default=",".join(DEFAULT_VOICES), help="comma-separated voices (default: %(default)s)")
    ap.add_argument("--method", choices=["map", "mllr"], default="map", help="adaptation method (default: %(default)s)")
    ap.add_argument("--script", type=Path, default=ENROLLMENT_SCRIPT, help="enrollment script (default: %(default)s)")
    ap.add_argument("--corrections", type=Path, default=REPO / "Benchmarks" / "dev",
                    help="dictations standing in for corrected earlier dictations (default: %(default)s)")
    ap.add_argument("--dictionary", type=Path, default=REPO / "Lexicon" / "radscribe.dict",
                    help="pronunciation dictionary the profile is adapted with (default: %(default)s)")
    ap.add_argument("--no-corrections", action="store_true", help="only the enrollment profile")
    ap.add_argument("--more-sentences", type=int, default=0, metavar="N",
                    help="also a profile adapted on N further sentences of the hand-written corpus, spoken by the voice: "
                         "a longer history of corrected dictations (default: none)")
    ap.add_argument("--dictations", type=Path, default=bench.DEFAULT_DICTATIONS, help="held-out test dictations (default: %(default)s)")
    ap.add_argument("--limit", type=int, help="only the first N test dictations (quick runs)")
    ap.add_argument("--radscribe", help="radscribe binary (default: as bench-recognition.py)")
    ap.add_argument("--out", type=Path, default=REPO / "bench-out" / "profile", help="output and cache folder (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="voices processed at once (default: %(default)s)")
    ap.add_argument("--timeout", type=float, default=3600, help="timeout per radscribe process, seconds (default: %(default)s)")
    a = ap.parse_args(argv)

    try:
        voices = [v.strip() for v in a.voices.split(",") if v.strip()]
        unknown = [v for v in voices if v not in bench.VOICES]
        if unknown:
            raise bench.BenchError(f"unknown voice(s): {', '.join(unknown)}; known: {', '.join(bench.VOICES)}")
        if a.corrections.resolve() == a.dictations.resolve():
            raise bench.BenchError("--corrections must not be the test dictations: the profile would have heard the test")
        # radscribe finds sphinxtrain itself and says what is missing.
        bench.require_tools(sorted({"sox", *(bench.VOICES[v][1][0] for v in voices)}))
        binary = bench.find_radscribe(a.radscribe)
        a.known_words = dictionary_words(a.dictionary)
        a.out.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        rows: list[dict] = []
        with cf.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            for result in ex.map(lambda v: bench_voice(binary, v, a), voices):
                rows += result
        systems = list(dict.fromkeys(r["system"] for r in rows))
        table_rows = []
        for s in systems:
            mine = [r for r in rows if r["system"] == s]
            table_rows += mine
            if len(mine) > 1:
                table_rows.append(bench.combine(mine, f"all ({len(mine)} voices)"))
        print()
        print(bench.text_table(table_rows))
        adapt = [f"- {r['voice']} {r['system']}: {r['adaptation']['sentences']} sentences, "
                 f"{r['adaptation']['audio_seconds']:.0f} s of speech, {r['adaptation']['cpu_seconds']:.0f} CPU s to adapt"
                 for r in rows if "adaptation" in r]
        print("\n" + "\n".join(adapt))
        md = [f"### Speaker profiles ({time.strftime('%Y-%m-%d')}, {a.method.upper()}, "
              f"{len(next(iter(rows))['per_file']) if rows else 0} held-out dictations)", "",
              bench.markdown_table(table_rows), "", *adapt, ""]
        (a.out / "profile.md").write_text("\n".join(md))
        (a.out / "profile.json").write_text(json.dumps({"method": a.method, "rows": rows}, indent=1))
        print(f"\nwrote {a.out / 'profile.md'} and {a.out / 'profile.json'} ({time.monotonic() - started:.0f} s)")
        return 0
    except bench.BenchError as e:
        print(f"bench-profile: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
