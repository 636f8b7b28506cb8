#ifndef RADSCRIBE_CESPEAK_SHIM_H
#define RADSCRIBE_CESPEAK_SHIM_H
#include <espeak-ng/speak_lib.h>
#endif
