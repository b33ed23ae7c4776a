/* test_dtype.c: float64, complex64, complex128, float16 and bfloat16 (PyTorch's other
 * ConvTranspose2d dtypes) through the spec, .npy files, the interpreter (against hand-computed values and against
 * complex products built from four real convolutions), the tcc and cc backends on the
 * differential sweep, and the CLI. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sweep_configs.h"
#include "testutil.h"

static const char *const DTYPES[] = { "float32", "float64", "complex64", "complex128", "float16", "bfloat16" };
static const ctg_dtype DTYPE_IDS[] = { CTG_FLOAT32, CTG_FLOAT64, CTG_COMPLEX64, CTG_COMPLEX128, CTG_FLOAT16, CTG_BFLOAT16 };
#define N_DTYPES 6

static void test_spec_and_sizes(void **state) {
  (void)state;
  for (int d = 0; d < N_DTYPES; d++) {
    char src[200];
    snprintf(src, sizeof src, "return {in_channels = 2, out_channels = 3, kernel_size = 1, dtype = '%s', "
             "input_shape = {1, 2, 3, 1}}", DTYPES[d]);
    ctg_spec *spec = tu_spec(src);
    assert_int_equal(ctg_params_dtype(ctg_spec_params(spec)), DTYPE_IDS[d]);
    assert_string_equal(ctg_dtype_name(DTYPE_IDS[d]), DTYPES[d]);
    ctg_spec_free(spec);
  }
  assert_int_equal(ctg_dtype_size(CTG_FLOAT16), 2);
  assert_int_equal(ctg_dtype_size(CTG_BFLOAT16), 2);
  assert_int_equal(ctg_dtype_size(CTG_FLOAT32), 4);
  assert_int_equal(ctg_dtype_size(CTG_FLOAT64), 8);
  assert_int_equal(ctg_dtype_size(CTG_COMPLEX64), 8);
  assert_int_equal(ctg_dtype_size(CTG_COMPLEX128), 16);
  ctg_spec *spec;
  ctg_error err;
  assert_int_equal(ctg_spec_from_string("return {in_channels = 2, out_channels = 3, kernel_size = 1, "
                                        "dtype = 'half', input_shape = {1, 2, 3, 1}}", "t.lua", &spec, &err),
                   CTG_ERR_SPEC);
  assert_string_equal(err.message, "t.lua: dtype: unknown dtype \"half\"; expected float32, float64, "
                      "complex64, complex128, int8, float16 or bfloat16");
  /* the memory cap counts the element size: this layer fits as float32, not as complex128 */
  const char *big = "return {in_channels = 256, out_channels = 256, kernel_size = 4, stride = 2, padding = 1, "
                    "input_shape = {16, 256, 128, 128}, dtype = '%s'}";
  char src[300];
  snprintf(src, sizeof src, big, "float32");
  assert_int_equal(ctg_spec_from_string(src, "t.lua", &spec, &err), CTG_OK);
  ctg_spec_free(spec);
  snprintf(src, sizeof src, big, "complex128");
  assert_int_equal(ctg_spec_from_string(src, "t.lua", &spec, &err), CTG_ERR_SPEC);
  assert_contains(err.message, "over the 4 GiB cap");
}

static void test_npy_round_trip(void **state) {
  (void)state;
  const double values[8] = { 1.5, -2.25, 3e-8, 4e10, -0.0, 6.0, 7.125, -8.5 };
  for (int d = 0; d < 4; d++) {
    unsigned char data[64];
    size_t es = ctg_dtype_size((ctg_dtype)d);
    for (int i = 0; i < (int)(4 * es / (d == 0 || d == 2 ? 4 : 8)); i++) {
      if (d == 0 || d == 2) ((float *)(void *)data)[i] = (float)values[i];
      else ((double *)(void *)data)[i] = values[i];
    }
    int64_t shape[2] = { 2, 2 };
    char name[32];
    snprintf(name, sizeof name, "%s.npy", DTYPES[d]);
    char *path = tu_path(tu_dir, name);
    ctg_error err;
    assert_int_equal(ctg_npy_save(path, (ctg_dtype)d, 2, shape, data, &err), CTG_OK);
    ctg_tensor t;
    assert_int_equal(ctg_npy_load(path, &t, &err), CTG_OK);
    assert_int_equal(t.dtype, d);
    assert_int_equal(t.numel, 4);
    assert_memory_equal(t.data, data, 4 * es);
    /* the header NumPy writes for this dtype */
    FILE *f = fopen(path, "rb");
    char head[128] = "";
    assert_true(fread(head, 1, 127, f) > 0);
    fclose(f);
    const char *descr[] = { "'<f4'", "'<f8'", "'<c8'", "'<c16'" };
    assert_contains(head + 10, descr[d]);
    ctg_tensor_free(&t);
    free(path);
  }
}

