/* kernel.c: compiled kernels. Generated source goes to a backend; the compiled code is kept in an
 * in-memory cache, shared and reference-counted, and may come in two tiers (auto: tcc at once,
 * cc from a background thread, switched in atomically). A ctg_kernel is one caller's handle on
 * that code, with its own bound weights. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pthread.h>
#include <unistd.h>

#include "internal.h"

/* One compiled form of a layer. Written once before it is published, read-only after. */
typedef struct tier {
  ctg_backend backend;
  char *source;        /* NULL for the interpreter, and for a cc cache hit until asked for */
  void *state;         /* backend-owned: the TCCState, the dlopen handle, the CUDA module */
  ctg__entry entry;    /* weights as PyTorch stores them; NULL for interp, nvrtc, packed cc */
  ctg__cc_entries cc;  /* cc: run, or pack + run_packed */
  double build_ms;
} tier;

/* The compiled code for one normalized layer and one set of options. */
typedef struct code {
  struct code *next;   /* the cache list; under cache_lock */
  char *key;
  int refs;            /* handles (and builders) holding it; under cache_lock */
  int ready;           /* the first tier is built, or failed; under cache_lock */
  int status;          /* the first tier's build: CTG_OK or its error, with message */
  ctg_error error;
  ctg_params params;
  char *cc_flags;
  tier tiers[2];       /* [0]: the first tier; [1]: the background (cc) tier of auto */
  tier *now;           /* the tier calls run on; loaded and stored atomically */
  /* the background build */
  pthread_mutex_t lock;
  pthread_cond_t done;
  int has_thread;
  pthread_t thread;
  int pending;         /* under lock */
  int bg_status;       /* under lock */
  ctg_error bg_error;
} code;

struct ctg_kernel {
  code *code;
  double compile_ms;
  pthread_mutex_t pack_lock; /* packs bound weights once for a tier that came in after binding */
  int bound;
  void *weight, *bias;       /* bound weights as PyTorch stores them; NULL when only packed is kept */
  float *packed;             /* bound weights packed for the cc tier; loaded and stored atomically */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cache_ready = PTHREAD_COND_INITIALIZER; /* some code's first tier finished */
static code *cache_list;

static tier *tier_now(const code *c) { return __atomic_load_n(&c->now, __ATOMIC_ACQUIRE); }

static const char *const BACKEND_NAMES[] = { "interp", "tcc", "cc", "nvrtc", "auto" };
#define BACKEND_COUNT 5

const char *ctg_backend_name(ctg_backend backend) {
  return (unsigned)backend < BACKEND_COUNT ? BACKEND_NAMES[backend] : "unknown";
}

int ctg_backend_from_name(const char *name, ctg_backend *out, ctg_error *err) {
  for (int i = 0; name && i < BACKEND_COUNT; i++)
    if (strcmp(name, BACKEND_NAMES[i]) == 0) {
      *out = (ctg_backend)i;
      return CTG_OK;
    }
  return ctg__fail(err, CTG_ERR_ARG, "unknown backend '%s' (expected interp, tcc, cc, nvrtc or auto)",
                   name ? name : "(null)");
}

double ctg__now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* --- building tiers ------------------------------------------------------------------- */

static int build_tcc(tier *t, const ctg_params *p, ctg_error *err) {
  char symbol[80];
  snprintf(symbol, sizeof symbol, "%s_run", p->name);
  t->backend = CTG_BACKEND_TCC;
  int st = ctg__generate(p, "emit_c", "source_jit", NULL, NULL, &t->source, err);
  if (st == CTG_OK) st = ctg__tcc_compile(t->source, symbol, &t->state, &t->entry, err);
  return st;
}

static int build_cc(tier *t, const ctg_params *p, const char *flags, int probe, ctg_error *err) {
  t->backend = CTG_BACKEND_CC;
  int st = ctg__cc_compile(p, flags, probe, &t->state, &t->cc, &t->source, err);
  t->entry = t->cc.run;
  return st;
}

static int build_nvrtc(tier *t, const ctg_params *p, const char *arch, ctg_error *err) {
  char *launches = NULL;
  t->backend = CTG_BACKEND_NVRTC;
  int st = ctg__generate(p, "emit_cuda", "source", NULL, NULL, &t->source, err);
  if (st == CTG_OK) st = ctg__generate(p, "emit_cuda", "launches", NULL, NULL, &launches, err);
  if (st == CTG_OK) st = ctg__cuda_load(t->source, launches, arch, &t->state, err);
  free(launches);
  return st;
}

static void tier_free(tier *t) {
  if (t->backend == CTG_BACKEND_TCC) ctg__tcc_free(t->state);
  if (t->backend == CTG_BACKEND_NVRTC) ctg__cuda_free(t->state);
  if (t->backend == CTG_BACKEND_CC) ctg__cc_free(t->state);
  free(t->source);
  memset(t, 0, sizeof *t);
}

/* Background compilers at once, at most one per CPU: a model of fifty layers must not start
 * fifty compilers, and the first layers switch sooner when they do not share the CPUs. */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_free = PTHREAD_COND_INITIALIZER;
static int slots_busy;

static void slot_take(void) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  int max = cpus < 1 ? 1 : cpus > 64 ? 64 : (int)cpus;
  pthread_mutex_lock(&slots_lock);
  while (slots_busy >= max) pthread_cond_wait(&slot_free, &slots_lock);
  slots_busy++;
  pthread_mutex_unlock(&slots_lock);
}

