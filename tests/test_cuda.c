/* test_cuda.c: the CUDA emitter and the real NVRTC (runtime/backends/backend_nvrtc.c, runtime/store/cache.c): NVRTC
 * compiles the generated kernels for sm_75, sm_80 and sm_90 without a warning, in every dtype;
 * the disk cache hits, misses and survives a corrupt entry; nvcc builds the AOT output with its
 * launcher; and, where a GPU exists, it runs. Running the kernels without a GPU is
 * test_cuda_double's (the CPU double of the driver and NVRTC). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sweep_configs.h"
#include "testutil.h"

static char *cache_dir;

static int setup(void **state) {
  (void)state;
  cache_dir = tu_mkdtemp(); /* a fresh cache: every compile here really compiles */
  setenv("CONVTGEN_CACHE_DIR", cache_dir, 1);
  unsetenv("CONVTGEN_CUDA_DOUBLE"); /* the real NVRTC, or a visible skip */
  return 0;
}

static int teardown(void **state) {
  (void)state;
  tu_rmtree(cache_dir);
  free(cache_dir);
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

/* float64, complex64, complex128, float16, bfloat16: the CUDA code of part of the sweep compiled by NVRTC (one unit
 * per dtype, for sm_80). */
#define DTYPE_LAYERS 160

static void test_nvrtc_compiles_every_dtype(void **state) {
  (void)state;
  require_nvrtc();
  const char *dtypes[] = { "float64", "complex64", "complex128", "float16", "bfloat16" };
  for (int d = 0; d < 5; d++) {
    int compiled = 0;
    size_t cap = 1 << 20, used = 0;
    char *unit = malloc(cap);
    unit[0] = '\0';
    for (int i = 0; i < DTYPE_LAYERS && used < 400000; i++) {
      ctg_spec *spec;
      if (!sweep_spec_dtype(i, dtypes[d], &spec)) continue;
      char *src = cuda_source(spec, NULL);
      tu_text_append(&unit, &used, &cap, src);
      ctg_free(src);
      ctg_spec_free(spec);
      compiled++;
    }
    compile_clean(unit, "sm_80", dtypes[d]);
    free(unit);
    printf("  %-10s %d sweep layers' CUDA kernels compiled by NVRTC for sm_80\n", dtypes[d], compiled);
    assert_true(compiled >= 30); /* as many as fit 400 KB: a unit NVRTC compiles in seconds */
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

/* `gen --target cuda` output builds into a program with nvcc: kernels, headers, launchers (with
 * the launcher's every slicing branch: images together, a tall image in row slices, channel
 * tiles past grid z). */
static void test_nvcc_builds_a_project(void **state) {
  (void)state;
  if (system("command -v nvcc >/dev/null 2>&1") != 0) {
    printf("nvcc is not installed\n");
    skip();
  }
  const char *specs[] = {
    "return {name = 'nvcc_layer', in_channels = 4, out_channels = 3, kernel_size = 3, stride = 2, padding = 1, "
    "output_padding = 1, input_shape = {2, 4, 5, 6}}",
    "return {name = 'wide_z', in_channels = 1, out_channels = 65537, kernel_size = 1, input_shape = {1, 1, 1, 1}}",
    "return {name = 'tall_y', in_channels = 1, out_channels = 1, kernel_size = 1, input_shape = {1, 1, 16777216, 1}}",
  };
  char *dir = tu_mkdtemp();
  for (int i = 0; i < 3; i++) {
    ctg_spec *spec;
    assert_int_equal(ctg_spec_from_string(specs[i], NULL, &spec, NULL), CTG_OK);
    ctg_gen_options go = { CTG_TARGET_CUDA, NULL, NULL, CTG_ISA_PORTABLE };
    char written[1024];
    assert_int_equal(ctg_generate_to_dir(spec, &go, dir, written, sizeof written, NULL), CTG_OK);
    assert_contains(written, ".cuh (");
    ctg_spec_free(spec);
  }
  free(tu_write(dir, "main.cu",
                "#include <cstdio>\n#include \"nvcc_layer.cuh\"\n#include \"wide_z.cuh\"\n#include \"tall_y.cuh\"\n"
                "int main() {\n  float *x, *w, *b, *y;\n"
                "  cudaMalloc(&x, NVCC_LAYER_INPUT_SIZE * 4); cudaMalloc(&w, NVCC_LAYER_WEIGHT_SIZE * 4);\n"
                "  cudaMalloc(&b, NVCC_LAYER_BIAS_SIZE * 4); cudaMalloc(&y, NVCC_LAYER_OUTPUT_SIZE * 4);\n"
                "  cudaError_t e = nvcc_layer_launch(x, w, b, y, 0);\n"
                "  if (e == cudaSuccess) e = wide_z_launch(x, w, b, y, 0); /* built, not run: buffers too small */\n"
                "  if (e == cudaSuccess) e = tall_y_launch(x, w, b, y, 0);\n"
                "  std::printf(\"%s\\n\", cudaGetErrorString(e));\n  return 0;\n}\n", (size_t)-1));
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "cd %s && nvcc -arch=sm_80 -Werror all-warnings -o prog main.cu nvcc_layer.cu wide_z.cu "
           "tall_y.cu", dir);
  assert_int_equal(system(cmd), 0);
  tu_rmtree(dir);
  free(dir);
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
  const char *dtypes[] = { "float32", "float64", "complex64", "complex128", "float16", "bfloat16" };
  int checked = 0;
  for (int d = 0; d < 6; d++)
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
    cmocka_unit_test(test_nvrtc_compiles_the_public_suite),
    cmocka_unit_test(test_nvrtc_compiles_the_sweep),
    cmocka_unit_test(test_nvrtc_compiles_every_dtype),
    cmocka_unit_test(test_cache_hits_misses_and_corrupt_entries),
    cmocka_unit_test(test_nvcc_builds_a_project),
    cmocka_unit_test(test_on_the_gpu),
  };
  return cmocka_run_group_tests_name("cuda", tests, setup, teardown);
}
