/* params.c: the normalized layer as a C struct, its tensor shapes, and its trip to and from Lua. */
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

int ctg__params_from_lua(lua_State *L, int idx, ctg_params *p, ctg_error *err) {
  idx = lua_absindex(L, idx);
  memset(p, 0, sizeof *p);
  int ok = lua_istable(L, idx) &&
           get_int(L, idx, "in_channels", &p->in_channels) &&
           get_int(L, idx, "out_channels", &p->out_channels) &&
           get_int(L, idx, "groups", &p->groups) &&
           get_pair(L, idx, "kernel_size", p->kernel) &&
           get_pair(L, idx, "stride", p->stride) &&
           get_pair(L, idx, "padding", p->padding) &&
           get_pair(L, idx, "output_padding", p->output_padding) &&
           get_pair(L, idx, "dilation", p->dilation) &&
           get_bool(L, idx, "bias", &p->bias) &&
           get_bool(L, idx, "batched", &p->batched) &&
           get_int(L, idx, "batch", &p->batch) &&
           get_int(L, idx, "in_h", &p->in_h) && get_int(L, idx, "in_w", &p->in_w) &&
           get_int(L, idx, "out_h", &p->out_h) && get_int(L, idx, "out_w", &p->out_w) &&
           get_int(L, idx, "threads", &p->threads) &&
           get_string(L, idx, "dtype", p->dtype, sizeof p->dtype) &&
           get_string(L, idx, "unroll", p->unroll, sizeof p->unroll) &&
           get_string(L, idx, "name", p->name, sizeof p->name);
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

void ctg__params_push(lua_State *L, const ctg_params *p) {
  lua_createtable(L, 0, 24);
  ctg__lua_set_int(L, "in_channels", p->in_channels);
  ctg__lua_set_int(L, "out_channels", p->out_channels);
  ctg__lua_set_int(L, "groups", p->groups);
  ctg__lua_set_ints(L, "kernel_size", p->kernel, 2);
  ctg__lua_set_ints(L, "stride", p->stride, 2);
  ctg__lua_set_ints(L, "padding", p->padding, 2);
  ctg__lua_set_ints(L, "output_padding", p->output_padding, 2);
  ctg__lua_set_ints(L, "dilation", p->dilation, 2);
  lua_pushboolean(L, p->bias);
  lua_setfield(L, -2, "bias");
  lua_pushboolean(L, p->batched);
  lua_setfield(L, -2, "batched");
  ctg__lua_set_int(L, "batch", p->batch);
  ctg__lua_set_int(L, "in_h", p->in_h);
  ctg__lua_set_int(L, "in_w", p->in_w);
  ctg__lua_set_int(L, "out_h", p->out_h);
  ctg__lua_set_int(L, "out_w", p->out_w);
  ctg__lua_set_int(L, "threads", p->threads);
  ctg__lua_set_string(L, "padding_mode", "zeros");
  ctg__lua_set_string(L, "dtype", p->dtype);
  ctg__lua_set_string(L, "unroll", p->unroll);
  ctg__lua_set_string(L, "name", p->name);
}

int ctg__params_check(const ctg_params *p, ctg_error *err) {
  if (!p) return ctg__fail(err, CTG_ERR_ARG, "params is NULL");
  int ok = p->in_channels > 0 && p->out_channels > 0 && p->groups > 0 &&
           p->in_channels % p->groups == 0 && p->out_channels % p->groups == 0 &&
           p->batch >= 0 && (p->batched || p->batch == 1) && p->in_h > 0 && p->in_w > 0 &&
           (strcmp(p->dtype, ctg_dtype_name(ctg_params_dtype(p))) == 0);
  for (int d = 0; ok && d < 2; d++) {
    int in = d ? p->in_w : p->in_h, out = d ? p->out_w : p->out_h;
    long long expect = (long long)(in - 1) * p->stride[d] - 2LL * p->padding[d] +
                       (long long)p->dilation[d] * (p->kernel[d] - 1) + p->output_padding[d] + 1;
    ok = p->kernel[d] > 0 && p->stride[d] > 0 && p->dilation[d] > 0 && p->padding[d] >= 0 &&
         p->output_padding[d] >= 0 && out > 0 && expect == out;
  }
  if (!ok)
    return ctg__fail(err, CTG_ERR_ARG, "params do not describe a valid layer "
                     "(build them with ctg_spec_from_file or ctg_spec_from_string)");
  return CTG_OK;
}

int ctg_params_shape(const ctg_params *p, ctg_role role, int64_t shape[4]) {
  int n = 0;
  switch (role) {
    case CTG_INPUT:
    case CTG_OUTPUT:
      if (p->batched) shape[n++] = p->batch;
      shape[n++] = role == CTG_INPUT ? p->in_channels : p->out_channels;
      shape[n++] = role == CTG_INPUT ? p->in_h : p->out_h;
      shape[n++] = role == CTG_INPUT ? p->in_w : p->out_w;
      break;
    case CTG_WEIGHT:
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
  int n = ctg_params_shape(p, role, shape);
  if (n == 0) return 0;
  size_t total = 1;
  for (int i = 0; i < n; i++) total *= (size_t)shape[i];
  return total;
}

void ctg__params_key(char *buf, size_t cap, const ctg_params *p) {
  snprintf(buf, cap,
           "cin %d cout %d g %d k %d %d s %d %d p %d %d op %d %d d %d %d bias %d batched %d n %d "
           "in %d %d out %d %d threads %d dtype %s unroll %s name %s",
           p->in_channels, p->out_channels, p->groups, p->kernel[0], p->kernel[1], p->stride[0], p->stride[1],
           p->padding[0], p->padding[1], p->output_padding[0], p->output_padding[1], p->dilation[0],
           p->dilation[1], p->bias, p->batched, p->batch, p->in_h, p->in_w, p->out_h, p->out_w, p->threads,
           p->dtype, p->unroll, p->name);
}

static const char *const DTYPE_NAMES[] = { "float32", "float64", "complex64", "complex128" };
static const size_t DTYPE_SIZES[] = { 4, 8, 8, 16 };

ctg_dtype ctg_params_dtype(const ctg_params *p) {
  for (int d = 0; p && d < 4; d++)
    if (strcmp(p->dtype, DTYPE_NAMES[d]) == 0) return (ctg_dtype)d;
  return CTG_FLOAT32;
}

size_t ctg_dtype_size(ctg_dtype dtype) { return (unsigned)dtype < 4 ? DTYPE_SIZES[dtype] : 0; }
const char *ctg_dtype_name(ctg_dtype dtype) { return (unsigned)dtype < 4 ? DTYPE_NAMES[dtype] : "unknown"; }
