/* cuda_double.c: a CPU double of the CUDA driver (libcuda.so.1) for testing without a GPU.
 *
 * It implements the driver calls convtgen's nvrtc backend makes and runs a launch's grid on the
 * CPU, block after block, with the checks a real driver makes, so that code which passes here
 * is code a GPU accepts:
 *  - limits: grid x <= 2^31 - 1, y and z <= 65535; block x, y <= 1024, z <= 64, at most 1024
 *    threads a block; static plus dynamic shared memory <= 48 KiB a block; device memory
 *    ($CONVTGEN_CUDA_DOUBLE_MEMORY_MB, default 4096); every violation is the driver's error;
 *  - a current context on the calling thread for every context-bound call (the primary context
 *    made current with cuCtxSetCurrent, per thread);
 *  - images: only the double NVRTC's; a CUBIN for sm_XY loads on a device of the same major and a
 *    minor >= Y, a PTX for compute_XY on a device >= XY whose driver is at least the NVRTC that
 *    made it ($CONVTGEN_CUDA_DOUBLE_SM, default 90; $CONVTGEN_CUDA_DOUBLE_DRIVER, default 12.4);
 *  - memory: copies must lie inside one allocation; every allocation ends at a guard page, and a
 *    kernel that touches memory it may not (SIGSEGV/SIGBUS while a grid runs) is an asynchronous
 *    fault: the launch returns success, and every later call in that context returns
 *    CUDA_ERROR_ILLEGAL_ADDRESS, as on a GPU;
 *  - handles (modules, functions, streams, events, pointers) are checked, never trusted.
 * Threads of a block that call __syncthreads run as cooperative fibers (ucontext) that meet at
 * each barrier and share the block's __shared__ memory; code without a barrier runs its threads
 * one after another. Launches run at once, in the order they are made (streams are trivially
 * ordered); events record the host clock.
 *
 * Fault injection (cuDoubleFault, or $CONVTGEN_CUDA_DOUBLE_FAULT="what:n"): the n-th next
 * "alloc" fails with CUDA_ERROR_OUT_OF_MEMORY, "launch" with CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES,
 * "kernel" faults asynchronously. cuDoubleStats counts what is outstanding. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "cuda_double.h"

#define EXPORT __attribute__((visibility("default")))

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
enum {
  CUDA_SUCCESS = 0,
  CUDA_ERROR_INVALID_VALUE = 1,
  CUDA_ERROR_OUT_OF_MEMORY = 2,
  CUDA_ERROR_NOT_INITIALIZED = 3,
  CUDA_ERROR_NO_DEVICE = 100,
  CUDA_ERROR_INVALID_DEVICE = 101,
  CUDA_ERROR_INVALID_IMAGE = 200,
  CUDA_ERROR_INVALID_CONTEXT = 201,
  CUDA_ERROR_NO_BINARY_FOR_GPU = 209,
  CUDA_ERROR_INVALID_PTX = 218,
  CUDA_ERROR_UNSUPPORTED_PTX_VERSION = 222,
  CUDA_ERROR_INVALID_HANDLE = 400,
  CUDA_ERROR_NOT_FOUND = 500,
  CUDA_ERROR_NOT_READY = 600,
  CUDA_ERROR_ILLEGAL_ADDRESS = 700,
  CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701,
  CUDA_ERROR_NOT_SUPPORTED = 801,
  CUDA_ERROR_UNKNOWN = 999
};

#define MAX_DEVICES 8
#define SHARED_LIMIT 49152
#define GUARD 4096

typedef struct context {
  int device;
  int refs;           /* cuDevicePrimaryCtxRetain minus Release */
  CUresult sticky;    /* an asynchronous fault: every later call returns it */
} context;

typedef struct allocation {
  unsigned char *map, *base;
  size_t mapped, size;
  int device;
  struct allocation *next;
} allocation;

typedef struct function function;
typedef struct module {
  void *dl;
  int fd; /* the memfd it was loaded from: open while loaded, so no later module gets its name */
  int device, syncs;
  size_t shared;
  unsigned *thread_idx, *block_idx, *block_dim, *grid_dim; /* the module's uint3 globals */
  void **dynamic_shared; /* its pointer to the launch's dynamic shared memory */
  function *functions;
  struct module *next;
} module;

struct function {
  module *m;
  void (*entry)(void **);
  int arity;
  char name[128];
  function *next;
};

typedef struct stream {
  int device;
  struct stream *next;
} stream;

