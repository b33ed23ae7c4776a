/* backend_nvrtc.c: generated CUDA compiled by NVRTC and launched through the CUDA driver API.
 *
 * Both libraries are dlopen()ed and the few types and functions used are declared here, so
 * building convtgen never needs CUDA. Without them the backend reports itself unavailable.
 * With $CONVTGEN_CUDA_DOUBLE=1 both come from convtgen's CPU double of them (tools/cuda_double,
 * built to build/cuda_double; $CONVTGEN_CUDA_DOUBLE_DIR elsewhere), through the same calls.
 *
 * A GPU user's path: weights bound once (copied to the device), runs enqueued on the caller's
 * stream on device pointers, no copy and no wait; each call makes the device's primary context
 * current on the calling thread. The host-pointer path copies in, runs on a stream of its own,
 * waits for that stream only and copies out. Launches are sliced to the device's grid limits.
 * A fault that poisons the context (an illegal address, ...) marks the device unusable: every
 * later call on it says so, none crashes. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* --- NVRTC ----------------------------------------------------------------------------- */

typedef int nvrtcResult; /* NVRTC_SUCCESS = 0 */
typedef struct _nvrtcProgram *nvrtcProgram;

static struct {
  void *lib;
  nvrtcResult (*version)(int *, int *);
  nvrtcResult (*num_archs)(int *);   /* NULL in NVRTCs before 11.2 */
  int (*double_abi)(void);           /* the CUDA double's only */
  nvrtcResult (*archs)(int *);
  nvrtcResult (*create)(nvrtcProgram *, const char *, const char *, int, const char *const *, const char *const *);
  nvrtcResult (*compile)(nvrtcProgram, int, const char *const *);
  nvrtcResult (*log_size)(nvrtcProgram, size_t *);
  nvrtcResult (*log)(nvrtcProgram, char *);
  nvrtcResult (*cubin_size)(nvrtcProgram, size_t *);
  nvrtcResult (*cubin)(nvrtcProgram, char *);
  nvrtcResult (*ptx_size)(nvrtcProgram, size_t *);
  nvrtcResult (*ptx)(nvrtcProgram, char *);
  nvrtcResult (*destroy)(nvrtcProgram *);
  const char *(*error_string)(nvrtcResult);
  int major, minor;
  char why[300]; /* why loading failed */
} nv;

static pthread_once_t nv_once = PTHREAD_ONCE_INIT;

static void *sym(void *lib, const char *name, int *missing) {
  void *p = dlsym(lib, name);
  if (!p) *missing = 1;
  return p;
}

#ifndef CTG_CUDA_DOUBLE_DIR
#define CTG_CUDA_DOUBLE_DIR "" /* where the build put the double; $CONVTGEN_CUDA_DOUBLE_DIR overrides */
#endif

static int want_double(void) {
  const char *v = getenv("CONVTGEN_CUDA_DOUBLE");
  return v && *v && strcmp(v, "0") != 0;
}

/* The double's folder; "" when unknown. */
static const char *double_dir(void) {
  const char *d = getenv("CONVTGEN_CUDA_DOUBLE_DIR");
  return d && *d ? d : CTG_CUDA_DOUBLE_DIR;
}

/* Opens one of the double's libraries, or says why it cannot. */
static void *open_double(const char *file, char *why, size_t cap) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", double_dir(), file);
  void *lib = double_dir()[0] ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
  if (!lib)
    snprintf(why, cap, "CONVTGEN_CUDA_DOUBLE is set but the CUDA double's %s is not in '%s' "
             "(make builds it in build/cuda_double; CONVTGEN_CUDA_DOUBLE_DIR names another folder)", file, double_dir());
  return lib;
}

/* libnvrtc.so.<major> through $CUDA_HOME, /usr/local/cuda and the loader path (the double's
 * with $CONVTGEN_CUDA_DOUBLE). */
