/* tiers.c: building the tiers of some compiled code. One backend builds one tier; auto builds
 * tcc at once (the interpreter in a build without libtcc) and cc in a background thread, then
 * switches calls to cc with one atomic store. A cc kernel already in the disk cache is loaded
 * at once, with no earlier tier. */
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "internal.h"

/* Builds tier t with backend b; on failure t holds nothing. */
static int tier_build(ctg__compiled *t, const ctg__backend *b, ctg__code *c, int probe, ctg_error *err) {
  memset(t, 0, sizeof *t);
  t->backend = b;
  ctg__build_options o = { c->arch, c->device, c->cc_flags, probe, &c->cancel };
  double t0 = ctg__now_ms();
  int st = b->build(t, &c->params, &o, err);
  t->build_ms = ctg__now_ms() - t0;
  if (st != CTG_OK) {
    b->release(t);
    free(t->source);
    memset(t, 0, sizeof *t);
  }
  return st;
}

static void tier_free(ctg__compiled *t) {
  if (t->backend) t->backend->release(t);
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
  ctg__code *c = arg;
  ctg__compiled *t = &c->tiers[1];
  ctg_error e;
  slot_take();
  int st = tier_build(t, &ctg__backend_cc, c, 0, &e);
  slot_give();
  if (st == CTG_OK) __atomic_store_n(&c->now, t, __ATOMIC_RELEASE);
  pthread_mutex_lock(&c->lock);
  c->pending = 0;
  c->bg_status = st;
  if (st != CTG_OK) c->bg_error = e;
  pthread_cond_broadcast(&c->done);
  pthread_mutex_unlock(&c->lock);
  return NULL;
}

int ctg__tiers_build(ctg__code *c, ctg_error *err) {
  ctg__compiled *t = &c->tiers[0];
  int st;
  if (c->backend != CTG_BACKEND_AUTO) {
    st = tier_build(t, ctg__backend_of(c->backend), c, 0, err);
  } else if (tier_build(t, &ctg__backend_cc, c, 1, NULL) == CTG_OK) {
    st = CTG_OK; /* seen before (this process or an earlier one): the final tier is one dlopen away */
  } else {
    st = tier_build(t, &ctg__backend_tcc, c, 0, err);
    if (st == CTG_ERR_UNAVAILABLE) /* a build without libtcc: the interpreter is the early tier */
      st = tier_build(t, &ctg__backend_interp, c, 0, err);
    if (st == CTG_OK) {
      c->pending = 1;
      ctg__cc_prepare();
      if (pthread_create(&c->thread, NULL, build_in_background, c) != 0) {
        c->pending = 0;
        tier_free(t);
        st = ctg__fail(err, CTG_ERR_NOMEM, "ctg_compile: cannot start the background build thread");
      } else {
        c->has_thread = 1;
      }
    }
  }
  if (st == CTG_OK) __atomic_store_n(&c->now, t, __ATOMIC_RELEASE);
  return st;
}

int ctg__tiers_wait(ctg__code *c, ctg_error *err) {
  pthread_mutex_lock(&c->lock);
  while (c->pending) pthread_cond_wait(&c->done, &c->lock);
  int st = c->bg_status;
  if (st != CTG_OK && err) *err = c->bg_error;
  pthread_mutex_unlock(&c->lock);
  return st;
}

int ctg__tiers_final(ctg__code *c) {
  pthread_mutex_lock(&c->lock);
  int final = !c->pending;
  pthread_mutex_unlock(&c->lock);
  return final;
}

double ctg__tiers_ms(ctg__code *c, ctg_backend backend) {
  if (c->tiers[0].backend && c->tiers[0].backend->id == backend) return c->tiers[0].build_ms;
  double ms = -1;
  pthread_mutex_lock(&c->lock);
  if (c->has_thread && !c->pending && c->bg_status == CTG_OK && c->tiers[1].backend &&
      c->tiers[1].backend->id == backend)
    ms = c->tiers[1].build_ms;
  pthread_mutex_unlock(&c->lock);
  return ms;
}

void ctg__tiers_free(ctg__code *c) {
  if (c->has_thread) {
    ctg__cc_cancel(&c->cancel); /* nobody waits for it: kill the compiler rather than wait */
    pthread_join(c->thread, NULL);
  }
  tier_free(&c->tiers[0]);
  tier_free(&c->tiers[1]);
}
