/* test_int8.c: dtype int8, TensorFlow Lite's quantized TRANSPOSE_CONV.
 *
 * The oracle is TensorFlow Lite Micro itself: `make test` writes 1,000 random layers and TFLM's
 * outputs for them (tests/tflm/make_cases.py, through PyPI's tflite-micro in ~/.cache/convtgen-venvs/tflm-venv);
 * the interpreter and tcc must match every output byte, cc a sample of them. The rest pins the
 * spec's rules, TFLite's padding, the requantization's edge cases and the C API. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h" /* ctg__params_key: the layer's identity */
#include "testutil.h"

#ifndef CTG_TFLM_DIR
#define CTG_TFLM_DIR "build/tflm-cases"
#endif

/* --- against TFLite Micro ---------------------------------------------------------- */

static int load(const char *dir, const char *name, const char *suffix, ctg_tensor *t) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s%s", dir, name, suffix);
  ctg_error err;
  if (!tu_exists(path)) return 0;
  tu_assert_ok(ctg_npy_load(path, t, &err), &err);
  return 1;
}

/* Runs backend on the case's tensors; returns the number of output bytes that differ from TFLM's. */
static size_t run_case(const ctg_spec *spec, ctg_backend backend, const ctg_tensor *x, const ctg_tensor *w,
                       const ctg_tensor *b, const ctg_tensor *want) {
  ctg_options o = { backend, NULL, NULL, 0, 0 };
  ctg_kernel *k;
  ctg_error err;
  tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
  int8_t *y = malloc(want->numel + 1);
  memset(y, 0x5a, want->numel);
  tu_assert_ok(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x->data, w->data, b ? b->data : NULL, y, &err), &err);
  size_t bad = 0;
  for (size_t i = 0; i < want->numel; i++) bad += y[i] != ((const int8_t *)want->data)[i];
  free(y);
  ctg_kernel_free(k);
  return bad;
}

static void test_tflite_micro_decides_every_output(void **state) {
  (void)state;
  char index[1024];
  snprintf(index, sizeof index, "%s/cases.tsv", CTG_TFLM_DIR);
  FILE *f = fopen(index, "r");
  if (!f) {
    printf("no TFLite Micro cases at %s: `make test` writes them (PyPI tflite-micro in ~/.cache/convtgen-venvs/tflm-venv)\n", index);
    skip();
  }
  char line[1024];
  int cases = 0, cc_cases = 0;
  free(tu_use_cache("int8-cc"));
  while (fgets(line, sizeof line, f)) {
    char name[64];
    if (sscanf(line, "%63s", name) != 1) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.lua", CTG_TFLM_DIR, name);
    ctg_spec *spec;
    ctg_error err;
    if (ctg_spec_from_file(path, &spec, &err) != CTG_OK) fail_msg("%s: %s (%s)", path, err.message, line);
    ctg_tensor x, w, b, y;
    assert_true(load(CTG_TFLM_DIR, name, "_x.npy", &x) && load(CTG_TFLM_DIR, name, "_w.npy", &w) &&
                load(CTG_TFLM_DIR, name, "_y.npy", &y));
    int has_bias = load(CTG_TFLM_DIR, name, "_b.npy", &b);
    assert_int_equal(has_bias, ctg_spec_params(spec)->bias);
    assert_int_equal(x.dtype, CTG_INT8);
    size_t bad = run_case(spec, CTG_BACKEND_INTERP, &x, &w, has_bias ? &b : NULL, &y);
    if (bad) fail_msg("interpreter: %zu of %zu outputs differ from TFLite Micro's in case %s", bad, y.numel, line);
    bad = run_case(spec, CTG_BACKEND_TCC, &x, &w, has_bias ? &b : NULL, &y);
    if (bad) fail_msg("tcc: %zu of %zu outputs differ from TFLite Micro's in case %s", bad, y.numel, line);
    if (cases % 199 == 3) { /* cc builds take seconds: a sample, every shape class among them */
      bad = run_case(spec, CTG_BACKEND_CC, &x, &w, has_bias ? &b : NULL, &y);
      if (bad) fail_msg("cc: %zu of %zu outputs differ from TFLite Micro's in case %s", bad, y.numel, line);
      cc_cases++;
    }
    ctg_tensor_free(&x), ctg_tensor_free(&w), ctg_tensor_free(&y);
    if (has_bias) ctg_tensor_free(&b);
    ctg_spec_free(spec);
    cases++;
  }
  fclose(f);
  printf("  %d layers: the interpreter and tcc match TFLite Micro byte for byte, cc on %d of them\n", cases, cc_cases);
  assert_true(cases >= 1000);
}

