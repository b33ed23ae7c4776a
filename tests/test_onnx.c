/* test_onnx.c: `convtgen import` against ONNX Runtime. The models and ONNX Runtime's outputs come
 * from tests/onnx/make_models.py and examples/dcgan_export.py, which `make test` runs in a
 * virtual environment under build/ (CTG_ONNX_DIR); each imported layer is checked against
 * ONNX Runtime through the interpreter and run through tcc and cc. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "testutil.h"

#include "onnx.pb-c.h"

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
  ctg_options o = { backend, NULL, NULL, 0, 0 };
  ctg_kernel *k;
  ctg_error err;
  tu_assert_ok(ctg_compile(l->spec, &o, &k, &err), &err);
  size_t bytes = ctg_params_numel(p, CTG_OUTPUT) * ctg_dtype_size(ctg_params_dtype(p));
  void *y = malloc(bytes + 1);
  tu_assert_ok(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, l->w.data, l->b.data, y, &err), &err);
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
    { "bad_float16", "input 'x' is float32 but weight 'w' is float16; ConvTranspose takes one type" },
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
    ctg_options o = { CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
    ctg_kernel *k;
    tu_assert_ok(ctg_compile(l.spec, &o, &k, &err), &err);
    float *y = malloc(ctg_params_numel(p, CTG_OUTPUT) * sizeof *y);
    tu_assert_ok(ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, l.w.data, l.b.data, y, &err), &err);
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

/* --- hostile models, built here with protobuf-c (no ONNX Runtime needed) ----------------- */

/* Everything a built model points to, freed together. */
typedef struct model {
  void **owned;
  size_t n_owned;
  Onnx__NodeProto **nodes;
  size_t n_nodes;
  Onnx__TensorProto *initializers[8];
  size_t n_initializers;
  int64_t opset;
  int32_t x_type; /* the graph input's element type; 0: float32 */
} model;

static void *own(model *m, size_t size) {
  void *p = calloc(1, size);
  assert_non_null(p);
  m->owned = realloc(m->owned, (m->n_owned + 1) * sizeof *m->owned);
  assert_non_null(m->owned);
  m->owned[m->n_owned++] = p;
  return p;
}

static char *own_str(model *m, const char *s) {
  char *c = own(m, strlen(s) + 1);
  memcpy(c, s, strlen(s) + 1);
  return c;
}

static Onnx__NodeProto *add_node(model *m, const char *op, const char *name, const char *in0, const char *in1,
                                 const char *out) {
  Onnx__NodeProto *n = own(m, sizeof *n);
  onnx__node_proto__init(n);
  n->op_type = own_str(m, op);
  n->name = own_str(m, name);
  n->n_input = in1 ? 2 : 1;
  n->input = own(m, 2 * sizeof(char *));
  n->input[0] = own_str(m, in0);
  if (in1) n->input[1] = own_str(m, in1);
  n->n_output = 1;
  n->output = own(m, sizeof(char *));
  n->output[0] = own_str(m, out);
  m->nodes = realloc(m->nodes, (m->n_nodes + 1) * sizeof *m->nodes);
  assert_non_null(m->nodes);
  m->nodes[m->n_nodes++] = n;
  return n;
}

static Onnx__AttributeProto *add_attr(model *m, Onnx__NodeProto *n, const char *name, int type) {
  Onnx__AttributeProto *a = own(m, sizeof *a);
  onnx__attribute_proto__init(a);
  a->name = own_str(m, name);
  a->has_type = 1;
  a->type = (Onnx__AttributeProto__AttributeType)type;
  Onnx__AttributeProto **list = own(m, (n->n_attribute + 1) * sizeof *list);
  for (size_t i = 0; i < n->n_attribute; i++) list[i] = n->attribute[i];
  list[n->n_attribute++] = a;
  n->attribute = list;
  return a;
}

static void attr_int(model *m, Onnx__NodeProto *n, const char *name, int64_t v) {
  Onnx__AttributeProto *a = add_attr(m, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT);
  a->has_i = 1, a->i = v;
}

static void attr_float(model *m, Onnx__NodeProto *n, const char *name, float v) {
  Onnx__AttributeProto *a = add_attr(m, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT);
  a->has_f = 1, a->f = v;
}

