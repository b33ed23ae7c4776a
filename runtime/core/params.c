/* params.c: the normalized layer as a C struct, its tensor shapes, and its trip to and from Lua. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "internal.h"

static int get_int(lua_State *L, int idx, const char *key, int *out) {
  lua_getfield(L, idx, key);
  int ok = lua_isinteger(L, -1);
  if (ok) *out = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  return ok;
}

static int get_pair(lua_State *L, int idx, const char *key, int out[2]) {
  lua_getfield(L, idx, key);
  int ok = lua_istable(L, -1);
  for (int i = 0; ok && i < 2; i++) {
    lua_rawgeti(L, -1, i + 1);
    ok = lua_isinteger(L, -1);
    if (ok) out[i] = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return ok;
}

static int get_string(lua_State *L, int idx, const char *key, char *out, size_t cap) {
  lua_getfield(L, idx, key);
  size_t len = 0;
  const char *s = lua_tolstring(L, -1, &len);
  int ok = s && len < cap;
  if (ok) memcpy(out, s, len + 1);
  lua_pop(L, 1);
  return ok;
}

static int get_bool(lua_State *L, int idx, const char *key, int *out) {
  lua_getfield(L, idx, key);
  int ok = lua_isboolean(L, -1);
  if (ok) *out = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return ok;
}

static int get_real(lua_State *L, int idx, const char *key, double *out) {
  lua_getfield(L, idx, key);
  int ok = lua_isnumber(L, -1);
  if (ok) *out = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return ok;
}

#define GET_INT(f, k) get_int(L, idx, k, &p->f)
#define GET_PAIR(f, k) get_pair(L, idx, k, p->f)
#define GET_BOOL(f, k) get_bool(L, idx, k, &p->f)
#define GET_STRING(f, k) get_string(L, idx, k, p->f, sizeof p->f)
#define GET_REAL(f, k) get_real(L, idx, k, &p->f)
#define GET_NUM(f, k) get_real(L, idx, k, &p->f)
#define GET(kind, field, key) && GET_##kind(field, key)

/* A list of n numbers at key of the table at idx, into out (floats, or int32 when ints). */
static int get_list(lua_State *L, int idx, const char *key, int n, float *floats, int32_t *ints) {
  lua_getfield(L, idx, key);
  int ok = lua_istable(L, -1) && (int)luaL_len(L, -1) == n;
  for (int i = 0; ok && i < n; i++) {
    lua_rawgeti(L, -1, i + 1);
    ok = floats ? lua_isnumber(L, -1) : lua_isinteger(L, -1);
    if (ok && floats) floats[i] = (float)lua_tonumber(L, -1);
    if (ok && ints) ints[i] = (int32_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return ok;
}

/* The quantization table of an int8 layer (spec.lua's quantization()), into p->quant: the
 * fields generator/schema.lua lists, one weight scale (and multiplier, shift) per channel. */
#define QGET_NUM(f) get_real(L, q, #f, &qt->f)
#define QGET_INT(f) get_int(L, q, #f, &qt->f)
#define QGET_FLOATS(f) get_list(L, q, #f, qt->channels, qt->f, NULL)
#define QGET_INT32S(f) get_list(L, q, #f, qt->channels, NULL, qt->f)
#define QGET(kind, f, given) && QGET_##kind(f)
static int quant_from_lua(lua_State *L, int idx, ctg_params *p) {
  lua_getfield(L, idx, "quantization");
  int present = lua_istable(L, -1), ok = 1;
  if (present) {
    int q = lua_gettop(L);
    ctg_quantization *qt = &p->quant;
    lua_getfield(L, q, "weight_scales");
    qt->channels = lua_istable(L, -1) ? (int)luaL_len(L, -1) : 0;
    lua_pop(L, 1);
    ok = qt->channels >= 1 && qt->channels <= CTG_QUANT_MAX_CHANNELS CTG__QUANT_FIELDS(QGET);
  }
  lua_pop(L, 1);
  return ok && present == (strcmp(p->dtype, "int8") == 0);
}

int ctg__params_from_lua(lua_State *L, int idx, ctg_params *p, ctg_error *err) {
  idx = lua_absindex(L, idx);
  memset(p, 0, sizeof *p);
  int ok = lua_istable(L, idx) CTG__PARAMS_FIELDS(GET) && quant_from_lua(L, idx, p);
  if (!ok) return ctg__fail(err, CTG_ERR_INTERNAL, "the normalized spec is missing a field");
  return CTG_OK;
}

void ctg__lua_set_ints(lua_State *L, const char *key, const int *v, int n) {
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    lua_pushinteger(L, v[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, key);
}

void ctg__lua_set_int(lua_State *L, const char *key, int v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, key);
}

void ctg__lua_set_string(lua_State *L, const char *key, const char *v) {
  if (!v) return;
  lua_pushstring(L, v);
  lua_setfield(L, -2, key);
}

#define SET_INT(f, k) ctg__lua_set_int(L, k, p->f);
#define SET_PAIR(f, k) ctg__lua_set_ints(L, k, p->f, 2);
#define SET_BOOL(f, k) lua_pushboolean(L, p->f), lua_setfield(L, -2, k);
#define SET_STRING(f, k) ctg__lua_set_string(L, k, p->f);
#define SET_REAL(f, k) lua_pushnumber(L, p->f), lua_setfield(L, -2, k);
#define SET_NUM SET_REAL
#define SET(kind, field, key) SET_##kind(field, key)

void ctg__lua_set_list(lua_State *L, const char *key, int n, const float *floats, const int32_t *ints) {
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    if (floats) lua_pushnumber(L, floats[i]);
    else lua_pushinteger(L, ints[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, key);
}

void ctg__params_push(lua_State *L, const ctg_params *p) {
  lua_createtable(L, 0, 24);
  CTG__PARAMS_FIELDS(SET)
  ctg__lua_set_string(L, "padding_mode", "zeros"); /* the only mode; not a field */
  if (ctg_params_dtype(p) == CTG_INT8) {
    const ctg_quantization *q = &p->quant;
    int n = q->channels < 0 ? 0 : q->channels > CTG_QUANT_MAX_CHANNELS ? CTG_QUANT_MAX_CHANNELS : q->channels;
    lua_createtable(L, 0, 10);
#define QSET_NUM(f) lua_pushnumber(L, q->f), lua_setfield(L, -2, #f);
#define QSET_INT(f) ctg__lua_set_int(L, #f, q->f);
#define QSET_FLOATS(f) ctg__lua_set_list(L, #f, n, q->f, NULL);
#define QSET_INT32S(f) ctg__lua_set_list(L, #f, n, NULL, q->f);
#define QSET(kind, f, given) QSET_##kind(f)
    CTG__QUANT_FIELDS(QSET)
    lua_setfield(L, -2, "quantization");
  }
  /* the tensors' shapes as they lie in memory: ctg_params_shape is their one owner; the
   * generator's comments, header and `info` read them here */
  static const char *const ROLE_NAMES[] = { "input", "weight", "bias", "output" }; /* ORDER ctg_role */
  lua_createtable(L, 0, 4);
  for (int r = CTG_INPUT; r <= CTG_OUTPUT; r++) {
    int64_t shape[4];
    int n = ctg_params_shape(p, (ctg_role)r, shape);
    if (n == 0) continue; /* an absent bias */
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) lua_pushinteger(L, (lua_Integer)shape[i]), lua_rawseti(L, -2, i + 1);
    lua_setfield(L, -2, ROLE_NAMES[r]);
  }
  lua_setfield(L, -2, "shapes");
}

static const struct { const char *name; int args; } ACTIVATIONS[] = {
#define X(U, l, n) { #l, n },
  CTG__ACTIVATION_LIST(X)
#undef X
};
#define ACTIVATION_COUNT (sizeof ACTIVATIONS / sizeof ACTIVATIONS[0])

static ctg__act activation_of(const char *name) {
  for (unsigned i = 0; name && i < ACTIVATION_COUNT; i++)
    if (strcmp(name, ACTIVATIONS[i].name) == 0) return (ctg__act)i;
  return CTG__ACT_UNKNOWN;
}

ctg__act ctg__activation(const ctg_params *p) { return activation_of(p->activation); }

const char *ctg__activation_name(ctg__act act) { return (unsigned)act < ACTIVATION_COUNT ? ACTIVATIONS[act].name : ""; }

int ctg__activation_args(const char *name) {
  ctg__act act = activation_of(name);
  return act == CTG__ACT_UNKNOWN ? 0 : ACTIVATIONS[act].args;
}

/* NaN stays NaN through every activation, as in PyTorch (the comparisons are false for it). */
double ctg__activate(const ctg_params *p, ctg__act act, double v) {
  switch (act) {
    case CTG__ACT_RELU: return v < 0 ? 0.0 : v;
    case CTG__ACT_LEAKY_RELU: return v < 0 ? v * p->activation_a : v;
    case CTG__ACT_TANH: return tanh(v);
    case CTG__ACT_SIGMOID: return 1.0 / (1.0 + exp(-v));
    case CTG__ACT_CLAMP: return v < p->activation_a ? p->activation_a : (v > p->activation_b ? p->activation_b : v);
    default: return v;
  }
}

int ctg__params_check(const ctg_params *p, ctg_error *err) {
  if (!p) return ctg__fail(err, CTG_ERR_ARG, "params is NULL");
  const ctg__act act = ctg__activation(p);
  int ok = p->in_channels > 0 && p->out_channels > 0 && p->groups > 0 &&
           p->in_channels % p->groups == 0 && p->out_channels % p->groups == 0 &&
           p->batch >= 0 && (p->batched || p->batch == 1) && p->in_h > 0 && p->in_w > 0 &&
           (strcmp(p->dtype, ctg_dtype_name(ctg_params_dtype(p))) == 0) &&
           act != CTG__ACT_UNKNOWN && (act != CTG__ACT_CLAMP || !(p->activation_a > p->activation_b)) &&
           (act == CTG__ACT_NONE || !ctg__dtype(ctg_params_dtype(p))->complex) &&
           (ctg_params_channels_last(p) || strcmp(p->memory_format, "contiguous") == 0);
  if (ok && ctg_params_dtype(p) == CTG_INT8) { /* what the integer code relies on: no UB in it */
    const ctg_quantization *q = &p->quant;
    ok = ctg_params_channels_last(p) && (q->channels == 1 || q->channels == p->out_channels) &&
         q->channels <= CTG_QUANT_MAX_CHANNELS && q->input_zero_point >= -128 && q->input_zero_point <= 127 &&
         q->output_zero_point >= -128 && q->output_zero_point <= 127 && q->act_min >= -128 &&
         q->act_min <= q->act_max && q->act_max <= 127 && (act == CTG__ACT_NONE || act == CTG__ACT_RELU ||
         act == CTG__ACT_CLAMP);
    for (int c = 0; ok && c < q->channels; c++)
      ok = q->multiplier[c] >= 0 && q->shift[c] >= -31 && q->shift[c] <= 30;
  }
  for (int d = 0; ok && d < 2; d++) {
    int in = d ? p->in_w : p->in_h, out = d ? p->out_w : p->out_h;
    long long expect = (long long)(in - 1) * p->stride[d] - (long long)p->padding[d] - p->padding_end[d] +
                       (long long)p->dilation[d] * (p->kernel[d] - 1) + p->output_padding[d] + 1;
    ok = p->kernel[d] > 0 && p->stride[d] > 0 && p->dilation[d] > 0 && p->padding[d] >= 0 && p->padding_end[d] >= 0 &&
         p->output_padding[d] >= 0 && out > 0 && expect == out;
  }
  if (!ok)
    return ctg__fail(err, CTG_ERR_ARG, "params do not describe a valid layer "
                     "(build them with ctg_spec_from_file or ctg_spec_from_string)");
  return CTG_OK;
}

int ctg_params_channels_last(const ctg_params *p) { return p && strcmp(p->memory_format, "channels_last") == 0; }

int ctg_params_shape(const ctg_params *p, ctg_role role, int64_t shape[4]) {
  int n = 0;
  if (!p || !shape) return 0;
  switch (role) {
    case CTG_INPUT:
    case CTG_OUTPUT:
      if (p->batched) shape[n++] = p->batch;
      if (!ctg_params_channels_last(p)) shape[n++] = role == CTG_INPUT ? p->in_channels : p->out_channels;
      shape[n++] = role == CTG_INPUT ? p->in_h : p->out_h;
      shape[n++] = role == CTG_INPUT ? p->in_w : p->out_w;
      if (ctg_params_channels_last(p)) shape[n++] = role == CTG_INPUT ? p->in_channels : p->out_channels;
      break;
    case CTG_WEIGHT:
      if (ctg_params_dtype(p) == CTG_INT8) { /* TFLite's OHWI */
        shape[n++] = p->out_channels;
        shape[n++] = p->kernel[0];
        shape[n++] = p->kernel[1];
        shape[n++] = p->in_channels / p->groups;
        break;
      }
      shape[n++] = p->in_channels;
      shape[n++] = p->out_channels / p->groups;
      shape[n++] = p->kernel[0];
      shape[n++] = p->kernel[1];
      break;
    case CTG_BIAS:
      if (p->bias) shape[n++] = p->out_channels;
      break;
  }
  return n;
}

size_t ctg_params_numel(const ctg_params *p, ctg_role role) {
  int64_t shape[4];
  if (!p) return 0;
  int n = ctg_params_shape(p, role, shape);
  if (n == 0) return 0;
  size_t total = 1;
  for (int i = 0; i < n; i++) total *= (size_t)shape[i];
  return total;
}

size_t ctg_params_bytes(const ctg_params *p, ctg_role role) {
  return ctg_params_numel(p, role) * ctg_dtype_size(ctg_params_tensor_dtype(p, role));
}

/* Appends " key value" for one field (pairs as "h w") to buf. */
static void key_append(char *buf, size_t cap, size_t *used, const char *fmt, ...) CTG__PRINTF(4, 5);
static void key_append(char *buf, size_t cap, size_t *used, const char *fmt, ...) {
  if (*used >= cap) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf + *used, cap - *used, fmt, ap);
  va_end(ap);
  if (n > 0) *used += (size_t)n;
}

#define KEY_INT(f, k) key_append(buf, cap, &used, " %s %d", k, p->f);
#define KEY_PAIR(f, k) key_append(buf, cap, &used, " %s %d %d", k, p->f[0], p->f[1]);
#define KEY_BOOL(f, k) key_append(buf, cap, &used, " %s %d", k, p->f);
#define KEY_STRING(f, k) key_append(buf, cap, &used, " %s %s", k, p->f);
#define KEY_REAL(f, k) /* derived from the others: not part of what the code depends on */
#define KEY_NUM(f, k) key_append(buf, cap, &used, " %s %.17g", k, p->f);
#define KEY(kind, field, key) KEY_##kind(field, key)

void ctg__params_key(char *buf, size_t cap, const ctg_params *p) {
  size_t used = 0;
  if (cap) buf[0] = '\0';
  CTG__PARAMS_FIELDS(KEY)
  if (ctg_params_dtype(p) == CTG_INT8) { /* numbers as they are, the per-channel lists by their digest */
    const ctg_quantization *q = &p->quant;
    int n = q->channels > 0 && q->channels <= CTG_QUANT_MAX_CHANNELS ? q->channels : 0;
    ctg__sha256 h;
    ctg__sha256_init(&h);
    key_append(buf, cap, &used, " quant %d", n);
#define QKEY_NUM(f) key_append(buf, cap, &used, " %.17g", q->f);
#define QKEY_INT(f) key_append(buf, cap, &used, " %d", q->f);
#define QKEY_FLOATS(f) ctg__sha256_update(&h, q->f, (size_t)n * sizeof q->f[0]);
#define QKEY_INT32S(f) ctg__sha256_update(&h, q->f, (size_t)n * sizeof q->f[0]);
#define QKEY(kind, f, given) QKEY_##kind(f)
    CTG__QUANT_FIELDS(QKEY)
    unsigned char d[32];
    ctg__sha256_final(&h, d);
    for (int i = 0; i < 8; i++) key_append(buf, cap, &used, "%s%02x", i ? "" : " ", d[i]);
  }
}

/* ORDER ctg_dtype; generator/spec.lua's DTYPES is the same table on the Lua side. */
static const ctg__dtype_info DTYPES[] = {
  { "float32", 4, 4, 0, 0 },
  { "float64", 8, 8, 0, 0 },
  { "complex64", 8, 4, 1, 0 },
  { "complex128", 16, 8, 1, 0 },
  { "int8", 1, 1, 0, 0 },
  { "int32", 4, 4, 0, 0 },
  { "float16", 2, 2, 0, 1 },
  { "bfloat16", 2, 2, 0, 1 },
};
#define DTYPE_COUNT (sizeof DTYPES / sizeof DTYPES[0])

const ctg__dtype_info *ctg__dtype(ctg_dtype dtype) { return &DTYPES[(unsigned)dtype < DTYPE_COUNT ? dtype : 0]; }

ctg_dtype ctg_params_tensor_dtype(const ctg_params *p, ctg_role role) {
  ctg_dtype d = ctg_params_dtype(p);
  return d == CTG_INT8 && role == CTG_BIAS ? CTG_INT32 : d;
}

ctg_dtype ctg_params_dtype(const ctg_params *p) {
  for (unsigned d = 0; p && d < DTYPE_COUNT; d++) /* int32 is no layer's dtype */
    if (d != CTG_INT32 && strcmp(p->dtype, DTYPES[d].name) == 0) return (ctg_dtype)d;
  return CTG_FLOAT32;
}

size_t ctg_dtype_size(ctg_dtype dtype) { return (unsigned)dtype < DTYPE_COUNT ? DTYPES[dtype].size : 0; }
const char *ctg_dtype_name(ctg_dtype dtype) { return (unsigned)dtype < DTYPE_COUNT ? DTYPES[dtype].name : "unknown"; }