/* --- the spec ------------------------------------------------------------------------ */

#define QUANT "quantization = {input_scale = 0.05, input_zero_point = 3, output_scale = 0.1, " \
              "output_zero_point = -2, weight_scales = 0.01}"

static void spec_error(const char *src, const char *expect) {
  ctg_spec *spec = NULL;
  ctg_error err;
  assert_int_equal(ctg_spec_from_string(src, "t.lua", &spec, &err), CTG_ERR_SPEC);
  assert_null(spec);
  assert_contains(err.message, expect);
}

static void test_spec_rules(void **state) {
  (void)state;
  const char *layer = "in_channels = 4, out_channels = 2, kernel_size = 3, stride = 2, input_shape = {1, 4, 5, 5}, ";
  char src[1024];
  snprintf(src, sizeof src, "return {%s dtype = 'int8'}", layer);
  spec_error(src, "quantization: is required for dtype int8");
  snprintf(src, sizeof src, "return {%s " QUANT "}", layer);
  spec_error(src, "quantization: is for dtype int8 only; the layer is float32");
  snprintf(src, sizeof src, "return {%s dtype = 'int8', quantization = {input_scale = 0.05, input_zero_point = 128, "
           "output_scale = 0.1, output_zero_point = 0, weight_scales = 0.01}}", layer);
  spec_error(src, "quantization: input_zero_point: 128 is outside int8's -128..127");
  snprintf(src, sizeof src, "return {%s dtype = 'int8', quantization = {input_scale = -1, input_zero_point = 0, "
           "output_scale = 0.1, output_zero_point = 0, weight_scales = 0.01}}", layer);
  spec_error(src, "quantization: input_scale: -1 is not a positive finite float32");
  snprintf(src, sizeof src, "return {%s dtype = 'int8', quantization = {input_scale = 1e-50, input_zero_point = 0, "
           "output_scale = 0.1, output_zero_point = 0, weight_scales = 0.01}}", layer);
  spec_error(src, "is not a positive finite float32"); /* rounds to float32 zero */
  snprintf(src, sizeof src, "return {%s dtype = 'int8', quantization = {input_scale = 0.1, input_zero_point = 0, "
           "output_scale = 0.1, output_zero_point = 0, weight_scales = {0.01, 0.02, 0.03}}}", layer);
  spec_error(src, "weight_scales has 3 entries; give one per output channel (2) or one number");
  snprintf(src, sizeof src, "return {%s dtype = 'int8', quantization = {input_scale = 0.1, input_zero_point = 0, "
           "output_scale = 0.1, output_zero_point = 0, weight_scale = 0.01}}", layer);
  spec_error(src, "quantization: unknown field \"weight_scale\"");
  snprintf(src, sizeof src, "return {%s dtype = 'int8', activation = 'tanh', " QUANT "}", layer);
  spec_error(src, "activation: int8 layers take relu or clamp");
  snprintf(src, sizeof src, "return {%s dtype = 'int8', memory_format = 'contiguous', " QUANT "}", layer);
  spec_error(src, "memory_format: int8 layers are NHWC as TFLite holds them");
  snprintf(src, sizeof src, "return {%s padding = 'same', output_padding = 1}", layer);
  spec_error(src, "output_padding: does not go with padding = \"same\"");
  snprintf(src, sizeof src, "return {%s padding = 'half'}", layer);
  spec_error(src, "padding: expected an integer, a pair, {top, left, bottom, right}, \"same\" or \"valid\"");

  /* a clamp above int8's range saturates, as the outputs would */
  snprintf(src, sizeof src, "return {%s dtype = 'int8', activation = {'clamp', 100, 200}, " QUANT "}", layer);
  ctg_spec *high = tu_spec(src);
  assert_int_equal(ctg_spec_params(high)->quant.act_min, 127);
  assert_int_equal(ctg_spec_params(high)->quant.act_max, 127);
  ctg_spec_free(high);

  /* a valid one: shapes as TFLite holds them, channels_last without saying so */
  snprintf(src, sizeof src, "return {%s dtype = 'int8', " QUANT "}", layer);
  ctg_spec *spec = tu_spec(src);
  const ctg_params *p = ctg_spec_params(spec);
  assert_true(ctg_params_channels_last(p));
  int64_t shape[4];
  assert_int_equal(ctg_params_shape(p, CTG_WEIGHT, shape), 4);
  assert_true(shape[0] == 2 && shape[1] == 3 && shape[2] == 3 && shape[3] == 4); /* OHWI */
  assert_int_equal(ctg_params_tensor_dtype(p, CTG_BIAS), CTG_INT32);
  assert_int_equal(ctg_params_tensor_dtype(p, CTG_INPUT), CTG_INT8);
  assert_int_equal(ctg_dtype_size(CTG_INT32), 4);
  assert_string_equal(ctg_dtype_name(CTG_INT8), "int8");
  ctg_spec_free(spec);
}

