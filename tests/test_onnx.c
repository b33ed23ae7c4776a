/* test_onnx.c: `convtgen import` against ONNX Runtime. The models and ONNX Runtime's outputs come
 * from tests/onnx/make_models.py and examples/dcgan_export.py, which `make test` runs in a
 * virtual environment under build/ (CTG_ONNX_DIR); each imported layer is checked against
 * ONNX Runtime through the interpreter and run through tcc and cc. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "testutil.h"

#ifndef CTG_ONNX_DIR
#define CTG_ONNX_DIR "build/onnx-models"
#endif

static int have_models(void) {
  char path[4096];
  snprintf(path, sizeof path, "%s/models.tsv", CTG_ONNX_DIR);
  return tu_exists(path);
}

/* The first layer of DIR/manifest.tsv: its spec, weight and bias file names (bias "" when none). */
static int manifest_layer(const char *dir, int index, char spec[256], char weight[256], char bias[256]) {
  char path[4200], line[2048];
  snprintf(path, sizeof path, "%s/manifest.tsv", dir);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  int found = 0, i = 0;
  while (!found && fgets(line, sizeof line, f)) {
    if (line[0] == '#') continue;
    if (i++ != index) continue;
    char *fields[7], *save = NULL, *t = strtok_r(line, "\t\n", &save);
    int n = 0;
    for (; t && n < 7; t = strtok_r(NULL, "\t\n", &save)) fields[n++] = t;
    if (n < 4) break;
    snprintf(spec, 256, "%s/%s", dir, fields[1]);
    snprintf(weight, 256, "%s/%s", dir, fields[2]);
    if (strcmp(fields[3], "-") == 0) bias[0] = '\0';
    else snprintf(bias, 256, "%s/%s", dir, fields[3]);
    found = 1;
  }
  fclose(f);
  return found;
}

typedef struct loaded {
  ctg_spec *spec;
  ctg_tensor w, b;
} loaded;

static void load_layer(const char *dir, int index, loaded *l) {
  char spec[256], weight[256], bias[256];
  ctg_error err;
  memset(l, 0, sizeof *l);
  assert_true(manifest_layer(dir, index, spec, weight, bias));
  tu_assert_ok(ctg_spec_from_file(spec, &l->spec, &err), &err);
  tu_assert_ok(ctg_npy_load(weight, &l->w, &err), &err);
  if (bias[0]) tu_assert_ok(ctg_npy_load(bias, &l->b, &err), &err);
}

static void unload(loaded *l) {
  ctg_spec_free(l->spec);
  ctg_tensor_free(&l->w);
  ctg_tensor_free(&l->b);
}

/* y against the interpreter on x with the layer's weights, with check's tolerance. */
static void assert_close(const loaded *l, const void *x, const void *y, const char *what, const char *model) {
  ctg_check_result r;
  ctg_error err;
  tu_assert_ok(ctg__compare(ctg_spec_params(l->spec), x, l->w.data, l->b.data, y, &r, &err), &err);
  if (!r.passed)
    fprintf(stderr, "%s: %s: scaled error %g > %g at %zu (%g, want %g)\n", model, what, r.max_scaled_error,
            r.tolerance, r.worst, r.got, r.want);
  assert_true(r.passed);
}

static void run_backend(const loaded *l, ctg_backend backend, const void *x, const char *model) {
  const ctg_params *p = ctg_spec_params(l->spec);
  ctg_options o = { backend, NULL, NULL, 0 };
  ctg_kernel *k;
  ctg_error err;
  tu_assert_ok(ctg_compile(l->spec, &o, &k, &err), &err);
  size_t bytes = ctg_params_numel(p, CTG_OUTPUT) * ctg_dtype_size(ctg_params_dtype(p));
  void *y = malloc(bytes + 1);
  tu_assert_ok(ctg_kernel_forward(k, x, l->w.data, l->b.data, y, &err), &err);
  assert_close(l, x, y, ctg_backend_name(backend), model);
  free(y);
  ctg_kernel_free(k);
}

