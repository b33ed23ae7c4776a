/* internal.h: what the runtime's modules share and the public header does not show. */
#ifndef CTG_INTERNAL_H
#define CTG_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>

#include <pthread.h>

#include <lua.h>

#include "convtgen_tools.h"

#if defined(__GNUC__)
#define CTG__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CTG__PRINTF(f, a)
#endif

/* Fills err (when not NULL) with status and a formatted message, made one line; returns status. */
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
/* A trusted state with the embedded generator modules reachable through require(); bounded
 * in memory and wall time. */
lua_State *ctg__lua_generator(ctg_error *err);
/* Runs fn(L, ud) as a protected call on L: every push, call and read fn makes is covered, so
 * a Lua error or an allocation failure becomes a status with its message (status_on_error,
 * or CTG_ERR_NOMEM), never a panic. fn returns a ctg status of its own. The stack is empty
 * before and after. Every interaction with a Lua state from C goes through here. */
int ctg__lua_protected(lua_State *L, int (*fn)(lua_State *L, void *ud), void *ud,
                       ctg_status status_on_error, ctg_error *err);
/* Inside fn: require(module)[func] called with the nargs values on top of L, leaving
 * nresults; raises on error. */
void ctg__lua_require_call(lua_State *L, const char *module, const char *func, int nargs, int nresults);
/* Inside fn: runs untrusted spec source in a fresh sandboxed state (no io/os/load/require/
 * debug, bounded instructions, memory and wall time) and pushes a copy of the table it
 * returns onto dst. */
int ctg__lua_run_spec(lua_State *dst, const char *source, size_t len, const char *chunkname,
                      ctg_error *err);
/* Closes a state made by ctg__lua_generator. */
void ctg__lua_close(lua_State *L);

/* --- params.c: the normalized layer between C and Lua ------------------------------ */
/* generator/schema.lua's lists, written by the build (tools/schema_h.c):
 * CTG__PARAMS_FIELDS(X): X(kind, field, "key"), every field of ctg_params with its key in the
 *   normalized table (ORDER ctg_params): the Lua push and pull and the cache key come from it;
 *   kind INT, PAIR (int[2]), BOOL (int), STRING (char[]), REAL (derived, not in the cache key)
 *   or NUM (a double the code depends on).
 * CTG__LAYER_FIELDS(X): X(kind, field), the fields of ctg_layer that go to spec.lua as they are,
 *   under the spec key of the same name; input_shape, output_size, padding, threads,
 *   activation, quantization and tflite_padding have rules of their own (spec.c).
 * CTG__LAYER_DEFAULTS(X): X(kind, field, value), ctg_layer_init's numbers. */
#include "spec_schema.h"

/* The activation fused into each store (ORDER generator/spec.lua's ACTIVATIONS, none first). */
/* The fused activations: name and how many parameters each takes (activation_a, _b). ORDER
 * generator/spec.lua's ACTIVATION_LIST (test_spec checks the two agree). */
#define CTG__ACTIVATION_LIST(X) \
  X(NONE, none, 0) X(RELU, relu, 0) X(LEAKY_RELU, leaky_relu, 1) X(TANH, tanh, 0) X(SIGMOID, sigmoid, 0) X(CLAMP, clamp, 2)
typedef enum ctg__act {
#define X(U, l, n) CTG__ACT_##U,
  CTG__ACTIVATION_LIST(X)
#undef X
  CTG__ACT_UNKNOWN
} ctg__act;
/* An activation's name ("" for CTG__ACT_UNKNOWN), and the parameters a name takes (0 unknown). */
const char *ctg__activation_name(ctg__act act);
int ctg__activation_args(const char *name);
ctg__act ctg__activation(const ctg_params *p);
/* The activation of p applied to one value (double), as the interpreter applies it. */
double ctg__activate(const ctg_params *p, ctg__act act, double v);

/* TFLite's MultiplyByQuantizedMultiplier (double rounding), the interpreter's requantization. */
int32_t ctg__requantize(int32_t x, int32_t multiplier, int shift);