/* TFLite's QuantizeMultiplier, as the normalized layer carries it. */
static void test_multipliers(void **state) {
  (void)state;
  /* 0.05 * 0.01 / 0.1 (float32 scales, product in double) = 0.005 = 0.64 * 2^-7 */
  ctg_spec *spec = tu_spec("return {in_channels = 1, out_channels = 3, kernel_size = 1, input_shape = {1, 1, 2, 2}, "
                           "dtype = 'int8', quantization = {input_scale = 0.05, input_zero_point = 0, output_scale = 0.1, "
                           "output_zero_point = 0, weight_scales = {0.01, 1e-20, 8}}}");
  const ctg_quantization *q = &ctg_spec_params(spec)->quant;
  assert_int_equal(q->channels, 3);
  assert_int_equal(q->multiplier[0], 1374389504); /* round(0.64000000... * 2^31) from float32 scales */
  assert_int_equal(q->shift[0], -7);
  assert_int_equal(q->multiplier[1], 0); /* 5e-21: a shift below -31 becomes multiplier 0, shift 0 */
  assert_int_equal(q->shift[1], 0);
  assert_int_equal(q->multiplier[2], 1073741824); /* 4 = 0.5 * 2^3 */
  assert_int_equal(q->shift[2], 3);
  ctg_spec_free(spec);

  /* relu and relu6 as TFLite's CalculateActivationRangeQuantized computes them */
  spec = tu_spec("return {in_channels = 1, out_channels = 1, kernel_size = 1, input_shape = {1, 1, 2, 2}, "
                 "dtype = 'int8', activation = {'clamp', 0, 6}, quantization = {input_scale = 0.05, "
                 "input_zero_point = 0, output_scale = 0.0470588244, output_zero_point = -128, weight_scales = 0.01}}");
  q = &ctg_spec_params(spec)->quant;
  assert_int_equal(q->act_min, -128);
  assert_int_equal(q->act_max, 0); /* -128 + round(6 / 0.0470588244) = -128 + 128 */
  ctg_spec_free(spec);
}

/* The interpreter's requantization is TFLite's MultiplyByQuantizedMultiplier: values worked out
 * by hand from its definition (rounding half up in the high multiply, half away from zero in
 * the divide). */