static void test_single_node_models_match_onnx_runtime(void **state) {
  (void)state;
  if (!have_models()) {
    printf("no models in %s (make test builds them): skipped\n", CTG_ONNX_DIR);
    skip();
  }
  char path[4200], line[1024];
  snprintf(path, sizeof path, "%s/models.tsv", CTG_ONNX_DIR);
  FILE *list = fopen(path, "r");
  assert_non_null(list);
  static const char *const covered[] = { "opset 1,", "opset 11,", "opset 22,", "float64", "group 2", "group 3",
                                         "asymmetric pads", "mode same_upper", "mode same_lower", "mode valid",
                                         "output_shape smaller", "output_shape larger", "SAME_UPPER", "SAME_LOWER",
                                         "no bias", "typed data", "symbolic batch", "BatchNormalization", "Relu",
                                         "LeakyRelu", "Tanh", "Sigmoid", "Clip" };
  int counts[sizeof covered / sizeof covered[0]] = { 0 };
  int models = 0, against_ort = 0, through_cc = 0;
  while (fgets(line, sizeof line, list)) {
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = '\0';
    const char *name = line, *what = tab + 1;
    char model[4200], dir[4200], xpath[4200], ypath[4200];
    snprintf(model, sizeof model, "%s/%s.onnx", CTG_ONNX_DIR, name);
    snprintf(dir, sizeof dir, "%s/import_%s", tu_dir, name);
    snprintf(xpath, sizeof xpath, "%s/%s_x.npy", CTG_ONNX_DIR, name);
    snprintf(ypath, sizeof ypath, "%s/%s_y.npy", CTG_ONNX_DIR, name);
    ctg_error err;
    char *report;
    int st = ctg_onnx_import(model, dir, 2, &report, &err);
    if (st != CTG_OK) fprintf(stderr, "%s (%s): %s\n", name, what, err.message);
    tu_assert_ok(st, &err);
    ctg_free(report);
    loaded l;
    load_layer(dir, 0, &l);
    ctg_tensor x, y;
    tu_assert_ok(ctg_npy_load(xpath, &x, &err), &err);
    assert_int_equal(x.numel, ctg_params_numel(ctg_spec_params(l.spec), CTG_INPUT));
    if (tu_exists(ypath)) { /* ONNX Runtime's output against the interpreter on the imported layer */
      tu_assert_ok(ctg_npy_load(ypath, &y, &err), &err);
      assert_int_equal(y.numel, ctg_params_numel(ctg_spec_params(l.spec), CTG_OUTPUT));
      assert_close(&l, x.data, y.data, "ONNX Runtime", name);
      ctg_tensor_free(&y);
      against_ort++;
    }
    run_backend(&l, CTG_BACKEND_TCC, x.data, name);
    if (models % 10 == 0) {
      run_backend(&l, CTG_BACKEND_CC, x.data, name);
      through_cc++;
    }
    for (size_t c = 0; c < sizeof covered / sizeof covered[0]; c++) counts[c] += strstr(what, covered[c]) != NULL;
    ctg_tensor_free(&x);
    unload(&l);
    models++;
  }
  fclose(list);
  printf("  %d models imported and run through tcc (%d also through cc), %d against ONNX Runtime\n  ", models,
         through_cc, against_ort);
  for (size_t c = 0; c < sizeof covered / sizeof covered[0]; c++) printf("%s%s %d", c ? ", " : "", covered[c], counts[c]);
  printf("\n");
  assert_true(models >= 200 && against_ort >= 180);
  for (size_t c = 0; c < sizeof covered / sizeof covered[0]; c++) assert_true(counts[c] >= 3);
}

