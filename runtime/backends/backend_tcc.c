/* backend_tcc.c: compiles generated C in memory with libtcc.
 *
 * libtcc 0.9.27 keeps global state, so every use of it is serialized by one mutex.
 * Debian ships libtcc only as a non-PIC static library, which cannot go into a shared
 * object: libconvtgen.so is built without CTG_HAVE_LIBTCC and reports the backend unavailable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifdef CTG_HAVE_LIBTCC
#include <math.h>
#include <pthread.h>

#include <libtcc.h>

static pthread_mutex_t tcc_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct diagnostics {
  char text[400];
  size_t len;
} diagnostics;

/* Diagnostics come back in the error message, never on stderr. */
static void collect(void *opaque, const char *msg) {
  diagnostics *d = opaque;
  if (d->len + 3 >= sizeof d->text) return;
  int n = snprintf(d->text + d->len, sizeof d->text - d->len, "%s%s", d->len ? "; " : "", msg);
  if (n > 0) d->len += (size_t)n < sizeof d->text - d->len ? (size_t)n : sizeof d->text - d->len - 1;
}

/* Debian's 0.9.27 takes a destination; upstream's later tcc_relocate does not. */
static int relocate(TCCState *s) {
#ifdef TCC_RELOCATE_AUTO
  return tcc_relocate(s, TCC_RELOCATE_AUTO);
#else
  return tcc_relocate(s);
#endif
}

/* tcc takes a function's address as an object pointer, which ISO C cannot convert to. */
static void add_function(TCCState *s, const char *name, double (*fn)(double)) {
  void *address;
  memcpy(&address, &fn, sizeof address);
  tcc_add_symbol(s, name, address);
}

int ctg__tcc_compile(const char *source, void **state, ctg_error *err) {
  *state = NULL;
  diagnostics diag = { "", 0 };
  int st = CTG_OK;
  pthread_mutex_lock(&tcc_lock);
  TCCState *s = tcc_new();
  if (!s) {
    st = ctg__fail(err, CTG_ERR_NOMEM, "tcc_new failed");
  } else {
    tcc_set_error_func(s, &diag, collect);
    tcc_set_options(s, "-nostdlib"); /* generated code needs no libc and no libtcc1 */
    tcc_set_output_type(s, TCC_OUTPUT_MEMORY);
    /* the only library functions generated code calls: float64's activations (libm) */
    add_function(s, "exp", exp);
    add_function(s, "tanh", tanh);
    if (tcc_compile_string(s, source) < 0)
      st = ctg__fail(err, CTG_ERR_INTERNAL, "tcc could not compile the generated kernel: %s", diag.text);
    else if (relocate(s) < 0)
      st = ctg__fail(err, CTG_ERR_INTERNAL, "tcc could not relocate the generated kernel: %s", diag.text);
    if (st != CTG_OK) {
      tcc_delete(s);
      s = NULL;
    }
  }
  pthread_mutex_unlock(&tcc_lock);
  *state = s;
  return st;
}

void *ctg__tcc_symbol(void *state, const char *name) {
  pthread_mutex_lock(&tcc_lock);
  void *sym = state ? tcc_get_symbol(state, name) : NULL;
  pthread_mutex_unlock(&tcc_lock);
  return sym;
}

void ctg__tcc_free(void *state) {
  if (!state) return;
  pthread_mutex_lock(&tcc_lock);
  tcc_delete(state);
  pthread_mutex_unlock(&tcc_lock);
}

#else

int ctg__tcc_compile(const char *source, void **state, ctg_error *err) {
  (void)source;
  *state = NULL;
  return ctg__fail(err, CTG_ERR_UNAVAILABLE, "the tcc backend is not in the shared libconvtgen "
                   "(Debian's libtcc is static and not position-independent); link libconvtgen.a");
}

void *ctg__tcc_symbol(void *state, const char *name) {
  (void)state, (void)name;
  return NULL;
}

void ctg__tcc_free(void *state) { (void)state; }

#endif

/* --- the backend table ---------------------------------------------------------------- */

static int tcc_build(ctg__compiled *c, const ctg_params *p, const ctg__build_options *o, ctg_error *err) {
  (void)o;
  ctg__emitted e;
  int st = ctg__emit(p, "scalar", NULL, NULL, &e, err);
  if (st != CTG_OK) return st;
  c->convention = e.convention;
  c->packed_size = e.packed_size;
  st = ctg__tcc_compile(e.source, &c->state, err);
  if (st == CTG_OK && !ctg__native_entries(c, p->name, ctg__tcc_symbol, c->state))
    st = ctg__fail(err, CTG_ERR_INTERNAL, "tcc: the generated kernel %s lacks one of its entry points", p->name);
  c->source = e.source;
  e.source = NULL;
  ctg__emitted_free(&e);
  return st;
}

static const char *tcc_source(ctg__compiled *c, const ctg_params *p) { return ctg__native_source(c, p, "scalar"); }

static void tcc_release(ctg__compiled *c) { ctg__tcc_free(c->state); }

const ctg__backend ctg__backend_tcc = { CTG_BACKEND_TCC, "tcc", tcc_build, ctg__native_forward, ctg__native_pack,
                                        ctg__native_run_packed, tcc_source, tcc_release, NULL, NULL };
