#!/usr/bin/env python3
"""Speaker-adaptation and language-model sweep on the development set (never the test set).

Each natural voice is adapted on the enrollment sentences plus the corrected-dictation sentences of one half of
Benchmarks/dev, then the other half's whole dictations are decoded with stock `pocketsphinx_continuous` and the
product's decoder settings (read from RecognizerConfiguration.swift, as tune-decoder.py does). Pooled and per-voice
WER is printed, one line per variant. The recipes are the sphinxtrain calls `radscribe profile` makes, so a
variant that wins here can be carried into SpeakerAdapter.

Splits: a = adapt on d01-d12, score d13-d24; b = the reverse; o = adapt on odd, score even; e = the reverse.
Variants: none; map (one MAP pass); map2 (two passes, the product's recipe); map3; mllr; mllrmap (MLLR-transformed
means as MAP's prior). "map2:TAU" uses a fixed prior weight TAU instead of map_adapt's Bayesian mean update.

Inputs come from the two benchmarks' caches:
  --bench-out   the --out folder of scripts/bench-profile.py (enrollment/VOICE and corrections/VOICE WAV+TXT pairs)
  --dev-audio   WAVs of the dev dictations per voice, e.g. the audio/ folder of
                `bench-recognition.py --dictations Benchmarks/dev --out /tmp/dev24-base`
Models are cached under --work by voice, split and variant; delete a folder to rebuild it. A changed --dict does not
invalidate them: use another --work for that.

Example (the session-7 language-model rows of BENCHMARKS.md):
  scripts/dev-profile-sweep.py --split a --variants none,map2 --bench-out /tmp/bench-full2 \\
      --dev-audio /tmp/dev24-base/audio --lm /tmp/lm-candidate/radiology.lm.bin --dict /tmp/lm-candidate/radscribe.dict
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import importlib.util
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True


def _load(name: str, file: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


bench = _load("bench_recognition", "bench-recognition.py")
tune = _load("tune_decoder", "tune-decoder.py")

BASE = Path("/usr/share/pocketsphinx/model/en-us/en-us")
TOOLS = Path("/usr/lib/sphinxtrain")
DEV = REPO / "Benchmarks" / "dev"
VOICES = "flite-slt,flite-rms,flite-awb,flite-kal,festival-slt-hts"


class SweepError(Exception):
    pass


def run(argv: list, log: Path) -> None:
    with open(log, "w") as f:
        if subprocess.run([str(a) for a in argv], stdout=f, stderr=subprocess.STDOUT).returncode != 0:
            raise SweepError(f"{Path(str(argv[0])).name} failed; see {log}")


def sendump_to_mixture_weights(src: Path, dst: Path) -> None:
    """bw and map_adapt need float mixture weights; the en-us model ships them compressed as 8-bit `sendump`."""
    data = src.read_bytes()
    offset = 0

    def int32() -> int:
        nonlocal offset
        value = int.from_bytes(data[offset:offset + 4], "little")
        offset += 4
        return value

    def string() -> str | None:
        nonlocal offset
        n = int32()
        if n == 0:
            return None
        text = data[offset:offset + n - 1].decode()
        offset += n
        return text

    string()  # title
    features, shift = 1, 10
    while (header := string()) is not None:
        parts = header.split()
        if len(parts) == 2 and parts[0] == "feature_count":
            features = int(parts[1])
        if len(parts) == 2 and parts[0] == "mixw_shift":
            shift = int(parts[1])
    codewords, senones = int32(), int32()
    raw = np.frombuffer(data, dtype=np.uint8, count=features * codewords * senones, offset=offset)
    weights = np.power(1.0001, -(raw.reshape(features, codewords, senones).astype(np.float64) * (1 << shift)))
    weights = weights.transpose(2, 0, 1)
    weights /= weights.sum(axis=2, keepdims=True)
    header = "s3\nversion 1.0\n"
    misalignment = (len(header) + len("endhdr\n")) & 3
    if misalignment:
        header += " " * (4 - misalignment)
    header += "endhdr\n"
    with open(dst, "wb") as f:
        f.write(header.encode())
        np.array([0x11223344, senones, features, codewords, weights.size], dtype="<u4").tofile(f)
        weights.astype("<f4").tofile(f)


class Sweep:
    def __init__(self, args: argparse.Namespace):
        self.work: Path = args.work
        self.bench_out: Path = args.bench_out
        self.dev_audio: Path = args.dev_audio
        self.dictionary = str(args.dict)
        # Laid over tune-decoder's settings (the product's, read from the Swift source) by tune.decode.
        self.options = {"-lm": str(args.lm), "-dict": self.dictionary, **(json.loads(args.option) if args.option else {})}

    def base_model(self) -> Path:
        model = self.work / "base-model"
        if (model / "mixture_weights").exists():
            return model
        model.mkdir(parents=True, exist_ok=True)
        for p in BASE.iterdir():
            if p.name != "sendump" and not (model / p.name).exists():
                (model / p.name).symlink_to(p)
        sendump_to_mixture_weights(BASE / "sendump", model / "mixture_weights")
        run(["pocketsphinx_mdef_convert", "-text", BASE / "mdef", self.work / "mdef.txt"], self.work / "mdef.log")
        return model

    @staticmethod
    def halves(split: str) -> tuple[list[str], list[str]]:
        names = sorted(p.stem for p in DEV.glob("d*.txt"))
        if split in ("o", "e"):
            odd, even = names[0::2], names[1::2]
            return (odd, even) if split == "o" else (even, odd)
        first, second = names[:12], names[12:]
        return (first, second) if split == "a" else (second, first)

    def adaptation_data(self, voice: str, split: str) -> Path:
        adapt_names, _ = self.halves(split)
        data = self.work / "data" / f"{voice}-{split}"
        if (data / "done").exists():
            return data
        shutil.rmtree(data, ignore_errors=True)
        (data / "wav").mkdir(parents=True)
        wavs = sorted((self.bench_out / "enrollment" / voice).glob("*.wav"))
        wavs += [w for w in sorted((self.bench_out / "corrections" / voice).glob("*.wav"))
                 if any(w.stem.startswith(n + "-") for n in adapt_names)]
        if not wavs:
            raise SweepError(f"no enrollment or correction audio for {voice} under {self.bench_out} "
                             "(run scripts/bench-profile.py --out there first)")
        known = {line.split()[0].split("(")[0] for line in open(self.dictionary) if line.strip()}
        ids, lines = [], []
        for wav in wavs:
            words = wav.with_suffix(".txt").read_text().split()
            if any(w not in known for w in words):
                continue  # as `profile adapt` does: bw cannot align a word it cannot pronounce
            (data / "wav" / wav.name).symlink_to(wav.resolve())
            ids.append(wav.stem)
            lines.append(f"<s> {' '.join(words)} </s> ({wav.stem})")
        (data / "fileids").write_text("\n".join(ids) + "\n")
        (data / "transcription").write_text("\n".join(lines) + "\n")
        run(["sphinx_fe", "-argfile", BASE / "feat.params", "-samprate", "16000", "-c", data / "fileids",
             "-di", data / "wav", "-do", data / "feat", "-ei", "wav", "-eo", "mfc", "-mswav", "yes"], data / "fe.log")
        (data / "done").write_text(f"{len(ids)}\n")
        return data

    def bw(self, data: Path, hmm: Path, accum: Path, log: Path) -> None:
        accum.mkdir(parents=True, exist_ok=True)
        run([TOOLS / "bw", "-hmmdir", hmm, "-moddeffn", self.work / "mdef.txt", "-ts2cbfn", ".ptm.",
             "-feat", "1s_c_d_dd", "-svspec", "0-12/13-25/26-38", "-cmn", "current", "-agc", "none",
             "-dictfn", self.dictionary, "-fdictfn", hmm / "noisedict", "-ctlfn", data / "fileids",
             "-lsnfn", data / "transcription", "-cepdir", data / "feat", "-cepext", "mfc", "-accumdir", accum], log)

    def map_adapt(self, prior: Path, accum: Path, out: Path, log: Path, extra: list[str]) -> None:
        out.mkdir(parents=True, exist_ok=True)
        for name in ["mdef", "feat.params", "noisedict"]:
            if not (out / name).exists():
                (out / name).symlink_to(BASE / name)
        run([TOOLS / "map_adapt", "-moddeffn", self.work / "mdef.txt", "-ts2cbfn", ".ptm.",
             "-meanfn", prior / "means", "-varfn", prior / "variances", "-mixwfn", prior / "mixture_weights",
             "-tmatfn", prior / "transition_matrices", "-accumdir", accum,
             "-mapmeanfn", out / "means", "-mapvarfn", out / "variances", "-mapmixwfn", out / "mixture_weights",
             "-maptmatfn", out / "transition_matrices", *extra], log)

    def model(self, voice: str, split: str, variant: str) -> dict[str, str]:
        """Builds (or reuses) the variant's model; returns the decoder options that select it."""
        if variant == "none":
            return {"-hmm": str(BASE)}
        base = self.base_model()
        data = self.adaptation_data(voice, split)
        folder = self.work / "models" / f"{voice}-{split}-{variant.replace(':', '_')}"
        chosen = folder / "options.json"
        if chosen.exists():
            return json.loads(chosen.read_text())
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        kind, *params = variant.split(":")
        fixed_tau = ["-bayesmean", "no", "-fixedtau", "yes", "-tau", params[0]] if params else []
        if kind in ("map", "map2", "map3"):
            passes = {"map": 1, "map2": 2, "map3": 3}[kind]
            hmm = base
            for k in range(1, passes + 1):
                self.bw(data, hmm, folder / f"accum-{k}", folder / f"bw-{k}.log")
                out = folder / ("model" if k == passes else f"pass-{k}")
                self.map_adapt(base, folder / f"accum-{k}", out, folder / f"map_adapt-{k}.log", fixed_tau)
                hmm = out
            options = {"-hmm": str(folder / "model")}
        elif kind == "mllr":
            self.bw(data, base, folder / "accum", folder / "bw.log")
            run([TOOLS / "mllr_solve", "-meanfn", base / "means", "-varfn", base / "variances",
                 "-outmllrfn", folder / "mllr_matrix", "-accumdir", folder / "accum"], folder / "mllr_solve.log")
            options = {"-hmm": str(BASE), "-mllr": str(folder / "mllr_matrix")}
        elif kind == "mllrmap":
            self.bw(data, base, folder / "accum-1", folder / "bw-1.log")
            run([TOOLS / "mllr_solve", "-meanfn", base / "means", "-varfn", base / "variances",
                 "-outmllrfn", folder / "mllr_matrix", "-accumdir", folder / "accum-1"], folder / "mllr_solve.log")
            run([TOOLS / "mllr_transform", "-inmeanfn", base / "means", "-outmeanfn", folder / "means.mllr",
                 "-mllrmat", folder / "mllr_matrix"], folder / "mllr_transform.log")
            prior = folder / "mllr-prior"
            prior.mkdir()
            for p in base.iterdir():
                if p.name != "means":
                    (prior / p.name).symlink_to(p.resolve())
            shutil.copy(folder / "means.mllr", prior / "means")
            self.bw(data, prior, folder / "accum-2", folder / "bw-2.log")
            self.map_adapt(prior, folder / "accum-2", folder / "model", folder / "map_adapt.log", fixed_tau)
            options = {"-hmm": str(folder / "model")}
        else:
            raise SweepError(f"unknown variant {variant!r}")
        chosen.write_text(json.dumps(options))
        return options

    def evaluate(self, split: str, variant: str, voices: list[str], jobs: int) -> str:
        started = time.time()
        _, scored = self.halves(split)
        work = []
        for voice in voices:
            print(f"  {variant} {voice}: adapting", file=sys.stderr, flush=True)
            options = self.model(voice, split, variant)
            for name in scored:
                wav = self.dev_audio / voice / f"{name}.wav"
                if not wav.exists():
                    raise SweepError(f"missing {wav} (synthesize the dev set with bench-recognition.py "
                                     "--dictations Benchmarks/dev --out DIR and pass DIR/audio)")
                work.append((voice, name, wav, options))
        print(f"  {variant}: decoding {len(work)} files", file=sys.stderr, flush=True)
        with cf.ThreadPoolExecutor(jobs) as pool:
            hypotheses = list(pool.map(lambda w: tune.decode(w[2], {**self.options, **w[3]}), work))
        per_voice: dict[str, tuple[int, int]] = {}
        for (voice, name, _, _), hypothesis in zip(work, hypotheses):
            reference = bench.load_reference(DEV / f"{name}.txt")
            errors, words = per_voice.get(voice, (0, 0))
            per_voice[voice] = (errors + bench.align(reference, hypothesis).errors, words + len(reference))
        errors = sum(e for e, _ in per_voice.values())
        words = sum(w for _, w in per_voice.values())
        voices_text = ", ".join(f"{v} {100 * e / w:.2f}" for v, (e, w) in per_voice.items())
        return (f"split {split}  {variant:10s} WER {100 * errors / words:.2f}% ({errors}/{words})  "
                f"[{voices_text}]  {time.time() - started:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--split", choices=["a", "b", "o", "e"], default="a", help="which half adapts (default: a)")
    parser.add_argument("--variants", default="none,map2", help="comma-separated (default: none,map2)")
    parser.add_argument("--voices", default=VOICES, help=f"comma-separated (default: {VOICES})")
    parser.add_argument("--family", help="only the --voices of these families (bench-recognition.py's FAMILIES)")
    parser.add_argument("--exclude-family", help="leave out the --voices of these families (leave-one-family-out)")
    parser.add_argument("--bench-out", type=Path, required=True, help="bench-profile.py's --out folder")
    parser.add_argument("--dev-audio", type=Path, required=True, help="dev dictation WAVs, one folder per voice")
    parser.add_argument("--lm", type=Path, default=REPO / "Lexicon" / "radiology.lm.bin")
    parser.add_argument("--dict", type=Path, default=REPO / "Lexicon" / "radscribe.dict")
    parser.add_argument("--option", help='JSON of extra decoder options, e.g. \'{"-lw": "7"}\'')
    parser.add_argument("--work", type=Path, default=Path("/tmp/radscribe-dev-sweep"), help="model cache")
    parser.add_argument("--jobs", type=int, default=2, help="decoders at once (default: 2)")
    args = parser.parse_args(argv)
    try:
        bench.require_tools(["pocketsphinx_continuous", "pocketsphinx_mdef_convert", "sphinx_fe"])
        for tool in ["bw", "map_adapt", "mllr_solve", "mllr_transform"]:
            if not (TOOLS / tool).exists():
                raise SweepError(f"{TOOLS / tool} not found (apt-get install sphinxtrain)")
        args.work.mkdir(parents=True, exist_ok=True)
        sweep = Sweep(args)
        voices = bench.filter_families(args.voices.split(","), args.family, args.exclude_family)
        if not voices:
            raise SweepError("no voice left after --family/--exclude-family")
        for variant in args.variants.split(","):
            print(sweep.evaluate(args.split, variant, voices, args.jobs), flush=True)
    except (SweepError, bench.BenchError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
