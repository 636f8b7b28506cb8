#ifndef RADSCRIBE_CPOCKETSPHINX_SHIM_H
#define RADSCRIBE_CPOCKETSPHINX_SHIM_H
#include <pocketsphinx.h>
#include <sphinxbase/cmd_ln.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/err.h>
#include <sphinxbase/ngram_model.h>
#endif
