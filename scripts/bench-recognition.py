#!/usr/bin/env python3
"""RadScribe recognition benchmark: RadScribe vs. stock PocketSphinx on spoken-form dictations.

Synthesizes every reference dictation in Benchmarks/dictations/ with several TTS voices (or takes
real recordings with --dataset), transcribes the audio with the RadScribe CLI and with stock
`pocketsphinx_continuous` (general en-us LM + CMUdict), and reports per voice and system:

  * WER (word-level Levenshtein: substitutions + deletions + insertions over reference words),
  * miss rates on negation, laterality, number and unit words (a miss is a reference word of the
    class that is not aligned to an identical hypothesis word),
  * real-time factor (CPU seconds / audio seconds) and peak RSS,
  * end-of-utterance latency, if `radscribe transcribe --json` reports it.

Writes bench-out/recognition.md (Markdown tables for BENCHMARKS.md) and bench-out/recognition.json.
Python 3.11 standard library only.

Examples:
  scripts/bench-recognition.py                       # all voices, RadScribe + baseline
  scripts/bench-recognition.py --baseline-only       # no radscribe binary needed
  scripts/bench-recognition.py --voices flite-slt,festival-slt-hts --limit 5
  scripts/bench-recognition.py --family festival-diphone   # one voice family (FAMILIES below)
  scripts/bench-recognition.py --dataset ~/recordings   # NAME.wav + NAME.txt pairs
  scripts/bench-recognition.py --self-test
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DICTATIONS = REPO / "Benchmarks" / "dictations"
DEFAULT_OUT = REPO / "bench-out"
DEFAULT_MODEL = Path("/usr/share/pocketsphinx/model/en-us")

# --------------------------------------------------------------------------------------------
# Voices
# --------------------------------------------------------------------------------------------

# id -> (description, command template producing {out} from text file {txt}, unreliable?)
# flite's "kal" voice is an 8 kHz diphone voice; "kal16" is the same voice built at 16 kHz, which
# matches the 16 kHz acoustic model, so flite-kal uses kal16.
VOICES: dict[str, tuple[str, list[str], bool]] = {
    "flite-slt": ("flite slt (female, clustergen)", ["flite", "-voice", "slt", "-f", "{txt}", "-o", "{out}"], False),
    "flite-rms": ("flite rms (male, clustergen)", ["flite", "-voice", "rms", "-f", "{txt}", "-o", "{out}"], False),
    "flite-awb": ("flite awb (male, Scottish, clustergen)", ["flite", "-voice", "awb", "-f", "{txt}", "-o", "{out}"], False),
    "flite-kal": ("flite kal16 (male, diphone)", ["flite", "-voice", "kal16", "-f", "{txt}", "-o", "{out}"], False),
    "festival-slt-hts": ("festival cmu_us_slt_arctic_hts", ["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "{txt}", "-o", "{out}"], False),
    "festival-kal": ("festival kal_diphone (male, diphone LPC; the kal speaker of flite-kal)", ["text2wave", "-eval", "(voice_kal_diphone)", "{txt}", "-o", "{out}"], False),
    "festival-ked": ("festival ked_diphone (male, diphone LPC)", ["text2wave", "-eval", "(voice_ked_diphone)", "{txt}", "-o", "{out}"], False),
    "espeak-en-us": ("espeak-ng en-us (known to be nearly unrecognizable)", ["espeak-ng", "-v", "en-us", "-f", "{txt}", "-w", "{out}"], True),
}

# Voice families: one synthesis engine each, for leave-one-family-out tuning (choose decoder settings and LM weights
# with `--exclude-family F` on Benchmarks/dev, report F's figures on the test set as "unseen voice"). Speakers are
# shared across families (slt: flite and festival-hts; kal: flite and festival-diphone), so an excluded family is an
# unseen engine, and festival-ked is the only speaker no other family has.
FAMILIES: dict[str, list[str]] = {
    "flite": ["flite-slt", "flite-rms", "flite-awb", "flite-kal"],
    "festival-hts": ["festival-slt-hts"],
    "festival-diphone": ["festival-kal", "festival-ked"],  # Debian festvox-kallpc16k, festvox-kdlpc16k
    "espeak": ["espeak-en-us"],
}


def family_of(voice: str) -> str | None:
    return next((f for f, members in FAMILIES.items() if voice in members), None)


def filter_families(voices: list[str], family: str | None = None, exclude_family: str | None = None) -> list[str]:
    """Keep the voices of the comma-separated `family` list (if given) and drop those of `exclude_family`.

    Voices of no family (e.g. a --dataset folder) are dropped by `family` and kept by `exclude_family`.
    """
    def names(text: str | None) -> set[str]:
        chosen = {f.strip() for f in (text or "").split(",") if f.strip()}
        unknown = chosen - FAMILIES.keys()
        if unknown:
            raise BenchError(f"unknown voice family(ies): {', '.join(sorted(unknown))}; known: {', '.join(FAMILIES)}")
        return chosen
    keep, drop = names(family), names(exclude_family)
    return [v for v in voices if (not keep or family_of(v) in keep) and family_of(v) not in drop]

# --------------------------------------------------------------------------------------------
# Word classes and normalization
# --------------------------------------------------------------------------------------------

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

WORD_CLASSES: dict[str, frozenset[str]] = {
    "negation": frozenset({"no", "not", "without", "negative"}),
    "laterality": frozenset({"left", "right", "bilateral", "bilaterally"}),
    # Every word that appears in zero ... ninety nine, plus hundred, thousand and the decimal point.
    "number": frozenset(_UNITS + _TENS + ["hundred", "thousand", "point"]),
    "unit": frozenset({"millimeter", "millimeters", "centimeter", "centimeters", "meter", "meters",
                       "milliliter", "milliliters", "liter", "liters", "cc", "percent", "degree",
                       "degrees", "hounsfield", "gram", "grams", "kilogram", "kilograms"}),
}
CLASS_ORDER = ["negation", "laterality", "number", "unit"]

# Hypothesis tokens CMUdict spells differently from our spoken-form references.
_SPLIT_TOKENS = {"o'clock": ["o", "clock"]}
_VARIANT = re.compile(r"\(\d+\)$")


def normalize(text: str) -> list[str]:
    """Recognizer or reference text -> list of spoken-form words.

    Lowercases; drops fillers/markers such as <s>, </s>, <sil>, [NOISE], ++NOISE++; strips
    pronunciation-variant suffixes ("word(2)" -> "word"); maps CMUdict letter entries "s." -> "s";
    splits "o'clock" -> "o clock".
    """
    words: list[str] = []
    for tok in text.lower().split():
        if (tok.startswith("<") and tok.endswith(">")) or (tok.startswith("[") and tok.endswith("]")) \
                or (tok.startswith("++") and tok.endswith("++")):
            continue
        tok = _VARIANT.sub("", tok)
        if len(tok) == 2 and tok[1] == "." and tok[0].isalpha():
            tok = tok[0]
        if tok in _SPLIT_TOKENS:
            words.extend(_SPLIT_TOKENS[tok])
        elif tok:
            words.append(tok)
    return words


# --------------------------------------------------------------------------------------------
# Alignment / WER
# --------------------------------------------------------------------------------------------

@dataclass
class Alignment:
    ref: list[str]
    hyp: list[str]
    ops: list[tuple[str, int | None, int | None]]  # ("=", "S", "D", "I"), ref index, hyp index
    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def wer(self) -> float:
        return self.errors / len(self.ref) if self.ref else (0.0 if not self.hyp else math.inf)

    def matched_ref(self) -> list[bool]:
        """For each reference word: was it aligned to an identical hypothesis word?"""
        hit = [False] * len(self.ref)
        for op, i, _ in self.ops:
            if op == "=":
                hit[i] = True
        return hit

    def class_counts(self) -> dict[str, tuple[int, int]]:
        """class -> (reference words of that class, of which missed)."""
        hit = self.matched_ref()
        out = {}
        for cls in CLASS_ORDER:
            members = WORD_CLASSES[cls]
            idx = [i for i, w in enumerate(self.ref) if w in members]
            out[cls] = (len(idx), sum(1 for i in idx if not hit[i]))
        return out

    def pretty(self) -> str:
        r, h = [], []
        for op, i, j in self.ops:
            a = self.ref[i] if i is not None else "*" * len(self.hyp[j])
            b = self.hyp[j] if j is not None else "*" * len(self.ref[i])
            if op == "=":
                a, b = a.lower(), b.lower()
            else:
                a, b = a.upper(), b.upper()
            width = max(len(a), len(b))
            r.append(a.ljust(width))
            h.append(b.ljust(width))
        return "REF: " + " ".join(r) + "\nHYP: " + " ".join(h)


def align(ref: list[str], hyp: list[str]) -> Alignment:
    """Minimum-edit-distance word alignment (all edits cost 1).

    Among equally cheap alignments the backtrace prefers, at each step from the end, a match, then
    a substitution, then a deletion, then an insertion, so results are deterministic.
    """
    n, m = len(ref), len(hyp)
    # d[i][j] = edit distance between ref[:i] and hyp[:j]
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = i
    for j in range(1, m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        ri = ref[i - 1]
        row, prev = d[i], d[i - 1]
        for j in range(1, m + 1):
            diag = prev[j - 1] + (0 if ri == hyp[j - 1] else 1)
            row[j] = min(diag, prev[j] + 1, row[j - 1] + 1)
    ops: list[tuple[str, int | None, int | None]] = []
    i, j = n, m
    s = dl = ins = 0
    while i > 0 or j > 0:
        if i > 0 and j > 0 and ref[i - 1] == hyp[j - 1] and d[i][j] == d[i - 1][j - 1]:
            ops.append(("=", i - 1, j - 1)); i -= 1; j -= 1
        elif i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + 1:
            ops.append(("S", i - 1, j - 1)); s += 1; i -= 1; j -= 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            ops.append(("D", i - 1, None)); dl += 1; i -= 1
        else:
            ops.append(("I", None, j - 1)); ins += 1; j -= 1
    ops.reverse()
    return Alignment(ref, hyp, ops, s, dl, ins)


def self_test() -> int:
    failures = 0

    def check(cond: bool, what: str) -> None:
        nonlocal failures
        if not cond:
            failures += 1
            print(f"FAIL: {what}", file=sys.stderr)

    w = str.split
    a = align(w("no pleural effusion period"), w("no pleural effusion period"))
    check(a.errors == 0 and a.wer == 0.0, "identical strings have no errors")
    a = align(w("no pneumothorax period"), w("know pneumothorax period"))
    check((a.substitutions, a.deletions, a.insertions) == (1, 0, 0), "one substitution")
    check(a.class_counts()["negation"] == (1, 1), "substituted 'no' is a negation miss")
    a = align(w("left lower lobe"), w("lower lobe"))
    check((a.substitutions, a.deletions, a.insertions) == (0, 1, 0), "one deletion")
    check(a.class_counts()["laterality"] == (1, 1), "deleted 'left' is a laterality miss")
    a = align(w("two point five centimeters"), w("two point five the centimeters"))
    check((a.substitutions, a.deletions, a.insertions) == (0, 0, 1), "one insertion")
    check(a.class_counts()["number"] == (3, 0) and a.class_counts()["unit"] == (1, 0),
          "insertion does not make neighbours misses")
    a = align(w("a b c"), [])
    check(a.errors == 3 and a.wer == 1.0, "empty hypothesis: all deletions")
    a = align([], w("x y"))
    check(a.errors == 2 and a.insertions == 2, "empty reference: all insertions")
    a = align(w("at l four five"), w("at l. for five five"))
    check(a.errors == 3, "letters are not normalized by align() itself")
    a = align(normalize("<s> at L. four(2) five [NOISE] </s>"), w("at l four five"))
    check(a.errors == 0, "normalize drops markers, variants and letter dots")
    check(normalize("ten O'CLOCK") == ["ten", "o", "clock"], "o'clock split")
    # Classic example: 2 substitutions + 1 insertion + 1 deletion.
    a = align(w("the cat sat on the mat"), w("a cat sat the on mat now"))
    check(a.errors == 4, f"edit distance 4 (got {a.errors}: {a.pretty()})")
    check(abs(a.wer - 4 / 6) < 1e-12, "WER = errors / reference words")
    a = align(w("no no right"), w("no right right"))
    hit = a.matched_ref()
    check(a.errors == 1 and sum(hit) == 2, "one substitution, two matched words")
    print("self-test: " + ("OK" if failures == 0 else f"{failures} failure(s)"), file=sys.stderr)
    return 0 if failures == 0 else 1


# --------------------------------------------------------------------------------------------
# Processes with their own resource usage
# --------------------------------------------------------------------------------------------

@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    cpu: float        # user + system CPU seconds of the process (and its reaped children)
    maxrss_kb: int    # peak resident set size (Linux reports kilobytes)
    wall: float


def run_measured(argv: list[str], timeout: float | None = None) -> Run:
    """Run argv in a fresh child and collect its own rusage with os.wait4.

    os.wait4 gives exactly this child's CPU time and ru_maxrss, so measurements stay correct when
    several children run in parallel (RUSAGE_CHILDREN deltas would mix them up).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG if deadline else 0)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                status = -1
                break
            time.sleep(0.02)
        wall = time.monotonic() - t0
        rc = os.waitstatus_to_exitcode(status) if status != -1 else -9
        p.returncode = rc  # keep Popen from waiting again
        out.seek(0); err.seek(0)
        return Run(rc, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   ru.ru_utime + ru.ru_stime, ru.ru_maxrss, wall)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Items (audio + reference)
