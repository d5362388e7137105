// zlib's C API (deflate, crc32), imported into Swift as the module `CZlib` (Debian: zlib1g-dev).
#include <zlib.h>
