/* onnx.c: `convtgen import`: every ConvTranspose node of an ONNX model as a spec and its .npy
 * weights, with a following BatchNormalization folded in and an activation fused.
 *
 * The model is parsed by protobuf-c with the onnx.proto schema Debian's libonnx-dev ships
 * (compiled by protoc-c at build time). A model file is untrusted: its size is capped, the
 * parser's allocations are counted against a budget, and the nesting of its messages is
 * measured (iteratively, from the schema's own descriptors) before protobuf-c, which recurses,
 * sees it. Everything is computed and validated in memory first; files are written only then,
 * each atomically, and removed again if a later one fails. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#include "onnx.pb-c.h"

#define MODEL_MAX_BYTES ((size_t)1 << 30)
#define MAX_DEPTH 64 /* message nesting; real models stay under 10 */

/* --- reading the file safely ----------------------------------------------------------- */

/* Reads a varint at *pos (below end); 0 when it is malformed. */
static int varint(const uint8_t *buf, size_t end, size_t *pos, uint64_t *out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && *pos < end; shift += 7) {
    uint8_t b = buf[(*pos)++];
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return 1;
    }
  }
  return 0;
}

static const ProtobufCFieldDescriptor *field_of(const ProtobufCMessageDescriptor *d, uint32_t number) {
  for (unsigned i = 0; i < d->n_fields; i++)
    if (d->fields[i].id == number) return &d->fields[i];
  return NULL;
}

/* The deepest nesting of known sub-messages in buf, walked with an explicit stack (no
 * recursion); -1 when the wire format is broken. Unknown fields are skipped as protobuf-c skips
 * them. */
static int nesting_depth(const uint8_t *buf, size_t len, const ProtobufCMessageDescriptor *root) {
  struct frame { size_t end; const ProtobufCMessageDescriptor *d; } stack[MAX_DEPTH + 1];
  int top = 0, deepest = 0;
  size_t pos = 0;
  stack[0].end = len, stack[0].d = root;
  for (;;) {
    while (top > 0 && pos == stack[top].end) top--;
    if (pos == stack[top].end) break; /* top == 0: done */
    uint64_t key, v;
    if (!varint(buf, stack[top].end, &pos, &key)) return -1;
    uint32_t number = (uint32_t)(key >> 3);
    switch (key & 7) {
      case 0: if (!varint(buf, stack[top].end, &pos, &v)) return -1; break;
      case 1: if (stack[top].end - pos < 8) return -1; pos += 8; break;
      case 5: if (stack[top].end - pos < 4) return -1; pos += 4; break;
      case 2: {
        if (!varint(buf, stack[top].end, &pos, &v) || v > stack[top].end - pos) return -1;
        const ProtobufCFieldDescriptor *f = field_of(stack[top].d, number);
        if (f && f->type == PROTOBUF_C_TYPE_MESSAGE) {
          if (top == MAX_DEPTH) return MAX_DEPTH + 1;
          top++;
          stack[top].end = pos + (size_t)v, stack[top].d = f->descriptor;
          if (top > deepest) deepest = top;
        } else {
          pos += (size_t)v;
        }
        break;
      }
      default: return -1; /* groups (3, 4) do not occur in onnx.proto */
    }
  }
  return deepest;
}

/* protobuf-c's allocations, counted against a budget: a hostile file cannot make it allocate
 * without bound (every repeated field is sized from the file). */
typedef struct budget { size_t left; } budget;
typedef union alloc_header { size_t size; long double ld; void *p; long long ll; } alloc_header;

static void *budget_alloc(void *ud, size_t size) {
  budget *b = ud;
  if (size > b->left) return NULL;
  alloc_header *h = malloc(sizeof *h + size);
  if (!h) return NULL;
  h->size = size;
  b->left -= size;
  return h + 1;
}

static void budget_free(void *ud, void *p) {
  if (!p) return;
  alloc_header *h = (alloc_header *)p - 1;
  ((budget *)ud)->left += h->size;
  free(h);
}

/* --- the import ------------------------------------------------------------------------ */

typedef struct layer_out {
  char name[64];
  char node[128];          /* the node's name as the model has it (escaped for the manifest) */
  char *spec_text;
  ctg_params params;
  void *weight, *bias;     /* of the layer's dtype; bias may be NULL */
  char output[128];        /* the tensor the kernel produces (after what was fused) */
  char fused[96];
  int64_t out_shape[4];    /* for later nodes' shapes */
  char conv_output[128];   /* the ConvTranspose node's own output name */
  char input[128];         /* the tensor it reads */
} layer_out;

/* Names to indexes, built once per import, so every look-up is O(1) and an import is linear
 * in the model's size (a hostile graph of long Identity chains stays cheap). Keys are the
 * model's own strings, not copied; the value is an index, or a count. */
typedef struct name_map {
  const char **keys;
  size_t *values;
  size_t cap; /* a power of two, at least twice the entries */
} name_map;

static int map_init(name_map *m, size_t entries) {
  m->cap = 16;
  while (m->cap < 2 * entries + 2) m->cap *= 2;
  m->keys = calloc(m->cap, sizeof *m->keys);
  m->values = calloc(m->cap, sizeof *m->values);
  return m->keys && m->values;
}

static void map_free(name_map *m) {
  free(m->keys);
  free(m->values);
}

/* The slot of key: where it is, or the empty slot where it would go. */
static size_t map_slot(const name_map *m, const char *key) {
  size_t i = (size_t)ctg__fnv1a(CTG__FNV_SEED, key, strlen(key)) & (m->cap - 1);
  while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & (m->cap - 1);
  return i;
}

static int map_get(const name_map *m, const char *key, size_t *value) {
  size_t i = map_slot(m, key);
  if (!m->keys[i]) return 0;
  *value = m->values[i];
  return 1;
}

/* How map_put treats a key already there: keep its value, add to it, or replace it. */
enum { KEEP_FIRST, ADD, KEEP_LAST };

static void map_put(name_map *m, const char *key, size_t value, int how) {
  size_t i = map_slot(m, key);
  if (!m->keys[i]) m->keys[i] = key, m->values[i] = 0;
  else if (how == KEEP_FIRST) return;
  m->values[i] = how == ADD ? m->values[i] + value : value;
}

typedef struct importer {
  const char *path;
  Onnx__GraphProto *g;
  int64_t opset;
  int batch;
  layer_out *layers;
  size_t count;
  ctg_error *err;
  /* the graph's indexes (build_indexes) */
  name_map producers;   /* tensor -> the node writing it */
  name_map initializers; /* tensor -> initializer */
  name_map readers;     /* tensor -> how many nodes read it (+1 for a graph output) */
  name_map last_reader; /* tensor -> the last node reading it */
  name_map declared;    /* tensor -> value info with a tensor shape: 3 * index + list (input, value_info, output) */
  name_map outputs;     /* a ConvTranspose layer's own output -> its layer */
  name_map names;       /* layer names taken */
  int validate;         /* 0 (the fuzzer's mode): no spec validation, nothing written */
} importer;

