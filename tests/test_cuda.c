/* test_cuda.c: the CUDA emitter and the nvrtc backend (runtime/backend_nvrtc.c, cache.c):
 * NVRTC compiles the generated kernels for sm_75, sm_80 and sm_90 without a warning; the same
 * .cu runs on the CPU through a host shim and matches the interpreter on the sweep; the disk
 * cache hits, misses and survives a corrupt entry; and, where a GPU exists, it runs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "suite.h"
#include "sweep_configs.h"
#include "testutil.h"

static char *cache_dir;
static char *shim_text;

static int setup(void **state) {
  (void)state;
  cache_dir = tu_mkdtemp(); /* a fresh cache: every compile here really compiles */
  setenv("CONVTGEN_CACHE_DIR", cache_dir, 1);
  FILE *f = fopen(CTG_TEST_ROOT "/tests/cuda_shim.h", "rb");
  if (!f) return -1;
  shim_text = calloc(1, 8192);
  if (fread(shim_text, 1, 8191, f) == 0) return -1;
  fclose(f);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  tu_rmtree(cache_dir);
  free(cache_dir);
  free(shim_text);
  return 0;
}

static void require_nvrtc(void) {
  char version[64];
  ctg_error err;
  if (ctg__nvrtc_version(version, sizeof version, &err) != CTG_OK) {
    printf("%s\n", err.message);
    skip();
  }
}

/* The i-th sweep layer as a spec of dtype with a unique name (for compiling many in one unit). */
static int sweep_spec_dtype(int i, const char *dtype, ctg_spec **spec) {
  config c;
  char src[600], named[760];
  sweep_random_config(&c, i);
  if (strncmp(dtype, "complex", 7) == 0) c.act = 0; /* complex has no activation */
  sweep_spec_text(&c, src, sizeof src);
  snprintf(named, sizeof named, "return {name = 'sweep%d', dtype = '%s', %s", i, dtype, src + strlen("return {"));
  return ctg_spec_from_string(named, "sweep", spec, NULL) == CTG_OK;
}

static int sweep_spec(int i, ctg_spec **spec) { return sweep_spec_dtype(i, "float32", spec); }

static char *cuda_source(const ctg_spec *spec, char **header) {
  char *src;
  ctg_gen_options go = { CTG_TARGET_CUDA, NULL, NULL, CTG_ISA_PORTABLE };
  ctg_error err;
  int st = ctg_generate(spec, &go, &src, header, &err);
  if (st != CTG_OK) fprintf(stderr, "%s\n", err.message);
  assert_int_equal(st, CTG_OK);
  return src;
}

static const char *const ARCHS[] = { "sm_75", "sm_80", "sm_90" };

static void compile_clean(const char *source, const char *arch, const char *what) {
  void *image;
  size_t size;
  char *log;
  ctg_error err;
  int st = ctg__nvrtc_compile(source, arch, &image, &size, &log, &err);
  if (st != CTG_OK) fprintf(stderr, "%s for %s: %s\n", what, arch, err.message);
  assert_int_equal(st, CTG_OK);
  if (log && log[0]) fprintf(stderr, "%s for %s: NVRTC says: %s\n", what, arch, log);
  assert_true(!log || !log[0]); /* no warnings */
  assert_true(size > 1000);
  assert_memory_equal(image, "\x7f" "ELF", 4); /* a CUBIN */
  free(image);
  free(log);
}

static void test_nvrtc_compiles_the_public_suite(void **state) {
  (void)state;
  require_nvrtc();
  ctg_suite_layer *layers;
  size_t count;
  assert_int_equal(ctg_suite_load(CTG_TEST_ROOT "/bench/layers.tsv", &layers, &count, NULL), CTG_OK);
  for (size_t i = 0; i < count; i++) {
    ctg_spec *spec;
    assert_int_equal(ctg_spec_from_layer(&layers[i].layer, &spec, NULL), CTG_OK);
    char *src = cuda_source(spec, NULL);
    printf("  %-12s", layers[i].name);
    for (int a = 0; a < 3; a++) {
      double t0 = ctg__now_ms();
      compile_clean(src, ARCHS[a], layers[i].name);
      printf("  %s %4.0f ms", ARCHS[a], ctg__now_ms() - t0);
    }
    printf("\n");
    ctg_free(src);
    ctg_spec_free(spec);
  }
  free(layers);
}

