/* backend_nvrtc.c: generated CUDA compiled by NVRTC and launched through the CUDA driver API.
 *
 * Both libraries are dlopen()ed and the few types and functions used are declared here, so
 * building convtgen never needs CUDA. Without them the backend reports itself unavailable. */
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

/* libnvrtc.so.<major> through $CUDA_HOME, /usr/local/cuda and the loader path. */
static void load_nvrtc(void) {
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
  if (missing || nv.version(&nv.major, &nv.minor) != 0) {
    snprintf(nv.why, sizeof nv.why, "the libnvrtc found is too old or broken (needs nvrtcGetCUBIN)");
    dlclose(nv.lib);
    nv.lib = NULL;
  }
}

int ctg__nvrtc_version(char *buf, size_t cap, ctg_error *err) {
  pthread_once(&nv_once, load_nvrtc);
  if (!nv.lib) return ctg__fail(err, CTG_ERR_UNAVAILABLE, "%s", nv.why);
  snprintf(buf, cap, "NVRTC %d.%d", nv.major, nv.minor);
  return CTG_OK;
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
  pthread_once(&nv_once, load_nvrtc);
  if (!nv.lib) return ctg__fail(err, CTG_ERR_UNAVAILABLE, "%s", nv.why);
  if (strncmp(arch, "sm_", 3) != 0 && strncmp(arch, "compute_", 8) != 0)
    return ctg__fail(err, CTG_ERR_ARG, "arch '%s': expected sm_XX or compute_XX", arch);
  /* the key: everything that changes the compiled image */
  size_t n = strlen(source) + 128;
  char *key = malloc(n);
  if (!key) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  int klen = snprintf(key, n, "convtgen %s nvrtc %d.%d arch %s opts --std=c++17\n%s", CTG_VERSION, nv.major,
                      nv.minor, arch, source);
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
typedef unsigned long long CUdeviceptr;
enum { CC_MAJOR = 75, CC_MINOR = 76 }; /* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_* */

static struct {
  void *lib;
  CUresult (*init)(unsigned);
  CUresult (*device_get)(CUdevice *, int);
  CUresult (*attribute)(int *, int, CUdevice);
  CUresult (*retain)(CUcontext *, CUdevice);
  CUresult (*set_current)(CUcontext);
  CUresult (*load_data)(CUmodule *, const void *);
  CUresult (*unload)(CUmodule);
  CUresult (*get_function)(CUfunction *, CUmodule, const char *);
  CUresult (*mem_alloc)(CUdeviceptr *, size_t);
  CUresult (*mem_free)(CUdeviceptr);
  CUresult (*htod)(CUdeviceptr, const void *, size_t);
  CUresult (*dtoh)(void *, CUdeviceptr, size_t);
  CUresult (*launch)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                     void *, void **, void **);
  CUresult (*synchronize)(void);
  CUresult (*error_string)(CUresult, const char **);
  CUcontext ctx;
  CUdevice dev;
  char arch[16];
  char why[300];
} cu;

static pthread_once_t cu_once = PTHREAD_ONCE_INIT;

static const char *cu_text(CUresult r) {
  const char *s = NULL;
  if (cu.error_string && cu.error_string(r, &s) == 0 && s) return s;
  return "unknown CUDA error";
}