static const char *str(const char *s);

static int build_indexes(importer *im) {
  const Onnx__GraphProto *g = im->g;
  size_t inputs = 0;
  for (size_t i = 0; i < g->n_node; i++) inputs += g->node[i]->n_input;
  size_t outputs = 0;
  for (size_t i = 0; i < g->n_node; i++) outputs += g->node[i]->n_output;
  if (!map_init(&im->producers, outputs) || !map_init(&im->initializers, g->n_initializer) ||
      !map_init(&im->readers, inputs + g->n_output) || !map_init(&im->last_reader, inputs) ||
      !map_init(&im->declared, g->n_input + g->n_value_info + g->n_output) || !map_init(&im->outputs, g->n_node) ||
      !map_init(&im->names, g->n_node))
    return ctg__fail(im->err, CTG_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < g->n_node; i++) {
    const Onnx__NodeProto *n = g->node[i];
    for (size_t o = 0; o < n->n_output; o++) map_put(&im->producers, str(n->output[o]), i, KEEP_FIRST);
    for (size_t k = 0; k < n->n_input; k++) {
      map_put(&im->readers, str(n->input[k]), 1, ADD);
      map_put(&im->last_reader, str(n->input[k]), i, KEEP_LAST);
    }
  }
  for (size_t i = 0; i < g->n_output; i++) map_put(&im->readers, str(g->output[i]->name), 1, ADD);
  for (size_t i = 0; i < g->n_initializer; i++) map_put(&im->initializers, str(g->initializer[i]->name), i, KEEP_FIRST);
  Onnx__ValueInfoProto **lists[3] = { g->input, g->value_info, g->output };
  size_t counts[3] = { g->n_input, g->n_value_info, g->n_output };
  for (int l = 0; l < 3; l++)
    for (size_t i = 0; i < counts[l]; i++) {
      const Onnx__ValueInfoProto *vi = lists[l][i];
      if (vi->type && vi->type->value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE && vi->type->tensor_type->shape)
        map_put(&im->declared, str(vi->name), 3 * i + (size_t)l, KEEP_FIRST);
    }
  return CTG_OK;
}

static void indexes_free(importer *im) {
  name_map *maps[] = { &im->producers, &im->initializers, &im->readers, &im->last_reader, &im->declared,
                       &im->outputs, &im->names };
  for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) map_free(maps[i]);
}

static int node_fail(importer *im, const Onnx__NodeProto *n, ctg_status st, const char *fmt, ...) CTG__PRINTF(4, 5);
static int node_fail(importer *im, const Onnx__NodeProto *n, ctg_status st, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ctg__fail(im->err, st, "%.200s: node '%.80s' (%.40s): %s", im->path, n->name ? n->name : "",
                   n->op_type ? n->op_type : "?", msg);
}

static const char *str(const char *s) { return s ? s : ""; }

static const Onnx__NodeProto *producer(const importer *im, const char *name) {
  size_t i;
  return map_get(&im->producers, name, &i) ? im->g->node[i] : NULL;
}

/* How many nodes read name, plus one if it is a graph output; *only, the last reader. */
static int consumers(const importer *im, const char *name, const Onnx__NodeProto **only) {
  size_t count = 0, last;
  map_get(&im->readers, name, &count);
  if (map_get(&im->last_reader, name, &last)) *only = im->g->node[last];
  return count > INT32_MAX ? INT32_MAX : (int)count;
}

/* A node whose outputs past the first (BatchNormalization's training statistics) nobody reads. */
static int only_first_output_used(const importer *im, const Onnx__NodeProto *n) {
  const Onnx__NodeProto *reader;
  for (size_t o = 1; o < n->n_output; o++)
    if (str(n->output[o])[0] && consumers(im, str(n->output[o]), &reader) > 0) return 0;
  return 1;
}

static const Onnx__AttributeProto *attribute(const Onnx__NodeProto *n, const char *name) {
  for (size_t i = 0; i < n->n_attribute; i++)
    if (strcmp(str(n->attribute[i]->name), name) == 0) return n->attribute[i];
  return NULL;
}

static const char *attribute_type_name(int t) {
  switch (t) {
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT: return "FLOAT";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT: return "INT";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING: return "STRING";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR: return "TENSOR";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS: return "INTS";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS: return "FLOATS";
    case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS: return "STRINGS";
    default: return "another type";
  }
}

/* The type an attribute holds: its type field (which the IR requires), else the one field set. */
static int attribute_type(const Onnx__AttributeProto *a) {
  if (a->has_type) return (int)a->type;
  if (a->n_ints) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS;
  if (a->n_floats) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS;
  if (a->has_i) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
  if (a->has_f) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT;
  if (a->has_s) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING;
  if (a->t) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR;
  return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__UNDEFINED;
}

/* The attribute called name of type want, into *out (NULL when absent); an attribute of
 * another type is an error naming the node and the attribute, never silently a default. */
static int typed_attribute(importer *im, const Onnx__NodeProto *n, const char *name, int want,
                           const Onnx__AttributeProto **out) {
  const Onnx__AttributeProto *a = attribute(n, name);
  *out = NULL;
  if (!a) return CTG_OK;
  int have = attribute_type(a);
  int ok = have == want;
  /* and the field that type names is there */
  if (ok && want == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT) ok = a->has_i;
  if (ok && want == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT) ok = a->has_f;
  if (ok && want == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING) ok = a->has_s;
  if (ok && want == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR) ok = a->t != NULL;
  if (!ok)
    return node_fail(im, n, CTG_ERR_FORMAT, "attribute %s is %s; ONNX defines it as %s", name, attribute_type_name(have),
                     attribute_type_name(want));
  *out = a;
  return CTG_OK;
}
#define A_INT ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT
#define A_INTS ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS
#define A_FLOAT ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT
#define A_STRING ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING

/* A constant tensor: an initializer, a Constant node's value, or either through Identity
 * nodes (torch.onnx.export routes weights through them). A chain longer than the graph is a
 * cycle. */
static const Onnx__TensorProto *constant(const importer *im, const char *name) {
  for (size_t hops = 0; hops <= im->g->n_node; hops++) {
    size_t i;
    if (map_get(&im->initializers, name, &i)) return im->g->initializer[i];
    const Onnx__NodeProto *n = producer(im, name);
    if (!n) return NULL;
    if (strcmp(str(n->op_type), "Constant") == 0) {
      const Onnx__AttributeProto *a = attribute(n, "value");
      return a && (!a->has_type || a->type == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR) ? a->t : NULL;
    }
    if (strcmp(str(n->op_type), "Identity") != 0 || n->n_input < 1) return NULL;
    name = str(n->input[0]);
  }
  return NULL;
}