static void load_nvrtc(void) {
  if (want_double()) {
    nv.lib = open_double("libnvrtc.so.12", nv.why, sizeof nv.why);
    if (!nv.lib) return;
  }
  const char *home = getenv("CUDA_HOME");
  const char *dirs[] = { home && home[0] ? home : NULL, "/usr/local/cuda", "" };
  const char *versions[] = { ".13", ".12", ".11", "" };
  char path[1024];
  for (int d = 0; d < 3 && !nv.lib; d++) {
    if (!dirs[d]) continue;
    for (int v = 0; v < 4 && !nv.lib; v++) {
      if (dirs[d][0]) snprintf(path, sizeof path, "%s/lib64/libnvrtc.so%s", dirs[d], versions[v]);
      else snprintf(path, sizeof path, "libnvrtc.so%s", versions[v]);
      nv.lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    }
  }
  if (!nv.lib) {
    snprintf(nv.why, sizeof nv.why, "NVRTC is not available (no libnvrtc.so under $CUDA_HOME/lib64, "
             "/usr/local/cuda/lib64 or the loader path)");
    return;
  }
  int missing = 0;
  *(void **)&nv.version = sym(nv.lib, "nvrtcVersion", &missing);
  *(void **)&nv.create = sym(nv.lib, "nvrtcCreateProgram", &missing);
  *(void **)&nv.compile = sym(nv.lib, "nvrtcCompileProgram", &missing);
  *(void **)&nv.log_size = sym(nv.lib, "nvrtcGetProgramLogSize", &missing);
  *(void **)&nv.log = sym(nv.lib, "nvrtcGetProgramLog", &missing);
  *(void **)&nv.cubin_size = sym(nv.lib, "nvrtcGetCUBINSize", &missing);
  *(void **)&nv.cubin = sym(nv.lib, "nvrtcGetCUBIN", &missing);
  *(void **)&nv.ptx_size = sym(nv.lib, "nvrtcGetPTXSize", &missing);
  *(void **)&nv.ptx = sym(nv.lib, "nvrtcGetPTX", &missing);
  *(void **)&nv.destroy = sym(nv.lib, "nvrtcDestroyProgram", &missing);
  *(void **)&nv.error_string = sym(nv.lib, "nvrtcGetErrorString", &missing);
  int optional = 0;
  *(void **)&nv.num_archs = sym(nv.lib, "nvrtcGetNumSupportedArchs", &optional);
  *(void **)&nv.archs = sym(nv.lib, "nvrtcGetSupportedArchs", &optional);
  *(void **)&nv.double_abi = sym(nv.lib, "nvrtcDoubleAbi", &optional);
  if (missing || nv.version(&nv.major, &nv.minor) != 0) {
    snprintf(nv.why, sizeof nv.why, "the libnvrtc found is too old or broken (needs nvrtcGetCUBIN)");
    dlclose(nv.lib);
    nv.lib = NULL;
  }
}

/* NVRTC loaded (once), or why not. */
static int nvrtc_ready(ctg_error *err) {
  pthread_once(&nv_once, load_nvrtc);
  return nv.lib ? CTG_OK : ctg__fail(err, CTG_ERR_UNAVAILABLE, "%s", nv.why);
}

int ctg__nvrtc_version(char *buf, size_t cap, ctg_error *err) {
  int st = nvrtc_ready(err);
  if (st != CTG_OK) return st;
  snprintf(buf, cap, "NVRTC %d.%d%s", nv.major, nv.minor, want_double() ? " (the CUDA double)" : "");
  return CTG_OK;
}

/* The newest arch NVRTC compiles for that is at most cc (e.g. 90), or -1; *exact when cc itself
 * is one. An NVRTC without the query is taken to know every arch. */
static int nvrtc_best_arch(int cc, int *exact) {
  *exact = 1;
  int n = 0;
  if (!nv.num_archs || !nv.archs || nv.num_archs(&n) != 0 || n <= 0 || n > 1024) return cc;
  int *a = malloc((size_t)n * sizeof *a), best = -1;
  *exact = 0;
  if (!a || nv.archs(a) != 0) {
    free(a);
    *exact = 1;
    return cc;
  }
  for (int i = 0; i < n; i++) {
    if (a[i] == cc) *exact = 1;
    if (a[i] <= cc && a[i] > best) best = a[i];
  }
  free(a);
  return best;
}

static int nvrtc_build(const char *source, const char *arch, void **image, size_t *size, char **log,
                       ctg_error *err) {
  nvrtcProgram prog;
  nvrtcResult r = nv.create(&prog, source, "kernel.cu", 0, NULL, NULL);
  if (r != 0) return ctg__fail(err, CTG_ERR_INTERNAL, "nvrtcCreateProgram: %s", nv.error_string(r));
  char arch_opt[64];
  snprintf(arch_opt, sizeof arch_opt, "--gpu-architecture=%s", arch);
  const char *opts[] = { arch_opt, "--std=c++17" };
  r = nv.compile(prog, 2, opts);
  size_t lsize = 0;
  char *text = NULL;
  if (nv.log_size(prog, &lsize) == 0 && lsize > 1 && (text = malloc(lsize)) && nv.log(prog, text) != 0) {
    free(text);
    text = NULL;
  }
  int st = CTG_OK;
  if (r != 0) {
    st = ctg__fail(err, CTG_ERR_INTERNAL, "NVRTC could not compile the generated kernel for %s: %s: %.380s",
                   arch, nv.error_string(r), text ? text : "");
  } else {
    int cubin = strncmp(arch, "sm_", 3) == 0;
    nvrtcResult rs = cubin ? nv.cubin_size(prog, size) : nv.ptx_size(prog, size);
    *image = rs == 0 ? malloc(*size ? *size : 1) : NULL;
    if (!*image || (cubin ? nv.cubin(prog, *image) : nv.ptx(prog, *image)) != 0) {
      free(*image);
      *image = NULL;
      st = ctg__fail(err, CTG_ERR_INTERNAL, "NVRTC produced no %s for %s", cubin ? "CUBIN" : "PTX", arch);
    }
  }
  nv.destroy(&prog);
  if (log) *log = text;
  else free(text);
  return st;
}

