/* test_arm.c: the NEON profile on AArch64 without ARM hardware (make test-arm). Every layer's
 * `--isa neon` file goes into one C unit with a small driver (tests/arm/driver.c), cross-compiled by
 * aarch64-linux-gnu-gcc (-O2, static) and run under qemu-aarch64; the driver packs and runs
 * each layer through both entry points on inputs the host wrote, and the host checks every
 * output against the interpreter. Layers: each vector shape in float32 and float64
 * (sweep_configs.c), a subset of the differential sweep (every dtype), and every layer of the
 * public suite (../shared/bench/layers.tsv). Skips visibly when the cross compiler or QEMU is
 * missing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "internal.h"
#include "sweep_configs.h"
#include "testutil.h"

#define CROSS_CC "aarch64-linux-gnu-gcc"
#define QEMU "qemu-aarch64"
#define SUITE CTG_TEST_ROOT "/../shared/bench/layers.tsv"
#define SWEEP_LAYERS 40

static int sh(const char *cmd) {
  int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int have_tools(void) {
  if (sh("command -v " CROSS_CC " >/dev/null 2>&1 && command -v " QEMU " >/dev/null 2>&1") == 0) return 1;
  printf("  %s or %s is not installed (make test-arm installs gcc-aarch64-linux-gnu and qemu-user)\n", CROSS_CC, QEMU);
  return 0;
}

typedef struct arm_unit {
  ctg_spec *specs[128];
  size_t packed[128];
  int count;
  int shapes[3][6]; /* real float32, float64, complex x VECTOR_SHAPES */
} arm_unit;

#define SHAPE_COUNT 6
static const char *const VECTOR_SHAPES[SHAPE_COUNT] = { "vector_matrix", "matmul_shuffle", "phase_matmul", "row_vectors",
                                                        "channel_dots", "group_vectors" };

static void unit_add(arm_unit *u, ctg_spec *spec) {
  assert_true(u->count < 128);
  const ctg_params *p = ctg_spec_params(spec);
  ctg__emitted e;
  tu_assert_ok(ctg__emit(p, "neon", NULL, NULL, &e, NULL), NULL);
  ctg_dtype dt = ctg_params_dtype(p);
  int d = dt == CTG_FLOAT32 ? 0 : dt == CTG_FLOAT64 ? 1 : 2;
  for (int s = 0; s < SHAPE_COUNT; s++) u->shapes[d][s] += strcmp(ctg__code_shape_name(e.shape), VECTOR_SHAPES[s]) == 0;
  u->packed[u->count] = e.packed_size;
  u->specs[u->count++] = spec;
  ctg__emitted_free(&e);
}

/* The unit: every layer's neon file, the table of their entry points, then tests/arm/driver.c
 * (whose argv names a layer, its sizes and a folder of inputs). */
static char *unit_source(const arm_unit *u) {
  char *text = NULL;
  size_t used = 0, cap = 0;
  for (int i = 0; i < u->count; i++) {
    char *src;
    ctg_gen_options go = { CTG_TARGET_C, NULL, NULL, CTG_ISA_NEON };
    ctg_error err;
    tu_assert_ok(ctg_generate(u->specs[i], &go, &src, NULL, &err), &err);
    tu_text_append(&text, &used, &cap, src);
    ctg_free(src);
  }
  tu_text_append(&text, &used, &cap, "\ntypedef void (*any_fn)(void);\n"
                                     "static const struct { any_fn pack, run_packed, run; } entries[] = {\n");
  for (int i = 0; i < u->count; i++) {
    char line[512];
    const char *name = ctg_spec_params(u->specs[i])->name;
    snprintf(line, sizeof line, "  { (any_fn)%s_pack, (any_fn)%s_run_packed, (any_fn)%s_run },\n", name, name, name);
    tu_text_append(&text, &used, &cap, line);
  }
  tu_text_append(&text, &used, &cap, "};\n#include \"" CTG_TEST_ROOT "/tests/arm/driver.c\"\n");
  return text;
}

static void write_bin(const char *dir, const char *name, const void *data, size_t bytes) {
  free(tu_write(dir, name, data, bytes));
}

static void *read_bin(const char *dir, const char *name, size_t bytes) {
  char *path = tu_path(dir, name);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  void *buf = malloc(bytes + 16);
  assert_int_equal(fread(buf, 1, bytes, f), bytes);
  fclose(f);
  free(path);
  return buf;
}