# --------------------------------------------------------------------------------------------

@dataclass
class Item:
    name: str
    voice: str
    wav: Path
    ref: list[str]
    seconds: float = 0.0


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def is_16k_mono_16bit(path: Path) -> bool:
    try:
        with wave.open(str(path), "rb") as w:
            return w.getframerate() == 16000 and w.getnchannels() == 1 and w.getsampwidth() == 2
    except (wave.Error, EOFError):
        return False


def sox_convert(src: Path, dst: Path) -> None:
    tmp = dst.with_suffix(".tmp.wav")
    r = subprocess.run(["sox", "-R", "-D", str(src), "-r", "16000", "-c", "1", "-b", "16", str(tmp)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"sox failed on {src}: {r.stderr.strip()}")
    tmp.replace(dst)


def synthesize(voice: str, txt: Path, dst: Path) -> bool:
    """Synthesize txt with voice into dst (16 kHz mono 16-bit). Cached: returns False if reused."""
    text = txt.read_text()
    stamp = dst.with_suffix(".src")
    if dst.exists() and stamp.exists() and stamp.read_text() == text:
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    _, template, _ = VOICES[voice]
    with tempfile.TemporaryDirectory(prefix="bench-tts-") as td:
        raw = Path(td) / "raw.wav"
        argv = [a.replace("{txt}", str(txt)).replace("{out}", str(raw)) for a in template]
        r = subprocess.run(argv, capture_output=True, text=True)
        if r.returncode != 0 or not raw.exists() or raw.stat().st_size < 100:
            raise BenchError(f"{voice}: synthesis failed for {txt.name}: {' '.join(argv)}\n{r.stderr.strip()}")
        sox_convert(raw, dst)
    stamp.write_text(text)
    return True


def load_reference(path: Path) -> list[str]:
    text = path.read_text()
    words = normalize(text)
    bad = [w for w in words if not re.fullmatch(r"[a-z']+", w)]
    if bad:
        log(f"warning: {path} has non spoken-form tokens (kept as is): {' '.join(bad[:5])}")
    return words


def synthetic_items(dictations: Path, voices: list[str], out: Path, limit: int | None, jobs: int) -> dict[str, list[Item]]:
    txts = sorted(p for p in dictations.glob("*.txt") if p.name.lower() != "readme.txt")
    if not txts:
        raise BenchError(f"no dictations (*.txt) in {dictations}")
    if limit:
        txts = txts[:limit]
    items: dict[str, list[Item]] = {}
    for voice in voices:
        items[voice] = [Item(t.stem, voice, out / "audio" / voice / f"{t.stem}.wav", load_reference(t)) for t in txts]
    tasks = [(v, t, out / "audio" / v / f"{t.stem}.wav") for v in voices for t in txts]
    made = 0
    log(f"synthesis: {len(tasks)} files ({len(txts)} dictations x {len(voices)} voices), cache in {out / 'audio'}")
    with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {ex.submit(synthesize, v, t, d): (v, t) for v, t, d in tasks}
        for k, f in enumerate(cf.as_completed(futs), 1):
            v, t = futs[f]
            if f.result():
                made += 1
                log(f"  [{k}/{len(tasks)}] synthesized {v}/{t.stem}")
    log(f"synthesis: {made} new, {len(tasks) - made} cached")
    for its in items.values():
        for it in its:
            it.seconds = wav_seconds(it.wav)
    return items


def dataset_items(ds: Path, out: Path, limit: int | None) -> dict[str, list[Item]]:
    if not ds.is_dir():
        raise BenchError(f"--dataset {ds}: not a directory")
    wavs = sorted(p for p in ds.glob("*.wav") if (p.with_suffix(".txt")).exists())
    if not wavs:
        raise BenchError(f"--dataset {ds}: no NAME.wav + NAME.txt pairs found")
    missing = sorted(p.name for p in ds.glob("*.wav") if not p.with_suffix(".txt").exists())
    if missing:
        log(f"warning: {len(missing)} wav file(s) without a .txt reference skipped, e.g. {missing[0]}")
    if limit:
        wavs = wavs[:limit]
    voice = "dataset-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", ds.resolve().name)
    its = []
    for w in wavs:
        wav = w
        if not is_16k_mono_16bit(w):
            wav = out / "audio" / voice / w.name
            if not wav.exists() or wav.stat().st_mtime < w.stat().st_mtime:
                wav.parent.mkdir(parents=True, exist_ok=True)
                log(f"  converting {w.name} to 16 kHz mono 16-bit")
                sox_convert(w, wav)
        it = Item(w.stem, voice, wav, load_reference(w.with_suffix(".txt")))
        it.seconds = wav_seconds(wav)
        its.append(it)
    return {voice: its}