/* A float32 initializer of the given shape, values 0.01 * i. */
static void add_weight(model *m, const char *name, int64_t d0, int64_t d1, int64_t d2, int64_t d3) {
  Onnx__TensorProto *t = own(m, sizeof *t);
  onnx__tensor_proto__init(t);
  t->name = own_str(m, name);
  t->has_data_type = 1, t->data_type = 1;
  t->n_dims = 4;
  t->dims = own(m, 4 * sizeof *t->dims);
  t->dims[0] = d0, t->dims[1] = d1, t->dims[2] = d2, t->dims[3] = d3;
  size_t count = (size_t)(d0 * d1 * d2 * d3);
  float *v = own(m, count * sizeof *v);
  for (size_t i = 0; i < count; i++) v[i] = 0.01f * (float)i;
  t->has_raw_data = 1, t->raw_data.len = count * sizeof *v, t->raw_data.data = (uint8_t *)v;
  m->initializers[m->n_initializers++] = t;
}

/* The model's bytes in a file under tu_dir: graph input x (1, 2, 4, 4), the nodes and
 * initializers added; frees what it was built from. */
static char *save_model(model *m, const char *file) {
  Onnx__ValueInfoProto x = ONNX__VALUE_INFO_PROTO__INIT;
  Onnx__TypeProto type = ONNX__TYPE_PROTO__INIT;
  Onnx__TypeProto__Tensor tensor = ONNX__TYPE_PROTO__TENSOR__INIT;
  Onnx__TensorShapeProto shape = ONNX__TENSOR_SHAPE_PROTO__INIT;
  Onnx__TensorShapeProto__Dimension dims[4], *dimp[4];
  const int64_t sizes[4] = { 1, 2, 4, 4 };
  for (int i = 0; i < 4; i++) {
    onnx__tensor_shape_proto__dimension__init(&dims[i]);
    dims[i].value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
    dims[i].dim_value = sizes[i];
    dimp[i] = &dims[i];
  }
  shape.n_dim = 4, shape.dim = dimp;
  tensor.has_elem_type = 1, tensor.elem_type = m->x_type ? m->x_type : 1, tensor.shape = &shape;
  type.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE, type.tensor_type = &tensor;
  static char x_name[] = "x", graph_name[] = "hostile";
  x.name = x_name, x.type = &type;
  Onnx__ValueInfoProto *inputs[1] = { &x };
  Onnx__GraphProto g = ONNX__GRAPH_PROTO__INIT;
  g.name = graph_name;
  g.n_node = m->n_nodes, g.node = m->nodes;
  g.n_input = 1, g.input = inputs;
  g.n_initializer = m->n_initializers, g.initializer = m->initializers;
  Onnx__OperatorSetIdProto opset = ONNX__OPERATOR_SET_ID_PROTO__INIT, *opsets[1] = { &opset };
  opset.has_version = 1, opset.version = m->opset ? m->opset : 13;
  Onnx__ModelProto mp = ONNX__MODEL_PROTO__INIT;
  mp.has_ir_version = 1, mp.ir_version = 8;
  mp.graph = &g;
  mp.n_opset_import = 1, mp.opset_import = opsets;
  size_t len = onnx__model_proto__get_packed_size(&mp);
  uint8_t *buf = malloc(len ? len : 1);
  assert_non_null(buf);
  onnx__model_proto__pack(&mp, buf);
  char *path = tu_write(tu_dir, file, buf, len);
  free(buf);
  for (size_t i = 0; i < m->n_owned; i++) free(m->owned[i]);
  free(m->owned);
  free(m->nodes);
  memset(m, 0, sizeof *m);
  return path;
}

static char *read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

