/* test_kernel.c: compiled kernels (runtime/kernel/kernel.c, backends/backend_tcc.c, tools/check.c): the tcc backend on
 * PyTorch's documented examples, the API's errors, libtcc from many threads, and the checker. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

static ctg_kernel *tcc_kernel(const ctg_spec *spec) {
  ctg_kernel *k = NULL;
  ctg_error err;
  ctg_options opt = { CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
  tu_assert_ok(ctg_compile(spec, &opt, &k, &err), &err);
  return k;
}

static void test_pytorch_documentation_example_through_tcc(void **state) {
  (void)state;
  const float x[] = { 8, -3, 0, 1, 5, -2 }, w[] = { 0.4414f, 0.4792f, -0.1353f }, b[] = { 0.5304f, -0.1265f, 0.1165f };
  const float want[] = { 4.0616f, -0.7939f, 0.5304f, 0.9718f, 2.7374f, -0.3525f,
                         3.7071f, -1.5641f, -0.1265f, 0.3527f, 2.2695f, -1.0849f,
                         -0.9656f, 0.5223f, 0.1165f, -0.0188f, -0.5598f, 0.3870f };
  const char *unrolls[] = { "auto", "none", "full" };
  for (int u = 0; u < 3; u++) {
    char src[256];
    snprintf(src, sizeof src, "return {in_channels = 1, out_channels = 3, kernel_size = 1, unroll = '%s', "
             "input_shape = {1, 1, 6}}", unrolls[u]);
    ctg_spec *spec = tu_spec(src);
    ctg_kernel *k = tcc_kernel(spec);
    float y[18];
    assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, w, b, y, NULL), CTG_OK);
    for (int i = 0; i < 18; i++) assert_true(fabs(y[i] - want[i]) <= 5e-4);
    ctg_kernel_free(k);
    ctg_spec_free(spec);
  }
}

/* The notebook's all-ones examples: 3x3 input, all-ones kernels, bias off. */
static void test_all_ones_examples_through_tcc(void **state) {
  (void)state;
  static const float k3s2[] = { 1, 1, 2, 1, 2, 1, 1, 1, 1, 2, 1, 2, 1, 1, 2, 2, 4, 2, 4, 2, 2, 1, 1, 2, 1,
                                2, 1, 1, 2, 2, 4, 2, 4, 2, 2, 1, 1, 2, 1, 2, 1, 1, 1, 1, 2, 1, 2, 1, 1 };
  static const float k3s2p1op1[] = { 1, 2, 1, 2, 1, 1, 2, 4, 2, 4, 2, 2, 1, 2, 1, 2, 1, 1,
                                     2, 4, 2, 4, 2, 2, 1, 2, 1, 2, 1, 1, 1, 2, 1, 2, 1, 1 };
  static const float k4s2p1[] = { 1, 2, 2, 2, 2, 1, 2, 4, 4, 4, 4, 2, 2, 4, 4, 4, 4, 2,
                                  2, 4, 4, 4, 4, 2, 2, 4, 4, 4, 4, 2, 1, 2, 2, 2, 2, 1 };
  struct { int k, s, p, op, out; const float *want; } cases[] = {
    { 3, 2, 0, 0, 7, k3s2 }, { 3, 2, 1, 1, 6, k3s2p1op1 }, { 4, 2, 1, 0, 6, k4s2p1 },
  };
  float x[9], w[16], y[64];
  for (int i = 0; i < 9; i++) x[i] = 1;
  for (int i = 0; i < 16; i++) w[i] = 1;
  for (int c = 0; c < 3; c++) {
    char src[256];
    snprintf(src, sizeof src, "return {in_channels = 1, out_channels = 1, kernel_size = %d, stride = %d, "
             "padding = %d, output_padding = %d, bias = false, input_shape = {1, 1, 3, 3}}",
             cases[c].k, cases[c].s, cases[c].p, cases[c].op);
    ctg_spec *spec = tu_spec(src);
    ctg_kernel *k = tcc_kernel(spec);
    assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, w, NULL, y, NULL), CTG_OK);
    for (int i = 0; i < cases[c].out * cases[c].out; i++) assert_true(y[i] == cases[c].want[i]);
    ctg_kernel_free(k);
    ctg_spec_free(spec);
  }
}

