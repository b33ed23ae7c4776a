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
  ctg__entry entry;    /* NULL for the interpreter */
  double compile_ms;
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
  int st = CTG_OK;
  if (backend == CTG_BACKEND_TCC) {
    char symbol[80];
    snprintf(symbol, sizeof symbol, "%s_run", k->params.name);
    st = ctg__generate(&k->params, "emit_c", "source", NULL, NULL, &k->source, err);
    if (st == CTG_OK) st = ctg__tcc_compile(k->source, symbol, &k->state, &k->entry, err);
  } else if (backend == CTG_BACKEND_CC) {
    char symbol[80];
    snprintf(symbol, sizeof symbol, "%s_run", k->params.name);
    st = ctg__cc_compile(&k->params, symbol, options ? options->cc_flags : NULL, &k->state, &k->entry,
                         &k->source, err);
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
  k->entry(input, weight, p->bias ? bias : NULL, output);
  ctg__ok(err);
  return CTG_OK;
}

static pthread_mutex_t source_lock = PTHREAD_MUTEX_INITIALIZER;

const char *ctg_kernel_source(const ctg_kernel *k) {
  if (!k || k->backend == CTG_BACKEND_INTERP) return NULL;
  /* a cc kernel found in the cache was never generated here: generate it on request */
  pthread_mutex_lock(&source_lock);
  if (!k->source) ctg__generate(&k->params, "emit_c", "source", NULL, NULL, &((ctg_kernel *)(uintptr_t)k)->source, NULL);
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
  free(k->source);
  free(k);
}
