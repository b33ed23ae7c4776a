/* test_cuda_double.c: the nvrtc backend end to end on the CPU double of the CUDA driver and NVRTC
 * (tools/cuda_double, loaded through CONVTGEN_CUDA_DOUBLE=1 exactly as the real libraries are
 * on a GPU machine): every sweep layer and every public layer bound, run on device pointers on
 * a stream, run from host pointers, at other batches; the grid limits; arch choice; faults.
 * With CONVTGEN_CUDA_REAL=1 the same tests run on a real GPU (the fault tests skip). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sweep_configs.h"
#include "testutil.h"

typedef unsigned long long dptr;

/* The driver the backend loaded: the test allocates and copies through the same one. */
static struct {
  int (*device_get)(int *, int);
  int (*retain)(void **, int);
  int (*set_current)(void *);
  int (*alloc)(dptr *, size_t);
  int (*free)(dptr);
  int (*htod)(dptr, const void *, size_t);
  int (*dtoh)(void *, dptr, size_t);
  int (*stream_create)(void **, unsigned);
  int (*stream_destroy)(void *);
  int (*stream_sync)(void *);
  int (*load)(void **, const void *);
  int (*unload)(void *);
  int (*get_function)(void **, void *, const char *);
  int (*launch)(void *, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void *, void **, void **);
  int (*attribute)(int *, int, int);
  int (*fault)(const char *, int);       /* the double's only */
  int (*stats)(long long *, int);        /* the double's only */
} drv;

static int real_gpu;
static char *cache_dir;

#define SYM(field, name) *(void **)&drv.field = ctg__cuda_driver_symbol(name)

static int setup(void **state) {
  (void)state;
  cache_dir = tu_mkdtemp();
  setenv("CONVTGEN_CACHE_DIR", cache_dir, 1);
  /* a probe compile loads the driver; then the test finds its functions */
  ctg_spec *spec = tu_spec("return {in_channels = 1, out_channels = 1, kernel_size = 1, input_shape = {1, 1, 1}}");
  ctg_options o = { CTG_BACKEND_NVRTC, NULL, NULL, 0, 0 };
  ctg_kernel *k;
  ctg_error err;
  int st = ctg_compile(spec, &o, &k, &err);
  ctg_spec_free(spec);
  if (st != CTG_OK) {
    fprintf(stderr, "the nvrtc backend does not load: %s\n", err.message);
    return -1;
  }
  ctg_kernel_free(k);
  SYM(device_get, "cuDeviceGet");
  SYM(attribute, "cuDeviceGetAttribute");
  SYM(retain, "cuDevicePrimaryCtxRetain");
  SYM(set_current, "cuCtxSetCurrent");
  SYM(alloc, "cuMemAlloc_v2");
  SYM(free, "cuMemFree_v2");
  SYM(htod, "cuMemcpyHtoD_v2");
  SYM(dtoh, "cuMemcpyDtoH_v2");
  SYM(stream_create, "cuStreamCreate");
  SYM(stream_destroy, "cuStreamDestroy_v2");
  SYM(stream_sync, "cuStreamSynchronize");
  SYM(load, "cuModuleLoadData");
  SYM(unload, "cuModuleUnload");
  SYM(get_function, "cuModuleGetFunction");
  SYM(launch, "cuLaunchKernel");
  SYM(fault, "cuDoubleFault");
  SYM(stats, "cuDoubleStats");
  return drv.alloc && drv.launch && (real_gpu || (drv.fault && drv.stats)) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  tu_rmtree(cache_dir);
  free(cache_dir);
  return 0;
}

/* "sm_XY" of device 0 (sm_90 on the double), for code the test compiles itself. */
static const char *device_arch(void) {
  static char arch[16];
  int major = 0, minor = 0;
  assert_int_equal(drv.attribute(&major, 75, 0), 0); /* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR */
  assert_int_equal(drv.attribute(&minor, 76, 0), 0);
  snprintf(arch, sizeof arch, "sm_%d%d", major, minor);
  return arch;
}

/* Makes device d's primary context current on this thread (the library's calls do the same). */
static void use_device(int d) {
  int dev;
  void *ctx;
  assert_int_equal(drv.device_get(&dev, d), 0);
  assert_int_equal(drv.retain(&ctx, dev), 0);
  assert_int_equal(drv.set_current(ctx), 0);
}

static void *host_random(const ctg_params *p, ctg_role role, uint64_t *seed) {
  size_t n = ctg_params_numel(p, role);
  void *v = malloc(ctg_params_bytes(p, role) + 16);
  ctg__random_fill_dtype(v, n, ctg_params_tensor_dtype(p, role), seed);
  return v;
}

static ctg_params with_batch(const ctg_params *p, int n) {
  ctg_params q = *p;
  q.batch = n, q.batched = 1;
  return q;
}

static void expect_pass(const ctg_params *p, const void *x, const void *w, const void *b, const void *y,
                        const char *what) {
  ctg_check_result r;
  ctg_error err;
  tu_assert_ok(ctg__compare(p, x, w, b, y, &r, &err), &err);
  if (!r.passed)
    fprintf(stderr, "%s (%s, batch %d): scaled error %g > %g at %zu: %g vs %g\n", p->name, what, p->batch,
            r.max_scaled_error, r.tolerance, r.worst, r.got, r.want);
  assert_true(r.passed);
}