# --------------------------------------------------------------------------------------------
# Systems
# --------------------------------------------------------------------------------------------

@dataclass
class SystemRun:
    system: str
    voice: str
    hyps: dict[str, list[str]] = field(default_factory=dict)
    cpu: float = 0.0
    maxrss_kb: int = 0
    processes: int = 0
    latencies: list[float] | None = None
    latency_key: str | None = None
    failures: list[str] = field(default_factory=list)


def run_baseline(voice: str, items: list[Item], model: Path, jobs: int, timeout: float) -> SystemRun:
    res = SystemRun("pocketsphinx", voice)
    base = ["pocketsphinx_continuous", "-hmm", str(model / "en-us"), "-lm", str(model / "en-us.lm.bin"),
            "-dict", str(model / "cmudict-en-us.dict"), "-logfn", "/dev/null"]
    done = 0
    with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {ex.submit(run_measured, base + ["-infile", str(it.wav)], timeout): it for it in items}
        for f in cf.as_completed(futs):
            it = futs[f]
            r = f.result()
            done += 1
            res.cpu += r.cpu
            res.processes += 1
            res.maxrss_kb = max(res.maxrss_kb, r.maxrss_kb)
            if r.returncode != 0:
                res.failures.append(f"{it.name}: exit {r.returncode}: {r.stderr.strip()[-300:]}")
            res.hyps[it.name] = normalize(r.stdout)
            log(f"  pocketsphinx {voice} [{done}/{len(items)}] {it.name} cpu {r.cpu:.2f}s "
                f"rtf {r.cpu / it.seconds:.3f}")
    return res