/* float16 and bfloat16 in .npy: '<f2' both ways; bfloat16's bits written as '<u2', read as '<u2'
 * or '<i2' (what t.view(torch.int16).numpy() saves). */
static void test_npy_half(void **state) {
  (void)state;
  const uint16_t bits[4] = { 0x3c00, 0xc000, 0x7bff, 0x0001 };
  const int64_t shape[1] = { 4 };
  const ctg_dtype ds[2] = { CTG_FLOAT16, CTG_BFLOAT16 };
  const char *descr[2] = { "'<f2'", "'<u2'" };
  for (int d = 0; d < 2; d++) {
    char *path = tu_path(tu_dir, d ? "bf16.npy" : "f16.npy");
    assert_int_equal(ctg_npy_save(path, ds[d], 1, shape, bits, NULL), CTG_OK);
    ctg_tensor t;
    assert_int_equal(ctg_npy_load(path, &t, NULL), CTG_OK);
    assert_int_equal(t.dtype, ds[d]);
    assert_memory_equal(t.data, bits, sizeof bits);
    ctg_tensor_free(&t);
    FILE *f = fopen(path, "rb");
    char head[128] = "";
    assert_true(fread(head, 1, 127, f) > 0);
    fclose(f);
    assert_contains(head + 10, descr[d]);
    free(path);
  }
  /* '<i2' from NumPy: a bfloat16 tensor */
  char *path = tu_path(tu_dir, "i2.npy");
  const char header[] = "{'descr': '<i2', 'fortran_order': False, 'shape': (4,), }";
  unsigned char file[160] = "\x93NUMPY\x01\x00";
  size_t hl = 128 - 10;
  memset(file + 10, ' ', hl);
  memcpy(file + 10, header, strlen(header));
  file[8] = (unsigned char)hl, file[9] = 0, file[10 + hl - 1] = '\n';
  memcpy(file + 128, bits, sizeof bits);
  FILE *f = fopen(path, "wb");
  assert_int_equal(fwrite(file, 1, 128 + sizeof bits, f), 128 + sizeof bits);
  fclose(f);
  ctg_tensor t;
  ctg_error err;
  tu_assert_ok(ctg_npy_load(path, &t, &err), &err);
  assert_int_equal(t.dtype, CTG_BFLOAT16);
  assert_memory_equal(t.data, bits, sizeof bits);
  ctg_tensor_free(&t);
  free(path);
}

/* The runtime's float16 / bfloat16 arithmetic (the interpreter's and the check's), on every
 * 16-bit pattern: widening is exact and rounding gives the pattern back; halfway between two
 * neighbours rounds to the even one and the doubles either side of halfway to the nearer one;
 * past the largest finite value, to infinity; NaN stays NaN. */
static void test_half_rounding_every_pattern(void **state) {
  (void)state;
  const ctg_dtype ds[2] = { CTG_FLOAT16, CTG_BFLOAT16 };
  const double max[2] = { 65504.0, 3.3895313892515355e38 };
  for (int d = 0; d < 2; d++) {
    long ties = 0;
    for (unsigned h = 0; h < 0x10000; h++) {
      const double v = ctg__half_widen((uint16_t)h, ds[d]);
      if (v != v) { /* NaN: a quiet NaN of the same sign */
        const uint16_t q = ctg__half_round(v, ds[d]);
        assert_true(isnan(ctg__half_widen(q, ds[d])));
        assert_int_equal(q & 0x8000, h & 0x8000);
        continue;
      }
      assert_int_equal(ctg__half_round(v, ds[d]), h); /* -0 and -inf included */
      const unsigned next = h + 1;
      const double u = ctg__half_widen((uint16_t)next, ds[d]);
      if ((h & 0x8000) || isinf(v) || isinf(u) || u != u) continue;
      /* v < u adjacent positives: the midpoint and its neighbours */
      const double mid = v + (u - v) / 2;
      assert_int_equal(ctg__half_round(mid, ds[d]), (h & 1) ? next : h);
      assert_int_equal(ctg__half_round(nextafter(mid, 0), ds[d]), h);
      assert_int_equal(ctg__half_round(nextafter(mid, INFINITY), ds[d]), next);
      assert_int_equal(ctg__half_round(-mid, ds[d]), 0x8000 | ((h & 1) ? next : h));
      ties++;
    }
    assert_true(ties > 30000);
    const double past = max[d] + (ldexp(1, d ? 127 - 7 : 15 - 10)) / 2; /* halfway to the next binade's first */
    assert_int_equal(ctg__half_round(nextafter(past, 0), ds[d]), d ? 0x7f7f : 0x7bff);
    assert_int_equal(ctg__half_round(past, ds[d]), d ? 0x7f80 : 0x7c00);
    assert_int_equal(ctg__half_round(-1e300, ds[d]), d ? 0xff80 : 0xfc00);
    assert_true(isnan(ctg__half_widen(ctg__half_round(NAN, ds[d]), ds[d])));
  }
  assert_true(ctg__half_widen(0x0001, CTG_FLOAT16) == ldexp(1, -24));
  assert_true(ctg__half_widen(0x3c00, CTG_FLOAT16) == 1.0 && ctg__half_widen(0x3f80, CTG_BFLOAT16) == 1.0);
  assert_true(ctg__half_widen(0xc000, CTG_FLOAT16) == -2.0 && ctg__half_widen(0x0080, CTG_BFLOAT16) == ldexp(1, -126));
}

