#!/usr/bin/env python3
"""RadScribe robustness benchmark: the recognition benchmark's dictations under degraded conditions.

Every reference dictation is synthesized per voice as in scripts/bench-recognition.py (whose synthesis, alignment,
scoring and `radscribe transcribe` runs this script imports; nothing is copied), then turned into one WAV per
condition with sox and a few lines of standard-library arithmetic, and each condition x voice is transcribed by one
`radscribe transcribe --spoken` process (plus `--json` for latency). Conditions:

  clean                 the whole-dictation synthesis bench-recognition.py scores
  pause0.6 pause1.2 pause2.5
                        the dictation synthesized in chunks, split after every spoken punctuation word (period,
                        comma, colon, semicolon, new paragraph, new line, next field, question mark) and once
                        inside every sentence of 8 or more words (before a negation, laterality or number word
                        where there is one, never inside a number or a vertebral level; which one is fixed by a
                        CRC of name and chunk); the chunks' own edge silence is trimmed (-50 dBFS) and they are joined by exactly
                        that many seconds, with 0.3 s before the first chunk and the same pause after the last;
                        a pink-noise floor at -60 dBFS RMS runs under the whole file (no digital silence)
  tempo0.85 tempo1.15   sox tempo -s (speed without pitch change)
  pitch+2 pitch-2       sox pitch +-200 cents
  level-20              sox gain -20
  clip+12               sox gain +12, hard-clipped at full scale (the clipped share of samples is reported)
  telephone             sox sinc 300-3400 at 8 kHz G.711 mu-law, then back to 16 kHz
  reverb                sox reverb 50 50 60 100 10 0 (reverberance %, HF damping %, room scale %, stereo depth %,
                        pre-delay ms, wet gain dB), with sox -G against clipping
  vent20 vent10         ventilation-like noise (brown noise, pink noise 15 dB lower, a 117 Hz fan hum with its
                        234 Hz harmonic, 40 Hz high-pass, 4 kHz low-pass) at 20 and 10 dB SNR
  babble15              two other voices (flite awb and festival slt HTS, or flite rms for those voices
                        themselves) speaking other dictations of the set, at equal level, together at 15 dB SNR

SNR = active speech power (mean over the 20 ms frames within 40 dB of the loudest frame) / mean noise power over
the mixed stretch. If a mix would exceed full scale, speech and noise are scaled down together (the SNR stays).
Every noise is generated with `sox -R` (repeatable random numbers) into OUT/noise and sliced at an offset fixed by a
CRC of voice and name, so reruns produce identical files; conditioned audio is cached in OUT/conditions/COND/VOICE/
(a stamp records recipe and source hash) and the clean audio in OUT/audio/VOICE/ (bench-recognition's layout, so the
same --out can be shared with it).

Writes OUT/robustness.md and OUT/robustness.json and prints the tables; progress goes to stderr. Each condition x
voice's transcripts, CPU time and latencies are kept in OUT/results/COND/VOICE.json and reused while the audio, the
binary, the files of $RADSCRIBE_HOME/Lexicon and the options are unchanged, so a long run can be done in parts (e.g.
one --family or a few --conditions per session) and a final `--conditions all` run only assembles the report.

Examples:
  RADSCRIBE_HOME=. scripts/bench-robustness.py --conditions all --out /tmp/bench-robust
  scripts/bench-robustness.py --limit 2 --voices flite-slt,festival-ked --conditions clean,pause2.5,vent20
  scripts/bench-robustness.py --exclude-family flite --conditions clean,pause1.2   # figures of the other families
  scripts/bench-robustness.py --self-test
"""
from __future__ import annotations

import argparse
import array
import concurrent.futures as cf
import dataclasses
import hashlib
import importlib.util
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import wave
import zlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location("bench_recognition", REPO / "scripts" / "bench-recognition.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_recognition"] = bench
_spec.loader.exec_module(bench)

RATE = 16000
RECIPE_VERSION = "1"  # bump when a recipe below changes, so cached conditioned audio is rebuilt

# --------------------------------------------------------------------------------------------
# Conditions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    kind: str                 # clean | pause | sox | telephone | noise | babble
    param: object = None      # pause seconds; sox effect list; SNR dB
    guard: bool = True        # sox -G (guard against clipping)
    what: str = ""


CONDITIONS: dict[str, Condition] = {
    "clean": Condition("clean", what="whole-dictation synthesis"),
    "pause0.6": Condition("pause", 0.6, what="chunked synthesis, 0.6 s pauses after spoken punctuation and inside sentences"),
    "pause1.2": Condition("pause", 1.2, what="the same with 1.2 s pauses"),
    "pause2.5": Condition("pause", 2.5, what="the same with 2.5 s pauses"),
    "tempo0.85": Condition("sox", ["tempo", "-s", "0.85"], what="sox tempo -s 0.85 (slower)"),
    "tempo1.15": Condition("sox", ["tempo", "-s", "1.15"], what="sox tempo -s 1.15 (faster)"),
    "pitch+2": Condition("sox", ["pitch", "200"], what="sox pitch +200 cents"),
    "pitch-2": Condition("sox", ["pitch", "-200"], what="sox pitch -200 cents"),
    "level-20": Condition("sox", ["gain", "-20"], what="sox gain -20 dB"),
    "clip+12": Condition("sox", ["gain", "12"], guard=False, what="sox gain +12 dB, hard-clipped"),
    "telephone": Condition("telephone", what="300-3400 Hz, 8 kHz mu-law, back to 16 kHz"),
    "reverb": Condition("sox", ["reverb", "50", "50", "60", "100", "10", "0"], what="sox reverb 50 50 60 100 10 0"),
    "vent20": Condition("noise", 20.0, what="ventilation-like noise at 20 dB SNR"),
    "vent10": Condition("noise", 10.0, what="ventilation-like noise at 10 dB SNR"),
    "babble15": Condition("babble", 15.0, what="two other voices at 15 dB SNR"),
}