static const char *dtype_name(int32_t t) {
  switch (t) {
    case 1: return "float32";
    case 2: return "uint8";
    case 3: return "int8";
    case 5: return "int16";
    case 6: return "int32";
    case 7: return "int64";
    case 10: return "float16";
    case 11: return "float64";
    case 16: return "bfloat16";
    default: return "another type";
  }
}

/* The elements of t as doubles (count of them in *n); NULL with the error set otherwise. */
static double *tensor_values(importer *im, const Onnx__NodeProto *node, const Onnx__TensorProto *t, size_t *n) {
  const char *name = str(t->name);
  if (t->data_type != 1 && t->data_type != 11 && t->data_type != 10 && t->data_type != 16)
    return node_fail(im, node, CTG_ERR_FORMAT, "tensor '%.80s' is %s (data type %d); float32, float64, float16 and "
                     "bfloat16 are supported", name, dtype_name(t->data_type), (int)t->data_type), NULL;
  if (t->has_data_location && t->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
    return node_fail(im, node, CTG_ERR_FORMAT, "tensor '%.80s' is stored outside the model file (external data); "
                     "save the model with its weights inside", name), NULL;
  size_t count = 1;
  for (size_t i = 0; i < t->n_dims; i++) {
    if (t->dims[i] < 0 || (t->dims[i] && count > ((size_t)1 << 40) / (size_t)t->dims[i]))
      return node_fail(im, node, CTG_ERR_FORMAT, "tensor '%.80s' has an impossible shape", name), NULL;
    count *= (size_t)t->dims[i];
  }
  /* float16 and bfloat16: 2 bytes each in raw_data, or each pattern in one of int32_data's words */
  const int half = t->data_type == 10 || t->data_type == 16;
  const ctg_dtype hd = t->data_type == 16 ? CTG_BFLOAT16 : CTG_FLOAT16;
  size_t size = t->data_type == 1 ? 4 : half ? 2 : 8;
  size_t have = t->has_raw_data ? t->raw_data.len / size : t->data_type == 1 ? t->n_float_data
              : half ? t->n_int32_data : t->n_double_data;
  if (have != count || (t->has_raw_data && t->raw_data.len % size))
    return node_fail(im, node, CTG_ERR_FORMAT, "tensor '%.80s' holds %zu values, its shape says %zu", name, have, count), NULL;
  double *v = malloc((count ? count : 1) * sizeof *v);
  if (!v) return ctg__fail(im->err, CTG_ERR_NOMEM, "out of memory"), NULL;
  for (size_t i = 0; i < count; i++) {
    if (half) {
      uint16_t bits;
      if (t->has_raw_data) memcpy(&bits, t->raw_data.data + 2 * i, 2); /* little-endian, as ONNX stores it */
      else bits = (uint16_t)t->int32_data[i];
      v[i] = ctg__half_widen(bits, hd);
    } else if (t->has_raw_data && size == 4) {
      float f;
      memcpy(&f, t->raw_data.data + 4 * i, 4); /* little-endian, as ONNX stores it and this host runs */
      v[i] = f;
    } else if (t->has_raw_data) {
      memcpy(&v[i], t->raw_data.data + 8 * i, 8);
    } else {
      v[i] = size == 4 ? (double)t->float_data[i] : t->double_data[i];
    }
  }
  *n = count;
  return v;
}

/* The shape of tensor name: declared (graph input, value_info, output), or carried through
 * ops that keep it, or computed for a ConvTranspose imported before. dim 0 may be symbolic. */
static int tensor_shape(importer *im, const Onnx__NodeProto *node, const char *name, int64_t shape[4]) {
  static const char *const keep[] = { "BatchNormalization", "Relu", "LeakyRelu", "Tanh", "Sigmoid", "Clip",
                                      "Identity", "Dropout", "Elu", "Selu", "HardSigmoid", "Softplus" };
  Onnx__ValueInfoProto **lists[3] = { im->g->input, im->g->value_info, im->g->output };
  for (size_t hops = 0; hops <= im->g->n_node; hops++) {
    size_t at;
    if (map_get(&im->declared, name, &at)) {
      const Onnx__ValueInfoProto *vi = lists[at % 3][at / 3];
      const Onnx__TensorShapeProto *s = vi->type->tensor_type->shape;
      if (s->n_dim != 4)
        return node_fail(im, node, CTG_ERR_FORMAT, "input '%.80s' has %zu dimensions; ConvTranspose here takes 4 "
                         "(N, C, H, W)", name, s->n_dim);
      for (int d = 0; d < 4; d++) {
        const Onnx__TensorShapeProto__Dimension *dim = s->dim[d];
        if (dim->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE && dim->dim_value >= 0 &&
            dim->dim_value <= INT32_MAX) {
          shape[d] = dim->dim_value;
        } else if (d == 0) {
          shape[d] = im->batch; /* a symbolic batch: --batch */
        } else {
          return node_fail(im, node, CTG_ERR_FORMAT, "input '%.80s' has a symbolic or invalid size in dimension %d; "
                           "only the batch may be symbolic", name, d);
        }
      }
      return CTG_OK;
    }
    size_t layer;
    if (map_get(&im->outputs, name, &layer)) {
      memcpy(shape, im->layers[layer].out_shape, 4 * sizeof *shape);
      return CTG_OK;
    }
    const Onnx__NodeProto *p = producer(im, name);
    int kept = 0;
    for (size_t k = 0; p && k < sizeof keep / sizeof keep[0]; k++) kept |= strcmp(str(p->op_type), keep[k]) == 0;
    if (!kept || p->n_input < 1) break;
    name = str(p->input[0]);
  }
  return node_fail(im, node, CTG_ERR_FORMAT, "cannot tell the shape of its input '%.80s' (run ONNX shape inference "
                   "on the model first)", name);
}

/* An INTS attribute of 2 values, or def when absent. */
static int pair_attribute(importer *im, const Onnx__NodeProto *n, const char *name, int64_t out[2], int64_t def) {
  const Onnx__AttributeProto *a;
  out[0] = out[1] = def;
  int st = typed_attribute(im, n, name, A_INTS, &a);
  if (st != CTG_OK || !a) return st;
  if (a->n_ints != 2)
    return node_fail(im, n, CTG_ERR_FORMAT, "attribute %s has %zu values; a 2-D ConvTranspose takes 2", name, a->n_ints);
  out[0] = a->ints[0], out[1] = a->ints[1];
  return CTG_OK;
}

static int int_range(importer *im, const Onnx__NodeProto *n, const char *what, int64_t v, int64_t lo) {
  if (v < lo || v > 1 << 20) return node_fail(im, n, CTG_ERR_FORMAT, "%s %lld is out of range", what, (long long)v);
  return CTG_OK;
}

/* A scalar constant input of Clip (opset 11+), or def when the input is absent. */
static int clip_bound(importer *im, const Onnx__NodeProto *n, size_t k, double def, double *out) {
  *out = def;
  if (n->n_input <= k || !str(n->input[k])[0]) return CTG_OK;
  const Onnx__TensorProto *t = constant(im, str(n->input[k]));
  if (!t) return node_fail(im, n, CTG_ERR_FORMAT, "its bound '%.80s' is not a constant", str(n->input[k]));
  size_t count;
  double *v = tensor_values(im, n, t, &count);
  if (!v) return im->err ? (int)im->err->status : CTG_ERR_FORMAT;
  int ok = count == 1;
  if (ok) *out = v[0];
  free(v);
  return ok ? CTG_OK : node_fail(im, n, CTG_ERR_FORMAT, "its bound '%.80s' is not one number", str(n->input[k]));
}

/* Fuses the activation node n into the layer's spec text, when it is one convtgen has. */
static int activation_of(importer *im, const Onnx__NodeProto *n, char *act, size_t cap, int *fused) {
  const char *op = str(n->op_type);
  *fused = 1;
  if (strcmp(op, "Relu") == 0) snprintf(act, cap, "'relu'");
  else if (strcmp(op, "Tanh") == 0) snprintf(act, cap, "'tanh'");
  else if (strcmp(op, "Sigmoid") == 0) snprintf(act, cap, "'sigmoid'");
  else if (strcmp(op, "LeakyRelu") == 0) {
    const Onnx__AttributeProto *a;
    int st = typed_attribute(im, n, "alpha", A_FLOAT, &a);
    if (st != CTG_OK) return st;
    double alpha = a ? (double)a->f : 0.01;
    if (!isfinite(alpha)) return node_fail(im, n, CTG_ERR_FORMAT, "attribute alpha is not a finite number");
    snprintf(act, cap, "{'leaky_relu', %.9g}", alpha);
  } else if (strcmp(op, "Clip") == 0) {
    double lo = -INFINITY, hi = INFINITY;
    if (im->opset < 11) {
      const Onnx__AttributeProto *a, *b;
      int st = typed_attribute(im, n, "min", A_FLOAT, &a);
      if (st == CTG_OK) st = typed_attribute(im, n, "max", A_FLOAT, &b);
      if (st != CTG_OK) return st;
      if (a) lo = a->f;
      if (b) hi = b->f;
    } else {
      int st = clip_bound(im, n, 1, -INFINITY, &lo);
      if (st == CTG_OK) st = clip_bound(im, n, 2, INFINITY, &hi);
      if (st != CTG_OK) return st;
    }
    if (isnan(lo) || isnan(hi)) return node_fail(im, n, CTG_ERR_FORMAT, "a bound is NaN");
    if (!(lo <= hi)) { /* ONNX allows min > max (everything becomes max); convtgen's clamp does not */
      *fused = 0;
      return CTG_OK;
    }
    char l[40], h[40];
    if (isinf(lo)) snprintf(l, sizeof l, "-math.huge");
    else snprintf(l, sizeof l, "%.17g", lo);
    if (isinf(hi)) snprintf(h, sizeof h, "math.huge");
    else snprintf(h, sizeof h, "%.17g", hi);
    snprintf(act, cap, "{'clamp', %s, %s}", l, h);
  } else {
    *fused = 0;
  }
  return CTG_OK;
}

/* s with every byte outside printable ASCII (newlines, control bytes, UTF-8) as '?', cut to
 * cap - 1. */
static void comment_safe(char *out, size_t cap, const char *s) {
  size_t j = 0;
  for (; *s && j + 1 < cap; s++) out[j++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
  out[j] = '\0';
}

/* A C identifier from the node's name (or convtN), unique among the layers so far. */
static void layer_name(importer *im, const Onnx__NodeProto *n, char out[64]) {
  char base[48];
  size_t j = 0;
  for (const char *s = str(n->name); *s && j < sizeof base - 1; s++) {
    char c = *s;
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (j == 0 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      if (!ok) continue;
      base[j++] = 'n';
    }
    if (j < sizeof base - 1) base[j++] = ok ? c : '_';
  }
  base[j] = '\0';
  if (!j) snprintf(base, sizeof base, "convt%zu", im->count);
  snprintf(out, 64, "%s", base);
  for (int k = 2;; k++) {
    size_t taken;
    if (!map_get(&im->names, out, &taken)) return;
    snprintf(out, 64, "%s_%d", base, k);
  }
}

/* Padding per dimension from ONNX's pads / auto_pad / output_shape, with the operator's v11
 * formulas: total = stride*(in-1) + output_padding + (k-1)*d + 1 - out. SAME_UPPER puts the odd
 * unit at the end, NOTSET and SAME_LOWER at the beginning. A negative total pads nothing; with
 * an explicit output_shape (larger than the layer reaches) the extra outputs are added at the
 * end, where only the bias reaches them, as output_padding; SAME keeps the natural size. Both
 * as ONNX Runtime does. */
static int padding_of(importer *im, const Onnx__NodeProto *n, const int64_t in[2], const int64_t s[2],
                      const int64_t k[2], const int64_t d[2], int64_t op[2], int64_t begin[2], int64_t end[2]) {
  const Onnx__AttributeProto *ap, *os, *pads;
  int st = typed_attribute(im, n, "auto_pad", A_STRING, &ap);
  if (st == CTG_OK) st = typed_attribute(im, n, "output_shape", A_INTS, &os);
  if (st == CTG_OK) st = typed_attribute(im, n, "pads", A_INTS, &pads);
  if (st != CTG_OK) return st;
  char mode[16] = "NOTSET";
  if (ap) snprintf(mode, sizeof mode, "%.*s", (int)(ap->s.len < 15 ? ap->s.len : 15), (const char *)ap->s.data);
  int upper = strcmp(mode, "SAME_UPPER") == 0, lower = strcmp(mode, "SAME_LOWER") == 0;
  if (!upper && !lower && strcmp(mode, "VALID") != 0 && strcmp(mode, "NOTSET") != 0)
    return node_fail(im, n, CTG_ERR_FORMAT, "auto_pad '%s' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID", mode);
  int64_t want[2] = { -1, -1 };
  if (os) {
    if (os->n_ints != 2 && os->n_ints != 4)
      return node_fail(im, n, CTG_ERR_FORMAT, "output_shape has %zu values; expected 2 (H, W)", os->n_ints);
    want[0] = os->ints[os->n_ints - 2], want[1] = os->ints[os->n_ints - 1];
  } else if (upper || lower) {
    want[0] = in[0] * s[0], want[1] = in[1] * s[1];
  }
  for (int i = 0; i < 2; i++) {
    if (want[i] >= 0) {
      int64_t total = s[i] * (in[i] - 1) + op[i] + (k[i] - 1) * d[i] + 1 - want[i];
      if (total < 0) { /* only an explicit output_shape grows the output; SAME stays at its natural size */
        if (os) op[i] += -total;
        total = 0;
      }
      int64_t half = total / 2; /* total >= 0 here: C's and Python's division agree */
      begin[i] = upper ? half : total - half;
      end[i] = total - begin[i];
    } else if (strcmp(mode, "VALID") == 0 || !pads) {
      begin[i] = end[i] = 0;
    } else {
      if (pads->n_ints != 4)
        return node_fail(im, n, CTG_ERR_FORMAT, "pads has %zu values; a 2-D ConvTranspose takes 4", pads->n_ints);
      begin[i] = pads->ints[i], end[i] = pads->ints[i + 2];
      if (begin[i] < 0 || end[i] < 0) return node_fail(im, n, CTG_ERR_FORMAT, "pads must not be negative");
    }
  }
  return CTG_OK;
}

/* n values (zeros when v is NULL) as a fresh array of dtype d: float, double, or float16 /
 * bfloat16 patterns (each rounded once). */
static void *in_dtype(const double *v, size_t n, ctg_dtype d) {
  void *out = malloc(n * ctg_dtype_size(d) + 1);
  for (size_t i = 0; out && i < n; i++) ctg__real_put(out, i, v ? v[i] : 0.0, d);
  return out;
}

/* The fuzzer's mode: the layer's params as the spec would normalize them (the sizes import_node
 * needs), computed here without the Lua spec validation, which costs a millisecond a node. */
static int unvalidated_params(importer *im, const Onnx__NodeProto *n, const int64_t x[4], const int64_t *wd,
                              int64_t groups, const int64_t k[2], const int64_t s[2], const int64_t d[2],
                              const int64_t op[2], const int64_t begin[2], const int64_t end[2], int has_bias,
                              const char *dtype, ctg_params *q) {
  memset(q, 0, sizeof *q);
  if (wd[0] < 1 || wd[0] > (1 << 20) || wd[1] * groups > (1 << 20) || wd[0] % groups || x[1] != wd[0])
    return node_fail(im, n, CTG_ERR_SPEC, "channels do not fit the weight (fuzzing mode)");
  int64_t out_hw[2];
  for (int i = 0; i < 2; i++) {
    out_hw[i] = (x[2 + i] - 1) * s[i] - begin[i] - end[i] + d[i] * (k[i] - 1) + op[i] + 1;
    if (out_hw[i] < 1 || out_hw[i] > (1 << 24)) return node_fail(im, n, CTG_ERR_SPEC, "output size out of range");
    q->kernel[i] = (int)k[i], q->stride[i] = (int)s[i], q->dilation[i] = (int)d[i], q->output_padding[i] = (int)op[i];
    q->padding[i] = (int)begin[i], q->padding_end[i] = (int)end[i];
  }
  q->in_channels = (int)wd[0], q->out_channels = (int)(wd[1] * groups), q->groups = (int)groups;
  q->batched = 1, q->batch = (int)x[0], q->in_h = (int)x[2], q->in_w = (int)x[3];
  q->out_h = (int)out_hw[0], q->out_w = (int)out_hw[1], q->bias = has_bias, q->threads = 1;
  snprintf(q->dtype, sizeof q->dtype, "%s", dtype);
  snprintf(q->memory_format, sizeof q->memory_format, "contiguous");
  snprintf(q->activation, sizeof q->activation, "none");
  return CTG_OK;
}

static int import_node(importer *im, const Onnx__NodeProto *n, layer_out *out) {
  memset(out, 0, sizeof *out);
  if (n->n_input < 2 || n->n_output < 1) return node_fail(im, n, CTG_ERR_FORMAT, "needs inputs X and W and an output");
  const Onnx__TensorProto *w = constant(im, str(n->input[1]));
  if (!w) return node_fail(im, n, CTG_ERR_FORMAT, "its weight '%.80s' is not a constant (an initializer)", str(n->input[1]));
  const Onnx__TensorProto *b = n->n_input > 2 && str(n->input[2])[0] ? constant(im, str(n->input[2])) : NULL;
  if (n->n_input > 2 && str(n->input[2])[0] && !b)
    return node_fail(im, n, CTG_ERR_FORMAT, "its bias '%.80s' is not a constant", str(n->input[2]));
  if (w->n_dims != 4)
    return node_fail(im, n, CTG_ERR_FORMAT, "weight '%.80s' has %zu dimensions; a 2-D ConvTranspose has 4",
                     str(w->name), w->n_dims);
  int64_t x[4];
  int st = tensor_shape(im, n, str(n->input[0]), x);
  if (st != CTG_OK) return st;
  /* ConvTranspose takes one element type T for X, W and B (a declared X of another is refused) */
  size_t at;
  if (map_get(&im->declared, str(n->input[0]), &at)) {
    Onnx__ValueInfoProto **lists[3] = { im->g->input, im->g->value_info, im->g->output };
    const Onnx__TypeProto__Tensor *tt = lists[at % 3][at / 3]->type->tensor_type;
    if (tt->has_elem_type && tt->elem_type != w->data_type)
      return node_fail(im, n, CTG_ERR_FORMAT, "input '%.80s' is %s but weight '%.80s' is %s; ConvTranspose takes one type",
                       str(n->input[0]), dtype_name(tt->elem_type), str(w->name), dtype_name(w->data_type));
  }
  if (b && b->data_type != w->data_type)
    return node_fail(im, n, CTG_ERR_FORMAT, "bias '%.80s' is %s but weight '%.80s' is %s; ConvTranspose takes one type",
                     str(b->name), dtype_name(b->data_type), str(w->name), dtype_name(w->data_type));
  const Onnx__AttributeProto *ga;
  if ((st = typed_attribute(im, n, "group", A_INT, &ga))) return st;
  int64_t groups = ga ? ga->i : 1, s[2], d[2], op[2], k[2] = { w->dims[2], w->dims[3] };
  if ((st = pair_attribute(im, n, "strides", s, 1)) || (st = pair_attribute(im, n, "dilations", d, 1)) ||
      (st = pair_attribute(im, n, "output_padding", op, 0)))
    return st;
  int64_t ks[2];
  if ((st = pair_attribute(im, n, "kernel_shape", ks, -1))) return st;
  if (ks[0] >= 0 && (ks[0] != k[0] || ks[1] != k[1]))
    return node_fail(im, n, CTG_ERR_FORMAT, "kernel_shape (%lld, %lld) differs from the weight's (%lld, %lld)",
                     (long long)ks[0], (long long)ks[1], (long long)k[0], (long long)k[1]);
  const int64_t *checks[] = { s, d, k };
  const char *what[] = { "stride", "dilation", "kernel size" };
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 2; j++)
      if ((st = int_range(im, n, what[i], checks[i][j], 1))) return st;
  if ((st = int_range(im, n, "group", groups, 1)) || (st = int_range(im, n, "output_padding", op[0], 0)) ||
      (st = int_range(im, n, "output_padding", op[1], 0)) || (st = int_range(im, n, "weight's channels", w->dims[1], 1)))
    return st;
  int64_t begin[2], end[2], in_hw[2] = { x[2], x[3] };
  if ((st = padding_of(im, n, in_hw, s, k, d, op, begin, end))) return st;
  for (int i = 0; i < 2; i++)
    if ((st = int_range(im, n, "padding", begin[i], 0)) || (st = int_range(im, n, "padding", end[i], 0))) return st;

  /* what follows: BatchNormalization, then an activation, each when nothing else reads its input */
  const char *y = str(n->output[0]);
  snprintf(out->conv_output, sizeof out->conv_output, "%s", y);
  snprintf(out->input, sizeof out->input, "%s", str(n->input[0]));
  const Onnx__NodeProto *next = NULL, *bn = NULL;
  char act[96] = "nil";
  if (consumers(im, y, &next) == 1 && next && strcmp(str(next->op_type), "BatchNormalization") == 0 &&
      next->n_input == 5 && next->n_output >= 1 && strcmp(str(next->input[0]), y) == 0 && only_first_output_used(im, next)) {
    bn = next;
    y = str(bn->output[0]);
    snprintf(out->fused, sizeof out->fused, "BatchNormalization");
  }
  if (consumers(im, y, &next) == 1 && next && next->n_input >= 1 && next->n_output == 1 &&
      strcmp(str(next->input[0]), y) == 0) {
    int fused;
    if ((st = activation_of(im, next, act, sizeof act, &fused))) return st;
    if (fused) {
      y = str(next->output[0]);
      size_t used = strlen(out->fused);
      snprintf(out->fused + used, sizeof out->fused - used, "%s%s", used ? " " : "", str(next->op_type));
    } else {
      snprintf(act, sizeof act, "nil");
    }
  }
  snprintf(out->output, sizeof out->output, "%s", y);
  layer_name(im, n, out->name);
  int has_bias = b != NULL || bn != NULL;
  const char *dtype = w->data_type == 11 ? "float64" : w->data_type == 10 ? "float16" : w->data_type == 16 ? "bfloat16"
                    : "float32";
  char text[2048];
  char pad[96];
  if (begin[0] == end[0] && begin[1] == end[1]) snprintf(pad, sizeof pad, "{%lld, %lld}", (long long)begin[0], (long long)begin[1]);
  else snprintf(pad, sizeof pad, "{%lld, %lld, %lld, %lld}", (long long)begin[0], (long long)begin[1], (long long)end[0], (long long)end[1]);
  /* the model's path and the node's name go into a comment: printable bytes only, so no name
   * can end the comment and start code; everything else in the text is numbers we printed */
  char from[204], node_name[84];
  comment_safe(from, sizeof from, im->path);
  comment_safe(node_name, sizeof node_name, str(n->name));
  snprintf(text, sizeof text,
           "-- imported by convtgen from %s, node '%s' (ConvTranspose, opset %lld)%s%s\n"
           "return {\n  name = '%s',\n  in_channels = %lld, out_channels = %lld, groups = %lld,\n"
           "  kernel_size = {%lld, %lld}, stride = {%lld, %lld}, padding = %s,\n"
           "  output_padding = {%lld, %lld}, dilation = {%lld, %lld}, bias = %s,\n"
           "  input_shape = {%lld, %lld, %lld, %lld}, dtype = '%s', activation = %s,\n}\n",
           from, node_name, (long long)im->opset, out->fused[0] ? "; fused: " : "", out->fused, out->name,
           (long long)w->dims[0], (long long)(w->dims[1] * groups), (long long)groups, (long long)k[0], (long long)k[1],
           (long long)s[0], (long long)s[1], pad, (long long)op[0], (long long)op[1], (long long)d[0], (long long)d[1],
           has_bias ? "true" : "false", (long long)x[0], (long long)x[1], (long long)x[2], (long long)x[3], dtype, act);
  if (im->validate) {
    ctg_spec *spec;
    char chunk[200];
    snprintf(chunk, sizeof chunk, "%.100s: node '%.60s'", im->path, str(n->name));
    if ((st = ctg_spec_from_string(text, chunk, &spec, im->err)) != CTG_OK) return st;
    out->params = *ctg_spec_params(spec);
    ctg_spec_free(spec);
  } else if ((st = unvalidated_params(im, n, x, w->dims, groups, k, s, d, op, begin, end, has_bias, dtype,
                                      &out->params)) != CTG_OK) {
    return st;
  }
  if (!(out->spec_text = strdup(text))) return ctg__fail(im->err, CTG_ERR_NOMEM, "out of memory");
  const ctg_params *p = &out->params;
  int64_t oshape[4];
  ctg_params_shape(p, CTG_OUTPUT, oshape);
  memcpy(out->out_shape, oshape, sizeof oshape);

  /* weights in the layer's dtype; BatchNorm folded in double */
  size_t nw, nb = 0, want_w = ctg_params_numel(p, CTG_WEIGHT), cout = (size_t)p->out_channels;
  double *wv = tensor_values(im, n, w, &nw), *bv = NULL, *bnv[4] = { 0 };
  int ok = wv != NULL && nw == want_w;
  if (wv && nw != want_w) node_fail(im, n, CTG_ERR_FORMAT, "weight holds %zu values, the layer needs %zu", nw, want_w);
  if (ok && b) {
    bv = tensor_values(im, n, b, &nb);
    ok = bv && nb == cout;
    if (bv && nb != cout) node_fail(im, n, CTG_ERR_FORMAT, "bias holds %zu values, the layer has %zu output channels", nb, cout);
  }
  double eps = 1e-5;
  for (int i = 0; ok && bn && i < 4; i++) {
    const Onnx__TensorProto *t = constant(im, str(bn->input[i + 1]));
    size_t count = 0;
    if (!t) {
      ok = 0;
      node_fail(im, bn, CTG_ERR_FORMAT, "its input '%.80s' is not a constant", str(bn->input[i + 1]));
    } else if (!(bnv[i] = tensor_values(im, bn, t, &count)) || count != cout) {
      ok = 0;
      if (bnv[i]) node_fail(im, bn, CTG_ERR_FORMAT, "'%.80s' holds %zu values, expected %zu", str(t->name), count, cout);
    }
  }
  if (ok && bn) {
    const Onnx__AttributeProto *e, *tm;
    if (typed_attribute(im, bn, "epsilon", A_FLOAT, &e) != CTG_OK || typed_attribute(im, bn, "training_mode", A_INT, &tm))
      ok = 0;
    else if (e && !(e->f >= 0 && isfinite(e->f)))
      ok = 0, node_fail(im, bn, CTG_ERR_FORMAT, "attribute epsilon is not a finite number >= 0");
    if (ok && e) eps = e->f;
    if (ok && tm && tm->i) ok = 0, node_fail(im, bn, CTG_ERR_FORMAT, "training_mode is set; only inference folds");
  }
  if (ok && bn) { /* folded in double, whatever the dtype; each value then rounded once into it */
    double *bias64 = in_dtype(bv, cout, CTG_FLOAT64); /* zeros when only BatchNorm brings a bias */
    ctg_params folded = *p;
    folded.bias = b != NULL;
    snprintf(folded.dtype, sizeof folded.dtype, "float64");
    if (!bias64) ok = 0, ctg__fail(im->err, CTG_ERR_NOMEM, "out of memory");
    else if ((st = ctg_fold_batchnorm(&folded, wv, bias64, bnv[0], bnv[1], bnv[2], bnv[3], eps, wv, bias64,
                                      im->err)) != CTG_OK)
      ok = 0;
    free(bv);
    bv = bias64;
  }
  const ctg_dtype dt = ctg_params_dtype(p);
  if (ok) {
    out->weight = in_dtype(wv, nw, dt);
    out->bias = has_bias ? in_dtype(bv, cout, dt) : NULL;
    ok = out->weight && (!has_bias || out->bias);
    if (!ok) ctg__fail(im->err, CTG_ERR_NOMEM, "out of memory");
  }
  free(wv), free(bv);
  for (int i = 0; i < 4; i++) free(bnv[i]);
  if (!ok) return im->err ? (int)im->err->status : CTG_ERR_FORMAT;
  snprintf(out->node, sizeof out->node, "%.120s", str(n->name));
  return CTG_OK;
}

static void layers_free(layer_out *l, size_t n) {
  for (size_t i = 0; i < n; i++) free(l[i].spec_text), free(l[i].weight), free(l[i].bias);
  free(l);
}

/* Appends to a growing report. */
static void report_add(char **text, size_t *len, const char *fmt, ...) CTG__PRINTF(3, 4);
static void report_add(char **text, size_t *len, const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n < 0 || !*text) return;
  if ((size_t)n >= sizeof line) n = sizeof line - 1;
  char *grown = realloc(*text, *len + (size_t)n + 1);
  if (!grown) return;
  memcpy(grown + *len, line, (size_t)n + 1);
  *text = grown;
  *len += (size_t)n;
}

