/* nvrtc_double.c: a CPU double of NVRTC (libnvrtc.so.12) for testing without a GPU.
 *
 * It takes the CUDA C the generated kernels are written in (the common subset of C and CUDA
 * C++), puts a prelude in front that maps CUDA's built-ins onto the double driver's CPU grid
 * (cuda_double.c), adds one entry per __global__ function that unpacks cuLaunchKernel's
 * argument array, and builds it with the system C compiler into a shared object. Its "CUBIN" or
 * "PTX" is that object behind a one-line header the double driver reads: kind, arch, the
 * NVRTC version, whether the code meets at __syncthreads, and its static shared memory.
 *
 * Behaves as NVRTC does where the backend can tell: the supported archs (nvrtcGetSupportedArchs,
 * $CONVTGEN_CUDA_DOUBLE_ARCHS, default 50..90), an unknown option or arch is
 * NVRTC_ERROR_INVALID_OPTION, a compile error is NVRTC_ERROR_COMPILATION with the log;
 * sm_XX gives a CUBIN and no PTX, compute_XX a PTX and no CUBIN. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cuda_double.h"

extern char **environ;

typedef int nvrtcResult;
enum {
  NVRTC_SUCCESS = 0,
  NVRTC_ERROR_OUT_OF_MEMORY = 1,
  NVRTC_ERROR_PROGRAM_CREATION_FAILURE = 2,
  NVRTC_ERROR_INVALID_INPUT = 3,
  NVRTC_ERROR_INVALID_PROGRAM = 4,
  NVRTC_ERROR_INVALID_OPTION = 5,
  NVRTC_ERROR_COMPILATION = 6,
  NVRTC_ERROR_INTERNAL_ERROR = 11
};

typedef struct _nvrtcProgram {
  char *source;
  char *log;
  unsigned char *image; /* header + shared object */
  size_t image_size;
  int ptx;              /* compiled for compute_XX */
} *nvrtcProgram;

#define EXPORT __attribute__((visibility("default")))

static const char *const PRELUDE =
  "/* the CUDA double's prelude: CUDA's built-ins on the double driver's CPU grid */\n"
  "#include <math.h>\n#include <stddef.h>\n#include <stdint.h>\n"
  "typedef struct { unsigned x, y, z; } uint3;\n"
  "uint3 threadIdx, blockIdx, blockDim, gridDim; /* set by the double driver */\n"
  "void (*ctg_double_syncthreads)(void);\n"
  "void *ctg_double_dynamic_shared; /* the launch's dynamic shared memory */\n"
  "#define __align__(n) __attribute__((aligned(n)))\n"
  "#define __syncthreads() ctg_double_syncthreads()\n"
  "#define __global__\n#define __device__\n#define __host__\n#define __forceinline__ inline\n"
  "#define __launch_bounds__(...)\n#define __restrict__ __restrict\n"
  "#define __shared__ static __attribute__((section(\"ctg_shared\"), aligned(16)))\n"
  "#define CTG_KERNEL\n#line 1 \"kernel.cu\"\n";

static int version(int *major, int *minor) {
  const char *v = getenv("CONVTGEN_CUDA_DOUBLE_NVRTC");
  *major = 12, *minor = 4;
  if (v && sscanf(v, "%d.%d", major, minor) != 2) *major = 12, *minor = 4;
  return 0;
}

/* Which double made an image: part of the backend's cache key. */
EXPORT int nvrtcDoubleAbi(void) { return CTG_DOUBLE_ABI; }

EXPORT nvrtcResult nvrtcVersion(int *major, int *minor) {
  if (!major || !minor) return NVRTC_ERROR_INVALID_INPUT;
  version(major, minor);
  return NVRTC_SUCCESS;
}

/* The archs this NVRTC compiles for, ascending. */
static int supported(int *archs, int cap) {
  const char *list = getenv("CONVTGEN_CUDA_DOUBLE_ARCHS");
  if (!list || !*list) list = "50,52,53,60,61,62,70,72,75,80,86,87,89,90";
  int n = 0;
  for (const char *s = list; *s && n < cap;) {
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s) break;
    archs[n++] = (int)a;
    s = *end == ',' ? end + 1 : end;
  }
  return n;
}