DEFAULT_VOICES = [v for v, (_, _, weak) in bench.VOICES.items() if not weak]
BABBLE_POOL = ["flite-awb", "festival-slt-hts", "flite-rms"]  # the first two that are not the voice under test
FLOOR_DBFS = -60.0        # pause conditions: noise floor under the whole file
TRIM_DBFS = -50.0         # chunk edges: 10 ms frames below this are trimmed (one frame of margin is kept)
PAUSE_LEAD = 0.3          # seconds before the first chunk
MID_MIN_WORDS = 8         # sentences at least this long get one pause inside
NOISE_BED_SECONDS = 300   # length of each generated noise file

PUNCT_ONE = {"period", "comma", "colon", "semicolon"}
PUNCT_TWO = {("new", "paragraph"), ("new", "line"), ("next", "field"), ("question", "mark")}
PAUSE_BEFORE = bench.WORD_CLASSES["negation"] | bench.WORD_CLASSES["laterality"] | bench.WORD_CLASSES["number"]


def parse_conditions(text: str) -> list[str]:
    names: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if part == "all":
            names += [n for n in CONDITIONS if n not in names]
        elif part in CONDITIONS:
            if part not in names:
                names.append(part)
        else:
            raise bench.BenchError(f"unknown condition {part!r}; known: all, {', '.join(CONDITIONS)}")
    return names


# --------------------------------------------------------------------------------------------
# Pause chunker
# --------------------------------------------------------------------------------------------

def chunk_words(words: list[str], key: str) -> list[list[str]]:
    """Spoken-form words -> chunks to synthesize separately, deterministic for a given key (the dictation name).

    Splits after each spoken punctuation word (or two-word form); then every chunk of MID_MIN_WORDS or more words
    is split once more inside: before a negation/laterality/number word if one stands at a candidate position,
    never between two number words nor after a spelled letter ("l | four five"), leaving at least 3 words before and 2 after; among the candidates the CRC32
    of "key/chunk index" chooses.
    """
    sentences: list[list[str]] = []
    cur: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if i + 1 < len(words) and (w, words[i + 1]) in PUNCT_TWO:
            cur += [w, words[i + 1]]
            i += 2
            sentences.append(cur); cur = []
            continue
        cur.append(w)
        i += 1
        if w in PUNCT_ONE:
            sentences.append(cur); cur = []
    if cur:
        sentences.append(cur)
    number = bench.WORD_CLASSES["number"]
    chunks: list[list[str]] = []
    for ci, s in enumerate(sentences):
        if len(s) < MID_MIN_WORDS:
            chunks.append(s)
            continue
        cands = [p for p in range(3, len(s) - 1)
                 if not (s[p - 1] in number and s[p] in number)
                 and not (len(s[p - 1]) == 1 and s[p - 1] != "a")  # "l | four five": a vertebral level
                 and s[p - 1] not in ("new", "next", "question") and s[p] not in PUNCT_ONE]
        preferred = [p for p in cands if s[p] in PAUSE_BEFORE]
        pool = preferred or cands
        if not pool:
            chunks.append(s)
            continue
        p = pool[zlib.crc32(f"{key}/{ci}".encode()) % len(pool)]
        chunks += [s[:p], s[p:]]
    return chunks


# --------------------------------------------------------------------------------------------
# Samples
# --------------------------------------------------------------------------------------------

def read_pcm(path: Path) -> array.array:
    with wave.open(str(path), "rb") as w:
        if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (RATE, 1, 2):
            raise bench.BenchError(f"{path}: expected 16 kHz mono 16-bit")
        data = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder != "little":
        data.byteswap()
    return data


def write_pcm(path: Path, samples, rate: int = RATE) -> None:
    data = samples if isinstance(samples, array.array) else array.array("h", samples)
    if sys.byteorder != "little":
        data = array.array("h", data); data.byteswap()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part.wav")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
        w.writeframes(data.tobytes())
    tmp.replace(path)


def power(x) -> float:
    return sum(v * v for v in x) / len(x) if len(x) else 0.0


