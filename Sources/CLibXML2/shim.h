#ifndef RADSCRIBE_CLIBXML2_SHIM_H
#define RADSCRIBE_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so encoding.h would pull in the system's <unicode/ucnv.h>,
 * whose UErrorCode clashes with the ICU copy bundled in swift-corelibs-foundation (_FoundationICU)
 * in any Swift module that also imports Foundation. Nothing here uses the ICU converter; hiding it
 * only drops the trailing `uconv_in/uconv_out` pointers from xmlCharEncodingHandler, which Swift
 * code never allocates or indexes. */
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#endif