/* Item 6 of the hardening issue: a node's name is data, never code. */
static void test_node_names_cannot_change_the_spec(void **state) {
  (void)state;
  const char *names[] = { "c\nlocal math={huge=0}--", "c\rreturn {in_channels = 1}--", "x]]\n--[[", "\x1b[31mred\x01" };
  for (int i = 0; i < 4; i++) {
    model m = { 0 };
    m.opset = 6; /* Clip's bounds as attributes */
    add_weight(&m, "w", 2, 3, 3, 3);
    add_node(&m, "ConvTranspose", names[i], "x", "w", "y");
    Onnx__NodeProto *clip = add_node(&m, "Clip", "clip", "y", NULL, "z");
    attr_float(&m, clip, "max", 6.0f);
    char file[64], dir[64];
    snprintf(file, sizeof file, "names%d.onnx", i);
    snprintf(dir, sizeof dir, "names%d", i);
    char *path = save_model(&m, file), *out = tu_path(tu_dir, dir);
    ctg_error err;
    char *report = NULL;
    tu_assert_ok(ctg_onnx_import(path, out, 1, &report, &err), &err);
    ctg_free(report);
    char manifest[4300], spec_path[4300], specname[256], w[256], b[256];
    snprintf(manifest, sizeof manifest, "%s", out);
    assert_true(manifest_layer(manifest, 0, specname, w, b));
    snprintf(spec_path, sizeof spec_path, "%s", specname);
    const char *text = read_text(spec_path);
    assert_int_equal(strncmp(text, "-- imported by convtgen", 22), 0);
    const char *first_newline = strchr(text, '\n');
    assert_int_equal(strncmp(first_newline, "\nreturn {", 9), 0); /* the comment is one line */
    for (const char *c = text; c < first_newline; c++) assert_true(*c >= 0x20 && *c < 0x7f);
    ctg_spec *spec;
    tu_assert_ok(ctg_spec_from_file(spec_path, &spec, &err), &err);
    const ctg_params *p = ctg_spec_params(spec);
    assert_string_equal(p->activation, "clamp");
    assert_true(isinf(p->activation_a) && p->activation_a < 0); /* Clip(max = 6) alone: no lower bound */
    assert_true(p->activation_b == 6.0);
    assert_int_equal(p->in_channels, 2);
    ctg_spec_free(spec);
    free(path), free(out);
  }
}

/* float16 and bfloat16 models: weights in raw_data (2 bytes each) or in int32_data (one pattern
 * a word, as ONNX's helper writes them), imported bit for bit into a layer of that dtype, whose
 * check passes; BatchNormalization folds in double, each value rounded once. */