static void test_requantize_by_hand(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {in_channels = 1, out_channels = 1, kernel_size = 1, input_shape = {1, 1, 1, 8}, "
                           "dtype = 'int8', quantization = {input_scale = 1, input_zero_point = 0, output_scale = 4, "
                           "output_zero_point = 0, weight_scales = 1}}"); /* 0.25 = 0.5 * 2^-1 */
  const ctg_params *p = ctg_spec_params(spec);
  assert_int_equal(p->quant.multiplier[0], 1 << 30);
  assert_int_equal(p->quant.shift[0], -1);
  /* y = round_half_away(round_half_up(x / 2) / 2) for w = 1, no bias */
  const int8_t x[8] = { 1, 2, 3, -1, -2, -3, 6, -6 };
  const int8_t want[8] = { 1, 1, 1, 0, -1, -1, 2, -2 };
  /* x=1: 0.5 -> 1, /2 = 0.5 -> 1; x=3: 1.5 -> 2 -> 1; x=-1: -0.5 -> 0 -> 0; x=-2: -1 -> -0.5 -> -1;
   * x=-3: -1.5 -> -1 -> -0.5 -> -1; x=6: 3 -> 1.5 -> 2; x=-6: -3 -> -1.5 -> -2 */
  const int8_t w[1] = { 1 };
  const int32_t b[1] = { 0 };
  int8_t y[8];
  ctg_error err;
  tu_assert_ok(ctg_reference(p, x, w, b, y, &err), &err);
  assert_memory_equal(y, want, 8);
  ctg_spec_free(spec);
}

/* Generated code requantizes in one 64-bit multiply-add; it must agree with the interpreter's
 * two TFLite steps at the edges: INT32_MIN and INT32_MAX sums (through the bias), exact halves,
 * multiplier 2^30 and 0, left shifts, every right shift. */
static void test_generated_requantization_at_the_edges(void **state) {
  (void)state;
  static const char *const scales[] = {
    "{1, 0.5, 0.25, 3, 1e-6, 1e-9, 1e-20, 0.999999, 0.75, 0.0001}",
    "{2, 4, 16, 0.1, 0.3, 0.7, 0.0039062, 1.5e-7, 9e-10, 0.5}",
  };
  int32_t biases[10][4];
  const int32_t special[] = { INT32_MIN, INT32_MAX, INT32_MIN + 40000, INT32_MAX - 40000, 0, 1, -1, 1 << 30,
                              -(1 << 30), 12345 };
  for (int c = 0; c < 10; c++)
    for (int i = 0; i < 4; i++) biases[c][i] = special[(c + i) % 10];
  for (int s = 0; s < 2; s++)
    for (int variant = 0; variant < 4; variant++) {
      char src[1024];
      snprintf(src, sizeof src, "return {in_channels = 3, out_channels = 10, kernel_size = 1, input_shape = {1, 3, 4, 16}, "
               "dtype = 'int8', unroll = '%s', quantization = {input_scale = 1, input_zero_point = %d, output_scale = 1, "
               "output_zero_point = %d, weight_scales = %s}}", variant % 2 ? "none" : "auto",
               variant < 2 ? 0 : -128, variant < 2 ? 0 : 127, scales[s]);
      ctg_spec *spec = tu_spec(src);
      const ctg_params *p = ctg_spec_params(spec);
      int8_t x[192], w[30], want[640], got[640];
      int32_t b[10];
      uint64_t rng = 77 + (uint64_t)variant;
      for (int i = 0; i < 192; i++) x[i] = (int8_t)(int)(tu_rand(&rng) * 128.0f);
      for (int i = 0; i < 30; i++) w[i] = (int8_t)(int)(tu_rand(&rng) * 128.0f);
      for (int c = 0; c < 10; c++) b[c] = biases[c][variant];
      ctg_error err;
      tu_assert_ok(ctg_reference(p, x, w, b, want, &err), &err);
      for (int be = 0; be < (s == 0 ? 2 : 1); be++) { /* cc builds take seconds: one set of scales */
        ctg_options o = { be ? CTG_BACKEND_CC : CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
        ctg_kernel *k;
        free(tu_use_cache("int8-edges"));
        tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
        memset(got, 0x5a, sizeof got);
        tu_assert_ok(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, w, b, got, &err), &err);
        for (int i = 0; i < 640; i++)
          if (got[i] != want[i])
            fail_msg("%s, scales %d, variant %d: output %d (channel %d) is %d, the interpreter's %d",
                     be ? "cc" : "tcc", s, variant, i, i % 10, got[i], want[i]);
        ctg_kernel_free(k);
      }
      ctg_spec_free(spec);
    }
}