/* Layer k (device d) through every way in: weights bound and a run on device pointers enqueued
 * on a stream of the test's (checked against the interpreter), the host run of bound weights
 * and forward on the caller's device weights (each bit for bit the first: the same kernel); at
 * batch n. Outputs start as NaN. */
static void device_paths(const ctg_kernel *kc, int d, int n, uint64_t *seed) {
  ctg_kernel *k = (ctg_kernel *)(uintptr_t)kc;
  const ctg_params pn = with_batch(ctg_kernel_params(k), n);
  const size_t ny = ctg_params_bytes(&pn, CTG_OUTPUT);
  ctg_error err;
  void *x = host_random(&pn, CTG_INPUT, seed), *w = host_random(&pn, CTG_WEIGHT, seed),
       *b = host_random(&pn, CTG_BIAS, seed), *y = malloc(ny + 16), *first = malloc(ny + 16);
  tu_assert_ok(ctg_kernel_bind_weights(k, w, pn.bias ? b : NULL, &err), &err);
  use_device(d);
  void *s;
  dptr dx = 0, dy = 0, dw = 0, db = 0;
  assert_int_equal(drv.stream_create(&s, 1), 0);
  if (n > 0) {
    assert_int_equal(drv.alloc(&dx, ctg_params_bytes(&pn, CTG_INPUT)), 0);
    assert_int_equal(drv.alloc(&dy, ny), 0);
    assert_int_equal(drv.alloc(&dw, ctg_params_bytes(&pn, CTG_WEIGHT)), 0);
    if (pn.bias) assert_int_equal(drv.alloc(&db, ctg_params_bytes(&pn, CTG_BIAS)), 0);
    assert_int_equal(drv.htod(dx, x, ctg_params_bytes(&pn, CTG_INPUT)), 0);
    assert_int_equal(drv.htod(dw, w, ctg_params_bytes(&pn, CTG_WEIGHT)), 0);
    if (pn.bias) assert_int_equal(drv.htod(db, b, ctg_params_bytes(&pn, CTG_BIAS)), 0);
    memset(y, 0xff, ny);
    assert_int_equal(drv.htod(dy, y, ny), 0);
  }
  /* bound weights, device pointers, the test's stream */
  tu_assert_ok(ctg_kernel_run_device(k, n, (void *)(uintptr_t)dx, NULL, NULL, (void *)(uintptr_t)dy, s, &err), &err);
  assert_int_equal(drv.stream_sync(s), 0);
  if (n > 0) {
    assert_int_equal(drv.dtoh(first, dy, ny), 0);
    expect_pass(&pn, x, w, b, first, "bound weights, device pointers");
    /* the caller's device weights */
    memset(y, 0xff, ny);
    assert_int_equal(drv.htod(dy, y, ny), 0);
    tu_assert_ok(ctg_kernel_run_device(k, n, (void *)(uintptr_t)dx, (void *)(uintptr_t)dw, (void *)(uintptr_t)db,
                                           (void *)(uintptr_t)dy, s, &err), &err);
    assert_int_equal(drv.stream_sync(s), 0);
    assert_int_equal(drv.dtoh(y, dy, ny), 0);
    assert_memory_equal(y, first, ny);
  }
  /* bound weights, host pointers */
  memset(y, 0xff, ny);
  tu_assert_ok(ctg_kernel_run(k, n, x, NULL, NULL, y, &err), &err);
  if (n > 0) assert_memory_equal(y, first, ny);
  assert_int_equal(drv.stream_destroy(s), 0);
  if (dx) drv.free(dx), drv.free(dy), drv.free(dw);
  if (db) drv.free(db);
  free(x), free(w), free(b), free(y), free(first);
}

static int sweep_spec_dtype(int i, const char *dtype, ctg_spec **spec) {
  config c;
  char src[600], named[760];
  sweep_random_config(&c, i);
  if (strncmp(dtype, "complex", 7) == 0) c.act = 0;
  sweep_spec_text(&c, src, sizeof src);
  snprintf(named, sizeof named, "return {name = 'sweep%d', dtype = '%s', %s", i, dtype, src + strlen("return {"));
  return ctg_spec_from_string(named, "sweep", spec, NULL) == CTG_OK;
}

#define SWEEP_LAYERS 700 /* indices; about a quarter are layers PyTorch rejects */
#define DTYPE_LAYERS 60

static void test_the_sweep_through_every_path(void **state) {
  (void)state;
  ctg_options o = { CTG_BACKEND_NVRTC, NULL, NULL, 0, 0 };
  int checked = 0;
  uint64_t seed = 11;
  for (int i = 0; i < SWEEP_LAYERS; i++) {
    ctg_spec *spec;
    if (!sweep_spec_dtype(i, "float32", &spec)) continue;
    ctg_kernel *k;
    ctg_error err;
    ctg_check_result r;
    tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
    tu_assert_ok(ctg_check(k, (uint64_t)i, &r, &err), &err); /* forward: host pointers, weights each call */
    if (!r.passed) fprintf(stderr, "sweep %d: scaled error %g > %g\n", i, r.max_scaled_error, r.tolerance);
    assert_true(r.passed);
    const ctg_params *p = ctg_spec_params(spec);
    device_paths(k, 0, p->batch, &seed);
    if (checked % 8 == 0) device_paths(k, 0, 3 * (p->batch ? p->batch : 1) + 1, &seed); /* another batch */
    if (checked % 50 == 0) device_paths(k, 0, 0, &seed);                                  /* batch 0 */
    ctg_kernel_free(k);
    ctg_spec_free(spec);
    checked++;
  }
  printf("  %d sweep layers: bound, device pointers on a stream, host pointers, forward; every 8th at "
         "another batch\n", checked);
  assert_true(checked >= 500);
}