typedef struct event {
  int device, recorded;
  double ms;
  struct event *next;
} event;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int initialized, devices = 1, sm = 90, driver = 12040;
static size_t memory_limit = (size_t)4096 << 20, memory_used;
static context contexts[MAX_DEVICES];
/* The calling thread's current context: a pthread key, not __thread (a dlopen'ed library's
 * dynamic TLS trips LeakSanitizer's exit-time scan in the processes that load the double). */
static pthread_key_t current_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static void make_key(void) { pthread_key_create(&current_key, NULL); }
#define current ((context *)pthread_getspecific(current_key))
static allocation *allocations;
static module *modules;
static stream *streams;
static event *events;
static long long launches;
static int fail_alloc, fail_launch, fail_kernel; /* n-th next call fails (0: none) */

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* --- faults inside a running grid ------------------------------------------------------- */

static sigjmp_buf *kernel_jump; /* set while kernel_thread runs a grid (under the lock) */
static pthread_t kernel_thread;
static struct sigaction old_segv, old_bus;

static void on_fault(int sig, siginfo_t *info, void *uc) {
  if (kernel_jump && pthread_equal(pthread_self(), kernel_thread)) siglongjmp(*kernel_jump, 1);
  struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_bus;
  if (old->sa_flags & SA_SIGINFO) {
    old->sa_sigaction(sig, info, uc);
  } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
    old->sa_handler(sig);
  } else {
    sigaction(sig, old, NULL); /* not ours: fault again, as if we were not here */
  }
}

/* Around each grid (launches hold the lock, so these pairs never interleave): whatever handler
 * the process has (a test harness's, a sanitizer's) gets every fault that is not the grid's. */
static void catch_faults(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &old_segv);
  sigaction(SIGBUS, &sa, &old_bus);
}

static void release_faults(void) {
  sigaction(SIGSEGV, &old_segv, NULL);
  sigaction(SIGBUS, &old_bus, NULL);
}

static int parse_fault(const char *spec) {
  char what[16];
  int n;
  if (!spec || sscanf(spec, "%15[a-z]:%d", what, &n) != 2 || n < 0) return -1;
  if (strcmp(what, "alloc") == 0) fail_alloc = n;
  else if (strcmp(what, "launch") == 0) fail_launch = n;
  else if (strcmp(what, "kernel") == 0) fail_kernel = n;
  else return -1;
  return 0;
}

/* Arms one fault: the n-th next call of its kind fails (n = 0 disarms). 0, or -1 for an
 * unknown kind. */
EXPORT int cuDoubleFault(const char *what, int n) {
  char spec[64];
  snprintf(spec, sizeof spec, "%s:%d", what ? what : "", n);
  pthread_mutex_lock(&lock);
  int r = parse_fault(spec);
  pthread_mutex_unlock(&lock);
  return r;
}

/* What is outstanding: out[0] bytes allocated, [1] allocations, [2] modules, [3] streams,
 * [4] events, [5] launches run, [6] primary contexts retained; returns how many it filled. */
EXPORT int cuDoubleStats(long long *out, int n) {
  long long v[7] = { 0 };
  pthread_mutex_lock(&lock);
  v[0] = (long long)memory_used;
  for (allocation *a = allocations; a; a = a->next) v[1]++;
  for (module *m = modules; m; m = m->next) v[2]++;
  for (stream *s = streams; s; s = s->next) v[3]++;
  for (event *e = events; e; e = e->next) v[4]++;
  v[5] = launches;
  for (int d = 0; d < devices; d++) v[6] += contexts[d].refs;
  pthread_mutex_unlock(&lock);
  int k = n < 7 ? n : 7;
  for (int i = 0; i < k; i++) out[i] = v[i];
  return k;
}

static int env_int(const char *name, int fallback) {
  const char *v = getenv(name);
  char *end;
  long x = v ? strtol(v, &end, 10) : 0;
  return v && *v && !*end && x > 0 && x < 1 << 30 ? (int)x : fallback;
}

