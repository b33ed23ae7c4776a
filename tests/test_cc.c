/* test_cc.c: the cc backend (runtime/backends/backend_cc.c): the disk cache (hit, miss, corrupt and
 * foreign entries, two processes building one key at once, a missing compiler), and every code
 * shape the system compiler builds, checked against the interpreter. */
#include <dirent.h>
#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "sweep_configs.h"
#include "testutil.h"


/* The .so files in the cache directory (and no temporary directory left behind). */
static int cache_objects(const char *cache, char *first, size_t cap) {
  DIR *d = opendir(cache);
  int n = 0;
  if (!d) return 0;
  for (struct dirent *e; (e = readdir(d));) {
    assert_true(strncmp(e->d_name, "tmp.", 4) != 0);
    size_t len = strlen(e->d_name);
    if (len > 3 && strcmp(e->d_name + len - 3, ".so") == 0) {
      if (first && n == 0) snprintf(first, cap, "%s/%s", cache, e->d_name);
      n++;
    }
  }
  closedir(d);
  return n;
}

static double compile_check(const ctg_spec *spec, int bind) {
  ctg_options cc = { CTG_BACKEND_CC, NULL, NULL, 0, 0 };
  ctg_kernel *k;
  ctg_error err;
  double t0 = ctg__now_ms();
  int st = ctg_compile(spec, &cc, &k, &err);
  double ms = ctg__now_ms() - t0;
  if (st != CTG_OK) fprintf(stderr, "%s\n", err.message);
  assert_int_equal(st, CTG_OK);
  ctg_check_result r;
  assert_int_equal(ctg_check(k, 3, &r, &err), CTG_OK);
  assert_true(r.passed);
  if (bind) { /* bound weights give exactly what per-call weights give */
    const ctg_params *p = ctg_spec_params(spec);
    size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
           nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
    float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc(nb * 4 + 4), *y1 = malloc(ny * 4), *y2 = malloc(ny * 4);
    uint64_t seed = 11;
    ctg__random_fill(x, nx, &seed);
    ctg__random_fill(w, nw, &seed);
    ctg__random_fill(b, nb, &seed);
    assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, NULL, NULL, y1, &err), CTG_ERR_ARG); /* nothing bound yet */
    assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, w, b, y1, &err), CTG_OK);
    assert_int_equal(ctg_kernel_bind_weights(k, w, b, &err), CTG_OK);
    memset(w, 0, nw * 4); /* the kernel keeps its own packed copy */
    assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, NULL, NULL, y2, &err), CTG_OK);
    assert_memory_equal(y1, y2, ny * 4);
    free(x), free(w), free(b), free(y1), free(y2);
  }
  ctg_kernel_free(k);
  return ms;
}

static void test_cache(void **state) {
  (void)state;
  char *cache = tu_use_cache("cache");
  ctg_spec *spec = tu_spec("return {name = 'cached_cc', in_channels = 32, out_channels = 32, kernel_size = 4, "
                           "stride = 2, padding = 1, input_shape = {1, 32, 5, 5}}");
  double cold = compile_check(spec, 1);
  char object[4400];
  assert_int_equal(cache_objects(cache, object, sizeof object), 1);
  double warm = compile_check(spec, 0);
  printf("  cold build %.0f ms, warm start from the disk cache %.3f ms\n", cold, warm);
  assert_true(warm < cold / 10);
  assert_int_equal(cache_objects(cache, NULL, 0), 1);

  /* a warm kernel was never generated here; its source is generated on request */
  ctg_options cc = { CTG_BACKEND_CC, NULL, NULL, 0, 0 };
  ctg_kernel *k;
  assert_int_equal(ctg_compile(spec, &cc, &k, NULL), CTG_OK);
  assert_contains(ctg_kernel_source(k), "cached_cc_run_packed");
  ctg_kernel_free(k);

  /* a truncated object is rebuilt, never loaded */
  FILE *f = fopen(object, "r+b");
  assert_non_null(f);
  assert_int_equal(ftruncate(fileno(f), 200), 0);
  fclose(f);
  double rebuilt = compile_check(spec, 0);
  assert_true(rebuilt > warm);
  assert_int_equal(cache_objects(cache, NULL, 0), 1);

  /* an object built for another key, under this key's name, is rebuilt too */
  ctg_spec *other = tu_spec("return {name = 'cached_cc', in_channels = 32, out_channels = 32, kernel_size = 4, "
                            "stride = 2, padding = 1, input_shape = {1, 32, 6, 6}}");
  compile_check(other, 0);
  char other_object[4400], cmd[9000];
  assert_int_equal(cache_objects(cache, NULL, 0), 2);
  /* find the newer object: the one that is not `object` */
  DIR *d = opendir(cache);
  for (struct dirent *e; (e = readdir(d));)
    if (strstr(e->d_name, ".so") && !strstr(object, e->d_name)) snprintf(other_object, sizeof other_object, "%s/%s", cache, e->d_name);
  closedir(d);
  snprintf(cmd, sizeof cmd, "cp '%s' '%s'", other_object, object);
  assert_int_equal(system(cmd), 0);
  compile_check(spec, 0); /* would compute the 6x6 layer's output into a 5x5 layer's buffer */
  ctg_spec_free(other);

  /* no compiler: a clear error that names $CC */
  setenv("CC", "/no/such/cc", 1);
  ctg_error err;
  assert_int_equal(ctg_compile(spec, &cc, &k, &err), CTG_ERR_UNAVAILABLE);
  assert_contains(err.message, "the C compiler '/no/such/cc' (from $CC, else cc) does not run");
  unsetenv("CC");
  ctg_spec_free(spec);
  free(cache);
}

/* Threads split the work statically, each output computed by one thread with the same code:
 * the results are bit-identical to one thread's, for every code shape the cc tier uses. */