static void test_every_dtype(void **state) {
  (void)state;
  const char *dtypes[] = { "float64", "complex64", "complex128", "float16", "bfloat16" };
  ctg_options o = { CTG_BACKEND_NVRTC, NULL, NULL, 0, 0 };
  uint64_t seed = 5;
  for (int d = 0; d < 5; d++) {
    int checked = 0;
    for (int i = 0; i < DTYPE_LAYERS; i++) {
      ctg_spec *spec;
      if (!sweep_spec_dtype(i, dtypes[d], &spec)) continue;
      ctg_kernel *k;
      ctg_error err;
      ctg_check_result r;
      tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
      tu_assert_ok(ctg_check(k, (uint64_t)i, &r, &err), &err);
      assert_true(r.passed);
      if (i % 4 == 0) device_paths(k, 0, ctg_spec_params(spec)->batch, &seed);
      ctg_kernel_free(k);
      ctg_spec_free(spec);
      checked++;
    }
    printf("  %-10s %d sweep layers\n", dtypes[d], checked);
    assert_true(checked >= 40);
  }
}

static void test_the_public_suite(void **state) {
  (void)state;
  ctg_suite_layer *layers;
  size_t count;
  ctg_options o = { CTG_BACKEND_NVRTC, NULL, NULL, 0, 0 };
  uint64_t seed = 3;
  assert_int_equal(ctg_suite_load(CTG_TEST_ROOT "/bench/layers.tsv", &layers, &count, NULL), CTG_OK);
  for (size_t i = 0; i < count; i++) {
    ctg_spec *spec;
    ctg_kernel *k;
    ctg_error err;
    assert_int_equal(ctg_spec_from_layer(&layers[i].layer, &spec, NULL), CTG_OK);
    double t0 = ctg__now_ms();
    tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
    device_paths(k, 0, ctg_spec_params(spec)->batch, &seed);
    printf("  %-12s PASS (bound, device pointers, host pointers, forward) %.1f s\n", layers[i].name,
           (ctg__now_ms() - t0) / 1e3);
    ctg_kernel_free(k);
    ctg_spec_free(spec);
  }
  free(layers);
}

/* Layers whose grids pass the driver's limits: more than 65535 channel tiles (z), an image of
 * more than 65535 block rows (y), a batch of more than 65535 images' rows, 100 row phases. */
static void test_grids_past_the_limits(void **state) {
  (void)state;
  const char *layers[] = {
    "return {name = 'wide_z', in_channels = 1, out_channels = 65537, kernel_size = 1, input_shape = {1, 1, 1, 1}}",
    "return {name = 'tall_y', in_channels = 1, out_channels = 1, kernel_size = 1, input_shape = {1, 1, 16777216, 1}}",
    "return {name = 'many_n', in_channels = 1, out_channels = 2, kernel_size = 2, stride = 2, "
    "input_shape = {70000, 1, 1, 1}}",
    "return {name = 'phases', in_channels = 2, out_channels = 2, kernel_size = {100, 1}, stride = {100, 1}, "
    "input_shape = {1, 2, 3, 2}}",
  };
  ctg_options o = { CTG_BACKEND_NVRTC, NULL, NULL, 0, 0 };
  for (int i = 0; i < 4; i++) {
    ctg_spec *spec = tu_spec(layers[i]);
    ctg_kernel *k;
    ctg_error err;
    ctg_check_result r;
    long long before[6] = { 0 }, after[6] = { 0 };
    tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
    if (drv.stats) drv.stats(before, 6);
    tu_assert_ok(ctg_check(k, 1, &r, &err), &err);
    if (drv.stats) drv.stats(after, 6);
    printf("  %-7s PASS, %lld launches\n", ctg_spec_params(spec)->name, after[5] - before[5]);
    assert_true(r.passed);
    if (drv.stats && i < 3) assert_true(after[5] - before[5] >= 2); /* sliced */
    ctg_kernel_free(k);
    ctg_spec_free(spec);
  }
}

/* 64-bit image offsets: the kernel of image n = 40000 of a layer whose image has 2^16 outputs,
 * i.e. 2.6e9 elements past the launch's first image, run alone (one block, y0 = n's row block)
 * on pointers placed so that image lands in small buffers. 32-bit index math lands elsewhere. */
