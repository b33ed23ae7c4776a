/* fuzz_spec.c: libFuzzer on the spec loader: any bytes as spec source through the sandbox,
 * the copy out of it and generator/spec.lua's checks; a spec that validates and is small is
 * also planned and generated (C99 and CUDA), so the generator's own limits are fuzzed too.
 * Built by `make fuzz`; the sandbox's deadline (1 s) keeps every input under libFuzzer's timeout. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convtgen_tools.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *source = malloc(size + 1);
  if (!source) return 0;
  memcpy(source, data, size);
  source[size] = '\0';
  ctg_spec *spec = NULL;
  ctg_error err;
  if (ctg_spec_from_string(source, "fuzz.lua", &spec, &err) == CTG_OK) {
    const ctg_params *p = ctg_spec_params(spec);
    /* small layers only: the generator takes up to a second for the largest it accepts */
    if (p->flops < 1e7 && ctg_params_numel(p, CTG_WEIGHT) < 4096) {
      char *c = NULL, *h = NULL;
      ctg_gen_options scalar = { CTG_TARGET_C, NULL, NULL, CTG_ISA_SCALAR };
      ctg_gen_options cuda = { CTG_TARGET_CUDA, NULL, NULL, CTG_ISA_PORTABLE };
      if (ctg_generate(spec, &scalar, &c, &h, &err) == CTG_OK && (!c || !h)) abort();
      ctg_free(c), ctg_free(h);
      c = h = NULL;
      ctg_generate(spec, &cuda, &c, &h, &err);
      ctg_free(c), ctg_free(h);
    }
    ctg_spec_free(spec);
  } else if (strchr(err.message, '\n') || err.status == CTG_OK) {
    abort(); /* every error is one line with a status */
  }
  free(source);
  return 0;
}