EXPORT CUresult cuInit(unsigned flags) {
  if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
  pthread_once(&key_once, make_key);
  pthread_mutex_lock(&lock);
  if (!initialized) {
    devices = env_int("CONVTGEN_CUDA_DOUBLE_DEVICES", 1);
    if (devices > MAX_DEVICES) devices = MAX_DEVICES;
    sm = env_int("CONVTGEN_CUDA_DOUBLE_SM", 90);
    memory_limit = (size_t)env_int("CONVTGEN_CUDA_DOUBLE_MEMORY_MB", 4096) << 20;
    const char *d = getenv("CONVTGEN_CUDA_DOUBLE_DRIVER");
    int major, minor;
    if (d && sscanf(d, "%d.%d", &major, &minor) == 2) driver = major * 1000 + minor * 10;
    parse_fault(getenv("CONVTGEN_CUDA_DOUBLE_FAULT"));
    for (int i = 0; i < MAX_DEVICES; i++) contexts[i].device = i;
    initialized = 1;
  }
  pthread_mutex_unlock(&lock);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDriverGetVersion(int *v) {
  if (!v) return CUDA_ERROR_INVALID_VALUE;
  *v = initialized ? driver : env_int("CONVTGEN_CUDA_DOUBLE_DRIVER_INT", driver);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetCount(int *n) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!n) return CUDA_ERROR_INVALID_VALUE;
  *n = devices;
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGet(CUdevice *d, int ordinal) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!d) return CUDA_ERROR_INVALID_VALUE;
  if (ordinal < 0 || ordinal >= devices) return CUDA_ERROR_INVALID_DEVICE;
  *d = ordinal;
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetName(char *name, int len, CUdevice d) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!name || len <= 0) return CUDA_ERROR_INVALID_VALUE;
  if (d < 0 || d >= devices) return CUDA_ERROR_INVALID_DEVICE;
  snprintf(name, (size_t)len, "convtgen CUDA double (CPU, sm_%d)", sm);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice d) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!bytes) return CUDA_ERROR_INVALID_VALUE;
  if (d < 0 || d >= devices) return CUDA_ERROR_INVALID_DEVICE;
  *bytes = memory_limit;
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetAttribute(int *v, int attribute, CUdevice d) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!v) return CUDA_ERROR_INVALID_VALUE;
  if (d < 0 || d >= devices) return CUDA_ERROR_INVALID_DEVICE;
  switch (attribute) {
    case 1: *v = 1024; break;        /* MAX_THREADS_PER_BLOCK */
    case 2: case 3: *v = 1024; break; /* MAX_BLOCK_DIM_X, Y */
    case 4: *v = 64; break;           /* MAX_BLOCK_DIM_Z */
    case 5: *v = 2147483647; break;   /* MAX_GRID_DIM_X */
    case 6: case 7: *v = 65535; break; /* MAX_GRID_DIM_Y, Z */
    case 8: *v = SHARED_LIMIT; break; /* MAX_SHARED_MEMORY_PER_BLOCK */
    case 10: *v = 32; break;          /* WARP_SIZE */
    case 16: *v = 4; break;           /* MULTIPROCESSOR_COUNT */
    case 75: *v = sm / 10; break;     /* COMPUTE_CAPABILITY_MAJOR */
    case 76: *v = sm % 10; break;     /* COMPUTE_CAPABILITY_MINOR */
    default: return CUDA_ERROR_INVALID_VALUE;
  }
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDevicePrimaryCtxRetain(context **ctx, CUdevice d) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!ctx) return CUDA_ERROR_INVALID_VALUE;
  if (d < 0 || d >= devices) return CUDA_ERROR_INVALID_DEVICE;
  pthread_mutex_lock(&lock);
  contexts[d].refs++;
  pthread_mutex_unlock(&lock);
  *ctx = &contexts[d];
  return CUDA_SUCCESS;
}

EXPORT CUresult cuDevicePrimaryCtxRelease_v2(CUdevice d) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (d < 0 || d >= devices) return CUDA_ERROR_INVALID_DEVICE;
  pthread_mutex_lock(&lock);
  CUresult r = contexts[d].refs > 0 ? (contexts[d].refs--, CUDA_SUCCESS) : CUDA_ERROR_INVALID_CONTEXT;
  pthread_mutex_unlock(&lock);
  return r;
}

static int is_context(const context *c) { return c >= contexts && c < contexts + devices; }

EXPORT CUresult cuCtxSetCurrent(context *ctx) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (ctx && (!is_context(ctx) || ctx->refs == 0)) return CUDA_ERROR_INVALID_CONTEXT;
  pthread_setspecific(current_key, ctx);
  return CUDA_SUCCESS;
}

EXPORT CUresult cuCtxGetCurrent(context **ctx) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!ctx) return CUDA_ERROR_INVALID_VALUE;
  *ctx = current;
  return CUDA_SUCCESS;
}