static void slot_give(void) {
  pthread_mutex_lock(&slots_lock);
  slots_busy--;
  pthread_cond_signal(&slot_free);
  pthread_mutex_unlock(&slots_lock);
}

/* The background thread of auto: builds the cc tier, then publishes it in one atomic store.
 * build_ms counts from the start of the build, not the wait for a slot. */
static void *build_in_background(void *arg) {
  code *c = arg;
  tier *t = &c->tiers[1];
  ctg_error e;
  slot_take();
  double t0 = ctg__now_ms();
  int st = build_cc(t, &c->params, c->cc_flags, 0, &e);
  t->build_ms = ctg__now_ms() - t0;
  slot_give();
  if (st == CTG_OK) __atomic_store_n(&c->now, t, __ATOMIC_RELEASE);
  else tier_free(t);
  pthread_mutex_lock(&c->lock);
  c->pending = 0;
  c->bg_status = st;
  if (st != CTG_OK) c->bg_error = e;
  pthread_cond_broadcast(&c->done);
  pthread_mutex_unlock(&c->lock);
  return NULL;
}

/* Builds the first tier of c (and, for auto, starts the background one). */
static int build_code(code *c, const ctg_options *o, ctg_error *err) {
  ctg_backend backend = o ? o->backend : CTG_BACKEND_TCC;
  tier *t = &c->tiers[0];
  double t0 = ctg__now_ms();
  int st = CTG_OK;
  switch (backend) {
    case CTG_BACKEND_INTERP: t->backend = CTG_BACKEND_INTERP; break;
    case CTG_BACKEND_TCC: st = build_tcc(t, &c->params, err); break;
    case CTG_BACKEND_CC: st = build_cc(t, &c->params, c->cc_flags, 0, err); break;
    case CTG_BACKEND_NVRTC: st = build_nvrtc(t, &c->params, o ? o->arch : NULL, err); break;
    case CTG_BACKEND_AUTO:
      /* seen before (this process or an earlier one): the final tier is one dlopen away */
      if (build_cc(t, &c->params, c->cc_flags, 1, NULL) == CTG_OK) break;
      tier_free(t);
      st = build_tcc(t, &c->params, err);
      if (st == CTG_ERR_UNAVAILABLE) { /* a build without libtcc: the interpreter is the early tier */
        tier_free(t);
        t->backend = CTG_BACKEND_INTERP;
        st = CTG_OK;
      }
      if (st != CTG_OK) break;
      c->pending = 1;
      if (pthread_create(&c->thread, NULL, build_in_background, c) != 0) {
        c->pending = 0;
        st = ctg__fail(err, CTG_ERR_NOMEM, "ctg_compile: cannot start the background build thread");
      } else {
        c->has_thread = 1;
      }
      break;
  }
  t->build_ms = ctg__now_ms() - t0;
  if (st == CTG_OK) __atomic_store_n(&c->now, t, __ATOMIC_RELEASE);
  return st;
}

