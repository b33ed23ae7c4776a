/* test_reference.c: the interpreter (runtime/core/reference.c) against PyTorch's own numbers,
 * hand-computed cases, and an independent scatter-form ConvTranspose2d. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

/* Runs the interpreter and compares every output with want, within tol. */
static void expect_output(const char *source, const float *x, const float *w, const float *b,
                          const float *want, size_t n_want, double tol) {
  ctg_spec *spec = tu_spec(source);
  const ctg_params *p = ctg_spec_params(spec);
  assert_int_equal(ctg_params_numel(p, CTG_OUTPUT), n_want);
  float *y = malloc(n_want * sizeof *y);
  ctg_error err;
  assert_int_equal(ctg_reference(p, x, w, b, y, &err), CTG_OK);
  for (size_t i = 0; i < n_want; i++) {
    if (fabs(y[i] - want[i]) > tol) fprintf(stderr, "output[%zu] = %.6f, expected %.6f\n", i, y[i], want[i]);
    assert_true(fabs(y[i] - want[i]) <= tol);
  }
  free(y);
  ctg_spec_free(spec);
}

/* ConvTranspose2d(1, 3, kernel_size=1) from PyTorch's documentation, printed to 4 decimals. */
static const float DOC_X[] = { 8, -3, 0, 1, 5, -2 };
static const float DOC_W[] = { 0.4414f, 0.4792f, -0.1353f };
static const float DOC_B[] = { 0.5304f, -0.1265f, 0.1165f };
static const float DOC_Y[] = { 4.0616f, -0.7939f, 0.5304f, 0.9718f, 2.7374f, -0.3525f,
                               3.7071f, -1.5641f, -0.1265f, 0.3527f, 2.2695f, -1.0849f,
                               -0.9656f, 0.5223f, 0.1165f, -0.0188f, -0.5598f, 0.3870f };

static void test_pytorch_documentation_example(void **state) {
  (void)state;
  /* the same six values as a (1, 1, 6), a (1, 2, 3) and a (1, 6, 1) unbatched input */
  const char *shapes[] = { "{1, 1, 6}", "{1, 2, 3}", "{1, 6, 1}" };
  for (int i = 0; i < 3; i++) {
    char src[256];
    snprintf(src, sizeof src, "return {in_channels = 1, out_channels = 3, kernel_size = 1, input_shape = %s}",
             shapes[i]);
    expect_output(src, DOC_X, DOC_W, DOC_B, DOC_Y, 18, 5e-4);
  }
  /* and batched, as (1, 1, 1, 6) */
  expect_output("return {in_channels = 1, out_channels = 3, kernel_size = 1, input_shape = {1, 1, 1, 6}}",
                DOC_X, DOC_W, DOC_B, DOC_Y, 18, 5e-4);
}

/* The same example channels_last: the unbatched input (1, 1, 6) is (1, 6, 1) as (H, W, C), the
 * same bytes; the output (3, 1, 6) becomes (1, 6, 3), PyTorch's numbers transposed. */
static void test_pytorch_documentation_example_channels_last(void **state) {
  (void)state;
  float want[18];
  for (int c = 0; c < 3; c++)
    for (int w = 0; w < 6; w++) want[w * 3 + c] = DOC_Y[c * 6 + w];
  expect_output("return {in_channels = 1, out_channels = 3, kernel_size = 1, input_shape = {1, 1, 6}, "
                "memory_format = 'channels_last'}", DOC_X, DOC_W, DOC_B, want, 18, 5e-4);
}

/* channels_last is the contiguous layer with input and output transposed, value for value: the
 * interpreter on random layers (groups, strides, dilation, padding, batch) both ways. */
