/* fuzz_layer.c: libFuzzer on the generator: bytes become a small layer (every field of
 * ctg_layer, in ranges where generating takes milliseconds), which is validated and, when
 * valid, planned and emitted for every C target and CUDA, with baked weights too. A Lua error
 * inside generator/ (CTG_ERR_INTERNAL) is a bug: the harness aborts on it. Built by `make fuzz`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convtgen_tools.h"

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

static void emit(const ctg_spec *spec, ctg_target target, ctg_isa isa, const void *w, const void *bias) {
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
  static const char *const DTYPES[] = { "float32", "float64", "complex64", "complex128", "int8", "int8" };
  static ctg_quantization q; /* int8: scales from 2^-12 to 2^3, zero points over int8's range */
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
  l.dtype = DTYPES[take(&b, 0, 5)];
  if (take(&b, 0, 5) == 0) l.tflite_padding = take(&b, 0, 1) ? "same" : "valid";
  if (strcmp(l.dtype, "int8") == 0) {
    q.input_scale = 1.0 / (1 << take(&b, 0, 12));
    q.output_scale = 1.0 / (1 << take(&b, 0, 12)) * take(&b, 1, 8);
    q.input_zero_point = take(&b, -128, 127);
    q.output_zero_point = take(&b, -128, 127);
    q.channels = take(&b, 0, 1) ? 1 : l.out_channels;
    for (int c = 0; c < q.channels; c++) q.weight_scales[c] = (float)take(&b, 1, 200) / 4096.0f;
    l.quantization = &q;
  }
  l.unroll = UNROLL[take(&b, 0, 3)];
  l.threads = take(&b, 1, 3);
  static const char *const ACTIVATIONS[] = { NULL, "relu", "leaky_relu", "tanh", "sigmoid", "clamp" };
  l.activation = ACTIVATIONS[take(&b, 0, 5)]; /* int8 takes relu and clamp, refuses the rest */
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
  if (strcmp(p->dtype, "int8") == 0) { /* firmware: int8 weights, int32 bias */
    size_t nw = ctg_params_numel(p, CTG_WEIGHT), nb = ctg_params_numel(p, CTG_BIAS);
    int8_t *w = malloc(nw + 1);
    int32_t *bias = malloc((nb + 1) * sizeof *bias);
    if (w && bias) {
      for (size_t i = 0; i < nw; i++) w[i] = (int8_t)take(&b, -128, 127);
      for (size_t i = 0; i < nb; i++) bias[i] = take(&b, -128, 127) * 1000003;
      emit(spec, CTG_TARGET_C, CTG_ISA_PORTABLE, w, p->bias ? bias : NULL);
    }
    free(w), free(bias);
  }
  ctg_spec_free(spec);
  return 0;
}