/* Every context-bound call starts here, the lock held on success: a current, retained context
 * without a fault. */
static CUresult enter(void) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  context *c = current;
  if (!c || !is_context(c)) return CUDA_ERROR_INVALID_CONTEXT;
  pthread_mutex_lock(&lock);
  if (c->refs == 0) {
    pthread_mutex_unlock(&lock);
    return CUDA_ERROR_INVALID_CONTEXT;
  }
  if (c->sticky) {
    CUresult r = c->sticky;
    pthread_mutex_unlock(&lock);
    return r;
  }
  return CUDA_SUCCESS;
}

static CUresult leave(CUresult r) {
  pthread_mutex_unlock(&lock);
  return r;
}

EXPORT CUresult cuCtxSynchronize(void) {
  CUresult r = enter();
  return r ? r : leave(CUDA_SUCCESS);
}

/* --- memory ----------------------------------------------------------------------------- */

EXPORT CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
  CUresult r = enter();
  if (r) return r;
  if (!p || bytes == 0) return leave(CUDA_ERROR_INVALID_VALUE);
  if ((fail_alloc && --fail_alloc == 0) || bytes > memory_limit - memory_used) return leave(CUDA_ERROR_OUT_OF_MEMORY);
  const size_t page = GUARD, body = (bytes + page - 1) / page * page;
  allocation *a = malloc(sizeof *a);
  unsigned char *map = a ? mmap(NULL, body + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
                         : MAP_FAILED;
  if (map == MAP_FAILED || mprotect(map + page, body, PROT_READ | PROT_WRITE) != 0) {
    if (map != MAP_FAILED) munmap(map, body + 2 * page);
    free(a);
    return leave(CUDA_ERROR_OUT_OF_MEMORY);
  }
  a->map = map;
  a->mapped = body + 2 * page;
  a->size = bytes;
  /* the block ends where the guard page starts (256-byte aligned, as cuMemAlloc's) */
  a->base = map + page + ((body - bytes) & ~(size_t)255);
  a->device = current->device;
  a->next = allocations;
  allocations = a;
  memory_used += bytes;
  *p = (CUdeviceptr)(uintptr_t)a->base;
  return leave(CUDA_SUCCESS);
}

static allocation *find(CUdeviceptr p, size_t bytes, int device) {
  for (allocation *a = allocations; a; a = a->next) {
    uintptr_t b = (uintptr_t)a->base;
    if (p >= b && p - b <= a->size && bytes <= a->size - (p - b)) return a->device == device ? a : NULL;
  }
  return NULL;
}

/* Frees even after a fault (unlike most calls), so a test can see that everything was freed. */
EXPORT CUresult cuMemFree_v2(CUdeviceptr p) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!current || !is_context(current)) return CUDA_ERROR_INVALID_CONTEXT;
  pthread_mutex_lock(&lock);
  for (allocation **at = &allocations; *at; at = &(*at)->next)
    if ((uintptr_t)(*at)->base == p) {
      allocation *a = *at;
      *at = a->next;
      memory_used -= a->size;
      munmap(a->map, a->mapped);
      free(a);
      return leave(CUDA_SUCCESS);
    }
  return leave(CUDA_ERROR_INVALID_VALUE);
}

EXPORT CUresult cuMemGetInfo_v2(size_t *free_bytes, size_t *total) {
  CUresult r = enter();
  if (r) return r;
  if (free_bytes) *free_bytes = memory_limit - memory_used;
  if (total) *total = memory_limit;
  return leave(CUDA_SUCCESS);
}

static CUresult copy(void *dst, const void *src, size_t bytes, CUdeviceptr dev, int to_device) {
  CUresult r = enter();
  if (r) return r;
  if (bytes == 0) return leave(CUDA_SUCCESS);
  if (!find(dev, bytes, current->device) || !(to_device ? src : dst)) return leave(CUDA_ERROR_INVALID_VALUE);
  memcpy(dst, src, bytes);
  return leave(CUDA_SUCCESS);
}

static int is_stream(const stream *s) {
  if (!s) return 1; /* the NULL stream */
  for (stream *t = streams; t; t = t->next)
    if (t == s) return t->device == current->device;
  return 0;
}

EXPORT CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t bytes) {
  return copy((void *)(uintptr_t)dst, src, bytes, dst, 1);
}

EXPORT CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t bytes) {
  return copy(dst, (const void *)(uintptr_t)src, bytes, src, 0);
}