/* A 1x1 input takes the vector-matrix shape on tcc too: by hand (y = b + x . W per output) and
 * against the interpreter with groups, batches, passes of 4 channels with a remainder. */
static void test_one_pixel_input_through_tcc(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {in_channels = 2, out_channels = 1, kernel_size = {1, 2}, "
                           "input_shape = {1, 2, 1, 1}}");
  ctg_kernel *k = tcc_kernel(spec);
  assert_string_equal(tu_shape(ctg_spec_params(spec), "scalar"), "vector_matrix");
  const float x[] = { 2, -3 }, w[] = { 1, 10, 100, 1000 }, b[] = { 0.5f };
  float y[2];
  assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, w, b, y, NULL), CTG_OK);
  assert_true(y[0] == 0.5f + 2 * 1 - 3 * 100);
  assert_true(y[1] == 0.5f + 2 * 10 - 3 * 1000);
  ctg_kernel_free(k);
  ctg_spec_free(spec);
  const char *layers[] = {
    "return {in_channels = 9, out_channels = 200, kernel_size = 4, bias = false, input_shape = {2, 9, 1, 1}}",
    "return {in_channels = 6, out_channels = 10, kernel_size = {3, 2}, stride = 3, groups = 2, input_shape = {3, 6, 1, 1}}",
  };
  for (int l = 0; l < 2; l++) {
    spec = tu_spec(layers[l]);
    k = tcc_kernel(spec);
    assert_string_equal(tu_shape(ctg_spec_params(spec), "scalar"), "vector_matrix");
    ctg_check_result r;
    assert_int_equal(ctg_check(k, 3, &r, NULL), CTG_OK);
    assert_true(r.passed);
    ctg_kernel_free(k);
    ctg_spec_free(spec);
  }
}