/* TFLite's SAME padding puts the odd unit at the bottom: k3 s2 8x8 -> 16x16 is PyTorch's
 * padding 1, output_padding 1 shifted by one pixel. */
static void test_same_padding_is_tflite_s(void **state) {
  (void)state;
  ctg_spec *tfl = tu_spec("return {in_channels = 2, out_channels = 3, kernel_size = 3, stride = 2, padding = 'same', "
                          "output_size = {16, 16}, input_shape = {1, 2, 8, 8}}");
  ctg_spec *pt = tu_spec("return {in_channels = 2, out_channels = 3, kernel_size = 3, stride = 2, padding = 1, "
                         "output_padding = 1, input_shape = {1, 2, 8, 8}}");
  const ctg_params *a = ctg_spec_params(tfl), *b = ctg_spec_params(pt);
  assert_int_equal(a->padding[0], 0);
  assert_int_equal(a->padding_end[0], 1);
  assert_int_equal(a->out_h, 16);
  float x[128], w[54], bias[3], ya[768], yb[768];
  uint64_t rng = 5;
  for (int i = 0; i < 128; i++) x[i] = tu_rand(&rng);
  for (int i = 0; i < 54; i++) w[i] = tu_rand(&rng);
  for (int i = 0; i < 3; i++) bias[i] = tu_rand(&rng);
  ctg_error err;
  tu_assert_ok(ctg_reference(a, x, w, bias, ya, &err), &err);
  tu_assert_ok(ctg_reference(b, x, w, bias, yb, &err), &err);
  for (int c = 0; c < 3; c++)
    for (int h = 0; h < 15; h++)
      for (int v = 0; v < 15; v++) assert_true(yb[(c * 16 + h) * 16 + v] == ya[(c * 16 + h + 1) * 16 + v + 1]);
  ctg_spec_free(tfl), ctg_spec_free(pt);

  /* k4 s2 SAME 8 -> 16: total padding 2, one each side; VALID without output_size: (H-1)*s + K */
  tfl = tu_spec("return {in_channels = 1, out_channels = 1, kernel_size = 4, stride = 2, padding = 'same', "
                "input_shape = {1, 1, 8, 8}}");
  assert_int_equal(ctg_spec_params(tfl)->padding[0], 1);
  assert_int_equal(ctg_spec_params(tfl)->out_h, 16);
  ctg_spec_free(tfl);
  tfl = tu_spec("return {in_channels = 1, out_channels = 1, kernel_size = {2, 5}, stride = {3, 2}, padding = 'valid', "
                "input_shape = {1, 1, 4, 6}}");
  assert_int_equal(ctg_spec_params(tfl)->out_h, 3 * 3 + 2);
  assert_int_equal(ctg_spec_params(tfl)->out_w, 5 * 2 + 5);
  assert_int_equal(ctg_spec_params(tfl)->padding[1], 0);
  ctg_spec_free(tfl);
}

