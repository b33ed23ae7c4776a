/* backend_tcc.c: compiles generated C in memory with libtcc.
 *
 * libtcc 0.9.27 keeps global state, so every use of it is serialized by one mutex.
 * Debian ships libtcc only as a non-PIC static library, which cannot go into a shared
 * object: libconvtgen.so is built without CTG_HAVE_LIBTCC and reports the backend unavailable. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#ifdef CTG_HAVE_LIBTCC
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

int ctg__tcc_compile(const char *source, const char *symbol, void **state, ctg__entry *entry,
                     ctg_error *err) {
  *state = NULL;
  *entry = NULL;
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
    if (tcc_compile_string(s, source) < 0)
      st = ctg__fail(err, CTG_ERR_INTERNAL, "tcc could not compile the generated kernel: %s", diag.text);
    else if (relocate(s) < 0)
      st = ctg__fail(err, CTG_ERR_INTERNAL, "tcc could not relocate the generated kernel: %s", diag.text);
    else if (!(*entry = (ctg__entry)(uintptr_t)tcc_get_symbol(s, symbol)))
      st = ctg__fail(err, CTG_ERR_INTERNAL, "tcc: the generated kernel has no symbol %s", symbol);
    if (st != CTG_OK) {
      tcc_delete(s);
      s = NULL;
    }
  }
  pthread_mutex_unlock(&tcc_lock);
  *state = s;
  return st;
}

void ctg__tcc_free(void *state) {
  if (!state) return;
  pthread_mutex_lock(&tcc_lock);
  tcc_delete(state);
  pthread_mutex_unlock(&tcc_lock);
}

#else

int ctg__tcc_compile(const char *source, const char *symbol, void **state, ctg__entry *entry,
                     ctg_error *err) {
  (void)source, (void)symbol;
  *state = NULL;
  *entry = NULL;
  return ctg__fail(err, CTG_ERR_UNAVAILABLE, "the tcc backend is not in the shared libconvtgen "
                   "(Debian's libtcc is static and not position-independent); link libconvtgen.a");
}

void ctg__tcc_free(void *state) { (void)state; }

#endif