int ctg__nvrtc_compile(const char *source, const char *arch, void **image, size_t *size, char **log,
                       ctg_error *err) {
  *image = NULL;
  *size = 0;
  if (log) *log = NULL;
  int ready = nvrtc_ready(err);
  if (ready != CTG_OK) return ready;
  if (strncmp(arch, "sm_", 3) != 0 && strncmp(arch, "compute_", 8) != 0)
    return ctg__fail(err, CTG_ERR_ARG, "arch '%s': expected sm_XX or compute_XX", arch);
  /* the key: everything that changes the compiled image */
  size_t n = strlen(source) + 128;
  char *key = malloc(n);
  if (!key) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  char lib[32] = "";
  if (nv.double_abi) snprintf(lib, sizeof lib, " double %d", nv.double_abi());
  int klen = snprintf(key, n, "convtgen %s nvrtc %d.%d%s arch %s opts --std=c++17\n%s", CTG_VERSION, nv.major,
                      nv.minor, lib, arch, source);
  int st = CTG_OK;
  if (!ctg__cache_load("cubin", key, (size_t)klen, image, size)) {
    st = nvrtc_build(source, arch, image, size, log, err);
    if (st == CTG_OK) ctg__cache_store("cubin", key, (size_t)klen, *image, *size, NULL); /* best effort */
  }
  free(key);
  return st;
}

/* --- the CUDA driver --------------------------------------------------------------------- */

typedef int CUresult; /* CUDA_SUCCESS = 0 */
typedef int CUdevice;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;
typedef unsigned long long CUdeviceptr;
enum { /* CU_DEVICE_ATTRIBUTE_*, CUresult values */
  ATTR_GRID_Y = 6, ATTR_GRID_Z = 7, ATTR_CC_MAJOR = 75, ATTR_CC_MINOR = 76,
  CU_OUT_OF_MEMORY = 2, CU_STREAM_NON_BLOCKING = 1
};

static struct {
  void *lib;
  int is_double;
  CUresult (*init)(unsigned);
  CUresult (*count)(int *);
  CUresult (*device_get)(CUdevice *, int);
  CUresult (*attribute)(int *, int, CUdevice);
  CUresult (*device_name)(char *, int, CUdevice);
  CUresult (*retain)(CUcontext *, CUdevice);
  CUresult (*set_current)(CUcontext);
  CUresult (*load_data)(CUmodule *, const void *);
  CUresult (*unload)(CUmodule);
  CUresult (*get_function)(CUfunction *, CUmodule, const char *);
  CUresult (*mem_alloc)(CUdeviceptr *, size_t);
  CUresult (*mem_free)(CUdeviceptr);
  CUresult (*htod)(CUdeviceptr, const void *, size_t);
  CUresult (*dtoh)(void *, CUdeviceptr, size_t);
  CUresult (*stream_create)(CUstream *, unsigned);
  CUresult (*stream_destroy)(CUstream);
  CUresult (*stream_sync)(CUstream);
  CUresult (*event_create)(CUevent *, unsigned);
  CUresult (*event_record)(CUevent, CUstream);
  CUresult (*event_sync)(CUevent);
  CUresult (*event_elapsed)(float *, CUevent, CUevent);
  CUresult (*event_destroy)(CUevent);
  CUresult (*launch)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                     CUstream, void **, void **);
  CUresult (*error_string)(CUresult, const char **);
  CUresult (*error_name)(CUresult, const char **);
  int devices;
  char why[400];
} cu;

static pthread_once_t cu_once = PTHREAD_ONCE_INIT;

/* "an illegal memory access was encountered (CUDA_ERROR_ILLEGAL_ADDRESS)" */
static const char *cu_text(CUresult r, char *buf, size_t cap) {
  const char *s = NULL, *name = NULL;
  if (!cu.error_string || cu.error_string(r, &s) != 0 || !s) s = "unknown CUDA error";
  if (!cu.error_name || cu.error_name(r, &name) != 0 || !name) name = NULL;
  if (name) snprintf(buf, cap, "%s (%s)", s, name);
  else snprintf(buf, cap, "%s (CUresult %d)", s, r);
  return buf;
}

