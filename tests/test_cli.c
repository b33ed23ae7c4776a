/* test_cli.c: the convtgen command line (cli/cli.c): exit statuses, one-line errors, outputs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "spec_cases.h"
#include "testutil.h"

static char *dir;
static char out[1 << 16], err[1 << 16];

static int setup(void **state) {
  (void)state;
  dir = tu_mkdtemp();
  char *cache = tu_path(dir, "kernel-cache"); /* the cc backend's objects stay in the test's tree */
  setenv("CONVTGEN_CACHE_DIR", cache, 1);
  free(cache);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  tu_rmtree(dir);
  free(dir);
  return 0;
}

#define CLI(...) tu_cli((const char *const[]){ "convtgen", __VA_ARGS__, NULL }, out, sizeof out, err, sizeof err)

/* Exit status 2 and exactly one `convtgen: error:` line containing msg. */
static void expect_usage_error(int rc, const char *msg) {
  if (rc != 2 || tu_lines(err) != 1) fprintf(stderr, "rc %d, stderr: %s", rc, err);
  assert_int_equal(rc, 2);
  assert_int_equal(strncmp(err, "convtgen: error: ", 17), 0);
  assert_int_equal(tu_lines(err), 1);
  assert_contains(err, msg);
}

static void save(const char *name, int ndim, const int64_t *shape, const float *data) {
  char *p = tu_path(dir, name);
  assert_int_equal(ctg_npy_save(p, CTG_FLOAT32, ndim, shape, data, NULL), CTG_OK);
  free(p);
}

static void test_every_bad_spec_exits_2_with_one_line(void **state) {
  (void)state;
  for (size_t i = 0; i < N_SPEC_ERRORS; i++) {
    char *path = tu_write(dir, "case.lua", SPEC_ERRORS[i].source, (size_t)-1);
    int rc = CLI("info", path);
    expect_usage_error(rc, SPEC_ERRORS[i].message);
    assert_contains(err, path);
    assert_string_equal(out, "");
    free(path);
  }
}