static void test_api(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {in_channels = 2, out_channels = 2, kernel_size = 2, name = 'api_layer', "
                           "input_shape = {1, 2, 3, 3}}");
  ctg_kernel *k;
  ctg_error err;
  /* NULL options: tcc */
  assert_int_equal(ctg_compile(spec, NULL, &k, &err), CTG_OK);
  assert_non_null(ctg_kernel_source(k));
  assert_contains(ctg_kernel_source(k), "int api_layer_run(const float *input");
  assert_contains(ctg_kernel_source(k), "// Auto-generated file. Do not edit!");
  assert_int_equal(ctg_kernel_params(k)->out_h, 4);
  assert_true(ctg_kernel_compile_ms(k) > 0);
  float x[18] = { 0 }, w[16] = { 0 }, b[2] = { 0 }, y[32];
  assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, NULL, w, b, y, &err), CTG_ERR_ARG);
  assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, w, NULL, y, &err), CTG_ERR_ARG); /* bias = true needs bias */
  assert_int_equal(ctg_kernel_run(NULL, 1, x, w, b, y, &err), CTG_ERR_ARG);
  assert_int_equal(ctg_kernel_run(k, 1, x, NULL, NULL, y, &err), CTG_ERR_ARG); /* nothing bound yet */
  assert_contains(err.message, "no weights given or bound");
  assert_int_equal(ctg_kernel_run(k, 1, x, NULL, b, y, &err), CTG_ERR_ARG); /* a bias without weights */
  assert_int_equal(ctg_kernel_run(k, -1, x, w, b, y, &err), CTG_ERR_ARG);
  /* this call's weights, then the same bound: the same output, and for any batch */
  for (int i = 0; i < 18; i++) x[i] = (float)(i % 5) - 2;
  for (int i = 0; i < 16; i++) w[i] = (float)(i % 3) - 1;
  b[0] = 0.5f, b[1] = -0.25f;
  float y2[64];
  assert_int_equal(ctg_kernel_run(k, 1, x, w, b, y, &err), CTG_OK);
  assert_int_equal(ctg_kernel_bind_weights(k, w, b, &err), CTG_OK);
  assert_int_equal(ctg_kernel_run(k, 1, x, NULL, NULL, y2, &err), CTG_OK);
  assert_memory_equal(y, y2, sizeof y);
  assert_int_equal(ctg_kernel_run(k, 0, NULL, NULL, NULL, NULL, &err), CTG_OK);
  ctg_kernel_free(k);

  /* a tensor's dtype, shape and bytes, as it lies in memory */
  ctg_tensor_info t;
  assert_int_equal(ctg_spec_tensor(spec, CTG_OUTPUT, &t, &err), CTG_OK);
  assert_int_equal(t.dtype, CTG_FLOAT32);
  assert_int_equal(t.ndim, 4);
  assert_true(t.shape[0] == 1 && t.shape[1] == 2 && t.shape[2] == 4 && t.shape[3] == 4);
  assert_int_equal(t.numel, 32);
  assert_int_equal(t.bytes, 128);
  assert_int_equal(ctg_spec_tensor(spec, CTG_WEIGHT, &t, &err), CTG_OK);
  assert_true(t.ndim == 4 && t.shape[0] == 2 && t.shape[1] == 2 && t.shape[2] == 2 && t.shape[3] == 2);
  assert_int_equal(ctg_spec_tensor(spec, (ctg_role)9, &t, &err), CTG_ERR_ARG);
  ctg_spec *nhwc = tu_spec("return {in_channels = 3, out_channels = 5, kernel_size = 2, bias = false, "
                           "memory_format = 'channels_last', input_shape = {2, 3, 4, 6}}");
  assert_int_equal(ctg_spec_tensor(nhwc, CTG_INPUT, &t, &err), CTG_OK);
  assert_true(t.ndim == 4 && t.shape[0] == 2 && t.shape[1] == 4 && t.shape[2] == 6 && t.shape[3] == 3);
  assert_int_equal(ctg_spec_tensor(nhwc, CTG_BIAS, &t, &err), CTG_OK);
  assert_true(t.ndim == 0 && t.numel == 0 && t.bytes == 0);
  ctg_spec_free(nhwc);

  /* the interpreter as a kernel: no source */
  ctg_options interp = { CTG_BACKEND_INTERP, NULL, NULL, 0, 0 };
  assert_int_equal(ctg_compile(spec, &interp, &k, &err), CTG_OK);
  assert_null(ctg_kernel_source(k));
  ctg_check_result r;
  assert_int_equal(ctg_check(k, 5, &r, &err), CTG_OK);
  assert_true(r.passed);
  assert_true(r.max_scaled_error == 0);
  ctg_kernel_free(k);

  ctg_options bad = { (ctg_backend)42, NULL, NULL, 0, 0 };
  assert_int_equal(ctg_compile(spec, &bad, &k, &err), CTG_ERR_ARG);
  assert_int_equal(ctg_compile(NULL, NULL, &k, &err), CTG_ERR_ARG);
  ctg_kernel_free(NULL);

  ctg_backend be;
  assert_int_equal(ctg_backend_from_name("tcc", &be, &err), CTG_OK);
  assert_int_equal(be, CTG_BACKEND_TCC);
  assert_string_equal(ctg_backend_name(CTG_BACKEND_NVRTC), "nvrtc");
  assert_int_equal(ctg_backend_from_name("gpu", &be, &err), CTG_ERR_ARG);
  assert_contains(err.message, "unknown backend 'gpu'");
  ctg_spec_free(spec);
}

static void test_tcc_diagnostics_come_back_in_the_message(void **state) {
  (void)state;
  void *st;
  ctg_error err;
  assert_int_equal(ctg__tcc_compile("int broken(void) { return undeclared_name; }", &st, &err), CTG_ERR_INTERNAL);
  assert_contains(err.message, "tcc could not compile the generated kernel");
  assert_contains(err.message, "undeclared_name");
  assert_null(st);
  assert_int_equal(ctg__tcc_compile("int present(void) { return 1; }", &st, &err), CTG_OK);
  assert_non_null(ctg__tcc_symbol(st, "present"));
  assert_null(ctg__tcc_symbol(st, "absent"));
  ctg__tcc_free(st);
}