static void load_driver(void) {
  if (want_double()) cu.lib = open_double("libcuda.so.1", cu.why, sizeof cu.why);
  else if (!(cu.lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL)))
    snprintf(cu.why, sizeof cu.why, "no CUDA driver on this machine (libcuda.so.1 not found)");
  if (!cu.lib) return;
  int missing = 0, optional = 0;
  cu.is_double = dlsym(cu.lib, "cuDoubleStats") != NULL;
  *(void **)&cu.init = sym(cu.lib, "cuInit", &missing);
  *(void **)&cu.count = sym(cu.lib, "cuDeviceGetCount", &missing);
  *(void **)&cu.device_get = sym(cu.lib, "cuDeviceGet", &missing);
  *(void **)&cu.attribute = sym(cu.lib, "cuDeviceGetAttribute", &missing);
  *(void **)&cu.device_name = sym(cu.lib, "cuDeviceGetName", &missing);
  *(void **)&cu.retain = sym(cu.lib, "cuDevicePrimaryCtxRetain", &missing);
  *(void **)&cu.set_current = sym(cu.lib, "cuCtxSetCurrent", &missing);
  *(void **)&cu.load_data = sym(cu.lib, "cuModuleLoadData", &missing);
  *(void **)&cu.unload = sym(cu.lib, "cuModuleUnload", &missing);
  *(void **)&cu.get_function = sym(cu.lib, "cuModuleGetFunction", &missing);
  *(void **)&cu.mem_alloc = sym(cu.lib, "cuMemAlloc_v2", &missing);
  *(void **)&cu.mem_free = sym(cu.lib, "cuMemFree_v2", &missing);
  *(void **)&cu.htod = sym(cu.lib, "cuMemcpyHtoD_v2", &missing);
  *(void **)&cu.dtoh = sym(cu.lib, "cuMemcpyDtoH_v2", &missing);
  *(void **)&cu.stream_create = sym(cu.lib, "cuStreamCreate", &missing);
  *(void **)&cu.stream_destroy = sym(cu.lib, "cuStreamDestroy_v2", &missing);
  *(void **)&cu.stream_sync = sym(cu.lib, "cuStreamSynchronize", &missing);
  *(void **)&cu.event_create = sym(cu.lib, "cuEventCreate", &missing);
  *(void **)&cu.event_record = sym(cu.lib, "cuEventRecord", &missing);
  *(void **)&cu.event_sync = sym(cu.lib, "cuEventSynchronize", &missing);
  *(void **)&cu.event_elapsed = sym(cu.lib, "cuEventElapsedTime", &missing);
  *(void **)&cu.event_destroy = sym(cu.lib, "cuEventDestroy_v2", &missing);
  *(void **)&cu.launch = sym(cu.lib, "cuLaunchKernel", &missing);
  *(void **)&cu.error_string = sym(cu.lib, "cuGetErrorString", &missing);
  *(void **)&cu.error_name = sym(cu.lib, "cuGetErrorName", &optional);
  CUresult r;
  char text[200];
  if (missing) {
    snprintf(cu.why, sizeof cu.why, "the CUDA driver library lacks functions convtgen needs (CUDA 11 or newer)");
  } else if ((r = cu.init(0)) != 0 || (r = cu.count(&cu.devices)) != 0) {
    snprintf(cu.why, sizeof cu.why, "no usable GPU: %s", cu_text(r, text, sizeof text));
  } else if (cu.devices <= 0) {
    snprintf(cu.why, sizeof cu.why, "no usable GPU: the CUDA driver sees no device");
  } else {
    return;
  }
  dlclose(cu.lib);
  cu.lib = NULL;
}

int ctg_cuda_is_cpu_double(void) {
  pthread_once(&cu_once, load_driver);
  return cu.lib ? cu.is_double : want_double();
}

void *ctg__cuda_driver_symbol(const char *name) {
  pthread_once(&cu_once, load_driver);
  return cu.lib && name ? dlsym(cu.lib, name) : NULL;
}

/* --- devices ----------------------------------------------------------------------------- */

#define MAX_DEVICES 64

typedef struct cuda_device {
  int ordinal;
  int ready;       /* set up; loaded and stored atomically */
  CUdevice dev;
  CUcontext ctx;   /* the primary context: shared with every other user of the device (PyTorch's) */
  int cc;          /* compute capability, 90 for 9.0 */
  unsigned grid_y, grid_z;
  char name[100];
  int broken;      /* a fault poisoned the context; loaded and stored atomically */
  char broken_why[400];
} cuda_device;

static cuda_device devices[MAX_DEVICES];
static pthread_mutex_t devices_lock = PTHREAD_MUTEX_INITIALIZER;

/* Errors that leave the context unusable (the driver's "sticky" ones). */
static int poisons_context(CUresult r) {
  return r == 700 || r == 702 || r == 710 || (r >= 714 && r <= 720);
}

