// Cairo's C API, imported into Swift as the module `CCairo` (Debian: libcairo2-dev).
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
