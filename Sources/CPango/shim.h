// Pango text layout on Cairo (HarfBuzz shaping, line breaking, justification), imported into Swift as the module
// `CPango` (Debian: libpango1.0-dev). Used by the document engine only.
#include <pango/pangocairo.h>