EXPORT CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes, stream *s) {
  pthread_mutex_lock(&lock);
  int ok = !current || is_stream(s);
  pthread_mutex_unlock(&lock);
  return ok ? cuMemcpyHtoD_v2(dst, src, bytes) : CUDA_ERROR_INVALID_HANDLE;
}

EXPORT CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes, stream *s) {
  pthread_mutex_lock(&lock);
  int ok = !current || is_stream(s);
  pthread_mutex_unlock(&lock);
  return ok ? cuMemcpyDtoH_v2(dst, src, bytes) : CUDA_ERROR_INVALID_HANDLE;
}

EXPORT CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char v, size_t n) {
  CUresult r = enter();
  if (r) return r;
  if (n && !find(dst, n, current->device)) return leave(CUDA_ERROR_INVALID_VALUE);
  memset((void *)(uintptr_t)dst, v, n);
  return leave(CUDA_SUCCESS);
}

/* --- streams and events ------------------------------------------------------------------ */

EXPORT CUresult cuStreamCreate(stream **out, unsigned flags) {
  CUresult r = enter();
  if (r) return r;
  if (!out || flags > 1) return leave(CUDA_ERROR_INVALID_VALUE);
  stream *s = calloc(1, sizeof *s);
  if (!s) return leave(CUDA_ERROR_OUT_OF_MEMORY);
  s->device = current->device;
  s->next = streams;
  streams = s;
  *out = s;
  return leave(CUDA_SUCCESS);
}

EXPORT CUresult cuStreamDestroy_v2(stream *s) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  pthread_mutex_lock(&lock);
  for (stream **at = &streams; *at; at = &(*at)->next)
    if (*at == s) {
      *at = s->next;
      free(s);
      return leave(CUDA_SUCCESS);
    }
  return leave(CUDA_ERROR_INVALID_HANDLE);
}

EXPORT CUresult cuStreamSynchronize(stream *s) {
  CUresult r = enter();
  if (r) return r;
  return leave(is_stream(s) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE);
}

EXPORT CUresult cuEventCreate(event **out, unsigned flags) {
  CUresult r = enter();
  if (r) return r;
  (void)flags;
  if (!out) return leave(CUDA_ERROR_INVALID_VALUE);
  event *e = calloc(1, sizeof *e);
  if (!e) return leave(CUDA_ERROR_OUT_OF_MEMORY);
  e->device = current->device;
  e->next = events;
  events = e;
  *out = e;
  return leave(CUDA_SUCCESS);
}

static event *find_event(event *e) {
  for (event *t = events; t; t = t->next)
    if (t == e) return t;
  return NULL;
}

EXPORT CUresult cuEventDestroy_v2(event *e) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  pthread_mutex_lock(&lock);
  for (event **at = &events; *at; at = &(*at)->next)
    if (*at == e) {
      *at = e->next;
      free(e);
      return leave(CUDA_SUCCESS);
    }
  return leave(CUDA_ERROR_INVALID_HANDLE);
}

EXPORT CUresult cuEventRecord(event *e, stream *s) {
  CUresult r = enter();
  if (r) return r;
  if (!find_event(e) || !is_stream(s) || e->device != current->device) return leave(CUDA_ERROR_INVALID_HANDLE);
  e->ms = now_ms();
  e->recorded = 1;
  return leave(CUDA_SUCCESS);
}

EXPORT CUresult cuEventSynchronize(event *e) {
  CUresult r = enter();
  if (r) return r;
  return leave(find_event(e) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE);
}

EXPORT CUresult cuEventElapsedTime(float *ms, event *start, event *end) {
  CUresult r = enter();
  if (r) return r;
  if (!ms) return leave(CUDA_ERROR_INVALID_VALUE);
  if (!find_event(start) || !find_event(end)) return leave(CUDA_ERROR_INVALID_HANDLE);
  if (!start->recorded || !end->recorded) return leave(CUDA_ERROR_INVALID_HANDLE);
  *ms = (float)(end->ms - start->ms);
  return leave(CUDA_SUCCESS);
}

/* --- modules ---------------------------------------------------------------------------- */

static void module_free(module *m) {
  while (m->functions) {
    function *f = m->functions;
    m->functions = f->next;
    free(f);
  }
  if (m->dl) dlclose(m->dl);
  if (m->fd >= 0) close(m->fd);
  free(m);
}

