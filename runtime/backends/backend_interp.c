/* backend_interp.c: the reference interpreter as a backend: nothing to build, every parameter
 * read at run time. The early tier of auto in a build without libtcc. */
#include "internal.h"

static int interp_build(ctg__compiled *c, const ctg_params *p, const ctg__build_options *o, ctg_error *err) {
  (void)c, (void)p, (void)o, (void)err;
  return CTG_OK;
}

static int interp_forward(const ctg__compiled *c, const ctg_params *p, const void *input, const void *weight,
                          const void *bias, void *output, ctg_error *err) {
  (void)c;
  return ctg_reference(p, input, weight, bias, output, err);
}

static const char *interp_source(ctg__compiled *c, const ctg_params *p) {
  (void)c, (void)p;
  return NULL;
}

static void interp_release(ctg__compiled *c) { (void)c; }

const ctg__backend ctg__backend_interp = { CTG_BACKEND_INTERP, "interp", interp_build, interp_forward, NULL, NULL,
                                           interp_source, interp_release, NULL, NULL };