/* Reads a normalized layer table (generator/spec.lua's output) at idx. */
int ctg__params_from_lua(lua_State *L, int idx, ctg_params *p, ctg_error *err);
/* Pushes p as a normalized layer table. */
void ctg__params_push(lua_State *L, const ctg_params *p);
/* Fields of the table on top of L: a list of n ints, an int, a string (NULL: left out). */
void ctg__lua_set_ints(lua_State *L, const char *key, const int *v, int n);
/* A list of n numbers at key: floats when floats is not NULL, else the int32s. */
void ctg__lua_set_list(lua_State *L, const char *key, int n, const float *floats, const int32_t *ints);
void ctg__lua_set_int(lua_State *L, const char *key, int v);
void ctg__lua_set_string(lua_State *L, const char *key, const char *v);
/* What the runtime needs to know of a dtype: the one C table of them. */
typedef struct ctg__dtype_info {
  const char *name;  /* the spec's and NumPy-facing name */
  size_t size;       /* bytes per element */
  size_t part;       /* bytes per real part: 4 (float) or 8 (double) */
  int complex;       /* 1 for (re, im) pairs */
  int half;          /* 1 for float16 and bfloat16: 16-bit patterns, float32 arithmetic */
} ctg__dtype_info;
const ctg__dtype_info *ctg__dtype(ctg_dtype dtype);
/* float16 / bfloat16 (d) bits to their exact value, and a value rounded once to the nearest
 * (ties to even) d, overflow to infinity, NaN to a quiet NaN (half.c). */
double ctg__half_widen(uint16_t bits, ctg_dtype d);
uint16_t ctg__half_round(double v, ctg_dtype d);
/* Real part i of a tensor whose parts are of dtype d (float32, float64, float16 or bfloat16; a
 * complex tensor's parts are float32 or float64), exactly; and v rounded once into it. Inline:
 * the interpreter calls them with a constant d in its inner loop. */
static inline double ctg__real_get(const void *t, size_t i, ctg_dtype d) {
  switch (d) {
    case CTG_FLOAT64: return ((const double *)t)[i];
    case CTG_FLOAT16:
    case CTG_BFLOAT16: return ctg__half_widen(((const uint16_t *)t)[i], d);
    default: return ((const float *)t)[i];
  }
}
static inline void ctg__real_put(void *t, size_t i, double v, ctg_dtype d) {
  switch (d) {
    case CTG_FLOAT64: ((double *)t)[i] = v; break;
    case CTG_FLOAT16:
    case CTG_BFLOAT16: ((uint16_t *)t)[i] = ctg__half_round(v, d); break;
    default: ((float *)t)[i] = (float)v;
  }
}
/* Every field of p as one line of text: equal lines, equal layers (cache keys). */
void ctg__params_key(char *buf, size_t cap, const ctg_params *p);
/* Catches API misuse: a hand-filled ctg_params that no valid spec could produce. */
int ctg__params_check(const ctg_params *p, ctg_error *err);

/* Baked weights (gen --weights, firmware) are written into source as text: about 15 bytes
 * each, so 4 Mi weights make 60 MiB of C, the most the generator's memory cap allows. */
#define CTG__BAKED_MAX_ELEMENTS (4 << 20)

/* --- generate.c: the generator's answer (generator/emit.lua) ----------------------- */
/* How a kernel takes its weights. DIRECT: NAME_run reads them as PyTorch stores them;
 * PACKED: NAME_pack once, then NAME_run_packed; BAKED: they are constants of the code. Every
 * generated C kernel offers NAME_pack, NAME_run_packed and NAME_run whatever its convention;
 * the convention says which is its own and which a wrapper. */
/* The answer's words, each list written once here and read by name from the emitter's table:
 * a word C does not list is an internal error, never a silent default. */
#define CTG__CONVENTION_LIST(X) X(DIRECT, direct) X(PACKED, packed) X(BAKED, baked)
/* The code shapes: generator/shapes/, in generator/registry.lua's lists (test_generate checks
 * that the two agree). */
#define CTG__CODE_SHAPE_LIST(X)                                                                              \
  X(VECTOR_MATRIX, vector_matrix) X(MATMUL_SHUFFLE, matmul_shuffle) X(PHASE_MATMUL, phase_matmul)       \
  X(CHANNEL_DOTS, channel_dots) X(GROUP_VECTORS, group_vectors) X(ROW_VECTORS, row_vectors)             \
  X(UNROLLED, unrolled) X(PHASES, phases) X(PHASE_TABLES, phase_tables) X(INT8_PHASES, int8_phases)     \
  X(INT8_TABLES, int8_tables) X(CUDA_PHASES, cuda_phases)
/* What a shape's plan does beyond its basic tile (a shape's features(p) in generator/shapes/):
 * row_tiles (tiles of several rows), row_blocks (rows in L2-sized blocks), merged_stores
 * (strided stores as whole vectors), long_rows (rows of several tiles). */