/* The C API takes the same quantization as a spec file, by the same rules. */
static void test_c_api_layer(void **state) {
  (void)state;
  static ctg_quantization q; /* large: static */
  memset(&q, 0, sizeof q);
  q.input_scale = 0.05, q.output_scale = 0.1, q.input_zero_point = 3, q.output_zero_point = -2;
  q.channels = 2, q.weight_scales[0] = 0.01f, q.weight_scales[1] = 0.02f;
  ctg_layer layer;
  ctg_layer_init(&layer);
  layer.in_channels = 4, layer.out_channels = 2;
  layer.kernel_size[0] = layer.kernel_size[1] = 3;
  layer.stride[0] = layer.stride[1] = 2;
  layer.input_rank = 4;
  layer.input_shape[0] = 1, layer.input_shape[1] = 4, layer.input_shape[2] = 5, layer.input_shape[3] = 5;
  layer.dtype = "int8";
  layer.tflite_padding = "same";
  layer.quantization = &q;
  ctg_spec *spec;
  ctg_error err;
  tu_assert_ok(ctg_spec_from_layer(&layer, &spec, &err), &err);
  const ctg_params *p = ctg_spec_params(spec);
  assert_int_equal(p->out_h, 10);
  assert_int_equal(p->quant.channels, 2);
  assert_int_equal(p->quant.multiplier[0], 1374389504);
  assert_int_equal(p->quant.shift[1], -6);
  /* one weight scale goes to spec.lua as a number (a per-tensor scale) */
  q.channels = 1;
  ctg_spec *one;
  tu_assert_ok(ctg_spec_from_layer(&layer, &one, &err), &err);
  assert_int_equal(ctg_spec_params(one)->quant.channels, 1);
  assert_int_equal(ctg_spec_params(one)->quant.multiplier[0], 1374389504);
  /* every quantization field is part of the layer's identity (the cache key): a zero point too */
  char key_a[4096], key_b[4096];
  ctg__params_key(key_a, sizeof key_a, ctg_spec_params(one));
  ctg_spec_free(one);
  q.output_zero_point = -1;
  tu_assert_ok(ctg_spec_from_layer(&layer, &one, &err), &err);
  ctg__params_key(key_b, sizeof key_b, ctg_spec_params(one));
  assert_string_not_equal(key_a, key_b);
  ctg_spec_free(one);
  q.output_zero_point = -2;
  ctg_spec_free(spec);
  q.channels = 3;
  q.weight_scales[2] = 0.5f;
  assert_int_equal(ctg_spec_from_layer(&layer, &spec, &err), CTG_ERR_SPEC);
  assert_contains(err.message, "weight_scales has 3 entries");
}

/* Layers past TFLite's reach (groups, dilation) and past the stride-phase code's (a huge stride:
 * the tap-table code), at every unroll. */
static const char *const CHECKED[] = {
  "return {in_channels = 9, out_channels = 6, kernel_size = {3, 4}, stride = {2, 3}, padding = 1, dilation = {2, 1}, "
  "groups = 3, input_shape = {2, 9, 5, 4}, dtype = 'int8', activation = 'relu', unroll = '%s', quantization = "
  "{input_scale = 0.02, input_zero_point = -7, output_scale = 0.5, output_zero_point = 9, weight_scales = "
  "{0.01, 0.02, 0.03, 0.04, 0.05, 0.06}}}",
  "return {in_channels = 3, out_channels = 5, kernel_size = 40, stride = 20, padding = 10, input_shape = {1, 3, 3, 4}, "
  "dtype = 'int8', unroll = '%s', quantization = {input_scale = 0.05, input_zero_point = 3, output_scale = 0.3, "
  "output_zero_point = -2, weight_scales = 0.01}}",
  "return {in_channels = 19, out_channels = 11, kernel_size = 4, stride = 2, padding = 'same', output_size = {11, 9}, "
  "input_shape = {1, 19, 5, 4}, dtype = 'int8', unroll = '%s', quantization = {input_scale = 0.05, "
  "input_zero_point = -128, output_scale = 0.9, output_zero_point = 127, weight_scales = 0.02}}",
};
static const char *const UNROLLS[] = { "none", "taps", "full" };

