/* internal.h: what the runtime's modules share and the public header does not show. */
#ifndef CTG_INTERNAL_H
#define CTG_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>

#include <lua.h>

#include "convtgen.h"

#if defined(__GNUC__)
#define CTG__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CTG__PRINTF(f, a)
#endif

/* Fills err (when not NULL) with status and a formatted message; returns status. */
int ctg__fail(ctg_error *err, ctg_status status, const char *fmt, ...) CTG__PRINTF(3, 4);
/* Clears err to CTG_OK. */
void ctg__ok(ctg_error *err);

struct ctg_spec {
  ctg_params params;
};

/* One file of generator/ or templates/, embedded into the binary at build time. */
typedef struct ctg__embedded_file {
  const char *path;
  const char *data;
  size_t size;
} ctg__embedded_file;
extern const ctg__embedded_file ctg__embedded_files[]; /* ends with a NULL path */

/* --- lua_host.c: the two kinds of Lua state ---------------------------------------- */
/* A trusted state with the embedded generator modules reachable through require(). */
lua_State *ctg__lua_generator(ctg_error *err);
/* Runs untrusted spec source in a fresh sandboxed state (no io/os/load/require/debug,
 * bounded instructions and memory) and pushes a copy of the table it returns onto dst. */
int ctg__lua_run_spec(lua_State *dst, const char *source, size_t len, const char *chunkname,
                      ctg_error *err);
/* Calls require(module)[func] with the nargs values on top of L, leaving nresults. */
int ctg__lua_call(lua_State *L, const char *module, const char *func, int nargs, int nresults,
                  ctg_status status_on_error, ctg_error *err);
/* Closes a state made by ctg__lua_generator. */
void ctg__lua_close(lua_State *L);

/* --- params.c: the normalized layer between C and Lua ------------------------------ */
/* Reads a normalized layer table (generator/spec.lua's output) at idx. */
int ctg__params_from_lua(lua_State *L, int idx, ctg_params *p, ctg_error *err);
/* Pushes p as a normalized layer table. */
void ctg__params_push(lua_State *L, const ctg_params *p);
/* Catches API misuse: a hand-filled ctg_params that no valid spec could produce. */
int ctg__params_check(const ctg_params *p, ctg_error *err);

/* --- generate.c ------------------------------------------------------------------- */
/* Calls emit_c.<func>(layer, weight, bias) ("source", "header", "describe") and returns its
 * text (malloc'd); weight and bias (NULL when not baked) travel as raw float bytes. */
int ctg__generate(const ctg_params *p, const char *func, const float *weight, const float *bias,
                  char **out, ctg_error *err);

/* --- backends ---------------------------------------------------------------------- */
typedef int (*ctg__entry)(const float *input, const float *weight, const float *bias, float *output);

/* Compiles C source in memory with libtcc and finds `symbol`; *state is freed with
 * ctg__tcc_free. CTG_ERR_UNAVAILABLE when this build has no libtcc. */
int ctg__tcc_compile(const char *source, const char *symbol, void **state, ctg__entry *entry,
                     ctg_error *err);
void ctg__tcc_free(void *state);

/* --- check.c ---------------------------------------------------------------------- */
/* Fills n floats from seed: uniform magnitudes in [1/16, 1], random signs (never zero). */
void ctg__random_fill(float *v, size_t n, uint64_t *seed);
/* Compares output y of layer p on (x, w, b) with the interpreter (see ctg_check). */
int ctg__compare(const ctg_params *p, const float *x, const float *w, const float *b,
                 const float *y, ctg_check_result *res, ctg_error *err);

/* --- files.c ---------------------------------------------------------------------- */
/* Writes path through write(f, ctx) (returns 1 on success) into a temporary file in the
 * same directory, then renames it: the file appears complete or not at all. */
int ctg__write_atomic(const char *path, int (*write)(FILE *f, void *ctx), void *ctx, ctg_error *err);

/* A monotonic clock in milliseconds. */
double ctg__now_ms(void);

#endif