/* The complex product written out: (8 + 0i)(1 + 2i) + (1 + 1i)(3 - 1i) + (0.5 - 0.5i)
 * = 8 + 16i + 4 + 2i + 0.5 - 0.5i = 12.5 + 17.5i, for both complex dtypes and every backend. */
static void test_complex_by_hand(void **state) {
  (void)state;
  for (int d = 2; d < 4; d++) {
    char src[200];
    snprintf(src, sizeof src, "return {in_channels = 2, out_channels = 1, kernel_size = 1, dtype = '%s', "
             "input_shape = {2, 1, 1}}", DTYPES[d]);
    ctg_spec *spec = tu_spec(src);
    const double x[4] = { 8, 0, 1, 1 }, w[4] = { 1, 2, 3, -1 }, b[2] = { 0.5, -0.5 };
    float xf[4], wf[4], bf[2];
    for (int i = 0; i < 4; i++) xf[i] = (float)x[i], wf[i] = (float)w[i];
    bf[0] = 0.5f, bf[1] = -0.5f;
    const void *px = d == 2 ? (const void *)xf : (const void *)x, *pw = d == 2 ? (const void *)wf : (const void *)w,
               *pb = d == 2 ? (const void *)bf : (const void *)b;
    ctg_backend backends[] = { CTG_BACKEND_INTERP, CTG_BACKEND_TCC, CTG_BACKEND_CC };
    for (int k = 0; k < 3; k++) {
      double y[2] = { 0, 0 };
      float yf[2] = { 0, 0 };
      ctg_options o = { backends[k], NULL, NULL, 0, 0 };
      ctg_kernel *kern;
      ctg_error err;
      assert_int_equal(ctg_compile(spec, &o, &kern, &err), CTG_OK);
      assert_int_equal(ctg_kernel_run(kern, ctg_kernel_params(kern)->batch, px, pw, pb, d == 2 ? (void *)yf : (void *)y, &err), CTG_OK);
      if (d == 2) y[0] = yf[0], y[1] = yf[1];
      assert_true(y[0] == 12.5 && y[1] == 17.5);
      ctg_kernel_free(kern);
    }
    ctg_spec_free(spec);
  }
}

/* complex = four real transposed convolutions, each by the float64 interpreter:
 * (a + ib) * (c + id) = (ac - bd) + i(ad + bc), with the bias added to each part. */
