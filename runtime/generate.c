/* generate.c: asks the embedded Lua generator for a layer's source text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int ctg__generate(const ctg_params *p, const char *module, const char *func, const float *weight,
                  const float *bias, char **out, ctg_error *err) {
  *out = NULL;
  lua_State *L = ctg__lua_generator(err);
  if (!L) return err ? (int)err->status : CTG_ERR_INTERNAL;
  ctg__params_push(L, p);
  if (weight) lua_pushlstring(L, (const char *)weight, ctg_params_numel(p, CTG_WEIGHT) * sizeof(float));
  else lua_pushnil(L);
  if (weight && bias && p->bias) lua_pushlstring(L, (const char *)bias, ctg_params_numel(p, CTG_BIAS) * sizeof(float));
  else lua_pushnil(L);
  /* bad baked values (NaN, infinity) are the caller's input: a spec-class error */
  int st = ctg__lua_call(L, module, func, 3, 1, weight ? CTG_ERR_ARG : CTG_ERR_INTERNAL, err);
  if (st == CTG_OK) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    *out = s ? malloc(len + 1) : NULL;
    if (*out) memcpy(*out, s, len + 1);
    else st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory for %zu bytes of generated text", len);
  }
  ctg__lua_close(L);
  return st;
}

int ctg_generate(const ctg_spec *spec, const ctg_gen_options *options, char **source, char **header,
                 ctg_error *err) {
  if (!spec || !source) return ctg__fail(err, CTG_ERR_ARG, "ctg_generate: NULL argument");
  *source = NULL;
  if (header) *header = NULL;
  ctg_gen_options defaults = { CTG_TARGET_C, NULL, NULL };
  const ctg_gen_options *o = options ? options : &defaults;
  if (o->target != CTG_TARGET_C && o->target != CTG_TARGET_CUDA)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_generate: unknown target %d", (int)o->target);
  if (o->target == CTG_TARGET_CUDA && o->weight)
    return ctg__fail(err, CTG_ERR_ARG, "weights are baked into C kernels only (firmware); CUDA kernels take them at run time");
  const char *module = o->target == CTG_TARGET_CUDA ? "emit_cuda" : "emit_c";
  if (o->weight && spec->params.bias && !o->bias)
    return ctg__fail(err, CTG_ERR_ARG, "the layer has a bias: baking its weights needs the bias too");
  if (!o->weight && o->bias)
    return ctg__fail(err, CTG_ERR_ARG, "a bias can only be baked together with the weights");
  int st = ctg__generate(&spec->params, module, "source", o->weight, o->bias, source, err);
  if (st == CTG_OK && header) st = ctg__generate(&spec->params, module, "header", o->weight, o->bias, header, err);
  if (st != CTG_OK) {
    free(*source);
    *source = NULL;
    return st;
  }
  ctg__ok(err);
  return CTG_OK;
}

typedef struct text_writer {
  const char *text;
} text_writer;

static int write_text(FILE *f, void *ctx) {
  const char *t = ((text_writer *)ctx)->text;
  size_t n = strlen(t);
  return fwrite(t, 1, n, f) == n;
}

int ctg_generate_to_dir(const ctg_spec *spec, const ctg_gen_options *options, const char *dir,
                        char *written, size_t written_cap, ctg_error *err) {
  if (!spec || !dir) return ctg__fail(err, CTG_ERR_ARG, "ctg_generate_to_dir: NULL argument");
  char *source, *header;
  int st = ctg_generate(spec, options, &source, &header, err);
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
    text_writer c = { source }, h = { header };
    st = ctg__write_atomic(cpath, write_text, &c, err);
    if (st == CTG_OK) st = ctg__write_atomic(hpath, write_text, &h, err);
    if (st != CTG_OK) remove(cpath); /* a pair or nothing */
    char *estimate = NULL;
    if (st == CTG_OK && written && !cuda)
      st = ctg__generate(&spec->params, "emit_c", "estimate", options ? options->weight : NULL,
                         options ? options->bias : NULL, &estimate, err);
    if (st == CTG_OK && written)
      snprintf(written, written_cap, "%s (%zu bytes), %s (%zu bytes)%s%s", cpath, strlen(source), hpath,
               strlen(header), estimate ? "; " : "", estimate ? estimate : "");
    free(estimate);
  }
  free(cpath), free(hpath), free(source), free(header);
  return st;
}