/* One line for a failed driver call; a poisoning fault marks the device unusable, naming kernel. */
static int cu_fail(cuda_device *d, CUresult r, const char *call, const char *kernel, ctg_error *err) {
  char text[200];
  cu_text(r, text, sizeof text);
  if (r == CU_OUT_OF_MEMORY) return ctg__fail(err, CTG_ERR_ALLOC, "%s on CUDA device %d: %s", call, d->ordinal, text);
  if (poisons_context(r)) {
    /* asynchronous: it happened in this kernel or in work enqueued before it (anyone's) */
    pthread_mutex_lock(&devices_lock);
    if (!d->broken) {
      snprintf(d->broken_why, sizeof d->broken_why, "a fault, %s, seen at %s%s%s", text, call,
               kernel ? " of kernel " : "", kernel ? kernel : "");
      __atomic_store_n(&d->broken, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&devices_lock);
    return ctg__fail(err, CTG_ERR_INTERNAL, "CUDA device %d: %s; the device's context is unusable for the rest of "
                     "this process", d->ordinal, d->broken_why);
  }
  return ctg__fail(err, CTG_ERR_INTERNAL, "%s%s%s on CUDA device %d: %s", call, kernel ? " of kernel " : "",
                   kernel ? kernel : "", d->ordinal, text);
}

/* Device d set up once per process: its primary context retained, what it is and its grid. */
static int device_setup(cuda_device *d, int ordinal, ctg_error *err) {
  int st = CTG_OK;
  pthread_mutex_lock(&devices_lock);
  if (!d->ready) {
    CUresult r;
    int major = 0, minor = 0, gy = 0, gz = 0;
    char text[200];
    d->ordinal = ordinal;
    if ((r = cu.device_get(&d->dev, ordinal)) != 0 || (r = cu.attribute(&major, ATTR_CC_MAJOR, d->dev)) != 0 ||
        (r = cu.attribute(&minor, ATTR_CC_MINOR, d->dev)) != 0 || (r = cu.attribute(&gy, ATTR_GRID_Y, d->dev)) != 0 ||
        (r = cu.attribute(&gz, ATTR_GRID_Z, d->dev)) != 0 || (r = cu.retain(&d->ctx, d->dev)) != 0) {
      st = ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'nvrtc': CUDA device %d is not usable: %s", ordinal,
                     cu_text(r, text, sizeof text));
    } else {
      if (cu.device_name(d->name, sizeof d->name, d->dev) != 0) snprintf(d->name, sizeof d->name, "?");
      d->cc = major * 10 + minor;
      d->grid_y = gy > 0 && gy < 65535 ? (unsigned)gy : 65535;
      d->grid_z = gz > 0 && gz < 65535 ? (unsigned)gz : 65535;
      __atomic_store_n(&d->ready, 1, __ATOMIC_RELEASE);
    }
  }
  pthread_mutex_unlock(&devices_lock);
  return st;
}

/* The device, set up, and its primary context made current on this thread. The run path takes
 * no lock: setup happens once, and a fault's mark is an atomic flag. */
static int device_enter(int ordinal, cuda_device **out, ctg_error *err) {
  pthread_once(&cu_once, load_driver);
  if (!cu.lib) return ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'nvrtc': %s", cu.why);
  if (ordinal < 0 || ordinal >= cu.devices || ordinal >= MAX_DEVICES)
    return ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'nvrtc': no CUDA device %d (this machine has %d)", ordinal,
                     cu.devices);
  cuda_device *d = &devices[ordinal];
  if (!__atomic_load_n(&d->ready, __ATOMIC_ACQUIRE)) {
    int st = device_setup(d, ordinal, err);
    if (st != CTG_OK) return st;
  }
  if (__atomic_load_n(&d->broken, __ATOMIC_ACQUIRE))
    return ctg__fail(err, CTG_ERR_UNAVAILABLE, "CUDA device %d is unusable after %s", ordinal, d->broken_why);
  CUresult r = cu.set_current(d->ctx);
  if (r != 0) return cu_fail(d, r, "cuCtxSetCurrent", NULL, err);
  *out = d;
  return CTG_OK;
}

/* --- kernels ----------------------------------------------------------------------------- */

typedef struct cuda_launch {
  CUfunction fn;
  ctg__launch at; /* name, grid (y: for one image), block */
} cuda_launch;

typedef struct cuda_kernel {
  cuda_device *d;
  CUmodule module;
  int count;
  cuda_launch *launch;
  char arch[24];
} cuda_kernel;

/* What to compile for on device d: the asked arch when d can run it, else why not; with none
 * asked, d's own as a CUBIN, or PTX for NVRTC's newest arch below it (the driver compiles it). */
static int choose_arch(const cuda_device *d, const char *asked, char *arch, size_t cap, ctg_error *err) {
  if (asked && asked[0]) {
    int ptx = strncmp(asked, "compute_", 8) == 0, cubin = strncmp(asked, "sm_", 3) == 0, v = -1, used = 0;
    const char *digits = ptx ? asked + 8 : asked + 3;
    if ((!ptx && !cubin) || sscanf(digits, "%d%n", &v, &used) != 1 || digits[used] || v < 10)
      return ctg__fail(err, CTG_ERR_ARG, "arch '%s': expected sm_XX or compute_XX (e.g. sm_90, compute_80)", asked);
    if (cubin && (v / 10 != d->cc / 10 || v % 10 > d->cc % 10))
      return ctg__fail(err, CTG_ERR_ARG, "arch %s cannot run on CUDA device %d (%s, sm_%d): a CUBIN runs only on its "
                       "own major version at the same or a later minor; ask for compute_%d (PTX the driver compiles) "
                       "or leave the arch out", asked, d->ordinal, d->name, d->cc, v);
    if (ptx && v > d->cc)
      return ctg__fail(err, CTG_ERR_ARG, "arch %s is newer than CUDA device %d (%s, sm_%d)", asked, d->ordinal, d->name,
                       d->cc);
    snprintf(arch, cap, "%s", asked);
    return CTG_OK;
  }
  int exact, best = nvrtc_best_arch(d->cc, &exact);
  if (best < 0)
    return ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'nvrtc': NVRTC %d.%d compiles for no arch that CUDA device %d "
                     "(sm_%d) can run", nv.major, nv.minor, d->ordinal, d->cc);
  if (exact) snprintf(arch, cap, "sm_%d", d->cc);
  else snprintf(arch, cap, "compute_%d", best);
  return CTG_OK;
}