EXPORT CUresult cuModuleLoadData(module **out, const void *image) {
  CUresult r = enter();
  if (r) return r;
  if (!out || !image) return leave(CUDA_ERROR_INVALID_VALUE);
  char kind[8];
  int arch, nv_major, nv_minor, syncs, used = 0;
  size_t shared, size;
  const char *head = image;
  if (strncmp(head, CTG_DOUBLE_MAGIC " ", strlen(CTG_DOUBLE_MAGIC) + 1) != 0 ||
      sscanf(head + strlen(CTG_DOUBLE_MAGIC), " %7s %d %d.%d %d %zu %zu%n", kind, &arch, &nv_major, &nv_minor, &syncs,
             &shared, &size, &used) != 7 || head[strlen(CTG_DOUBLE_MAGIC) + (size_t)used] != '\n')
    return leave(CUDA_ERROR_INVALID_IMAGE); /* a real CUBIN or PTX: this CPU runs none */
  const int ptx = strcmp(kind, "ptx") == 0;
  if (!ptx && (arch / 10 != sm / 10 || arch % 10 > sm % 10)) return leave(CUDA_ERROR_NO_BINARY_FOR_GPU);
  if (ptx && arch > sm) return leave(CUDA_ERROR_INVALID_PTX);
  if (ptx && nv_major * 1000 + nv_minor * 10 > driver) return leave(CUDA_ERROR_UNSUPPORTED_PTX_VERSION);
  const unsigned char *so = (const unsigned char *)head + strlen(CTG_DOUBLE_MAGIC) + used + 1;
  /* the object goes in through a memfd, never a path anyone else can write */
  int fd = (int)syscall(SYS_memfd_create, "cuda-double-module", 1u /* MFD_CLOEXEC */);
  size_t done = 0;
  while (fd >= 0 && done < size) {
    ssize_t w = write(fd, so + done, size - done);
    if (w <= 0) break;
    done += (size_t)w;
  }
  module *m = calloc(1, sizeof *m);
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  if (m && fd >= 0 && done == size) m->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!m || !m->dl) {
    if (fd >= 0) close(fd);
    free(m);
    return leave(CUDA_ERROR_INVALID_IMAGE);
  }
  m->fd = fd;
  m->device = current->device;
  m->syncs = syncs;
  m->shared = shared;
  m->thread_idx = dlsym(m->dl, "threadIdx");
  m->block_idx = dlsym(m->dl, "blockIdx");
  m->block_dim = dlsym(m->dl, "blockDim");
  m->grid_dim = dlsym(m->dl, "gridDim");
  m->dynamic_shared = dlsym(m->dl, "ctg_double_dynamic_shared");
  if (!m->thread_idx || !m->block_idx || !m->block_dim || !m->grid_dim || !m->dynamic_shared) {
    module_free(m);
    return leave(CUDA_ERROR_INVALID_IMAGE);
  }
  m->next = modules;
  modules = m;
  *out = m;
  return leave(CUDA_SUCCESS);
}

static module *find_module(module *m) {
  for (module *t = modules; t; t = t->next)
    if (t == m) return t;
  return NULL;
}

EXPORT CUresult cuModuleUnload(module *m) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  pthread_mutex_lock(&lock); /* allowed after a fault, as on a GPU: cleaning up must work */
  for (module **at = &modules; *at; at = &(*at)->next)
    if (*at == m) {
      *at = m->next;
      module_free(m);
      return leave(CUDA_SUCCESS);
    }
  return leave(CUDA_ERROR_INVALID_HANDLE);
}

EXPORT CUresult cuModuleGetFunction(function **out, module *m, const char *name) {
  CUresult r = enter();
  if (r) return r;
  if (!out || !name) return leave(CUDA_ERROR_INVALID_VALUE);
  if (!find_module(m)) return leave(CUDA_ERROR_INVALID_HANDLE);
  char sym[200];
  snprintf(sym, sizeof sym, "ctg_double_entry_%s", name);
  void *entry = strlen(name) < 120 ? dlsym(m->dl, sym) : NULL;
  snprintf(sym, sizeof sym, "ctg_double_arity_%s", name);
  const int *arity = entry ? dlsym(m->dl, sym) : NULL;
  if (!entry || !arity) return leave(CUDA_ERROR_NOT_FOUND);
  function *f = calloc(1, sizeof *f);
  if (!f) return leave(CUDA_ERROR_OUT_OF_MEMORY);
  f->m = m;
  *(void **)&f->entry = entry;
  f->arity = *arity;
  snprintf(f->name, sizeof f->name, "%s", name);
  f->next = m->functions;
  m->functions = f;
  *out = f;
  return leave(CUDA_SUCCESS);
}