static void test_channels_last_is_a_transpose(void **state) {
  (void)state;
  const char *layers[] = {
    "in_channels = 6, out_channels = 4, groups = 2, kernel_size = {3, 5}, stride = {2, 1}, padding = {1, 2}, "
    "dilation = {1, 2}, output_padding = {1, 0}, input_shape = {2, 6, 5, 7}",
    "in_channels = 3, out_channels = 5, kernel_size = 4, stride = 3, padding = 1, output_padding = 2, "
    "bias = false, input_shape = {3, 4, 6}",
    "in_channels = 4, out_channels = 4, groups = 4, kernel_size = 3, stride = 2, input_shape = {1, 4, 1, 9}",
  };
  for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
    char a[512], b[600];
    snprintf(a, sizeof a, "return {%s}", layers[i]);
    snprintf(b, sizeof b, "return {%s, memory_format = 'channels_last'}", layers[i]);
    ctg_spec *sa = tu_spec(a), *sb = tu_spec(b);
    const ctg_params *pa = ctg_spec_params(sa), *pb = ctg_spec_params(sb);
    assert_false(ctg_params_channels_last(pa));
    assert_true(ctg_params_channels_last(pb));
    const size_t nx = ctg_params_numel(pa, CTG_INPUT), ny = ctg_params_numel(pa, CTG_OUTPUT),
                 nw = ctg_params_numel(pa, CTG_WEIGHT);
    assert_int_equal(ctg_params_numel(pb, CTG_INPUT), nx);
    float *x = malloc(nx * sizeof *x), *xt = malloc(nx * sizeof *x), *w = malloc(nw * sizeof *w),
          *bias = malloc((size_t)pa->out_channels * sizeof *bias), *y = malloc(ny * sizeof *y),
          *yt = malloc(ny * sizeof *y);
    uint64_t seed = 11 + i;
    for (size_t e = 0; e < nx; e++) x[e] = tu_rand(&seed);
    for (size_t e = 0; e < nw; e++) w[e] = tu_rand(&seed);
    for (int e = 0; e < pa->out_channels; e++) bias[e] = tu_rand(&seed);
    const long C = pa->in_channels, H = pa->in_h, W = pa->in_w, CO = pa->out_channels, OH = pa->out_h,
               OW = pa->out_w;
    for (long n = 0; n < pa->batch; n++)
      for (long c = 0; c < C; c++)
        for (long h = 0; h < H; h++)
          for (long q = 0; q < W; q++) xt[((n * H + h) * W + q) * C + c] = x[((n * C + c) * H + h) * W + q];
    ctg_error err;
    assert_int_equal(ctg_reference(pa, x, w, bias, y, &err), CTG_OK);
    assert_int_equal(ctg_reference(pb, xt, w, bias, yt, &err), CTG_OK);
    for (long n = 0; n < pa->batch; n++)
      for (long c = 0; c < CO; c++)
        for (long h = 0; h < OH; h++)
          for (long q = 0; q < OW; q++)
            assert_true(yt[((n * OH + h) * OW + q) * CO + c] == y[((n * CO + c) * OH + h) * OW + q]);
    /* and the shapes as they lie in memory */
    int64_t shape[4];
    assert_int_equal(ctg_params_shape(pb, CTG_OUTPUT, shape), pa->batched ? 4 : 3);
    assert_int_equal(shape[pa->batched ? 3 : 2], CO);
    assert_int_equal(shape[pa->batched ? 1 : 0], OH);
    free(x), free(xt), free(w), free(bias), free(y), free(yt);
    ctg_spec_free(sa);
    ctg_spec_free(sb);
  }
}

/* The notebook's all-ones 3x3 input and all-ones kernels, bias off. */
static void all_ones(int k, int s, int p, int op, const float *want, int out) {
  char src[256];
  snprintf(src, sizeof src, "return {in_channels = 1, out_channels = 1, kernel_size = %d, stride = %d, "
           "padding = %d, output_padding = %d, bias = false, input_shape = {1, 1, 3, 3}}", k, s, p, op);
  float x[9], w[16];
  for (int i = 0; i < 9; i++) x[i] = 1;
  for (int i = 0; i < 16; i++) w[i] = 1;
  expect_output(src, x, w, NULL, want, (size_t)(out * out), 0);
}