/* mkdir -p */
static int make_dirs(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s", dir);
  for (char *c = path + 1; *c; c++) {
    if (*c != '/') continue;
    *c = '\0';
    if (mkdir(path, 0777) != 0 && errno != EEXIST) return -1;
    *c = '/';
  }
  return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* The files of one import: each written under a temporary name first; renamed into place only
 * when every one of them is written, so a failed import leaves the folder as it was. */
typedef struct import_files {
  char **temp, **final; /* room for every layer's three files and the manifest */
  size_t count;
} import_files;

static int files_add(import_files *f, const char *dir, const char *name) {
  char tmp[128], path[4200];
  if (!ctg__temp_name(tmp, sizeof tmp, ".convtgen-import")) return 0;
  f->temp[f->count] = malloc(strlen(dir) + strlen(tmp) + 2);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f->final[f->count] = strdup(path);
  if (!f->temp[f->count] || !f->final[f->count]) {
    free(f->temp[f->count]), free(f->final[f->count]);
    return 0;
  }
  sprintf(f->temp[f->count], "%s/%s", dir, tmp);
  f->count++;
  return 1;
}

static int write_all(importer *im, const char *dir, char **report) {
  if (make_dirs(dir) != 0)
    return ctg__fail(im->err, CTG_ERR_IO, "%s: cannot create the output folder: %s", dir, strerror(errno));
  struct stat sb;
  if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) return ctg__fail(im->err, CTG_ERR_IO, "%s: not a folder", dir);
  size_t rlen = 0;
  import_files files = { calloc(im->count * 3 + 1, sizeof(char *)), calloc(im->count * 3 + 1, sizeof(char *)), 0 };
  char *manifest = strdup("# convtgen import: one ConvTranspose node per line\n"
                          "# node\tspec\tweight\tbias\tinput\toutput\tfused\n");
  char *text = strdup("");
  int st = files.temp && files.final && manifest && text ? CTG_OK : ctg__fail(im->err, CTG_ERR_NOMEM, "out of memory");
  size_t mlen = manifest ? strlen(manifest) : 0;
  for (size_t i = 0; st == CTG_OK && i < im->count; i++) {
    layer_out *l = &im->layers[i];
    const ctg_params *p = &l->params;
    char spec_name[80], w_name[80], b_name[80];
    snprintf(spec_name, sizeof spec_name, "%s.lua", l->name);
    snprintf(w_name, sizeof w_name, "%s_weight.npy", l->name);
    snprintf(b_name, sizeof b_name, "%s_bias.npy", l->name);
    if (!files_add(&files, dir, spec_name)) {
      st = ctg__fail(im->err, CTG_ERR_NOMEM, "out of memory");
      break;
    }
    if ((st = ctg__write_text_atomic(files.temp[files.count - 1], l->spec_text, im->err)) != CTG_OK) break;
    int64_t shape[4];
    int nd = ctg_params_shape(p, CTG_WEIGHT, shape);
    if (!files_add(&files, dir, w_name)) {
      st = ctg__fail(im->err, CTG_ERR_NOMEM, "out of memory");
      break;
    }
    if ((st = ctg_npy_save(files.temp[files.count - 1], ctg_params_dtype(p), nd, shape, l->weight, im->err)) != CTG_OK)
      break;
    if (l->bias) {
      nd = ctg_params_shape(p, CTG_BIAS, shape);
      if (!files_add(&files, dir, b_name)) {
        st = ctg__fail(im->err, CTG_ERR_NOMEM, "out of memory");
        break;
      }
      if ((st = ctg_npy_save(files.temp[files.count - 1], ctg_params_dtype(p), nd, shape, l->bias, im->err)) != CTG_OK)
        break;
    }
    char node[128];
    ctg_one_line(node, sizeof node, l->node);
    char input[128], output[128];
    ctg_one_line(input, sizeof input, l->input);
    ctg_one_line(output, sizeof output, l->output);
    report_add(&manifest, &mlen, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", node, spec_name, w_name, l->bias ? b_name : "-",
               input, output, l->fused[0] ? l->fused : "-");
    report_add(&text, &rlen, "%s: node '%s' -> %s, %s%s%s (%s%s%s)\n", dir, node, spec_name, w_name,
               l->bias ? ", " : "", l->bias ? b_name : "", p->dtype, l->fused[0] ? ", fused " : "", l->fused);
  }
  if (st == CTG_OK) {
    if (!files_add(&files, dir, "manifest.tsv")) st = ctg__fail(im->err, CTG_ERR_NOMEM, "out of memory");
    else st = ctg__write_text_atomic(files.temp[files.count - 1], manifest, im->err);
  }
  /* every name must be free for a file: something else there (a folder) fails the import now,
   * before any rename */
  for (size_t i = 0; st == CTG_OK && i < files.count; i++)
    if (lstat(files.final[i], &sb) == 0 && !S_ISREG(sb.st_mode))
      st = ctg__fail(im->err, CTG_ERR_IO, "%s: already there and not a regular file; nothing was written",
                     files.final[i]);
  size_t renamed = 0;
  for (; st == CTG_OK && renamed < files.count; renamed++)
    if (rename(files.temp[renamed], files.final[renamed]) != 0)
      st = ctg__fail(im->err, CTG_ERR_IO, "%s: cannot write: %s", files.final[renamed], strerror(errno));
  for (size_t i = renamed; i < files.count; i++) unlink(files.temp[i]); /* only what this import made */
  for (size_t i = 0; i < files.count; i++) free(files.temp[i]), free(files.final[i]);
  free(files.temp);
  free(files.final);
  free(manifest);
  if (st == CTG_OK && report) *report = text;
  else free(text);
  return st;
}