/* Each bad model: one error line naming what is wrong, exit 2, and no output folder. */
static void test_bad_models(void **state) {
  (void)state;
  if (!have_models()) skip();
  static const struct { const char *name, *message; } cases[] = {
    { "bad_truncated", "not an ONNX model" },
    { "bad_no_convt", "the graph has no ConvTranspose node" },
    { "bad_float16", "tensor 'w' is float16 (data type 10); float32 and float64 are supported" },
    { "bad_stride0", "stride 0 is out of range" },
    { "bad_negative_pads", "pads must not be negative" },
    { "bad_auto_pad", "auto_pad 'SAME_MIDDLE' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char model[4200], dir[4200], out[256], errtext[1024];
    snprintf(model, sizeof model, "%s/%s.onnx", CTG_ONNX_DIR, cases[i].name);
    snprintf(dir, sizeof dir, "%s/bad_%zu", tu_dir, i);
    const char *argv[] = { "convtgen", "import", model, "-o", dir, NULL };
    assert_int_equal(tu_cli(argv, out, sizeof out, errtext, sizeof errtext), 2);
    assert_int_equal(tu_lines(errtext), 1);
    assert_contains(errtext, cases[i].message);
    assert_false(tu_exists(dir));
  }
  /* not a file at all, and a file of garbage */
  ctg_error err;
  assert_int_equal(ctg_onnx_import(tu_dir, tu_dir, 1, NULL, &err), CTG_ERR_IO);
  char *junk = tu_write(tu_dir, "junk.onnx", "\xff\xff\xff\xff\xff\xff", 6);
  assert_int_equal(ctg_onnx_import(junk, tu_dir, 1, NULL, &err), CTG_ERR_FORMAT);
  assert_contains(err.message, "not an ONNX model");
  free(junk);
  /* messages nested past the limit: model.graph -> node -> attribute.g -> node -> ... (120 deep),
   * built from the inside out */
  unsigned char deep[4096];
  size_t start = sizeof deep;
  static const unsigned char cycle[3] = { 0x32, 0x2a, 0x0a }; /* attribute.g, node.attribute, graph.node */
  for (int level = 0; level < 121; level++) {
    size_t len = sizeof deep - start;
    unsigned char tag = level == 120 ? 0x3a : cycle[level % 3]; /* outermost: model.graph */
    if (len >= 128) deep[--start] = (unsigned char)(len >> 7), deep[--start] = (unsigned char)(0x80 | (len & 0x7f));
    else deep[--start] = (unsigned char)len;
    deep[--start] = tag;
  }
  char *deep_path = tu_write(tu_dir, "deep.onnx", deep + start, sizeof deep - start);
  assert_int_equal(ctg_onnx_import(deep_path, tu_dir, 1, NULL, &err), CTG_ERR_FORMAT);
  assert_contains(err.message, "nested more than 64 deep");
  free(deep_path);
}

/* Runs five layers in a row through tcc from their specs and weights; returns the largest
 * difference of the last output from PyTorch's. */
static double run_chain(const char *const spec[5], const char *const weight[5], const char *const bias[5],
                        const ctg_tensor *z, const ctg_tensor *want) {
  ctg_error err;
  float *x = malloc(z->numel * sizeof *x);
  memcpy(x, z->data, z->numel * sizeof *x);
  double worst = INFINITY;
  for (int i = 0; i < 5; i++) {
    loaded l = { 0 };
    tu_assert_ok(ctg_spec_from_file(spec[i], &l.spec, &err), &err);
    tu_assert_ok(ctg_npy_load(weight[i], &l.w, &err), &err);
    if (bias[i][0]) tu_assert_ok(ctg_npy_load(bias[i], &l.b, &err), &err);
    const ctg_params *p = ctg_spec_params(l.spec);
    assert_int_equal(p->batch, 2);
    assert_string_equal(p->activation, i < 4 ? "relu" : "tanh");
    assert_int_equal(p->bias, i < 4); /* BatchNorm folded into a bias; none on the last layer */
    ctg_options o = { CTG_BACKEND_TCC, NULL, NULL, 0 };
    ctg_kernel *k;
    tu_assert_ok(ctg_compile(l.spec, &o, &k, &err), &err);
    float *y = malloc(ctg_params_numel(p, CTG_OUTPUT) * sizeof *y);
    tu_assert_ok(ctg_kernel_forward(k, x, l.w.data, l.b.data, y, &err), &err);
    ctg_kernel_free(k);
    free(x);
    x = y;
    if (i == 4) {
      assert_int_equal(ctg_params_numel(p, CTG_OUTPUT), want->numel);
      worst = 0;
      for (size_t j = 0; j < want->numel; j++) worst = fmax(worst, fabs(y[j] - ((const float *)want->data)[j]));
    }
    unload(&l);
  }
  free(x);
  return worst;
}

/* A real model end to end, both roads from PyTorch: the DCGAN generator (BatchNorm + ReLU after
 * four layers, Tanh last) exported by torch.onnx.export and imported, and written by
 * tools/convtgen_export.py; each run layer by layer through the C API matches PyTorch's output. */
static void test_dcgan_end_to_end(void **state) {
  (void)state;
  char model[4200], zpath[4200], ypath[4200], dir[4200];
  snprintf(model, sizeof model, "%s/dcgan/dcgan.onnx", CTG_ONNX_DIR);
  snprintf(zpath, sizeof zpath, "%s/dcgan/z.npy", CTG_ONNX_DIR);
  snprintf(ypath, sizeof ypath, "%s/dcgan/y.npy", CTG_ONNX_DIR);
  snprintf(dir, sizeof dir, "%s/dcgan", tu_dir);
  if (!tu_exists(model)) {
    printf("no %s (make test exports it with PyTorch): skipped\n", model);
    skip();
  }
  ctg_error err;
  char *report;
  double t0 = ctg__now_ms();
  tu_assert_ok(ctg_onnx_import(model, dir, 2, &report, &err), &err);
  printf("  imported in %.0f ms:\n%s", ctg__now_ms() - t0, report);
  ctg_free(report);
  ctg_tensor z, want;
  tu_assert_ok(ctg_npy_load(zpath, &z, &err), &err);
  tu_assert_ok(ctg_npy_load(ypath, &want, &err), &err);
  static char spec[5][256], weight[5][256], bias[5][256];
  const char *sp[5], *wp[5], *bp[5];
  for (int i = 0; i < 5; i++) {
    assert_true(manifest_layer(dir, i, spec[i], weight[i], bias[i]));
    sp[i] = spec[i], wp[i] = weight[i], bp[i] = bias[i];
  }
  double onnx_road = run_chain(sp, wp, bp, &z, &want);
  /* tools/convtgen_export.py's files, in the order order.txt gives */
  char order[4200], name[64];
  snprintf(order, sizeof order, "%s/dcgan/export/order.txt", CTG_ONNX_DIR);
  FILE *f = fopen(order, "r");
  assert_non_null(f);
  for (int i = 0; i < 5; i++) {
    assert_int_equal(fscanf(f, "%63s", name), 1);
    snprintf(spec[i], 256, "%s/dcgan/export/%s.lua", CTG_ONNX_DIR, name);
    snprintf(weight[i], 256, "%s/dcgan/export/%s_weight.npy", CTG_ONNX_DIR, name);
    snprintf(bias[i], 256, "%s/dcgan/export/%s_bias.npy", CTG_ONNX_DIR, name);
    if (!tu_exists(bias[i])) bias[i][0] = '\0';
  }
  fclose(f);
  double export_road = run_chain(sp, wp, bp, &z, &want);
  printf("  DCGAN, five layers: largest difference from PyTorch %.2g (ONNX import), %.2g (convtgen_export.py)\n",
         onnx_road, export_road);
  assert_true(onnx_road < 1e-4 && export_road < 1e-4);
  ctg_tensor_free(&z);
  ctg_tensor_free(&want);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_single_node_models_match_onnx_runtime),
    cmocka_unit_test(test_bad_models),
    cmocka_unit_test(test_dcgan_end_to_end),
  };
  return cmocka_run_group_tests_name("onnx", tests, tu_setup_dir, tu_teardown_dir);
}