static void test_usage_errors(void **state) {
  (void)state;
  char *spec = tu_write(dir, "ok.lua", "return {in_channels = 1, out_channels = 3, kernel_size = 1, "
                        "input_shape = {1, 1, 6}}", (size_t)-1);
  expect_usage_error(tu_cli((const char *const[]){ "convtgen", NULL }, out, sizeof out, err, sizeof err),
                     "no verb given");
  expect_usage_error(CLI("frobnicate"), "unknown verb 'frobnicate'");
  /* a newline or a terminal escape in an argument stays one escaped line */
  expect_usage_error(CLI("frob\nnicate\x1b[2J"), "unknown verb 'frob\\nnicate\\x1b[2J'");
  expect_usage_error(CLI("info", "no\nsuch.lua"), "no\\nsuch.lua: cannot open spec");
  expect_usage_error(CLI("info"), "info: missing SPEC");
  expect_usage_error(CLI("info", spec, spec), "info: unexpected argument");
  expect_usage_error(CLI("info", spec, "--verbose"), "info: unknown option '--verbose'");
  expect_usage_error(CLI("info", spec, "-x"), "info: unknown option '-x'");
  expect_usage_error(CLI("run", spec, "--input"), "run: option '--input' needs a value");
  expect_usage_error(CLI("run", spec, "--input=a", "--input", "b"), "run: option '--input' given twice");
  expect_usage_error(CLI("run", spec, "--input="), "run: option '--input' has an empty value");
  expect_usage_error(CLI("info", "/no/such/spec.lua"), "/no/such/spec.lua: cannot open spec");
  expect_usage_error(CLI("cache", "flush"), "cache: expected list or clear, got 'flush'");
  expect_usage_error(CLI("bench"), "bench: missing SPEC or --suite FILE.tsv");
  expect_usage_error(CLI("bench", spec, "--suite", "bench/layers.tsv"), "bench: give a SPEC or --suite FILE.tsv, not both");
  expect_usage_error(CLI("bench", spec, "--threads", "0"), "bench: --threads must be an integer from 1 to 256, got '0'");
  expect_usage_error(CLI("bench", "--suite", "/no/such.tsv"), "/no/such.tsv: cannot open suite");
  char *bad_suite = tu_write(dir, "bad.tsv", "# name n cin ...\nlayer\t1\t2\n", (size_t)-1);
  expect_usage_error(CLI("bench", "--suite", bad_suite), "bad.tsv:2: expected a name and 17 non-negative integers");
  free(bad_suite);
  expect_usage_error(CLI("gen", spec, "--target", "cuda", "--weights", "w.npy", "--bias", "b.npy"), "w.npy: cannot open");
  expect_usage_error(CLI("gen", spec, "--target", "fortran"), "gen: unknown target 'fortran'");
  expect_usage_error(CLI("gen", spec, "--weights", "w.npy"), "ok.lua has bias = true, so --bias is required with --weights");
  expect_usage_error(CLI("gen", spec, "--bias", "b.npy"), "gen: --bias is baked together with --weights; give both");
  expect_usage_error(CLI("gen", spec, "-o"), "gen: option '-o' needs a value");
  expect_usage_error(CLI("gen", spec, "-o", "/no/such/parent/dir"), "gen: cannot create directory /no/such/parent/dir");
  expect_usage_error(CLI("check", spec, "--backend", "interp"), "the interpreter is the reference");
  expect_usage_error(CLI("check", spec, "--backend", "nvrtc"), "backend 'nvrtc': ");
  expect_usage_error(CLI("check", spec, "--backend", "fpga"), "unknown backend 'fpga'");
  expect_usage_error(CLI("check", spec, "--seed", "-3"), "check: --seed must be a non-negative integer, got '-3'");
  expect_usage_error(CLI("check", spec, "--seed", "12x"), "check: --seed must be a non-negative integer");
  /* a new user's stumbles: a near flag, Python's keyword call, a channels_last layer's shape */
  expect_usage_error(CLI("bench", spec, "--thread", "2"), "bench: unknown option '--thread' (did you mean '--threads'?)");
  expect_usage_error(CLI("run", spec, "--ouput", "y.npy"), "(did you mean '--output'?)");
  char *dict = tu_write(dir, "dict.lua", "return dict(in_channels=4, out_channels=2)", (size_t)-1);
  expect_usage_error(CLI("info", dict), "a spec is a Lua table: return {in_channels = 4, ...}");
  free(dict);
  char *cl = tu_write(dir, "cl.lua", "return {in_channels = 2, out_channels = 3, kernel_size = 3, "
                      "memory_format = 'channels_last', input_shape = {1, 2, 4, 5}}", (size_t)-1);
  const int64_t nchw[4] = { 1, 2, 4, 5 };
  float zeros[40] = { 0 }, wz[54] = { 0 };
  const int64_t wshape[4] = { 2, 3, 3, 3 };
  char *x = tu_path(dir, "cl_x.npy"), *w = tu_path(dir, "cl_w.npy"), *b = tu_path(dir, "cl_b.npy"),
       *y = tu_path(dir, "cl_y.npy");
  const int64_t bshape[1] = { 3 };
  assert_int_equal(ctg_npy_save(x, CTG_FLOAT32, 4, nchw, zeros, NULL), CTG_OK);
  assert_int_equal(ctg_npy_save(w, CTG_FLOAT32, 4, wshape, wz, NULL), CTG_OK);
  assert_int_equal(ctg_npy_save(b, CTG_FLOAT32, 1, bshape, wz, NULL), CTG_OK);
  expect_usage_error(CLI("run", cl, "--input", x, "--weight", w, "--bias", b, "--output", y),
                     "but the spec needs (1, 4, 5, 2) (the spec is channels_last: N, H, W, C)");
  free(cl), free(x), free(w), free(b), free(y);
  free(spec);
}

static void test_help(void **state) {
  (void)state;
  const char *verbs[] = { "info", "run", "gen", "check", "bench", "cache" };
  for (int i = 0; i < 6; i++) {
    assert_int_equal(CLI(verbs[i], "--help"), 0);
    char want[64];
    snprintf(want, sizeof want, "usage: convtgen %s", verbs[i]);
    assert_contains(out, want);
  }
  assert_int_equal(CLI("--help"), 0);
  assert_contains(out, "usage: convtgen VERB");
  assert_int_equal(CLI("--version"), 0);
  assert_contains(out, "convtgen " CTG_VERSION);
}