/* libtcc keeps global state: four threads compiling and running at once must all be right. */
static void *compile_and_check(void *arg) {
  int id = (int)(intptr_t)arg;
  int failures = 0;
  for (int round = 0; round < 6; round++) {
    char src[256];
    snprintf(src, sizeof src, "return {in_channels = %d, out_channels = %d, kernel_size = %d, stride = %d, "
             "padding = 1, name = 'layer_t%d_r%d', input_shape = {1, %d, 5, 6}}",
             2 + id, 3 + round % 3, 3 + id % 2, 1 + round % 3, id, round, 2 + id);
    ctg_spec *spec;
    ctg_kernel *k;
    ctg_check_result r;
    ctg_error err;
    if (ctg_spec_from_string(src, "t.lua", &spec, &err) != CTG_OK) return (void *)(intptr_t)1000;
    if (ctg_compile(spec, NULL, &k, &err) != CTG_OK || ctg_check(k, (uint64_t)round, &r, &err) != CTG_OK)
      failures++;
    else
      failures += !r.passed;
    ctg_kernel_free(k);
    ctg_spec_free(spec);
  }
  return (void *)(intptr_t)failures;
}

static void test_four_threads_at_once(void **state) {
  (void)state;
  pthread_t t[4];
  for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, compile_and_check, (void *)(intptr_t)i), 0);
  for (int i = 0; i < 4; i++) {
    void *failures;
    assert_int_equal(pthread_join(t[i], &failures), 0);
    assert_int_equal((intptr_t)failures, 0);
  }
}

/* The checker must catch what it exists to catch. */
static void test_checker_catches_wrong_outputs(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {in_channels = 3, out_channels = 2, kernel_size = 3, stride = 2, "
                           "input_shape = {1, 3, 4, 4}}");
  const ctg_params *p = ctg_spec_params(spec);
  size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT), ny = ctg_params_numel(p, CTG_OUTPUT);
  float *x = malloc(nx * 4), *w = malloc(nw * 4), b[2], *y = malloc(ny * 4);
  uint64_t seed = 3;
  ctg__random_fill(x, nx, &seed);
  ctg__random_fill(w, nw, &seed);
  ctg__random_fill(b, 2, &seed);
  for (size_t i = 0; i < nx; i++) assert_true(fabsf(x[i]) >= 0.0625f); /* never zeros */
  assert_int_equal(ctg_reference(p, x, w, b, y, NULL), CTG_OK);
  ctg_check_result r;
  assert_int_equal(ctg__compare(p, x, w, b, y, &r, NULL), CTG_OK);
  assert_true(r.passed);
  /* one tap's worth of error at one output */
  size_t at = ny / 2;
  float saved = y[at];
  y[at] += x[0] * w[0];
  assert_int_equal(ctg__compare(p, x, w, b, y, &r, NULL), CTG_OK);
  assert_false(r.passed);
  assert_int_equal(r.worst, at);
  y[at] = saved;
  y[ny - 1] = NAN; /* an output never written */
  assert_int_equal(ctg__compare(p, x, w, b, y, &r, NULL), CTG_OK);
  assert_false(r.passed);
  assert_int_equal(r.worst, ny - 1);
  free(x), free(w), free(y);
  ctg_spec_free(spec);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_pytorch_documentation_example_through_tcc),
    cmocka_unit_test(test_all_ones_examples_through_tcc),
    cmocka_unit_test(test_one_pixel_input_through_tcc),
    cmocka_unit_test(test_api),
    cmocka_unit_test(test_tcc_diagnostics_come_back_in_the_message),
    cmocka_unit_test(test_four_threads_at_once),
    cmocka_unit_test(test_checker_catches_wrong_outputs),
  };
  return cmocka_run_group_tests_name("kernel", tests, NULL, NULL);
}
