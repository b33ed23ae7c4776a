/* spec.c: spec text -> sandboxed run -> generator/spec.lua's verdict -> a ctg_spec. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SPEC_MAX_BYTES (1u << 20)

/* One spec's way from its source (text or a ctg_layer) to the normalized params, all of it
 * inside one protected call on a generator state. */
typedef struct spec_job {
  const char *source;     /* spec text, or NULL for layer */
  size_t len;
  const ctg_layer *layer;
  const char *chunkname;
  ctg_params params;
  ctg_error *err;
} spec_job;

/* The raw table a spec file would return, made from a ctg_layer, so the same rules and
 * messages apply. */
static void push_layer_table(lua_State *L, const ctg_layer *layer) {
  lua_createtable(L, 0, 16);
#define SET_INT(f) ctg__lua_set_int(L, #f, layer->f);
#define SET_PAIR(f) ctg__lua_set_ints(L, #f, layer->f, 2);
#define SET_BOOL(f) lua_pushboolean(L, layer->f != 0), lua_setfield(L, -2, #f);
#define SET_STRING(f) ctg__lua_set_string(L, #f, layer->f); /* NULL: left out, the spec's default */
#define SET(kind, field) SET_##kind(field)
  CTG__LAYER_FIELDS(SET)
  if (layer->padding_end[0] >= 0 || layer->padding_end[1] >= 0) { /* asymmetric: ONNX's begin/end order */
    const int pads[4] = { layer->padding[0], layer->padding[1], layer->padding_end[0], layer->padding_end[1] };
    ctg__lua_set_ints(L, "padding", pads, 4);
  } else {
    ctg__lua_set_ints(L, "padding", layer->padding, 2);
  }
  if (layer->input_rank != 0) ctg__lua_set_ints(L, "input_shape", layer->input_shape, layer->input_rank);
  if (layer->output_size[0] != 0 || layer->output_size[1] != 0) ctg__lua_set_ints(L, "output_size", layer->output_size, 2);
  if (layer->threads != 0) ctg__lua_set_int(L, "threads", layer->threads);
  if (layer->tflite_padding) { /* output_size decides the output: output_padding is not the layer's */
    ctg__lua_set_string(L, "padding", layer->tflite_padding);
    lua_pushnil(L);
    lua_setfield(L, -2, "output_padding");
  }
  if (layer->quantization) { /* the spec key's table: spec.lua checks it and derives the rest */
    const ctg_quantization *q = layer->quantization;
    int n = q->channels < 0 ? 0 : q->channels > CTG_QUANT_MAX_CHANNELS ? CTG_QUANT_MAX_CHANNELS : q->channels;
    lua_createtable(L, 0, 5);
    /* the fields a spec gives (generator/schema.lua); one weight scale goes as a number */
#define GIVE_NUM(f) lua_pushnumber(L, q->f), lua_setfield(L, -2, #f);
#define GIVE_INT(f) ctg__lua_set_int(L, #f, q->f);
#define GIVE_FLOATS(f)                                          \
  if (n == 1) lua_pushnumber(L, q->f[0]), lua_setfield(L, -2, #f); \
  else ctg__lua_set_list(L, #f, n, q->f, NULL);
#define GIVE_INT32S(f) /* no spec key is one */
#define GIVE_1(kind, f) GIVE_##kind(f)
#define GIVE_0(kind, f)
#define GIVE(kind, f, given) GIVE_##given(kind, f)
    CTG__QUANT_FIELDS(GIVE)
    lua_setfield(L, -2, "quantization");
  }
  if (layer->activation) { /* {name, parameters...}: spec.lua says which count a name takes */
    int args = ctg__activation_args(layer->activation);
    lua_createtable(L, 1 + args, 0);
    lua_pushstring(L, layer->activation);
    lua_rawseti(L, -2, 1);
    for (int i = 0; i < args; i++) {
      lua_pushnumber(L, layer->activation_args[i]);
      lua_rawseti(L, -2, i + 2);
    }
    lua_setfield(L, -2, "activation");
  }
}

static int normalize_spec(lua_State *L, void *ud) {
  spec_job *job = ud;
  if (job->source) {
    int st = ctg__lua_run_spec(L, job->source, job->len, job->chunkname, job->err);
    if (st != CTG_OK) return st;
  } else {
    push_layer_table(L, job->layer);
  }
  ctg__lua_require_call(L, "spec", "normalize", 1, 1);
  return ctg__params_from_lua(L, -1, &job->params, job->err);
}

/* Normalizes the spec, prefixing a spec error with chunkname once so the user knows which
 * spec is wrong, and makes the ctg_spec. */
static int spec_from_job(spec_job *job, ctg_spec **out, ctg_error *err) {
  lua_State *L = ctg__lua_generator(err);
  if (!L) return err ? (int)err->status : CTG_ERR_INTERNAL;
  int st = ctg__lua_protected(L, normalize_spec, job, CTG_ERR_SPEC, err);
  ctg__lua_close(L);
  if (st == CTG_ERR_SPEC && err) {
    size_t n = strlen(job->chunkname);
    if (strncmp(err->message, job->chunkname, n) != 0 || err->message[n] != ':') {
      char msg[sizeof err->message];
      memcpy(msg, err->message, sizeof msg);
      ctg__fail(err, CTG_ERR_SPEC, "%.200s: %.300s", job->chunkname, msg);
    }
  }
  if (st != CTG_OK) return st;
  ctg_spec *spec = calloc(1, sizeof *spec);
  if (!spec) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  spec->params = job->params;
  *out = spec;
  ctg__ok(err);
  return CTG_OK;
}

static int spec_from_buffer(const char *source, size_t len, const char *chunkname, ctg_spec **out,
                            ctg_error *err) {
  spec_job job = { .source = source, .len = len, .chunkname = chunkname, .err = err };
  return spec_from_job(&job, out, err);
}

void ctg_layer_init(ctg_layer *layer) {
  if (!layer) return;
  memset(layer, 0, sizeof *layer);
#define DEFAULT_INT(f, v) layer->f = v;
#define DEFAULT_BOOL(f, v) layer->f = v;
#define DEFAULT_PAIR(f, v) layer->f[0] = layer->f[1] = v;
#define DEFAULT(kind, f, v) DEFAULT_##kind(f, v)
  CTG__LAYER_DEFAULTS(DEFAULT) /* generator/schema.lua's, PyTorch's */
#undef DEFAULT
  layer->padding_end[0] = layer->padding_end[1] = -1; /* as padding (a rule of spec.c's, not a key) */
}

int ctg_spec_from_layer(const ctg_layer *layer, ctg_spec **out, ctg_error *err) {
  if (!layer || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_spec_from_layer: NULL argument");
  *out = NULL;
  if (layer->input_rank != 0 && layer->input_rank != 3 && layer->input_rank != 4)
    return ctg__fail(err, CTG_ERR_SPEC, "layer: input_rank: expected 4 (N, C, H, W) or 3 (C, H, W), got %d",
                     layer->input_rank);
  spec_job job = { .layer = layer, .chunkname = "layer", .err = err };
  return spec_from_job(&job, out, err);
}

int ctg_spec_from_string(const char *source, const char *chunkname, ctg_spec **out, ctg_error *err) {
  if (!source || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_spec_from_string: NULL argument");
  *out = NULL;
  return spec_from_buffer(source, strlen(source), chunkname ? chunkname : "spec", out, err);
}

int ctg_spec_from_file(const char *path, ctg_spec **out, ctg_error *err) {
  if (!path || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_spec_from_file: NULL argument");
  *out = NULL;
  FILE *f;
  int opened = ctg__open_regular(path, "spec", &f, err);
  if (opened != CTG_OK) return opened;
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

int ctg_spec_tensor(const ctg_spec *spec, ctg_role role, ctg_tensor_info *out, ctg_error *err) {
  if (!spec || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_spec_tensor: NULL argument");
  if ((unsigned)role > CTG_OUTPUT) return ctg__fail(err, CTG_ERR_ARG, "ctg_spec_tensor: unknown role %d", (int)role);
  memset(out, 0, sizeof *out);
  out->dtype = ctg_params_tensor_dtype(&spec->params, role);
  out->ndim = ctg_params_shape(&spec->params, role, out->shape);
  out->numel = ctg_params_numel(&spec->params, role);
  out->bytes = ctg_params_bytes(&spec->params, role);
  ctg__ok(err);
  return CTG_OK;
}

typedef struct describe_job {
  const ctg_params *params;
  char *text;
} describe_job;

static int describe_layer(lua_State *L, void *ud) {
  describe_job *job = ud;
  ctg__params_push(L, job->params);
  ctg__lua_require_call(L, "info", "describe", 1, 1);
  size_t len;
  const char *s = lua_tolstring(L, -1, &len);
  if (s && (job->text = malloc(len + 1))) memcpy(job->text, s, len + 1);
  return CTG_OK;
}

int ctg_spec_describe(const ctg_spec *spec, char **text, ctg_error *err) {
  if (!spec || !text) return ctg__fail(err, CTG_ERR_ARG, "ctg_spec_describe: NULL argument");
  *text = NULL;
  lua_State *L = ctg__lua_generator(err);
  if (!L) return err ? (int)err->status : CTG_ERR_INTERNAL;
  describe_job job = { &spec->params, NULL };
  int st = ctg__lua_protected(L, describe_layer, &job, CTG_ERR_INTERNAL, err);
  ctg__lua_close(L);
  if (st == CTG_OK && !job.text) st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  if (st != CTG_OK) {
    free(job.text);
    return st;
  }
  *text = job.text;
  ctg__ok(err);
  return CTG_OK;
}