static void test_info(void **state) {
  (void)state;
  char *spec = tu_write(dir, "doc.lua", "return {in_channels = 16, out_channels = 33, kernel_size = {3, 5}, "
                        "stride = {2, 1}, padding = {4, 2}, input_shape = {20, 16, 50, 100}}", (size_t)-1);
  assert_int_equal(CLI("info", spec), 0);
  assert_contains(out, "output          (20, 33, 93, 100)");
  assert_contains(out, "weight          (16, 33, 3, 5)");
  assert_contains(out, "bias            (33,)");
  assert_contains(out, "flops           1,584,000,000 (1.584 GFLOP)");
  /* 33 channels would pad AVX-512's blocks of 16 or 32 by more than a quarter; AVX2 takes
   * blocks of 8, NEON of 12 */
  assert_contains(out, "  portable  row_vectors (vectors of 16 along rows");
  assert_contains(out, " where defined(__GNUC__) && defined(__AVX512F__); then phase_matmul (per-phase matrix products, 8 "
                       "channels x up to 10 positions per tile) where defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__)");
  assert_contains(out, "12 channels x up to 5 positions per tile) where defined(__GNUC__) && defined(__aarch64__); then "
                       "phases (stride-phase code");
  /* the cc tier's code is the host's profile, and info names it */
  assert_contains(out, "            isa: ");
  assert_string_equal(err, "");
  free(spec);
  /* the shape info names for the cc tier: kernel == stride, a 1x1 input (float32, float64,
   * complex), rows shorter than a vector */
  const char *layers[][2] = {
    { "return {in_channels = 8, out_channels = 4, kernel_size = 2, stride = 2, input_shape = {1, 8, 4, 32}}",
      "  cc        matmul_shuffle (kernel == stride: a matrix product and a pixel shuffle" },
    { "return {in_channels = 8, out_channels = 4, kernel_size = 4, input_shape = {1, 8, 1, 1}}",
      "  cc        vector_matrix (1x1 input: a vector-matrix product" },
    { "return {in_channels = 8, out_channels = 4, kernel_size = 4, dtype = 'float64', input_shape = {1, 8, 1, 1}}",
      "  cc        vector_matrix (1x1 input: a vector-matrix product" },
    { "return {in_channels = 8, out_channels = 4, kernel_size = 4, dtype = 'complex64', input_shape = {1, 8, 1, 1}}",
      "  cc        vector_matrix (1x1 input: a vector-matrix product" },
    { "return {in_channels = 8, out_channels = 4, kernel_size = 3, padding = 1, dtype = 'complex64', "
      "input_shape = {1, 8, 3, 3}}",
      "  cc        phases (stride-phase code" },
  };
  for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
    spec = tu_write(dir, "shape.lua", layers[i][0], (size_t)-1);
    assert_int_equal(CLI("info", spec), 0);
    assert_contains(out, layers[i][1]);
    free(spec);
  }
}

/* Judges one backend's output (what: "NAME.lua (backend)") against PyTorch's. */
typedef void (*output_check)(const ctg_tensor *got, const ctg_tensor *want, const char *what, void *ctx);

/* The layers tests/SCRIPT writes into dir (PREFIX_I.lua with PREFIX_I_x, _w, _b and _y .npy,
 * _y PyTorch's output), each run by `run` through every backend of the list (nvrtc on the CUDA
 * double) and judged by compare; returns how many layers. Skips where Debian's python3-torch is
 * missing. */
static int run_against_pytorch(const char *script, const char *prefix, const char *const *backends, int nb,
                               output_check compare, void *ctx) {
  if (system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0) {
    fprintf(stderr, "/usr/bin/python3 cannot import torch (Debian's python3-torch)\n");
    skip();
  }
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "/usr/bin/python3 tests/%s '%s' > '%s/layers.txt'", script, dir, dir);
  assert_int_equal(system(cmd), 0);
  int layers = 0;
  for (int i = 0;; i++) {
    char name[64], file[96];
    snprintf(name, sizeof name, "%s_%d", prefix, i);
    snprintf(file, sizeof file, "%s.lua", name);
    char *spec = tu_path(dir, file);
    struct stat st;
    if (stat(spec, &st) != 0) { free(spec); break; }
    char *paths[4];
    const char *parts[4] = { "x", "w", "b", "y" };
    for (int k = 0; k < 4; k++) {
      snprintf(file, sizeof file, "%s_%s.npy", name, parts[k]);
      paths[k] = tu_path(dir, file);
    }
    char *got = tu_path(dir, "got.npy");
    int has_bias = stat(paths[2], &st) == 0;
    ctg_tensor want;
    assert_int_equal(ctg_npy_load(paths[3], &want, NULL), CTG_OK);
    assert_int_equal(want.ndim, 4);
    for (int b = 0; b < nb; b++) {
      if (strcmp(backends[b], "nvrtc") == 0) setenv("CONVTGEN_CUDA_DOUBLE", "1", 1);
      int rc = has_bias ? CLI("run", spec, "--input", paths[0], "--weight", paths[1], "--bias", paths[2], "--output", got,
                              "--backend", backends[b])
                        : CLI("run", spec, "--input", paths[0], "--weight", paths[1], "--output", got, "--backend", backends[b]);
      unsetenv("CONVTGEN_CUDA_DOUBLE");
      char what[160];
      snprintf(what, sizeof what, "%s.lua (%s)", name, backends[b]);
      if (rc != 0) fprintf(stderr, "%s: %s", what, err);
      assert_int_equal(rc, 0);
      ctg_tensor y;
      assert_int_equal(ctg_npy_load(got, &y, NULL), CTG_OK);
      assert_int_equal(y.ndim, 4);
      for (int d = 0; d < 4; d++) assert_int_equal(y.shape[d], want.shape[d]);
      compare(&y, &want, what, ctx);
      ctg_tensor_free(&y);
    }
    ctg_tensor_free(&want);
    for (int k = 0; k < 4; k++) free(paths[k]);
    free(spec), free(got);
    layers++;
  }
  return layers;
}

