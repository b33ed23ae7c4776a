/* fuzz_npy.c: libFuzzer on the .npy reader: any bytes as a file (written to a private
 * temporary file, since the reader takes a path). Built by `make fuzz`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "convtgen_tools.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!path[0]) snprintf(path, sizeof path, "/tmp/convtgen-fuzz-npy-%ld.npy", (long)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  ctg_tensor t;
  ctg_error err;
  if (ctg_npy_load(path, &t, &err) == CTG_OK) {
    /* what it read is what the header claims */
    size_t n = 1;
    for (int i = 0; i < t.ndim; i++) n *= (size_t)t.shape[i];
    volatile unsigned char sink = 0;
    for (size_t i = 0; i < n * ctg_dtype_size(t.dtype); i++) sink ^= ((const unsigned char *)t.data)[i];
    (void)sink;
    ctg_tensor_free(&t);
  } else if (strchr(err.message, '\n')) {
    abort();
  }
  return 0;
}