static void test_image_offsets_past_2_31(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {name = 'far', in_channels = 1, out_channels = 4, kernel_size = 2, stride = 2, "
                           "bias = false, input_shape = {1, 1, 64, 64}}");
  const ctg_params *p = ctg_spec_params(spec);
  char *src;
  ctg__emitted e;
  ctg_error err;
  tu_assert_ok(ctg__emit(p, "cuda", NULL, NULL, &e, &err), &err);
  src = e.source;
  assert_true(e.launch_count >= 1);
  void *image;
  size_t size;
  use_device(0);
  tu_assert_ok(ctg__nvrtc_compile(src, device_arch(), &image, &size, NULL, &err), &err);
  void *module, *fn;
  assert_int_equal(drv.load(&module, image), 0);
  free(image);
  assert_int_equal(drv.get_function(&fn, module, e.launches[0].name), 0);
  const long long n = 40000, in_image = 64 * 64, out_image = 4 * 128 * 128;
  assert_true(n * out_image > 2147483647LL);
  uint64_t seed = 9;
  ctg_params one = with_batch(p, 1);
  float *x = host_random(&one, CTG_INPUT, &seed), *w = host_random(&one, CTG_WEIGHT, &seed);
  float *y = malloc(out_image * 4);
  dptr dx, dw, dy;
  assert_int_equal(drv.alloc(&dx, in_image * 4), 0);
  assert_int_equal(drv.alloc(&dw, ctg_params_numel(p, CTG_WEIGHT) * 4), 0);
  assert_int_equal(drv.alloc(&dy, out_image * 4), 0);
  assert_int_equal(drv.htod(dx, x, in_image * 4), 0);
  assert_int_equal(drv.htod(dw, w, ctg_params_numel(p, CTG_WEIGHT) * 4), 0);
  /* every kernel (one per row phase), every block of image n, one block launch at a time */
  dptr x0 = dx - (dptr)(n * in_image * 4), y0p = dy - (dptr)(n * out_image * 4), nob = 0;
  memset(y, 0xff, out_image * 4);
  assert_int_equal(drv.htod(dy, y, out_image * 4), 0);
  for (int i = 0; i < e.launch_count; i++) {
    const unsigned *g = e.launches[i].grid, *b = e.launches[i].block;
    assert_int_equal(drv.get_function(&fn, module, e.launches[i].name), 0);
    int row0 = (int)(n * g[1]), z0 = 0;
    void *args[6] = { &x0, &dw, &nob, &y0p, &row0, &z0 };
    assert_int_equal(drv.launch(fn, g[0], g[1], g[2], b[0], b[1], b[2], 0, NULL, args, NULL), 0);
  }
  assert_int_equal(drv.stream_sync(NULL), 0);
  assert_int_equal(drv.dtoh(y, dy, out_image * 4), 0);
  expect_pass(&one, x, w, NULL, y, "image 40000 of one launch");
  drv.free(dx), drv.free(dw), drv.free(dy);
  drv.unload(module);
  free(x), free(w), free(y);
  ctg__emitted_free(&e);
  ctg_spec_free(spec);
}

/* What the kernel's device would run, and what it refuses, and NVRTC older than the device. */
static void test_arch_choice(void **state) {
  (void)state;
  if (real_gpu) skip(); /* the double's device is sm_90; a real one is whatever it is */
  ctg_spec *spec = tu_spec("return {name = 'archs', in_channels = 3, out_channels = 2, kernel_size = 3, stride = 2, "
                           "input_shape = {1, 3, 5, 4}}");
  ctg_kernel *k;
  ctg_error err;
  ctg_check_result r;
  ctg_options sm80 = { CTG_BACKEND_NVRTC, "sm_80", NULL, 0, 0 };
  assert_int_equal(ctg_compile(spec, &sm80, &k, &err), CTG_ERR_ARG);
  assert_contains(err.message, "arch sm_80 cannot run on CUDA device 0");
  assert_contains(err.message, "compute_80");
  ctg_options volta = { CTG_BACKEND_NVRTC, "volta", NULL, 0, 0 };
  assert_int_equal(ctg_compile(spec, &volta, &k, &err), CTG_ERR_ARG);
  assert_contains(err.message, "expected sm_XX or compute_XX");
  ctg_options newer = { CTG_BACKEND_NVRTC, "compute_100", NULL, 0, 0 };
  assert_int_equal(ctg_compile(spec, &newer, &k, &err), CTG_ERR_ARG);
  const char *work[] = { "compute_80", "sm_90", "compute_90" };
  for (int i = 0; i < 3; i++) {
    ctg_options o = { CTG_BACKEND_NVRTC, work[i], NULL, 0, 0 };
    tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
    tu_assert_ok(ctg_check(k, 2, &r, &err), &err);
    assert_true(r.passed);
    ctg_kernel_free(k);
  }
  /* an NVRTC that knows no sm_90: PTX for its newest arch below, which the driver compiles */
  setenv("CONVTGEN_CUDA_DOUBLE_ARCHS", "70,75,80,86", 1);
  ctg_spec *other = tu_spec("return {name = 'older_nvrtc', in_channels = 3, out_channels = 2, kernel_size = 3, "
                            "input_shape = {1, 3, 5, 4}}");
  ctg_options o = { CTG_BACKEND_NVRTC, NULL, NULL, 0, 0 };
  tu_assert_ok(ctg_compile(other, &o, &k, &err), &err);
  tu_assert_ok(ctg_check(k, 3, &r, &err), &err);
  assert_true(r.passed);
  ctg_kernel_free(k);
  unsetenv("CONVTGEN_CUDA_DOUBLE_ARCHS");
  char listing[1 << 14];
  size_t count;
  tu_assert_ok(ctg_cache_scan(0, listing, sizeof listing, &count, &err), &err);
  assert_contains(listing, "nvrtc  PTX for compute_86");
  assert_contains(listing, "nvrtc  PTX for compute_80");
  assert_contains(listing, "nvrtc  CUBIN for sm_90");
  ctg_spec_free(other);
  ctg_spec_free(spec);
}

/* --- faults ---------------------------------------------------------------------------- */