static void kernel_free(cuda_kernel *k) {
  if (!k) return;
  if (k->module && cu.set_current(k->d->ctx) == 0) cu.unload(k->module);
  free(k->launch);
  free(k);
}

/* Compiles source for device (arch: see choose_arch), loads it and finds the kernels of the
 * count launches. */
static int cuda_load(const char *source, const ctg__launch *launches, int count, const char *asked, int device,
                     cuda_kernel **out, ctg_error *err) {
  *out = NULL;
  cuda_device *d;
  int st = device_enter(device, &d, err);
  if (st != CTG_OK) return st;
  if ((st = nvrtc_ready(err)) != CTG_OK) return st; /* choose_arch asks NVRTC what it knows */
  cuda_kernel *k = calloc(1, sizeof *k);
  if (!k) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  k->d = d;
  if ((st = choose_arch(d, asked, k->arch, sizeof k->arch, err)) != CTG_OK) {
    free(k);
    return st;
  }
  void *image;
  size_t size;
  if ((st = ctg__nvrtc_compile(source, k->arch, &image, &size, NULL, err)) != CTG_OK) {
    free(k);
    return st;
  }
  CUresult r = cu.load_data(&k->module, image);
  free(image);
  if (r != 0) {
    k->module = NULL;
    char what[80];
    snprintf(what, sizeof what, "cuModuleLoadData (%s)", k->arch);
    st = cu_fail(d, r, what, NULL, err);
    kernel_free(k);
    return st;
  }
  k->launch = calloc((size_t)count + 1, sizeof *k->launch);
  if (!k->launch) {
    kernel_free(k);
    return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  }
  for (int i = 0; i < count && st == CTG_OK; i++) {
    cuda_launch *l = &k->launch[k->count];
    l->at = launches[i];
    if ((r = cu.get_function(&l->fn, k->module, l->at.name)) != 0) st = cu_fail(d, r, "cuModuleGetFunction", l->at.name, err);
    k->count++;
  }
  if (st != CTG_OK) {
    kernel_free(k);
    return st;
  }
  *out = k;
  return CTG_OK;
}

/* Enqueues every kernel for batch images on stream s, sliced to the device's grid: images
 * together while their block rows fit grid y, an image with more rows alone in slices from
 * block row y0, channel tiles past grid z in slices from tile z0 (the rule of
 * emit_cuda.lua's launcher). */
static int launch_all(const cuda_kernel *k, const ctg_params *p, CUdeviceptr x, CUdeviceptr w, CUdeviceptr b,
                      CUdeviceptr y, CUstream s, ctg_error *err) {
  const size_t es = ctg_dtype_size(ctg_params_dtype(p));
  const size_t in_image = (size_t)p->in_channels * p->in_h * p->in_w * es;
  const size_t out_image = (size_t)p->out_channels * p->out_h * p->out_w * es;
  const long long batch = p->batch;
  const unsigned ly = k->d->grid_y, lz = k->d->grid_z;
  for (int i = 0; i < k->count; i++) {
    const cuda_launch *l = &k->launch[i];
    const unsigned gy = l->at.grid[1], gz = l->at.grid[2];
    const long long per = gy <= ly ? ly / gy : 1;
    for (long long n0 = 0; n0 < batch; n0 += per) {
      const unsigned n = (unsigned)(batch - n0 < per ? batch - n0 : per);
      CUdeviceptr xs = x + (CUdeviceptr)n0 * in_image, ys = y + (CUdeviceptr)n0 * out_image;
      for (unsigned y0 = 0; y0 < (gy <= ly ? 1 : gy); y0 += ly) {
        const unsigned rows = gy <= ly ? gy * n : (gy - y0 < ly ? gy - y0 : ly);
        int y0_arg = (int)y0;
        for (unsigned z0 = 0; z0 < gz; z0 += lz) {
          int z0_arg = (int)z0;
          void *args[6] = { &xs, &w, &b, &ys, &y0_arg, &z0_arg };
          CUresult r = cu.launch(l->fn, l->at.grid[0], rows, gz - z0 < lz ? gz - z0 : lz, l->at.block[0], l->at.block[1],
                                 l->at.block[2], 0, s, args, NULL);
          if (r != 0) return cu_fail(k->d, r, "cuLaunchKernel", l->at.name, err);
        }
      }
    }
  }
  return CTG_OK;
}

/* Device memory for bytes (none for 0). */
static int device_alloc(cuda_device *d, CUdeviceptr *p, size_t bytes, const char *what, ctg_error *err) {
  *p = 0;
  if (!bytes) return CTG_OK;
  CUresult r = cu.mem_alloc(p, bytes);
  if (r == 0) return CTG_OK;
  *p = 0;
  char call[160];
  snprintf(call, sizeof call, "cuMemAlloc of %zu bytes for the %s", bytes, what);
  return cu_fail(d, r, call, NULL, err);
}