/* The whole sweep, compiled in units of 40 layers (NVRTC's cost is mostly per compile). */
#define SWEEP_LAYERS 700 /* indices; about a quarter are layers PyTorch rejects */
#define PER_UNIT 40

static void test_nvrtc_compiles_the_sweep(void **state) {
  (void)state;
  require_nvrtc();
  int compiled = 0;
  for (int first = 0; first < SWEEP_LAYERS; first += PER_UNIT) {
    size_t cap = 1 << 20, used = 0;
    char *unit = malloc(cap);
    unit[0] = '\0';
    for (int i = first; i < first + PER_UNIT && i < SWEEP_LAYERS; i++) {
      ctg_spec *spec;
      if (!sweep_spec(i, &spec)) continue; /* PyTorch rejects it (output size <= 0) */
      char *src = cuda_source(spec, NULL);
      tu_text_append(&unit, &used, &cap, src);
      compiled++;
      ctg_free(src);
      ctg_spec_free(spec);
    }
    for (int a = 0; a < 3; a++) compile_clean(unit, ARCHS[a], "sweep unit");
    free(unit);
  }
  printf("  %d sweep layers compiled for sm_75, sm_80 and sm_90\n", compiled);
  assert_true(compiled >= 500);
}

/* The largest scaled error over its tolerance seen through the shim, per dtype. */
static double worst_ratio[4];

/* One layer's kernels through the shim, compiled as C by tcc; the interpreter decides. */
static void shim_check(const ctg_spec *spec, int *checked) {
  char *header;
  char *src = cuda_source(spec, &header);
  const char *name = ctg_spec_params(spec)->name;
  size_t n = strlen(shim_text) + strlen(src) + strlen(header) + 1024;
  char *unit = malloc(n);
  snprintf(unit, n, "%s\n%s\n%s\nint shim_run(int shim_batch, const void *shim_x, const void *shim_w, const void *shim_b, "
           "void *shim_y) {\n  %s_FOR_EACH_KERNEL(CTG_SHIM_LAUNCH)\n  return 0;\n}\n",
           shim_text, src, header, ctg_spec_params(spec)->name);
  /* the macro is NAME upper-cased */
  char *macro = strstr(unit, "int shim_run(");
  macro = strstr(macro, name);
  for (size_t i = 0; i < strlen(name); i++)
    if (macro[i] >= 'a' && macro[i] <= 'z') macro[i] = (char)(macro[i] - 32);
  void *tcc;
  ctg__entry run;
  ctg_error err;
  int st = ctg__tcc_compile(unit, &tcc, &err);
  if (st != CTG_OK) fprintf(stderr, "%s\n", err.message);
  assert_int_equal(st, CTG_OK);
  *(void **)&run = ctg__tcc_symbol(tcc, "shim_run");
  assert_non_null(run);

  const ctg_params *p = ctg_spec_params(spec);
  const ctg_dtype d = ctg_params_dtype(p);
  const size_t es = ctg_dtype_size(d);
  size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
         nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
  void *x = malloc(nx * es + 4), *w = malloc(nw * es + 4), *b = malloc(nb * es + 4), *y = malloc(ny * es + 4);
  uint64_t seed = (uint64_t)*checked + 1;
  ctg__random_fill_dtype(x, nx, d, &seed);
  ctg__random_fill_dtype(w, nw, d, &seed);
  ctg__random_fill_dtype(b, nb, d, &seed);
  memset(y, 0xff, ny * es); /* NaN in every part */
  run(p->batch, x, w, b, y);
  ctg_check_result r;
  assert_int_equal(ctg__compare(p, x, w, b, y, &r, &err), CTG_OK);
  if (!r.passed)
    fprintf(stderr, "%s: scaled error %g > %g at %zu: %g vs %g\n", name, r.max_scaled_error, r.tolerance, r.worst,
            r.got, r.want);
  if (r.max_scaled_error / r.tolerance > worst_ratio[d]) worst_ratio[d] = r.max_scaled_error / r.tolerance;
  assert_true(r.passed);
  if (*checked % 8 == 0) { /* a batch of 3N (grid y per image, as the runtime launches it): each image right */
    ctg_params one = *p;
    one.batch = 1, one.batched = 1;
    int n3 = 3 * (p->batched && p->batch ? p->batch : 1);
    size_t in_image = ctg_params_numel(&one, CTG_INPUT), out_image = ctg_params_numel(&one, CTG_OUTPUT);
    char *x3 = malloc(n3 * in_image * es + 4), *y3 = malloc(n3 * out_image * es + 4);
    ctg__random_fill_dtype(x3, n3 * in_image, d, &seed);
    memset(y3, 0xff, n3 * out_image * es);
    run(n3, x3, w, b, y3);
    for (int i = 0; i < n3; i++) {
      assert_int_equal(ctg__compare(&one, x3 + i * in_image * es, w, b, y3 + i * out_image * es, &r, &err), CTG_OK);
      assert_true(r.passed);
    }
    free(x3), free(y3);
  }
  (*checked)++;
  free(x), free(w), free(b), free(y), free(unit), free(src), free(header);
  ctg__tcc_free(tcc);
}

