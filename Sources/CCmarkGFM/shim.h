// The reference CommonMark implementation with GitHub's extensions (tables, autolinks), imported into Swift as the
// module `CCmarkGFM` (Debian: libcmark-gfm-dev, libcmark-gfm-extensions-dev).
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
