/* backend_native.c: what the tcc and cc backends share: calling generated C code through the
 * entry points every generated kernel has, as its calling convention says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int ctg__native_entries(ctg__compiled *c, const char *name, void *(*lookup)(void *handle, const char *symbol),
                        void *handle) {
  static const char *const suffix[3] = { "_run_batch", "_pack", "_run_packed_batch" };
  void *found[3];
  for (int i = 0; i < 3; i++) {
    char sym[96];
    snprintf(sym, sizeof sym, "%s%s", name, suffix[i]);
    found[i] = lookup(handle, sym);
  }
  *(void **)&c->run = found[0];
  *(void **)&c->pack = found[1];
  *(void **)&c->run_packed = found[2];
  return found[0] && found[1] && found[2];
}

int ctg__native_pack(const ctg__compiled *c, const ctg_params *p, const void *weight, const void *bias,
                     void **packed, ctg_error *err) {
  *packed = NULL;
  if (c->convention != CTG__PACKED) return CTG_OK;
  /* packed elements are the layer's dtype; an int8 layer's are int32 words (weight pairs, sums) */
  size_t es = ctg_params_dtype(p) == CTG_INT8 ? 4 : ctg_dtype_size(ctg_params_dtype(p));
  size_t bytes = (c->packed_size ? c->packed_size : 1) * es;
  if (posix_memalign(packed, 64, bytes) != 0) {
    *packed = NULL;
    return ctg__fail(err, CTG_ERR_NOMEM, "out of memory packing %zu weights", c->packed_size);
  }
  c->pack(weight, p->bias ? bias : NULL, *packed);
  return CTG_OK;
}

int ctg__native_forward(const ctg__compiled *c, const ctg_params *p, const void *input, const void *weight,
                        const void *bias, void *output, ctg_error *err) {
  if (c->convention != CTG__PACKED) {
    c->run(p->batch, input, weight, bias, output);
    ctg__ok(err);
    return CTG_OK;
  }
  void *packed;
  int st = ctg__native_pack(c, p, weight, bias, &packed, err);
  if (st != CTG_OK) return st;
  c->run_packed(p->batch, input, packed, output);
  free(packed);
  ctg__ok(err);
  return CTG_OK;
}

int ctg__native_run_packed(const ctg__compiled *c, const ctg_params *p, const void *input, const void *packed,
                           void *output, ctg_error *err) {
  c->run_packed(p->batch, input, packed, output);
  ctg__ok(err);
  return CTG_OK;
}

const char *ctg__native_source(ctg__compiled *c, const ctg_params *p, const char *target) {
  if (c->source) return c->source;
  ctg__emitted e;
  if (ctg__emit(p, target, NULL, NULL, &e, NULL) != CTG_OK) return NULL;
  c->source = e.source;
  e.source = NULL;
  ctg__emitted_free(&e);
  return c->source;
}
