/* generate.c: asks the embedded Lua generator for a layer's source text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The answer crosses from Lua as a table whose fields internal.h's lists describe: each read
 * checks its type, and a word no list holds is a bug of the generator's (CTG_ERR_INTERNAL). */

/* A text field of the answer table at idx, malloc'd; NULL when absent (and not required). */
static int answer_text(lua_State *L, int idx, const char *key, int required, char **out, ctg_error *err) {
  lua_getfield(L, idx, key);
  size_t len;
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
  int st = CTG_OK;
  *out = NULL;
  if (!s && (required || !lua_isnil(L, -1)))
    st = ctg__fail(err, CTG_ERR_INTERNAL, "the generator's answer has no text '%s'", key);
  else if (s && !(*out = malloc(len + 1))) st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory for %zu bytes of generated text", len);
  else if (s) memcpy(*out, s, len + 1);
  lua_pop(L, 1);
  return st;
}

static const char *const shape_names[CTG__CODE_SHAPE_COUNT] = {
  "",
#define X(U, l) #l,
  CTG__CODE_SHAPE_LIST(X)
#undef X
};

const char *ctg__code_shape_name(ctg__code_shape s) {
  return (unsigned)s < CTG__CODE_SHAPE_COUNT ? shape_names[s] : "";
}

/* The word at field key of the table at idx as an index into names (count of them); -1 when
 * absent and optional. */
static int answer_word(lua_State *L, int idx, const char *key, const char *const *names, int count, int optional,
                       int *out, ctg_error *err) {
  lua_getfield(L, idx, key);
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  int absent = lua_isnil(L, -1), st = CTG_OK;
  *out = -1;
  for (int i = 0; s && i < count; i++)
    if (strcmp(s, names[i]) == 0) *out = i;
  if (*out < 0 && !(absent && optional))
    st = ctg__fail(err, CTG_ERR_INTERNAL, "the generator's answer has %s '%.40s', which the runtime does not know", key,
                   s ? s : absent ? "(none)" : lua_typename(L, lua_type(L, -1)));
  lua_pop(L, 1);
  return st;
}

static const char *const feature_names[] = {
#define X(U, l) #l,
  CTG__FEATURE_LIST(X)
#undef X
};
#define names feature_names

const char *ctg__features_text(unsigned features, char *buf, size_t cap) {
  size_t n = 0;
  if (cap) buf[0] = 0;
  for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
    if (features & (1u << i) && n < cap) n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? " " : "", names[i]);
  return buf;
}

/* The features table (words -> true) as CTG__FEATURE bits. */
static int answer_features(lua_State *L, int idx, unsigned *out, ctg_error *err) {
  *out = 0;
  lua_getfield(L, idx, "features");
  int st = lua_istable(L, -1) ? CTG_OK : ctg__fail(err, CTG_ERR_INTERNAL, "the generator's answer has no features table");
  lua_pushnil(L);
  while (st == CTG_OK && lua_next(L, -2)) {
    const char *word = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    int bit = -1;
    for (int i = 0; word && i < (int)(sizeof names / sizeof names[0]); i++)
      if (strcmp(word, names[i]) == 0) bit = i;
    if (bit < 0) st = ctg__fail(err, CTG_ERR_INTERNAL, "the generator's answer has feature '%.40s', which the runtime "
                                "does not know", word ? word : "(not a word)");
    else if (lua_toboolean(L, -1)) *out |= 1u << bit;
    lua_pop(L, 1);
  }
  lua_pop(L, st == CTG_OK ? 1 : 2); /* an error leaves the key and the value */
  return st;
}
#undef names

/* An unsigned integer field of the table at idx, at most max. */
static int answer_count(lua_State *L, int idx, const char *key, lua_Integer max, lua_Integer *out, ctg_error *err) {
  lua_getfield(L, idx, key);
  int ok = 0;
  *out = lua_tointegerx(L, -1, &ok);
  lua_pop(L, 1);
  if (!ok || *out < 0 || *out > max)
    return ctg__fail(err, CTG_ERR_INTERNAL, "the generator's answer has a bad %s", key);
  return CTG_OK;
}