static int device_upload(cuda_device *d, CUdeviceptr *p, const void *host, size_t bytes, const char *what,
                         ctg_error *err) {
  int st = device_alloc(d, p, bytes, what, err);
  if (st != CTG_OK || !bytes) return st;
  CUresult r = cu.htod(*p, host, bytes);
  if (r == 0) return CTG_OK;
  cu.mem_free(*p);
  *p = 0;
  return cu_fail(d, r, "cuMemcpyHtoD", NULL, err);
}

/* Weights bound on the device: what the nvrtc tier's pack makes. */
typedef struct cuda_weights {
  cuda_device *d;
  CUdeviceptr w, b;
} cuda_weights;

/* What a run from the host needs on the device: the input copied there, room for the output,
 * a stream of the call's own. */
typedef struct scratch {
  CUdeviceptr x, y;
  CUstream s;
} scratch;

/* Frees what sc holds, and forgets it (a second call frees nothing). */
static void scratch_free(scratch *sc) {
  if (sc->s) cu.stream_destroy(sc->s);
  if (sc->x) cu.mem_free(sc->x);
  if (sc->y) cu.mem_free(sc->y);
  memset(sc, 0, sizeof *sc);
}

static int scratch_make(cuda_device *d, const ctg_params *p, const void *input, scratch *sc, ctg_error *err) {
  memset(sc, 0, sizeof *sc);
  int st = device_upload(d, &sc->x, input, ctg_params_bytes(p, CTG_INPUT), "input", err);
  if (st == CTG_OK) st = device_alloc(d, &sc->y, ctg_params_bytes(p, CTG_OUTPUT), "output", err);
  CUresult r;
  if (st == CTG_OK && (r = cu.stream_create(&sc->s, CU_STREAM_NON_BLOCKING)) != 0) {
    sc->s = NULL;
    st = cu_fail(d, r, "cuStreamCreate", NULL, err);
  }
  if (st != CTG_OK) scratch_free(sc);
  return st;
}

/* The host-pointer run: input (and weights, unless bound) to the device, the kernels on a
 * stream of the call's own, a wait for that stream alone, the output back; everything freed. */
static int host_run(const cuda_kernel *k, const ctg_params *p, const void *input, const void *weight,
                    const void *bias, const cuda_weights *bound, void *output, ctg_error *err) {
  if (p->batch == 0) return CTG_OK;
  cuda_device *d;
  int st = device_enter(k->d->ordinal, &d, err);
  if (st != CTG_OK) return st;
  cuda_weights own = { d, 0, 0 };
  if (!bound) {
    st = device_upload(d, &own.w, weight, ctg_params_bytes(p, CTG_WEIGHT), "weights", err);
    if (st == CTG_OK && bias) st = device_upload(d, &own.b, bias, ctg_params_bytes(p, CTG_BIAS), "bias", err);
  }
  const cuda_weights *wb = bound ? bound : &own;
  scratch sc = { 0, 0, NULL };
  CUresult r;
  if (st == CTG_OK) st = scratch_make(d, p, input, &sc, err);
  if (st == CTG_OK) st = launch_all(k, p, sc.x, wb->w, wb->b, sc.y, sc.s, err);
  if (st == CTG_OK && (r = cu.stream_sync(sc.s)) != 0)
    st = cu_fail(d, r, "cuStreamSynchronize after the kernels", p->name, err);
  if (st == CTG_OK && (r = cu.dtoh(output, sc.y, ctg_params_bytes(p, CTG_OUTPUT))) != 0)
    st = cu_fail(d, r, "cuMemcpyDtoH", p->name, err);
  scratch_free(&sc);
  if (own.w) cu.mem_free(own.w);
  if (own.b) cu.mem_free(own.b);
  return st;
}

int ctg__cuda_time(const ctg__compiled *c, const ctg_params *p, const void *packed, const void *input, int reps,
                   double *ms, ctg_error *err) {
  const cuda_kernel *k = c->state;
  const cuda_weights *wb = packed;
  if (c->backend != &ctg__backend_nvrtc || !k || !wb || reps < 1)
    return ctg__fail(err, CTG_ERR_ARG, "ctg__cuda_time: an nvrtc kernel with bound weights and reps >= 1");
  cuda_device *d;
  int st = device_enter(k->d->ordinal, &d, err);
  if (st != CTG_OK) return st;
  CUevent *ev = calloc((size_t)reps + 1, sizeof *ev);
  if (!ev) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  scratch sc;
  CUresult r = 0;
  st = scratch_make(d, p, input, &sc, err);
  for (int i = 0; i <= reps && st == CTG_OK; i++)
    if ((r = cu.event_create(&ev[i], 0)) != 0) {
      ev[i] = NULL;
      st = cu_fail(d, r, "cuEventCreate", NULL, err);
    }
  if (st == CTG_OK) st = launch_all(k, p, sc.x, wb->w, wb->b, sc.y, sc.s, err); /* warm-up */
  /* back to back, as a model runs: event i before run i */
  for (int i = 0; i < reps && st == CTG_OK; i++) {
    if ((r = cu.event_record(ev[i], sc.s)) != 0) st = cu_fail(d, r, "cuEventRecord", NULL, err);
    if (st == CTG_OK) st = launch_all(k, p, sc.x, wb->w, wb->b, sc.y, sc.s, err);
  }
  if (st == CTG_OK && (r = cu.event_record(ev[reps], sc.s)) != 0) st = cu_fail(d, r, "cuEventRecord", NULL, err);
  if (st == CTG_OK && (r = cu.event_sync(ev[reps])) != 0) st = cu_fail(d, r, "cuEventSynchronize", p->name, err);
  for (int i = 0; i < reps && st == CTG_OK; i++) {
    float t = 0;
    if ((r = cu.event_elapsed(&t, ev[i], ev[i + 1])) != 0) st = cu_fail(d, r, "cuEventElapsedTime", NULL, err);
    else ms[i] = t;
  }
  for (int i = 0; i <= reps; i++)
    if (ev[i]) cu.event_destroy(ev[i]);
  free(ev);
  scratch_free(&sc);
  return st;
}