static void code_free(code *c) {
  if (c->has_thread) pthread_join(c->thread, NULL);
  tier_free(&c->tiers[0]);
  tier_free(&c->tiers[1]);
  pthread_mutex_destroy(&c->lock);
  pthread_cond_destroy(&c->done);
  free(c->key);
  free(c->cc_flags);
  free(c);
}

static void cache_unlink(code *c) {
  for (code **at = &cache_list; *at; at = &(*at)->next)
    if (*at == c) {
      *at = c->next;
      return;
    }
}

static void code_release(code *c) {
  pthread_mutex_lock(&cache_lock);
  int last = --c->refs == 0;
  if (last) cache_unlink(c);
  pthread_mutex_unlock(&cache_lock);
  if (last) code_free(c);
}

/* Finds c in the cache or makes and builds it; one builder per key, the others wait for it. */
static int code_get(const ctg_params *p, const ctg_options *o, code **out, ctg_error *err) {
  ctg_backend backend = o ? o->backend : CTG_BACKEND_TCC;
  char layer[1024];
  ctg__params_key(layer, sizeof layer, p);
  const char *arch = o && o->arch ? o->arch : "", *flags = o && o->cc_flags ? o->cc_flags : "";
  size_t klen = strlen(layer) + strlen(arch) + strlen(flags) + 64;
  char *key = malloc(klen);
  if (!key) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  snprintf(key, klen, "%s | backend %d | arch %s | flags %s", layer, (int)backend, arch, flags);

  pthread_mutex_lock(&cache_lock);
  code *c = cache_list;
  while (c && strcmp(c->key, key) != 0) c = c->next;
  if (c) {
    free(key);
    c->refs++;
    while (!c->ready) pthread_cond_wait(&cache_ready, &cache_lock);
    int st = c->status;
    if (st != CTG_OK && err) *err = c->error;
    pthread_mutex_unlock(&cache_lock);
    if (st != CTG_OK) {
      code_release(c);
      return st;
    }
    *out = c;
    return CTG_OK;
  }
  c = calloc(1, sizeof *c);
  if (!c || (o && o->cc_flags && !(c->cc_flags = strdup(o->cc_flags)))) {
    pthread_mutex_unlock(&cache_lock);
    free(c);
    free(key);
    return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  }
  c->key = key;
  c->refs = 1;
  c->params = *p;
  pthread_mutex_init(&c->lock, NULL);
  pthread_cond_init(&c->done, NULL);
  c->next = cache_list;
  cache_list = c;
  pthread_mutex_unlock(&cache_lock);

  ctg_error e;
  ctg__ok(&e);
  int st = build_code(c, o, &e);

  pthread_mutex_lock(&cache_lock);
  c->ready = 1;
  c->status = st;
  if (st != CTG_OK) {
    c->error = e;
    if (err) *err = e;
    cache_unlink(c); /* a later compile tries again */
  }
  pthread_cond_broadcast(&cache_ready);
  pthread_mutex_unlock(&cache_lock);
  if (st != CTG_OK) {
    code_release(c);
    return st;
  }
  *out = c;
  return CTG_OK;
}

/* --- handles -------------------------------------------------------------------------- */