static void test_threads_match_one_thread(void **state) {
  (void)state;
  char *cache = tu_use_cache("threads-cache");
  const char *layers[] = {
    "return {name = 'th_phase_matmul', in_channels = 24, out_channels = 40, kernel_size = 4, stride = 2, padding = 1, "
    "input_shape = {2, 24, 7, 9}}",
    "return {name = 'th_phases', in_channels = 6, out_channels = 5, kernel_size = {3, 5}, stride = {2, 1}, "
    "padding = {2, 2}, output_padding = {1, 0}, input_shape = {3, 6, 9, 8}}",
    "return {name = 'th_row_vectors', in_channels = 6, out_channels = 3, kernel_size = 4, stride = 2, padding = 1, "
    "input_shape = {1, 6, 11, 37}}",
    "return {name = 'th_matmul_shuffle', in_channels = 10, out_channels = 14, kernel_size = 2, stride = 2, "
    "input_shape = {2, 10, 5, 21}}",
    "return {name = 'th_vector_matrix', in_channels = 9, out_channels = 200, kernel_size = 4, "
    "input_shape = {2, 9, 1, 1}}",
    /* 256 KiB of inputs per row: phase_matmul takes its rows in blocks */
    "return {name = 'th_blocks', in_channels = 1024, out_channels = 32, kernel_size = 3, padding = 1, "
    "input_shape = {1, 1024, 5, 64}}",
  };
  for (int l = 0; l < 6; l++) {
    ctg_spec *spec = tu_spec(layers[l]);
    const ctg_params *p = ctg_spec_params(spec);
    size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
           nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
    float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc(nb * 4 + 4), *y1 = malloc(ny * 4), *y3 = malloc(ny * 4);
    uint64_t seed = 5;
    ctg__random_fill(x, nx, &seed);
    ctg__random_fill(w, nw, &seed);
    ctg__random_fill(b, nb, &seed);
    ctg_options one = { CTG_BACKEND_CC, NULL, NULL, 1, 0 }, two = { CTG_BACKEND_CC, NULL, NULL, 2, 0 },
                three = { CTG_BACKEND_CC, NULL, NULL, 3, 0 };
    ctg_kernel *k1, *k2, *k3;
    ctg_error err;
    assert_int_equal(ctg_compile(spec, &one, &k1, &err), CTG_OK);
    assert_int_equal(ctg_compile(spec, &two, &k2, &err), CTG_OK);
    assert_int_equal(ctg_compile(spec, &three, &k3, &err), CTG_OK);
    assert_int_equal(ctg_kernel_params(k3)->threads, 3);
    assert_contains(ctg_kernel_source(k3), "#pragma omp parallel");
    assert_contains(ctg_kernel_source(k3), "num_threads(3)");
    assert_contains(ctg_kernel_source(k3), "no-tree-loop-vectorize"); /* GCC's vectorizer off there (below) */
    if (l == 5) assert_contains(tu_features(p, "avx512"), "row_blocks");
    assert_int_equal(ctg_kernel_bind_weights(k1, w, b, &err), CTG_OK);
    assert_int_equal(ctg_kernel_bind_weights(k2, w, b, &err), CTG_OK);
    assert_int_equal(ctg_kernel_bind_weights(k3, w, b, &err), CTG_OK);
    for (size_t i = 0; i < ny; i++) y1[i] = NAN;
    assert_int_equal(ctg_kernel_run(k1, ctg_kernel_params(k1)->batch, x, NULL, NULL, y1, &err), CTG_OK);
    /* Many calls, each into a buffer of NaNs: a store lost to a race shows now and then, not on
     * every call (GCC 12's loop vectorizer in OpenMP loops lost some, at 2 and 3 threads, until
     * the generated file turned it off there). Each thread count gives the same bits on every
     * call, and one thread's values to rounding (one thread's build keeps the vectorizer). */
    float *first[2] = { malloc(ny * 4), malloc(ny * 4) };
    int calls = l == 5 ? 10 : 300, bad = 0, far = 0;
    for (int c = 0; c < 2 * calls; c++) {
      ctg_kernel *k = c % 2 ? k3 : k2;
      float *y = c < 2 ? first[c] : y3;
      for (size_t i = 0; i < ny; i++) y[i] = NAN;
      assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, NULL, NULL, y, &err), CTG_OK);
      if (c >= 2) bad += memcmp(first[c % 2], y, ny * 4) != 0;
      for (size_t i = 0; i < ny; i++) far += !(fabsf(y[i] - y1[i]) <= 1e-5f * (1.0f + fabsf(y1[i])));
    }
    if (bad || far)
      printf("  %s: %d of %d calls at 2 and 3 threads differ from the first; %d values from one thread's\n",
             layers[l], bad, 2 * calls - 2, far);
    assert_int_equal(bad, 0);
    assert_int_equal(far, 0);
    free(first[0]), free(first[1]);
    ctg_check_result r;
    assert_int_equal(ctg_check(k3, 9, &r, &err), CTG_OK);
    assert_true(r.passed);
    ctg_kernel_free(k1);
    ctg_kernel_free(k2);
    ctg_kernel_free(k3);
    free(x), free(w), free(b), free(y1), free(y3);
    ctg_spec_free(spec);
  }
  free(cache);
}