/* --- the backend table ---------------------------------------------------------------- */

static int nvrtc_backend_build(ctg__compiled *c, const ctg_params *p, const ctg__build_options *o, ctg_error *err) {
  ctg__emitted e;
  int st = ctg__emit(p, "cuda", NULL, NULL, &e, err);
  if (st != CTG_OK) return st;
  cuda_kernel *k;
  st = cuda_load(e.source, e.launches, e.launch_count, o ? o->arch : NULL, o ? o->device : 0, &k, err);
  c->state = k;
  c->convention = CTG__PACKED; /* "packed": bound weights live on the device */
  c->source = e.source;
  e.source = NULL;
  ctg__emitted_free(&e);
  return st;
}

static int nvrtc_forward(const ctg__compiled *c, const ctg_params *p, const void *input, const void *weight,
                         const void *bias, void *output, ctg_error *err) {
  return host_run(c->state, p, input, weight, bias, NULL, output, err);
}

/* Binding weights: a copy on the kernel's device, once. */
static int nvrtc_pack(const ctg__compiled *c, const ctg_params *p, const void *weight, const void *bias, void **packed,
                      ctg_error *err) {
  const cuda_kernel *k = c->state;
  *packed = NULL;
  cuda_device *d;
  int st = device_enter(k->d->ordinal, &d, err);
  if (st != CTG_OK) return st;
  cuda_weights *wb = calloc(1, sizeof *wb);
  if (!wb) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  wb->d = d;
  st = device_upload(d, &wb->w, weight, ctg_params_bytes(p, CTG_WEIGHT), "weights", err);
  if (st == CTG_OK && p->bias) st = device_upload(d, &wb->b, bias, ctg_params_bytes(p, CTG_BIAS), "bias", err);
  if (st != CTG_OK) {
    if (wb->w) cu.mem_free(wb->w);
    free(wb);
    return st;
  }
  *packed = wb;
  return CTG_OK;
}

static void nvrtc_free_packed(const ctg__compiled *c, void *packed) {
  (void)c;
  cuda_weights *wb = packed;
  if (!wb) return;
  /* freeing works even on a device a fault made unusable */
  if (cu.set_current(wb->d->ctx) == 0) {
    if (wb->w) cu.mem_free(wb->w);
    if (wb->b) cu.mem_free(wb->b);
  }
  free(wb);
}

static int nvrtc_run_packed(const ctg__compiled *c, const ctg_params *p, const void *input, const void *packed,
                            void *output, ctg_error *err) {
  return host_run(c->state, p, input, NULL, NULL, packed, output, err);
}

static int nvrtc_device_run(const ctg__compiled *c, const ctg_params *p, const void *input, const void *weight,
                            const void *bias, const void *packed, void *output, void *stream, ctg_error *err) {
  const cuda_kernel *k = c->state;
  const cuda_weights *wb = packed;
  if (p->batch == 0) return CTG_OK;
  cuda_device *d;
  int st = device_enter(k->d->ordinal, &d, err);
  if (st != CTG_OK) return st;
  CUdeviceptr w = wb ? wb->w : (CUdeviceptr)(uintptr_t)weight, b = wb ? wb->b : (CUdeviceptr)(uintptr_t)bias;
  return launch_all(k, p, (CUdeviceptr)(uintptr_t)input, w, b, (CUdeviceptr)(uintptr_t)output, (CUstream)stream, err);
}

static const char *nvrtc_source(ctg__compiled *c, const ctg_params *p) {
  (void)p;
  return c->source;
}

static void nvrtc_release(ctg__compiled *c) {
  kernel_free(c->state);
  c->state = NULL;
}

const ctg__backend ctg__backend_nvrtc = { CTG_BACKEND_NVRTC, "nvrtc", nvrtc_backend_build, nvrtc_forward, nvrtc_pack,
                                          nvrtc_run_packed, nvrtc_source, nvrtc_release, nvrtc_free_packed,
                                          nvrtc_device_run };