static void stats_now(long long s[5]) { drv.stats(s, 5); }

static void assert_same_stats(const long long a[5], const long long b[5]) {
  for (int i = 0; i < 5; i++) {
    if (a[i] != b[i]) fprintf(stderr, "double's count %d: %lld before, %lld after\n", i, a[i], b[i]);
    assert_int_equal(a[i], b[i]);
  }
}

static ctg_kernel *compile_on(int device, const char *name, int stride) {
  char src[300];
  snprintf(src, sizeof src, "return {name = '%s', in_channels = 4, out_channels = 3, kernel_size = 3, stride = %d, "
           "padding = 1, input_shape = {2, 4, 6, 5}}", name, stride);
  ctg_spec *spec = tu_spec(src);
  ctg_options o = { CTG_BACKEND_NVRTC, NULL, NULL, 0, device };
  ctg_kernel *k;
  ctg_error err;
  tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
  ctg_spec_free(spec);
  return k;
}

/* Failures that leave the device usable: out of memory at bind and at a run, a launch refused. */
static void test_allocation_and_launch_failures_free_everything(void **state) {
  (void)state;
  if (real_gpu) skip();
  ctg_kernel *k = compile_on(1, "faults1", 2);
  const ctg_params *p = ctg_kernel_params(k);
  uint64_t seed = 1;
  void *x = host_random(p, CTG_INPUT, &seed), *w = host_random(p, CTG_WEIGHT, &seed),
       *b = host_random(p, CTG_BIAS, &seed), *y = malloc(ctg_params_bytes(p, CTG_OUTPUT));
  long long s0[5], s1[5];
  ctg_error err;
  stats_now(s0);
  drv.fault("alloc", 1); /* the weights' */
  assert_int_equal(ctg_kernel_bind_weights(k, w, b, &err), CTG_ERR_ALLOC);
  assert_contains(err.message, "cuMemAlloc of 432 bytes for the weights on CUDA device 1: out of memory");
  drv.fault("alloc", 2); /* the bias' */
  assert_int_equal(ctg_kernel_bind_weights(k, w, b, &err), CTG_ERR_ALLOC);
  assert_contains(err.message, "for the bias");
  stats_now(s1);
  assert_same_stats(s0, s1);
  tu_assert_ok(ctg_kernel_bind_weights(k, w, b, &err), &err);
  stats_now(s0);
  for (int nth = 1; nth <= 2; nth++) { /* the input's, the output's */
    drv.fault("alloc", nth);
    assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, NULL, NULL, y, &err), CTG_ERR_ALLOC);
    stats_now(s1);
    assert_same_stats(s0, s1);
  }
  drv.fault("alloc", 3); /* forward: input, weights, bias */
  assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, w, b, y, &err), CTG_ERR_ALLOC);
  stats_now(s1);
  assert_same_stats(s0, s1);
  drv.fault("launch", 2);
  assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, NULL, NULL, y, &err), CTG_ERR_INTERNAL);
  assert_contains(err.message, "cuLaunchKernel of kernel faults1_rh1 on CUDA device 1: too many resources requested");
  stats_now(s1);
  assert_same_stats(s0, s1);
  /* still usable */
  tu_assert_ok(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, NULL, NULL, y, &err), &err);
  expect_pass(p, x, w, b, y, "after the failures");
  ctg_kernel_free(k);
  free(x), free(w), free(b), free(y);
}

/* An asynchronous fault poisons the device: said once naming the kernel, every later call is
 * refused with the reason; nothing leaks and other devices go on. */
static void test_an_asynchronous_fault_marks_the_device_unusable(void **state) {
  (void)state;
  if (real_gpu) skip();
  ctg_kernel *k = compile_on(2, "faults2", 2);
  const ctg_params layer = *ctg_kernel_params(k), *p = &layer;
  uint64_t seed = 2;
  void *x = host_random(p, CTG_INPUT, &seed), *w = host_random(p, CTG_WEIGHT, &seed),
       *b = host_random(p, CTG_BIAS, &seed), *y = malloc(ctg_params_bytes(p, CTG_OUTPUT));
  ctg_error err;
  tu_assert_ok(ctg_kernel_bind_weights(k, w, b, &err), &err);
  long long s0[5], s1[5];
  stats_now(s0);
  drv.fault("kernel", 1);
  assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, NULL, NULL, y, &err), CTG_ERR_INTERNAL);
  assert_contains(err.message, "CUDA device 2: a fault, an illegal memory access was encountered "
                               "(CUDA_ERROR_ILLEGAL_ADDRESS), seen at cuLaunchKernel of kernel faults2_rh1; the device's "
                               "context is unusable for the rest of this process");
  stats_now(s1);
  assert_same_stats(s0, s1);
  assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, NULL, NULL, y, &err), CTG_ERR_UNAVAILABLE);
  assert_contains(err.message, "CUDA device 2 is unusable after a fault, an illegal memory access was encountered");
  assert_int_equal(ctg_kernel_run_device(k, 1, (void *)8, NULL, NULL, (void *)8, NULL, &err), CTG_ERR_UNAVAILABLE);
  ctg_spec *spec = tu_spec("return {in_channels = 1, out_channels = 1, kernel_size = 2, input_shape = {1, 1, 2, 2}}");
  ctg_options o = { CTG_BACKEND_NVRTC, NULL, NULL, 0, 2 };
  ctg_kernel *k2;
  assert_int_equal(ctg_compile(spec, &o, &k2, &err), CTG_ERR_UNAVAILABLE);
  ctg_spec_free(spec);
  ctg_kernel_free(k); /* frees its device weights even so */
  stats_now(s1);
  assert_int_equal(s1[1], s0[1] - 2);
  /* another device is not affected */
  ctg_kernel *k0 = compile_on(0, "faults2", 2);
  tu_assert_ok(ctg_kernel_run(k0, ctg_kernel_params(k0)->batch, x, w, b, y, &err), &err);
  expect_pass(p, x, w, b, y, "device 0 after device 2's fault");
  ctg_kernel_free(k0);
  free(x), free(w), free(b), free(y);
}