#define CTG__FEATURE_LIST(X) X(ROW_TILES, row_tiles) X(ROW_BLOCKS, row_blocks) X(MERGED_STORES, merged_stores) \
  X(LONG_ROWS, long_rows)

#define CTG__X_ENUM(prefix, upper) prefix##upper,
typedef enum ctg__convention {
#define X(U, l) CTG__X_ENUM(CTG__, U)
  CTG__CONVENTION_LIST(X)
#undef X
} ctg__convention;
typedef enum ctg__code_shape {
  CTG__CODE_SHAPE_NONE, /* a portable file's fallback when it has none */
#define X(U, l) CTG__X_ENUM(CTG__CODE_SHAPE_, U)
  CTG__CODE_SHAPE_LIST(X)
#undef X
  CTG__CODE_SHAPE_COUNT
} ctg__code_shape;
enum {
#define X(U, l) CTG__FEATURE_BIT_##U,
  CTG__FEATURE_LIST(X)
#undef X
};
#define CTG__FEATURE(U) (1u << CTG__FEATURE_BIT_##U)
/* A shape's name as the generator writes it ("" for CTG__CODE_SHAPE_NONE). */
const char *ctg__code_shape_name(ctg__code_shape s);
/* Feature bits as the generator's words, space-separated, in buf. */
const char *ctg__features_text(unsigned features, char *buf, size_t cap);

/* One CUDA kernel of a layer and its launch for one image (grid y: one image's rows). */
typedef struct ctg__launch {
  char name[128];
  unsigned grid[3], block[3];
} ctg__launch;

typedef struct ctg__emitted {
  char *source, *header;           /* malloc'd */
  char *why, *description;         /* malloc'd: why that shape; every section, for info and gen */
  char *estimate;                  /* malloc'd: Cortex-M4F code size estimate ("" for CUDA) */
  ctg__code_shape shape;                /* the code shape a host with the ISA runs */
  ctg__code_shape fallback;             /* the C99 shape of a portable file; CTG__CODE_SHAPE_NONE when none */
  unsigned features;               /* CTG__FEATURE() bits */
  ctg__convention convention;
  size_t packed_size;              /* elements NAME_pack writes */
  ctg__launch *launches;           /* malloc'd, CUDA only: launch_count kernels */
  int launch_count;
} ctg__emitted;

/* Asks generator/emit.lua's one entry for layer p and target: what code ("portable", "avx512",
 * "avx2", "neon", "scalar", "cuda"), never a backend (the tcc tier asks for "scalar", the cc
 * tier for ctg__host_isa()); weight and bias (NULL when not baked) travel as raw bytes
 * of their dtypes. Free *out with ctg__emitted_free. */
int ctg__emit(const ctg_params *p, const char *target, const void *weight, const void *bias,
              ctg__emitted *out, ctg_error *err);
void ctg__emitted_free(ctg__emitted *e);
/* The emitter's target name of an ISA, NULL for an unknown one. */
const char *ctg__isa_target(ctg_isa isa);
/* The ISA profile the cc tier builds for on this host: "avx512", "avx2", "neon" or "scalar". */
const char *ctg__host_isa(void);

/* --- backends: one table of operations each (backend_*.c), found by ctg__backend_of ---- */
/* A generated C kernel's entry points (NAME_run_batch, NAME_pack, NAME_run_packed_batch); pointers
 * are of the layer's element type, batch is the number of images. */
typedef int (*ctg__entry)(int batch, const void *input, const void *weight, const void *bias, void *output);
typedef void (*ctg__pack_fn)(const void *weight, const void *bias, void *packed);
typedef int (*ctg__run_packed_fn)(int batch, const void *input, const void *packed, void *output);

/* One compiled form of a layer. Written by the backend's build before it is published,
 * read-only after. */
typedef struct ctg__compiled {
  const struct ctg__backend *backend;
  char *source;                 /* NULL for the interpreter, and for a cc cache hit until asked for */
  void *state;                  /* backend-owned: the TCCState, the dlopen handle, the CUDA module */
  ctg__convention convention;
  size_t packed_size;           /* elements; 0 where nothing is packed */
  ctg__entry run;               /* native code (tcc, cc): weights as PyTorch stores them */
  ctg__pack_fn pack;            /* native code: weights into packed_size elements */
  ctg__run_packed_fn run_packed;
  double build_ms;
} ctg__compiled;