/* float32 outputs within 1e-5 of PyTorch's float64 ones. */
static void within_1e5(const ctg_tensor *y, const ctg_tensor *want, const char *what, void *ctx) {
  (void)ctx;
  double worst = 0;
  for (size_t e = 0; e < y->numel; e++) {
    double diff = fabs((double)((float *)y->data)[e] - ((float *)want->data)[e]);
    if (!(diff <= worst)) worst = diff; /* NaN sticks */
  }
  if (!(worst <= 1e-5)) fprintf(stderr, "%s: max difference %g\n", what, worst);
  assert_true(worst <= 1e-5);
}

/* channels_last layers against PyTorch's own outputs (tests/pytorch_channels_last.py runs
 * nn.ConvTranspose2d on torch.channels_last tensors, in float64): `run` through the interpreter,
 * tcc and cc, input and output (N, H, W, C). Skipped where Debian's python3-torch is missing. */
static void test_channels_last_against_pytorch(void **state) {
  (void)state;
  const char *backends[] = { "interp", "tcc", "cc" };
  assert_int_equal(run_against_pytorch("pytorch_channels_last.py", "cl", backends, 3, within_1e5, NULL), 5);
}

/* A float16 / bfloat16 pattern as a signed step count from zero: adjacent values are one apart,
 * across zero too. */
static long half_steps(uint16_t h) { return h & 0x8000 ? -(long)(h & 0x7fff) : (long)h; }

/* float16 / bfloat16 outputs of PyTorch's dtype within one unit in the last place; counts those
 * one unit apart and all outputs (ctx: two size_t). */
static void within_one_unit(const ctg_tensor *y, const ctg_tensor *want, const char *what, void *ctx) {
  size_t *counts = ctx;
  assert_true(want->dtype == CTG_FLOAT16 || want->dtype == CTG_BFLOAT16);
  assert_int_equal(y->dtype, want->dtype); /* bfloat16 read as '<i2', written as '<u2' */
  long worst = 0;
  for (size_t e = 0; e < y->numel; e++) {
    long diff = labs(half_steps(((uint16_t *)y->data)[e]) - half_steps(((uint16_t *)want->data)[e]));
    if (diff > worst) worst = diff;
    counts[0] += diff == 1;
  }
  counts[1] += y->numel;
  if (worst > 1) fprintf(stderr, "%s: %ld units in the last place off\n", what, worst);
  assert_true(worst <= 1);
}

/* float16 and bfloat16 layers against PyTorch (tests/pytorch_half.py: its conv_transpose2d on the
 * values widened, activation, one rounding to the dtype by PyTorch): `run` through the
 * interpreter, tcc, cc and nvrtc on the CUDA double, every output within one unit in the last
 * place (PyTorch rounds the float64 sum, the backends their float32 sum). Contiguous and
 * channels_last, groups, dilation, relu, tanh, sigmoid; bfloat16 files are '<i2' bits in,
 * '<u2' out. Skipped where Debian's python3-torch is missing. */
static void test_half_against_pytorch(void **state) {
  (void)state;
  const char *backends[] = { "interp", "tcc", "cc", "nvrtc" };
  size_t counts[2] = { 0, 0 }; /* outputs one unit apart, outputs */
  assert_int_equal(run_against_pytorch("pytorch_half.py", "h", backends, 4, within_one_unit, counts), 10);
  /* one unit apart is a rare tie between two roundings, not the rule */
  printf("  float16/bfloat16 vs PyTorch: %zu of %zu outputs one unit apart, none further\n", counts[0], counts[1]);
  assert_true(counts[0] * 100 < counts[1]);
}

