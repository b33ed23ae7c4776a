/* test_aot.c: ahead-of-time C (ctg_generate, --isa portable|avx512|avx2|neon|scalar) built the
 * way a deployment build builds it: gcc and clang with -Wall -Wextra -Werror (the scalar and
 * portable files also as -std=c99 -Wpedantic, where the vector part must drop out cleanly), then
 * run against the interpreter through both entry points, on every vector shape (float32 and
 * float64) and the sweep. The AVX2 code runs where the host has AVX2; the NEON code (4 lanes)
 * runs here as GCC's generic vectors, and on AArch64 itself under QEMU in test_arm. */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "internal.h"
#include "sweep_configs.h"
#include "testutil.h"

static int sh(const char *cmd) {
  int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int have(const char *cc) {
  char probe[128];
  snprintf(probe, sizeof probe, "command -v %s >/dev/null 2>&1", cc);
  return sh(probe) == 0;
}

/* The layers that take each vector shape (sweep_configs.c), then sweep layers (mostly scalar). */
#define MAX_LAYERS 64
static ctg_spec *layers[MAX_LAYERS];
static int layer_count;
#define VECTOR_COUNT VECTOR_SHAPE_LAYER_COUNT
#define SWEEP_COUNT 12

static int setup(void **state) {
  if (tu_setup_dir(state) != 0) return -1;
  for (size_t i = 0; i < VECTOR_COUNT; i++) layers[layer_count++] = tu_spec(VECTOR_SHAPE_LAYERS[i]);
  for (int i = 0; layer_count < (int)VECTOR_COUNT + SWEEP_COUNT; i++) {
    config c;
    char src[600], named[700];
    sweep_random_config(&c, 1000 + i);
    sweep_spec_text(&c, src, sizeof src);
    snprintf(named, sizeof named, "return {name = 'a_sw%d', %s", i, src + strlen("return {"));
    ctg_spec *spec;
    if (ctg_spec_from_string(named, "sweep", &spec, NULL) == CTG_OK) layers[layer_count++] = spec;
  }
  return 0;
}

static int teardown(void **state) {
  for (int i = 0; i < layer_count; i++) ctg_spec_free(layers[i]);
  return tu_teardown_dir(state);
}

/* Every layer's file for isa in one unit (the files are include-guarded for that). */
static char *unit_text(ctg_isa isa) {
  char *text = NULL;
  size_t used = 0, cap = 0;
  for (int i = 0; i < layer_count; i++) {
    ctg_gen_options go = { CTG_TARGET_C, NULL, NULL, isa };
    char *src;
    ctg_error err;
    tu_assert_ok(ctg_generate(layers[i], &go, &src, NULL, &err), &err);
    tu_text_append(&text, &used, &cap, src);
    ctg_free(src);
  }
  return text;
}

/* Whether this host runs AVX2 code (an AVX-512 host does too). */
static int host_has_avx2(void) {
  return strcmp(ctg__host_isa(), "avx512") == 0 || strcmp(ctg__host_isa(), "avx2") == 0;
}

/* Builds a unit with cc and flags, then checks every layer through pack + run_packed and run. */
static void build_and_check(const char *what, const char *text, const char *cc, const char *flags) {
  char *src = tu_write(tu_dir, "aot.c", text, (size_t)-1), so[4200], cmd[9000];
  snprintf(so, sizeof so, "%s/aot-%s-%s.so", tu_dir, cc, what);
  snprintf(cmd, sizeof cmd, "%s -O2 -Wall -Wextra -Werror %s -shared -fPIC -o '%s' '%s'", cc, flags, so, src);
  if (sh(cmd) != 0) fprintf(stderr, "failed: %s\n", cmd);
  assert_int_equal(sh(cmd), 0);
  free(src);
  void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
  assert_non_null(h);
  char label[64];
  snprintf(label, sizeof label, "%s %s", cc, what);
  for (int i = 0; i < layer_count; i++) {
    const ctg_params *p = ctg_spec_params(layers[i]);
    ctg__emitted e;
    tu_assert_ok(ctg__emit(p, "portable", NULL, NULL, &e, NULL), NULL);
    size_t packed_size = e.packed_size;
    ctg__emitted_free(&e);
    tu_check_entry_points(h, p, packed_size, (uint64_t)i + 7, label);
  }
  dlclose(h);
}

/* The emitter's answer for each target: the vector shapes on cc, portable (with the C99
 * fallback named) and each ISA profile, C99 alone on scalar and tcc. */
static void test_answers(void **state) {
  (void)state;
  ctg__emitted e;
  static const struct { int layer; const char *shape; ctg__convention convention; } want[] = {
    { 0, "matmul_shuffle", CTG__PACKED }, { 3, "phase_matmul", CTG__PACKED },
    { 6, "row_vectors", CTG__DIRECT }, { 12, "vector_matrix", CTG__DIRECT },
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const ctg_params *p = ctg_spec_params(layers[want[i].layer]);
    tu_assert_ok(ctg__emit(p, "portable", NULL, NULL, &e, NULL), NULL);
    assert_string_equal(ctg__code_shape_name(e.shape), want[i].shape);
    assert_int_equal(e.convention, want[i].convention);
    /* vector_matrix is plain C: one section, no fallback */
    assert_string_equal(ctg__code_shape_name(e.fallback), want[i].convention == CTG__DIRECT && i == 3 ? "" : "phases");
    assert_true(e.packed_size >= ctg_params_numel(p, CTG_WEIGHT));
    assert_contains(e.header, "_PACKED_SIZE");
    ctg__emitted_free(&e);
    assert_string_equal(tu_shape(p, ctg__host_isa()), want[i].shape);
    assert_string_equal(tu_shape(p, "avx512"), want[i].shape);
    assert_string_equal(tu_shape(p, "avx2"), want[i].shape);
    assert_string_equal(tu_shape(p, "neon"), want[i].shape);
    assert_string_equal(tu_shape(p, "scalar"), i == 3 ? "vector_matrix" : "phases");
  }
  /* channels_last (the last four vector-shape layers): phase_matmul, then channel_dots on every
   * profile (vectors of 16 input channels on AVX-512, 8 on AVX2, 4 on NEON), the C99 code alone */
  for (size_t i = VECTOR_COUNT - 4; i < VECTOR_COUNT; i++) {
    const ctg_params *p = ctg_spec_params(layers[i]);
    const char *want_shape = i == VECTOR_COUNT - 4 ? "phase_matmul" : "channel_dots";
    const char *const targets[] = { ctg__host_isa(), "avx512", "avx2", "neon" };
    for (size_t t = 0; t < 4; t++) assert_string_equal(tu_shape(p, targets[t]), want_shape);
    assert_string_equal(tu_shape(p, "scalar"), "phases");
  }
  static const struct { const char *target, *what; } dots[] = {
    { "avx512", "vectors of 16 input channels" }, { "avx2", "vectors of 8 input channels" },
    { "neon", "vectors of 4 input channels" },
  };
  for (size_t i = 0; i < sizeof dots / sizeof dots[0]; i++) {
    tu_assert_ok(ctg__emit(ctg_spec_params(layers[VECTOR_COUNT - 3]), dots[i].target, NULL, NULL, &e, NULL), NULL);
    assert_contains(e.description, dots[i].what);
    ctg__emitted_free(&e);
  }
  /* channels_last depthwise, and phase groups (the two before them) */
  const char *const profiles[] = { ctg__host_isa(), "avx512", "avx2", "neon" };
  for (size_t t = 0; t < 4; t++) {
    assert_string_equal(tu_shape(ctg_spec_params(layers[VECTOR_COUNT - 6]), profiles[t]), "group_vectors");
    assert_string_equal(tu_shape(ctg_spec_params(layers[VECTOR_COUNT - 5]), profiles[t]), "phase_matmul");
  }
  /* the profiles size the tiles: 16, 8 and 4 float32 lanes; float64 at half the lanes */
  const ctg_params *pm = ctg_spec_params(layers[4]);
  static const struct { const char *target, *what; } tiles[] = {
    { "avx512", "32 channels x up to 12 positions" }, { "avx2", "16 channels x up to 5 positions" },
    { "neon", "16 channels x up to 4 positions" },
  };
  for (size_t i = 0; i < sizeof tiles / sizeof tiles[0]; i++) {
    tu_assert_ok(ctg__emit(pm, tiles[i].target, NULL, NULL, &e, NULL), NULL);
    assert_contains(e.description, tiles[i].what);
    ctg__emitted_free(&e);
  }
  tu_assert_ok(ctg__emit(pm, "portable", NULL, NULL, &e, NULL), NULL);
  assert_contains(e.source, "#elif defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__)");
  assert_contains(e.source, "#elif defined(__GNUC__) && defined(__aarch64__)");
  assert_contains(e.source, "typedef float ctg_f32x4 __attribute__((vector_size(16)));");
  ctg__emitted_free(&e);
  /* float64 at half the lanes; complex in phase_matmul at two accumulators per vector (real,
   * imaginary), or where it does not fit the C99 code, and the answer says why */
  static const struct { const char *dtype, *shape, *target, *cout_width, *says; } dtypes[] = {
    { "float64", "phase_matmul", "avx512", "32, kernel_size = 4, stride = 2, input_shape = {1, 5, 4, 4}",
      "16 channels x up to 12 positions" },
    { "complex64", "phase_matmul", "avx512", "32, kernel_size = 4, stride = 2, input_shape = {1, 5, 4, 4}",
      "32 channels x up to 6 positions" },
    { "complex64", "row_vectors", "avx512", "3, kernel_size = 4, stride = 2, input_shape = {1, 5, 4, 40}",
      "vectors of 8 along rows" },
    { "complex128", "phases", "avx512", "3, kernel_size = 2, stride = 2, input_shape = {1, 5, 4, 3}",
      "matmul_shuffle: rows shorter than 4" },
  };
  for (size_t i = 0; i < sizeof dtypes / sizeof dtypes[0]; i++) {
    char src[300];
    snprintf(src, sizeof src, "return {in_channels = 5, dtype = '%s', out_channels = %s}", dtypes[i].dtype,
             dtypes[i].cout_width);
    ctg_spec *spec = tu_spec(src);
    tu_assert_ok(ctg__emit(ctg_spec_params(spec), dtypes[i].target, NULL, NULL, &e, NULL), NULL);
    assert_string_equal(ctg__code_shape_name(e.shape), dtypes[i].shape);
    assert_contains(e.shape != CTG__CODE_SHAPE_PHASES ? e.description : e.why, dtypes[i].says);
    if (i == 0) assert_contains(e.source, "typedef double ctg_f64x8 __attribute__((vector_size(64)));");
    ctg__emitted_free(&e);
    ctg_spec_free(spec);
  }
}

static void check_compiler(const char *cc) {
  if (!have(cc)) {
    printf("%s is not installed\n", cc);
    skip();
  }
  int full = strcmp(cc, "gcc") == 0; /* gcc builds the scalar file and AVX2 too; clang the rest */
  char *portable = unit_text(CTG_ISA_PORTABLE), *neon = unit_text(CTG_ISA_NEON);
  /* the portable file on this host: with -march=native the host's own section, with -mavx2
   * -mfma (no AVX-512) the AVX2 section, the C99 code without either. The single-ISA files
   * (avx512, avx2) hold the same sections without the guards. */
  build_and_check("portable-native", portable, cc, "-march=native");
  build_and_check("portable-c99", portable, cc, "-std=c99 -Wpedantic");
  int avx2 = host_has_avx2();
  if (avx2 && full) build_and_check("portable-avx2", portable, cc, "-mavx2 -mfma -mno-avx512f");
  /* the NEON profile's 4-lane code as GCC's generic vectors on this host */
  build_and_check("neon-generic", neon, cc, "-DCONVTGEN_ANY_ISA"); /* GCC's generic vectors */
  if (full) {
    char *scalar = unit_text(CTG_ISA_SCALAR);
    build_and_check("scalar", scalar, cc, "-std=c99 -Wpedantic");
    free(scalar);
  }
  printf("  %s: %d layers, portable (native, %sC99) and neon%s files each built and checked\n", cc, layer_count,
         avx2 && full ? "AVX2, " : "", full ? " and scalar" : "");
  if (!avx2) printf("  (this host has no AVX2: the AVX2 code was not run)\n");
  free(portable), free(neon);
}

static void test_gcc(void **state) {
  (void)state;
  check_compiler("gcc");
}

static void test_clang(void **state) {
  (void)state;
  check_compiler("clang");
}

/* Baked weights with the vector code: the packed order computed by the generator must be what
 * pack writes. Each vector shape, for each profile; NAME_run(input, output). */
static void test_baked_vector_code(void **state) {
  (void)state;
  /* the host's own section, the AVX2 section, and NEON's 4 lanes as generic vectors: each
   * profile's packed order */
  static const struct { ctg_isa isa; const char *flags; } builds[] = {
    { CTG_ISA_PORTABLE, "-march=native" }, { CTG_ISA_PORTABLE, "-mavx2 -mfma -mno-avx512f" }, { CTG_ISA_NEON, "-DCONVTGEN_ANY_ISA" },
  };
  int avx2 = host_has_avx2();
  for (int k = 0; k < 27; k++) {
    const int i = k % 9, build = k / 9;
    if (build == 1 && !avx2) continue;
    const ctg_params *p = ctg_spec_params(layers[i]);
    size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
           nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
    float *x = malloc(nx * 4 + 4), *w = malloc(nw * 4 + 4), *b = malloc(nb * 4 + 4), *y = malloc(ny * 4 + 4);
    uint64_t seed = (uint64_t)i + 70;
    ctg__random_fill(x, nx, &seed);
    ctg__random_fill(w, nw, &seed);
    ctg__random_fill(b, nb, &seed);
    ctg_gen_options go = { CTG_TARGET_C, w, p->bias ? b : NULL, builds[build].isa };
    char *src, *path, so[4200], cmd[9000];
    ctg_error err;
    tu_assert_ok(ctg_generate(layers[i], &go, &src, NULL, &err), &err);
    assert_contains(src, "_packed[");
    path = tu_write(tu_dir, "baked.c", src, (size_t)-1);
    snprintf(so, sizeof so, "%s/baked%d.so", tu_dir, k);
    snprintf(cmd, sizeof cmd, "cc -O1 -Wall -Wextra -Werror %s -shared -fPIC -o '%s' '%s'", builds[build].flags, so, path);
    assert_int_equal(sh(cmd), 0);
    void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
    assert_non_null(h);
    char sym[96];
    snprintf(sym, sizeof sym, "%s_run", p->name);
    int (*run)(const float *, float *);
    *(void **)&run = dlsym(h, sym);
    assert_non_null(run);
    for (size_t j = 0; j < ny; j++) y[j] = NAN;
    assert_int_equal(run(x, y), 0);
    ctg_check_result r;
    assert_int_equal(ctg__compare(p, x, w, b, y, &r, NULL), CTG_OK);
    if (!r.passed)
      fprintf(stderr, "%s baked (%s): scaled error %g > %g\n", p->name, builds[build].flags, r.max_scaled_error, r.tolerance);
    assert_true(r.passed);
    /* the batch entry: the same call for the spec's batch, nothing for a batch of 0 */
    snprintf(sym, sizeof sym, "%s_run_batch", p->name);
    int (*run_batch)(int, const float *, float *);
    *(void **)&run_batch = dlsym(h, sym);
    assert_non_null(run_batch);
    float *y2 = malloc(ny * 4 + 4);
    for (size_t j = 0; j < ny; j++) y2[j] = NAN;
    assert_int_equal(run_batch(p->batched ? p->batch : 1, x, y2), 0);
    assert_memory_equal(y, y2, ny * 4);
    y2[0] = 7.0f;
    assert_int_equal(run_batch(0, x, y2), 0);
    assert_true(y2[0] == 7.0f);
    free(y2);
    dlclose(h);
    free(x), free(w), free(b), free(y), free(path);
    ctg_free(src);
  }
}

/* The float16 / bfloat16 conversions a generated file carries (templates/half.c.in), built as a
 * deployment builds them (-std=c99 -Wpedantic -Werror): plain C, and F16C's instructions where
 * the host has them; against the runtime's (runtime/core/half.c) on every 16-bit pattern
 * (widen) and on every halfway point between neighbours, the floats either side of it, every
 * value itself, its negation, float subnormals, the overflow edge, infinities and NaN (narrow). */
static void test_half_conversions_in_generated_code(void **state) {
  (void)state;
  static const struct { const char *dtype; ctg_dtype d; } kinds[] = { { "float16", CTG_FLOAT16 }, { "bfloat16", CTG_BFLOAT16 } };
#if defined(__x86_64__) || defined(__i386__)
  static const char *const builds[] = { "-mno-f16c", "-mf16c" };
  __builtin_cpu_init();
  const int f16c = __builtin_cpu_supports("f16c");
#else
  static const char *const builds[] = { "", "" };
  const int f16c = 0;
#endif
  if (!f16c) printf("  this host has no F16C: its instructions' path is not run here\n");
  for (int k = 0; k < 2; k++) {
    /* the values narrow is asked about */
    size_t n = 0, cap = 1 << 20;
    float *in = malloc(cap * sizeof *in);
    for (unsigned h = 0; h < 0x10000; h++) {
      const double v = ctg__half_widen((uint16_t)h, kinds[k].d), u = ctg__half_widen((uint16_t)(h + 1), kinds[k].d);
      if (v != v) continue;
      in[n++] = (float)v;
      if ((h & 0x8000) || isinf(v) || isinf(u) || u != u || h == 0xffff) continue;
      const float mid = (float)(v + (u - v) / 2); /* exact: one bit more than the dtype holds */
      in[n++] = mid, in[n++] = -mid, in[n++] = nextafterf(mid, 0), in[n++] = nextafterf(mid, INFINITY);
      in[n++] = -nextafterf(mid, INFINITY);
    }
    const float extra[] = { 1e-45f, -1e-45f, 1e-40f, 1.17549421e-38f, 65519.996f, 65520.0f, 3.4028235e38f,
                            -3.4028235e38f, INFINITY, -INFINITY, 3.3961514e38f, 3.3961516e38f };
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) in[n++] = extra[i];
    assert_true(n < cap);
    char spec_text[200];
    snprintf(spec_text, sizeof spec_text, "return {name = 'cv', in_channels = 1, out_channels = 1, kernel_size = 1, "
             "input_shape = {1, 1, 1, 1}, dtype = '%s'}", kinds[k].dtype);
    ctg_spec *spec = tu_spec(spec_text);
    ctg_gen_options go = { CTG_TARGET_C, NULL, NULL, CTG_ISA_SCALAR };
    char *src;
    ctg_error err;
    tu_assert_ok(ctg_generate(spec, &go, &src, NULL, &err), &err);
    assert_contains(src, "cv_narrow(");
    char *text = NULL;
    size_t used = 0, tcap = 0;
    tu_text_append(&text, &used, &tcap, src);
    tu_text_append(&text, &used, &tcap, "\nfloat cv_widen_for_test(uint16_t h);\nfloat cv_widen_for_test(uint16_t h) { return cv_widen(h); }\n"
                   "uint16_t cv_narrow_for_test(float f);\nuint16_t cv_narrow_for_test(float f) { return cv_narrow(f); }\n");
    char *path = tu_write(tu_dir, "half.c", text, (size_t)-1);
    for (int b = 0; b < 2; b++) {
      if (b == 1 && !f16c) continue;
      char so[4200], cmd[9000];
      snprintf(so, sizeof so, "%s/half%d%d.so", tu_dir, k, b);
      snprintf(cmd, sizeof cmd, "cc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror %s -shared -fPIC -o '%s' '%s'",
               builds[b], so, path);
      if (sh(cmd) != 0) fprintf(stderr, "failed: %s\n", cmd);
      assert_int_equal(sh(cmd), 0);
      void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
      assert_non_null(h);
      float (*widen)(uint16_t);
      uint16_t (*narrow)(float);
      *(void **)&widen = dlsym(h, "cv_widen_for_test");
      *(void **)&narrow = dlsym(h, "cv_narrow_for_test");
      assert_non_null(widen);
      assert_non_null(narrow);
      for (unsigned bits = 0; bits < 0x10000; bits++) {
        const double want = ctg__half_widen((uint16_t)bits, kinds[k].d);
        const float got = widen((uint16_t)bits);
        if (want != want) assert_true(got != got);
        else if ((double)got != want || !signbit(got) != !signbit(want)) fail_msg("%s widen 0x%04x: %g, want %g", kinds[k].dtype, bits, got, want);
      }
      for (size_t i = 0; i < n; i++) {
        const uint16_t want = ctg__half_round(in[i], kinds[k].d), got = narrow(in[i]);
        if (got != want) fail_msg("%s %s narrow %.9g: 0x%04x, want 0x%04x", kinds[k].dtype, builds[b], in[i], got, want);
      }
      assert_true(isnan(ctg__half_widen(narrow(NAN), kinds[k].d)));
      printf("  %-8s %s: widen on 65536 patterns, narrow on %zu values: as the runtime's\n", kinds[k].dtype, builds[b], n);
      dlclose(h);
    }
    free(path), free(text), free(in);
    ctg_free(src);
    ctg_spec_free(spec);
  }
}