static void load_driver(void) {
  cu.lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!cu.lib) {
    snprintf(cu.why, sizeof cu.why, "no CUDA driver on this machine (libcuda.so.1 not found)");
    return;
  }
  int missing = 0;
  *(void **)&cu.init = sym(cu.lib, "cuInit", &missing);
  *(void **)&cu.device_get = sym(cu.lib, "cuDeviceGet", &missing);
  *(void **)&cu.attribute = sym(cu.lib, "cuDeviceGetAttribute", &missing);
  *(void **)&cu.retain = sym(cu.lib, "cuDevicePrimaryCtxRetain", &missing);
  *(void **)&cu.set_current = sym(cu.lib, "cuCtxSetCurrent", &missing);
  *(void **)&cu.load_data = sym(cu.lib, "cuModuleLoadData", &missing);
  *(void **)&cu.unload = sym(cu.lib, "cuModuleUnload", &missing);
  *(void **)&cu.get_function = sym(cu.lib, "cuModuleGetFunction", &missing);
  *(void **)&cu.mem_alloc = sym(cu.lib, "cuMemAlloc_v2", &missing);
  *(void **)&cu.mem_free = sym(cu.lib, "cuMemFree_v2", &missing);
  *(void **)&cu.htod = sym(cu.lib, "cuMemcpyHtoD_v2", &missing);
  *(void **)&cu.dtoh = sym(cu.lib, "cuMemcpyDtoH_v2", &missing);
  *(void **)&cu.launch = sym(cu.lib, "cuLaunchKernel", &missing);
  *(void **)&cu.synchronize = sym(cu.lib, "cuCtxSynchronize", &missing);
  *(void **)&cu.error_string = sym(cu.lib, "cuGetErrorString", &missing);
  CUresult r;
  int major = 0, minor = 0;
  if (missing) {
    snprintf(cu.why, sizeof cu.why, "the CUDA driver library lacks functions convtgen needs");
  } else if ((r = cu.init(0)) != 0 || (r = cu.device_get(&cu.dev, 0)) != 0 ||
             (r = cu.attribute(&major, CC_MAJOR, cu.dev)) != 0 || (r = cu.attribute(&minor, CC_MINOR, cu.dev)) != 0 ||
             (r = cu.retain(&cu.ctx, cu.dev)) != 0) {
    snprintf(cu.why, sizeof cu.why, "no usable GPU: %s", cu_text(r));
  } else {
    snprintf(cu.arch, sizeof cu.arch, "sm_%d%d", major, minor);
    return;
  }
  dlclose(cu.lib);
  cu.lib = NULL;
}

typedef struct cuda_kernel {
  CUmodule module;
  int count;
  struct {
    CUfunction fn;
    unsigned grid[3], block[3];
  } launch[64];
} cuda_kernel;

int ctg__cuda_load(const char *source, const char *launches, const char *arch, void **state, ctg_error *err) {
  *state = NULL;
  pthread_once(&cu_once, load_driver);
  if (!cu.lib) return ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'nvrtc': %s", cu.why);
  CUresult r = cu.set_current(cu.ctx);
  if (r != 0) return ctg__fail(err, CTG_ERR_INTERNAL, "cuCtxSetCurrent: %s", cu_text(r));
  void *image;
  size_t size;
  int st = ctg__nvrtc_compile(source, arch && arch[0] ? arch : cu.arch, &image, &size, NULL, err);
  if (st != CTG_OK) return st;
  cuda_kernel *k = calloc(1, sizeof *k);
  if (!k) {
    free(image);
    return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  }
  r = cu.load_data(&k->module, image);
  free(image);
  if (r != 0) {
    free(k);
    return ctg__fail(err, CTG_ERR_INTERNAL, "cuModuleLoadData: %s", cu_text(r));
  }
  for (const char *line = launches; line && *line && st == CTG_OK; line = strchr(line, '\n')) {
    if (*line == '\n') line++;
    if (!*line) break;
    char name[128];
    unsigned *g, *b;
    if (k->count == 64) {
      st = ctg__fail(err, CTG_ERR_INTERNAL, "more than 64 kernels");
      break;
    }
    g = k->launch[k->count].grid;
    b = k->launch[k->count].block;
    if (sscanf(line, "%127s %u %u %u %u %u %u", name, &g[0], &g[1], &g[2], &b[0], &b[1], &b[2]) != 7) {
      st = ctg__fail(err, CTG_ERR_INTERNAL, "bad launch line: %.60s", line);
      break;
    }
    if ((r = cu.get_function(&k->launch[k->count].fn, k->module, name)) != 0)
      st = ctg__fail(err, CTG_ERR_INTERNAL, "cuModuleGetFunction(%s): %s", name, cu_text(r));
    k->count++;
  }
  if (st != CTG_OK) {
    cu.unload(k->module);
    free(k);
    return st;
  }
  *state = k;
  return CTG_OK;
}