static void test_all_ones_examples(void **state) {
  (void)state;
  static const float k3s1[] = { 1, 2, 3, 2, 1, 2, 4, 6, 4, 2, 3, 6, 9, 6, 3, 2, 4, 6, 4, 2, 1, 2, 3, 2, 1 };
  static const float k3s2[] = { 1, 1, 2, 1, 2, 1, 1, 1, 1, 2, 1, 2, 1, 1, 2, 2, 4, 2, 4, 2, 2, 1, 1, 2, 1,
                                2, 1, 1, 2, 2, 4, 2, 4, 2, 2, 1, 1, 2, 1, 2, 1, 1, 1, 1, 2, 1, 2, 1, 1 };
  static const float k3s2p1[] = { 1, 2, 1, 2, 1, 2, 4, 2, 4, 2, 1, 2, 1, 2, 1, 2, 4, 2, 4, 2, 1, 2, 1, 2, 1 };
  static const float k3s2op1[] = { 1, 1, 2, 1, 2, 1, 1, 0, 1, 1, 2, 1, 2, 1, 1, 0, 2, 2, 4, 2, 4, 2, 2, 0,
                                   1, 1, 2, 1, 2, 1, 1, 0, 2, 2, 4, 2, 4, 2, 2, 0, 1, 1, 2, 1, 2, 1, 1, 0,
                                   1, 1, 2, 1, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  static const float k3s2p1op1[] = { 1, 2, 1, 2, 1, 1, 2, 4, 2, 4, 2, 2, 1, 2, 1, 2, 1, 1,
                                     2, 4, 2, 4, 2, 2, 1, 2, 1, 2, 1, 1, 1, 2, 1, 2, 1, 1 };
  static const float k4s2p1[] = { 1, 2, 2, 2, 2, 1, 2, 4, 4, 4, 4, 2, 2, 4, 4, 4, 4, 2,
                                  2, 4, 4, 4, 4, 2, 2, 4, 4, 4, 4, 2, 1, 2, 2, 2, 2, 1 };
  all_ones(3, 1, 0, 0, k3s1, 5);
  all_ones(3, 2, 0, 0, k3s2, 7);
  all_ones(3, 2, 1, 0, k3s2p1, 5);
  all_ones(3, 2, 0, 1, k3s2op1, 8);
  all_ones(3, 2, 1, 1, k3s2p1op1, 6);
  all_ones(4, 2, 1, 0, k4s2p1, 6);
}

static void test_hand_computed_cases(void **state) {
  (void)state;
  /* groups = 2, k = 1: each output channel sees only its own input channel */
  const float gx[] = { 1, 2, 10, 20 }, gw[] = { 3, 5 }, gb[] = { 0.5f, -1 };
  const float gy[] = { 3.5f, 6.5f, 49, 99 };
  expect_output("return {in_channels = 2, out_channels = 2, groups = 2, kernel_size = 1, "
                "input_shape = {2, 1, 2}}", gx, gw, gb, gy, 4, 0);
  /* groups = 2 with two outputs per group: weight (Cin=2, Cout/g=2, 1, 1) */
  const float g2w[] = { 1, 2, 3, 4 };
  const float g2y[] = { 1, 2, 2, 4, 30, 60, 40, 80 };
  expect_output("return {in_channels = 2, out_channels = 4, groups = 2, kernel_size = 1, bias = false, "
                "input_shape = {2, 1, 2}}", gx, g2w, NULL, g2y, 8, 0);
  /* dilation 2 along W: out[ow] gathers x[iw] * w[kw] with ow = iw + 2*kw */
  const float dx[] = { 1, 2 }, dw[] = { 3, 5 }, dy[] = { 3, 6, 5, 10 };
  expect_output("return {in_channels = 1, out_channels = 1, kernel_size = {1, 2}, dilation = {1, 2}, "
                "bias = false, input_shape = {1, 1, 2}}", dx, dw, NULL, dy, 4, 0);
  /* padding % stride != 0: k3 s2 p1 along W; full output [1,10,102,20,203,30,300] cropped by 1 */
  const float px[] = { 1, 2, 3 }, pw[] = { 1, 10, 100 }, py[] = { 10, 102, 20, 203, 30 };
  expect_output("return {in_channels = 1, out_channels = 1, kernel_size = {1, 3}, stride = {1, 2}, "
                "padding = {0, 1}, bias = false, input_shape = {1, 1, 3}}", px, pw, NULL, py, 5, 0);
  /* stride > kernel: phases no tap reaches hold the bias alone */
  const float sx[] = { 1, 2 }, sw[] = { 2 }, sb[] = { 0.5f }, sy[] = { 2.5f, 0.5f, 0.5f, 4.5f };
  expect_output("return {in_channels = 1, out_channels = 1, kernel_size = 1, stride = {1, 3}, "
                "input_shape = {1, 1, 2}}", sx, sw, sb, sy, 4, 0);
  /* output_padding adds a row and column that only the bias reaches */
  const float ox[] = { 1 }, ow[] = { 2 }, ob[] = { 1 }, oy[] = { 3, 1, 1, 1 };
  expect_output("return {in_channels = 1, out_channels = 1, kernel_size = 1, stride = 2, output_padding = 1, "
                "input_shape = {1, 1, 1}}", ox, ow, ob, oy, 4, 0);
}

/* An independent ConvTranspose2d in scatter form: every input times every tap, added where it lands. */
static void scatter(const ctg_params *p, const float *x, const float *w, const float *b, double *y) {
  int cin_g = p->in_channels / p->groups, cout_g = p->out_channels / p->groups;
  size_t plane = (size_t)p->out_h * p->out_w;
  for (int n = 0; n < p->batch; n++)
    for (int co = 0; co < p->out_channels; co++)
      for (size_t i = 0; i < plane; i++) y[((size_t)n * p->out_channels + co) * plane + i] = p->bias ? b[co] : 0;
  for (int n = 0; n < p->batch; n++)
    for (int ci = 0; ci < p->in_channels; ci++)
      for (int ih = 0; ih < p->in_h; ih++)
        for (int iw = 0; iw < p->in_w; iw++)
          for (int j = 0; j < cout_g; j++)
            for (int kh = 0; kh < p->kernel[0]; kh++)
              for (int kw = 0; kw < p->kernel[1]; kw++) {
                int oh = ih * p->stride[0] - p->padding[0] + kh * p->dilation[0];
                int ow = iw * p->stride[1] - p->padding[1] + kw * p->dilation[1];
                if (oh < 0 || oh >= p->out_h || ow < 0 || ow >= p->out_w) continue;
                int co = ci / cin_g * cout_g + j;
                y[(((size_t)n * p->out_channels + co) * p->out_h + oh) * p->out_w + ow] +=
                    (double)x[(((size_t)n * p->in_channels + ci) * p->in_h + ih) * p->in_w + iw] *
                    w[(((size_t)ci * cout_g + j) * p->kernel[0] + kh) * p->kernel[1] + kw];
              }
}

static int pick(uint64_t *rng, int lo, int hi) {
  float r = (tu_rand(rng) + 1.0f) / 2.0f;
  int v = lo + (int)(r * (float)(hi - lo + 1));
  return v > hi ? hi : v;
}

static void test_matches_scatter_form_on_random_layers(void **state) {
  (void)state;
  uint64_t rng = 12345;
  int checked = 0;
  while (checked < 300) {
    int g = pick(&rng, 1, 3), kh = pick(&rng, 1, 5), kw = pick(&rng, 1, 5), sh = pick(&rng, 1, 4),
        sw = pick(&rng, 1, 4), dh = pick(&rng, 1, 3), dw = pick(&rng, 1, 3);
    int ph = pick(&rng, 0, dh * (kh - 1)), pw = pick(&rng, 0, dw * (kw - 1));
    int oph = pick(&rng, 0, (sh > dh ? sh : dh) - 1), opw = pick(&rng, 0, (sw > dw ? sw : dw) - 1);
    int cin = g * pick(&rng, 1, 3), cout = g * pick(&rng, 1, 3), h = pick(&rng, 1, 6), w = pick(&rng, 1, 6);
    int batch = pick(&rng, 0, 2), bias = pick(&rng, 0, 1);
    char shape[64], full[600];
    if (batch == 0) /* the batch-0 draw stands for "unbatched"; test_empty_batch covers N = 0 */
      snprintf(shape, sizeof shape, "{%d, %d, %d}", cin, h, w);
    else
      snprintf(shape, sizeof shape, "{%d, %d, %d, %d}", batch, cin, h, w);
    snprintf(full, sizeof full, "return {in_channels = %d, out_channels = %d, groups = %d, "
             "kernel_size = {%d, %d}, stride = {%d, %d}, padding = {%d, %d}, output_padding = {%d, %d}, "
             "dilation = {%d, %d}, bias = %s, input_shape = %s}", cin, cout, g, kh, kw, sh, sw, ph, pw,
             oph, opw, dh, dw, bias ? "true" : "false", shape);
    ctg_spec *spec;
    ctg_error err;
    if (ctg_spec_from_string(full, "t.lua", &spec, &err) != CTG_OK) continue; /* e.g. output size <= 0 */
    const ctg_params *p = ctg_spec_params(spec);
    size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
           nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
    float *x = malloc((nx + 1) * 4), *wt = malloc((nw + 1) * 4), *b = malloc((nb + 1) * 4),
          *y = malloc((ny + 1) * 4);
    double *want = malloc((ny + 1) * sizeof *want);
    for (size_t i = 0; i < nx; i++) x[i] = tu_rand(&rng);
    for (size_t i = 0; i < nw; i++) wt[i] = tu_rand(&rng);
    for (size_t i = 0; i < nb; i++) b[i] = tu_rand(&rng);
    for (size_t i = 0; i < ny; i++) y[i] = NAN; /* every output must be written */
    assert_int_equal(ctg_reference(p, x, wt, b, y, &err), CTG_OK);
    scatter(p, x, wt, b, want);
    for (size_t i = 0; i < ny; i++) {
      if (!(fabs(y[i] - want[i]) <= 1e-5)) fprintf(stderr, "%s: output[%zu] = %g, scatter %g\n", full, i, y[i], want[i]);
      assert_true(fabs(y[i] - want[i]) <= 1e-5);
    }
    free(x), free(wt), free(b), free(y), free(want);
    ctg_spec_free(spec);
    checked++;
  }
}

/* Asymmetric padding {top, left, bottom, right} (ONNX's pads; PyTorch has no such layer) is
 * the unpadded layer's output cropped by those amounts: exactly, since every kept output sums
 * the same taps in the same order. */
static void test_asymmetric_padding_is_a_crop(void **state) {
  (void)state;
  uint64_t rng = 777;
  int checked = 0;
  while (checked < 150) {
    int g = pick(&rng, 1, 2), kh = pick(&rng, 1, 5), kw = pick(&rng, 1, 5), sh = pick(&rng, 1, 3),
        sw = pick(&rng, 1, 3), dh = pick(&rng, 1, 2), dw = pick(&rng, 1, 2);
    int pad[4] = { pick(&rng, 0, dh * (kh - 1)), pick(&rng, 0, dw * (kw - 1)), pick(&rng, 0, dh * (kh - 1)),
                   pick(&rng, 0, dw * (kw - 1)) };
    int oph = pick(&rng, 0, (sh > dh ? sh : dh) - 1), opw = pick(&rng, 0, (sw > dw ? sw : dw) - 1);
    int cin = g * pick(&rng, 1, 2), cout = g * pick(&rng, 1, 3), h = pick(&rng, 1, 6), w = pick(&rng, 1, 6);
    char base[400], asym[600], plain[600];
    snprintf(base, sizeof base, "in_channels = %d, out_channels = %d, groups = %d, kernel_size = {%d, %d}, "
             "stride = {%d, %d}, output_padding = {%d, %d}, dilation = {%d, %d}, input_shape = {2, %d, %d, %d}",
             cin, cout, g, kh, kw, sh, sw, oph, opw, dh, dw, cin, h, w);
    snprintf(asym, sizeof asym, "return {%s, padding = {%d, %d, %d, %d}}", base, pad[0], pad[1], pad[2], pad[3]);
    snprintf(plain, sizeof plain, "return {%s}", base);
    ctg_spec *sa, *s0;
    ctg_error err;
    if (ctg_spec_from_string(asym, "t.lua", &sa, &err) != CTG_OK) {
      assert_int_equal(err.status, CTG_ERR_SPEC); /* cropped to nothing */
      continue;
    }
    s0 = tu_spec(plain);
    const ctg_params *pa = ctg_spec_params(sa), *p0 = ctg_spec_params(s0);
    assert_int_equal(pa->out_h, p0->out_h - pad[0] - pad[2]);
    assert_int_equal(pa->out_w, p0->out_w - pad[1] - pad[3]);
    size_t nx = ctg_params_numel(p0, CTG_INPUT), nw = ctg_params_numel(p0, CTG_WEIGHT),
           nb = ctg_params_numel(p0, CTG_BIAS), n0 = ctg_params_numel(p0, CTG_OUTPUT), na = ctg_params_numel(pa, CTG_OUTPUT);
    float *x = malloc(nx * 4), *wt = malloc(nw * 4), *b = malloc(nb * 4), *y0 = malloc(n0 * 4), *ya = malloc(na * 4);
    for (size_t i = 0; i < nx; i++) x[i] = tu_rand(&rng);
    for (size_t i = 0; i < nw; i++) wt[i] = tu_rand(&rng);
    for (size_t i = 0; i < nb; i++) b[i] = tu_rand(&rng);
    tu_assert_ok(ctg_reference(p0, x, wt, b, y0, &err), &err);
    tu_assert_ok(ctg_reference(pa, x, wt, b, ya, &err), &err);
    for (int n = 0; n < 2; n++)
      for (int co = 0; co < cout; co++)
        for (int i = 0; i < pa->out_h; i++)
          for (int j = 0; j < pa->out_w; j++) {
            float got = ya[(((size_t)n * cout + co) * pa->out_h + i) * pa->out_w + j];
            float want = y0[(((size_t)n * cout + co) * p0->out_h + i + pad[0]) * p0->out_w + j + pad[1]];
            if (got != want) fprintf(stderr, "%s: (%d, %d, %d, %d) = %g, cropped %g\n", asym, n, co, i, j, got, want);
            assert_true(got == want);
          }
    free(x), free(wt), free(b), free(y0), free(ya);
    ctg_spec_free(sa), ctg_spec_free(s0);
    checked++;
  }
}

/* Element i of a float32 (dbl 0) or float64 array, read and written as a double. */
static double real_at(const void *a, size_t i, int dbl) { return dbl ? ((const double *)a)[i] : ((const float *)a)[i]; }

static void set_real(void *a, size_t i, double v, int dbl) {
  if (dbl) ((double *)a)[i] = v;
  else ((float *)a)[i] = (float)v;
}

/* ctg_fold_batchnorm: the folded layer computes BatchNorm(layer(x)), for float32 and float64,
 * grouped or not, with and without the layer's own bias; float16 and bfloat16 round each folded
 * value once. */
static void test_batchnorm_folds_into_the_layer(void **state) {
  (void)state;
  uint64_t rng = 4242;
  for (int i = 0; i < 40; i++) {
    int dbl = i % 2, bias = i % 3 != 0, g = 1 + i % 3;
    int cin = g * pick(&rng, 1, 3), cout = g * pick(&rng, 1, 4), k = pick(&rng, 1, 4), s = pick(&rng, 1, 3);
    char src[400], folded_src[400];
    const char *fmt = "return {in_channels = %d, out_channels = %d, groups = %d, kernel_size = %d, stride = %d, "
                      "bias = %s, dtype = '%s', input_shape = {2, %d, 4, 5}}";
    snprintf(src, sizeof src, fmt, cin, cout, g, k, s, bias ? "true" : "false", dbl ? "float64" : "float32", cin);
    snprintf(folded_src, sizeof folded_src, fmt, cin, cout, g, k, s, "true", dbl ? "float64" : "float32", cin);
    ctg_spec *spec = tu_spec(src), *folded = tu_spec(folded_src);
    const ctg_params *p = ctg_spec_params(spec), *pf = ctg_spec_params(folded);
    size_t es = dbl ? 8 : 4, nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
           ny = ctg_params_numel(p, CTG_OUTPUT), plane = (size_t)p->out_h * p->out_w;
    unsigned char *x = malloc(nx * es), *w = malloc(nw * es), *b = malloc((size_t)cout * es), *bn[4],
                  *wf = malloc(nw * es), *bf = malloc((size_t)cout * es), *y = malloc(ny * es), *yf = malloc(ny * es);
    for (int a = 0; a < 4; a++) bn[a] = malloc((size_t)cout * es);
    /* gamma, beta, mean, var */
    const double lo[4] = { 0.5, -1, -1, 0.1 }, hi[4] = { 1.5, 1, 1, 2 };
    for (size_t e = 0; e < nx; e++) set_real(x, e, tu_rand(&rng), dbl);
    for (size_t e = 0; e < nw; e++) set_real(w, e, tu_rand(&rng), dbl);
    for (size_t c = 0; c < (size_t)cout; c++) {
      set_real(b, c, tu_rand(&rng), dbl);
      for (int a = 0; a < 4; a++) set_real(bn[a], c, lo[a] + (hi[a] - lo[a]) * (tu_rand(&rng) + 1) / 2, dbl);
    }
    ctg_error err;
    const double eps = 1e-5;
    tu_assert_ok(ctg_fold_batchnorm(p, w, bias ? b : NULL, bn[0], bn[1], bn[2], bn[3], eps, wf, bf, &err), &err);
    tu_assert_ok(ctg_reference(p, x, w, b, y, &err), &err);
    tu_assert_ok(ctg_reference(pf, x, wf, bf, yf, &err), &err);
    for (size_t e = 0; e < ny; e++) {
      size_t co = e / plane % (size_t)cout;
      double want = (real_at(y, e, dbl) - real_at(bn[2], co, dbl)) / sqrt(real_at(bn[3], co, dbl) + eps) *
                    real_at(bn[0], co, dbl) + real_at(bn[1], co, dbl);
      double got = real_at(yf, e, dbl);
      if (!(fabs(got - want) <= (dbl ? 1e-12 : 2e-5) * (1 + fabs(want))))
        fprintf(stderr, "%s: output[%zu] = %.9g, BatchNorm of the layer %.9g\n", src, e, got, want);
      assert_true(fabs(got - want) <= (dbl ? 1e-12 : 2e-5) * (1 + fabs(want)));
    }
    /* in place gives the same */
    tu_assert_ok(ctg_fold_batchnorm(p, w, bias ? b : NULL, bn[0], bn[1], bn[2], bn[3], eps, w, b, &err), &err);
    assert_memory_equal(w, wf, nw * es);
    assert_memory_equal(b, bf, (size_t)cout * es);
    free(x), free(w), free(b), free(wf), free(bf), free(y), free(yf);
    for (int a = 0; a < 4; a++) free(bn[a]);
    ctg_spec_free(spec), ctg_spec_free(folded);
  }
  /* float16 and bfloat16: each folded value computed in double and rounded once */
  const char *halves[2] = { "float16", "bfloat16" };
  for (int h = 0; h < 2; h++) {
    char src[300];
    snprintf(src, sizeof src, "return {in_channels = 2, out_channels = 3, kernel_size = 2, dtype = '%s', "
             "input_shape = {1, 2, 3, 3}}", halves[h]);
    ctg_spec *spec = tu_spec(src);
    const ctg_params *p = ctg_spec_params(spec);
    const ctg_dtype d = ctg_params_dtype(p);
    uint16_t w[24], b[3], bn[4][3], wf[24], bf[3];
    for (int i = 0; i < 24; i++) w[i] = ctg__half_round(0.1 * (i - 11), d);
    for (int c = 0; c < 3; c++) {
      b[c] = ctg__half_round(0.25 * c - 0.3, d);
      for (int a = 0; a < 4; a++) bn[a][c] = ctg__half_round(0.3 + 0.2 * a + 0.1 * c, d);
    }
    ctg_error err;
    tu_assert_ok(ctg_fold_batchnorm(p, w, b, bn[0], bn[1], bn[2], bn[3], 1e-3, wf, bf, &err), &err);
    for (int i = 0; i < 24; i++) {
      const int co = i / 4 % 3;
      const double scale = ctg__half_widen(bn[0][co], d) / sqrt(ctg__half_widen(bn[3][co], d) + 1e-3);
      assert_int_equal(wf[i], ctg__half_round(ctg__half_widen(w[i], d) * scale, d));
    }
    for (int c = 0; c < 3; c++) {
      const double scale = ctg__half_widen(bn[0][c], d) / sqrt(ctg__half_widen(bn[3][c], d) + 1e-3);
      assert_int_equal(bf[c], ctg__half_round((ctg__half_widen(b[c], d) - ctg__half_widen(bn[2][c], d)) * scale +
                                              ctg__half_widen(bn[1][c], d), d));
    }
    ctg_spec_free(spec);
  }
  /* what it refuses */
  ctg_spec *cplx = tu_spec("return {in_channels = 2, out_channels = 2, kernel_size = 2, dtype = 'complex64', "
                           "input_shape = {1, 2, 3, 3}}");
  float buf[64] = { 0 }, ones[2] = { 1, 1 }, neg[2] = { 1, -1 };
  ctg_error err;
  assert_int_equal(ctg_fold_batchnorm(ctg_spec_params(cplx), buf, buf, ones, ones, ones, ones, 1e-5, buf, buf, &err),
                   CTG_ERR_ARG);
  assert_contains(err.message, "complex64");
  ctg_spec *real = tu_spec("return {in_channels = 2, out_channels = 2, kernel_size = 2, input_shape = {1, 2, 3, 3}}");
  assert_int_equal(ctg_fold_batchnorm(ctg_spec_params(real), buf, buf, ones, ones, ones, neg, 0.5, buf, buf, &err),
                   CTG_ERR_ARG);
  assert_contains(err.message, "var[1] + eps is -0.5; it must be positive");
  assert_int_equal(ctg_fold_batchnorm(ctg_spec_params(real), buf, NULL, ones, ones, ones, ones, 1e-5, buf, buf, &err),
                   CTG_ERR_ARG);
  ctg_spec_free(cplx), ctg_spec_free(real);
}

static void test_empty_batch(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {in_channels = 2, out_channels = 3, kernel_size = 3, input_shape = {0, 2, 4, 4}}");
  ctg_error err;
  assert_int_equal(ctg_reference(ctg_spec_params(spec), NULL, NULL, NULL, NULL, &err), CTG_OK);
  ctg_spec_free(spec);
}

static void test_rejects_invalid_params(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {in_channels = 2, out_channels = 3, kernel_size = 3, input_shape = {1, 2, 4, 4}}");
  ctg_params p = *ctg_spec_params(spec);
  float x[32] = { 0 }, w[54] = { 0 }, b[3] = { 0 }, y[108];
  ctg_error err;
  assert_int_equal(ctg_reference(NULL, x, w, b, y, &err), CTG_ERR_ARG);
  assert_int_equal(ctg_reference(&p, x, w, NULL, y, &err), CTG_ERR_ARG); /* bias = true needs a bias */
  assert_contains(err.message, "NULL tensor");
  p.out_h = 7; /* inconsistent with the other fields */
  assert_int_equal(ctg_reference(&p, x, w, b, y, &err), CTG_ERR_ARG);
  assert_contains(err.message, "do not describe a valid layer");
  p = *ctg_spec_params(spec);
  p.groups = 4;
  assert_int_equal(ctg_reference(&p, x, w, b, y, &err), CTG_ERR_ARG);
  ctg_spec_free(spec);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_pytorch_documentation_example),
    cmocka_unit_test(test_pytorch_documentation_example_channels_last),
    cmocka_unit_test(test_channels_last_is_a_transpose),
    cmocka_unit_test(test_all_ones_examples),
    cmocka_unit_test(test_hand_computed_cases),
    cmocka_unit_test(test_matches_scatter_form_on_random_layers),
    cmocka_unit_test(test_asymmetric_padding_is_a_crop),
    cmocka_unit_test(test_batchnorm_folds_into_the_layer),
    cmocka_unit_test(test_empty_batch),
    cmocka_unit_test(test_rejects_invalid_params),
  };
  return cmocka_run_group_tests_name("reference", tests, NULL, NULL);
}