def find_radscribe(arg: str | None) -> Path:
    candidates = []
    if arg:
        candidates = [Path(arg)]
    elif os.environ.get("RADSCRIBE_BIN"):
        candidates = [Path(os.environ["RADSCRIBE_BIN"])]
    else:
        candidates = [REPO / ".build" / "release" / "radscribe", REPO / ".build" / "debug" / "radscribe"]
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    raise BenchError("radscribe binary not found (looked at " + ", ".join(str(c) for c in candidates) +
                     "). Build it, pass --radscribe PATH or set RADSCRIBE_BIN, or use --baseline-only.")


def _find_latencies(obj, acc: list[tuple[str, float]]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if "latency" in k.lower() and isinstance(v, (int, float)) and not isinstance(v, bool):
                acc.append((k, float(v)))
            else:
                _find_latencies(v, acc)
    elif isinstance(obj, list):
        for v in obj:
            _find_latencies(v, acc)


def _parse_json_stream(text: str) -> list:
    """One JSON document, or several (JSON lines / concatenated)."""
    dec = json.JSONDecoder()
    docs, i, text = [], 0, text.strip()
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        doc, i = dec.raw_decode(text, i)
        docs.append(doc)
    return docs


def run_radscribe(binary: Path, voice: str, items: list[Item], timeout: float, want_json: bool,
                  options: list[str], profile_args: list[str] | None = None) -> SystemRun:
    """`options` go to every `radscribe transcribe`; `profile_args` too, and they name the system radscribe+profile."""
    res = SystemRun("radscribe+profile" if profile_args else "radscribe", voice)
    files = [str(it.wav) for it in items]
    profile_args = options + (profile_args or [])
    log(f"  {res.system} {voice}: transcribing {len(files)} files in one process")
    r = run_measured([str(binary), "transcribe", "--spoken", *profile_args, *files], timeout)
    res.cpu, res.maxrss_kb, res.processes = r.cpu, r.maxrss_kb, 1
    if r.returncode != 0:
        raise BenchError(f"radscribe transcribe --spoken failed for {voice} (exit {r.returncode}):\n{r.stderr.strip()[-2000:]}")
    lines = r.stdout.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(items):
        raise BenchError(f"radscribe transcribe --spoken printed {len(lines)} lines for {len(items)} files ({voice})")
    for it, line in zip(items, lines):
        res.hyps[it.name] = normalize(line)
    total_s = sum(it.seconds for it in items)
    log(f"  radscribe {voice}: cpu {r.cpu:.1f}s rtf {r.cpu / total_s:.3f} rss {r.maxrss_kb / 1024:.0f} MB")
    if want_json:
        j = run_measured([str(binary), "transcribe", "--json", *profile_args, *files], timeout)
        if j.returncode != 0:
            res.failures.append(f"transcribe --json exited {j.returncode}: {j.stderr.strip()[-300:]}")
        else:
            try:
                acc: list[tuple[str, float]] = []
                for doc in _parse_json_stream(j.stdout):
                    _find_latencies(doc, acc)
                if acc:
                    res.latencies = [v for _, v in acc]
                    res.latency_key = ", ".join(sorted({k for k, _ in acc}))
            except json.JSONDecodeError as e:
                res.failures.append(f"transcribe --json output is not JSON: {e}")
    return res


# --------------------------------------------------------------------------------------------
# Scoring and reports
# --------------------------------------------------------------------------------------------

def score(run: SystemRun, items: list[Item]) -> dict:
    errs = subs = dels = ins = nref = 0
    cls_tot = {c: 0 for c in CLASS_ORDER}
    cls_miss = {c: 0 for c in CLASS_ORDER}
    per_file = []
    for it in items:
        hyp = run.hyps.get(it.name, [])
        a = align(it.ref, hyp)
        errs += a.errors; subs += a.substitutions; dels += a.deletions; ins += a.insertions
        nref += len(it.ref)
        cc = a.class_counts()
        for c, (t, m) in cc.items():
            cls_tot[c] += t; cls_miss[c] += m
        per_file.append({"name": it.name, "audio_seconds": round(it.seconds, 3), "ref_words": len(it.ref),
                         "errors": a.errors, "wer": round(a.wer, 4), "hyp": " ".join(hyp),
                         "missed": {c: [it.ref[i] for i, ok in enumerate(a.matched_ref())
                                        if not ok and it.ref[i] in WORD_CLASSES[c]] for c in CLASS_ORDER}})
    audio = sum(it.seconds for it in items)
    out = {
        "system": run.system, "voice": run.voice, "files": len(items), "ref_words": nref,
        "audio_seconds": round(audio, 2), "errors": errs, "substitutions": subs, "deletions": dels,
        "insertions": ins, "wer": errs / nref if nref else None,
        "classes": {c: {"ref_words": cls_tot[c], "missed": cls_miss[c],
                        "miss_rate": cls_miss[c] / cls_tot[c] if cls_tot[c] else None} for c in CLASS_ORDER},
        "cpu_seconds": round(run.cpu, 3), "rtf": run.cpu / audio if audio else None,
        "peak_rss_mb": round(run.maxrss_kb / 1024, 1), "processes": run.processes,
        "unreliable_voice": VOICES.get(run.voice, ("", [], False))[2],
        "failures": run.failures, "per_file": per_file,
    }
    if run.latencies is not None:
        lat = sorted(run.latencies)
        out["latency"] = {"key": run.latency_key, "count": len(lat), "mean": sum(lat) / len(lat),
                          "p95": lat[min(len(lat) - 1, math.ceil(0.95 * len(lat)) - 1)]}
    return out


def combine(rows: list[dict], voice_label: str) -> dict:
    """Pool several voices of one system (micro-average over all reference words)."""
    nref = sum(r["ref_words"] for r in rows)
    audio = sum(r["audio_seconds"] for r in rows)
    cpu = sum(r["cpu_seconds"] for r in rows)
    errs = sum(r["errors"] for r in rows)
    classes = {}
    for c in CLASS_ORDER:
        t = sum(r["classes"][c]["ref_words"] for r in rows)
        m = sum(r["classes"][c]["missed"] for r in rows)
        classes[c] = {"ref_words": t, "missed": m, "miss_rate": m / t if t else None}
    return {"system": rows[0]["system"], "voice": voice_label, "files": sum(r["files"] for r in rows),
            "ref_words": nref, "audio_seconds": round(audio, 2), "errors": errs,
            "substitutions": sum(r["substitutions"] for r in rows), "deletions": sum(r["deletions"] for r in rows),
            "insertions": sum(r["insertions"] for r in rows), "wer": errs / nref if nref else None,
            "classes": classes, "cpu_seconds": round(cpu, 3), "rtf": cpu / audio if audio else None,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in rows), "processes": sum(r["processes"] for r in rows)}


def pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


HEADER = ["system", "voice", "files", "words", "WER", "negation miss", "laterality miss", "number miss",
          "unit miss", "RTF", "peak RSS"]


def row_cells(r: dict) -> list[str]:
    def miss(c):
        k = r["classes"][c]
        return f"{pct(k['miss_rate'])} ({k['missed']}/{k['ref_words']})" if k["ref_words"] else "–"
    return [r["system"], r["voice"], str(r["files"]), str(r["ref_words"]), pct(r["wer"]),
            miss("negation"), miss("laterality"), miss("number"), miss("unit"),
            "–" if r["rtf"] is None else f"{r['rtf']:.3f}", f"{r['peak_rss_mb']:.0f} MB"]


def markdown_table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" if i < 2 else "---:" for i in range(len(HEADER))) + "|"]
    for r in rows:
        cells = row_cells(r)
        if r["voice"].startswith("all "):
            cells = [f"**{c}**" for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def text_table(rows: list[dict]) -> str:
    table = [HEADER] + [row_cells(r) for r in rows]
    widths = [max(len(t[i]) for t in table) for i in range(len(HEADER))]
    out = []
    for k, t in enumerate(table):
        out.append("  ".join(c.ljust(widths[i]) if i < 2 else c.rjust(widths[i]) for i, c in enumerate(t)))
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def latency_lines(rows: list[dict], have_radscribe: bool) -> list[str]:
    if not have_radscribe:
        return ["latency: not measured (baseline only)"]
    lines = []
    for r in rows:
        if r["system"] != "radscribe":
            continue
        lat = r.get("latency")
        if lat:
            lines.append(f"latency ({r['voice']}, {lat['key']}, n={lat['count']}): mean {lat['mean']:.3f}, p95 {lat['p95']:.3f}")
    return lines or ["latency: not reported by this radscribe build"]


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def require_tools(tools: list[str]) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        hints = {"flite": "apt-get install flite",
                 "text2wave": "apt-get install festival festvox-us-slt-hts festvox-kallpc16k festvox-kdlpc16k",
                 "espeak-ng": "apt-get install espeak-ng", "sox": "apt-get install sox",
                 "pocketsphinx_continuous": "apt-get install pocketsphinx pocketsphinx-en-us"}
        raise BenchError("missing tool(s): " + ", ".join(f"{t} ({hints.get(t, 'install it')})" for t in missing))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Recognition benchmark: RadScribe vs. stock PocketSphinx on spoken-form radiology dictations.",
        epilog="Voices: " + "; ".join(f"{k} = {v[0]}" for k, v in VOICES.items()) +
               ". espeak results are reported separately (that voice is nearly unrecognizable by the en-us model).")
    ap.add_argument("--dictations", type=Path, default=DEFAULT_DICTATIONS, help="folder of reference *.txt (default: %(default)s)")
    ap.add_argument("--dataset", type=Path, help="folder of NAME.wav + NAME.txt pairs (real voices) instead of synthesis")
    ap.add_argument("--voices", default=",".join(VOICES), help="comma-separated voices to synthesize (default: all)")
    ap.add_argument("--family", help="only voices of these families (comma-separated: " + ", ".join(FAMILIES) + ")")
    ap.add_argument("--exclude-family", help="leave out the voices of these families (leave-one-family-out)")
    ap.add_argument("--limit", type=int, help="only the first N dictations (quick runs)")
    ap.add_argument("--radscribe", help="radscribe binary (default: $RADSCRIBE_BIN, .build/release/radscribe, .build/debug/radscribe)")
    ap.add_argument("--baseline-only", action="store_true", help="skip RadScribe, run stock PocketSphinx only")
    ap.add_argument("--no-baseline", action="store_true", help="skip stock PocketSphinx")
    ap.add_argument("--no-json", action="store_true", help="do not run `radscribe transcribe --json` (no latency figures)")
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="stock model directory (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel synthesis/baseline processes (default: %(default)s)")
    ap.add_argument("--timeout", type=float, default=3600, help="timeout per recognizer process, seconds (default: %(default)s)")
    ap.add_argument("--verbose-alignments", action="store_true", help="print each file's alignment")
    ap.add_argument("--self-test", action="store_true", help="run the alignment self-test and exit 0/1")
    ap.add_argument("--decoder-option", action="append", default=[], metavar="NAME=VALUE",
                    help="passed to `radscribe transcribe --decoder-option` (tuning on Benchmarks/dev); repeatable")
    ap.add_argument("--profile", help="also run RadScribe with this speaker profile (`radscribe profile enroll USER`), as system radscribe+profile")
    ap.add_argument("--profiles-dir", help="speaker profiles folder passed to radscribe (default: its own)")
    a = ap.parse_args(argv)

    if a.self_test:
        return self_test()
    if a.baseline_only and a.no_baseline:
        ap.error("--baseline-only and --no-baseline exclude each other")

    try:
        voices = [v.strip() for v in a.voices.split(",") if v.strip()]
        unknown = [v for v in voices if v not in VOICES]
        if unknown and not a.dataset:
            raise BenchError(f"unknown voice(s): {', '.join(unknown)}; known: {', '.join(VOICES)}")
        voices = filter_families(voices, a.family, a.exclude_family)
        if not voices and not a.dataset:
            raise BenchError("no voice left after --family/--exclude-family")
        tools = ["sox"]
        if not a.dataset:
            for v in voices:
                tools.append(VOICES[v][1][0])
        if not a.no_baseline:
            tools.append("pocketsphinx_continuous")
            for p in [a.model / "en-us", a.model / "en-us.lm.bin", a.model / "cmudict-en-us.dict"]:
                if not p.exists():
                    raise BenchError(f"stock model file missing: {p} (apt-get install pocketsphinx-en-us, or --model DIR)")
        require_tools(sorted(set(tools)))
        binary = None if a.baseline_only else find_radscribe(a.radscribe)
        if binary:
            log(f"radscribe: {binary}")

        a.out.mkdir(parents=True, exist_ok=True)
        t_start = time.monotonic()
        if a.dataset:
            items = dataset_items(a.dataset, a.out, a.limit)
        else:
            items = synthetic_items(a.dictations, voices, a.out, a.limit, max(1, a.jobs))

        decoder_args = [f"--decoder-option={o}" for o in a.decoder_option]
        rows: list[dict] = []
        for voice, its in items.items():
            audio = sum(i.seconds for i in its)
            log(f"voice {voice}: {len(its)} files, {audio:.0f} s of audio")
            runs = []
            if binary:
                runs.append(run_radscribe(binary, voice, its, a.timeout, not a.no_json, decoder_args))
                if a.profile:
                    extra = ["--profile", a.profile] + (["--profiles-dir", a.profiles_dir] if a.profiles_dir else [])
                    runs.append(run_radscribe(binary, voice, its, a.timeout, not a.no_json, decoder_args, extra))
            if not a.no_baseline:
                runs.append(run_baseline(voice, its, a.model, max(1, a.jobs), a.timeout))
            for r in runs:
                for f in r.failures:
                    log(f"  warning: {r.system} {voice}: {f}")
                s = score(r, its)
                rows.append(s)
                log(f"  => {r.system} {voice}: WER {pct(s['wer'])}, RTF {s['rtf']:.3f}, peak RSS {s['peak_rss_mb']:.0f} MB")
                if a.verbose_alignments:
                    for it in its:
                        print(f"--- {r.system} {voice} {it.name}\n{align(it.ref, r.hyps.get(it.name, [])).pretty()}", file=sys.stderr)

        # Order rows: main voices, then pooled, then unreliable voices separately.
        systems = [s for s in ("radscribe", "radscribe+profile", "pocketsphinx") if any(r["system"] == s for r in rows)]
        main_rows, weak_rows = [], []
        for s in systems:
            mine = [r for r in rows if r["system"] == s]
            good = [r for r in mine if not r["unreliable_voice"]]
            main_rows += good
            if len(good) > 1:
                main_rows.append(combine(good, f"all ({len(good)} voices)"))
            weak_rows += [r for r in mine if r["unreliable_voice"]]
        elapsed = time.monotonic() - t_start

        lat = latency_lines(rows, binary is not None)
        print()
        print(text_table(main_rows))
        if weak_rows:
            print("\nSeparately (espeak-ng: nearly unrecognizable by the en-us acoustic model; not a target):")
            print(text_table(weak_rows))
        print()
        for line in lat:
            print(line)
        print(f"\nwrote {a.out / 'recognition.md'} and {a.out / 'recognition.json'} ({elapsed:.0f} s)")

        source = f"dataset `{a.dataset}`" if a.dataset else f"{len(next(iter(items.values())))} synthesized dictations from `Benchmarks/dictations/`"
        md = [f"### Recognition ({time.strftime('%Y-%m-%d')}, {source})", "",
              "WER = (substitutions + deletions + insertions) / reference words, pooled over files. "
              "A class miss is a reference word of that class not aligned to an identical word. "
              "RTF = CPU seconds / audio seconds (stock PocketSphinx: one process per file, so model "
              "loading is included per file; RadScribe: one process per voice). Peak RSS is the largest "
              "single process. Synthetic-speech WER is a regression signal, not a promise about human speech.", "",
              markdown_table(main_rows)]
        if weak_rows:
            md += ["", "espeak-ng (reported separately; nearly unrecognizable by the en-us acoustic model):", "",
                   markdown_table(weak_rows)]
        md += ["", *[f"- {l}" for l in lat], ""]
        (a.out / "recognition.md").write_text("\n".join(md))
        report = {"generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "radscribe": str(binary) if binary else None,
                  "baseline": None if a.no_baseline else {"tool": "pocketsphinx_continuous", "model": str(a.model)},
                  "source": str(a.dataset) if a.dataset else str(a.dictations),
                  "voices": {v: VOICES[v][0] for v in items if v in VOICES},
                  "word_classes": {c: sorted(WORD_CLASSES[c]) for c in CLASS_ORDER},
                  "summary": main_rows + weak_rows, "latency": lat, "elapsed_seconds": round(elapsed, 1)}
        (a.out / "recognition.json").write_text(json.dumps(report, indent=2) + "\n")
        return 0
    except BenchError as e:
        print(f"bench-recognition: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