/* A caller's buffer too small: the kernel's writes past it fault on the device; the caller's
 * synchronize sees it, the process goes on and convtgen says the device is unusable. */
static void test_a_kernel_writing_out_of_bounds_faults_on_the_device(void **state) {
  (void)state;
  if (real_gpu) skip();
  ctg_kernel *k = compile_on(3, "faults3", 1); /* one kernel: the fault shows at the sync */
  const ctg_params *p = ctg_kernel_params(k);
  uint64_t seed = 3;
  void *x = host_random(p, CTG_INPUT, &seed), *w = host_random(p, CTG_WEIGHT, &seed),
       *b = host_random(p, CTG_BIAS, &seed);
  ctg_error err;
  tu_assert_ok(ctg_kernel_bind_weights(k, w, b, &err), &err);
  use_device(3);
  dptr dx, dy;
  assert_int_equal(drv.alloc(&dx, ctg_params_bytes(p, CTG_INPUT)), 0);
  assert_int_equal(drv.alloc(&dy, ctg_params_bytes(p, CTG_OUTPUT) / 8), 0);
  assert_int_equal(drv.htod(dx, x, ctg_params_bytes(p, CTG_INPUT)), 0);
  tu_assert_ok(ctg_kernel_run_device(k, p->batch, (void *)(uintptr_t)dx, NULL, NULL, (void *)(uintptr_t)dy, NULL, &err), &err);
  assert_int_equal(drv.stream_sync(NULL), 700); /* CUDA_ERROR_ILLEGAL_ADDRESS */
  int st = ctg_kernel_run_device(k, p->batch, (void *)(uintptr_t)dx, NULL, NULL, (void *)(uintptr_t)dy, NULL, &err);
  assert_int_equal(st, CTG_ERR_INTERNAL);
  assert_contains(err.message, "CUDA_ERROR_ILLEGAL_ADDRESS");
  assert_int_equal(ctg_kernel_run_device(k, p->batch, (void *)(uintptr_t)dx, NULL, NULL, (void *)(uintptr_t)dy, NULL, &err),
                   CTG_ERR_UNAVAILABLE);
  use_device(3);
  drv.free(dx), drv.free(dy);
  ctg_kernel_free(k);
  free(x), free(w), free(b);
}

/* --- threads -------------------------------------------------------------------------- */

typedef struct worker {
  ctg_kernel *k;
  const void *x;
  const float *want;
  int failures;
} worker;

static void *worker_main(void *arg) {
  worker *wk = arg;
  const ctg_params *p = ctg_kernel_params(wk->k);
  size_t ny = ctg_params_numel(p, CTG_OUTPUT);
  float *y = malloc(ny * 4);
  ctg_error err;
  void *s = NULL;
  dptr dx = 0, dy = 0;
  /* each thread makes the context current itself: the library must not rely on the caller */
  int dev;
  void *ctx;
  if (drv.device_get(&dev, 0) || drv.retain(&ctx, dev) || drv.set_current(ctx) || drv.stream_create(&s, 1) ||
      drv.alloc(&dx, ctg_params_bytes(p, CTG_INPUT)) || drv.alloc(&dy, ny * 4) || drv.htod(dx, wk->x, ctg_params_bytes(p, CTG_INPUT)))
    wk->failures++;
  for (int rep = 0; rep < 6 && !wk->failures; rep++) {
    memset(y, 0xff, ny * 4);
    if (rep % 2) {
      if (ctg_kernel_run(wk->k, ctg_kernel_params(wk->k)->batch, wk->x, NULL, NULL, y, &err) != CTG_OK) wk->failures++;
    } else if (ctg_kernel_run_device(wk->k, p->batch, (void *)(uintptr_t)dx, NULL, NULL, (void *)(uintptr_t)dy, s, &err) != CTG_OK ||
               drv.stream_sync(s) || drv.dtoh(y, dy, ny * 4)) {
      wk->failures++;
    }
    if (memcmp(y, wk->want, ny * 4) != 0) wk->failures++;
  }
  if (s) drv.stream_destroy(s);
  if (dx) drv.free(dx);
  if (dy) drv.free(dy);
  free(y);
  return NULL;
}