int ctg_compile(const ctg_spec *spec, const ctg_options *options, ctg_kernel **out, ctg_error *err) {
  if (!spec || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_compile: NULL argument");
  *out = NULL;
  if (options && (unsigned)options->backend >= BACKEND_COUNT)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_compile: unknown backend %d", (int)options->backend);
  if (options && options->threads < 0)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_compile: threads must not be negative");
  double t0 = ctg__now_ms();
  ctg_params p = spec->params;
  if (options && options->threads > 0) p.threads = options->threads;
  ctg_kernel *k = calloc(1, sizeof *k);
  if (!k) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  int st = code_get(&p, options, &k->code, err);
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

static int forward_on(const tier *t, const ctg_params *p, const void *input, const void *weight,
                      const void *bias, void *output, ctg_error *err) {
  if (t->backend == CTG_BACKEND_INTERP) return ctg_reference(p, input, weight, bias, output, err);
  if ((!input || !weight || !output || (p->bias && !bias)) && p->batch > 0)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_forward: NULL tensor");
  if (t->backend == CTG_BACKEND_NVRTC) return ctg__cuda_run(t->state, p, input, weight, bias, output, err);
  if (t->cc.run_packed) { /* unbound weights: pack them for this call */
    float *packed = NULL;
    if (posix_memalign((void **)&packed, 64, (t->cc.packed_size ? t->cc.packed_size : 1) * sizeof(float)) != 0)
      return ctg__fail(err, CTG_ERR_NOMEM, "out of memory packing %zu weights", t->cc.packed_size);
    t->cc.pack(weight, p->bias ? bias : NULL, packed);
    t->cc.run_packed(input, packed, output);
    free(packed);
  } else {
    t->entry(input, weight, p->bias ? bias : NULL, output);
  }
  ctg__ok(err);
  return CTG_OK;
}

int ctg_kernel_forward(const ctg_kernel *k, const void *input, const void *weight,
                       const void *bias, void *output, ctg_error *err) {
  if (!k) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_forward: NULL kernel");
  return forward_on(tier_now(k->code), &k->code->params, input, weight, bias, output, err);
}

static void *copy_tensor(const ctg_params *p, ctg_role role, const void *v) {
  size_t bytes = ctg_params_numel(p, role) * ctg_dtype_size(ctg_params_dtype(p));
  void *c = malloc(bytes ? bytes : 1);
  if (c && bytes) memcpy(c, v, bytes);
  return c;
}

/* The handle's bound weights packed for tier t, packing them now if this is t's first call. */
static const float *packed_for(ctg_kernel *k, const tier *t, ctg_error *err) {
  float *packed = __atomic_load_n(&k->packed, __ATOMIC_ACQUIRE);
  if (packed) return packed;
  pthread_mutex_lock(&k->pack_lock);
  packed = k->packed;
  if (!packed && posix_memalign((void **)&packed, 64, (t->cc.packed_size ? t->cc.packed_size : 1) * sizeof(float)) == 0) {
    t->cc.pack(k->weight, k->bias, packed);
    __atomic_store_n(&k->packed, packed, __ATOMIC_RELEASE);
  } else if (!packed) {
    packed = NULL;
    ctg__fail(err, CTG_ERR_NOMEM, "out of memory packing %zu weights", t->cc.packed_size);
  }
  pthread_mutex_unlock(&k->pack_lock);
  return packed;
}

static void unbind(ctg_kernel *k) {
  free(k->packed), free(k->weight), free(k->bias);
  k->packed = k->weight = k->bias = NULL;
  k->bound = 0;
}

int ctg_kernel_bind_weights(ctg_kernel *k, const void *weight, const void *bias, ctg_error *err) {
  if (!k || !weight) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_bind_weights: NULL argument");
  const ctg_params *p = &k->code->params;
  if (p->bias && !bias) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_bind_weights: the layer has a bias");
  unbind(k);
  const tier *t = tier_now(k->code);
  pthread_mutex_lock(&k->code->lock);
  int final = !k->code->pending;
  pthread_mutex_unlock(&k->code->lock);
  /* the PyTorch-layout copy serves every tier but a packed one; an early tier needs it, and so
   * does packing for the tier that replaces it */
  if (!(final && t->cc.run_packed)) {
    k->weight = copy_tensor(p, CTG_WEIGHT, weight);
    k->bias = p->bias ? copy_tensor(p, CTG_BIAS, bias) : NULL;
    if (!k->weight || (p->bias && !k->bias)) {
      unbind(k);
      return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
    }
  }
  if (t->cc.run_packed) {
    float *packed = NULL;
    if (posix_memalign((void **)&packed, 64, (t->cc.packed_size ? t->cc.packed_size : 1) * sizeof(float)) != 0) {
      unbind(k);
      return ctg__fail(err, CTG_ERR_NOMEM, "out of memory packing %zu weights", t->cc.packed_size);
    }
    t->cc.pack(weight, p->bias ? bias : NULL, packed);
    k->packed = packed;
  }
  k->bound = 1;
  ctg__ok(err);
  return CTG_OK;
}

int ctg_kernel_run(const ctg_kernel *k, const void *input, void *output, ctg_error *err) {
  if (!k) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_run: NULL kernel");
  if (!k->bound) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_run: no weights bound (ctg_kernel_bind_weights)");
  const tier *t = tier_now(k->code);
  if (!t->cc.run_packed) return forward_on(t, &k->code->params, input, k->weight, k->bias, output, err);
  if ((!input || !output) && k->code->params.batch > 0) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_run: NULL tensor");
  /* the handle is const to callers; the lazy pack is its one internal, locked mutation */
  const float *packed = packed_for((ctg_kernel *)(uintptr_t)k, t, err);
  if (!packed) return err ? (int)err->status : CTG_ERR_NOMEM;
  t->cc.run_packed(input, packed, output);
  ctg__ok(err);
  return CTG_OK;
}

ctg_backend ctg_kernel_tier(const ctg_kernel *k) { return k ? tier_now(k->code)->backend : CTG_BACKEND_INTERP; }

int ctg_kernel_wait(ctg_kernel *k, ctg_error *err) {
  if (!k) return ctg__fail(err, CTG_ERR_ARG, "ctg_kernel_wait: NULL kernel");
  code *c = k->code;
  pthread_mutex_lock(&c->lock);
  while (c->pending) pthread_cond_wait(&c->done, &c->lock);
  int st = c->bg_status;
  if (st != CTG_OK && err) *err = c->bg_error;
  pthread_mutex_unlock(&c->lock);
  if (st != CTG_OK) return st;
  const tier *t = tier_now(c);
  if (k->bound && t->cc.run_packed && !packed_for(k, t, err)) return err ? (int)err->status : CTG_ERR_NOMEM;
  ctg__ok(err);
  return CTG_OK;
}

double ctg_kernel_tier_ms(const ctg_kernel *k, ctg_backend backend) {
  if (!k) return -1;
  code *c = k->code;
  if (c->tiers[0].backend == backend) return c->tiers[0].build_ms;
  double ms = -1;
  pthread_mutex_lock(&c->lock);
  if (c->has_thread && !c->pending && c->bg_status == CTG_OK && c->tiers[1].backend == backend)
    ms = c->tiers[1].build_ms;
  pthread_mutex_unlock(&c->lock);
  return ms;
}

static pthread_mutex_t source_lock = PTHREAD_MUTEX_INITIALIZER;

const char *ctg_kernel_source(const ctg_kernel *k) {
  if (!k) return NULL;
  tier *t = tier_now(k->code);
  if (t->backend == CTG_BACKEND_INTERP) return NULL;
  /* a cc kernel found in the cache was never generated here: generate it on request */
  pthread_mutex_lock(&source_lock);
  const ctg_params *p = &k->code->params;
  if (!t->source) ctg__generate(p, "emit_c", "source_fast", NULL, NULL, &t->source, NULL);
  if (t->source && !t->source[0]) { /* the fast shapes do not suit this layer: the cc build used the plain one */
    free(t->source);
    t->source = NULL;
  }
  if (!t->source) ctg__generate(p, "emit_c", "source", NULL, NULL, &t->source, NULL);
  const char *s = t->source;
  pthread_mutex_unlock(&source_lock);
  return s;
}

const ctg_params *ctg_kernel_params(const ctg_kernel *k) { return k ? &k->code->params : NULL; }
double ctg_kernel_compile_ms(const ctg_kernel *k) { return k ? k->compile_ms : 0; }

void ctg_kernel_free(ctg_kernel *k) {
  if (!k) return;
  unbind(k);
  pthread_mutex_destroy(&k->pack_lock);
  code_release(k->code);
  free(k);
}
