/* fuzz_layer.c: libFuzzer on the generator: bytes become a small layer (every field of
 * ctg_layer, in ranges where generating takes milliseconds), which is validated and, when
 * valid, planned and emitted for every C target and CUDA, with baked weights too. A Lua error
 * inside generator/ (CTG_ERR_INTERNAL) is a bug: the harness aborts on it. Built by `make fuzz`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convtgen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct bytes {
  const uint8_t *p;
  size_t n;
} bytes;

/* The next byte mapped to lo..hi; zero once the input is used up. */
static int take(bytes *b, int lo, int hi) {
  int v = 0;
  if (b->n) v = *b->p++, b->n--;
  return lo + v % (hi - lo + 1);
}

static void emit(const ctg_spec *spec, ctg_target target, ctg_isa isa, const float *w, const float *bias) {
  char *c = NULL, *h = NULL;
  ctg_error err;
  ctg_gen_options o = { target, w, bias, isa };
  int st = ctg_generate(spec, &o, &c, &h, &err);
  if (st == CTG_ERR_INTERNAL) {
    fprintf(stderr, "internal error: %s\n", err.message);
    abort();
  }
  if (st == CTG_OK && (!c || !h)) abort();
  ctg_free(c), ctg_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const DTYPES[] = { "float32", "float64", "complex64", "complex128" };
  static const char *const UNROLL[] = { "none", "taps", "auto", "full" };
  bytes b = { data, size };
  ctg_layer l;
  ctg_layer_init(&l);
  int groups = take(&b, 1, 4);
  l.groups = groups;
  l.in_channels = groups * take(&b, 1, 6);
  l.out_channels = groups * take(&b, 1, 20);
  for (int d = 0; d < 2; d++) {
    l.kernel_size[d] = take(&b, 1, 9);
    l.stride[d] = take(&b, 1, 9);
    l.padding[d] = take(&b, 0, 9);
    l.output_padding[d] = take(&b, 0, 8);
    l.dilation[d] = take(&b, 1, 4);
  }
  if (take(&b, 0, 3) == 0) /* asymmetric padding */
    for (int d = 0; d < 2; d++) l.padding_end[d] = take(&b, 0, 9);
  l.bias = take(&b, 0, 1);
  l.input_rank = take(&b, 0, 3) == 0 ? 3 : 4;
  int off = l.input_rank == 4;
  if (off) l.input_shape[0] = take(&b, 0, 2);
  l.input_shape[off] = l.in_channels;
  l.input_shape[off + 1] = take(&b, 1, 20);
  l.input_shape[off + 2] = take(&b, 1, 40);
  if (take(&b, 0, 7) == 0) {
    l.output_size[0] = take(&b, 1, 200);
    l.output_size[1] = take(&b, 1, 200);
  }
  l.dtype = DTYPES[take(&b, 0, 3)];
  l.unroll = UNROLL[take(&b, 0, 3)];
  l.threads = take(&b, 1, 3);
  static const char *const ACTIVATIONS[] = { NULL, "relu", "leaky_relu", "tanh", "sigmoid", "clamp" };
  l.activation = ACTIVATIONS[take(&b, 0, 5)];
  l.activation_args[0] = (double)take(&b, 0, 8) - 4.0;
  l.activation_args[1] = (double)take(&b, 0, 8) - 4.0; /* min > max sometimes: a spec error */
  ctg_spec *spec = NULL;
  ctg_error err;
  int st = ctg_spec_from_layer(&l, &spec, &err);
  if (st == CTG_ERR_INTERNAL) abort();
  if (st != CTG_OK) return 0;
  emit(spec, CTG_TARGET_C, CTG_ISA_PORTABLE, NULL, NULL);
  emit(spec, CTG_TARGET_C, CTG_ISA_SCALAR, NULL, NULL);
  emit(spec, CTG_TARGET_CUDA, CTG_ISA_PORTABLE, NULL, NULL);
  const ctg_params *p = ctg_spec_params(spec);
  if (strcmp(p->dtype, "float32") == 0) { /* firmware: baked weights, some exactly zero */
    size_t nw = ctg_params_numel(p, CTG_WEIGHT), nb = ctg_params_numel(p, CTG_BIAS);
    float *w = calloc(nw + nb + 1, sizeof *w);
    if (w) {
      for (size_t i = 0; i < nw + nb; i++) w[i] = (float)take(&b, -3, 3) * 0.25f;
      emit(spec, CTG_TARGET_C, CTG_ISA_SCALAR, w, p->bias ? w + nw : NULL);
      free(w);
    }
  }
  ctg_spec_free(spec);
  return 0;
}
