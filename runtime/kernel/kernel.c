/* kernel.c: kernel handles. A ctg_kernel is one caller's handle on compiled code shared through
 * the in-memory cache (code_cache.c), which may come in two tiers (tiers.c), with its own bound
 * weights: kept as given for code that reads them directly, packed once for code that reads
 * them packed (lazily, for a tier that came in after binding). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct ctg_kernel {
  ctg__code *code;
  double compile_ms;
  pthread_mutex_t pack_lock; /* packs bound weights once for a tier that came in after binding */
  int bound;
  void *weight, *bias;       /* bound weights as PyTorch stores them; NULL when only packed is kept */
  void *packed;              /* bound weights packed for the packed tier; loaded and stored atomically */
};

/* --- handles -------------------------------------------------------------------------- */

int ctg_compile(const ctg_spec *spec, const ctg_options *options, ctg_kernel **out, ctg_error *err) {
  if (!spec || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_compile: NULL argument");
  *out = NULL;
  if (options && options->backend != CTG_BACKEND_AUTO && !ctg__backend_of(options->backend))
    return ctg__fail(err, CTG_ERR_ARG, "ctg_compile: unknown backend %d", (int)options->backend);
  if (options && options->threads < 0)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_compile: threads must not be negative");
  double t0 = ctg__now_ms();
  ctg_params p = spec->params;
  if (options && options->threads > 0) p.threads = options->threads;
  ctg_kernel *k = calloc(1, sizeof *k);
  if (!k) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  int st = ctg__code_get(&p, options, &k->code, err);
  if (st != CTG_OK) {
    free(k);
    return st;
  }
  pthread_mutex_init(&k->pack_lock, NULL);
  k->compile_ms = ctg__now_ms() - t0;
  *out = k;
  ctg__ok(err);
  return CTG_OK;
}

static int forward_on(const ctg__compiled *t, const ctg_params *p, const void *input, const void *weight,
                      const void *bias, void *output, ctg_error *err) {
  if (t->backend->id != CTG_BACKEND_INTERP && (!input || !weight || !output || (p->bias && !bias)) && p->batch > 0)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_run: NULL tensor");
  return t->backend->forward(t, p, input, weight, p->bias ? bias : NULL, output, err);
}

/* The layer's params for a batch of n images: one compiled kernel serves any batch. An
 * unbatched layer's n images are n (C, H, W) tensors one after another. The C kernels index the
 * whole batch in 32 bits; the CUDA ones (images_64) only an image. The spec's own N is the
 * layer's params as they are; another N is a copy in *scratch (ctg_params is 12 KB with an int8
 * layer's per-channel tables: copied only when the batch differs). */
static int batch_params(const ctg_kernel *k, int n, int images_64, ctg_params *scratch, const ctg_params **out,
                        const char *fn, ctg_error *err) {
  if (!k) return ctg__fail(err, CTG_ERR_ARG, "%s: NULL kernel", fn);
  if (n < 0) return ctg__fail(err, CTG_ERR_ARG, "%s: batch %d is negative", fn, n);
  const ctg_params *p = &k->code->params;
  *out = p;
  if (n == p->batch) return CTG_OK;
  double in = (double)p->in_channels * p->in_h * p->in_w, outs = (double)p->out_channels * p->out_h * p->out_w;
  if ((images_64 ? 1.0 : (double)n) * (in > outs ? in : outs) > INT32_MAX)
    return ctg__fail(err, CTG_ERR_ARG, "%s: a batch of %d is more than 32-bit indexing allows for this layer", fn, n);
  *scratch = *p;
  scratch->batch = n;
  scratch->batched = 1; /* flops stays the spec's: spec.lua owns that count, and no run reads it */
  *out = scratch;
  return CTG_OK;
}

/* This call's weights, or none (bound ones): weight and bias both NULL, or weight given. */
static int check_weights(const ctg_params *p, const void *weight, const void *bias, const char *fn, ctg_error *err) {
  if (!weight && bias) return ctg__fail(err, CTG_ERR_ARG, "%s: a bias without weights (both NULL runs on bound weights)", fn);
  if (weight && p->bias && !bias) return ctg__fail(err, CTG_ERR_ARG, "%s: the layer has a bias, and bias is NULL", fn);
  return CTG_OK;
}

static void *copy_tensor(const ctg_params *p, ctg_role role, const void *v) {
  size_t bytes = ctg_params_bytes(p, role);
  void *c = malloc(bytes ? bytes : 1);
  if (c && bytes) memcpy(c, v, bytes);
  return c;
}

/* The handle's bound weights packed for tier t, packing them now if this is t's first call. */
static const void *packed_for(ctg_kernel *k, const ctg__compiled *t, ctg_error *err) {
  void *packed = __atomic_load_n(&k->packed, __ATOMIC_ACQUIRE);
  if (packed) return packed;
  pthread_mutex_lock(&k->pack_lock);
  packed = k->packed;
  if (!packed && t->backend->pack(t, &k->code->params, k->weight, k->bias, &packed, err) == CTG_OK)
    __atomic_store_n(&k->packed, packed, __ATOMIC_RELEASE);
  pthread_mutex_unlock(&k->pack_lock);
  return packed;
}

static void unbind(ctg_kernel *k) {
  const ctg__compiled *t = ctg__code_now(k->code);
  if (k->packed && t->backend->free_packed) t->backend->free_packed(t, k->packed);
  else free(k->packed);
  free(k->weight), free(k->bias);
  k->packed = k->weight = k->bias = NULL;
  k->bound = 0;
}

int ctg_kernel_bind_weights(ctg_kernel *k, const void *weight, const void *bias, ctg_error *err) {
  if (!k || !weight) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_bind_weights: NULL argument");
  const ctg_params *p = &k->code->params;
  if (p->bias && !bias) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_bind_weights: the layer has a bias");
  unbind(k);
  const ctg__compiled *t = ctg__code_now(k->code);
  int packs = t->convention == CTG__PACKED;
  /* the PyTorch-layout copy serves every tier but a packed one; an early tier needs it, and so
   * does packing for the tier that replaces it */
  if (!(packs && ctg__tiers_final(k->code))) {
    k->weight = copy_tensor(p, CTG_WEIGHT, weight);
    k->bias = p->bias ? copy_tensor(p, CTG_BIAS, bias) : NULL;
    if (!k->weight || (p->bias && !k->bias)) {
      unbind(k);
      return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
    }
  }
  if (packs) {
    int st = t->backend->pack(t, p, weight, bias, &k->packed, err);
    if (st != CTG_OK) {
      unbind(k);
      return st;
    }
  }
  k->bound = 1;
  ctg__ok(err);
  return CTG_OK;
}

static int run_on(const ctg_kernel *k, const ctg_params *p, const void *input, void *output, ctg_error *err) {
  if (!k->bound) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_run: no weights given or bound (ctg_kernel_bind_weights)");
  const ctg__compiled *t = ctg__code_now(k->code);
  if (t->convention != CTG__PACKED) return forward_on(t, p, input, k->weight, k->bias, output, err);
  if ((!input || !output) && p->batch > 0) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_run: NULL tensor");
  /* the handle is const to callers; the lazy pack is its one internal, locked mutation */
  const void *packed = packed_for((ctg_kernel *)(uintptr_t)k, t, err);
  if (!packed) return err ? (int)err->status : CTG_ERR_NOMEM;
  return t->backend->run_packed(t, p, input, packed, output, err);
}

int ctg_kernel_run(const ctg_kernel *k, int n, const void *input, const void *weight, const void *bias, void *output,
                   ctg_error *err) {
  ctg_params scratch;
  const ctg_params *pb;
  int st = batch_params(k, n, 0, &scratch, &pb, "ctg_kernel_run", err);
  if (st == CTG_OK) st = check_weights(pb, weight, bias, "ctg_kernel_run", err);
  if (st != CTG_OK) return st;
  if (weight) return forward_on(ctg__code_now(k->code), pb, input, weight, bias, output, err);
  return run_on(k, pb, input, output, err);
}

/* --- device pointers (GPU backends) --- */

int ctg_kernel_run_device(const ctg_kernel *k, int n, const void *input, const void *weight, const void *bias,
                          void *output, void *stream, ctg_error *err) {
  const char *fn = "ctg_kernel_run_device";
  ctg_params scratch;
  const ctg_params *p;
  int st = batch_params(k, n, 1, &scratch, &p, fn, err);
  if (st == CTG_OK) st = check_weights(p, weight, bias, fn, err);
  if (st != CTG_OK) return st;
  const ctg__compiled *t = ctg__code_now(k->code);
  if (!t->backend->device_run)
    return ctg__fail(err, CTG_ERR_ARG, "%s: the kernel runs on the CPU (backend %s); device pointers need nvrtc", fn,
                     t->backend->name);
  if (!weight && !k->bound) return ctg__fail(err, CTG_ERR_ARG, "%s: no weights given or bound (ctg_kernel_bind_weights)", fn);
  if (n > 0 && (!input || !output)) return ctg__fail(err, CTG_ERR_ARG, "%s: NULL tensor", fn);
  if (weight) return t->backend->device_run(t, p, input, weight, p->bias ? bias : NULL, NULL, output, stream, err);
  return t->backend->device_run(t, p, input, NULL, NULL, k->packed, output, stream, err);
}

int ctg_kernel_time_device(const ctg_kernel *k, const void *input, int reps, double *ms, ctg_error *err) {
  if (!k || !k->bound) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_time_device: a kernel with bound weights");
  return ctg__cuda_time(ctg__code_now(k->code), &k->code->params, k->packed, input, reps, ms, err);
}

ctg_backend ctg_kernel_tier(const ctg_kernel *k) {
  return k ? ctg__code_now(k->code)->backend->id : CTG_BACKEND_INTERP;
}

int ctg_kernel_wait(ctg_kernel *k, ctg_error *err) {
  if (!k) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_wait: NULL kernel");
  int st = ctg__tiers_wait(k->code, err);
  if (st != CTG_OK) return st;
  const ctg__compiled *t = ctg__code_now(k->code);
  if (k->bound && t->convention == CTG__PACKED && !packed_for(k, t, err)) return err ? (int)err->status : CTG_ERR_NOMEM;
  ctg__ok(err);
  return CTG_OK;
}

double ctg_kernel_tier_ms(const ctg_kernel *k, ctg_backend backend) { return k ? ctg__tiers_ms(k->code, backend) : -1; }

static pthread_mutex_t source_lock = PTHREAD_MUTEX_INITIALIZER;

const char *ctg_kernel_source(const ctg_kernel *k) {
  if (!k) return NULL;
  ctg__compiled *t = ctg__code_now(k->code);
  /* a cc kernel found in the disk cache was never generated here: generated on request */
  pthread_mutex_lock(&source_lock);
  const char *s = t->backend->source(t, &k->code->params);
  pthread_mutex_unlock(&source_lock);
  return s;
}

const ctg_params *ctg_kernel_params(const ctg_kernel *k) { return k ? &k->code->params : NULL; }
double ctg_kernel_compile_ms(const ctg_kernel *k) { return k ? k->compile_ms : 0; }

void ctg_kernel_free(ctg_kernel *k) {
  if (!k) return;
  unbind(k);
  pthread_mutex_destroy(&k->pack_lock);
  ctg__code_release(k->code);
  free(k);
}