typedef struct ctg__build_options {
  const char *arch;     /* nvrtc */
  int device;           /* nvrtc: the CUDA device ordinal */
  const char *cc_flags; /* cc; NULL: the default */
  int probe;            /* cc: only a disk-cache hit loads; a miss is CTG_ERR_UNAVAILABLE */
  int *cancel;          /* cc: set (through ctg__cc_cancel) when the build's result is no longer wanted */
} ctg__build_options;

typedef struct ctg__backend {
  ctg_backend id;
  const char *name;
  /* Builds c for layer p (c is zeroed, c->backend set). On failure c holds nothing. */
  int (*build)(ctg__compiled *c, const ctg_params *p, const ctg__build_options *o, ctg_error *err);
  /* Runs with weights as PyTorch stores them (bias NULL when the layer has none), on p->batch
   * images: p may be the layer's params with another batch (ctg_kernel_run). */
  int (*forward)(const ctg__compiled *c, const ctg_params *p, const void *input, const void *weight,
                 const void *bias, void *output, ctg_error *err);
  /* Code whose convention is CTG__PACKED: packs weights into a fresh buffer (*packed, freed with
   * free) once, then runs on it. NULL for backends that build no packed code. */
  int (*pack)(const ctg__compiled *c, const ctg_params *p, const void *weight, const void *bias, void **packed,
              ctg_error *err);
  int (*run_packed)(const ctg__compiled *c, const ctg_params *p, const void *input, const void *packed, void *output,
                    ctg_error *err);
  /* The generated source of c, generating it if it was never generated (a cc cache hit). */
  const char *(*source)(ctg__compiled *c, const ctg_params *p);
  void (*release)(ctg__compiled *c);
  /* Frees what pack made (NULL: free()). */
  void (*free_packed)(const ctg__compiled *c, void *packed);
  /* GPU backends: enqueue a run on device pointers on stream (a CUstream; no copy, no wait),
   * with weights as PyTorch stores them (weight, bias) or bound ones (packed, when not NULL).
   * NULL for the CPU backends. */
  int (*device_run)(const ctg__compiled *c, const ctg_params *p, const void *input, const void *weight,
                    const void *bias, const void *packed, void *output, void *stream, ctg_error *err);
} ctg__backend;

extern const ctg__backend ctg__backend_interp, ctg__backend_tcc, ctg__backend_cc, ctg__backend_nvrtc;
/* The table of a backend (NULL for CTG_BACKEND_AUTO, which is tiering, not a backend). */
const ctg__backend *ctg__backend_of(ctg_backend id);

/* backend_native.c: what tcc and cc share, calling generated C. Finds the three entry points
 * every generated kernel defines through lookup (dlsym, ctg__tcc_symbol); 0 when one is missing.
 * Forward on weights as PyTorch stores them (packing them for this call when the code reads them
 * packed); packs bound weights into a fresh buffer (*packed NULL and CTG_OK when the code reads
 * them unpacked); runs on packed weights. */
int ctg__native_entries(ctg__compiled *c, const char *name, void *(*lookup)(void *handle, const char *symbol),
                        void *handle);
int ctg__native_run_packed(const ctg__compiled *c, const ctg_params *p, const void *input, const void *packed,
                           void *output, ctg_error *err);
int ctg__native_forward(const ctg__compiled *c, const ctg_params *p, const void *input, const void *weight,
                        const void *bias, void *output, ctg_error *err);
int ctg__native_pack(const ctg__compiled *c, const ctg_params *p, const void *weight, const void *bias,
                     void **packed, ctg_error *err);
/* Generated source kept on c (for ctg_kernel_source), generated now for target if absent. */
const char *ctg__native_source(ctg__compiled *c, const ctg_params *p, const char *target);

/* Compiles C source in memory with libtcc; *state is freed with ctg__tcc_free.
 * CTG_ERR_UNAVAILABLE when this build has no libtcc. */
int ctg__tcc_compile(const char *source, void **state, ctg_error *err);
/* The address of a symbol of compiled code, NULL when it has none. */
void *ctg__tcc_symbol(void *state, const char *name);
void ctg__tcc_free(void *state);