EXPORT nvrtcResult nvrtcGetNumSupportedArchs(int *count) {
  int a[64];
  if (!count) return NVRTC_ERROR_INVALID_INPUT;
  *count = supported(a, 64);
  return NVRTC_SUCCESS;
}

EXPORT nvrtcResult nvrtcGetSupportedArchs(int *archs) {
  int a[64], n = supported(a, 64);
  if (!archs) return NVRTC_ERROR_INVALID_INPUT;
  memcpy(archs, a, (size_t)n * sizeof *a);
  return NVRTC_SUCCESS;
}

EXPORT const char *nvrtcGetErrorString(nvrtcResult r) {
  switch (r) {
    case NVRTC_SUCCESS: return "NVRTC_SUCCESS";
    case NVRTC_ERROR_OUT_OF_MEMORY: return "NVRTC_ERROR_OUT_OF_MEMORY";
    case NVRTC_ERROR_PROGRAM_CREATION_FAILURE: return "NVRTC_ERROR_PROGRAM_CREATION_FAILURE";
    case NVRTC_ERROR_INVALID_INPUT: return "NVRTC_ERROR_INVALID_INPUT";
    case NVRTC_ERROR_INVALID_PROGRAM: return "NVRTC_ERROR_INVALID_PROGRAM";
    case NVRTC_ERROR_INVALID_OPTION: return "NVRTC_ERROR_INVALID_OPTION";
    case NVRTC_ERROR_COMPILATION: return "NVRTC_ERROR_COMPILATION";
    default: return "NVRTC_ERROR_INTERNAL_ERROR";
  }
}

EXPORT nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int headers,
                                      const char *const *contents, const char *const *names) {
  (void)name, (void)contents, (void)names;
  if (!prog || !src || headers < 0) return NVRTC_ERROR_INVALID_INPUT;
  if (headers > 0) return NVRTC_ERROR_INVALID_INPUT; /* the backend passes none; not doubled */
  nvrtcProgram p = calloc(1, sizeof *p);
  if (!p || !(p->source = strdup(src))) {
    free(p);
    return NVRTC_ERROR_OUT_OF_MEMORY;
  }
  *prog = p;
  return NVRTC_SUCCESS;
}

EXPORT nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog) {
  if (!prog || !*prog) return NVRTC_ERROR_INVALID_PROGRAM;
  free((*prog)->source), free((*prog)->log), free((*prog)->image);
  free(*prog);
  *prog = NULL;
  return NVRTC_SUCCESS;
}

static void set_log(nvrtcProgram p, const char *text) {
  free(p->log);
  p->log = strdup(text);
}

/* --- the source the C compiler gets ---------------------------------------------------- */

typedef struct text {
  char *s;
  size_t n, cap;
  int failed;
} text;

