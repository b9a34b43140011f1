#ifndef AIGOV_CBLAS_SHIM_H
#define AIGOV_CBLAS_SHIM_H
// Debian's libopenblas-dev puts cblas.h in the include folder pkg-config names for `openblas`.
#include <cblas.h>
#endif