int ctg__cuda_run(void *state, const ctg_params *p, const void *input, const void *weight,
                  const void *bias, void *output, ctg_error *err) {
  cuda_kernel *k = state;
  const size_t es = ctg_dtype_size(ctg_params_dtype(p));
  size_t bytes[4] = { ctg_params_numel(p, CTG_INPUT) * es, ctg_params_numel(p, CTG_WEIGHT) * es,
                      ctg_params_numel(p, CTG_BIAS) * es, ctg_params_numel(p, CTG_OUTPUT) * es };
  const void *host[3] = { input, weight, bias };
  CUdeviceptr dev[4] = { 0, 0, 0, 0 };
  CUresult r = cu.set_current(cu.ctx);
  int st = CTG_OK;
  const char *what = "cuCtxSetCurrent";
  for (int i = 0; i < 4 && r == 0; i++) {
    what = "cuMemAlloc";
    if (bytes[i]) r = cu.mem_alloc(&dev[i], bytes[i]);
    what = "cuMemcpyHtoD";
    if (r == 0 && i < 3 && bytes[i]) r = cu.htod(dev[i], host[i], bytes[i]);
  }
  /* grid y is per image; batches beyond 65535 grid rows go in slices, pointers at each slice */
  unsigned gy = 1;
  for (int i = 0; i < k->count; i++) gy = k->launch[i].grid[1] > gy ? k->launch[i].grid[1] : gy;
  const int slice = (int)(65535u / gy);
  const size_t in_image = (size_t)p->in_channels * p->in_h * p->in_w * es, out_image = (size_t)p->out_channels * p->out_h * p->out_w * es;
  for (int n0 = 0; n0 < p->batch && r == 0; n0 += slice) {
    const unsigned n = (unsigned)(p->batch - n0 < slice ? p->batch - n0 : slice);
    CUdeviceptr xs = dev[0] + n0 * in_image, ys = dev[3] + n0 * out_image;
    for (int i = 0; i < k->count && r == 0; i++) {
      void *args[4] = { &xs, &dev[1], &dev[2], &ys };
      what = "cuLaunchKernel";
      r = cu.launch(k->launch[i].fn, k->launch[i].grid[0], k->launch[i].grid[1] * n, k->launch[i].grid[2],
                    k->launch[i].block[0], k->launch[i].block[1], k->launch[i].block[2], 0, NULL, args, NULL);
    }
  }
  if (r == 0) {
    what = "cuCtxSynchronize";
    r = cu.synchronize();
  }
  if (r == 0 && bytes[3]) {
    what = "cuMemcpyDtoH";
    r = cu.dtoh(output, dev[3], bytes[3]);
  }
  if (r != 0) st = ctg__fail(err, CTG_ERR_INTERNAL, "%s: %s", what, cu_text(r));
  for (int i = 0; i < 4; i++)
    if (dev[i]) cu.mem_free(dev[i]);
  return st;
}

void ctg__cuda_free(void *state) {
  cuda_kernel *k = state;
  if (!k) return;
  cu.unload(k->module);
  free(k);
}

/* --- the backend table ---------------------------------------------------------------- */

static int nvrtc_backend_build(ctg__compiled *c, const ctg_params *p, const ctg__build_options *o, ctg_error *err) {
  ctg__emitted e;
  int st = ctg__emit(p, "cuda", NULL, NULL, &e, err);
  if (st != CTG_OK) return st;
  st = ctg__cuda_load(e.source, e.launches, o ? o->arch : NULL, &c->state, err);
  c->source = e.source;
  e.source = NULL;
  ctg__emitted_free(&e);
  return st;
}

static int nvrtc_forward(const ctg__compiled *c, const ctg_params *p, const void *input, const void *weight,
                         const void *bias, void *output, ctg_error *err) {
  return ctg__cuda_run(c->state, p, input, weight, bias, output, err);
}

static const char *nvrtc_source(ctg__compiled *c, const ctg_params *p) {
  (void)p;
  return c->source;
}

static void nvrtc_release(ctg__compiled *c) { ctg__cuda_free(c->state); }

const ctg__backend ctg__backend_nvrtc = { CTG_BACKEND_NVRTC, "nvrtc", nvrtc_backend_build, nvrtc_forward, NULL,
                                          NULL, nvrtc_source, nvrtc_release };