static void put(text *t, const char *s, size_t n) {
  if (t->failed) return;
  if (t->n + n + 1 > t->cap) {
    size_t cap = (t->n + n + 1) * 2;
    char *g = realloc(t->s, cap);
    if (!g) {
      t->failed = 1;
      return;
    }
    t->s = g, t->cap = cap;
  }
  memcpy(t->s + t->n, s, n);
  t->n += n;
  t->s[t->n] = '\0';
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

static int ident(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

static const char *skip_space(const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
  return s;
}

/* One entry per kernel: "void ctg_double_entry_NAME(void **a) { NAME(*(T0 *)a[0], ...); }" and
 * its parameter count, for every `__global__ void NAME(...)` or `CTG_KERNEL void NAME(...)` at
 * the start of a line (the #define of CTG_KERNEL is not a kernel). Returns the kernel count. */
static int entries(const char *src, text *out) {
  int kernels = 0;
  for (const char *line = src; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
    const char *s = skip_space(line);
    if (strncmp(s, "extern \"C\"", 10) == 0) s = skip_space(s + 10);
    if (strncmp(s, "__global__", 10) == 0) s += 10;
    else if (strncmp(s, "CTG_KERNEL", 10) == 0) s += 10;
    else continue;
    s = skip_space(s);
    if (strncmp(s, "void", 4) != 0 || ident(s[4])) continue;
    s = skip_space(s + 4);
    const char *name = s;
    while (ident(*s)) s++;
    size_t name_len = (size_t)(s - name);
    s = skip_space(s);
    if (!name_len || *s != '(') continue;
    const char *params = s + 1, *close = strchr(params, ')');
    if (!close) continue;
    const char *after = skip_space(close + 1);
    if (*after == ';') continue; /* a declaration */
    char head[300];
    snprintf(head, sizeof head, "void ctg_double_entry_%.*s(void **a) {\n  %.*s(", (int)name_len, name, (int)name_len, name);
    puts_(out, head);
    int arity = 0;
    for (const char *p = params; p < close;) {
      const char *comma = memchr(p, ',', (size_t)(close - p));
      const char *end = comma ? comma : close;
      const char *e = end;
      while (e > p && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t')) e--;
      const char *pname = e;
      while (pname > p && ident(pname[-1])) pname--;
      const char *b = skip_space(p);
      if (pname > b && !(e - b == 4 && strncmp(b, "void", 4) == 0)) {
        char arg[400];
        snprintf(arg, sizeof arg, "%s*(%.*s *)a[%d]", arity ? ", " : "", (int)(pname - b), b, arity);
        puts_(out, arg);
        arity++;
      }
      p = comma ? comma + 1 : close;
    }
    snprintf(head, sizeof head, ");\n}\nconst int ctg_double_arity_%.*s = %d;\n", (int)name_len, name, arity);
    puts_(out, head);
    kernels++;
  }
  return kernels;
}

/* The source as C: CUDA C++'s `extern "C"` blanked (C has no linkage strings), and each
 * `extern __shared__ T name[];` (the launch's dynamic shared memory) made a macro for the
 * double driver's buffer. */
static char *as_c(const char *src) {
  char *c = strdup(src);
  for (char *s = c; s && (s = strstr(s, "extern \"C\"")); s += 10) memset(s, ' ', 10);
  if (!c) return NULL;
  text out = { 0 };
  const char *at = c, *d;
  while ((d = strstr(at, "extern __shared__"))) {
    const char *end = strchr(d, ';'), *open = end ? memchr(d, '[', (size_t)(end - d)) : NULL;
    if (!end || !open) break;
    const char *name = open;
    while (name > d && (name[-1] == ' ' || name[-1] == '\t')) name--;
    const char *name_end = name;
    while (name > d && ident(name[-1])) name--;
    const char *type = d + strlen("extern __shared__");
    char decl[400];
    snprintf(decl, sizeof decl, "%.*s", (int)(name - type), type);
    char *align = strstr(decl, "__align__("); /* the buffer is 16-byte aligned */
    if (align) {
      char *close = strchr(align, ')');
      if (close) memset(align, ' ', (size_t)(close - align + 1));
    }
    put(&out, at, (size_t)(d - at));
    char line[600];
    snprintf(line, sizeof line, "\n#define %.*s ((%s *)ctg_double_dynamic_shared)\n", (int)(name_end - name), name, decl);
    puts_(&out, line);
    at = end + 1;
  }
  puts_(&out, at);
  free(c);
  return out.failed ? (free(out.s), NULL) : out.s;
}

/* Static shared memory: the size of the object's ctg_shared section (0 when it has none). */
static size_t shared_bytes(const unsigned char *so, size_t size) {
  const Elf64_Ehdr *eh = (const void *)so;
  if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) return 0;
  if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > size ||
      (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum || eh->e_shstrndx >= eh->e_shnum)
    return 0;
  const Elf64_Shdr *sh = (const void *)(so + eh->e_shoff);
  const Elf64_Shdr *names = &sh[eh->e_shstrndx];
  for (int i = 0; i < eh->e_shnum; i++) {
    if (names->sh_offset > size || sh[i].sh_name >= size - names->sh_offset) continue;
    const char *nm = (const char *)so + names->sh_offset + sh[i].sh_name;
    if (strnlen(nm, size - names->sh_offset - sh[i].sh_name) == 10 && strcmp(nm, "ctg_shared") == 0) return sh[i].sh_size;
  }
  return 0;
}

static char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap + 1);
  size_t got;
  while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *g = realloc(b, cap * 2 + 1);
      if (!g) {
        free(b);
        b = NULL;
        break;
      }
      b = g, cap *= 2;
    }
  }
  fclose(f);
  if (b) b[n] = '\0';
  *size = n;
  return b;
}