static void test_cuda_indexing_on_the_cpu(void **state) {
  (void)state;
  int checked = 0;
  for (int i = 0; i < SWEEP_LAYERS; i++) {
    ctg_spec *spec;
    if (!sweep_spec(i, &spec)) continue;
    shim_check(spec, &checked);
    ctg_spec_free(spec);
  }
  /* and the layers whose shapes are easy to get wrong on a grid: 1x1 input, wide stride */
  const char *edges[] = {
    "return {name = 'e1', in_channels = 5, out_channels = 8, kernel_size = 4, input_shape = {2, 5, 1, 1}}",
    "return {name = 'e2', in_channels = 2, out_channels = 2, kernel_size = {1, 16}, stride = {1, 8}, "
    "padding = {0, 4}, input_shape = {1, 2, 1, 40}}",
    "return {name = 'e3', in_channels = 6, out_channels = 6, groups = 6, kernel_size = 4, stride = 2, padding = 1, "
    "input_shape = {1, 6, 37, 5}}",
    "return {name = 'e4', in_channels = 3, out_channels = 1, kernel_size = 9, stride = 3, padding = 4, "
    "output_padding = 2, input_shape = {1, 3, 7, 40}}",
  };
  for (int e = 0; e < 4; e++) {
    ctg_spec *spec;
    assert_int_equal(ctg_spec_from_string(edges[e], "edge", &spec, NULL), CTG_OK);
    shim_check(spec, &checked);
    ctg_spec_free(spec);
  }
  printf("  %d layers' CUDA kernels checked on the CPU against the interpreter\n", checked);
  assert_true(checked >= 504);
}

/* float64, complex64, complex128: the CUDA code of part of the sweep, run through the shim on
 * the CPU and compiled by NVRTC (one unit per dtype, for sm_80). */
#define DTYPE_LAYERS 160

static void test_dtypes_on_the_cpu_and_through_nvrtc(void **state) {
  (void)state;
  const char *dtypes[] = { "float64", "complex64", "complex128" };
  char version[64];
  int have_nvrtc = ctg__nvrtc_version(version, sizeof version, NULL) == CTG_OK;
  for (int d = 0; d < 3; d++) {
    int checked = 0;
    size_t cap = 1 << 20, used = 0;
    char *unit = malloc(cap);
    unit[0] = '\0';
    for (int i = 0; i < DTYPE_LAYERS; i++) {
      ctg_spec *spec;
      if (!sweep_spec_dtype(i, dtypes[d], &spec)) continue;
      shim_check(spec, &checked);
      if (used < 400000) { /* NVRTC: the first layers, in one unit */
        char *src = cuda_source(spec, NULL);
        tu_text_append(&unit, &used, &cap, src);
        ctg_free(src);
      }
      ctg_spec_free(spec);
    }
    if (have_nvrtc) compile_clean(unit, "sm_80", dtypes[d]);
    free(unit);
    ctg_dtype dt = d == 0 ? CTG_FLOAT64 : d == 1 ? CTG_COMPLEX64 : CTG_COMPLEX128;
    printf("  %-10s %d sweep layers' CUDA kernels checked on the CPU (worst error %.2f of the tolerance)%s\n",
           dtypes[d], checked, worst_ratio[dt], have_nvrtc ? ", compiled by NVRTC for sm_80" : "");
    assert_true(checked >= 110);
  }
  if (!have_nvrtc) {
    printf("NVRTC is not available: the dtypes' CUDA code was not compiled\n");
    skip();
  }
}