/* --- code_cache.c and tiers.c: compiled code shared by kernel handles --------------- */
/* The compiled code for one normalized layer and one set of options. */
typedef struct ctg__code {
  struct ctg__code *next; /* the cache list; under the cache's lock */
  char *key;
  int refs;               /* handles (and builders) holding it; under the cache's lock */
  int ready;              /* the first tier is built, or failed; under the cache's lock */
  int status;             /* the first tier's build: CTG_OK or its error, with message */
  ctg_error error;
  ctg_params params;
  ctg_backend backend;    /* as asked: a backend, or CTG_BACKEND_AUTO */
  char *cc_flags, *arch;
  int device;             /* nvrtc's CUDA device ordinal */
  ctg__compiled tiers[2]; /* [0]: the first tier; [1]: the background (cc) tier of auto */
  ctg__compiled *now;     /* the tier calls run on; loaded and stored atomically */
  /* the background build */
  pthread_mutex_t lock;
  pthread_cond_t done;
  int has_thread;
  pthread_t thread;
  int pending;            /* under lock */
  int bg_status;          /* under lock */
  ctg_error bg_error;
  int cancel;             /* the last handle went: the background build stops (ctg__cc_cancel) */
} ctg__code;

/* Finds the code for p and o in the in-memory cache, or makes and builds it: one builder per
 * key, concurrent askers wait for it and share its result; a failed build is not kept. */
int ctg__code_get(const ctg_params *p, const ctg_options *o, ctg__code **out, ctg_error *err);
/* Drops one reference; the last frees the code (joining its background build). */
void ctg__code_release(ctg__code *c);
/* The tier calls run on now. */
ctg__compiled *ctg__code_now(const ctg__code *c);

/* tiers.c: builds the first tier of c (for auto: a disk-cache hit of cc, else tcc at once and
 * cc in a background thread, at most one background compiler per CPU). */
int ctg__tiers_build(ctg__code *c, ctg_error *err);
/* Blocks until the background build is done; returns its status (CTG_OK when there is none). */
int ctg__tiers_wait(ctg__code *c, ctg_error *err);
/* 1 when no background build is pending. */
int ctg__tiers_final(ctg__code *c);
/* Build milliseconds of the tier of that backend, negative when not built (yet). */
double ctg__tiers_ms(ctg__code *c, ctg_backend backend);
/* Joins the background thread and frees both tiers. */
void ctg__tiers_free(ctg__code *c);

/* --- check.c ---------------------------------------------------------------------- */
/* Fills n floats from seed: uniform magnitudes in [1/16, 1], random signs (never zero). */
void ctg__random_fill(float *v, size_t n, uint64_t *seed);
/* Fills n elements of dtype d the same way (every part drawn like that). */
void ctg__random_fill_dtype(void *v, size_t n, ctg_dtype d, uint64_t *seed);
/* Compares output y of layer p on (x, w, b) with the interpreter (see ctg_check). */
int ctg__compare(const ctg_params *p, const void *x, const void *w, const void *b,
                 const void *y, ctg_check_result *res, ctg_error *err);

/* --- backend_cc.c ------------------------------------------------------------------ */
/* Stops the builds whose options carry cancel: sets *cancel and kills their compilers. */
void ctg__cc_cancel(int *cancel);
/* Registers the at-exit handler that kills running compilers and removes their folders; called
 * on the thread that starts a background build, before it starts. */
void ctg__cc_prepare(void);

/* --- sha256.c: the cache's entry seals --------------------------------------------- */
typedef struct ctg__sha256 {
  uint32_t h[8];
  uint64_t bytes;
  unsigned char block[64];
} ctg__sha256;
void ctg__sha256_init(ctg__sha256 *s);
void ctg__sha256_update(ctg__sha256 *s, const void *data, size_t n);
void ctg__sha256_final(ctg__sha256 *s, unsigned char out[32]);
/* HMAC-SHA-256 of the message a then b. */
void ctg__hmac_sha256(const unsigned char *key, size_t keylen, const void *a, size_t alen, const void *b,
                      size_t blen, unsigned char out[32]);

/* --- files.c ---------------------------------------------------------------------- */
/* Opens path for reading when it is a regular file, without ever blocking (a FIFO or device
 * is refused with a message naming `what`, e.g. "spec"). */
int ctg__open_regular(const char *path, const char *what, FILE **out, ctg_error *err);
/* Writes path through write(f, ctx) (returns 1 on success) into a temporary file in the
 * same directory, then renames it: the file appears complete or not at all. */
int ctg__write_atomic(const char *path, int (*write)(FILE *f, void *ctx), void *ctx, ctg_error *err);
/* The first n bytes of fd (from offset 0, pread) into buf; 1 when all were read. */
int ctg__read_all(int fd, void *buf, size_t n);
/* n bytes of buf written at fd's position; 1 when all were written. */
int ctg__write_all(int fd, const void *buf, size_t n);
/* ctg__write_atomic of a NUL-terminated text. */
int ctg__write_text_atomic(const char *path, const char *text, ctg_error *err);