/* The PyTorch documentation example end to end: .npy in, .npy out, values within 5e-4. */
static void test_run_pytorch_example(void **state) {
  (void)state;
  char *spec = tu_write(dir, "doc1.lua", "return {in_channels = 1, out_channels = 3, kernel_size = 1, "
                        "input_shape = {1, 1, 6}}", (size_t)-1);
  const float x[] = { 8, -3, 0, 1, 5, -2 }, w[] = { 0.4414f, 0.4792f, -0.1353f }, b[] = { 0.5304f, -0.1265f, 0.1165f };
  const int64_t xs[] = { 1, 1, 6 }, ws[] = { 1, 3, 1, 1 }, bs[] = { 3 };
  save("x.npy", 3, xs, x);
  save("w.npy", 4, ws, w);
  save("b.npy", 1, bs, b);
  char *xp = tu_path(dir, "x.npy"), *wp = tu_path(dir, "w.npy"), *bp = tu_path(dir, "b.npy"),
       *yp = tu_path(dir, "y.npy");
  assert_int_equal(CLI("run", spec, "--input", xp, "--weight", wp, "--bias", bp, "--output", yp,
                       "--backend", "interp"), 0);
  ctg_tensor y;
  assert_int_equal(ctg_npy_load(yp, &y, NULL), CTG_OK);
  assert_int_equal(y.ndim, 3);
  assert_int_equal(y.shape[0], 3);
  assert_int_equal(y.shape[1], 1);
  assert_int_equal(y.shape[2], 6);
  const float want[] = { 4.0616f, -0.7939f, 0.5304f, 0.9718f, 2.7374f, -0.3525f,
                         3.7071f, -1.5641f, -0.1265f, 0.3527f, 2.2695f, -1.0849f,
                         -0.9656f, 0.5223f, 0.1165f, -0.0188f, -0.5598f, 0.3870f };
  for (int i = 0; i < 18; i++) assert_true(fabs(((float *)y.data)[i] - want[i]) <= 5e-4);
  ctg_tensor_free(&y);
  /* the tcc backend gives the same numbers */
  char *yt = tu_path(dir, "yt.npy");
  assert_int_equal(CLI("run", spec, "--input", xp, "--weight", wp, "--bias", bp, "--output", yt, "--backend", "tcc"), 0);
  assert_int_equal(ctg_npy_load(yt, &y, NULL), CTG_OK);
  for (int i = 0; i < 18; i++) assert_true(fabs(((float *)y.data)[i] - want[i]) <= 5e-4);
  ctg_tensor_free(&y);
  free(yt);
  /* --opt=value works too, and the default backend is the interpreter */
  char in_eq[1100], out_eq[1100];
  snprintf(in_eq, sizeof in_eq, "--input=%s", xp);
  snprintf(out_eq, sizeof out_eq, "--output=%s", yp);
  assert_int_equal(CLI("run", spec, in_eq, "--weight", wp, "--bias", bp, out_eq), 0);
  /* a batch of 2 of the same image through the unbatched spec's kernel (tcc and cc): the
   * documented numbers twice, in a (2, 3, 1, 6) output */
  const float x2[] = { 8, -3, 0, 1, 5, -2, 8, -3, 0, 1, 5, -2 };
  const int64_t x2s[] = { 2, 1, 1, 6 };
  save("x2.npy", 4, x2s, x2);
  char *x2p = tu_path(dir, "x2.npy"), *y2p = tu_path(dir, "y2.npy");
  const char *backends[] = { "tcc", "cc" };
  for (int i = 0; i < 2; i++) {
    assert_int_equal(CLI("run", spec, "--input", x2p, "--weight", wp, "--bias", bp, "--output", y2p,
                         "--backend", backends[i]), 0);
    assert_int_equal(ctg_npy_load(y2p, &y, NULL), CTG_OK);
    assert_int_equal(y.ndim, 4);
    assert_int_equal(y.shape[0], 2);
    assert_int_equal(y.shape[1], 3);
    for (int j = 0; j < 36; j++) assert_true(fabs(((float *)y.data)[j] - want[j % 18]) <= 5e-4);
    ctg_tensor_free(&y);
  }
  free(x2p), free(y2p);
  free(xp), free(wp), free(bp), free(yp), free(spec);
}

