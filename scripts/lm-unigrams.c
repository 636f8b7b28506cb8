/* Prints every unigram of a PocketSphinx language model as "log10 probability<TAB>word", one per line.
 * Used by scripts/build-language-model.sh to read the stock general-English model's word frequencies:
 * sphinx_lm_convert cannot write that model back as ARPA (sphinxbase 5prealpha asserts in the trie writer).
 * Build: gcc -o lm-unigrams scripts/lm-unigrams.c $(pkg-config --cflags --libs sphinxbase)
 */
#include <stdio.h>
#include <sphinxbase/ngram_model.h>
#include <sphinxbase/logmath.h>
int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s LM\n", argv[0]); return 2; }
    logmath_t *lmath = logmath_init(1.0001, 0, 0);
    ngram_model_t *lm = ngram_model_read(NULL, argv[1], NGRAM_AUTO, lmath);
    if (!lm) return 1;
    uint32 const *counts = ngram_model_get_counts(lm);
    for (int32 wid = 0; wid < (int32)counts[0]; wid++) {
        int32 used;
        int32 score = ngram_ng_score(lm, wid, NULL, 0, &used);
        printf("%.4f\t%s\n", logmath_log_to_log10(lmath, score), ngram_word(lm, wid));
    }
    return 0;
}
