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
/* Fields of the table on top of L: a list of n ints, an int, a string (NULL: left out). */
void ctg__lua_set_ints(lua_State *L, const char *key, const int *v, int n);
void ctg__lua_set_int(lua_State *L, const char *key, int v);
void ctg__lua_set_string(lua_State *L, const char *key, const char *v);
/* Every field of p as one line of text: equal lines, equal layers (cache keys). */
void ctg__params_key(char *buf, size_t cap, const ctg_params *p);
/* Catches API misuse: a hand-filled ctg_params that no valid spec could produce. */
int ctg__params_check(const ctg_params *p, ctg_error *err);

/* --- generate.c ------------------------------------------------------------------- */
/* Calls <module>.<func>(layer, weight, bias) (module "emit_c" or "emit_cuda"; func "source",
 * "header", "describe", "estimate", "launches") and returns its text (malloc'd); weight and
 * bias (NULL when not baked) travel as raw float bytes. */
int ctg__generate(const ctg_params *p, const char *module, const char *func, const float *weight,
                  const float *bias, char **out, ctg_error *err);

/* --- backends ---------------------------------------------------------------------- */
/* A generated kernel's entry point; its pointers are of the layer's element type. */
typedef int (*ctg__entry)(const void *input, const void *weight, const void *bias, void *output);

/* Compiles C source in memory with libtcc and finds `symbol`; *state is freed with
 * ctg__tcc_free. CTG_ERR_UNAVAILABLE when this build has no libtcc. */
int ctg__tcc_compile(const char *source, const char *symbol, void **state, ctg__entry *entry,
                     ctg_error *err);
void ctg__tcc_free(void *state);

/* --- check.c ---------------------------------------------------------------------- */
/* Fills n floats from seed: uniform magnitudes in [1/16, 1], random signs (never zero). */
void ctg__random_fill(float *v, size_t n, uint64_t *seed);
/* Fills n elements of dtype d the same way (every part drawn like that). */
void ctg__random_fill_dtype(void *v, size_t n, ctg_dtype d, uint64_t *seed);
/* Compares output y of layer p on (x, w, b) with the interpreter (see ctg_check). */
int ctg__compare(const ctg_params *p, const void *x, const void *w, const void *b,
                 const void *y, ctg_check_result *res, ctg_error *err);

/* --- files.c ---------------------------------------------------------------------- */
/* Writes path through write(f, ctx) (returns 1 on success) into a temporary file in the
 * same directory, then renames it: the file appears complete or not at all. */
int ctg__write_atomic(const char *path, int (*write)(FILE *f, void *ctx), void *ctx, ctg_error *err);

/* --- cache.c ---------------------------------------------------------------------- */
/* A cached entry of `kind` ("cubin", ...) for the full key; 1 and *data (malloc'd) on a hit. */
int ctg__cache_load(const char *kind, const char *key, size_t keylen, void **data, size_t *size);
int ctg__cache_store(const char *kind, const char *key, size_t keylen, const void *data, size_t size,
                     ctg_error *err);
/* FNV-1a over n bytes, continuing from h (start with CTG__FNV_SEED): cache entry names. */
#define CTG__FNV_SEED 0xcbf29ce484222325ULL
uint64_t ctg__fnv1a(uint64_t h, const void *data, size_t n);
/* mkdir -p of the cache directory. */
int ctg__cache_mkdir(const char *dir, ctg_error *err);

/* --- backend_cc.c ------------------------------------------------------------------ */
/* The entry points of a kernel built by the cc backend: either run (weights as PyTorch stores
 * them) or pack + run_packed (weights packed once into packed_size floats). */
typedef struct ctg__cc_entries {
  ctg__entry run;
  void (*pack)(const float *weight, const float *bias, float *packed);
  int (*run_packed)(const float *input, const float *packed, float *output);
  size_t packed_size;
} ctg__cc_entries;

/* Builds (or finds in the cache) the layer's C kernel as a shared object with $CC and flags
 * (NULL: -O3 -march=native -shared -fPIC). *source is the generated source when it had to be
 * generated (a cold build), else NULL. With probe set, only a cache hit loads; a miss is
 * CTG_ERR_UNAVAILABLE and builds nothing. */
int ctg__cc_compile(const ctg_params *p, const char *flags, int probe, void **handle,
                    ctg__cc_entries *entries, char **source, ctg_error *err);
void ctg__cc_free(void *handle);

/* --- backend_nvrtc.c --------------------------------------------------------------- */
/* Compiles CUDA source with NVRTC for arch ("sm_80": CUBIN; "compute_80": PTX); *image is
 * malloc'd. *log (malloc'd, may be NULL) receives NVRTC's log even on success (warnings).
 * CTG_ERR_UNAVAILABLE when libnvrtc cannot be loaded. */
int ctg__nvrtc_compile(const char *source, const char *arch, void **image, size_t *size, char **log,
                       ctg_error *err);
/* Loads the CUDA driver and the GPU's primary context, compiles source for arch (NULL: the
 * GPU's), and finds the kernels of `launches` ("name gx gy gz bx by bz" lines). */
int ctg__cuda_load(const char *source, const char *launches, const char *arch, void **state, ctg_error *err);
/* Copies the tensors to the GPU, launches every kernel in order, copies the output back. */
int ctg__cuda_run(void *state, const ctg_params *p, const void *input, const void *weight,
                  const void *bias, void *output, ctg_error *err);
void ctg__cuda_free(void *state);
/* "NVRTC 13.0", or CTG_ERR_UNAVAILABLE. */
int ctg__nvrtc_version(char *buf, size_t cap, ctg_error *err);

/* A monotonic clock in milliseconds. */
double ctg__now_ms(void);

#endif