static void test_run_errors_leave_no_output(void **state) {
  (void)state;
  char *spec = tu_write(dir, "r.lua", "return {in_channels = 2, out_channels = 3, kernel_size = 2, stride = 2, "
                        "input_shape = {1, 2, 3, 3}}", (size_t)-1);
  char *nobias = tu_write(dir, "nb.lua", "return {in_channels = 2, out_channels = 3, kernel_size = 2, "
                          "bias = false, input_shape = {1, 2, 3, 3}}", (size_t)-1);
  float data[64] = { 0 };
  const int64_t xs[] = { 1, 2, 3, 3 }, ws[] = { 2, 3, 2, 2 }, bs[] = { 3 }, wrong[] = { 1, 2, 3, 4 };
  save("rx.npy", 4, xs, data);
  save("rw.npy", 4, ws, data);
  save("rb.npy", 1, bs, data);
  save("wrong.npy", 4, wrong, data);
  char *x = tu_path(dir, "rx.npy"), *w = tu_path(dir, "rw.npy"), *b = tu_path(dir, "rb.npy"),
       *bad = tu_path(dir, "wrong.npy"), *y = tu_path(dir, "ry.npy"), *text = tu_write(dir, "t.npy", "hello", 5),
       *nodir = tu_path(dir, "none/y.npy");

  expect_usage_error(CLI("run", spec, "--weight", w, "--bias", b, "--output", y), "run: --input is required");
  expect_usage_error(CLI("run", spec, "--input", x, "--bias", b, "--output", y), "run: --weight is required");
  expect_usage_error(CLI("run", spec, "--input", x, "--weight", w, "--bias", b), "run: --output is required");
  expect_usage_error(CLI("run", spec, "--input", x, "--weight", w, "--output", y),
                     "has bias = true, so --bias is required");
  expect_usage_error(CLI("run", nobias, "--input", x, "--weight", w, "--bias", b, "--output", y),
                     "has bias = false, but --bias was given");
  expect_usage_error(CLI("run", spec, "--input", bad, "--weight", w, "--bias", b, "--output", y),
                     "wrong.npy: input has shape (1, 2, 3, 4) but the spec needs (1, 2, 3, 3)");
  expect_usage_error(CLI("run", spec, "--input", x, "--weight", bad, "--bias", b, "--output", y),
                     "wrong.npy: weight has shape (1, 2, 3, 4) but the spec needs (2, 3, 2, 2)");
  expect_usage_error(CLI("run", spec, "--input", x, "--weight", w, "--bias", x, "--output", y),
                     "rx.npy: bias has shape (1, 2, 3, 3) but the spec needs (3,)");
  expect_usage_error(CLI("run", spec, "--input", text, "--weight", w, "--bias", b, "--output", y),
                     "t.npy: not a .npy file");
  expect_usage_error(CLI("run", spec, "--input", "/no/such.npy", "--weight", w, "--bias", b, "--output", y),
                     "/no/such.npy: cannot open");
  setenv("CC", "/no/such/compiler", 1);
  expect_usage_error(CLI("run", spec, "--input", x, "--weight", w, "--bias", b, "--output", y, "--backend", "cc"),
                     "backend 'cc': the C compiler '/no/such/compiler' (from $CC, else cc) does not run");
  unsetenv("CC");
  expect_usage_error(CLI("run", spec, "--input", x, "--weight", w, "--bias", b, "--output", y, "--backend", "gpu"),
                     "unknown backend 'gpu'");
  assert_false(tu_exists(y));
  expect_usage_error(CLI("run", spec, "--input", x, "--weight", w, "--bias", b, "--output", nodir),
                     "none/y.npy: cannot create");
  assert_false(tu_exists(nodir));
  assert_int_equal(CLI("run", spec, "--input", x, "--weight", w, "--bias", b, "--output", y), 0);
  assert_true(tu_exists(y));
  free(x), free(w), free(b), free(bad), free(y), free(text), free(nodir), free(spec), free(nobias);
}

static void test_run_empty_batch(void **state) {
  (void)state;
  char *spec = tu_write(dir, "e.lua", "return {in_channels = 2, out_channels = 3, kernel_size = 2, bias = false, "
                        "input_shape = {0, 2, 3, 3}}", (size_t)-1);
  const int64_t xs[] = { 0, 2, 3, 3 }, ws[] = { 2, 3, 2, 2 };
  float w[24] = { 0 };
  save("ex.npy", 4, xs, NULL);
  save("ew.npy", 4, ws, w);
  char *x = tu_path(dir, "ex.npy"), *wp = tu_path(dir, "ew.npy"), *y = tu_path(dir, "ey.npy");
  assert_int_equal(CLI("run", spec, "--input", x, "--weight", wp, "--output", y), 0);
  ctg_tensor t;
  assert_int_equal(ctg_npy_load(y, &t, NULL), CTG_OK);
  assert_int_equal(t.ndim, 4);
  assert_int_equal(t.shape[0], 0);
  assert_int_equal(t.shape[2], 4);
  assert_int_equal(t.numel, 0);
  ctg_tensor_free(&t);
  free(x), free(wp), free(y), free(spec);
}