int ctg_onnx_import(const char *model, const char *dir, int batch, char **report, ctg_error *err) {
  if (report) *report = NULL;
  if (!model || !dir) return ctg__fail(err, CTG_ERR_ARG, "ctg_onnx_import: NULL argument");
  FILE *f;
  int st = ctg__open_regular(model, "model", &f, err);
  if (st != CTG_OK) return st;
  /* the size first: a file over the limit is refused unread, and the buffer is what the file needs */
  struct stat sb;
  if (fstat(fileno(f), &sb) != 0 || sb.st_size < 0) {
    fclose(f);
    return ctg__fail(err, CTG_ERR_IO, "%s: cannot read the model", model);
  }
  if ((uint64_t)sb.st_size > MODEL_MAX_BYTES) {
    fclose(f);
    return ctg__fail(err, CTG_ERR_FORMAT, "%s: the model is %lld bytes, over the 1 GiB limit", model,
                     (long long)sb.st_size);
  }
  size_t want = (size_t)sb.st_size;
  uint8_t *buf = malloc(want + 1);
  size_t len = buf ? fread(buf, 1, want + 1, f) : 0; /* one more: a file that grew is caught */
  int read_error = ferror(f);
  fclose(f);
  if (!buf) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory reading a %zu-byte model", want);
  if (read_error) st = ctg__fail(err, CTG_ERR_IO, "%s: cannot read the model", model);
  else if (len != want) st = ctg__fail(err, CTG_ERR_IO, "%s: the model changed while it was read", model);
  if (st == CTG_OK) st = ctg__onnx_import_memory(model, buf, len, dir, batch, 1, report, err);
  free(buf);
  return st;
}