/* --- cache.c ---------------------------------------------------------------------- */
/* A cached entry of `kind` ("cubin", ...) for the full key; 1 and *data (malloc'd) on a hit. */
int ctg__cache_load(const char *kind, const char *key, size_t keylen, void **data, size_t *size);
int ctg__cache_store(const char *kind, const char *key, size_t keylen, const void *data, size_t size,
                     ctg_error *err);
/* FNV-1a over n bytes, continuing from h (start with CTG__FNV_SEED): cache entry names. */
#define CTG__FNV_SEED 0xcbf29ce484222325ULL
uint64_t ctg__fnv1a(uint64_t h, const void *data, size_t n);
/* The cache directory, checked as cache.c's header says (the folders on the way to it
 * included): its descriptor into *fd (the caller closes it) and its absolute path into dir;
 * with create, made first (0700). An error says why it is refused. */
int ctg__cache_dir_open(int create, int *fd, char *dir, size_t cap, ctg_error *err);
/* An entry's file name: a hash of the key and the kind ("so", "cubin"). */
void ctg__cache_entry_name(const char *kind, const char *key, size_t keylen, char *buf, size_t cap);
/* A verified entry: data the file's whole contents (read once, through one descriptor), size
 * the payload's length (the payload is its first size bytes). */
typedef struct ctg__cache_entry {
  unsigned char *data;
  size_t size;
} ctg__cache_entry;
/* 1 when the cache (dirfd) holds a safe entry of kind sealed for exactly this key. */
int ctg__cache_open(int dirfd, const char *kind, const char *key, size_t keylen, ctg__cache_entry *e);
void ctg__cache_entry_close(ctg__cache_entry *e);
/* Seals payload under key and renames it into the cache (dirfd) as the entry of kind. */
int ctg__cache_publish(int dirfd, const char *kind, const char *key, size_t keylen, const void *payload,
                       size_t size, ctg_error *err);
/* "PREFIX.PID.RANDOM" into buf: a temporary name whose builder a later sweep can tell. */
int ctg__temp_name(char *buf, size_t cap, const char *prefix);
/* Removes parentfd/name: a file, or a folder of files (a builder's temporary folder has no
 * subfolders). Never follows a symlink. */
int ctg__remove_at(int parentfd, const char *name);
/* Removes the temporaries "PREFIX.PID.*" in dirfd of this user's builders that are gone. */
void ctg__sweep_temporaries(int dirfd, const char *prefix);
/* Private builds (the cache unusable) live in $TMPDIR (else /tmp) as PREFIX.PID.RANDOM. */
#define CTG__PRIVATE_PREFIX "convtgen-cc"
/* A descriptor of the folder private builds are made in; -1 when there is none. */
int ctg__private_root(void);
/* Removes dead builders' private folders. */
void ctg__sweep_private(void);

/* --- onnx.c ----------------------------------------------------------------------- */
/* ctg_onnx_import of a model already in memory (model names it in messages). validate 0 is the
 * fuzzer's mode: every node is read and checked but its spec is not run through the Lua
 * validation and nothing is written (dir and report unused). */
int ctg__onnx_import_memory(const char *model, const uint8_t *buf, size_t len, const char *dir, int batch,
                            int validate, char **report, ctg_error *err);

/* --- backend_nvrtc.c --------------------------------------------------------------- */
/* Compiles CUDA source with NVRTC for arch ("sm_80": CUBIN; "compute_80": PTX); *image is
 * malloc'd. *log (malloc'd, may be NULL) receives NVRTC's log even on success (warnings).
 * CTG_ERR_UNAVAILABLE when libnvrtc cannot be loaded. Cached on disk. */
int ctg__nvrtc_compile(const char *source, const char *arch, void **image, size_t *size, char **log,
                       ctg_error *err);
/* "NVRTC 13.0", or CTG_ERR_UNAVAILABLE. */
int ctg__nvrtc_version(char *buf, size_t cap, ctg_error *err);
/* A function of the CUDA driver the backend loaded (tests reach the double's through it); NULL
 * when there is no driver or no such function. */
void *ctg__cuda_driver_symbol(const char *name);
/* Times reps device-resident runs of an nvrtc tier with CUDA events on its own stream (input
 * uploaded once, bound weights): ms[i] per run. */
int ctg__cuda_time(const ctg__compiled *c, const ctg_params *p, const void *packed, const void *input, int reps,
                   double *ms, ctg_error *err);


/* A monotonic clock in milliseconds. */
double ctg__now_ms(void);

#endif