/* Builds dir/kernel.c into dir/kernel.so with the system compiler; the log gets its output. */
static int build(const char *dir, char **log) {
  char c_path[4200], so_path[4200], log_path[4200];
  snprintf(c_path, sizeof c_path, "%s/kernel.c", dir);
  snprintf(so_path, sizeof so_path, "%s/kernel.so", dir);
  snprintf(log_path, sizeof log_path, "%s/log.txt", dir);
  const char *cc = getenv("CONVTGEN_CUDA_DOUBLE_CC");
  if (!cc || !*cc) cc = "cc";
  static char o_std[] = "-std=gnu11", o_opt[] = "-O1", o_pic[] = "-fPIC", o_shared[] = "-shared",
              o_symbolic[] = "-Wl,-Bsymbolic", o_quiet[] = "-w", o_out[] = "-o";
  char cc_copy[256];
  snprintf(cc_copy, sizeof cc_copy, "%s", cc);
  char *argv[] = { cc_copy, o_std, o_opt, o_pic, o_shared, o_symbolic, o_quiet, o_out, so_path, c_path, NULL };
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid;
  int rc = posix_spawnp(&pid, cc_copy, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  if (rc == 0)
    while (waitpid(pid, &status, 0) < 0) {
    }
  size_t n;
  *log = read_file(log_path, &n);
  return rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void remove_dir(const char *dir) {
  const char *files[] = { "kernel.c", "kernel.so", "log.txt" };
  char path[4200];
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    unlink(path);
  }
  rmdir(dir);
}

EXPORT nvrtcResult nvrtcCompileProgram(nvrtcProgram p, int count, const char *const *options) {
  if (!p) return NVRTC_ERROR_INVALID_PROGRAM;
  if (count < 0 || (count > 0 && !options)) return NVRTC_ERROR_INVALID_INPUT;
  free(p->image);
  p->image = NULL;
  const char *arch = "compute_52"; /* NVRTC's default */
  for (int i = 0; i < count; i++) {
    const char *o = options[i];
    if (strncmp(o, "--gpu-architecture=", 19) == 0) arch = o + 19;
    else if (strncmp(o, "-arch=", 6) == 0) arch = o + 6;
    else if (strncmp(o, "--std=", 6) == 0 || strncmp(o, "-std=", 5) == 0) continue;
    else {
      char m[300];
      snprintf(m, sizeof m, "nvrtc: error: unrecognized option %.200s (the CUDA double knows only "
               "--gpu-architecture and --std)\n", o);
      set_log(p, m);
      return NVRTC_ERROR_INVALID_OPTION;
    }
  }
  int ptx = strncmp(arch, "compute_", 8) == 0, number = -1;
  const char *digits = ptx ? arch + 8 : strncmp(arch, "sm_", 3) == 0 ? arch + 3 : NULL;
  int archs[64], n = supported(archs, 64), known = 0;
  if (digits) {
    char *end;
    long v = strtol(digits, &end, 10);
    if (end != digits && !*end) number = (int)v;
  }
  for (int i = 0; i < n; i++) known |= archs[i] == number;
  if (!known) {
    char m[300];
    snprintf(m, sizeof m, "nvrtc: error: invalid value for --gpu-architecture (-arch): %.100s\n", arch);
    set_log(p, m);
    return NVRTC_ERROR_INVALID_OPTION;
  }
  text unit = { 0 };
  char *c = as_c(p->source);
  puts_(&unit, PRELUDE);
  puts_(&unit, c ? c : "");
  puts_(&unit, "\n/* the CUDA double's entries: cuLaunchKernel's argument array unpacked */\n");
  entries(p->source, &unit);
  free(c);
  if (unit.failed || !c) {
    free(unit.s);
    return NVRTC_ERROR_OUT_OF_MEMORY;
  }
  const char *tmp = getenv("TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/nvrtc-double.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    free(unit.s);
    set_log(p, "nvrtc double: cannot make a temporary folder\n");
    return NVRTC_ERROR_INTERNAL_ERROR;
  }
  char path[4200];
  snprintf(path, sizeof path, "%s/kernel.c", dir);
  FILE *f = fopen(path, "wb");
  int wrote = f && fwrite(unit.s, 1, unit.n, f) == unit.n;
  if (f && fclose(f) != 0) wrote = 0;
  free(unit.s);
  char *log = NULL;
  nvrtcResult r = NVRTC_SUCCESS;
  if (!wrote || !build(dir, &log)) {
    set_log(p, log && *log ? log : "nvrtc double: the C compiler failed\n");
    r = NVRTC_ERROR_COMPILATION;
  } else {
    size_t size;
    snprintf(path, sizeof path, "%s/kernel.so", dir);
    unsigned char *so = (unsigned char *)read_file(path, &size);
    int major, minor;
    version(&major, &minor);
    char head[CTG_DOUBLE_HEADER_MAX];
    int h = snprintf(head, sizeof head, "%s %s %d %d.%d %d %zu %zu\n", CTG_DOUBLE_MAGIC, ptx ? "ptx" : "cubin", number,
                     major, minor, strstr(p->source, "__syncthreads") != NULL, so ? shared_bytes(so, size) : 0, size);
    p->image = so ? malloc((size_t)h + size + 1) : NULL;
    if (!p->image) {
      r = NVRTC_ERROR_OUT_OF_MEMORY;
    } else {
      memcpy(p->image, head, (size_t)h);
      memcpy(p->image + h, so, size);
      p->image_size = (size_t)h + size;
      p->image[p->image_size] = '\0';
      p->ptx = ptx;
      set_log(p, "");
    }
    free(so);
  }
  free(log);
  remove_dir(dir);
  return r;
}

EXPORT nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram p, size_t *size) {
  if (!p || !size) return NVRTC_ERROR_INVALID_INPUT;
  *size = (p->log ? strlen(p->log) : 0) + 1;
  return NVRTC_SUCCESS;
}

