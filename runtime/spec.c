/* spec.c: spec text -> sandboxed run -> generator/spec.lua's verdict -> a ctg_spec. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SPEC_MAX_BYTES (1u << 20)

/* Normalizes the raw spec table on top of L (generator/spec.lua), prefixing a spec error with
 * chunkname once so the user knows which spec is wrong, and makes the ctg_spec. Closes L. */
static int spec_from_raw_table(lua_State *L, int st, const char *chunkname, ctg_spec **out, ctg_error *err) {
  if (st == CTG_OK) st = ctg__lua_call(L, "spec", "normalize", 1, 1, CTG_ERR_SPEC, err);
  if (st == CTG_ERR_SPEC && err) {
    size_t n = strlen(chunkname);
    if (strncmp(err->message, chunkname, n) != 0 || err->message[n] != ':') {
      char msg[sizeof err->message];
      memcpy(msg, err->message, sizeof msg);
      ctg__fail(err, CTG_ERR_SPEC, "%.200s: %.300s", chunkname, msg);
    }
  }
  ctg_spec *spec = NULL;
  if (st == CTG_OK) {
    spec = calloc(1, sizeof *spec);
    if (!spec) st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  }
  if (st == CTG_OK) st = ctg__params_from_lua(L, -1, &spec->params, err);
  ctg__lua_close(L);
  if (st != CTG_OK) {
    free(spec);
    return st;
  }
  *out = spec;
  ctg__ok(err);
  return CTG_OK;
}

static int spec_from_buffer(const char *source, size_t len, const char *chunkname, ctg_spec **out,
                            ctg_error *err) {
  lua_State *L = ctg__lua_generator(err);
  if (!L) return err ? (int)err->status : CTG_ERR_INTERNAL;
  return spec_from_raw_table(L, ctg__lua_run_spec(L, source, len, chunkname, err), chunkname, out, err);
}

void ctg_layer_init(ctg_layer *layer) {
  if (!layer) return;
  memset(layer, 0, sizeof *layer);
  layer->stride[0] = layer->stride[1] = 1;
  layer->dilation[0] = layer->dilation[1] = 1;
  layer->groups = 1;
  layer->bias = 1;
}

int ctg_spec_from_layer(const ctg_layer *layer, ctg_spec **out, ctg_error *err) {
  if (!layer || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_spec_from_layer: NULL argument");
  *out = NULL;
  lua_State *L = ctg__lua_generator(err);
  if (!L) return err ? (int)err->status : CTG_ERR_INTERNAL;
  /* the same raw table a spec file would return, so the same rules and messages apply */
  lua_createtable(L, 0, 16);
#define SET_INT(f) ctg__lua_set_int(L, #f, layer->f);
#define SET_PAIR(f) ctg__lua_set_ints(L, #f, layer->f, 2);
#define SET_BOOL(f) lua_pushboolean(L, layer->f != 0), lua_setfield(L, -2, #f);
#define SET_STRING(f) ctg__lua_set_string(L, #f, layer->f); /* NULL: left out, the spec's default */
#define SET(kind, field) SET_##kind(field)
  CTG__LAYER_FIELDS(SET)
  if (layer->input_rank != 0) {
    if (layer->input_rank != 3 && layer->input_rank != 4) {
      ctg__lua_close(L);
      return ctg__fail(err, CTG_ERR_SPEC, "layer: input_rank: expected 4 (N, C, H, W) or 3 (C, H, W), got %d",
                       layer->input_rank);
    }
    ctg__lua_set_ints(L, "input_shape", layer->input_shape, layer->input_rank);
  }
  if (layer->output_size[0] != 0 || layer->output_size[1] != 0) ctg__lua_set_ints(L, "output_size", layer->output_size, 2);
  if (layer->threads != 0) ctg__lua_set_int(L, "threads", layer->threads);
  return spec_from_raw_table(L, CTG_OK, "layer", out, err);
}

int ctg_spec_from_string(const char *source, const char *chunkname, ctg_spec **out, ctg_error *err) {
  if (!source || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_spec_from_string: NULL argument");
  *out = NULL;
  return spec_from_buffer(source, strlen(source), chunkname ? chunkname : "spec", out, err);
}

int ctg_spec_from_file(const char *path, ctg_spec **out, ctg_error *err) {
  if (!path || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_spec_from_file: NULL argument");
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return ctg__fail(err, CTG_ERR_IO, "%s: cannot open spec: %s", path, strerror(errno));
  char *buf = malloc(SPEC_MAX_BYTES + 1);
  if (!buf) {
    fclose(f);
    return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  }
  size_t len = fread(buf, 1, SPEC_MAX_BYTES + 1, f);
  int read_error = ferror(f);
  fclose(f);
  int st;
  if (read_error)
    st = ctg__fail(err, CTG_ERR_IO, "%s: cannot read spec (is it a directory?)", path);
  else if (len > SPEC_MAX_BYTES)
    st = ctg__fail(err, CTG_ERR_SPEC, "%s: spec file is larger than %u KiB", path, SPEC_MAX_BYTES >> 10);
  else
    st = spec_from_buffer(buf, len, path, out, err);
  free(buf);
  return st;
}

void ctg_spec_free(ctg_spec *spec) { free(spec); }

const ctg_params *ctg_spec_params(const ctg_spec *spec) { return spec ? &spec->params : NULL; }

int ctg_spec_describe(const ctg_spec *spec, char **text, ctg_error *err) {
  if (!spec || !text) return ctg__fail(err, CTG_ERR_ARG, "ctg_spec_describe: NULL argument");
  *text = NULL;
  lua_State *L = ctg__lua_generator(err);
  if (!L) return err ? (int)err->status : CTG_ERR_INTERNAL;
  ctg__params_push(L, &spec->params);
  int st = ctg__lua_call(L, "info", "describe", 1, 1, CTG_ERR_INTERNAL, err);
  if (st == CTG_OK) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    *text = s ? malloc(len + 1) : NULL;
    if (*text) memcpy(*text, s, len + 1);
    else st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  }
  ctg__lua_close(L);
  if (st == CTG_OK) ctg__ok(err);
  return st;
}