static function *find_function(function *f) {
  for (module *m = modules; m; m = m->next)
    for (function *g = m->functions; g; g = g->next)
      if (g == f) return g;
  return NULL;
}

/* --- running a grid ---------------------------------------------------------------------- */

/* a block whose threads meet at __syncthreads: one fiber per thread */
static struct {
  ucontext_t scheduler;
  ucontext_t *fibers;
  unsigned char *stacks;
  size_t stack_size, stacks_mapped;
  int *state; /* 0 runnable, 1 at the barrier, 2 finished */
  int running, count;
  function *f;
  void **args;
  module *m;
} block;

static void fiber_main(void) {
  block.f->entry(block.args);
  block.state[block.running] = 2;
}

static void sync_threads(void) {
  if (!block.fibers) return; /* code without a barrier in its text: runs one thread at a time */
  int me = block.running;
  block.state[me] = 1;
  swapcontext(&block.fibers[me], &block.scheduler);
}

static void set3(unsigned *v, unsigned x, unsigned y, unsigned z) { v[0] = x, v[1] = y, v[2] = z; }

static int run_block_fibers(function *f, void **args, const unsigned bd[3]) {
  const int n = (int)(bd[0] * bd[1] * bd[2]);
  block.stack_size = 256 << 10;
  if (block.stacks_mapped < (size_t)n * block.stack_size) {
    if (block.stacks) munmap(block.stacks, block.stacks_mapped);
    block.stacks_mapped = (size_t)n * block.stack_size;
    block.stacks = mmap(NULL, block.stacks_mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                        -1, 0);
    if (block.stacks == MAP_FAILED) {
      block.stacks = NULL, block.stacks_mapped = 0;
      return 0;
    }
  }
  block.fibers = calloc((size_t)n, sizeof *block.fibers);
  block.state = calloc((size_t)n, sizeof *block.state);
  if (!block.fibers || !block.state) {
    free(block.fibers), free(block.state);
    block.fibers = NULL, block.state = NULL;
    return 0;
  }
  block.f = f, block.args = args, block.count = n;
  for (int i = 0; i < n; i++) {
    getcontext(&block.fibers[i]);
    block.fibers[i].uc_stack.ss_sp = block.stacks + (size_t)i * block.stack_size;
    block.fibers[i].uc_stack.ss_size = block.stack_size;
    block.fibers[i].uc_link = &block.scheduler;
    makecontext(&block.fibers[i], fiber_main, 0);
  }
  for (;;) {
    int live = 0;
    for (int i = 0; i < n; i++) {
      if (block.state[i] == 2) continue;
      block.state[i] = 0;
      block.running = i;
      set3(f->m->thread_idx, (unsigned)i % bd[0], (unsigned)i / bd[0] % bd[1], (unsigned)i / (bd[0] * bd[1]));
      swapcontext(&block.scheduler, &block.fibers[i]);
      live += block.state[i] != 2;
    }
    if (!live) break; /* every thread finished; else all live ones wait at the barrier: release */
  }
  free(block.fibers), free(block.state);
  block.fibers = NULL, block.state = NULL;
  return 1;
}

/* Runs the grid: 1, 0 when a fiber block could not be set up, -1 when the kernel faulted. */
static int run_grid(function *f, void **params, unsigned gx, unsigned gy, unsigned gz, const unsigned bd[3]) {
  module *m = f->m;
  sigjmp_buf jump;
  catch_faults();
  if (sigsetjmp(jump, 1) != 0) {
    kernel_jump = NULL;
    release_faults();
    free(block.fibers), free(block.state);
    block.fibers = NULL, block.state = NULL;
    return -1;
  }
  kernel_thread = pthread_self();
  kernel_jump = &jump;
  int ok = 1;
  for (unsigned z = 0; z < gz && ok; z++)
    for (unsigned y = 0; y < gy && ok; y++)
      for (unsigned x = 0; x < gx && ok; x++) {
        set3(m->block_idx, x, y, z);
        if (m->syncs) {
          ok = run_block_fibers(f, params, bd);
          continue;
        }
        for (unsigned tz = 0; tz < bd[2]; tz++)
          for (unsigned ty = 0; ty < bd[1]; ty++)
            for (unsigned tx = 0; tx < bd[0]; tx++) {
              set3(m->thread_idx, tx, ty, tz);
              f->entry(params);
            }
      }
  kernel_jump = NULL;
  release_faults();
  return ok;
}

