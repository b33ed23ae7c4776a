/* code_cache.c: the in-memory cache of compiled code. The same normalized layer with the same
 * options gets the code already compiled (or being compiled, by another thread), shared and
 * reference-counted; a failed build is not kept, so the next compile tries again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cache_ready = PTHREAD_COND_INITIALIZER; /* some code's first tier finished */
static ctg__code *cache_list;

ctg__compiled *ctg__code_now(const ctg__code *c) { return __atomic_load_n(&c->now, __ATOMIC_ACQUIRE); }

static void code_free(ctg__code *c) {
  ctg__tiers_free(c);
  pthread_mutex_destroy(&c->lock);
  pthread_cond_destroy(&c->done);
  free(c->key);
  free(c->cc_flags);
  free(c->arch);
  free(c);
}

static void cache_unlink(ctg__code *c) {
  for (ctg__code **at = &cache_list; *at; at = &(*at)->next)
    if (*at == c) {
      *at = c->next;
      return;
    }
}

void ctg__code_release(ctg__code *c) {
  pthread_mutex_lock(&cache_lock);
  int last = --c->refs == 0;
  if (last) cache_unlink(c);
  pthread_mutex_unlock(&cache_lock);
  if (last) code_free(c);
}

/* A copy of s, or NULL for NULL; *failed set when the copy could not be made. */
static char *copy_option(const char *s, int *failed) {
  if (!s) return NULL;
  char *c = strdup(s);
  if (!c) *failed = 1;
  return c;
}

int ctg__code_get(const ctg_params *p, const ctg_options *o, ctg__code **out, ctg_error *err) {
  ctg_backend backend = o ? o->backend : CTG_BACKEND_TCC;
  char layer[1024];
  ctg__params_key(layer, sizeof layer, p);
  const char *arch = o && o->arch ? o->arch : "", *flags = o && o->cc_flags ? o->cc_flags : "";
  size_t klen = strlen(layer) + strlen(arch) + strlen(flags) + 64;
  char *key = malloc(klen);
  if (!key) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  snprintf(key, klen, "%s | backend %d | arch %s | device %d | flags %s", layer, (int)backend, arch,
           o && backend == CTG_BACKEND_NVRTC ? o->device : 0, flags);

  pthread_mutex_lock(&cache_lock);
  ctg__code *c = cache_list;
  while (c && strcmp(c->key, key) != 0) c = c->next;
  if (c) {
    free(key);
    c->refs++;
    while (!c->ready) pthread_cond_wait(&cache_ready, &cache_lock);
    int st = c->status;
    if (st != CTG_OK && err) *err = c->error;
    pthread_mutex_unlock(&cache_lock);
    if (st != CTG_OK) {
      ctg__code_release(c);
      return st;
    }
    *out = c;
    return CTG_OK;
  }
  int failed = 0;
  c = calloc(1, sizeof *c);
  if (c) {
    c->cc_flags = copy_option(o ? o->cc_flags : NULL, &failed);
    c->arch = copy_option(o ? o->arch : NULL, &failed);
  }
  if (!c || failed) {
    pthread_mutex_unlock(&cache_lock);
    if (c) free(c->cc_flags), free(c->arch);
    free(c);
    free(key);
    return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  }
  c->key = key;
  c->refs = 1;
  c->params = *p;
  c->backend = backend;
  c->device = o ? o->device : 0;
  pthread_mutex_init(&c->lock, NULL);
  pthread_cond_init(&c->done, NULL);
  c->next = cache_list;
  cache_list = c;
  pthread_mutex_unlock(&cache_lock);

  ctg_error e;
  ctg__ok(&e);
  int st = ctg__tiers_build(c, &e);

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
    ctg__code_release(c);
    return st;
  }
  *out = c;
  return CTG_OK;
}