/* Cross-compiles the unit, runs each layer under QEMU and checks both outputs. */
static void run_unit(arm_unit *u, const char *what) {
  char *src = unit_source(u), *path, exe[4200], cmd[9000];
  path = tu_write(tu_dir, "arm_unit.c", src, (size_t)-1);
  free(src);
  snprintf(exe, sizeof exe, "%s/arm_unit_%s", tu_dir, what);
  snprintf(cmd, sizeof cmd, CROSS_CC " -O2 -Wall -Wextra -Wno-cast-function-type -static -o '%s' '%s' -lm", exe, path);
  if (sh(cmd) != 0) fprintf(stderr, "failed: %s\n", cmd);
  assert_int_equal(sh(cmd), 0);
  free(path);
  for (int i = 0; i < u->count; i++) {
    const ctg_params *p = ctg_spec_params(u->specs[i]);
    ctg_dtype dt = ctg_params_dtype(p);
    size_t es = ctg_dtype_size(dt), nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
           nb = p->bias ? ctg_params_numel(p, CTG_BIAS) : 0, ny = ctg_params_numel(p, CTG_OUTPUT);
    char *x = malloc(nx * es + es), *w = malloc(nw * es + es), *b = malloc(nb * es + es);
    uint64_t seed = 500 + (uint64_t)i;
    ctg__random_fill_dtype(x, nx, dt, &seed);
    ctg__random_fill_dtype(w, nw, dt, &seed);
    ctg__random_fill_dtype(b, nb, dt, &seed);
    write_bin(tu_dir, "x.bin", x, nx * es);
    write_bin(tu_dir, "w.bin", w, nw * es);
    write_bin(tu_dir, "b.bin", b, nb * es);
    snprintf(cmd, sizeof cmd, QEMU " '%s' %d '%s' %zu %zu %zu %zu %zu %zu", exe, i, tu_dir, es, nx, nw, nb, ny,
             u->packed[i]);
    if (sh(cmd) != 0) fprintf(stderr, "failed: %s (layer %s)\n", cmd, p->name);
    assert_int_equal(sh(cmd), 0);
    for (int way = 0; way < 2; way++) {
      void *y = read_bin(tu_dir, way ? "y_run.bin" : "y_packed.bin", ny * es);
      ctg_check_result r;
      assert_int_equal(ctg__compare(p, x, w, b, y, &r, NULL), CTG_OK);
      if (!r.passed)
        fprintf(stderr, "neon %s (%s): scaled error %g > %g\n", p->name, way ? "run" : "run_packed", r.max_scaled_error,
                r.tolerance);
      assert_true(r.passed);
      free(y);
    }
    free(x), free(w), free(b);
  }
}

static void report_shapes(const arm_unit *u, const char *what) {
  printf("  %s: %d layers on AArch64 under QEMU; vector shapes float32:", what, u->count);
  for (int s = 0; s < SHAPE_COUNT; s++) printf(" %s %d", VECTOR_SHAPES[s], u->shapes[0][s]);
  printf("; float64:");
  for (int s = 0; s < SHAPE_COUNT; s++) printf(" %s %d", VECTOR_SHAPES[s], u->shapes[1][s]);
  printf("; complex:");
  for (int s = 0; s < 4; s++) printf(" %s %d", VECTOR_SHAPES[s], u->shapes[2][s]);
  printf("\n");
}

/* Each vector shape in float32 and float64, and a subset of the sweep in every dtype. */
static void test_vector_shapes_and_sweep(void **state) {
  (void)state;
  if (!have_tools()) skip();
  arm_unit u = { 0 };
  for (size_t i = 0; i < VECTOR_SHAPE_LAYER_COUNT; i++) unit_add(&u, tu_spec(VECTOR_SHAPE_LAYERS[i]));
  static const char *const dtypes[] = { "float32", "float64", "complex64", "complex128" };
  for (int i = 0, added = 0; added < SWEEP_LAYERS; i++) {
    config c;
    char src[600], named[800];
    sweep_random_config(&c, 3000 + i);
    sweep_spec_text(&c, src, sizeof src);
    /* float32 and float64 mostly; every fifth layer complex64 or complex128 */
    const char *dtype = i % 5 == 4 ? dtypes[2 + (i / 5) % 2] : dtypes[i % 2];
    snprintf(named, sizeof named, "return {name = 'arm_sw%d', dtype = '%s', %s", i, dtype, src + strlen("return {"));
    ctg_spec *spec;
    if (ctg_spec_from_string(named, "sweep", &spec, NULL) != CTG_OK) continue;
    unit_add(&u, spec);
    added++;
  }
  run_unit(&u, "shapes");
  report_shapes(&u, "shapes and sweep");
  for (int d = 0; d < 3; d++)
    for (int s = 0; s < 4; s++) assert_true(u.shapes[d][s] > 0);
  /* the channels_last shapes (real dtypes): float32 both, float64 channel_dots */
  assert_true(u.shapes[0][4] > 0 && u.shapes[0][5] > 0 && u.shapes[1][4] > 0);
  for (int i = 0; i < u.count; i++) ctg_spec_free(u.specs[i]);
}

/* Every layer of the public suite, float32, as a deployment on ARM would build it. */
static void test_public_suite(void **state) {
  (void)state;
  if (!have_tools()) skip();
  ctg_suite_layer *rows;
  size_t count;
  ctg_error err;
  if (ctg_suite_load(SUITE, &rows, &count, &err) != CTG_OK) {
    printf("  the public suite is not beside the checkout: %s\n", err.message);
    skip();
  }
  arm_unit u = { 0 };
  for (size_t i = 0; i < count; i++) {
    ctg_spec *spec;
    tu_assert_ok(ctg_spec_from_layer(&rows[i].layer, &spec, &err), &err);
    unit_add(&u, spec);
  }
  free(rows);
  run_unit(&u, "suite");
  report_shapes(&u, "public suite");
  for (int i = 0; i < u.count; i++) ctg_spec_free(u.specs[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_vector_shapes_and_sweep),
    cmocka_unit_test(test_public_suite),
  };
  return cmocka_run_group_tests_name("arm", tests, tu_setup_dir, tu_teardown_dir);
}