EXPORT CUresult cuLaunchKernel(function *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                               unsigned bz, unsigned shared, stream *s, void **params, void **extra) {
  CUresult r = enter();
  if (r) return r;
  if (!find_function(f)) return leave(CUDA_ERROR_INVALID_HANDLE);
  module *m = f->m;
  if (m->device != current->device || !is_stream(s)) return leave(CUDA_ERROR_INVALID_HANDLE);
  if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0 || gx > 2147483647u || gy > 65535 ||
      gz > 65535 || bx > 1024 || by > 1024 || bz > 64 || (unsigned long long)bx * by * bz > 1024)
    return leave(CUDA_ERROR_INVALID_VALUE);
  if (m->shared + shared > SHARED_LIMIT) return leave(CUDA_ERROR_INVALID_VALUE);
  if (extra || (f->arity > 0 && !params)) return leave(CUDA_ERROR_INVALID_VALUE);
  if (fail_launch && --fail_launch == 0) return leave(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES);
  launches++;
  if (fail_kernel && --fail_kernel == 0) {
    current->sticky = CUDA_ERROR_ILLEGAL_ADDRESS; /* seen by the next call, as an asynchronous fault */
    return leave(CUDA_SUCCESS);
  }
  void (**sync_hook)(void) = dlsym(m->dl, "ctg_double_syncthreads");
  if (sync_hook) *sync_hook = sync_threads;
  const unsigned bd[3] = { bx, by, bz };
  /* dynamic shared memory: one buffer, reused block after block (its contents are undefined
   * at a block's start on a GPU too) */
  void *dynamic = shared ? aligned_alloc(16, (shared + 15) / 16 * 16) : NULL;
  if (shared && !dynamic) return leave(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES);
  *m->dynamic_shared = dynamic;
  set3(m->grid_dim, gx, gy, gz);
  set3(m->block_dim, bx, by, bz);
  int ran = run_grid(f, params, gx, gy, gz, bd);
  free(dynamic);
  *m->dynamic_shared = NULL;
  if (ran < 0) {
    current->sticky = CUDA_ERROR_ILLEGAL_ADDRESS; /* seen by the next call, as on a GPU */
    return leave(CUDA_SUCCESS);
  }
  const int ok = ran > 0;
  return leave(ok ? CUDA_SUCCESS : CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES);
}

/* --- errors ------------------------------------------------------------------------------ */

static const struct {
  CUresult code;
  const char *name, *text;
} errors[] = {
  { CUDA_SUCCESS, "CUDA_SUCCESS", "no error" },
  { CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument" },
  { CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory" },
  { CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error" },
  { CUDA_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected" },
  { CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal" },
  { CUDA_ERROR_INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid" },
  { CUDA_ERROR_INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context" },
  { CUDA_ERROR_NO_BINARY_FOR_GPU, "CUDA_ERROR_NO_BINARY_FOR_GPU", "no kernel image is available for execution on the device" },
  { CUDA_ERROR_INVALID_PTX, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed" },
  { CUDA_ERROR_UNSUPPORTED_PTX_VERSION, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "the provided PTX was compiled with an unsupported toolchain." },
  { CUDA_ERROR_INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle" },
  { CUDA_ERROR_NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found" },
  { CUDA_ERROR_NOT_READY, "CUDA_ERROR_NOT_READY", "device not ready" },
  { CUDA_ERROR_ILLEGAL_ADDRESS, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered" },
  { CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch" },
  { CUDA_ERROR_NOT_SUPPORTED, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported" },
};

EXPORT CUresult cuGetErrorString(CUresult r, const char **s) {
  if (!s) return CUDA_ERROR_INVALID_VALUE;
  for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
    if (errors[i].code == r) {
      *s = errors[i].text;
      return CUDA_SUCCESS;
    }
  *s = NULL;
  return CUDA_ERROR_INVALID_VALUE;
}

EXPORT CUresult cuGetErrorName(CUresult r, const char **s) {
  if (!s) return CUDA_ERROR_INVALID_VALUE;
  for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
    if (errors[i].code == r) {
      *s = errors[i].name;
      return CUDA_SUCCESS;
    }
  *s = NULL;
  return CUDA_ERROR_INVALID_VALUE;
}