/* Two processes building the same key into an empty cache: both get a correct kernel. */
static void test_two_processes_build_one_key(void **state) {
  (void)state;
  char *cache = tu_use_cache("shared-cache");
  pid_t pids[2];
  for (int i = 0; i < 2; i++) {
    pids[i] = fork();
    assert_true(pids[i] >= 0);
    if (pids[i] == 0) {
      ctg_spec *spec;
      ctg_kernel *k;
      ctg_check_result r;
      ctg_options cc = { CTG_BACKEND_CC, NULL, NULL, 0, 0 };
      int ok = ctg_spec_from_string("return {name = 'raced', in_channels = 16, out_channels = 48, kernel_size = 3, "
                                    "stride = 2, input_shape = {2, 16, 4, 4}}", NULL, &spec, NULL) == CTG_OK &&
               ctg_compile(spec, &cc, &k, NULL) == CTG_OK && ctg_check(k, 5, &r, NULL) == CTG_OK && r.passed;
      _exit(ok ? 0 : 1);
    }
  }
  for (int i = 0; i < 2; i++) {
    int status;
    assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  assert_int_equal(cache_objects(cache, NULL, 0), 1);
  free(cache);
}

/* The compiler runs without a shell: a cache path with quotes and $(...) is a path, never a
 * command, and $CC may be several words (a wrapper and its compiler). */
static void test_compiler_runs_without_a_shell(void **state) {
  (void)state;
  char dir[9400], marker[4400];
  snprintf(marker, sizeof marker, "%s/injected", tu_dir);
  snprintf(dir, sizeof dir, "%s/it's $(touch %s) `touch %s`", tu_dir, marker, marker);
  setenv("CONVTGEN_CACHE_DIR", dir, 1);
  setenv("CC", "env cc", 1);
  ctg_spec *spec = tu_spec("return {name = 'no_shell', in_channels = 3, out_channels = 2, kernel_size = 3, "
                           "stride = 2, input_shape = {1, 3, 4, 5}}");
  ctg_options cc = { CTG_BACKEND_CC, NULL, NULL, 0, 0 };
  ctg_kernel *k;
  ctg_error err;
  tu_assert_ok(ctg_compile(spec, &cc, &k, &err), &err);
  ctg_check_result r;
  tu_assert_ok(ctg_check(k, 3, &r, &err), &err);
  assert_true(r.passed);
  assert_false(tu_exists(marker));
  assert_int_equal(cache_objects(dir, NULL, 0), 1);
  ctg_kernel_free(k);
  /* a compiler that fails says so, with its own words */
  ctg_spec *other = tu_spec("return {name = 'no_shell2', in_channels = 3, out_channels = 2, kernel_size = 3, "
                            "input_shape = {1, 3, 4, 5}}");
  ctg_options bad = { CTG_BACKEND_CC, NULL, "-O2 -shared -fPIC --no-such-flag-here", 0, 0 };
  assert_int_equal(ctg_compile(other, &bad, &k, &err), CTG_ERR_INTERNAL);
  assert_contains(err.message, "no-such-flag-here");
  unsetenv("CC");
  ctg_spec_free(other);
  ctg_spec_free(spec);
  free(tu_use_cache("cache"));
}

/* Many layers' sources in one object (unique names), built once by the system compiler. */
typedef struct unit {
  char *text;
  size_t used, cap;
  int count;
  ctg_spec *specs[64];
  ctg__convention convention[64];
  size_t packed_size[64];
  int phase_matmul;
  int row_tiles; /* sources whose phase_matmul code has tiles of several rows */
} unit;

/* Adds the cc tier's source of spec to u; returns the emitter's shape (static until the next call). */
static const char *unit_add(unit *u, ctg_spec *spec) {
  static char shape[32];
  ctg__emitted e;
  ctg_error err;
  const ctg_params *p = ctg_spec_params(spec);
  tu_assert_ok(ctg__emit(p, ctg__host_isa(), NULL, NULL, &e, &err), &err);
  snprintf(shape, sizeof shape, "%s", ctg__code_shape_name(e.shape));
  u->phase_matmul += e.shape == CTG__CODE_SHAPE_PHASE_MATMUL;
  u->row_tiles += e.shape == CTG__CODE_SHAPE_PHASE_MATMUL && (e.features & CTG__FEATURE(ROW_TILES));
  u->convention[u->count] = e.convention;
  u->packed_size[u->count] = e.packed_size;
  tu_text_append(&u->text, &u->used, &u->cap, e.source);
  u->specs[u->count++] = spec;
  ctg__emitted_free(&e);
  return shape;
}

/* Builds the unit and checks every layer against the interpreter through both of its ways in:
 * pack + run_packed, and run on weights as PyTorch stores them. Returns the layers whose
 * convention is packed. */
static int unit_check(unit *u, int index) {
  char path[4400], so[4400], cmd[9000];
  snprintf(path, sizeof path, "%s/unit%d.c", tu_dir, index);
  snprintf(so, sizeof so, "%s/unit%d.so", tu_dir, index);
  free(tu_write(tu_dir, strrchr(path, '/') + 1, u->text, u->used));
  snprintf(cmd, sizeof cmd, "cc -O1 -march=native -shared -fPIC -o '%s' '%s'", so, path);
  assert_int_equal(system(cmd), 0);
  void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
  assert_non_null(h);
  int packed_count = 0;
  for (int i = 0; i < u->count; i++) {
    tu_check_entry_points(h, ctg_spec_params(u->specs[i]), u->packed_size[i], (uint64_t)i + 100, "cc");
    packed_count += u->convention[i] == CTG__PACKED;
    ctg_spec_free(u->specs[i]);
  }
  dlclose(h);
  free(u->text);
  memset(u, 0, sizeof *u);
  return packed_count;
}

/* The dtype of layer i of a shape check: float64 for every fourth (i % 4 == slot), complex (cpx)
 * for every second of those, float32 for the rest. */
static const char *mixed_dtype(int i, int slot, const char *cpx) {
  return i % 4 != slot ? "float32" : i % 8 == slot + 4 ? cpx : "float64";
}

/* Layers with enough output channels for phase_matmul: channel blocks of 16 and 32 with a
 * remainder, every stride phase and border, groups, dilation, 1x1 and wide inputs; every dtype
 * (a quarter float64, a quarter complex64 or complex128, split into real and imaginary parts). */
static void test_phase_matmul_against_the_interpreter(void **state) {
  (void)state;
  static const int couts[] = { 16, 17, 20, 32, 40, 48, 64, 96 };
  uint64_t rng = 77;
  unit u = { 0 };
  int checked = 0, packed = 0, units = 0, row_tiles = 0, phase_matmul = 0;
  for (int i = 0; checked < 96; i++) {
    int pickv = (int)((tu_rand(&rng) + 1) * 4);
    int g = pickv % 3 == 0 ? 2 : 1, cout_g = couts[pickv % 8], k = 1 + (int)((tu_rand(&rng) + 1) * 3),
        s = 1 + (int)((tu_rand(&rng) + 1) * 2), d = 1 + (int)((tu_rand(&rng) + 1)), h = 1 + (int)((tu_rand(&rng) + 1) * 6),
        w = 1 + (int)((tu_rand(&rng) + 1) * 16), cin_g = 1 + (int)((tu_rand(&rng) + 1) * 4);
    int p = (int)((tu_rand(&rng) + 1) / 2 * (float)(d * (k - 1) + 1)), op = (s > d ? s : d) - 1;
    char src[512];
    static const char *const dtypes[] = { "float32", "float32", "float64", "complex64", "float32", "float32", "float64",
                                          "complex128" };
    snprintf(src, sizeof src, "return {name = 'pm%d', in_channels = %d, out_channels = %d, groups = %d, "
             "kernel_size = {%d, %d}, stride = {%d, %d}, padding = {%d, %d}, output_padding = {%d, 0}, "
             "dilation = %d, bias = %s, dtype = '%s', input_shape = {%d, %d, %d, %d}}", i, g * cin_g, g * cout_g, g, k,
             k + 1, s, s + (i % 2), p, p / 2, op, d, i % 4 ? "true" : "false", dtypes[i % 8], 1 + i % 2, g * cin_g, h, w);
    ctg_spec *spec;
    if (ctg_spec_from_string(src, "phase_matmul", &spec, NULL) != CTG_OK) continue;
    unit_add(&u, spec);
    checked++;
    if (u.count == 48) row_tiles += u.row_tiles, phase_matmul += u.phase_matmul, packed += unit_check(&u, units++);
  }
  if (u.count) row_tiles += u.row_tiles, phase_matmul += u.phase_matmul, packed += unit_check(&u, units++);
  printf("  %d layers with 16+ output channels per group checked (float32, float64, complex), %d of them phase_matmul "
         "(%d packed), %d with tiles of several rows\n", checked, phase_matmul, packed, row_tiles);
  assert_true(phase_matmul >= 70);
  assert_true(packed >= phase_matmul);
  assert_true(row_tiles >= 20);
}

/* channels_last layers (input and output NHWC): few output channels per group take channel_dots
 * (dot products over vectors of 4, 8 or 16 input channels: Cin/groups 4 to 48), 16 or more take
 * phase_matmul with whole-vector stores and partly filled blocks (33 channels); every stride
 * phase and border, groups, dilation, activations, float64 for a quarter. */
static void test_channels_last_against_the_interpreter(void **state) {
  (void)state;
  static const int few[] = { 1, 2, 3, 4, 5, 7 }, many[] = { 16, 24, 33, 48 }, cins[] = { 4, 8, 16, 24, 32, 48 },
                   depthwise[] = { 8, 16, 24, 48 };
  static const char *const acts[] = { "nil", "'relu'", "{'clamp', -0.5, 0.5}", "'sigmoid'" };
  uint64_t rng = 555;
  unit u = { 0 };
  int dots = 0, matmul = 0, dw = 0, units = 0;
  for (int i = 0; dots + matmul + dw < 80; i++) {
    int r = (int)((tu_rand(&rng) + 1) * 500);
    int g = r % 5 == 0 ? 2 : 1, cout_g = i % 2 ? few[r % 6] : many[r % 4], cin_g = cins[(r / 7) % 6],
        k = 1 + (r / 11) % 4, s = 1 + (r / 13) % 3, d = 1 + (r / 17) % 2, h = 1 + (r / 19) % 6, w = 1 + (r / 23) % 12;
    if (i % 5 == 4) g = depthwise[r % 4], cout_g = cin_g = 1; /* depthwise: group_vectors */
    int p = ((r / 29) % (d * (k - 1) + 1)), op = (s > d ? s : d) - 1;
    char src[600];
    snprintf(src, sizeof src, "return {name = 'cl%d', in_channels = %d, out_channels = %d, groups = %d, "
             "kernel_size = {%d, %d}, stride = {%d, %d}, padding = {%d, %d}, output_padding = {%d, 0}, "
             "dilation = %d, bias = %s, dtype = '%s', activation = %s, input_shape = {%d, %d, %d, %d}, "
             "memory_format = 'channels_last'}", i, g * cin_g, g * cout_g, g, k, k + 1, s, s + (i % 2), p, p / 2,
             op, d, i % 4 ? "true" : "false", i % 4 == 1 ? "float64" : "float32", acts[(r / 31) % 4], 1 + i % 2,
             g * cin_g, h, w);
    ctg_spec *spec;
    if (ctg_spec_from_string(src, "channels_last", &spec, NULL) != CTG_OK) continue;
    const char *shape = unit_add(&u, spec);
    dots += strcmp(shape, "channel_dots") == 0;
    matmul += strcmp(shape, "phase_matmul") == 0;
    dw += strcmp(shape, "group_vectors") == 0;
    if (u.count == 32) unit_check(&u, 500 + units++);
  }
  if (u.count) unit_check(&u, 500 + units++);
  printf("  channels_last: %d layers in channel_dots, %d in phase_matmul, %d in group_vectors checked\n", dots,
         matmul, dw);
  assert_true(dots >= 20 && matmul >= 20 && dw >= 10);
}

/* Strides past 16 phases (5x4 to 9x9): the vector shapes' phase groups, one function per group
 * of phases alike called per phase: kernel = 2 x stride (FCN), kernel < stride, kernels of no
 * relation to the stride, padding, output_padding, contiguous (phase_matmul) and channels_last
 * (phase_matmul, channel_dots, group_vectors). */
static void test_phase_groups_against_the_interpreter(void **state) {
  (void)state;
  uint64_t rng = 4242;
  unit u = { 0 };
  int checked = 0, units = 0, matmul = 0, dots = 0, dw = 0;
  for (int i = 0; checked < 40; i++) {
    int r = (int)((tu_rand(&rng) + 1) * 5000);
    int sh = 5 + r % 5, sw = 4 + (r / 5) % 6, kind = i % 4;
    int kh = kind == 0 ? 2 * sh : kind == 1 ? sh - 1 - r % 3 : 1 + (r / 7) % (2 * sh),
        kw = kind == 0 ? 2 * sw : kind == 1 ? sw - 1 : 1 + (r / 11) % (2 * sw);
    /* i % 8: 0-3 contiguous, kernels 2 x stride, < stride, any, any; 4-7 the same channels_last,
     * 4 with 3 output channels (channel_dots), 5 depthwise (group_vectors) */
    int cl = (i / 4) % 2, dwise = i % 8 == 5, few = i % 8 == 4, cout = dwise ? 16 : few ? 3 : 16 + (r / 13) % 10,
        cin = dwise ? 16 : few ? 32 : 8 * (1 + (r / 17) % 3), g = dwise ? 16 : 1;
    int ph = (r / 19) % kh, pw = (r / 23) % kw, oph = (r / 29) % sh, opw = (r / 31) % sw;
    char src[600];
    snprintf(src, sizeof src, "return {name = 'pg%d', in_channels = %d, out_channels = %d, groups = %d, "
             "kernel_size = {%d, %d}, stride = {%d, %d}, padding = {%d, %d}, output_padding = {%d, %d}, "
             "dtype = '%s', bias = %s, input_shape = {%d, %d, %d, %d}, memory_format = '%s'}", i, cin, cout, g, kh, kw,
             sh, sw, ph, pw, oph, opw, i % 8 == 6 ? "float64" : "float32", i % 3 ? "true" : "false", 1 + i % 2, cin,
             2 + (r / 37) % 4, 2 + (r / 41) % 5, cl ? "channels_last" : "contiguous");
    ctg_spec *spec;
    if (ctg_spec_from_string(src, "phase_groups", &spec, NULL) != CTG_OK) continue;
    ctg__emitted e;
    tu_assert_ok(ctg__emit(ctg_spec_params(spec), ctg__host_isa(), NULL, NULL, &e, NULL), NULL);
    int grouped = strstr(e.source, "phases like") != NULL;
    if (!grouped) fprintf(stderr, "not grouped (%s): %s\n", ctg__code_shape_name(e.shape), src);
    assert_true(grouped);
    ctg__emitted_free(&e);
    const char *shape = unit_add(&u, spec);
    matmul += strcmp(shape, "phase_matmul") == 0;
    dots += strcmp(shape, "channel_dots") == 0;
    dw += strcmp(shape, "group_vectors") == 0;
    checked++;
    if (u.count == 20) unit_check(&u, 600 + units++);
  }
  if (u.count) unit_check(&u, 600 + units++);
  printf("  %d layers with phase groups checked: phase_matmul %d, channel_dots %d, group_vectors %d\n", checked,
         matmul, dots, dw);
  assert_true(matmul >= 20 && dots >= 3 && dw >= 3);
}

/* kernel == stride, no padding (1x1 stride 1 among them), rows of 16 or more: matmul_shuffle,
 * with whole-row tiles and long rows' tiles of 4 vectors, overlapping last vectors, kernel
 * widths 1 (plain stores), 2 (interleaving shuffles) and 3-4 (lane stores), groups, channel
 * blocks with a remainder, batches, with and without bias. */
static void test_matmul_shuffle_against_the_interpreter(void **state) {
  (void)state;
  uint64_t rng = 17;
  unit u = { 0 };
  int checked = 0, units = 0, long_rows = 0;
  for (int i = 0; checked < 40; i++) {
    int g = i % 6 == 0 ? 3 : i % 5 == 0 ? 2 : 1, kh = 1 + i % 4, kw = 1 + (i / 4) % 4,
        cin_g = 1 + (int)((tu_rand(&rng) + 1) * 6), cout_g = 1 + (int)((tu_rand(&rng) + 1) * 9),
        h = 1 + (int)((tu_rand(&rng) + 1) * 2), w = 16 + (int)((tu_rand(&rng) + 1) * 40);
    char src[512];
    snprintf(src, sizeof src, "return {name = 'ms%d', in_channels = %d, out_channels = %d, groups = %d, "
             "kernel_size = {%d, %d}, stride = {%d, %d}, bias = %s, dtype = '%s', input_shape = {%d, %d, %d, %d}}", i,
             g * cin_g, g * cout_g, g, kh, kw, kh, kw, i % 3 ? "true" : "false", mixed_dtype(i, 1, "complex64"),
             1 + i % 2, g * cin_g, h, w);
    ctg_spec *spec = tu_spec(src);
    /* float32 on AVX-512: a row of more than 4 vectors of 16 is a long row */
    if (strcmp(mixed_dtype(i, 1, "complex64"), "float32") == 0) {
      long_rows += w > 64;
      assert_int_equal(strstr(tu_features(ctg_spec_params(spec), "avx512"), "long_rows") != NULL, w > 64);
    }
    assert_string_equal(unit_add(&u, spec), "matmul_shuffle");
    checked++;
    if (u.count == 20) unit_check(&u, 300 + units++);
  }
  if (u.count) unit_check(&u, 300 + units++);
  printf("  %d layers in matmul_shuffle checked (an eighth float64, an eighth complex64), %d with rows longer than "
         "one tile\n", checked, long_rows);
  assert_true(long_rows >= 5);
}

/* A 1x1 input without padding or dilation: vector_matrix, with input channels left
 * over from passes of 4, output chunks with a remainder (130 x 4 x 4 > 2048), groups, batches,
 * any stride, with and without bias; a padded 1x1 layer is not one. */
static void test_vector_matrix_against_the_interpreter(void **state) {
  (void)state;
  unit u = { 0 };
  for (int i = 0; i < 16; i++) {
    int g = i % 4 == 3 ? 2 : 1, cin_g = 1 + (i * 5) % 11, cout_g = i == 5 ? 130 : 1 + (i * 7) % 13,
        kh = 1 + i % 4, kw = 1 + (i / 2) % 5, s = 1 + i % 3;
    char src[512];
    snprintf(src, sizeof src, "return {name = 'vm%d', in_channels = %d, out_channels = %d, groups = %d, "
             "kernel_size = {%d, %d}, stride = %d, bias = %s, dtype = '%s', input_shape = {%d, %d, 1, 1}}", i, g * cin_g,
             g * cout_g, g, kh, kw, s, i % 3 ? "true" : "false", mixed_dtype(i, 2, "complex128"), 1 + i % 3, g * cin_g);
    ctg_spec *spec = tu_spec(src);
    assert_string_equal(unit_add(&u, spec), "vector_matrix");
  }
  unit_check(&u, 400);
  ctg_spec *padded = tu_spec("return {name = 'vm_pad', in_channels = 4, out_channels = 4, kernel_size = 3, "
                             "padding = 1, input_shape = {1, 4, 1, 1}}");
  assert_string_not_equal(tu_shape(ctg_spec_params(padded), ctg__host_isa()), "vector_matrix");
  ctg_spec_free(padded);
}

/* Layers with few output channels per group and rows of 16 or more: row_vectors, with
 * vector tiles and scalar tails, every stride (strided stores, scalar or merged into the
 * vectors around them), groups and depthwise. */
static void test_row_vectors_against_the_interpreter(void **state) {
  (void)state;
  uint64_t rng = 91;
  unit u = { 0 };
  int checked = 0, units = 0, row_tiles = 0, merged = 0;
  for (int i = 0; checked < 60; i++) {
    int g = i % 5 == 0 ? 4 : i % 7 == 0 ? 2 : 1, cout_g = 1 + (int)((tu_rand(&rng) + 1) * 3.4f),
        cin_g = 1 + (int)((tu_rand(&rng) + 1) * 3), k = 1 + (int)((tu_rand(&rng) + 1) * 2.5f),
        s = 1 + (int)((tu_rand(&rng) + 1) * 1.5f), d = 1 + i % 2, h = 1 + (int)((tu_rand(&rng) + 1) * 3),
        w = 16 * s + (int)((tu_rand(&rng) + 1) * 40);
    int p = (int)((tu_rand(&rng) + 1) / 2 * (float)(d * (k - 1) + 1)), op = (s > d ? s : d) - 1;
    char src[512];
    snprintf(src, sizeof src, "return {name = 'rv%d', in_channels = %d, out_channels = %d, groups = %d, "
             "kernel_size = {%d, %d}, stride = {%d, %d}, padding = {%d, %d}, output_padding = {0, %d}, "
             "dilation = %d, bias = %s, dtype = '%s', input_shape = {%d, %d, %d, %d}}", i, g * cin_g, g * cout_g, g,
             k + 1, k, s, s, p / 2, p, op, d, i % 3 ? "true" : "false", mixed_dtype(i, 3, "complex64"), 1 + i % 2,
             g * cin_g, h, w);
    ctg_spec *spec;
    if (ctg_spec_from_string(src, "row_vectors", &spec, NULL) != CTG_OK) continue;
    ctg__emitted e;
    tu_assert_ok(ctg__emit(ctg_spec_params(spec), ctg__host_isa(), NULL, NULL, &e, NULL), NULL);
    assert_int_equal(e.shape, CTG__CODE_SHAPE_ROW_VECTORS);
    assert_int_equal(e.convention, CTG__DIRECT);
    ctg__emitted_free(&e);
    /* the features counted for one ISA (AVX-512's vectors of 16), whatever this host has */
    tu_assert_ok(ctg__emit(ctg_spec_params(spec), "avx512", NULL, NULL, &e, NULL), NULL);
    row_tiles += (e.features & CTG__FEATURE(ROW_TILES)) != 0; /* tiles of several rows, the last one overlapping */
    merged += (e.features & CTG__FEATURE(MERGED_STORES)) != 0; /* strided stores as whole vectors */
    ctg__emitted_free(&e);
    unit_add(&u, spec);
    checked++;
    if (u.count == 30) unit_check(&u, 200 + units++);
  }
  /* stride 4, the widest merged store, with bias and batch */
  ctg_spec *s4 = tu_spec("return {name = 'rv_s4', in_channels = 3, out_channels = 2, kernel_size = {3, 6}, "
                         "stride = {2, 4}, padding = {1, 1}, input_shape = {2, 3, 5, 35}}");
  ctg__emitted e4;
  tu_assert_ok(ctg__emit(ctg_spec_params(s4), "avx512", NULL, NULL, &e4, NULL), NULL);
  assert_true(e4.features & CTG__FEATURE(MERGED_STORES));
  /* stride 4: 4 vectors of 16 */
  assert_contains(e4.source, "CTG_F32X16_STORE(yv + 48, __builtin_shufflevector(CTG_F32X16_LOAD(yv + 48)");
  ctg__emitted_free(&e4);
  unit_add(&u, s4);
  unit_check(&u, 200 + units++);
  printf("  %d layers in row_vectors checked (an eighth float64, an eighth complex64), %d with tiles of several rows, "
         "%d with merged strided stores\n", checked, row_tiles, merged);
  assert_true(row_tiles >= 15); /* float64's vectors of 8 fill a tile's accumulators with fewer rows */
  assert_true(merged >= 10);
}

/* The sweep's layers (every unroll shape), built by the system compiler as the cc tier builds them. */
static void test_sweep_shapes_against_the_interpreter(void **state) {
  (void)state;
  unit u = { 0 };
  int checked = 0, units = 0;
  for (int i = 0; checked < 100; i++) {
    config c;
    char src[600], named[700];
    sweep_random_config(&c, i);
    sweep_spec_text(&c, src, sizeof src);
    snprintf(named, sizeof named, "return {name = 'sw%d', %s", i, src + strlen("return {"));
    ctg_spec *spec;
    if (ctg_spec_from_string(named, "sweep", &spec, NULL) != CTG_OK) continue;
    unit_add(&u, spec);
    checked++;
    if (u.count == 50) unit_check(&u, 100 + units++);
  }
  if (u.count) unit_check(&u, 100 + units++);
  printf("  %d sweep layers built by cc and checked\n", checked);
}

/* Asymmetric padding (ONNX's pads) through the vector shapes: the cropped output rows and
 * columns come out of the plan's regions, so phase_matmul and row_vectors take such layers as
 * they are. */
static void test_asymmetric_padding_in_the_vector_shapes(void **state) {
  (void)state;
  free(tu_use_cache("asymmetric-cache"));
  const struct { const char *src, *shape; } cases[] = {
    { "return {name = 'asym_pm', in_channels = 32, out_channels = 32, kernel_size = 4, stride = 2, "
      "padding = {1, 1, 2, 2}, input_shape = {1, 32, 8, 8}}", "phase_matmul" },
    { "return {name = 'asym_rv', in_channels = 16, out_channels = 3, kernel_size = 3, stride = 2, "
      "padding = {0, 2, 1, 0}, output_padding = 1, input_shape = {1, 16, 20, 40}}", "row_vectors" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ctg_spec *spec = tu_spec(cases[i].src);
    assert_string_equal(tu_shape(ctg_spec_params(spec), ctg__host_isa()), cases[i].shape);
    compile_check(spec, 1);
    ctg_spec_free(spec);
  }
}

/* Every vector shape with every activation, one cc build, each checked against the interpreter
 * through both of its entry points. */
static void test_activations_in_every_vector_shape(void **state) {
  (void)state;
  static const char *const layers[][2] = {
    { "in_channels = 32, out_channels = 40, kernel_size = 4, stride = 2, padding = 1, input_shape = {1, 32, 6, 7}", "phase_matmul" },
    { "in_channels = 16, out_channels = 3, kernel_size = 3, stride = 2, padding = 1, input_shape = {1, 16, 9, 40}", "row_vectors" },
    { "in_channels = 16, out_channels = 8, kernel_size = 2, stride = 2, input_shape = {1, 16, 5, 35}", "matmul_shuffle" },
    { "in_channels = 24, out_channels = 20, kernel_size = 4, input_shape = {2, 24, 1, 1}", "vector_matrix" },
  };
  static const char *const acts[] = { "'relu'", "{'leaky_relu', -1.5}", "'tanh'", "'sigmoid'", "{'clamp', -0.25, 0.5}",
                                      "{'clamp', 0.1, math.huge}" };
  unit u = { 0 };
  for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++)
    for (size_t a = 0; a < sizeof acts / sizeof acts[0]; a++) {
      char src[512];
      snprintf(src, sizeof src, "return {name = 'act%zu_%zu', %s, activation = %s}", i, a, layers[i][0], acts[a]);
      ctg_spec *spec = tu_spec(src);
      assert_string_equal(unit_add(&u, spec), layers[i][1]);
    }
  unit_check(&u, 900);
}

/* The activations' values: an identity layer (1x1 kernel, weight 1) on a ramp from -100 to 100
 * and the special values, through tcc (scalar code) and cc (matmul_shuffle, 16 lanes), against
 * the functions in double: within 4 ulp, or 1e-37 where the value is that small; NaN stays NaN,
 * infinities go where the functions go. */
static void test_activation_values(void **state) {
  (void)state;
  enum { H = 64, W = 80, COUNT = H * W };
  static const char *const acts[] = { "relu", "tanh", "sigmoid" };
  float *x = malloc(COUNT * 4), *y = malloc(COUNT * 4), w = 1.0f;
  for (int i = 0; i < COUNT; i++) x[i] = -100.0f + 200.0f * (float)i / (COUNT - 1);
  for (int i = 0; i < 400; i++) x[100 + i] = (float)(i - 200) / 256.0f; /* around the tanh split at 0.625 */
  const float specials[] = { 0.0f, -0.0f, 1e-30f, -1e-30f, 1e-8f, 0.625f, -0.625f, 87.5f, -87.5f, 89.0f, -89.0f,
                             1e30f, -1e30f, INFINITY, -INFINITY, NAN };
  for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) x[COUNT - 1 - i] = specials[i];
  for (size_t a = 0; a < sizeof acts / sizeof acts[0]; a++)
    for (int cc = 0; cc < 2; cc++) {
      char src[256];
      snprintf(src, sizeof src, "return {in_channels = 1, out_channels = 1, kernel_size = 1, bias = false, "
               "input_shape = {1, 1, %d, %d}, activation = '%s'}", H, W, acts[a]);
      ctg_spec *spec = tu_spec(src);
      if (cc) assert_string_equal(tu_shape(ctg_spec_params(spec), ctg__host_isa()), "matmul_shuffle");
      ctg_options o = { cc ? CTG_BACKEND_CC : CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
      ctg_kernel *k;
      ctg_error err;
      tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
      tu_assert_ok(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, &w, NULL, y, &err), &err);
      double worst = 0;
      for (int i = 0; i < COUNT; i++) {
        double v = x[i], want = a == 0 ? (v < 0 ? 0 : v) : a == 1 ? tanh(v) : 1 / (1 + exp(-v));
        if (isnan(v)) {
          assert_true(isnan(y[i]));
          continue;
        }
        double ulps = fabs(y[i] - want) / (FLT_EPSILON * fabs(want));
        if (fabs(y[i] - want) > 4 * FLT_EPSILON * fabs(want) && fabs(y[i] - want) > 1e-37) {
          fprintf(stderr, "%s(%.9g) = %.9g, want %.9g (%s)\n", acts[a], v, y[i], want, cc ? "cc" : "tcc");
          fail();
        }
        if (fabs(want) > 1e-30 && ulps > worst) worst = ulps;
      }
      printf("  %s through %s: within %.2f ulp\n", acts[a], cc ? "cc" : "tcc", worst);
      ctg_kernel_free(k);
      ctg_spec_free(spec);
    }
  free(x), free(y);
}