static void test_cuda_gen_and_cache(void **state) {
  (void)state;
  char *spec = tu_write(dir, "cu.lua", "return {in_channels = 4, out_channels = 2, kernel_size = 3, stride = 2, "
                        "name = 'cli_cuda', input_shape = {1, 4, 5, 3}}", (size_t)-1);
  char *out_dir = tu_path(dir, "cuda_out"), *cu = tu_path(out_dir, "cli_cuda.cu"), *cuh = tu_path(out_dir, "cli_cuda.cuh");
  assert_int_equal(CLI("gen", spec, "--target", "cuda", "-o", out_dir), 0);
  assert_true(tu_exists(cu));
  assert_true(tu_exists(cuh));
  /* the cache verbs, on a cache directory of our own */
  char *cache = tu_path(dir, "cache");
  setenv("CONVTGEN_CACHE_DIR", cache, 1);
  assert_int_equal(CLI("cache", "list"), 0);
  assert_contains(out, "0 entries in ");
  assert_contains(out, "/cache");
  assert_int_equal(mkdir(cache, 0755), 0);
  free(tu_write(cache, "0123456789abcdef.cubin", "x", 1));
  free(tu_write(cache, "notes.txt", "keep me", (size_t)-1)); /* not ours: untouched */
  assert_int_equal(CLI("cache", "list"), 0);
  assert_contains(out, "0123456789abcdef.cubin\t1 bytes\t");
  assert_contains(out, "(not a sealed entry: ignored)\n1 entries in ");
  assert_int_equal(CLI("cache", "clear"), 0);
  assert_contains(out, "removed 1 entries from ");
  char *notes = tu_path(cache, "notes.txt");
  assert_true(tu_exists(notes));
  char *restore = tu_path(dir, "kernel-cache");
  setenv("CONVTGEN_CACHE_DIR", restore, 1);
  free(restore);
  free(notes), free(cache), free(spec), free(out_dir), free(cu), free(cuh);
}

static void test_gen_with_baked_weights(void **state) {
  (void)state;
  char *spec = tu_write(dir, "baked.lua", "return {in_channels = 2, out_channels = 2, kernel_size = 2, stride = 2, "
                        "name = 'baked_layer', unroll = 'full', input_shape = {1, 2, 2, 2}}", (size_t)-1);
  const int64_t ws[] = { 2, 2, 2, 2 }, bs[] = { 2 }, wrong[] = { 2, 2, 2, 1 };
  float w[16], b[2] = { 0.5f, -1.0f };
  for (int i = 0; i < 16; i++) w[i] = i % 3 ? 0.25f * (float)i : 0.0f; /* every third weight pruned */
  save("bw.npy", 4, ws, w);
  save("bb.npy", 1, bs, b);
  save("bwrong.npy", 4, wrong, w);
  w[5] = NAN;
  save("bnan.npy", 4, ws, w);
  char *wp = tu_path(dir, "bw.npy"), *bp = tu_path(dir, "bb.npy"), *bad = tu_path(dir, "bwrong.npy"),
       *nan = tu_path(dir, "bnan.npy"), *out_dir = tu_path(dir, "fw"), *c = tu_path(out_dir, "baked_layer.c"),
       *h = tu_path(out_dir, "baked_layer.h");
  expect_usage_error(CLI("gen", spec, "--weights", bad, "--bias", bp, "-o", out_dir),
                     "bwrong.npy: weight has shape (2, 2, 2, 1) but the spec needs (2, 2, 2, 2)");
  expect_usage_error(CLI("gen", spec, "--weights", nan, "--bias", bp, "-o", out_dir),
                     "weight: element 5 is nan; only finite values can be baked in");
  assert_false(tu_exists(c));
  char said[4096], errs[1024];
  const char *args[] = { "convtgen", "gen", spec, "--weights", wp, "--bias", bp, "-o", out_dir, NULL };
  assert_int_equal(tu_cli(args, said, sizeof said, errs, sizeof errs), 0);
  /* firmware: the C99 code alone by default, and the Cortex-M4F estimate */
  assert_contains(said, "code: unrolled");
  assert_null(strstr(said, " where "));
  assert_contains(said, "on a Cortex-M4F at -Os");
  const char *plain[] = { "convtgen", "gen", spec, "-o", out_dir, NULL };
  assert_int_equal(tu_cli(plain, said, sizeof said, errs, sizeof errs), 0);
  assert_null(strstr(said, "Cortex-M4F")); /* not firmware: no microcontroller estimate */
  assert_int_equal(CLI("gen", spec, "--weights", wp, "--bias", bp, "-o", out_dir), 0);
  char *text = malloc(1 << 16);
  FILE *f = fopen(h, "r");
  text[fread(text, 1, (1 << 16) - 1, f)] = '\0';
  fclose(f);
  assert_contains(text, "int baked_layer_run(const float *input, float *output);");
  /* 2 cin x 2 cout x 4 taps = 16 weights, 6 of them zero: 10 multiply-adds per 2x2 block of
   * outputs (one tap each), over the 2x2 input positions */
  assert_contains(text, "#define BAKED_LAYER_MACS 40   /* multiply-adds per call, exact-zero weights skipped */");
  f = fopen(c, "r");
  text[fread(text, 1, (1 << 16) - 1, f)] = '\0';
  fclose(f);
  assert_contains(text, "static const float baked_layer_weight[16] = {");
  assert_contains(text, "static const float baked_layer_bias[2] = {");
  assert_contains(text, "0.5f, -1.0f,");
  free(text), free(wp), free(bp), free(bad), free(nan), free(out_dir), free(c), free(h), free(spec);
}