/* The CUDA launch list: { { name = , grid = { gx, gy, gz }, block = { bx, by, bz } }, ... }. */
static int answer_launches(lua_State *L, int idx, ctg__emitted *out, ctg_error *err) {
  lua_getfield(L, idx, "launches");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return CTG_OK;
  }
  int st = CTG_OK;
  lua_Integer n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : -1;
  if (n < 1 || n > 4096) st = ctg__fail(err, CTG_ERR_INTERNAL, "the generator's answer has a bad launch list");
  else if (!(out->launches = calloc((size_t)n, sizeof *out->launches))) st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  for (lua_Integer i = 1; st == CTG_OK && i <= n; i++) {
    ctg__launch *l = &out->launches[i - 1];
    lua_rawgeti(L, -1, i);
    int k = lua_gettop(L);
    size_t len = 0;
    lua_getfield(L, k, "name");
    const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    if (!name || len == 0 || len >= sizeof l->name) st = ctg__fail(err, CTG_ERR_INTERNAL, "the generator's launch %d has a bad name", (int)i);
    else memcpy(l->name, name, len + 1);
    lua_pop(L, 1);
    static const char *const dims[2] = { "grid", "block" };
    for (int d = 0; st == CTG_OK && d < 2; d++) {
      lua_getfield(L, k, dims[d]);
      for (int j = 0; st == CTG_OK && j < 3; j++) {
        lua_Integer v = 0;
        int ok = 0;
        if (lua_istable(L, -1)) {
          lua_rawgeti(L, -1, j + 1);
          v = lua_tointegerx(L, -1, &ok);
          lua_pop(L, 1);
        }
        if (!ok || v < 1 || v > 0x7fffffff)
          st = ctg__fail(err, CTG_ERR_INTERNAL, "the generator's launch %d has a bad %s", (int)i, dims[d]);
        else (d ? l->block : l->grid)[j] = (unsigned)v;
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (st == CTG_OK) out->launch_count = (int)i;
  }
  lua_pop(L, 1);
  return st;
}

typedef struct emit_job {
  const ctg_params *params;
  const char *target;
  const void *weight, *bias;
  ctg__emitted *out;
  ctg_error *err;
} emit_job;

static int emit_kernel(lua_State *L, void *ud) {
  emit_job *job = ud;
  const ctg_params *p = job->params;
  ctg__emitted *out = job->out;
  ctg__params_push(L, p);
  lua_pushstring(L, job->target);
  if (job->weight)
    lua_pushlstring(L, (const char *)job->weight,
                    ctg_params_numel(p, CTG_WEIGHT) * ctg_dtype_size(ctg_params_tensor_dtype(p, CTG_WEIGHT)));
  else lua_pushnil(L);
  if (job->weight && job->bias && p->bias)
    lua_pushlstring(L, (const char *)job->bias,
                    ctg_params_numel(p, CTG_BIAS) * ctg_dtype_size(ctg_params_tensor_dtype(p, CTG_BIAS)));
  else lua_pushnil(L);
  ctg__lua_require_call(L, "emit", "kernel", 4, 1);
  int a = lua_gettop(L), shape, fallback, convention;
  static const char *const conventions[] = {
#define X(U, l) #l,
    CTG__CONVENTION_LIST(X)
#undef X
  };
  lua_Integer packed;
  int st = answer_word(L, a, "shape", shape_names + 1, CTG__CODE_SHAPE_COUNT - 1, 0, &shape, job->err);
  if (st == CTG_OK) st = answer_word(L, a, "fallback", shape_names + 1, CTG__CODE_SHAPE_COUNT - 1, 1, &fallback, job->err);
  if (st == CTG_OK) st = answer_word(L, a, "convention", conventions, (int)(sizeof conventions / sizeof conventions[0]), 0,
                                     &convention, job->err);
  if (st == CTG_OK) st = answer_features(L, a, &out->features, job->err);
  if (st == CTG_OK) st = answer_count(L, a, "packed_size", (lua_Integer)1 << 40, &packed, job->err);
  if (st != CTG_OK) return st;
  out->shape = (ctg__code_shape)(shape + 1);
  out->fallback = (ctg__code_shape)(fallback + 1);
  out->convention = (ctg__convention)convention;
  out->packed_size = (size_t)packed;
  /* the malloc'd parts last; ctg__emit frees them whatever happens */
  st = answer_text(L, a, "source", 1, &out->source, job->err);
  if (st == CTG_OK) st = answer_text(L, a, "header", 1, &out->header, job->err);
  if (st == CTG_OK) st = answer_text(L, a, "why", 1, &out->why, job->err);
  if (st == CTG_OK) st = answer_text(L, a, "description", 1, &out->description, job->err);
  if (st == CTG_OK) st = answer_text(L, a, "estimate", 1, &out->estimate, job->err);
  if (st == CTG_OK) st = answer_launches(L, a, out, job->err);
  return st;
}

int ctg__emit(const ctg_params *p, const char *target, const void *weight, const void *bias,
              ctg__emitted *out, ctg_error *err) {
  memset(out, 0, sizeof *out);
  if (ctg_params_dtype(p) == CTG_INT8 && strcmp(target, "cuda") == 0)
    return ctg__fail(err, CTG_ERR_UNAVAILABLE, "int8 layers run on the C backends (interp, tcc, cc) and as "
                     "firmware; CUDA takes float dtypes");
  if (weight && ctg_params_numel(p, CTG_WEIGHT) > CTG__BAKED_MAX_ELEMENTS)
    return ctg__fail(err, CTG_ERR_ARG, "the layer has %zu weights; at most %d can be baked into source "
                     "(generate it without --weights)", ctg_params_numel(p, CTG_WEIGHT), CTG__BAKED_MAX_ELEMENTS);
  lua_State *L = ctg__lua_generator(err);
  if (!L) return err ? (int)err->status : CTG_ERR_INTERNAL;
  emit_job job = { p, target, weight, bias, out, err };
  /* refusals are the caller's: bad baked values (NaN, infinity) the weights', a layer past the
   * generator's limits the spec's */
  int st = ctg__lua_protected(L, emit_kernel, &job, weight ? CTG_ERR_ARG : CTG_ERR_SPEC, err);
  ctg__lua_close(L);
  if (st != CTG_OK) ctg__emitted_free(out);
  return st;
}

void ctg__emitted_free(ctg__emitted *e) {
  free(e->source), free(e->header), free(e->why), free(e->description), free(e->estimate), free(e->launches);
  e->source = e->header = e->why = e->description = e->estimate = NULL;
  e->launches = NULL;
  e->launch_count = 0;
}

const char *ctg__isa_target(ctg_isa isa) {
  switch (isa) {
    case CTG_ISA_PORTABLE: return "portable";
    case CTG_ISA_AVX512: return "avx512";
    case CTG_ISA_SCALAR: return "scalar";
    case CTG_ISA_AVX2: return "avx2";
    case CTG_ISA_NEON: return "neon";
  }
  return NULL;
}

/* Checks options and asks the emitter for the answer. */
static int generate(const ctg_spec *spec, const ctg_gen_options *options, ctg__emitted *e, ctg_error *err) {
  memset(e, 0, sizeof *e);
  ctg_gen_options defaults = { CTG_TARGET_C, NULL, NULL, CTG_ISA_PORTABLE };
  const ctg_gen_options *o = options ? options : &defaults;
  if (o->target != CTG_TARGET_C && o->target != CTG_TARGET_CUDA)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_generate: unknown target %d", (int)o->target);
  const char *target = o->target == CTG_TARGET_CUDA ? "cuda" : ctg__isa_target(o->isa);
  if (!target) return ctg__fail(err, CTG_ERR_ARG, "ctg_generate: unknown isa %d", (int)o->isa);
  if (o->target == CTG_TARGET_CUDA && o->weight)
    return ctg__fail(err, CTG_ERR_ARG, "weights are baked into C kernels only (firmware); CUDA kernels take them at run time");
  if (o->weight && spec->params.bias && !o->bias)
    return ctg__fail(err, CTG_ERR_ARG, "the layer has a bias: baking its weights needs the bias too");
  if (!o->weight && o->bias)
    return ctg__fail(err, CTG_ERR_ARG, "a bias can only be baked together with the weights");
  return ctg__emit(&spec->params, target, o->weight, o->bias, e, err);
}

int ctg_generate(const ctg_spec *spec, const ctg_gen_options *options, char **source, char **header,
                 ctg_error *err) {
  if (!spec || !source) return ctg__fail(err, CTG_ERR_ARG, "ctg_generate: NULL argument");
  *source = NULL;
  if (header) *header = NULL;
  ctg__emitted e;
  int st = generate(spec, options, &e, err);
  if (st != CTG_OK) return st;
  *source = e.source;
  e.source = NULL;
  if (header) {
    *header = e.header;
    e.header = NULL;
  }
  ctg__emitted_free(&e);
  ctg__ok(err);
  return CTG_OK;
}

int ctg_generate_to_dir(const ctg_spec *spec, const ctg_gen_options *options, const char *dir,
                        char *written, size_t written_cap, ctg_error *err) {
  if (!spec || !dir) return ctg__fail(err, CTG_ERR_ARG, "ctg_generate_to_dir: NULL argument");
  ctg__emitted e;
  int st = generate(spec, options, &e, err);
  if (st != CTG_OK) return st;
  const char *name = spec->params.name;
  size_t n = strlen(dir) + strlen(name) + 8;
  char *cpath = malloc(n), *hpath = malloc(n);
  if (!cpath || !hpath) {
    st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  } else {
    int cuda = options && options->target == CTG_TARGET_CUDA;
    snprintf(cpath, n, "%s/%s.%s", dir, name, cuda ? "cu" : "c");
    snprintf(hpath, n, "%s/%s.%s", dir, name, cuda ? "cuh" : "h");
    st = ctg__write_text_atomic(cpath, e.source, err);
    if (st == CTG_OK) st = ctg__write_text_atomic(hpath, e.header, err);
    if (st != CTG_OK) remove(cpath); /* a pair or nothing */
    /* the Cortex-M4F estimate is for firmware: baked weights */
    int firmware = options && options->weight && e.estimate[0];
    if (st == CTG_OK && written)
      snprintf(written, written_cap, "%s (%zu bytes), %s (%zu bytes); code: %s%s%s", cpath, strlen(e.source), hpath,
               strlen(e.header), e.description, firmware ? "; " : "", firmware ? e.estimate : "");
  }
  free(cpath), free(hpath);
  ctg__emitted_free(&e);
  if (st == CTG_OK) ctg__ok(err);
  return st;
}