EXPORT nvrtcResult nvrtcGetProgramLog(nvrtcProgram p, char *log) {
  if (!p || !log) return NVRTC_ERROR_INVALID_INPUT;
  strcpy(log, p->log ? p->log : "");
  return NVRTC_SUCCESS;
}

/* A CUBIN only for sm_XX, a PTX only for compute_XX, as NVRTC. */
EXPORT nvrtcResult nvrtcGetCUBINSize(nvrtcProgram p, size_t *size) {
  if (!p || !size) return NVRTC_ERROR_INVALID_INPUT;
  *size = p->image && !p->ptx ? p->image_size : 0;
  return p->image && !p->ptx ? NVRTC_SUCCESS : NVRTC_ERROR_INVALID_PROGRAM;
}

EXPORT nvrtcResult nvrtcGetCUBIN(nvrtcProgram p, char *cubin) {
  if (!p || !cubin || !p->image || p->ptx) return NVRTC_ERROR_INVALID_INPUT;
  memcpy(cubin, p->image, p->image_size);
  return NVRTC_SUCCESS;
}

/* PTX is text: its size counts a terminating NUL, as NVRTC's does. */
EXPORT nvrtcResult nvrtcGetPTXSize(nvrtcProgram p, size_t *size) {
  if (!p || !size) return NVRTC_ERROR_INVALID_INPUT;
  *size = p->image && p->ptx ? p->image_size + 1 : 0;
  return p->image && p->ptx ? NVRTC_SUCCESS : NVRTC_ERROR_INVALID_PROGRAM;
}

EXPORT nvrtcResult nvrtcGetPTX(nvrtcProgram p, char *ptx) {
  if (!p || !ptx || !p->image || !p->ptx) return NVRTC_ERROR_INVALID_INPUT;
  memcpy(ptx, p->image, p->image_size + 1);
  return NVRTC_SUCCESS;
}