static void test_complex_against_four_real_convolutions(void **state) {
  (void)state;
  const char *layer = "in_channels = 6, out_channels = 4, groups = 2, kernel_size = {3, 2}, stride = {2, 3}, "
                      "padding = {1, 0}, dilation = {2, 1}, output_padding = {1, 2}, input_shape = {2, 6, 5, 4}";
  char src[400];
  snprintf(src, sizeof src, "return {%s, dtype = 'complex128'}", layer);
  ctg_spec *cs = tu_spec(src);
  snprintf(src, sizeof src, "return {%s, dtype = 'float64', bias = false}", layer);
  ctg_spec *rs = tu_spec(src);
  const ctg_params *cp = ctg_spec_params(cs), *rp = ctg_spec_params(rs);
  size_t nx = ctg_params_numel(cp, CTG_INPUT), nw = ctg_params_numel(cp, CTG_WEIGHT),
         nb = ctg_params_numel(cp, CTG_BIAS), ny = ctg_params_numel(cp, CTG_OUTPUT);
  double *x = malloc(nx * 16), *w = malloc(nw * 16), *b = malloc(nb * 16), *y = malloc(ny * 16);
  double *parts[4], *xr = malloc(nx * 8), *xi = malloc(nx * 8), *wr = malloc(nw * 8), *wi = malloc(nw * 8);
  uint64_t seed = 99;
  ctg__random_fill_dtype(x, nx, CTG_COMPLEX128, &seed);
  ctg__random_fill_dtype(w, nw, CTG_COMPLEX128, &seed);
  ctg__random_fill_dtype(b, nb, CTG_COMPLEX128, &seed);
  for (size_t i = 0; i < nx; i++) xr[i] = x[2 * i], xi[i] = x[2 * i + 1];
  for (size_t i = 0; i < nw; i++) wr[i] = w[2 * i], wi[i] = w[2 * i + 1];
  for (int k = 0; k < 4; k++) parts[k] = malloc(ny * 8);
  assert_int_equal(ctg_reference(rp, xr, wr, NULL, parts[0], NULL), CTG_OK); /* ac */
  assert_int_equal(ctg_reference(rp, xi, wi, NULL, parts[1], NULL), CTG_OK); /* bd */
  assert_int_equal(ctg_reference(rp, xr, wi, NULL, parts[2], NULL), CTG_OK); /* ad */
  assert_int_equal(ctg_reference(rp, xi, wr, NULL, parts[3], NULL), CTG_OK); /* bc */
  assert_int_equal(ctg_reference(cp, x, w, b, y, NULL), CTG_OK);
  size_t plane = ny / (size_t)cp->out_channels / (size_t)cp->batch;
  double worst = 0;
  for (size_t i = 0; i < ny; i++) {
    size_t co = (i / plane) % (size_t)cp->out_channels;
    double re = parts[0][i] - parts[1][i] + b[2 * co], im = parts[2][i] + parts[3][i] + b[2 * co + 1];
    worst = fmax(worst, fmax(fabs(y[2 * i] - re), fabs(y[2 * i + 1] - im)));
  }
  assert_true(worst < 1e-12);

  /* complex64 through tcc: the same values rounded to float, within float rounding */
  snprintf(src, sizeof src, "return {%s, dtype = 'complex64'}", layer);
  ctg_spec *fs = tu_spec(src);
  float *xf = malloc(nx * 8), *wf = malloc(nw * 8), *bf = malloc(nb * 8), *yf = malloc(ny * 8);
  for (size_t i = 0; i < 2 * nx; i++) xf[i] = (float)x[i];
  for (size_t i = 0; i < 2 * nw; i++) wf[i] = (float)w[i];
  for (size_t i = 0; i < 2 * nb; i++) bf[i] = (float)b[i];
  ctg_kernel *k;
  assert_int_equal(ctg_compile(fs, NULL, &k, NULL), CTG_OK);
  assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, xf, wf, bf, yf, NULL), CTG_OK);
  double worst32 = 0;
  for (size_t i = 0; i < 2 * ny; i++) worst32 = fmax(worst32, fabs(yf[i] - y[i]));
  printf("  complex128 interpreter vs four real convolutions: %.2g; complex64 tcc kernel: %.2g\n", worst, worst32);
  assert_true(worst32 < 1e-5);
  ctg_kernel_free(k);
  ctg_spec_free(fs), ctg_spec_free(cs), ctg_spec_free(rs);
  for (int i = 0; i < 4; i++) free(parts[i]);
  free(x), free(w), free(b), free(y), free(xr), free(xi), free(wr), free(wi);
  free(xf), free(wf), free(bf), free(yf);
}

/* The differential sweep for each dtype: tcc on every layer, cc on a sample. */
#define SWEEP_TCC 200
#define SWEEP_CC 16

static void sweep_dtype(int d, ctg_backend backend, int layers, int *checked, double *worst) {
  for (int i = 0; i < layers; i++) {
    config c;
    char src[700], typed[760];
    sweep_random_config(&c, backend == CTG_BACKEND_CC ? i * 37 + 5 : i);
    if (strncmp(DTYPES[d], "complex", 7) == 0) c.act = 0; /* complex has no activation (test_spec) */
    sweep_spec_text(&c, src, sizeof src);
    snprintf(typed, sizeof typed, "return {dtype = '%s', %s", DTYPES[d], src + strlen("return {"));
    ctg_spec *spec;
    if (ctg_spec_from_string(typed, "sweep", &spec, NULL) != CTG_OK) continue; /* PyTorch rejects it */
    ctg_options o = { backend, NULL, NULL, 0, 0 };
    ctg_kernel *k;
    ctg_error err;
    ctg_check_result r;
    int st = ctg_compile(spec, &o, &k, &err);
    if (st != CTG_OK) fprintf(stderr, "%s: %s\n", typed, err.message);
    assert_int_equal(st, CTG_OK);
    assert_int_equal(ctg_check(k, (uint64_t)i, &r, &err), CTG_OK);
    if (!r.passed) fprintf(stderr, "FAIL %s %s: %g > %g\n", DTYPES[d], typed, r.max_scaled_error, r.tolerance);
    assert_true(r.passed);
    *worst = fmax(*worst, r.max_scaled_error);
    (*checked)++;
    ctg_kernel_free(k);
    ctg_spec_free(spec);
  }
}

