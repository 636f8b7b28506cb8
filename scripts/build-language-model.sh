#!/usr/bin/env bash
# Build RadScribe's domain language model and runtime dictionary in one command:
#   bash scripts/build-language-model.sh
# Steps: generate corpus -> build lexicon -> hygiene-filter the training text -> irstlm trigram
# (improved Kneser-Ney, i.e. irstlm's improved-shift-beta) -> ARPA -> sphinx_lm_convert to
# Lexicon/radiology.lm.bin -> Lexicon/radscribe.dict (pronunciation for every LM word).
# Intermediate files live in a temporary directory that is removed on exit.
# Needs Debian packages: irstlm, sphinxbase-utils, pocketsphinx, pocketsphinx-en-us, espeak-ng.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export IRSTLM="${IRSTLM:-/usr/lib/irstlm}"
PY="${PYTHON:-python3}"
export PYTHONDONTWRITEBYTECODE=1
ORDER="${ORDER:-3}"  # n-gram order (chosen on Benchmarks/dev, see BENCHMARKS.md)
SMOOTHING="${SMOOTHING:-improved-kneser-ney}"

for tool in "$IRSTLM/bin/build-lm.sh" "$IRSTLM/bin/compile-lm" "$IRSTLM/bin/add-start-end.sh"; do
  [[ -x "$tool" ]] || { echo "ERROR: $tool not found (apt-get install irstlm)" >&2; exit 1; }
done
command -v sphinx_lm_convert >/dev/null || { echo "ERROR: sphinx_lm_convert not found (apt-get install sphinxbase-utils)" >&2; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/radscribe-lm.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "==> [1/6] generating corpus"
"$PY" scripts/build-ontology.py   # Lexicon/ontology/source/*.txt -> radscribe-ontology.tsv (its terms go into the corpus)
"$PY" scripts/generate-corpus.py

echo "==> [2/6] building pronunciation lexicon"
"$PY" scripts/build-lexicon.py

echo "==> [3/6] assembling training text (test hygiene applied)"
# Hand-written report prose counts HANDWRITTEN_WEIGHT times against the generated frames (chosen on Benchmarks/dev).
"$PY" scripts/corpus_hygiene.py Lexicon/corpus/handwritten*.txt > "$TMP/handwritten.txt"
# Dictation runs sentences together ("... effusion period there is ..."), so the copies join neighbouring
# lines into runs of HANDWRITTEN_JOIN sentences, each copy starting its runs at a different line.
JOIN="${HANDWRITTEN_JOIN:-4}"  # chosen on Benchmarks/dev (BENCHMARKS.md, session 7)
for ((copy = 0; copy < ${HANDWRITTEN_WEIGHT:-4}; copy++)); do
  awk -v n="$JOIN" -v offset="$copy" '{ printf "%s%s", $0, ((NR + offset) % n == 0 ? "\n" : " ") } END { print "" }' \
    "$TMP/handwritten.txt" | sed -e 's/ *$//' -e '/^$/d'
done > "$TMP/train.txt"
"$PY" scripts/corpus_hygiene.py Lexicon/corpus/generated.txt >> "$TMP/train.txt"
echo "    training lines: $(wc -l < "$TMP/train.txt"), words: $(wc -w < "$TMP/train.txt")"
"$IRSTLM/bin/add-start-end.sh" < "$TMP/train.txt" > "$TMP/train.se"

echo "==> [4/6] irstlm: ${ORDER}-gram, smoothing ${SMOOTHING}"
mkdir -p "$TMP/irstlm"
"$IRSTLM/bin/build-lm.sh" -i "$TMP/train.se" -n "$ORDER" -o "$TMP/lm.ilm.gz" -k 2 \
  -s "$SMOOTHING" -t "$TMP/irstlm" > "$TMP/build-lm.log" 2>&1 \
  || { cat "$TMP/build-lm.log" >&2; echo "ERROR: build-lm.sh failed" >&2; exit 1; }
"$IRSTLM/bin/compile-lm" --text=yes "$TMP/lm.ilm.gz" "$TMP/lm.arpa" > "$TMP/compile-lm.log" 2>&1 \
  || { cat "$TMP/compile-lm.log" >&2; echo "ERROR: compile-lm failed" >&2; exit 1; }
grep -E '^ngram +[0-9]+=' "$TMP/lm.arpa" | sed 's/^/    /' || true

echo "==> [4b/6] general-English backbone (stock en-us unigrams, interpolated)"
command -v gcc >/dev/null || { echo "ERROR: gcc not found (apt-get install gcc)" >&2; exit 1; }
gcc -O2 -o "$TMP/lm-unigrams" scripts/lm-unigrams.c $(pkg-config --cflags --libs sphinxbase) \
  || { echo "ERROR: cannot build scripts/lm-unigrams.c (apt-get install libsphinxbase-dev)" >&2; exit 1; }
"$TMP/lm-unigrams" /usr/share/pocketsphinx/model/en-us/en-us.lm.bin > "$TMP/general.tsv" 2> "$TMP/unigrams.log" \
  || { cat "$TMP/unigrams.log" >&2; echo "ERROR: lm-unigrams failed" >&2; exit 1; }
mv "$TMP/lm.arpa" "$TMP/domain.arpa"
"$PY" scripts/general_backbone.py "$TMP/domain.arpa" "$TMP/general.tsv" "$TMP/lm.arpa" \
  --words "${BACKBONE_WORDS:-7500}" --weight "${BACKBONE_WEIGHT:-0.98}"  # chosen on Benchmarks/dev

echo "==> [5/6] converting to Lexicon/radiology.lm.bin"
sphinx_lm_convert -i "$TMP/lm.arpa" -o Lexicon/radiology.lm.bin > "$TMP/convert.log" 2>&1 \
  || { cat "$TMP/convert.log" >&2; echo "ERROR: sphinx_lm_convert failed" >&2; exit 1; }
ls -l Lexicon/radiology.lm.bin | awk '{print "    " $5 " bytes"}'

echo "==> [6/6] writing Lexicon/radscribe.dict"
"$PY" scripts/build-runtime-dict.py "$TMP/lm.arpa" Lexicon/radscribe.dict

echo "==> done"