def frame_powers(x, frame: int = RATE // 50) -> list[float]:
    return [power(x[i:i + frame]) for i in range(0, len(x) - frame + 1, frame)] or [power(x)]


def active_power(x, floor_db: float = -40.0) -> float:
    """Mean power of the 20 ms frames within floor_db of the loudest frame."""
    fp = frame_powers(x)
    top = max(fp)
    if top <= 0:
        return 0.0
    act = [p for p in fp if p >= top * 10 ** (floor_db / 10)]
    return sum(act) / len(act)


def db(p: float) -> float:
    return 10 * math.log10(p) if p > 0 else -math.inf


def to_int16(values) -> tuple[array.array, int]:
    out = array.array("h", bytes(2 * len(values)))
    clipped = 0
    for i, v in enumerate(values):
        r = int(round(v))
        if r > 32767:
            r = 32767; clipped += 1
        elif r < -32768:
            r = -32768; clipped += 1
        out[i] = r
    return out, clipped


def mix_at_snr(speech, noise, snr_db: float) -> tuple[array.array, dict]:
    """speech + g * noise[:len(speech)] with active_power(speech) / (g^2 power(noise)) = 10^(snr/10).

    If the sum would exceed full scale, both are scaled by the same factor `scale` (reported), so the SNR holds.
    """
    noise = noise[:len(speech)]
    if len(noise) < len(speech):
        raise bench.BenchError("noise shorter than speech")
    ps, pn = active_power(speech), power(noise)
    if ps <= 0 or pn <= 0:
        raise bench.BenchError("silent speech or noise")
    g = math.sqrt(ps / (pn * 10 ** (snr_db / 10)))
    mixed = [s + g * n for s, n in zip(speech, noise)]
    peak = max(abs(v) for v in mixed)
    scale = min(1.0, 32767 / peak) if peak else 1.0
    if scale < 1.0:
        mixed = [v * scale for v in mixed]
    out, _ = to_int16(mixed)
    whole = power(speech)
    return out, {"snr_db": snr_db, "noise_gain": g, "scale": scale,
                 "speech_active_dbfs": round(db(ps / 32768 ** 2), 2),
                 "snr_whole_file_db": round(db(whole / (g * g * pn)), 2)}


def sox(argv: list[str]) -> str:
    r = subprocess.run(["sox", *argv], capture_output=True, text=True)
    if r.returncode != 0:
        raise bench.BenchError(f"sox {' '.join(argv)} failed: {r.stderr.strip()[-500:]}")
    return r.stderr


def sox_stats(path: Path) -> dict[str, float]:
    """`sox FILE -n stats` -> {"RMS lev dB": …, "Pk lev dB": …, …} (numeric fields only)."""
    out = {}
    for line in sox([str(path), "-n", "stats"]).splitlines():
        parts = line.rsplit(None, 1)
        if len(parts) == 2:
            try:
                out[parts[0].strip()] = float(parts[1])
            except ValueError:
                pass
    return out


def file_hash(*paths: Path) -> str:
    h = hashlib.sha1()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def fresh(dst: Path, stamp: dict) -> bool:
    s = dst.with_suffix(".stamp")
    return dst.exists() and s.exists() and s.read_text() == json.dumps(stamp, sort_keys=True)


def set_stamp(dst: Path, stamp: dict) -> None:
    dst.with_suffix(".stamp").write_text(json.dumps(stamp, sort_keys=True))


def offset_for(key: str, need: int, have: int) -> int:
    return zlib.crc32(key.encode()) % (have - need + 1) if have > need else 0


# --------------------------------------------------------------------------------------------
# Noise beds (generated once, repeatable)
# --------------------------------------------------------------------------------------------

def noise_bed(out: Path, kind: str) -> Path:
    path = out / "noise" / f"{kind}.wav"
    recipe = {"v": RECIPE_VERSION, "kind": kind, "seconds": NOISE_BED_SECONDS}
    if fresh(path, recipe):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    n = str(NOISE_BED_SECONDS)
    fmt = ["-r", str(RATE), "-c", "1", "-b", "16"]
    with tempfile.TemporaryDirectory(prefix="bench-noise-") as td:
        t = Path(td)
        if kind == "vent":
            sox(["-R", "-n", *fmt, str(t / "brown.wav"), "synth", n, "brownnoise", "gain", "-n", "-6"])
            sox(["-R", "-n", *fmt, str(t / "pink.wav"), "synth", n, "pinknoise", "gain", "-n", "-21"])
            sox(["-R", "-n", *fmt, str(t / "hum.wav"), "synth", n, "sine", "117", "synth", n, "sine", "mix", "234",
                 "gain", "-n", "-26"])
            sox(["-R", "-m", str(t / "brown.wav"), str(t / "pink.wav"), str(t / "hum.wav"), *fmt, str(t / "mix.wav"),
                 "highpass", "40", "lowpass", "4000", "gain", "-n", "-3"])
        elif kind == "floor":
            sox(["-R", "-n", *fmt, str(t / "mix.wav"), "synth", n, "pinknoise", "lowpass", "6000", "gain", "-n", "-6"])
        else:
            raise ValueError(kind)
        x = read_pcm(t / "mix.wav")
        if kind == "floor":  # exactly FLOOR_DBFS RMS
            g = math.sqrt(32768 ** 2 * 10 ** (FLOOR_DBFS / 10) / power(x))
            x, _ = to_int16([v * g for v in x])
        write_pcm(path, x)
    set_stamp(path, recipe)
    return path


def noise_slice(bed: array.array, key: str, n: int) -> array.array:
    if n > len(bed):
        reps = n // len(bed) + 1
        bed = bed * reps
    o = offset_for(key, n, len(bed))
    return bed[o:o + n]


# --------------------------------------------------------------------------------------------
# Building conditioned audio
# --------------------------------------------------------------------------------------------

class Builder:
    def __init__(self, out: Path, dictations: Path, all_txts: list[Path]):
        self.out = out
        self.dictations = dictations
        self.all_txts = all_txts  # every dictation of the folder (babble speaks other ones, not only --limit's)
        self._beds: dict[str, array.array] = {}
        self._lock = threading.Lock()
        self._file_locks: dict[Path, threading.Lock] = {}

    def bed(self, kind: str) -> array.array:
        with self._lock:
            if kind not in self._beds:
                self._beds[kind] = read_pcm(noise_bed(self.out, kind))
            return self._beds[kind]

    def clean(self, voice: str, txt: Path) -> Path:
        """The whole-dictation synthesis (bench-recognition's cache); one thread per file, as babble shares them."""
        dst = self.out / "audio" / voice / f"{txt.stem}.wav"
        with self._lock:
            lock = self._file_locks.setdefault(dst, threading.Lock())
        with lock:
            bench.synthesize(voice, txt, dst)
        return dst

    def build(self, cond_name: str, voice: str, txt: Path) -> tuple[Path, dict]:
        """Returns the conditioned WAV (built or cached) and facts about it for the report."""
        cond = CONDITIONS[cond_name]
        clean = self.clean(voice, txt)
        if cond.kind == "clean":
            return clean, {}
        dst = self.out / "conditions" / cond_name / voice / f"{txt.stem}.wav"
        info_path = dst.with_suffix(".info.json")
        if cond.kind == "pause":
            chunks = self.chunks(voice, txt)
            sources = chunks
        elif cond.kind == "babble":
            sources = [clean] + self.babble_sources(voice, txt, len(read_pcm(clean)))
        else:
            sources = [clean]
        stamp = {"v": RECIPE_VERSION, "cond": cond_name, "recipe": repr(cond), "src": file_hash(*sources)}
        if fresh(dst, stamp) and info_path.exists():
            return dst, json.loads(info_path.read_text())
        dst.parent.mkdir(parents=True, exist_ok=True)
        info: dict = {}
        key = f"{voice}/{txt.stem}"
        if cond.kind == "pause":
            gap = [0] * int(round(cond.param * RATE))
            x = array.array("h", [0] * int(PAUSE_LEAD * RATE))
            for c in chunks:
                x += trim(read_pcm(c))
                x += array.array("h", gap)
            floor = noise_slice(self.bed("floor"), key, len(x))
            x, clipped = to_int16([a + b for a, b in zip(x, floor)])
            write_pcm(dst, x)
            info = {"chunks": len(chunks), "clipped_samples": clipped}
        elif cond.kind == "sox":
            sox(["-R", *(["-G"] if cond.guard else []), str(clean), "-r", str(RATE), "-c", "1", "-b", "16", str(dst),
                 *cond.param])
            if not cond.guard:
                y = read_pcm(dst)
                info = {"clipped_share": round(sum(1 for v in y if v >= 32767 or v <= -32768) / len(y), 4)}
        elif cond.kind == "telephone":
            with tempfile.TemporaryDirectory(prefix="bench-tel-") as td:
                tel = Path(td) / "tel.wav"
                sox(["-R", "-G", str(clean), "-r", "8000", "-c", "1", "-e", "u-law", str(tel), "sinc", "300-3400"])
                sox(["-R", str(tel), "-r", str(RATE), "-c", "1", "-e", "signed-integer", "-b", "16", str(dst)])
        elif cond.kind == "noise":
            s = read_pcm(clean)
            x, info = mix_at_snr(s, noise_slice(self.bed("vent"), key, len(s)), cond.param)
            write_pcm(dst, x)
        elif cond.kind == "babble":
            s = read_pcm(clean)
            tracks = [self.babble_track(voice, txt, k, len(s)) for k in range(2)]
            p0 = active_power(tracks[0])
            g1 = math.sqrt(p0 / active_power(tracks[1]))
            babble = [a + g1 * b for a, b in zip(tracks[0], tracks[1])]
            x, info = mix_at_snr(s, babble, cond.param)
            info["babble_voices"] = self.babble_voices(voice)
            write_pcm(dst, x)
        else:
            raise ValueError(cond.kind)
        info_path.write_text(json.dumps(info))
        set_stamp(dst, stamp)
        return dst, info

    def chunks(self, voice: str, txt: Path) -> list[Path]:
        words = txt.read_text().split()
        paths = []
        folder = self.out / "chunks" / voice / txt.stem
        for k, c in enumerate(chunk_words(words, txt.stem)):
            t = folder / f"{k:03d}.txt"
            t.parent.mkdir(parents=True, exist_ok=True)
            if not t.exists() or t.read_text() != " ".join(c) + "\n":
                t.write_text(" ".join(c) + "\n")
            w = t.with_suffix(".wav")
            bench.synthesize(voice, t, w)
            paths.append(w)
        return paths

    @staticmethod
    def babble_voices(voice: str) -> list[str]:
        return [v for v in BABBLE_POOL if v != voice][:2]

    def babble_plan(self, voice: str, txt: Path, k: int):
        n = len(self.all_txts)
        i = [t.stem for t in self.all_txts].index(txt.stem)
        start = (i + (k + 1) * n // 3) % n
        return self.babble_voices(voice)[k], [self.all_txts[(start + j) % n] for j in range(n) if (start + j) % n != i]

    def babble_track(self, voice: str, txt: Path, k: int, n: int) -> array.array:
        bv, plan = self.babble_plan(voice, txt, k)
        x = array.array("h")
        for t in plan:
            x += read_pcm(self.clean(bv, t))
            if len(x) >= n:
                return x[:n]
        return noise_slice(x, "", n)

    def babble_sources(self, voice: str, txt: Path, n: int) -> list[Path]:
        out = []
        for k in range(2):
            bv, plan = self.babble_plan(voice, txt, k)
            have = 0
            for t in plan:
                p = self.clean(bv, t)
                out.append(p)
                have += wave.open(str(p)).getnframes()
                if have >= n:
                    break
        return out


def trim(x: array.array) -> array.array:
    """Drop leading/trailing 10 ms frames below TRIM_DBFS RMS, keeping one frame of margin on each side."""
    frame = RATE // 100
    thr = 32768 ** 2 * 10 ** (TRIM_DBFS / 10)
    fp = [power(x[i:i + frame]) for i in range(0, len(x), frame)]
    loud = [k for k, p in enumerate(fp) if p >= thr]
    if not loud:
        return x
    a, b = max(0, loud[0] - 1), min(len(fp), loud[-1] + 2)
    return x[a * frame:b * frame]


# --------------------------------------------------------------------------------------------
# Scoring beyond bench.score
# --------------------------------------------------------------------------------------------

def class_losses(ref: list[str], hyp: list[str]) -> dict[str, dict[str, int]]:
    """Per word class: reference words deleted ("lost") and substituted ("changed")."""
    a = bench.align(ref, hyp)
    out = {c: {"lost": 0, "changed": 0} for c in bench.CLASS_ORDER}
    for op, i, _ in a.ops:
        if op in ("D", "S"):
            for c in bench.CLASS_ORDER:
                if ref[i] in bench.WORD_CLASSES[c]:
                    out[c]["lost" if op == "D" else "changed"] += 1
    return out


def recognizer_fingerprint(binary: Path, decoder_args: list[str], want_json: bool) -> str:
    """What decides a transcript besides the audio: binary, the models radscribe reads, options."""
    home = Path(os.environ.get("RADSCRIBE_HOME", REPO))
    parts = [str(binary.resolve()), *decoder_args, str(want_json)]
    for f in [binary, *sorted(p for p in (home / "Lexicon").glob("*") if p.is_file())]:
        st = f.stat()
        parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def p95(values: list[float]) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, math.ceil(0.95 * len(v)) - 1)]