/* One compiled kernel serves any batch: batches 0, 1, N and 3N through every CPU backend, with
 * weights per call (forward) and bound (run, packed where the code packs), give exactly the
 * per-image results, and those are the interpreter's. */
static void test_batch_at_run_time(void **state) {
  (void)state;
  static const char *const layers[] = {
    "name = 'rb_pm', in_channels = 32, out_channels = 32, kernel_size = 4, stride = 2, padding = 1, input_shape = {2, 32, 5, 6}",
    "name = 'rb_rv', in_channels = 8, out_channels = 3, kernel_size = 3, stride = 2, padding = 1, input_shape = {2, 8, 6, 33}",
    "name = 'rb_ms', in_channels = 8, out_channels = 8, kernel_size = 2, stride = 2, input_shape = {2, 8, 3, 17}",
    "name = 'rb_vm', in_channels = 16, out_channels = 12, kernel_size = 4, input_shape = {2, 16, 1, 1}, threads = 2",
    "name = 'rb_ph', in_channels = 3, out_channels = 5, kernel_size = 3, stride = 2, padding = {0, 1, 1, 0}, "
    "input_shape = {2, 3, 4, 5}, activation = 'tanh'",
    "name = 'rb_un', in_channels = 3, out_channels = 2, kernel_size = 3, stride = 2, input_shape = {3, 4, 5}",
    "name = 'rb_pt', in_channels = 3, out_channels = 2, kernel_size = 3, stride = 3, unroll = 'none', input_shape = {2, 3, 4, 4}",
  };
  const ctg_backend backends[] = { CTG_BACKEND_INTERP, CTG_BACKEND_TCC, CTG_BACKEND_CC };
  int checked = 0;
  for (size_t l = 0; l < sizeof layers / sizeof layers[0]; l++) {
    char src[512];
    snprintf(src, sizeof src, "return {%s}", layers[l]);
    ctg_spec *spec = tu_spec(src);
    const ctg_params *p = ctg_spec_params(spec);
    size_t in_image = (size_t)p->in_channels * p->in_h * p->in_w, out_image = (size_t)p->out_channels * p->out_h * p->out_w;
    size_t nw = ctg_params_numel(p, CTG_WEIGHT), nb = ctg_params_numel(p, CTG_BIAS);
    int N = p->batched ? p->batch : 1, batches[] = { 0, 1, N, 3 * N };
    float *x = malloc(3 * N * in_image * 4), *w = malloc(nw * 4), *b = malloc(nb * 4 + 4);
    float *y = malloc(3 * N * out_image * 4 + 4), *y1 = malloc(out_image * 4);
    uint64_t seed = 5 + l;
    ctg__random_fill(x, 3 * N * in_image, &seed);
    ctg__random_fill(w, nw, &seed);
    ctg__random_fill(b, nb, &seed);
    ctg_params one = *p; /* one image, for the interpreter's verdict */
    one.batch = 1, one.batched = 1;
    for (size_t be = 0; be < sizeof backends / sizeof backends[0]; be++) {
      ctg_options o = { backends[be], NULL, NULL, 0, 0 };
      ctg_kernel *k;
      ctg_error err;
      tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
      tu_assert_ok(ctg_kernel_bind_weights(k, w, b, &err), &err);
      for (size_t i = 0; i < 4; i++)
        for (int bound = 0; bound < 2; bound++) {
          int n = batches[i];
          for (size_t j = 0; j < (size_t)n * out_image + 1; j++) y[j] = NAN;
          tu_assert_ok(bound ? ctg_kernel_run(k, n, x, NULL, NULL, y, &err) : ctg_kernel_run(k, n, x, w, b, y, &err), &err);
          assert_true(isnan(y[(size_t)n * out_image])); /* nothing past the batch */
          for (int img = 0; img < n; img++) {
            tu_assert_ok(ctg_kernel_run(k, 1, x + img * in_image, w, b, y1, &err), &err);
            assert_memory_equal(y1, y + img * out_image, out_image * 4);
            ctg_check_result r;
            tu_assert_ok(ctg__compare(&one, x + img * in_image, w, b, y1, &r, &err), &err);
            assert_true(r.passed);
          }
          checked++;
        }
      assert_int_equal(ctg_kernel_run(k, -1, x, w, b, y, &err), CTG_ERR_ARG);
      assert_contains(err.message, "batch -1 is negative");
      ctg_kernel_free(k);
    }
    free(x), free(w), free(b), free(y), free(y1);
    ctg_spec_free(spec);
  }
  printf("  %d (layer, backend, batch, weights) runs gave exactly the per-image results\n", checked);
}