static void test_four_threads_share_a_kernel(void **state) {
  (void)state;
  ctg_kernel *k = compile_on(0, "threads4", 2);
  const ctg_params *p = ctg_kernel_params(k);
  uint64_t seed = 4;
  void *x = host_random(p, CTG_INPUT, &seed), *w = host_random(p, CTG_WEIGHT, &seed),
       *b = host_random(p, CTG_BIAS, &seed);
  float *want = malloc(ctg_params_bytes(p, CTG_OUTPUT));
  ctg_error err;
  tu_assert_ok(ctg_kernel_bind_weights(k, w, b, &err), &err);
  tu_assert_ok(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, NULL, NULL, want, &err), &err);
  expect_pass(p, x, w, b, want, "one thread");
  worker wk[4];
  pthread_t t[4];
  for (int i = 0; i < 4; i++) {
    wk[i] = (worker){ k, x, want, 0 };
    assert_int_equal(pthread_create(&t[i], NULL, worker_main, &wk[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(wk[i].failures, 0);
  }
  ctg_kernel_free(k);
  free(x), free(w), free(b), free(want);
}

/* --- the double itself: limits, barriers, shared memory ---------------------------------- */

static const char *const BLOCK_CODE =
  "extern \"C\" __global__ void reverse(const float *x, float *y) {\n"
  "  __shared__ float tile[256];\n"
  "  const int t = threadIdx.x, base = blockIdx.x * blockDim.x;\n"
  "  tile[t] = x[base + t];\n"
  "  __syncthreads();\n"
  "  y[base + t] = tile[blockDim.x - 1 - t];\n"
  "}\n"
  "extern \"C\" __global__ void block_sum(const float *x, float *y) {\n"
  "  __shared__ float part[256];\n"
  "  const int t = threadIdx.x;\n"
  "  part[t] = x[blockIdx.x * blockDim.x + t];\n"
  "  for (int half = blockDim.x / 2; half > 0; half /= 2) {\n"
  "    __syncthreads();\n"
  "    if (t < half) part[t] += part[t + half];\n"
  "  }\n"
  "  if (t == 0) y[blockIdx.x] = part[0];\n"
  "}\n"
  "extern \"C\" __global__ void reverse_dynamic(const float *x, float *y) {\n"
  "  extern __shared__ __align__(16) float tile[];\n" /* the launch's dynamic shared memory */
  "  const int t = threadIdx.x, base = blockIdx.x * blockDim.x;\n"
  "  tile[t] = x[base + t];\n"
  "  __syncthreads();\n"
  "  y[base + t] = tile[blockDim.x - 1 - t];\n"
  "}\n";

static const char *const BIG_SHARED =
  "extern \"C\" __global__ void big(float *y) {\n"
  "  __shared__ float room[12500];\n" /* 50,000 bytes: past 48 KiB */
  "  room[threadIdx.x] = 1.0f;\n  __syncthreads();\n  y[threadIdx.x] = room[0];\n}\n";

static void test_the_double_meets_at_barriers_and_enforces_limits(void **state) {
  (void)state;
  ctg_error err;
  void *image, *module, *fn;
  size_t size;
  use_device(0);
  tu_assert_ok(ctg__nvrtc_compile(BLOCK_CODE, device_arch(), &image, &size, NULL, &err), &err);
  assert_int_equal(drv.load(&module, image), 0);
  free(image);
  enum { BLOCKS = 3, THREADS = 256 };
  float x[BLOCKS * THREADS], y[BLOCKS * THREADS];
  for (int i = 0; i < BLOCKS * THREADS; i++) x[i] = (float)i;
  dptr dx, dy;
  assert_int_equal(drv.alloc(&dx, sizeof x), 0);
  assert_int_equal(drv.alloc(&dy, sizeof y), 0);
  assert_int_equal(drv.htod(dx, x, sizeof x), 0);
  void *args[2] = { &dx, &dy };
  assert_int_equal(drv.get_function(&fn, module, "reverse"), 0);
  assert_int_equal(drv.launch(fn, BLOCKS, 1, 1, THREADS, 1, 1, 0, NULL, args, NULL), 0);
  assert_int_equal(drv.dtoh(y, dy, sizeof y), 0);
  for (int blk = 0; blk < BLOCKS; blk++)
    for (int t = 0; t < THREADS; t++) assert_true(y[blk * THREADS + t] == x[blk * THREADS + THREADS - 1 - t]);
  assert_int_equal(drv.get_function(&fn, module, "reverse_dynamic"), 0);
  memset(y, 0, sizeof y);
  assert_int_equal(drv.htod(dy, y, sizeof y), 0);
  assert_int_equal(drv.launch(fn, BLOCKS, 1, 1, THREADS, 1, 1, THREADS * sizeof(float), NULL, args, NULL), 0);
  assert_int_equal(drv.dtoh(y, dy, sizeof y), 0);
  for (int blk = 0; blk < BLOCKS; blk++)
    for (int t = 0; t < THREADS; t++) assert_true(y[blk * THREADS + t] == x[blk * THREADS + THREADS - 1 - t]);
  assert_int_equal(drv.get_function(&fn, module, "block_sum"), 0);
  assert_int_equal(drv.launch(fn, BLOCKS, 1, 1, THREADS, 1, 1, 0, NULL, args, NULL), 0);
  assert_int_equal(drv.dtoh(y, dy, BLOCKS * sizeof(float)), 0);
  for (int blk = 0; blk < BLOCKS; blk++) {
    double want = 0;
    for (int t = 0; t < THREADS; t++) want += x[blk * THREADS + t];
    assert_true(y[blk] == (float)want);
  }
  /* the driver's limits: CUDA_ERROR_INVALID_VALUE (1) */
  assert_int_equal(drv.launch(fn, 1, 1, 1, 1025, 1, 1, 0, NULL, args, NULL), 1);
  assert_int_equal(drv.launch(fn, 1, 1, 1, 32, 32, 2, 0, NULL, args, NULL), 1);
  assert_int_equal(drv.launch(fn, 1, 1, 1, 1, 1, 65, 0, NULL, args, NULL), 1);
  assert_int_equal(drv.launch(fn, 1, 65536, 1, 32, 1, 1, 0, NULL, args, NULL), 1);
  assert_int_equal(drv.launch(fn, 1, 1, 65536, 32, 1, 1, 0, NULL, args, NULL), 1);
  assert_int_equal(drv.launch(fn, 0, 1, 1, 32, 1, 1, 0, NULL, args, NULL), 1);
  assert_int_equal(drv.launch(fn, 1, 1, 1, 32, 1, 1, 48 * 1024, NULL, args, NULL), 1); /* + 2 KiB static */
  assert_int_equal(drv.htod(dx + sizeof x - 4, x, 8), 1); /* a copy past the allocation */
  assert_int_equal(drv.unload(module), 0);
  drv.free(dx), drv.free(dy);
  if (real_gpu) return; /* below: how the double stands for what a GPU's toolchain refuses */
  tu_assert_ok(ctg__nvrtc_compile(BIG_SHARED, device_arch(), &image, &size, NULL, &err), &err);
  assert_int_equal(drv.load(&module, image), 0);
  free(image);
  assert_int_equal(drv.get_function(&fn, module, "big"), 0);
  dptr none = 0; /* never run: refused at launch */
  void *one[1] = { &none };
  assert_int_equal(drv.launch(fn, 1, 1, 1, 32, 1, 1, 0, NULL, one, NULL), 1);
  assert_int_equal(drv.get_function(&fn, module, "missing"), 500); /* CUDA_ERROR_NOT_FOUND */
  assert_int_equal(drv.unload(module), 0);
  /* a real CUBIN is no image for the double */
  assert_int_equal(drv.load(&module, "\x7f" "ELF\2\1\1"), 200); /* CUDA_ERROR_INVALID_IMAGE */
}

/* The CLI through the variable, as other tools drive it. */
static void test_the_cli_says_it_runs_on_the_double(void **state) {
  (void)state;
  char out[8192], errs[4096];
  const char *check[] = { "convtgen", "check", CTG_TEST_ROOT "/examples/tiny_mcu.lua", "--backend", "nvrtc", NULL };
  assert_int_equal(tu_cli(check, out, sizeof out, errs, sizeof errs), 0);
  assert_contains(out, "PASS  nvrtc  max scaled error");
  if (!real_gpu) assert_contains(out, ", on the CUDA double (CPU)\n");
  const char *bench[] = { "convtgen", "bench", CTG_TEST_ROOT "/examples/tiny_mcu.lua", "--backend", "nvrtc", NULL };
  assert_int_equal(tu_cli(bench, out, sizeof out, errs, sizeof errs), 0);
  assert_contains(out, "tiny_mcu\tnvrtc\t");
  assert_contains(errs, "times device-resident runs with CUDA events: no copies");
  const char *transfers[] = { "convtgen", "bench", CTG_TEST_ROOT "/examples/tiny_mcu.lua", "--backend", "nvrtc",
                              "--transfers", NULL };
  assert_int_equal(tu_cli(transfers, out, sizeof out, errs, sizeof errs), 0);
  assert_contains(errs, "times host runs: copies in and out");
  const char *bad[] = { "convtgen", "check", CTG_TEST_ROOT "/examples/tiny_mcu.lua", "--backend", "nvrtc", "--arch",
                        "sm_80", NULL };
  if (!real_gpu) {
    assert_int_equal(tu_cli(bad, out, sizeof out, errs, sizeof errs), 2);
    assert_contains(errs, "convtgen: error: arch sm_80 cannot run on CUDA device 0");
    assert_int_equal(tu_lines(errs), 1);
  }
}

int main(void) {
  real_gpu = getenv("CONVTGEN_CUDA_REAL") && strcmp(getenv("CONVTGEN_CUDA_REAL"), "1") == 0;
  if (!real_gpu) {
    setenv("CONVTGEN_CUDA_DOUBLE", "1", 1);
    setenv("CONVTGEN_CUDA_DOUBLE_DEVICES", "4", 1); /* 1, 2 and 3 take the faults */
    setenv("CONVTGEN_CUDA_DOUBLE_SM", "90", 1);
  }
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_the_double_meets_at_barriers_and_enforces_limits),
    cmocka_unit_test(test_grids_past_the_limits),
    cmocka_unit_test(test_image_offsets_past_2_31),
    cmocka_unit_test(test_arch_choice),
    cmocka_unit_test(test_allocation_and_launch_failures_free_everything),
    cmocka_unit_test(test_an_asynchronous_fault_marks_the_device_unusable),
    cmocka_unit_test(test_a_kernel_writing_out_of_bounds_faults_on_the_device),
    cmocka_unit_test(test_four_threads_share_a_kernel),
    cmocka_unit_test(test_the_cli_says_it_runs_on_the_double),
    cmocka_unit_test(test_every_dtype),
    cmocka_unit_test(test_the_public_suite),
    cmocka_unit_test(test_the_sweep_through_every_path),
  };
  return cmocka_run_group_tests_name("cuda_double", tests, setup, teardown);
}