static void test_cache_hits_misses_and_corrupt_entries(void **state) {
  (void)state;
  require_nvrtc();
  ctg_spec *spec;
  assert_int_equal(ctg_spec_from_string("return {name = 'cached', in_channels = 2, out_channels = 2, kernel_size = 3, "
                                        "stride = 2, input_shape = {1, 2, 4, 4}}", NULL, &spec, NULL), CTG_OK);
  char *src = cuda_source(spec, NULL);
  size_t count;
  ctg_error err;
  assert_int_equal(ctg_cache_scan(1, NULL, 0, &count, &err), CTG_OK); /* start empty */
  void *first, *again;
  size_t n1, n2;
  double t0 = ctg__now_ms();
  assert_int_equal(ctg__nvrtc_compile(src, "sm_80", &first, &n1, NULL, &err), CTG_OK);
  double cold = ctg__now_ms() - t0;
  char listing[4096];
  assert_int_equal(ctg_cache_scan(0, listing, sizeof listing, &count, &err), CTG_OK);
  assert_int_equal(count, 1);
  assert_contains(listing, ".cubin\t");
  t0 = ctg__now_ms();
  assert_int_equal(ctg__nvrtc_compile(src, "sm_80", &again, &n2, NULL, &err), CTG_OK);
  double warm = ctg__now_ms() - t0;
  printf("  cold compile %.1f ms, cache hit %.2f ms\n", cold, warm);
  assert_int_equal(n1, n2);
  assert_memory_equal(first, again, n1);
  assert_true(warm < cold / 5);
  free(again);

  /* truncate the entry: it must be rebuilt, never loaded */
  char path[4200];
  char *tab = strchr(listing, '\t');
  *tab = '\0';
  snprintf(path, sizeof path, "%s", listing);
  FILE *f = fopen(path, "r+b");
  assert_non_null(f);
  assert_int_equal(ftruncate(fileno(f), 100), 0);
  fclose(f);
  assert_int_equal(ctg__nvrtc_compile(src, "sm_80", &again, &n2, NULL, &err), CTG_OK);
  assert_int_equal(n1, n2);
  assert_memory_equal(first, again, n1);
  free(again);
  /* another arch is another key */
  assert_int_equal(ctg__nvrtc_compile(src, "sm_90", &again, &n2, NULL, &err), CTG_OK);
  free(again);
  assert_int_equal(ctg_cache_scan(1, NULL, 0, &count, &err), CTG_OK);
  assert_int_equal(count, 2);
  assert_int_equal(ctg_cache_scan(0, NULL, 0, &count, &err), CTG_OK);
  assert_int_equal(count, 0);
  assert_int_equal(ctg__nvrtc_compile(src, "sm_xx", &again, &n2, NULL, &err), CTG_ERR_INTERNAL);
  assert_contains(err.message, "NVRTC could not compile");
  assert_int_equal(ctg__nvrtc_compile(src, "volta", &again, &n2, NULL, &err), CTG_ERR_ARG);
  free(first);
  ctg_free(src);
  ctg_spec_free(spec);
}

/* `gen --target cuda` output builds into a program with nvcc: kernels, header, launcher. */
static void test_nvcc_builds_a_project(void **state) {
  (void)state;
  if (system("command -v nvcc >/dev/null 2>&1") != 0) {
    printf("nvcc is not installed\n");
    skip();
  }
  ctg_spec *spec;
  assert_int_equal(ctg_spec_from_string("return {name = 'nvcc_layer', in_channels = 4, out_channels = 3, kernel_size = 3, "
                                        "stride = 2, padding = 1, output_padding = 1, input_shape = {2, 4, 5, 6}}",
                                        NULL, &spec, NULL), CTG_OK);
  char *dir = tu_mkdtemp();
  ctg_gen_options go = { CTG_TARGET_CUDA, NULL, NULL, CTG_ISA_PORTABLE };
  char written[1024];
  assert_int_equal(ctg_generate_to_dir(spec, &go, dir, written, sizeof written, NULL), CTG_OK);
  assert_contains(written, "nvcc_layer.cu (");
  assert_contains(written, "nvcc_layer.cuh (");
  free(tu_write(dir, "main.cu",
                "#include <cstdio>\n#include \"nvcc_layer.cuh\"\n"
                "int main() {\n  float *x, *w, *b, *y;\n"
                "  cudaMalloc(&x, NVCC_LAYER_INPUT_SIZE * 4); cudaMalloc(&w, NVCC_LAYER_WEIGHT_SIZE * 4);\n"
                "  cudaMalloc(&b, NVCC_LAYER_BIAS_SIZE * 4); cudaMalloc(&y, NVCC_LAYER_OUTPUT_SIZE * 4);\n"
                "  cudaError_t e = nvcc_layer_launch(x, w, b, y, 0);\n"
                "  std::printf(\"%s\\n\", cudaGetErrorString(e));\n  return 0;\n}\n", (size_t)-1));
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "cd %s && nvcc -arch=sm_80 -Werror all-warnings -o prog main.cu nvcc_layer.cu", dir);
  assert_int_equal(system(cmd), 0);
  tu_rmtree(dir);
  free(dir);
  ctg_spec_free(spec);
}