/* check is bit-exact for int8, on every C backend; CUDA says it cannot. */
static void test_check_and_cuda(void **state) {
  (void)state;
  ctg_error err;
  for (int i = 0; i < 3; i++)
    for (int u = 0; u < 3; u++) {
      char src[1024];
      snprintf(src, sizeof src, CHECKED[i], UNROLLS[u]);
      ctg_spec *spec = tu_spec(src);
      for (int be = 0; be < (u == 1 ? 2 : 1); be++) { /* cc builds take seconds: one unroll */
        ctg_options o = { be ? CTG_BACKEND_CC : CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
        ctg_kernel *k;
        free(tu_use_cache("int8-check"));
        tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
        ctg_check_result r;
        tu_assert_ok(ctg_check(k, 3 + (uint64_t)u, &r, &err), &err);
        if (!r.passed) fail_msg("layer %d, unroll %s, %s: output %zu is %g, the interpreter's %g", i, UNROLLS[u],
                                be ? "cc" : "tcc", r.worst, r.got, r.want);
        ctg_kernel_free(k);
      }
      ctg_spec_free(spec);
    }
  ctg_spec *spec = tu_spec("return {in_channels = 9, out_channels = 6, kernel_size = {3, 4}, stride = {2, 3}, padding = 1, "
                           "dilation = {2, 1}, groups = 3, input_shape = {2, 9, 5, 4}, dtype = 'int8', activation = 'relu', "
                           "quantization = {input_scale = 0.02, input_zero_point = -7, output_scale = 0.5, "
                           "output_zero_point = 9, weight_scales = {0.01, 0.02, 0.03, 0.04, 0.05, 0.06}}}");
  for (int be = 0; be < 2; be++) {
    ctg_options o = { be ? CTG_BACKEND_CC : CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
    ctg_kernel *k;
    free(tu_use_cache("int8-check"));
    tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
    ctg_check_result r;
    tu_assert_ok(ctg_check(k, 3, &r, &err), &err);
    assert_true(r.passed);
    assert_true(r.tolerance == 0.0 && r.max_scaled_error == 0.0);
    ctg_kernel_free(k);
  }
  char *src = NULL, *hdr = NULL;
  ctg_gen_options go = { CTG_TARGET_CUDA, NULL, NULL, CTG_ISA_PORTABLE };
  assert_int_equal(ctg_generate(spec, &go, &src, &hdr, &err), CTG_ERR_UNAVAILABLE);
  assert_contains(err.message, "int8 layers run on the C backends");
  ctg_spec_free(spec);
}

/* The generated int8 C is warning-free C99 under GCC and Clang, weights at run time and baked. */
static void test_generated_code_is_warning_free(void **state) {
  (void)state;
  int clang_missing = 0;
  for (int i = 0; i < 3; i++)
    for (int u = 0; u < 3; u += 2) {
      char src[1024];
      snprintf(src, sizeof src, CHECKED[i], UNROLLS[u]);
      ctg_spec *spec = tu_spec(src);
      const ctg_params *p = ctg_spec_params(spec);
      size_t nw = ctg_params_numel(p, CTG_WEIGHT);
      int8_t *w = calloc(nw, 1);
      int32_t b[32] = { 0 };
      for (size_t j = 0; j < nw; j++) w[j] = (int8_t)(j * 37 % 255 - 127);
      for (int baked = 0; baked < 2; baked++) {
        ctg_gen_options go = { CTG_TARGET_C, baked ? w : NULL, baked && p->bias ? b : NULL, CTG_ISA_PORTABLE };
        char dir[512];
        snprintf(dir, sizeof dir, "%s/warn%d%d%d", tu_dir, i, u, baked);
        char cmd[2048];
        snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
        assert_int_equal(system(cmd), 0);
        ctg_error err;
        tu_assert_ok(ctg_generate_to_dir(spec, &go, dir, NULL, 0, &err), &err);
        for (int c = 0; c < 2; c++) {
          if (c && system("command -v clang >/dev/null") != 0) { /* said once, below: not a silent pass */
            clang_missing = 1;
            continue;
          }
          snprintf(cmd, sizeof cmd, "cd %s && %s -std=c99 -Wall -Wextra -Wpedantic "
                   "-Wshadow -Werror -O1 -c %s.c -o k.o", dir, c ? "clang" : "gcc", p->name);
          if (system(cmd) != 0) fail_msg("%s warns on layer %d, unroll %s%s: %s", c ? "clang" : "gcc", i, UNROLLS[u],
                                         baked ? ", baked" : "", cmd);
        }
      }
      free(w);
      ctg_spec_free(spec);
    }
  if (clang_missing) printf("  clang is not installed: GCC alone checked (make fuzz installs clang)\n");
}

/* The CLI's contract for int8: |i1 and <i4 files, one clear line and status 2 for a wrong dtype,
 * info shows each channel's multiplier and shift. */
static void test_cli(void **state) {
  (void)state;
  char *spec = tu_write(tu_dir, "i8.lua", "return {in_channels = 3, out_channels = 2, kernel_size = 3, stride = 2, "
                        "padding = 'same', input_shape = {1, 3, 4, 4}, dtype = 'int8', quantization = {input_scale = 0.1, "
                        "input_zero_point = 1, output_scale = 0.2, output_zero_point = -3, weight_scales = {0.01, 0.02}}}",
                        (size_t)-1);
  int8_t x[48], w[54];
  int32_t b[2] = { 100, -7000 };
  float bf[2] = { 0, 0 };
  for (int i = 0; i < 48; i++) x[i] = (int8_t)(i * 7 - 100);
  for (int i = 0; i < 54; i++) w[i] = (int8_t)(i * 13 % 200 - 100);
  ctg_error err;
  char *px = tu_path(tu_dir, "x.npy"), *pw = tu_path(tu_dir, "w.npy"), *pb = tu_path(tu_dir, "b.npy"),
       *pbf = tu_path(tu_dir, "bf.npy"), *py = tu_path(tu_dir, "y.npy"), *pyt = tu_path(tu_dir, "yt.npy");
  const int64_t sx[4] = { 1, 4, 4, 3 }, sw[4] = { 2, 3, 3, 3 }, sb[1] = { 2 };
  tu_assert_ok(ctg_npy_save(px, CTG_INT8, 4, sx, x, &err), &err);
  tu_assert_ok(ctg_npy_save(pw, CTG_INT8, 4, sw, w, &err), &err);
  tu_assert_ok(ctg_npy_save(pb, CTG_INT32, 1, sb, b, &err), &err);
  tu_assert_ok(ctg_npy_save(pbf, CTG_FLOAT32, 1, sb, bf, &err), &err);
  char out[4096], errs[1024];
  const char *run[] = { "convtgen", "run", spec, "--input", px, "--weight", pw, "--bias", pb, "--output", py, NULL };
  assert_int_equal(tu_cli(run, out, sizeof out, errs, sizeof errs), 0);
  const char *run_tcc[] = { "convtgen", "run", spec, "--input", px, "--weight", pw, "--bias", pb, "--output", pyt,
                            "--backend", "tcc", NULL };
  assert_int_equal(tu_cli(run_tcc, out, sizeof out, errs, sizeof errs), 0);
  ctg_tensor y, yt;
  tu_assert_ok(ctg_npy_load(py, &y, &err), &err);
  tu_assert_ok(ctg_npy_load(pyt, &yt, &err), &err);
  assert_int_equal(y.dtype, CTG_INT8);
  assert_int_equal(y.ndim, 4);
  assert_true(y.shape[1] == 8 && y.shape[2] == 8 && y.shape[3] == 2); /* NHWC */
  assert_memory_equal(y.data, yt.data, y.numel);
  ctg_tensor_free(&y), ctg_tensor_free(&yt);
  const char *bad[] = { "convtgen", "run", spec, "--input", px, "--weight", pw, "--bias", pbf, "--output", pyt, NULL };
  assert_int_equal(tu_cli(bad, out, sizeof out, errs, sizeof errs), 2);
  assert_contains(errs, "bias is float32 but an int8 layer's bias is int32");
  assert_int_equal(tu_lines(errs), 1);
  const char *info[] = { "convtgen", "info", spec, NULL };
  assert_int_equal(tu_cli(info, out, sizeof out, errs, sizeof errs), 0);
  assert_contains(out, "channel 1       weight scale 0.0199999996: multiplier 1374389504 (0.639999986), shift -6");
  assert_contains(out, "\"same\" (TFLite's, from the output size): top 0, left 0");
  free(spec), free(px), free(pw), free(pb), free(pbf), free(py), free(pyt);
}

int main(void) {
  if (getenv("CTG_TEST_FILTER")) cmocka_set_test_filter(getenv("CTG_TEST_FILTER"));
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_spec_rules),
    cmocka_unit_test(test_multipliers),
    cmocka_unit_test(test_requantize_by_hand),
    cmocka_unit_test(test_same_padding_is_tflite_s),
    cmocka_unit_test(test_c_api_layer),
    cmocka_unit_test(test_check_and_cuda),
    cmocka_unit_test(test_generated_code_is_warning_free),
    cmocka_unit_test(test_cli),
    cmocka_unit_test(test_generated_requantization_at_the_edges),
    cmocka_unit_test(test_tflite_micro_decides_every_output),
  };
  return cmocka_run_group_tests_name("int8", tests, tu_setup_dir, tu_teardown_dir);
}