int main(void) {
  /* CTG_TEST_FILTER=test_phase_groups* runs the tests whose names match */
  if (getenv("CTG_TEST_FILTER")) cmocka_set_test_filter(getenv("CTG_TEST_FILTER"));
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_cache),
    cmocka_unit_test(test_batch_at_run_time),
    cmocka_unit_test(test_activation_values),
    cmocka_unit_test(test_activations_in_every_vector_shape),
    cmocka_unit_test(test_asymmetric_padding_in_the_vector_shapes),
    cmocka_unit_test(test_two_processes_build_one_key),
    cmocka_unit_test(test_compiler_runs_without_a_shell),
    cmocka_unit_test(test_threads_match_one_thread),
    cmocka_unit_test(test_phase_matmul_against_the_interpreter),
    cmocka_unit_test(test_channels_last_against_the_interpreter),
    cmocka_unit_test(test_phase_groups_against_the_interpreter),
    cmocka_unit_test(test_row_vectors_against_the_interpreter),
    cmocka_unit_test(test_matmul_shuffle_against_the_interpreter),
    cmocka_unit_test(test_vector_matrix_against_the_interpreter),
    cmocka_unit_test(test_sweep_shapes_against_the_interpreter),
  };
  return cmocka_run_group_tests_name("cc", tests, tu_setup_dir, tu_teardown_dir);
}
