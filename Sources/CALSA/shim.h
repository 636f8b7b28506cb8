#ifndef RADSCRIBE_CALSA_SHIM_H
#define RADSCRIBE_CALSA_SHIM_H
#include <alsa/asoundlib.h>

/* ALSA prints its own diagnostics to stderr through a variadic handler that Swift cannot
   implement; a no-op handler keeps our one-line errors the only thing the user sees. */
static void radscribe_alsa_silent_handler(const char *file, int line, const char *function, int err,
                                          const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void radscribe_alsa_silence_errors(void) {
    snd_lib_error_set_handler(radscribe_alsa_silent_handler);
}
#endif
