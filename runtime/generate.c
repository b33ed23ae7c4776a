/* generate.c: asks the embedded Lua generator for a layer's source text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A string field of the answer table at idx copied into buf (truncated), "" when absent. */
static void answer_string(lua_State *L, int idx, const char *key, char *buf, size_t cap) {
  lua_getfield(L, idx, key);
  const char *s = lua_tostring(L, -1);
  snprintf(buf, cap, "%s", s ? s : "");
  lua_pop(L, 1);
}

/* A text field of the answer table at idx, malloc'd; NULL when absent. */
static int answer_text(lua_State *L, int idx, const char *key, char **out, ctg_error *err) {
  lua_getfield(L, idx, key);
  size_t len;
  const char *s = lua_tolstring(L, -1, &len);
  int st = CTG_OK;
  *out = NULL;
  if (s && !(*out = malloc(len + 1))) st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory for %zu bytes of generated text", len);
  else if (s) memcpy(*out, s, len + 1);
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
  int a = lua_gettop(L);
  answer_string(L, a, "shape", out->shape, sizeof out->shape);
  answer_string(L, a, "fallback", out->fallback, sizeof out->fallback);
  answer_string(L, a, "why", out->why, sizeof out->why);
  answer_string(L, a, "features", out->features, sizeof out->features);
  answer_string(L, a, "description", out->description, sizeof out->description);
  answer_string(L, a, "estimate", out->estimate, sizeof out->estimate);
  char convention[16];
  answer_string(L, a, "convention", convention, sizeof convention);
  out->convention = strcmp(convention, "packed") == 0 ? CTG__PACKED
                  : strcmp(convention, "baked") == 0 ? CTG__BAKED : CTG__DIRECT;
  lua_getfield(L, a, "packed_size");
  out->packed_size = (size_t)lua_tointeger(L, -1);
  lua_pop(L, 1);
  /* the malloc'd texts last: nothing after them raises, so none can leak */
  int st = answer_text(L, a, "source", &out->source, job->err);
  if (st == CTG_OK) st = answer_text(L, a, "header", &out->header, job->err);
  if (st == CTG_OK) st = answer_text(L, a, "launches", &out->launches, job->err);
  if (st == CTG_OK && !out->source)
    st = ctg__fail(job->err, CTG_ERR_INTERNAL, "the generator gave no source for target %s", job->target);
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
  free(e->source), free(e->header), free(e->launches);
  e->source = e->header = e->launches = NULL;
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

const char *ctg__host_isa(void) {
#if defined(__aarch64__)
  return "neon";
#elif defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "avx512";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "avx2";
  return "scalar";
#else
  return "scalar";
#endif
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