static void test_gen_and_check(void **state) {
  (void)state;
  char *spec = tu_write(dir, "g.lua", "return {in_channels = 4, out_channels = 2, kernel_size = 3, stride = 2, "
                        "padding = 1, output_padding = 1, name = 'cli_layer', input_shape = {2, 4, 5, 3}}", (size_t)-1);
  char *out_dir = tu_path(dir, "generated"), *c = tu_path(out_dir, "cli_layer.c"), *h = tu_path(out_dir, "cli_layer.h");
  assert_int_equal(CLI("gen", spec, "--target", "c", "-o", out_dir), 0); /* creates the directory */
  assert_contains(out, "wrote ");
  assert_contains(out, "cli_layer.c");
  assert_true(tu_exists(c));
  assert_true(tu_exists(h));
  assert_int_equal(CLI("check", spec), 0);
  assert_contains(out, "PASS  tcc    max scaled error");
  assert_contains(out, "seed 1,");
  assert_int_equal(CLI("check", spec, "--backend", "all", "--seed", "42"), 0);
  assert_contains(out, "PASS  tcc");
  assert_contains(out, "seed 42,");
  assert_contains(out, "PASS  cc ");
  assert_contains(out, "SKIP  nvrtc");
  /* auto: the tier that runs at once, then the one that replaces it; then, cached, cc alone */
  char *auto_spec = tu_write(dir, "auto.lua", "return {in_channels = 4, out_channels = 2, kernel_size = 3, "
                             "stride = 2, name = 'cli_auto', input_shape = {1, 4, 5, 3}}", (size_t)-1);
  assert_int_equal(CLI("check", auto_spec, "--backend", "auto"), 0);
  assert_contains(out, "PASS  auto:tcc max scaled error");
  assert_contains(out, "\nPASS  auto:cc max scaled error");
  assert_int_equal(CLI("check", auto_spec, "--backend", "auto"), 0);
  assert_true(strncmp(out, "PASS  auto:cc max scaled error", 30) == 0);
  assert_int_equal(tu_lines(out), 1);
  free(auto_spec);
  assert_int_equal(CLI("bench", spec, "--backend", "tcc"), 0);
  assert_contains(out, "name\tbackend\tthreads\tmedian_ms\tgflops\tcompile_ms\ncli_layer\ttcc\t1\t");
  char *suite = tu_write(dir, "s.tsv", "# a comment\nsmall\t1\t4\t3\t3\t2\t3\t3\t2\t2\t1\t1\t1\t1\t1\t1\t1\t0\n",
                         (size_t)-1);
  assert_int_equal(CLI("bench", "--suite", suite, "--backend", "interp"), 0);
  assert_contains(out, "\nsmall\tinterp\t1\t");
  free(suite);
  assert_int_equal(CLI("info", spec), 0);
  assert_contains(out, "plan  (stride-phase code, unroll = auto)");
  assert_contains(out, "phase (1, 1)   4 taps  5x3 outputs  interior 4x2  border 7 outputs  4 regions");
  free(spec), free(out_dir), free(c), free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_bad_spec_exits_2_with_one_line),
    cmocka_unit_test(test_usage_errors),
    cmocka_unit_test(test_help),
    cmocka_unit_test(test_info),
    cmocka_unit_test(test_run_pytorch_example),
    cmocka_unit_test(test_channels_last_against_pytorch),
    cmocka_unit_test(test_half_against_pytorch),
    cmocka_unit_test(test_run_errors_leave_no_output),
    cmocka_unit_test(test_run_empty_batch),
    cmocka_unit_test(test_gen_and_check),
    cmocka_unit_test(test_gen_with_baked_weights),
    cmocka_unit_test(test_cuda_gen_and_cache),
  };
  return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
