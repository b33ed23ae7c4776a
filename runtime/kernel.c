/* kernel.c: compiled kernels: generate the source, hand it to a backend, run the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pthread.h>

#include "internal.h"

struct ctg_kernel {
  ctg_params params;
  ctg_backend backend;
  char *source;        /* NULL for the interpreter */
  void *state;         /* backend-owned: the TCCState, the CUDA module */
  ctg__entry entry;    /* the kernel on weights as PyTorch stores them; NULL for interp, nvrtc */
  ctg__cc_entries cc;  /* cc: run, or pack + run_packed */
  double compile_ms;
  /* ctg_kernel_bind_weights: packed weights (cc fast shape), or copies of weight and bias */
  float *bound_packed, *bound_weight, *bound_bias;
  int bound;
};

static const char *const BACKEND_NAMES[] = { "interp", "tcc", "cc", "nvrtc" };

const char *ctg_backend_name(ctg_backend backend) {
  return (unsigned)backend < 4 ? BACKEND_NAMES[backend] : "unknown";
}

int ctg_backend_from_name(const char *name, ctg_backend *out, ctg_error *err) {
  for (int i = 0; name && i < 4; i++)
    if (strcmp(name, BACKEND_NAMES[i]) == 0) {
      *out = (ctg_backend)i;
      return CTG_OK;
    }
  return ctg__fail(err, CTG_ERR_ARG, "unknown backend '%s' (expected interp, tcc, cc or nvrtc)",
                   name ? name : "(null)");
}