/* On a machine with a GPU: the sweep and the public suite through the nvrtc backend. */
static void test_on_the_gpu(void **state) {
  (void)state;
  ctg_spec *probe;
  ctg_kernel *k;
  ctg_error err;
  ctg_options nvrtc = { CTG_BACKEND_NVRTC, NULL, NULL, 0, 0 };
  assert_int_equal(ctg_spec_from_string("return {in_channels = 1, out_channels = 1, kernel_size = 1, "
                                        "input_shape = {1, 1, 1}}", NULL, &probe, NULL), CTG_OK);
  int st = ctg_compile(probe, &nvrtc, &k, &err);
  ctg_spec_free(probe);
  if (st == CTG_ERR_UNAVAILABLE) {
    printf("%s\n", err.message);
    skip();
  }
  assert_int_equal(st, CTG_OK);
  ctg_kernel_free(k);
  /* the sweep in float32, and its first DTYPE_LAYERS indices in every other dtype */
  const char *dtypes[] = { "float32", "float64", "complex64", "complex128" };
  int checked = 0;
  for (int d = 0; d < 4; d++)
    for (int i = 0; i < (d == 0 ? SWEEP_LAYERS : DTYPE_LAYERS); i++) {
      ctg_spec *spec;
      if (!sweep_spec_dtype(i, dtypes[d], &spec)) continue;
      ctg_check_result r;
      assert_int_equal(ctg_compile(spec, &nvrtc, &k, &err), CTG_OK);
      assert_int_equal(ctg_check(k, (uint64_t)i, &r, &err), CTG_OK);
      assert_true(r.passed);
      checked++;
      ctg_kernel_free(k);
      ctg_spec_free(spec);
    }
  ctg_suite_layer *layers;
  size_t count;
  assert_int_equal(ctg_suite_load(CTG_TEST_ROOT "/bench/layers.tsv", &layers, &count, NULL), CTG_OK);
  for (size_t i = 0; i < count; i++) {
    ctg_spec *spec;
    ctg_check_result r;
    assert_int_equal(ctg_spec_from_layer(&layers[i].layer, &spec, NULL), CTG_OK);
    assert_int_equal(ctg_compile(spec, &nvrtc, &k, &err), CTG_OK);
    assert_int_equal(ctg_check(k, 1, &r, &err), CTG_OK);
    printf("  %-12s %s max scaled error %.3g\n", layers[i].name, r.passed ? "PASS" : "FAIL", r.max_scaled_error);
    assert_true(r.passed);
    ctg_kernel_free(k);
    ctg_spec_free(spec);
  }
  free(layers);
  printf("  %d sweep layers (every dtype) and %zu public layers PASS on the GPU\n", checked, count);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_cuda_indexing_on_the_cpu),
    cmocka_unit_test(test_nvrtc_compiles_the_public_suite),
    cmocka_unit_test(test_nvrtc_compiles_the_sweep),
    cmocka_unit_test(test_dtypes_on_the_cpu_and_through_nvrtc),
    cmocka_unit_test(test_cache_hits_misses_and_corrupt_entries),
    cmocka_unit_test(test_nvcc_builds_a_project),
    cmocka_unit_test(test_on_the_gpu),
  };
  return cmocka_run_group_tests_name("cuda", tests, setup, teardown);
}