static void test_sweep_every_dtype(void **state) {
  (void)state;
  char *cache = tu_use_cache("cache");
  for (int d = 1; d < N_DTYPES; d++) {
    int tcc = 0, cc = 0;
    double worst_tcc = 0, worst_cc = 0;
    sweep_dtype(d, CTG_BACKEND_TCC, SWEEP_TCC, &tcc, &worst_tcc);
    sweep_dtype(d, CTG_BACKEND_CC, SWEEP_CC, &cc, &worst_cc);
    printf("  %-10s tcc: %d layers, max scaled error %.3g; cc: %d layers, max scaled error %.3g\n", DTYPES[d], tcc,
           worst_tcc, cc, worst_cc);
    assert_true(tcc >= 140 && cc >= 10);
  }
  free(cache);
}

/* convtgen run takes every dtype; a file whose dtype is not the spec's is refused. */
static void test_cli_run_complex64(void **state) {
  (void)state;
  char *spec = tu_write(tu_dir, "c.lua", "return {in_channels = 2, out_channels = 1, kernel_size = 1, "
                        "dtype = 'complex64', input_shape = {2, 1, 1}}", (size_t)-1);
  const float x[4] = { 8, 0, 1, 1 }, w[4] = { 1, 2, 3, -1 }, b[2] = { 0.5f, -0.5f };
  int64_t xs[3] = { 2, 1, 1 }, ws[4] = { 2, 1, 1, 1 }, bs[1] = { 1 };
  char *px = tu_path(tu_dir, "x.npy"), *pw = tu_path(tu_dir, "w.npy"), *pb = tu_path(tu_dir, "b.npy"),
       *py = tu_path(tu_dir, "y.npy"), *pf = tu_path(tu_dir, "f.npy");
  assert_int_equal(ctg_npy_save(px, CTG_COMPLEX64, 3, xs, x, NULL), CTG_OK);
  assert_int_equal(ctg_npy_save(pw, CTG_COMPLEX64, 4, ws, w, NULL), CTG_OK);
  assert_int_equal(ctg_npy_save(pb, CTG_COMPLEX64, 1, bs, b, NULL), CTG_OK);
  assert_int_equal(ctg_npy_save(pf, CTG_FLOAT32, 3, xs, x, NULL), CTG_OK);
  char out[4096], err[4096];
  const char *run[] = { "convtgen", "run", spec, "--input", px, "--weight", pw, "--bias", pb, "--output", py,
                        "--backend", "tcc", NULL };
  assert_int_equal(tu_cli(run, out, sizeof out, err, sizeof err), 0);
  ctg_tensor y;
  assert_int_equal(ctg_npy_load(py, &y, NULL), CTG_OK);
  assert_int_equal(y.dtype, CTG_COMPLEX64);
  assert_int_equal(y.numel, 1);
  assert_true(((float *)y.data)[0] == 12.5f && ((float *)y.data)[1] == 17.5f);
  ctg_tensor_free(&y);
  run[4] = pf; /* float32 input for a complex64 layer */
  assert_int_equal(tu_cli(run, out, sizeof out, err, sizeof err), 2);
  assert_contains(err, "f.npy: input is float32 but the spec's dtype is complex64");
  assert_int_equal(tu_lines(err), 1);
  const char *check[] = { "convtgen", "check", spec, "--backend", "tcc", NULL };
  assert_int_equal(tu_cli(check, out, sizeof out, err, sizeof err), 0);
  assert_contains(out, "PASS  tcc");
  free(spec), free(px), free(pw), free(pb), free(py), free(pf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_spec_and_sizes),
    cmocka_unit_test(test_npy_round_trip),
    cmocka_unit_test(test_npy_half),
    cmocka_unit_test(test_half_rounding_every_pattern),
    cmocka_unit_test(test_complex_by_hand),
    cmocka_unit_test(test_complex_against_four_real_convolutions),
    cmocka_unit_test(test_sweep_every_dtype),
    cmocka_unit_test(test_cli_run_complex64),
  };
  return cmocka_run_group_tests(tests, tu_setup_dir, tu_teardown_dir);
}
