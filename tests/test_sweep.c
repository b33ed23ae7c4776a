/* test_sweep.c: the differential sweep: hundreds of generated layers through the tcc backend,
 * each checked against the interpreter on random data (ctg_check). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sweep_configs.h"
#include "testutil.h"

/* What the sweep covered, to assert it covered what the issue asks. */
typedef struct coverage {
  int total, asym_kernel, asym_stride, stride_gt_kernel, pad_not_multiple, op_max, gcd_gt1,
      depthwise, grouped, no_bias, unbatched, batch3, input_1x1, h_ne_w, output_size, bias_only_phase, asym_padding,
      channels_last,
      act[SWEEP_ACTIVATION_COUNT];
} coverage;

static int gcd(int a, int b) { return b ? gcd(b, a % b) : a; }

/* Compiles and checks one config; returns 0 when PyTorch would reject it (skipped), 1 when checked. */
static int run_config(const config *c, uint64_t seed, coverage *cov) {
  char src[512];
  sweep_spec_text(c, src, sizeof src);
  ctg_spec *spec;
  ctg_error err;
  if (ctg_spec_from_string(src, "sweep", &spec, &err) != CTG_OK) {
    assert_int_equal(err.status, CTG_ERR_SPEC); /* e.g. a non-positive output size */
    return 0;
  }
  ctg_kernel *k;
  ctg_options opt = { CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
  int st = ctg_compile(spec, &opt, &k, &err);
  if (st != CTG_OK) fprintf(stderr, "%s\n  %s\n", src, err.message);
  assert_int_equal(st, CTG_OK);
  ctg_check_result r;
  assert_int_equal(ctg_check(k, seed, &r, &err), CTG_OK);
  if (!r.passed)
    fprintf(stderr, "FAIL %s\n  scaled error %g > %g at %zu: %g vs %g\n", src, r.max_scaled_error, r.tolerance,
            r.worst, (double)r.got, (double)r.want);
  assert_true(r.passed);

  const ctg_params *p = ctg_spec_params(spec);
  cov->total++;
  cov->asym_kernel += p->kernel[0] != p->kernel[1];
  cov->asym_padding += p->padding[0] != p->padding_end[0] || p->padding[1] != p->padding_end[1];
  cov->asym_stride += p->stride[0] != p->stride[1];
  cov->stride_gt_kernel += p->stride[0] > p->dilation[0] * (p->kernel[0] - 1) + 1 ||
                           p->stride[1] > p->dilation[1] * (p->kernel[1] - 1) + 1;
  cov->pad_not_multiple += p->padding[0] % p->stride[0] != 0 || p->padding[1] % p->stride[1] != 0;
  cov->op_max += p->output_padding[0] == (p->stride[0] > p->dilation[0] ? p->stride[0] : p->dilation[0]) - 1 &&
                 p->output_padding[0] > 0;
  cov->gcd_gt1 += gcd(p->dilation[0], p->stride[0]) > 1 || gcd(p->dilation[1], p->stride[1]) > 1;
  cov->depthwise += p->groups == p->in_channels && p->groups > 1;
  cov->grouped += p->groups > 1 && p->groups != p->in_channels;
  cov->no_bias += !p->bias;
  cov->unbatched += !p->batched;
  cov->batch3 += p->batch == 3;
  cov->input_1x1 += p->in_h == 1 && p->in_w == 1;
  cov->h_ne_w += p->in_h != p->in_w;
  cov->output_size += c->use_output_size;
  cov->channels_last += ctg_params_channels_last(p);
  cov->act[c->act]++;
  /* a phase no tap reaches: stride beyond the dilated kernel, or gcd(d, s) > 1 */
  cov->bias_only_phase += p->stride[0] > 1 && gcd(p->dilation[0], p->stride[0]) > 1;
  ctg_kernel_free(k);
  ctg_spec_free(spec);
  return 1;
}

static void test_random_sweep(void **state) {
  (void)state;
  coverage cov = { 0 };
  clock_t t0 = clock();
  int i = 0;
  while (cov.total < 520) {
    config c;
    sweep_random_config(&c, i++);
    run_config(&c, (uint64_t)i, &cov);
  }
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  printf("sweep: %d layers checked through tcc in %.1f s (asymmetric kernel %d, asymmetric stride %d, "
         "stride > kernel %d, padding %% stride != 0 %d, max output_padding %d, gcd(d, s) > 1 %d, "
         "depthwise %d, grouped %d, no bias %d, unbatched %d, batch 3 %d, 1x1 input %d, H != W %d, "
         "output_size %d, asymmetric padding %d, channels_last %d, activations relu %d leaky_relu %d tanh %d "
         "sigmoid %d clamp %d)\n",
         cov.total, secs, cov.asym_kernel, cov.asym_stride,
         cov.stride_gt_kernel, cov.pad_not_multiple, cov.op_max, cov.gcd_gt1, cov.depthwise, cov.grouped,
         cov.no_bias, cov.unbatched, cov.batch3, cov.input_1x1, cov.h_ne_w, cov.output_size, cov.asym_padding,
         cov.channels_last, cov.act[1], cov.act[2], cov.act[3], cov.act[4], cov.act[5]);
  for (int a = 1; a < SWEEP_ACTIVATION_COUNT; a++) assert_true(cov.act[a] >= 10);
  assert_true(cov.asym_kernel >= 20 && cov.asym_stride >= 20 && cov.stride_gt_kernel >= 20 && cov.asym_padding >= 20);
  assert_true(cov.pad_not_multiple >= 20 && cov.op_max >= 20 && cov.gcd_gt1 >= 20);
  assert_true(cov.depthwise >= 20 && cov.grouped >= 20 && cov.no_bias >= 20 && cov.unbatched >= 20);
  assert_true(cov.batch3 >= 20 && cov.input_1x1 >= 5 && cov.h_ne_w >= 20 && cov.output_size >= 20);
  assert_true(cov.channels_last >= 100);
}

/* Every legal output_padding for every stride and dilation up to 4 and 3, both dimensions. */
static void test_every_output_padding(void **state) {
  (void)state;
  coverage cov = { 0 };
  int n = 0;
  for (int s = 1; s <= 4; s++)
    for (int d = 1; d <= 3; d++)
      for (int op = 0; op < (s > d ? s : d); op++) {
        config c = { 1, 2, 3, 1, 3, 2, s, s, 1, 0, op, op, d, d, 4, 3, 1, 0, SWEEP_UNROLLS[n % 4], 0, 0, 0, 0, 0 };
        n += run_config(&c, (uint64_t)n, &cov);
        config u = { 0, 2, 2, 2, 2, 3, s, 1, 0, 1, op, 0, d, 1, 3, 5, 0, 0, SWEEP_UNROLLS[n % 4], 0, 0, 0, 0, 0 };
        n += run_config(&u, (uint64_t)n, &cov);
      }
  assert_int_equal(cov.total, n);
  assert_true(n >= 60);
}

/* Edge shapes named in DESIGN.md's list of bugs the big systems shipped. */
static void test_named_edge_cases(void **state) {
  (void)state;
  coverage cov = { 0 };
  const config cases[] = {
    /* n cin cout g kh kw sh sw ph pw oph opw dh dw h w bias os unroll asymmetric peh pew act channels_last */
    { 1, 4, 4, 1, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1, 5, 7, 1, 0, "auto", 0, 0, 0, 0, 0 },  /* padding % stride != 0, H != W */
    { 2, 3, 5, 1, 3, 5, 2, 1, 4, 2, 0, 0, 1, 1, 6, 9, 1, 0, "auto", 0, 0, 0, 0, 0 },  /* the documentation's layer */
    { 1, 2, 2, 1, 2, 2, 4, 4, 0, 0, 3, 3, 1, 1, 3, 3, 1, 0, "auto", 0, 0, 0, 0, 0 },  /* stride > kernel: bias-only phases */
    { 1, 2, 2, 1, 1, 1, 3, 3, 0, 0, 2, 2, 1, 1, 2, 3, 1, 0, "none", 0, 0, 0, 0, 0 },  /* 1x1 kernel, stride 3 */
    { 1, 2, 3, 1, 3, 3, 2, 2, 2, 2, 1, 1, 2, 2, 4, 4, 1, 0, "auto", 0, 0, 0, 0, 0 },  /* gcd(d, s) = 2 */
    { 1, 2, 3, 1, 3, 3, 2, 2, 2, 2, 1, 1, 2, 2, 4, 4, 0, 0, "none", 0, 0, 0, 0, 0 },  /* gcd(d, s) = 2, no bias: zeros */
    { 1, 4, 4, 2, 3, 3, 2, 2, 1, 1, 1, 1, 2, 2, 5, 5, 1, 0, "full", 0, 0, 0, 0, 0 },  /* groups with dilation */
    { 1, 8, 8, 8, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, 6, 6, 1, 0, "auto", 0, 0, 0, 0, 0 },  /* depthwise */
    { 0, 3, 2, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 6, 6, 1, 1, "auto", 0, 0, 0, 0, 0 },  /* unbatched with output_size */
    { 1, 5, 7, 1, 4, 4, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, "auto", 0, 0, 0, 0, 0 },  /* 1x1 input (DCGAN's first layer) */
    { 1, 3, 2, 1, 7, 1, 3, 1, 6, 0, 2, 0, 1, 1, 5, 8, 1, 0, "taps", 0, 0, 0, 0, 0 },  /* 7x1 kernel, padding at the reach */
    { 3, 2, 2, 1, 1, 16, 1, 8, 0, 4, 0, 0, 1, 1, 1, 5, 1, 0, "auto", 0, 0, 0, 0, 0 }, /* MelGAN-style 1x16 stride 8 */
    { 1, 2, 2, 1, 3, 3, 1, 1, 0, 0, 0, 0, 3, 3, 2, 2, 1, 0, "auto", 0, 0, 0, 0, 0 },  /* dilation wider than the input */
    /* asymmetric padding {top, left, bottom, right} (ONNX's pads) */
    { 1, 4, 4, 1, 3, 3, 2, 2, 0, 1, 1, 0, 1, 1, 5, 7, 1, 0, "auto", 1, 2, 0, 0, 0 },  /* (0, 1, 2, 0) */
    { 2, 2, 3, 1, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, 4, 4, 1, 0, "full", 1, 2, 2, 0, 0 },  /* SAME_UPPER-like (1, 1, 2, 2) */
    { 0, 3, 2, 1, 3, 3, 2, 2, 0, 0, 1, 1, 1, 1, 6, 6, 1, 1, "none", 1, 2, 1, 0, 0 },  /* unbatched, output_size */
    { 1, 4, 4, 4, 3, 3, 1, 1, 2, 0, 0, 0, 2, 1, 5, 5, 0, 0, "taps", 1, 0, 2, 0, 0 },  /* depthwise, dilated, (2, 0, 0, 2) */
    /* activations where every output is bias or zero */
    { 1, 2, 2, 1, 2, 2, 4, 4, 0, 0, 3, 3, 1, 1, 3, 3, 1, 0, "auto", 0, 0, 0, 4, 0 },  /* sigmoid on bias-only phases */
    { 1, 2, 3, 1, 3, 3, 2, 2, 2, 2, 1, 1, 2, 2, 4, 4, 0, 0, "none", 0, 0, 0, 3, 0 },  /* tanh of zeros */
    { 1, 5, 7, 1, 4, 4, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, "full", 0, 0, 0, 5, 0 },  /* clamp, 1x1 input, unrolled */
    /* 30 stride phases and over 256 regions: the C99 code takes the tap tables */
    { 1, 3, 4, 1, 18, 15, 6, 5, 3, 2, 1, 0, 1, 1, 9, 9, 1, 0, "auto", 0, 0, 0, 0, 0 },
    { 2, 3, 4, 1, 18, 15, 6, 5, 3, 2, 1, 0, 1, 1, 9, 9, 1, 0, "auto", 0, 0, 0, 2, 1 },
    /* channels_last (NHWC input and output) */
    { 2, 4, 4, 1, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1, 5, 7, 1, 0, "auto", 0, 0, 0, 0, 1 },  /* padding % stride != 0, H != W */
    { 1, 5, 7, 1, 4, 4, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, "auto", 0, 0, 0, 0, 1 },  /* 1x1 input */
    { 1, 8, 8, 8, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, 6, 6, 1, 0, "full", 0, 0, 0, 0, 1 },  /* depthwise, unrolled */
    { 0, 4, 6, 2, 3, 3, 2, 2, 2, 2, 1, 1, 2, 2, 4, 4, 0, 0, "none", 0, 0, 0, 1, 1 },  /* unbatched, grouped, tables */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) assert_int_equal(run_config(&cases[i], i + 1, &cov), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_random_sweep),
    cmocka_unit_test(test_every_output_padding),
    cmocka_unit_test(test_named_edge_cases),
  };
  return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}