double ctg__now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int ctg_compile(const ctg_spec *spec, const ctg_options *options, ctg_kernel **out, ctg_error *err) {
  if (!spec || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_compile: NULL argument");
  *out = NULL;
  ctg_backend backend = options ? options->backend : CTG_BACKEND_TCC;
  if (backend != CTG_BACKEND_INTERP && backend != CTG_BACKEND_TCC && backend != CTG_BACKEND_NVRTC &&
      backend != CTG_BACKEND_CC)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_compile: unknown backend %d", (int)backend);
  double t0 = ctg__now_ms();
  ctg_kernel *k = calloc(1, sizeof *k);
  if (!k) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  k->params = spec->params;
  k->backend = backend;
  if (options && options->threads < 0) {
    free(k);
    return ctg__fail(err, CTG_ERR_ARG, "ctg_compile: threads must not be negative");
  }
  if (options && options->threads > 0) k->params.threads = options->threads;
  int st = CTG_OK;
  if (backend == CTG_BACKEND_TCC) {
    char symbol[80];
    snprintf(symbol, sizeof symbol, "%s_run", k->params.name);
    st = ctg__generate(&k->params, "emit_c", "source", NULL, NULL, &k->source, err);
    if (st == CTG_OK) st = ctg__tcc_compile(k->source, symbol, &k->state, &k->entry, err);
  } else if (backend == CTG_BACKEND_CC) {
    st = ctg__cc_compile(&k->params, options ? options->cc_flags : NULL, &k->state, &k->cc, &k->source, err);
    k->entry = k->cc.run;
  } else if (backend == CTG_BACKEND_NVRTC) {
    char *launches = NULL;
    st = ctg__generate(&k->params, "emit_cuda", "source", NULL, NULL, &k->source, err);
    if (st == CTG_OK) st = ctg__generate(&k->params, "emit_cuda", "launches", NULL, NULL, &launches, err);
    if (st == CTG_OK) st = ctg__cuda_load(k->source, launches, options ? options->arch : NULL, &k->state, err);
    free(launches);
  }
  if (st != CTG_OK) {
    ctg_kernel_free(k);
    return st;
  }
  k->compile_ms = ctg__now_ms() - t0;
  *out = k;
  ctg__ok(err);
  return CTG_OK;
}

int ctg_kernel_forward(const ctg_kernel *k, const float *input, const float *weight,
                       const float *bias, float *output, ctg_error *err) {
  if (!k) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_forward: NULL kernel");
  if (k->backend == CTG_BACKEND_INTERP) return ctg_reference(&k->params, input, weight, bias, output, err);
  const ctg_params *p = &k->params;
  if ((!input || !weight || !output || (p->bias && !bias)) && p->batch > 0)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_forward: NULL tensor");
  if (k->backend == CTG_BACKEND_NVRTC) return ctg__cuda_run(k->state, p, input, weight, bias, output, err);
  if (k->cc.run_packed) { /* unbound weights: pack them for this call */
    float *packed = NULL;
    if (posix_memalign((void **)&packed, 64, (k->cc.packed_size ? k->cc.packed_size : 1) * sizeof(float)) != 0)
      return ctg__fail(err, CTG_ERR_NOMEM, "out of memory packing %zu weights", k->cc.packed_size);
    k->cc.pack(weight, p->bias ? bias : NULL, packed);
    k->cc.run_packed(input, packed, output);
    free(packed);
  } else {
    k->entry(input, weight, p->bias ? bias : NULL, output);
  }
  ctg__ok(err);
  return CTG_OK;
}

static float *copy_floats(const float *v, size_t n) {
  float *c = malloc((n ? n : 1) * sizeof *c);
  if (c && n) memcpy(c, v, n * sizeof *c);
  return c;
}

int ctg_kernel_bind_weights(ctg_kernel *k, const float *weight, const float *bias, ctg_error *err) {
  if (!k || !weight) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_bind_weights: NULL argument");
  const ctg_params *p = &k->params;
  if (p->bias && !bias) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_bind_weights: the layer has a bias");
  free(k->bound_packed), free(k->bound_weight), free(k->bound_bias);
  k->bound_packed = k->bound_weight = k->bound_bias = NULL;
  k->bound = 0;
  if (k->cc.run_packed) {
    if (posix_memalign((void **)&k->bound_packed, 64, (k->cc.packed_size ? k->cc.packed_size : 1) * sizeof(float)) != 0)
      return ctg__fail(err, CTG_ERR_NOMEM, "out of memory packing %zu weights", k->cc.packed_size);
    k->cc.pack(weight, p->bias ? bias : NULL, k->bound_packed);
  } else {
    k->bound_weight = copy_floats(weight, ctg_params_numel(p, CTG_WEIGHT));
    k->bound_bias = p->bias ? copy_floats(bias, ctg_params_numel(p, CTG_BIAS)) : NULL;
    if (!k->bound_weight || (p->bias && !k->bound_bias)) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  }
  k->bound = 1;
  ctg__ok(err);
  return CTG_OK;
}

int ctg_kernel_run(const ctg_kernel *k, const float *input, float *output, ctg_error *err) {
  if (!k) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_run: NULL kernel");
  if (!k->bound) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_run: no weights bound (ctg_kernel_bind_weights)");
  if (!k->bound_packed) return ctg_kernel_forward(k, input, k->bound_weight, k->bound_bias, output, err);
  if ((!input || !output) && k->params.batch > 0) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_run: NULL tensor");
  k->cc.run_packed(input, k->bound_packed, output);
  ctg__ok(err);
  return CTG_OK;
}

static pthread_mutex_t source_lock = PTHREAD_MUTEX_INITIALIZER;

const char *ctg_kernel_source(const ctg_kernel *k) {
  if (!k || k->backend == CTG_BACKEND_INTERP) return NULL;
  /* a cc kernel found in the cache was never generated here: generate it on request */
  pthread_mutex_lock(&source_lock);
  char **source = &((ctg_kernel *)(uintptr_t)k)->source;
  if (!k->source && k->cc.run_packed) ctg__generate(&k->params, "emit_c", "source_fast", NULL, NULL, source, NULL);
  if (!k->source) ctg__generate(&k->params, "emit_c", "source", NULL, NULL, source, NULL);
  pthread_mutex_unlock(&source_lock);
  return k->source;
}
const ctg_params *ctg_kernel_params(const ctg_kernel *k) { return k ? &k->params : NULL; }
double ctg_kernel_compile_ms(const ctg_kernel *k) { return k ? k->compile_ms : 0; }

void ctg_kernel_free(ctg_kernel *k) {
  if (!k) return;
  if (k->backend == CTG_BACKEND_TCC) ctg__tcc_free(k->state);
  if (k->backend == CTG_BACKEND_NVRTC) ctg__cuda_free(k->state);
  if (k->backend == CTG_BACKEND_CC) ctg__cc_free(k->state);
  free(k->bound_packed), free(k->bound_weight), free(k->bound_bias);
  free(k->source);
  free(k);
}