int ctg__onnx_import_memory(const char *model, const uint8_t *buf, size_t len, const char *dir, int batch,
                            int validate, char **report, ctg_error *err) {
  if (report) *report = NULL;
  if (batch < 0) batch = 1;
  int st = CTG_OK;
  int depth = nesting_depth(buf, len, &onnx__model_proto__descriptor);
  if (st == CTG_OK && depth < 0)
    st = ctg__fail(err, CTG_ERR_FORMAT, "%s: not an ONNX model (its protobuf encoding is broken or truncated)", model);
  else if (st == CTG_OK && depth > MAX_DEPTH)
    st = ctg__fail(err, CTG_ERR_FORMAT, "%s: messages nested more than %d deep; not a model convtgen reads", model, MAX_DEPTH);
  budget b = { 4 * len + (64u << 20) };
  ProtobufCAllocator alloc = { budget_alloc, budget_free, &b };
  Onnx__ModelProto *m = st == CTG_OK ? onnx__model_proto__unpack(&alloc, len, buf) : NULL;
  if (st == CTG_OK && !m)
    st = ctg__fail(err, CTG_ERR_FORMAT, "%s: not an ONNX model (protobuf-c could not parse it)", model);
  if (st == CTG_OK && !m->graph) st = ctg__fail(err, CTG_ERR_FORMAT, "%s: the model has no graph", model);
  if (st != CTG_OK) {
    if (m) onnx__model_proto__free_unpacked(m, &alloc);
    return st;
  }
  importer im;
  memset(&im, 0, sizeof im);
  im.path = model, im.g = m->graph, im.opset = 1, im.batch = batch, im.err = err, im.validate = validate;
  for (size_t i = 0; i < m->n_opset_import; i++) {
    const char *domain = str(m->opset_import[i]->domain);
    if ((!domain[0] || strcmp(domain, "ai.onnx") == 0) && m->opset_import[i]->has_version)
      im.opset = m->opset_import[i]->version;
  }
  size_t convs = 0;
  for (size_t i = 0; i < im.g->n_node; i++) { /* ONNX's own operator: another domain's is another op */
    const char *domain = str(im.g->node[i]->domain);
    convs += strcmp(str(im.g->node[i]->op_type), "ConvTranspose") == 0 && (!domain[0] || strcmp(domain, "ai.onnx") == 0);
  }
  st = build_indexes(&im);
  if (st != CTG_OK) {
  } else if (!convs) st = ctg__fail(err, CTG_ERR_FORMAT, "%s: the graph has no ConvTranspose node", model);
  else if (!(im.layers = calloc(convs, sizeof *im.layers))) st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  for (size_t i = 0; st == CTG_OK && i < im.g->n_node; i++) {
    const Onnx__NodeProto *n = im.g->node[i];
    if (strcmp(str(n->op_type), "ConvTranspose") != 0) continue;
    const char *domain = str(n->domain);
    if (domain[0] && strcmp(domain, "ai.onnx") != 0) continue;
    st = import_node(&im, n, &im.layers[im.count]);
    if (st == CTG_OK) {
      map_put(&im.outputs, im.layers[im.count].conv_output, im.count, KEEP_FIRST);
      map_put(&im.names, im.layers[im.count].name, im.count, KEEP_FIRST);
    }
    im.count++; /* a failed node's buffers are freed with the rest */
  }
  if (st == CTG_OK && validate) st = write_all(&im, dir, report);
  layers_free(im.layers, im.count);
  indexes_free(&im);
  onnx__model_proto__free_unpacked(m, &alloc);
  if (st == CTG_OK) ctg__ok(err);
  return st;
}