static void test_float16_and_bfloat16_models(void **state) {
  (void)state;
  static const struct { int32_t type; const char *dtype; ctg_dtype d; } kinds[] = {
    { 10, "float16", CTG_FLOAT16 }, { 16, "bfloat16", CTG_BFLOAT16 } };
  for (int k = 0; k < 2; k++)
    for (int raw = 0; raw < 2; raw++) {
      model m = { 0 };
      m.x_type = kinds[k].type;
      Onnx__TensorProto *t = own(&m, sizeof *t);
      onnx__tensor_proto__init(t);
      t->name = own_str(&m, "w");
      t->has_data_type = 1, t->data_type = kinds[k].type;
      t->n_dims = 4;
      t->dims = own(&m, 4 * sizeof *t->dims);
      t->dims[0] = 2, t->dims[1] = 3, t->dims[2] = 3, t->dims[3] = 3;
      uint16_t bits[54];
      for (int i = 0; i < 54; i++) bits[i] = ctg__half_round(0.03 * (i - 20), kinds[k].d);
      if (raw) {
        uint16_t *data = own(&m, sizeof bits);
        memcpy(data, bits, sizeof bits);
        t->has_raw_data = 1, t->raw_data.len = sizeof bits, t->raw_data.data = (uint8_t *)data;
      } else {
        t->n_int32_data = 54;
        t->int32_data = own(&m, 54 * sizeof *t->int32_data);
        for (int i = 0; i < 54; i++) t->int32_data[i] = bits[i];
      }
      m.initializers[m.n_initializers++] = t;
      add_node(&m, "ConvTranspose", "up", "x", "w", "y");
      /* raw_data models end in a BatchNormalization of 3 channels: scale 2, shift 0.5, mean 1, var 3 */
      const char *bn_names[4] = { "scale", "shift", "mean", "var" };
      const double bn_values[4] = { 2.0, 0.5, 1.0, 3.0 };
      if (raw) {
        Onnx__NodeProto *bn = add_node(&m, "BatchNormalization", "bn", "y", "scale", "z");
        bn->n_input = 5;
        bn->input = own(&m, 5 * sizeof(char *));
        bn->input[0] = own_str(&m, "y");
        for (int i = 0; i < 4; i++) {
          bn->input[i + 1] = own_str(&m, bn_names[i]);
          Onnx__TensorProto *p = own(&m, sizeof *p);
          onnx__tensor_proto__init(p);
          p->name = own_str(&m, bn_names[i]);
          p->has_data_type = 1, p->data_type = kinds[k].type;
          p->n_dims = 1;
          p->dims = own(&m, sizeof *p->dims);
          p->dims[0] = 3;
          uint16_t *v = own(&m, 3 * sizeof *v);
          for (int c = 0; c < 3; c++) v[c] = ctg__half_round(bn_values[i], kinds[k].d);
          p->has_raw_data = 1, p->raw_data.len = 3 * sizeof *v, p->raw_data.data = (uint8_t *)v;
          m.initializers[m.n_initializers++] = p;
        }
        attr_float(&m, bn, "epsilon", 0.0f);
        /* folded in double: w * 2 / sqrt(3), each rounded once */
        for (int i = 0; i < 54; i++)
          bits[i] = ctg__half_round(ctg__half_widen(bits[i], kinds[k].d) * 2.0 / sqrt(3.0), kinds[k].d);
      }
      char file[64], dir[64];
      snprintf(file, sizeof file, "half%d%d.onnx", k, raw);
      snprintf(dir, sizeof dir, "half%d%d", k, raw);
      char *path = save_model(&m, file), *out = tu_path(tu_dir, dir);
      ctg_error err;
      char *report = NULL;
      tu_assert_ok(ctg_onnx_import(path, out, 1, &report, &err), &err);
      ctg_free(report);
      char specname[256], w[256], b[256];
      assert_true(manifest_layer(out, 0, specname, w, b));
      ctg_spec *spec;
      tu_assert_ok(ctg_spec_from_file(specname, &spec, &err), &err);
      assert_string_equal(ctg_spec_params(spec)->dtype, kinds[k].dtype);
      ctg_tensor wt;
      tu_assert_ok(ctg_npy_load(w, &wt, &err), &err);
      assert_int_equal(wt.dtype, kinds[k].d);
      assert_memory_equal(wt.data, bits, sizeof bits);
      ctg_tensor_free(&wt);
      if (raw) { /* the bias BatchNorm brings: (0 - 1) * 2 / sqrt(3) + 0.5 */
        ctg_tensor bt;
        tu_assert_ok(ctg_npy_load(b, &bt, &err), &err);
        assert_int_equal(bt.numel, 3);
        assert_int_equal(((uint16_t *)bt.data)[2], ctg__half_round(-2.0 / sqrt(3.0) + 0.5, kinds[k].d));
        ctg_tensor_free(&bt);
      }
      ctg_options o = { CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
      ctg_kernel *kern;
      ctg_check_result r;
      tu_assert_ok(ctg_compile(spec, &o, &kern, &err), &err);
      tu_assert_ok(ctg_check(kern, 3, &r, &err), &err);
      assert_true(r.passed);
      ctg_kernel_free(kern);
      ctg_spec_free(spec);
      free(path), free(out);
    }
  /* a float16 weight under a float32 input: one type or none */
  model m = { 0 };
  add_weight(&m, "w", 2, 3, 3, 3);
  m.initializers[0]->data_type = 10;
  m.initializers[0]->raw_data.len /= 2;
  add_node(&m, "ConvTranspose", "up", "x", "w", "y");
  char *path = save_model(&m, "mixed.onnx"), *out = tu_path(tu_dir, "mixed");
  ctg_error err;
  char *report = NULL;
  assert_int_equal(ctg_onnx_import(path, out, 1, &report, &err), CTG_ERR_FORMAT);
  assert_contains(err.message, "input 'x' is float32 but weight 'w' is float16; ConvTranspose takes one type");
  free(path), free(out);
}

/* Item 7: a failed import leaves the folder as it was, the user's files included. */
static void test_a_failed_import_deletes_nothing(void **state) {
  (void)state;
  model m = { 0 };
  add_weight(&m, "w", 2, 3, 3, 3);
  add_node(&m, "ConvTranspose", "first", "x", "w", "y");
  add_node(&m, "ConvTranspose", "second", "x", "w", "y2");
  char *path = save_model(&m, "two_nodes.onnx"), *out = tu_path(tu_dir, "keep-out");
  assert_int_equal(mkdir(out, 0755), 0);
  char *blocker = tu_path(out, "second_weight.npy");
  assert_int_equal(mkdir(blocker, 0755), 0);
  char *mine = tu_write(out, "first.lua", "mine\n", (size_t)-1);
  char *other = tu_write(out, "notes.txt", "also mine\n", (size_t)-1);
  ctg_error err;
  assert_int_equal(ctg_onnx_import(path, out, 1, NULL, &err), CTG_ERR_IO);
  assert_contains(err.message, "second_weight.npy: already there and not a regular file; nothing was written");
  assert_string_equal(read_text(mine), "mine\n");
  assert_string_equal(read_text(other), "also mine\n");
  /* nothing else appeared: the two files and the folder */
  DIR *d = opendir(out);
  int entries = 0;
  for (struct dirent *e; (e = readdir(d));) entries += e->d_name[0] != '.' || strlen(e->d_name) > 2;
  closedir(d);
  assert_int_equal(entries, 3);
  /* once the name is free the import writes everything, replacing first.lua */
  rmdir(blocker);
  tu_assert_ok(ctg_onnx_import(path, out, 1, NULL, &err), &err);
  assert_int_equal(strncmp(read_text(mine), "-- imported by convtgen", 22), 0);
  free(path), free(out), free(blocker), free(mine), free(other);
}

static double seconds(void) { return ctg__now_ms() / 1000.0; }

/* Item 8: long Identity chains and many nodes import in time linear in the model's size. */
static double import_chain(int nodes, int identities, const char *file) {
  model m = { 0 };
  add_weight(&m, "w", 2, 2, 1, 1);
  char prev[64] = "w", next[64];
  for (int i = 0; i < identities; i++) { /* w -> i0 -> i1 -> ... */
    snprintf(next, sizeof next, "i%d", i);
    add_node(&m, "Identity", next, prev, NULL, next);
    snprintf(prev, sizeof prev, "%s", next);
  }
  char x[64] = "x", y[64];
  for (int i = 0; i < nodes; i++) { /* each node reads the weight at the chain's end: x -> y0 -> y1 ... */
    snprintf(y, sizeof y, "y%d", i);
    char name[32];
    snprintf(name, sizeof name, "convt%d", i);
    add_node(&m, "ConvTranspose", name, x, prev, y);
    snprintf(x, sizeof x, "%s", y);
  }
  char outname[80];
  snprintf(outname, sizeof outname, "%s-out", file);
  char *path = save_model(&m, file), *out = tu_path(tu_dir, outname);
  ctg_error err;
  double t0 = seconds();
  tu_assert_ok(ctg_onnx_import(path, out, 1, NULL, &err), &err);
  double took = seconds() - t0;
  free(path), free(out);
  return took;
}

static void test_imports_are_linear_in_the_model(void **state) {
  (void)state;
  double small = import_chain(250, 250, "chain250.onnx"), large = import_chain(1000, 1000, "chain1000.onnx");
  printf("  250 nodes through 250 Identity nodes: %.2f s; 1000 through 1000: %.2f s (%.1fx for 4x)\n", small, large,
         large / small);
  assert_true(large < 7 * small); /* linear: 4x; quadratic 16x; the old walk took 11x */
}

/* Item 9: an attribute of the wrong type is an error naming the node and the attribute. */
static void test_attributes_of_the_wrong_type_are_errors(void **state) {
  (void)state;
  static const struct { const char *attr; int type; const char *message; } cases[] = {
    { "group", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT, "attribute group is FLOAT; ONNX defines it as INT" },
    { "auto_pad", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT, "attribute auto_pad is INT; ONNX defines it as STRING" },
    { "strides", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT, "attribute strides is INT; ONNX defines it as INTS" },
    { "alpha", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT, "attribute alpha is INT; ONNX defines it as FLOAT" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    model m = { 0 };
    add_weight(&m, "w", 2, 3, 3, 3);
    Onnx__NodeProto *conv = add_node(&m, "ConvTranspose", "the_node", "x", "w", "y");
    Onnx__NodeProto *relu = add_node(&m, "LeakyRelu", "the_relu", "y", NULL, "z");
    Onnx__NodeProto *target = strcmp(cases[i].attr, "alpha") == 0 ? relu : conv;
    if (cases[i].type == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT) attr_float(&m, target, cases[i].attr, 2.0f);
    else attr_int(&m, target, cases[i].attr, 3);
    char file[64];
    snprintf(file, sizeof file, "typed%zu.onnx", i);
    char outname[80];
    snprintf(outname, sizeof outname, "%s-out", file);
    char *path = save_model(&m, file), *out = tu_path(tu_dir, outname);
    ctg_error err;
    assert_int_equal(ctg_onnx_import(path, out, 1, NULL, &err), CTG_ERR_FORMAT);
    assert_contains(err.message, cases[i].message);
    assert_contains(err.message, target == conv ? "node 'the_node'" : "node 'the_relu'");
    assert_false(tu_exists(out));
    free(path), free(out);
  }
}

/* A ConvTranspose of another domain is another operator: a graph of only those has none
 * (found by the fuzzer: the import succeeded and wrote only a manifest). */
static void test_another_domains_convtranspose_is_not_imported(void **state) {
  (void)state;
  model m = { 0 };
  add_weight(&m, "w", 2, 3, 3, 3);
  Onnx__NodeProto *n = add_node(&m, "ConvTranspose", "custom", "x", "w", "y");
  n->domain = own_str(&m, "com.example");
  char *path = save_model(&m, "domain.onnx"), *out = tu_path(tu_dir, "domain-out");
  ctg_error err;
  assert_int_equal(ctg_onnx_import(path, out, 1, NULL, &err), CTG_ERR_FORMAT);
  assert_contains(err.message, "the graph has no ConvTranspose node");
  assert_false(tu_exists(out));
  free(path), free(out);
}

/* Item 10: the size is checked before anything is read or reserved. */
static void test_a_model_is_read_by_its_size(void **state) {
  (void)state;
  model m = { 0 };
  add_weight(&m, "w", 2, 3, 3, 3);
  add_node(&m, "ConvTranspose", "n", "x", "w", "y");
  char *path = save_model(&m, "small.onnx"), *out = tu_path(tu_dir, "small-out");
  /* in a child whose address space is far below 1 GiB */
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    struct rlimit as = { 512u << 20, 512u << 20 };
    if (!UNDER_ASAN) setrlimit(RLIMIT_AS, &as); /* ASan reserves terabytes for its shadow */
    ctg_error err;
    _exit(ctg_onnx_import(path, out, 1, NULL, &err) == CTG_OK ? 0 : 1);
  }
  int status;
  waitpid(pid, &status, 0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  /* a sparse file just over the limit: refused at once, unread */
  char *big = tu_path(tu_dir, "big.onnx");
  FILE *f = fopen(big, "wb");
  assert_non_null(f);
  fclose(f);
  assert_int_equal(truncate(big, (1LL << 30) + 1), 0);
  ctg_error err;
  double t0 = seconds();
  assert_int_equal(ctg_onnx_import(big, out, 1, NULL, &err), CTG_ERR_FORMAT);
  assert_true(seconds() - t0 < 1.0);
  assert_contains(err.message, "the model is 1073741825 bytes, over the 1 GiB limit");
  unlink(big);
  free(path), free(out), free(big);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_single_node_models_match_onnx_runtime),
    cmocka_unit_test(test_bad_models),
    cmocka_unit_test(test_dcgan_end_to_end),
    cmocka_unit_test(test_node_names_cannot_change_the_spec),
    cmocka_unit_test(test_float16_and_bfloat16_models),
    cmocka_unit_test(test_a_failed_import_deletes_nothing),
    cmocka_unit_test(test_imports_are_linear_in_the_model),
    cmocka_unit_test(test_attributes_of_the_wrong_type_are_errors),
    cmocka_unit_test(test_a_model_is_read_by_its_size),
    cmocka_unit_test(test_another_domains_convtranspose_is_not_imported),
  };
  return cmocka_run_group_tests_name("onnx", tests, tu_setup_dir, tu_teardown_dir);
}