def pooled(rows: list[dict], label: str) -> dict:
    r = bench.combine(rows, label)
    r["condition"] = rows[0]["condition"]
    r["family"] = "–"
    r["losses"] = {c: {k: sum(x["losses"][c][k] for x in rows) for k in ("lost", "changed")} for c in bench.CLASS_ORDER}
    lat = [v for x in rows for v in x.get("latency_values", [])]
    if lat:
        r["latency"] = {"count": len(lat), "mean": sum(lat) / len(lat), "p95": p95(lat)}
    return r


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

DETAIL = ["condition", "voice", "family", "files", "words", "audio s", "WER", "Δ clean", "negation miss",
          "laterality miss", "numbers lost/changed", "unit miss", "RTF", "latency mean/p95 ms"]


def detail_cells(r: dict, clean_wer: float | None) -> list[str]:
    def miss(c):
        k = r["classes"][c]
        return f"{k['missed']}/{k['ref_words']}" if k["ref_words"] else "–"
    n = r["losses"]["number"]
    lat = r.get("latency")
    delta = "–" if clean_wer is None or r["condition"] == "clean" else f"{100 * (r['wer'] - clean_wer):+.1f}"
    return [r["condition"], r["voice"], r["family"], str(r["files"]), str(r["ref_words"]), f"{r['audio_seconds']:.0f}",
            bench.pct(r["wer"]), delta, miss("negation"), miss("laterality"),
            f"{n['lost']}/{n['changed']} of {r['classes']['number']['ref_words']}", miss("unit"),
            "–" if r["rtf"] is None else f"{r['rtf']:.3f}",
            f"{1000 * lat['mean']:.0f}/{1000 * lat['p95']:.0f}" if lat else "–"]