/* float16 and bfloat16 through phase_matmul (weights packed as 16-bit patterns, widened a vector
 * at a time), row_vectors (inputs widened and outputs rounded a vector at a time, merged
 * stores) and the C99 fallback in one portable file: built for this host, for AVX2 with and
 * without F16C's instructions, and as NEON's 4 lanes in GCC's generic vectors (element-by-element
 * widening); every entry point against the interpreter. NCHW, channels_last, groups, padded
 * channel blocks, a row phase of no taps, an activation. */
static void test_half_vector_code(void **state) {
  (void)state;
  static const char *const layers_text[] = {
    "return {name = 'hv0', in_channels = 24, out_channels = 40, kernel_size = 4, stride = 2, padding = 1, "
    "input_shape = {2, 24, 5, 7}, dtype = '%s'}",
    "return {name = 'hv1', in_channels = 16, out_channels = 64, kernel_size = 3, stride = 2, padding = 1, "
    "output_padding = 1, groups = 2, input_shape = {1, 16, 6, 5}, memory_format = 'channels_last', dtype = '%s', "
    "activation = 'relu'}",
    "return {name = 'hv2', in_channels = 8, out_channels = 32, kernel_size = {1, 3}, stride = {3, 2}, "
    "input_shape = {1, 8, 4, 9}, dtype = '%s', bias = false}",
    /* row_vectors: merged stores (stride 2), tails, scalar columns; whole-vector stores (stride 1) */
    "return {name = 'hv3', in_channels = 6, out_channels = 3, kernel_size = 4, stride = 2, padding = 1, "
    "input_shape = {2, 6, 7, 29}, dtype = '%s', activation = 'sigmoid'}",
    "return {name = 'hv4', in_channels = 4, out_channels = 2, kernel_size = 3, padding = 1, "
    "input_shape = {1, 4, 5, 37}, dtype = '%s'}",
  };
  static const char *const shapes[] = { "phase_matmul", "phase_matmul", "phase_matmul", "row_vectors", "row_vectors" };
#define HALF_LAYERS 5
  static const char *const dtypes[] = { "float16", "bfloat16" };
  static const struct { ctg_isa isa; const char *flags; } builds[] = {
    { CTG_ISA_PORTABLE, "-march=native" }, { CTG_ISA_PORTABLE, "-mavx2 -mfma -mf16c -mno-avx512f" },
    { CTG_ISA_PORTABLE, "-mavx2 -mfma -mno-f16c -mno-avx512f" }, { CTG_ISA_NEON, "-DCONVTGEN_ANY_ISA" },
  };
  const int avx2 = host_has_avx2();
  int built = 0;
  for (size_t b = 0; b < sizeof builds / sizeof builds[0]; b++) {
    if ((b == 1 || b == 2) && !avx2) continue;
    for (int d = 0; d < 2; d++) {
      ctg_spec *specs[HALF_LAYERS];
      char *text = NULL;
      size_t used = 0, cap = 0;
      for (int i = 0; i < HALF_LAYERS; i++) {
        char src[400];
        snprintf(src, sizeof src, layers_text[i], dtypes[d]);
        specs[i] = tu_spec(src);
        ctg_gen_options go = { CTG_TARGET_C, NULL, NULL, builds[b].isa };
        char *c;
        ctg_error err;
        tu_assert_ok(ctg_generate(specs[i], &go, &c, NULL, &err), &err);
        assert_contains(c, shapes[i]);
        tu_text_append(&text, &used, &cap, c);
        ctg_free(c);
      }
      char *src = tu_write(tu_dir, "half_vec.c", text, (size_t)-1), so[4200], cmd[9000];
      snprintf(so, sizeof so, "%s/half_vec%zu%d.so", tu_dir, b, d);
      snprintf(cmd, sizeof cmd, "cc -O2 -Wall -Wextra -Werror %s -shared -fPIC -o '%s' '%s'", builds[b].flags, so, src);
      if (sh(cmd) != 0) fprintf(stderr, "failed: %s\n", cmd);
      assert_int_equal(sh(cmd), 0);
      void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
      assert_non_null(h);
      for (int i = 0; i < HALF_LAYERS; i++) {
        const ctg_params *p = ctg_spec_params(specs[i]);
        ctg__emitted e;
        tu_assert_ok(ctg__emit(p, "portable", NULL, NULL, &e, NULL), NULL);
        char label[96];
        snprintf(label, sizeof label, "%s %s", dtypes[d], builds[b].flags);
        tu_check_entry_points(h, p, e.packed_size, (uint64_t)i + 40, label);
        ctg__emitted_free(&e);
        ctg_spec_free(specs[i]);
      }
      dlclose(h);
      free(src), free(text);
      built++;
    }
  }
  printf("  float16 and bfloat16 phase_matmul and row_vectors: %d builds of %d layers, every entry point as the "
         "interpreter\n", built, HALF_LAYERS);
  assert_true(built >= 4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_answers),
    cmocka_unit_test(test_gcc),
    cmocka_unit_test(test_clang),
    cmocka_unit_test(test_baked_vector_code),
    cmocka_unit_test(test_half_conversions_in_generated_code),
    cmocka_unit_test(test_half_vector_code),
  };
  return cmocka_run_group_tests_name("aot", tests, setup, teardown);
}