def render(rows: list[dict], conditions: list[str], voices: list[str], markdown: bool) -> str:
    clean = {r["voice"]: r["wer"] for r in rows if r["condition"] == "clean"}
    cols = voices + (["all"] if len(voices) > 1 else [])
    by = {(r["condition"], r["voice"] if not r["voice"].startswith("all ") else "all"): r for r in rows}
    matrix = [["WER"] + cols]
    for c in conditions:
        line = [c]
        for v in cols:
            r = by.get((c, v))
            line.append("–" if r is None else bench.pct(r["wer"]))
        matrix.append(line)
    detail = [DETAIL] + [detail_cells(r, clean.get(r["voice"])) for r in rows]

    def table(t: list[list[str]], left: int) -> str:
        if markdown:
            lines = ["| " + " | ".join(t[0]) + " |",
                     "|" + "|".join("---" if i < left else "---:" for i in range(len(t[0]))) + "|"]
            lines += ["| " + " | ".join(row) + " |" for row in t[1:]]
            return "\n".join(lines)
        w = [max(len(row[i]) for row in t) for i in range(len(t[0]))]
        lines = ["  ".join(c.ljust(w[i]) if i < left else c.rjust(w[i]) for i, c in enumerate(row)) for row in t]
        lines.insert(1, "  ".join("-" * x for x in w))
        return "\n".join(lines)

    return table(matrix, 1) + "\n\n" + table(detail, 3)


# --------------------------------------------------------------------------------------------
# Self-test
# --------------------------------------------------------------------------------------------

def self_test() -> int:
    failures = bench.self_test()

    def check(cond: bool, what: str) -> None:
        nonlocal failures
        if not cond:
            failures += 1
            print(f"FAIL: {what}", file=sys.stderr)

    w = ("findings the lungs are clear bilaterally period no focal consolidation comma pleural effusion comma or "
         "pneumothorax period there is a two point five centimeter nodule in the left lower lobe period new paragraph "
         "impression colon no acute process period").split()
    c1, c2 = chunk_words(w, "x"), chunk_words(w, "x")
    check(c1 == c2, "chunker is deterministic")
    check([x for c in c1 for x in c] == w, "chunks join back to the dictation")
    check(["new", "paragraph"] in c1 or any(c[-2:] == ["new", "paragraph"] for c in c1),
          "'new paragraph' stays in one chunk and ends it")
    ends = [c[-1] for c in c1]
    check(ends.count("period") == 4 and ends.count("comma") == 2 and ends.count("colon") == 1,
          f"a chunk ends at every punctuation word ({ends})")
    k = next(i for i, c in enumerate(c1) if c[0] == "there")
    check(c1[k][-1] != "period" and c1[k + 1][-1] == "period" and c1[k + 1][0] in PAUSE_BEFORE,
          f"the 14-word sentence is split once, before a number/laterality word ({c1[k:k + 2]})")
    check(sum(1 for c in c1 if c[-1] not in PUNCT_ONE | {"paragraph"}) == 1,
          f"only the sentence of 8 or more words is split inside ({c1})")
    number = bench.WORD_CLASSES["number"]
    for name in ["x", "y", "z", "q", "r", "s", "t"]:
        cs = chunk_words(w, name)
        check(not any(a[-1] in number and b[0] in number for a, b in zip(cs, cs[1:])),
              f"never split inside a number ({name}: {cs})")
    check(chunk_words("a b c period".split(), "k") == [["a", "b", "c", "period"]], "short sentence: one chunk")
    check(any(chunk_words(w, "x") != chunk_words(w, k) for k in ["y", "z", "q", "r"]), "the key moves mid-sentence splits")
    check(chunk_words(["no", "new", "line"], "k") == [["no", "new", "line"]], "two-word punctuation")
    lv = "findings at l four five there is a left paracentral disc extrusion period".split()
    for name in ["a", "b", "c", "d", "e", "f"]:
        cs = chunk_words(lv, name)
        check(len(cs) == 2 and cs[0][-1] != "l", f"no split after a spelled letter ({name}: {cs})")
    # SNR arithmetic, measured back with sox stats.
    with tempfile.TemporaryDirectory(prefix="bench-robust-test-") as td:
        t = Path(td)
        for amp, label in [(0.25, "tone at -12 dBFS"), (0.95, "tone near full scale (mix scaled down)")]:
            tone = [amp * 32767 * math.sin(2 * math.pi * 440 * k / RATE) for k in range(3 * RATE)]
            tone_i, _ = to_int16(tone)
            sox(["-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(t / "n.wav"), "synth", "3", "brownnoise",
                 "gain", "-n", "-10"])
            mixed, info = mix_at_snr(tone_i, read_pcm(t / "n.wav"), 20.0)
            tone_scaled, _ = to_int16([v * info["scale"] for v in tone_i])
            resid, _ = to_int16([a - b for a, b in zip(mixed, tone_scaled)])
            write_pcm(t / "tone.wav", tone_scaled)
            write_pcm(t / "resid.wav", resid)
            measured = sox_stats(t / "tone.wav")["RMS lev dB"] - sox_stats(t / "resid.wav")["RMS lev dB"]
            check(abs(measured - 20.0) <= 0.5, f"{label}: 20 dB SNR measured back as {measured:.2f} dB")
            check((info["scale"] < 1.0) == (amp > 0.5), f"{label}: scale {info['scale']:.3f}")
    # Trim keeps speech, drops edge silence.
    x = array.array("h", [0] * 1600 + [8000] * 3200 + [0] * 4800)
    y = trim(x)
    check(len(y) == 3200 + 2 * 160 and max(y) == 8000, f"trim keeps the loud part plus one frame each side ({len(y)})")
    check(parse_conditions("all") == list(CONDITIONS) and parse_conditions("clean,vent20") == ["clean", "vent20"],
          "condition lists")
    print("robustness self-test: " + ("OK" if failures == 0 else f"{failures} failure(s)"), file=sys.stderr)
    return 0 if failures == 0 else 1


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conditions", default="clean", help="comma-separated conditions, or all (default: %(default)s)")
    ap.add_argument("--voices", default=",".join(DEFAULT_VOICES), help="comma-separated (default: %(default)s)")
    ap.add_argument("--family", help="only voices of these families: " + ", ".join(bench.FAMILIES))
    ap.add_argument("--exclude-family", help="leave out the voices of these families")
    ap.add_argument("--dictations", type=Path, default=bench.DEFAULT_DICTATIONS, help="reference *.txt (default: %(default)s)")
    ap.add_argument("--limit", type=int, help="only the first N dictations")
    ap.add_argument("--out", type=Path, default=REPO / "bench-out", help="output and cache folder (default: %(default)s)")
    ap.add_argument("--radscribe", help="radscribe binary (as bench-recognition.py finds it)")
    ap.add_argument("--no-json", action="store_true", help="skip `transcribe --json` (no latency; halves recognition time)")
    ap.add_argument("--decoder-option", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--utterance-end", choices=["thought", "paragraph", "pause"],
                    help="passed to `radscribe transcribe --utterance-end` (default: radscribe's own)")
    ap.add_argument("--no-number-pass", action="store_true", help="pass `--no-number-pass` (the first pass's numbers)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel synthesis/conditioning (default: %(default)s)")
    ap.add_argument("--recognizers", type=int, default=1,
                    help="radscribe processes at once (default: 1, so RTF and latency are uncontended)")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--prepare-only", action="store_true", help="build the audio, do not transcribe")
    ap.add_argument("--rerun", action="store_true",
                    help="decode again even where OUT/results/COND/VOICE.json holds transcripts of the same audio, "
                         "binary, Lexicon/ files and options")
    ap.add_argument("--self-test", action="store_true", help="alignment, chunker and SNR self-test, exit 0/1")
    a = ap.parse_args(argv)
    if a.self_test:
        return self_test()
    log = bench.log
    try:
        conditions = parse_conditions(a.conditions)
        voices = [v.strip() for v in a.voices.split(",") if v.strip()]
        unknown = [v for v in voices if v not in bench.VOICES]
        if unknown:
            raise bench.BenchError(f"unknown voice(s): {', '.join(unknown)}; known: {', '.join(bench.VOICES)}")
        voices = bench.filter_families(voices, a.family, a.exclude_family)
        if not voices:
            raise bench.BenchError("no voice left after --family/--exclude-family")
        needed = set(voices)
        if "babble15" in conditions:
            needed |= {b for v in voices for b in Builder.babble_voices(v)}
        bench.require_tools(sorted({"sox"} | {bench.VOICES[v][1][0] for v in needed}))
        binary = None if a.prepare_only else bench.find_radscribe(a.radscribe)
        all_txts = sorted(p for p in a.dictations.glob("*.txt") if p.name.lower() != "readme.txt")
        if not all_txts:
            raise bench.BenchError(f"no dictations in {a.dictations}")
        txts = all_txts[:a.limit] if a.limit else all_txts
        if "babble15" in conditions and len(all_txts) < 3:
            raise bench.BenchError("babble15 needs at least 3 dictations (the babble speaks the others)")
        a.out.mkdir(parents=True, exist_ok=True)
        builder = Builder(a.out, a.dictations, all_txts)
        t0 = time.monotonic()
        timings: dict[str, float] = {}

        # 1. audio, condition by condition (each task: one dictation of one voice)
        for kind in ("floor", "vent"):
            if any(CONDITIONS[c].kind == {"floor": "pause", "vent": "noise"}[kind] for c in conditions):
                noise_bed(a.out, kind)
        items: dict[tuple[str, str], list] = {}
        infos: dict[tuple[str, str], dict] = {}
        refs = {t.stem: bench.load_reference(t) for t in txts}
        for cond in conditions:
            tc = time.monotonic()
            tasks = [(v, t) for v in voices for t in txts]
            with cf.ThreadPoolExecutor(max(1, a.jobs)) as ex:
                futs = {ex.submit(builder.build, cond, v, t): (v, t) for v, t in tasks}
                for k, f in enumerate(cf.as_completed(futs), 1):
                    v, t = futs[f]
                    wav, info = f.result()
                    it = bench.Item(t.stem, v, wav, refs[t.stem], bench.wav_seconds(wav))
                    items.setdefault((cond, v), []).append(it)
                    infos[(cond, v, t.stem)] = info
                    log(f"[{time.monotonic() - t0:6.0f}s] audio {cond} {v} [{k}/{len(tasks)}] {t.stem} {it.seconds:.1f}s")
            for its in items.values():
                its.sort(key=lambda i: i.name)
            timings[f"audio {cond}"] = round(time.monotonic() - tc, 1)
        if a.prepare_only:
            log(f"audio ready in {a.out} ({time.monotonic() - t0:.0f} s)")
            return 0

        # 2. recognition, one radscribe process per condition x voice
        decoder_args = [f"--decoder-option={o}" for o in a.decoder_option]
        if a.utterance_end:
            decoder_args.append(f"--utterance-end={a.utterance_end}")
        if a.no_number_pass:
            decoder_args.append("--no-number-pass")
        jobs = [(c, v) for c in conditions for v in voices]
        rows: dict[tuple[str, str], dict] = {}
        tr = time.monotonic()

        setup = recognizer_fingerprint(binary, decoder_args, not a.no_json)

        def recognize(job):
            c, v = job
            cache = a.out / "results" / c / f"{v}.json"
            key = hashlib.sha1((setup + "".join(f"{i.name}:{file_hash(i.wav)}" for i in items[job])).encode()).hexdigest()
            if not a.rerun and cache.exists():
                saved = json.loads(cache.read_text())
                if saved.get("key") == key:
                    log(f"  {c} {v}: reusing the transcripts of {cache} (--rerun to decode again)")
                    return bench.SystemRun(**saved["run"])
            run = bench.run_radscribe(binary, f"{v} [{c}]", items[job], a.timeout, not a.no_json, decoder_args)
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps({"key": key, "run": dataclasses.asdict(run)}))
            return run

        with cf.ThreadPoolExecutor(max(1, a.recognizers)) as ex:
            futs = {ex.submit(recognize, j): j for j in jobs}
            for k, f in enumerate(cf.as_completed(futs), 1):
                c, v = futs[f]
                its = items[(c, v)]
                try:
                    run = f.result()
                except bench.BenchError as e:
                    log(f"  error: {c} {v}: {e}")
                    continue
                for msg in run.failures:
                    log(f"  warning: {c} {v}: {msg}")
                s = bench.score(run, its)
                s.update(condition=c, voice=v, family=bench.family_of(v) or "–")
                s["losses"] = {cl: {"lost": 0, "changed": 0} for cl in bench.CLASS_ORDER}
                for it in its:
                    for cl, d in class_losses(it.ref, run.hyps.get(it.name, [])).items():
                        for key in d:
                            s["losses"][cl][key] += d[key]
                if run.latencies:
                    s["latency_values"] = run.latencies
                for pf in s["per_file"]:
                    pf["condition_info"] = infos.get((c, v, pf["name"]), {})
                rows[(c, v)] = s
                lat = s.get("latency")
                log(f"[{time.monotonic() - t0:6.0f}s] recognized [{k}/{len(jobs)}] {c} {v}: WER {bench.pct(s['wer'])}, "
                    f"RTF {s['rtf']:.3f}" + (f", latency {1000 * lat['mean']:.0f} ms" if lat else ""))
        timings["recognition"] = round(time.monotonic() - tr, 1)
        elapsed = time.monotonic() - t0

        ordered: list[dict] = []
        for c in conditions:
            mine = [rows[(c, v)] for v in voices if (c, v) in rows]
            ordered += mine
            if len(mine) > 1:
                ordered.append(pooled(mine, f"all ({len(mine)} voices)"))
        command = "scripts/bench-robustness.py " + " ".join(sys.argv[1:] if argv is None else argv)
        print()
        print(render(ordered, conditions, voices, markdown=False))
        print(f"\nwrote {a.out / 'robustness.md'} and {a.out / 'robustness.json'} ({elapsed:.0f} s)")
        md = [f"### Robustness ({time.strftime('%Y-%m-%d')}, {len(txts)} dictations from `{a.dictations.name}/`)", "",
              f"Command: `{command}`", "",
              "WER by condition and voice, then per condition × voice: class misses as missed/reference words "
              "(a miss is a reference word not aligned to an identical word), numbers lost (deleted) / changed "
              "(substituted), RTF = CPU s / audio s of `radscribe transcribe --spoken`, latency = end of speech to "
              "final words from `transcribe --json`. Conditions: " +
              "; ".join(f"{c} = {CONDITIONS[c].what}" for c in conditions) + ".", "",
              render(ordered, conditions, voices, markdown=True), "",
              f"Elapsed {elapsed:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())}).", ""]
        (a.out / "robustness.md").write_text("\n".join(md))
        for r in ordered:
            r.pop("latency_values", None)
        report = {"generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "command": command, "radscribe": str(binary),
                  "dictations": str(a.dictations), "files": len(txts), "voices": voices,
                  "families": {v: bench.family_of(v) for v in voices},
                  "conditions": {c: {"what": CONDITIONS[c].what, "recipe": repr(CONDITIONS[c])} for c in conditions},
                  "rows": ordered, "timings_seconds": timings, "elapsed_seconds": round(elapsed, 1)}
        (a.out / "robustness.json").write_text(json.dumps(report, indent=2) + "\n")
        return 0
    except bench.BenchError as e:
        print(f"bench-robustness: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
