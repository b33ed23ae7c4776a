/* cli.c: the convtgen command line; every failure is one `convtgen: error:` line and exit 2. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "convtgen_tools.h"

enum { EXIT_OK = 0, EXIT_MISMATCH = 1, EXIT_USAGE = 2 };

/* One line whatever the arguments hold: a flag or path with a newline or a terminal escape is
 * printed with it escaped, as the library's messages are. */
static int fail(const char *fmt, ...) {
  char text[1024], line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  ctg_one_line(line, sizeof line, text);
  fprintf(stderr, "convtgen: error: %s\n", line);
  return EXIT_USAGE;
}

static int fail_err(const ctg_error *err) { return fail("%s", err->message); }

/* --- option parsing ------------------------------------------------------------------ */

typedef struct option {
  const char *name;   /* without the leading -- */
  int takes_value;
  const char *value;  /* filled by parse_args; "" for a flag that was given */
} option;

typedef struct verb {
  const char *name;
  const char *usage;
  int (*run)(const struct verb *v, const char *spec, option *opts);
  option opts[8];
} verb;

static option *find_opt(option *opts, const char *name) {
  for (option *o = opts; o->name; o++)
    if (strcmp(o->name, name) == 0) return o;
  return NULL;
}

static const char *opt(option *opts, const char *name) {
  option *o = find_opt(opts, name);
  return o ? o->value : NULL;
}

/* Levenshtein distance of two short names (at most 63 bytes each). */
static int edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63) return 99;
  int prev[64], cur[64];
  for (size_t j = 0; j <= lb; j++) prev[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = (int)i;
    for (size_t j = 1; j <= lb; j++) {
      int sub = prev[j - 1] + (a[i - 1] != b[j - 1]), del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, sizeof prev);
  }
  return prev[lb];
}

/* " (did you mean '--threads'?)" for the verb's option nearest to name, or "". */
static const char *option_hint(const option *opts, const char *name, char *buf, size_t cap) {
  const char *best = NULL;
  int best_d = 3;
  for (const option *o = opts; o->name; o++) {
    int d = edit_distance(name, o->name);
    if (d < best_d) best = o->name, best_d = d;
  }
  if (!best) return "";
  snprintf(buf, cap, " (did you mean '%s%s'?)", strlen(best) == 1 ? "-" : "--", best);
  return buf;
}

/* Parses argv into the verb's options and one positional SPEC. Returns -1 on success,
 * else the exit status to return (0 after --help). */
static int parse_args(const verb *v, option *opts, int argc, char **argv, const char **spec) {
  *spec = NULL;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      printf("%s", v->usage);
      return EXIT_OK;
    }
    if (strncmp(a, "--", 2) == 0 && a[2]) {
      char name[64];
      const char *eq = strchr(a, '=');
      size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
      if (n >= sizeof name) return fail("%s: unknown option '%.40s...'", v->name, a);
      memcpy(name, a + 2, n);
      name[n] = '\0';
      option *o = find_opt(opts, name);
      char hint[96];
      if (!o)
        return fail("%s: unknown option '--%s'%s (see convtgen %s --help)", v->name, name,
                    option_hint(opts, name, hint, sizeof hint), v->name);
      if (o->value) return fail("%s: option '--%s' given twice", v->name, name);
      if (!o->takes_value) {
        if (eq) return fail("%s: option '--%s' takes no value", v->name, name);
        o->value = "";
      } else if (eq) {
        o->value = eq + 1;
      } else if (i + 1 < argc) {
        o->value = argv[++i];
      } else {
        return fail("%s: option '--%s' needs a value", v->name, name);
      }
      if (o->takes_value && !o->value[0]) return fail("%s: option '--%s' has an empty value", v->name, name);
      continue;
    }
    if (a[0] == '-' && a[1] && !a[2] && find_opt(opts, a + 1)) { /* one-letter options: -o DIR */
      option *o = find_opt(opts, a + 1);
      if (o->value) return fail("%s: option '%s' given twice", v->name, a);
      if (i + 1 >= argc || !argv[i + 1][0]) return fail("%s: option '%s' needs a value", v->name, a);
      o->value = argv[++i];
      continue;
    }
    if (a[0] == '-' && a[1]) return fail("%s: unknown option '%s' (see convtgen %s --help)", v->name, a, v->name);
    if (*spec) return fail("%s: unexpected argument '%s' (one SPEC only)", v->name, a);
    *spec = a;
  }
  if (!*spec && strcmp(v->name, "bench") != 0)
    return fail("%s: missing %s (see convtgen %s --help)", v->name, strcmp(v->name, "import") == 0 ? "MODEL.onnx" : "SPEC", v->name, v->name);
  return -1;
}

/* --- verbs ---------------------------------------------------------------------------- */

static int cmd_info(const verb *v, const char *spec_path, option *opts) {
  (void)v, (void)opts;
  ctg_error err;
  ctg_spec *spec;
  if (ctg_spec_from_file(spec_path, &spec, &err) != CTG_OK) return fail_err(&err);
  char *text;
  int st = ctg_spec_describe(spec, &text, &err);
  ctg_spec_free(spec);
  if (st != CTG_OK) return fail_err(&err);
  fputs(text, stdout);
  ctg_free(text);
  return EXIT_OK;
}

static void format_shape(char *buf, size_t cap, int ndim, const int64_t *shape) {
  size_t n = (size_t)snprintf(buf, cap, "(");
  for (int i = 0; i < ndim && n < cap; i++)
    n += (size_t)snprintf(buf + n, cap - n, "%lld%s", (long long)shape[i],
                          ndim == 1 ? "," : (i + 1 < ndim ? ", " : ""));
  if (n < cap) snprintf(buf + n, cap - n, ")");
}

/* Loads a tensor of the layer; for the input, any batch: a (B, C, H, W) input of a layer whose
 * C, H, W match runs as a batch of B (*batch), whatever the spec's N (one kernel serves any
 * batch; an unbatched spec takes a batched input too, as PyTorch's module does). */
static int load_checked(const char *path, const char *what, const ctg_params *p, ctg_role role,
                        ctg_tensor *t, int *batch) {
  ctg_error err;
  if (ctg_npy_load(path, t, &err) != CTG_OK) return fail_err(&err);
  int64_t want[4];
  int nd = ctg_params_shape(p, role, want);
  int same = t->ndim == nd;
  for (int i = 0; same && i < nd; i++) same = t->shape[i] == want[i];
  if (batch) *batch = -1; /* the spec's */
  if (!same && batch && t->ndim == 4 && t->shape[0] <= INT32_MAX) {
    int off = nd == 4 ? 1 : 0; /* compare C, H, W */
    same = t->shape[1] == want[off] && t->shape[2] == want[off + 1] && t->shape[3] == want[off + 2];
    if (same) *batch = (int)t->shape[0];
  }
  if (!same) {
    char got_s[128], want_s[128];
    format_shape(got_s, sizeof got_s, t->ndim, t->shape);
    format_shape(want_s, sizeof want_s, nd, want);
    ctg_tensor_free(t);
    int cl = ctg_params_channels_last(p) && (role == CTG_INPUT || role == CTG_OUTPUT);
    return fail("%s: %s has shape %s but the spec needs %s%s", path, what, got_s, want_s,
                cl ? " (the spec is channels_last: N, H, W, C)" : "");
  }
  if (t->dtype != ctg_params_tensor_dtype(p, role)) { /* one dtype (PyTorch); int8 has an int32 bias (TFLite) */
    const char *got = ctg_dtype_name(t->dtype);
    ctg_tensor_free(t);
    if (ctg_params_tensor_dtype(p, role) != ctg_params_dtype(p))
      return fail("%s: %s is %s but an %s layer's %s is %s", path, what, got, p->dtype, what,
                  ctg_dtype_name(ctg_params_tensor_dtype(p, role)));
    return fail("%s: %s is %s but the spec's dtype is %s", path, what, got, p->dtype);
  }
  return EXIT_OK;
}

static int parse_backend(const char *name, ctg_backend *out) {
  ctg_error err;
  if (!name) {
    *out = CTG_BACKEND_INTERP;
    return EXIT_OK;
  }
  return ctg_backend_from_name(name, out, &err) == CTG_OK ? EXIT_OK : fail_err(&err);
}

/* The cc tier works without its disk cache, but the user should know why every start is cold:
 * one warning line, once, before the first build that would use it. */
static void warn_if_cache_unsafe(ctg_backend backend) {
  static int warned;
  ctg_error err;
  if (warned || (backend != CTG_BACKEND_CC && backend != CTG_BACKEND_AUTO)) return;
  warned = 1;
  if (ctg_cache_check(&err) != CTG_OK)
    fprintf(stderr, "convtgen: warning: %s; kernels are built without the cache\n", err.message);
}

static int cmd_run(const verb *v, const char *spec_path, option *opts) {
  (void)v;
  const char *in = opt(opts, "input"), *wt = opt(opts, "weight"), *bs = opt(opts, "bias"),
             *out = opt(opts, "output");
  if (!in) return fail("run: --input is required");
  if (!wt) return fail("run: --weight is required");
  if (!out) return fail("run: --output is required");
  ctg_backend backend;
  int rc = parse_backend(opt(opts, "backend"), &backend);
  if (rc != EXIT_OK) return rc;

  ctg_error err;
  ctg_spec *spec;
  if (ctg_spec_from_file(spec_path, &spec, &err) != CTG_OK) return fail_err(&err);
  const ctg_params *p = ctg_spec_params(spec);
  ctg_tensor x = { 0 }, w = { 0 }, b = { 0 };
  void *y = NULL;
  int batch = -1;
  if (p->bias && !bs) {
    rc = fail("run: %s has bias = true, so --bias is required", spec_path);
  } else if (!p->bias && bs) {
    rc = fail("run: %s has bias = false, but --bias was given", spec_path);
  } else {
    rc = load_checked(in, "input", p, CTG_INPUT, &x, &batch);
    if (rc == EXIT_OK) rc = load_checked(wt, "weight", p, CTG_WEIGHT, &w, NULL);
    if (rc == EXIT_OK && bs) rc = load_checked(bs, "bias", p, CTG_BIAS, &b, NULL);
  }
  int64_t shape[4];
  int nd = ctg_params_shape(p, CTG_OUTPUT, shape);
  if (rc == EXIT_OK && batch >= 0) { /* a batch other than the spec's: (B, Cout, Hout, Wout) */
    int64_t per[3] = { shape[nd - 3], shape[nd - 2], shape[nd - 1] };
    nd = 4;
    shape[0] = batch, shape[1] = per[0], shape[2] = per[1], shape[3] = per[2];
  }
  if (rc == EXIT_OK) {
    size_t n = (size_t)shape[0] * (size_t)shape[1] * (size_t)shape[2] * (nd == 4 ? (size_t)shape[3] : 1);
    y = malloc(n ? n * ctg_dtype_size(ctg_params_dtype(p)) : 1);
    if (!y) rc = fail("out of memory for the output (%zu elements)", n);
  }
  ctg_kernel *k = NULL;
  ctg_options options = { backend, opt(opts, "arch"), NULL, 0, 0 };
  warn_if_cache_unsafe(options.backend);
  if (rc == EXIT_OK && ctg_compile(spec, &options, &k, &err) != CTG_OK) rc = fail_err(&err);
  if (rc == EXIT_OK && ctg_kernel_run(k, batch >= 0 ? batch : ctg_kernel_params(k)->batch, x.data, w.data, b.data, y,
                                      &err) != CTG_OK)
    rc = fail_err(&err);
  ctg_kernel_free(k);
  if (rc == EXIT_OK) {
    if (ctg_npy_save(out, ctg_params_dtype(p), nd, shape, y, &err) != CTG_OK) rc = fail_err(&err);
  }
  free(y);
  ctg_tensor_free(&x);
  ctg_tensor_free(&w);
  ctg_tensor_free(&b);
  ctg_spec_free(spec);
  return rc;
}

static int cmd_gen(const verb *v, const char *spec_path, option *opts) {
  (void)v;
  const char *target = opt(opts, "target"), *dir = opt(opts, "o"), *wpath = opt(opts, "weights"),
             *bpath = opt(opts, "bias"), *isa = opt(opts, "isa");
  if (!target) target = "c";
  if (!dir) dir = ".";
  ctg_gen_options go = { CTG_TARGET_C, NULL, NULL, CTG_ISA_PORTABLE };
  if (strcmp(target, "c") == 0) go.target = CTG_TARGET_C;
  else if (strcmp(target, "cuda") == 0) go.target = CTG_TARGET_CUDA;
  else return fail("gen: unknown target '%s' (expected c or cuda)", target);
  if (isa && go.target != CTG_TARGET_C) return fail("gen: --isa is for --target c only");
  /* firmware (baked weights) gets the C99 code unless asked otherwise: a microcontroller runs
   * no vector section, and they tripled the file */
  if (!isa) go.isa = wpath ? CTG_ISA_SCALAR : CTG_ISA_PORTABLE;
  else if (strcmp(isa, "portable") == 0) go.isa = CTG_ISA_PORTABLE;
  else if (strcmp(isa, "avx512") == 0) go.isa = CTG_ISA_AVX512;
  else if (strcmp(isa, "avx2") == 0) go.isa = CTG_ISA_AVX2;
  else if (strcmp(isa, "neon") == 0) go.isa = CTG_ISA_NEON;
  else if (strcmp(isa, "scalar") == 0) go.isa = CTG_ISA_SCALAR;
  else return fail("gen: unknown --isa '%s' (expected portable, avx512, avx2, neon or scalar)", isa);
  if (bpath && !wpath) return fail("gen: --bias is baked together with --weights; give both");
  ctg_error err;
  ctg_spec *spec;
  if (ctg_spec_from_file(spec_path, &spec, &err) != CTG_OK) return fail_err(&err);
  const ctg_params *p = ctg_spec_params(spec);
  ctg_tensor w = { 0 }, b = { 0 };
  int rc = EXIT_OK;
  if (wpath) {
    if (p->bias && !bpath) rc = fail("gen: %s has bias = true, so --bias is required with --weights", spec_path);
    else if (!p->bias && bpath) rc = fail("gen: %s has bias = false, but --bias was given", spec_path);
    if (rc == EXIT_OK) rc = load_checked(wpath, "weight", p, CTG_WEIGHT, &w, NULL);
    if (rc == EXIT_OK && bpath) rc = load_checked(bpath, "bias", p, CTG_BIAS, &b, NULL);
    go.weight = w.data;
    go.bias = b.data;
  }
  if (rc == EXIT_OK && mkdir(dir, 0755) != 0 && errno != EEXIST)
    rc = fail("gen: cannot create directory %s: %s", dir, strerror(errno));
  char written[2048];
  if (rc == EXIT_OK && ctg_generate_to_dir(spec, &go, dir, written, sizeof written, &err) != CTG_OK)
    rc = fail_err(&err);
  if (rc == EXIT_OK) printf("wrote %s\n", written);
  ctg_tensor_free(&w);
  ctg_tensor_free(&b);
  ctg_spec_free(spec);
  return rc;
}

static int parse_seed(const char *text, uint64_t *seed) {
  if (!text) {
    *seed = 1;
    return EXIT_OK;
  }
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || *end || text[0] == '-' || text[0] == '+')
    return fail("check: --seed must be a non-negative integer, got '%s'", text);
  *seed = v;
  return EXIT_OK;
}

/* Checks one backend; returns EXIT_OK, EXIT_MISMATCH, or EXIT_USAGE (cannot run it here). */
static int check_one(const ctg_spec *spec, ctg_backend backend, const char *arch, uint64_t seed,
                     int skip_unavailable) {
  ctg_error err;
  ctg_kernel *k;
  ctg_options options = { backend, arch, NULL, 0, 0 };
  const char *name = ctg_backend_name(backend);
  warn_if_cache_unsafe(options.backend);
  if (ctg_compile(spec, &options, &k, &err) != CTG_OK) {
    if (skip_unavailable && err.status == CTG_ERR_UNAVAILABLE) {
      printf("SKIP  %-6s %s\n", name, err.message);
      return EXIT_OK;
    }
    return fail_err(&err);
  }
  /* auto: check the tier that runs at once, then the one that replaces it */
  int rc = EXIT_OK;
  ctg_backend first = ctg_kernel_tier(k);
  for (int pass = 0; pass < 2 && rc == EXIT_OK; pass++) {
    if (pass == 1) {
      if (backend != CTG_BACKEND_AUTO) break;
      if (ctg_kernel_wait(k, &err) != CTG_OK) {
        printf("NOTE  auto   the background tier failed; the early tier stays: %s\n", err.message);
        break;
      }
      if (ctg_kernel_tier(k) == first) break; /* it came up on its final tier */
    }
    char label[32];
    snprintf(label, sizeof label, backend == CTG_BACKEND_AUTO ? "%s:%s" : "%s", name,
             ctg_backend_name(ctg_kernel_tier(k)));
    ctg_check_result r;
    if (ctg_check(k, seed, &r, &err) != CTG_OK) {
      rc = fail_err(&err);
      break;
    }
    double ms = ctg_kernel_tier_ms(k, ctg_kernel_tier(k));
    /* other tools tell a GPU's result from the double's by this line */
    const char *where = backend == CTG_BACKEND_NVRTC && ctg_cuda_is_cpu_double() ? ", on the CUDA double (CPU)" : "";
    if (ctg_params_dtype(ctg_spec_params(spec)) == CTG_INT8)
      printf("%s  %-6s max difference %.0f (bit-exact required), %zu outputs, seed %llu, compiled in %.1f ms%s\n",
             r.passed ? "PASS" : "FAIL", label, r.max_scaled_error, r.outputs, (unsigned long long)seed, ms, where);
    else
      printf("%s  %-6s max scaled error %.3g (tolerance %.3g), %zu outputs, seed %llu, compiled in %.1f ms%s\n",
             r.passed ? "PASS" : "FAIL", label, r.max_scaled_error, r.tolerance, r.outputs,
             (unsigned long long)seed, ms, where);
    if (!r.passed) {
      ctg_dtype d = ctg_params_dtype(ctg_spec_params(spec));
      if (d == CTG_INT8)
        printf("      worst output: flat index %zu, kernel %d, interpreter %d (int8 must match exactly)\n", r.worst,
               (int)r.got, (int)r.want);
      else if (d == CTG_COMPLEX64 || d == CTG_COMPLEX128)
        printf("      worst output: flat index %zu, kernel %.9g%+.9gi, interpreter %.9g%+.9gi\n", r.worst, r.got,
               r.got_imag, r.want, r.want_imag);
      else
        printf("      worst output: flat index %zu, kernel %.9g, interpreter %.9g\n", r.worst, r.got, r.want);
    }
    if (!r.passed) rc = EXIT_MISMATCH;
  }
  ctg_kernel_free(k);
  return rc;
}

static int cmd_check(const verb *v, const char *spec_path, option *opts) {
  (void)v;
  const char *name = opt(opts, "backend");
  uint64_t seed;
  int rc = parse_seed(opt(opts, "seed"), &seed);
  if (rc != EXIT_OK) return rc;
  int all = name && strcmp(name, "all") == 0;
  ctg_backend backend = CTG_BACKEND_TCC;
  ctg_error err;
  if (name && !all && ctg_backend_from_name(name, &backend, &err) != CTG_OK) return fail_err(&err);
  if (backend == CTG_BACKEND_INTERP) return fail("check: the interpreter is the reference; check tcc, cc, nvrtc or all");
  ctg_spec *spec;
  if (ctg_spec_from_file(spec_path, &spec, &err) != CTG_OK) return fail_err(&err);
  if (all) {
    const ctg_backend every[] = { CTG_BACKEND_TCC, CTG_BACKEND_CC, CTG_BACKEND_NVRTC };
    for (int i = 0; i < 3 && rc != EXIT_USAGE; i++) {
      int r = check_one(spec, every[i], opt(opts, "arch"), seed, 1);
      if (r > rc) rc = r;
    }
  } else {
    rc = check_one(spec, backend, opt(opts, "arch"), seed, 0);
  }
  ctg_spec_free(spec);
  return rc;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* One tensor of the layer, of its dtype, filled with values in [-1, 1), on a cache-line
 * boundary so no figure depends on where malloc put it (the AOT harness aligns alike). */
static void *random_tensor(const ctg_params *p, ctg_role role, uint64_t *seed) {
  ctg_dtype d = ctg_params_tensor_dtype(p, role);
  size_t bytes = ctg_params_bytes(p, role);
  int dbl = d == CTG_FLOAT64 || d == CTG_COMPLEX128;
  unsigned char *v = NULL;
  if (posix_memalign((void **)&v, 64, bytes ? bytes : 1) != 0) v = NULL;
  if (v && (d == CTG_INT8 || d == CTG_INT32)) { /* any bytes are valid integers: small biases, not overflow */
    for (size_t i = 0; i < bytes; i++) {
      *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
      v[i] = (unsigned char)(d == CTG_INT32 && i % 4 >= 2 ? (i % 4 == 3 && (*seed >> 63) ? 0xff : 0) : *seed >> 56);
    }
    if (d == CTG_INT32)
      for (size_t i = 3; i < bytes; i += 4) v[i - 1] = v[i]; /* sign-extend the low 16 bits' choice */
    return v;
  }
  if (v && (d == CTG_FLOAT16 || d == CTG_BFLOAT16)) { /* normal values in +-[0.25, 1), as bits */
    const int fraction = d == CTG_FLOAT16 ? 10 : 7, bias = d == CTG_FLOAT16 ? 15 : 127;
    for (size_t i = 0; i < bytes / 2; i++) {
      *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
      const unsigned r = (unsigned)(*seed >> 40);
      ((uint16_t *)(void *)v)[i] = (uint16_t)((r & 0x8000u) | (unsigned)(bias - 2 + (r >> 14 & 1)) << fraction |
                                              (r & ((1u << fraction) - 1)));
    }
    return v;
  }
  for (size_t i = 0; v && i < bytes / (dbl ? 8 : 4); i++) {
    *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
    float f = (float)((*seed >> 40) & 0xffff) / 32768.0f - 1.0f;
    if (dbl) ((double *)(void *)v)[i] = f;
    else ((float *)(void *)v)[i] = f;
  }
  return v;
}

/* ms of each of n runs: device-resident ones timed by CUDA events (nvrtc), else host runs
 * timed by the wall clock. */
static int time_runs(const ctg_kernel *k, const void *x, void *y, int on_device, int n, double *ms, ctg_error *err) {
  if (on_device) return ctg_kernel_time_device(k, x, n, ms, err);
  for (int i = 0; i < n; i++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int st = ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, NULL, NULL, y, err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st != CTG_OK) return st;
    ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  }
  return CTG_OK;
}

/* One row of the bench TSV: warm-up, then the median of enough calls for about 0.3 s. nvrtc
 * times device-resident runs with CUDA events (no copies); with transfers, host runs that copy. */
static int bench_one(const ctg_spec *spec, ctg_backend backend, const char *arch, int threads, int transfers) {
  ctg_error err;
  ctg_kernel *k;
  ctg_options options = { backend, arch, NULL, threads, 0 };
  warn_if_cache_unsafe(options.backend);
  if (ctg_compile(spec, &options, &k, &err) != CTG_OK) return fail_err(&err);
  if (backend == CTG_BACKEND_AUTO) ctg_kernel_wait(k, NULL); /* time the steady state: the final tier */
  const ctg_params *p = ctg_spec_params(spec);
  const int on_device = backend == CTG_BACKEND_NVRTC && !transfers;
  uint64_t seed = 7;
  void *x = random_tensor(p, CTG_INPUT, &seed), *w = random_tensor(p, CTG_WEIGHT, &seed),
       *b = random_tensor(p, CTG_BIAS, &seed), *y = random_tensor(p, CTG_OUTPUT, &seed);
  enum { MAX_REPS = 2000 };
  static double times[MAX_REPS];
  int rc = EXIT_OK;
  if (!x || !w || !b || !y) {
    rc = fail("bench: out of memory for %s", p->name);
  } else if (ctg_kernel_bind_weights(k, w, b, &err) != CTG_OK) { /* the one-time pack, not timed */
    rc = fail_err(&err);
  } else {
    double first = 0;
    int st = time_runs(k, x, y, on_device, 1, &first, &err); /* warm-up */
    int want = first > 0 ? (int)(300.0 / first) : MAX_REPS;
    want = want < 3 ? (first > 1000 ? 1 : 3) : want > MAX_REPS ? MAX_REPS : want;
    if (st == CTG_OK) st = time_runs(k, x, y, on_device, want, times, &err);
    if (st != CTG_OK) {
      rc = fail_err(&err);
    } else {
      qsort(times, (size_t)want, sizeof times[0], compare_doubles);
      double median = want % 2 ? times[want / 2] : (times[want / 2 - 1] + times[want / 2]) / 2;
      const double flops = p->flops;
      printf("%s\t%s\t%d\t%.4f\t%.3f\t%.2f\n", p->name, ctg_backend_name(backend), ctg_kernel_params(k)->threads,
             median, median > 0 ? flops / (median * 1e6) : 0.0, ctg_kernel_compile_ms(k));
      fflush(stdout);
    }
  }
  free(x), free(w), free(b), free(y);
  ctg_kernel_free(k);
  return rc;
}

static int cmd_bench(const verb *v, const char *spec_path, option *opts) {
  (void)v;
  const char *suite = opt(opts, "suite"), *threads = opt(opts, "threads");
  if (suite && spec_path) return fail("bench: give a SPEC or --suite FILE.tsv, not both");
  if (!suite && !spec_path) return fail("bench: missing SPEC or --suite FILE.tsv");
  int nthreads = 0;
  if (threads) {
    char *end;
    long t = strtol(threads, &end, 10);
    if (*end || t < 1 || t > 256) return fail("bench: --threads must be an integer from 1 to 256, got '%s'", threads);
    nthreads = (int)t;
  }
  ctg_backend backend = CTG_BACKEND_TCC;
  ctg_error err;
  if (opt(opts, "backend") && ctg_backend_from_name(opt(opts, "backend"), &backend, &err) != CTG_OK)
    return fail_err(&err);
  int chosen = !opt(opts, "backend"); /* the tier a user would deploy: cc where a compiler runs */
  if (chosen) backend = ctg_cc_available() ? CTG_BACKEND_CC : CTG_BACKEND_TCC;
  const int transfers = opt(opts, "transfers") != NULL;
  if (transfers && backend != CTG_BACKEND_NVRTC) return fail("bench: --transfers is for --backend nvrtc");
  ctg_suite_layer *layers = NULL;
  size_t count = 1;
  if (suite && ctg_suite_load(suite, &layers, &count, &err) != CTG_OK) return fail_err(&err);
  printf("name\tbackend\tthreads\tmedian_ms\tgflops\tcompile_ms\n");
  int rc = EXIT_OK;
  for (size_t i = 0; i < count && rc == EXIT_OK; i++) {
    ctg_spec *spec;
    int st = suite ? ctg_spec_from_layer(&layers[i].layer, &spec, &err)
                   : ctg_spec_from_file(spec_path, &spec, &err);
    if (st != CTG_OK) {
      rc = fail_err(&err);
      break;
    }
    if (chosen && i == 0) /* said once the input is known to be good: an error stays one line */
      fprintf(stderr, "convtgen: bench: no --backend given: timing %s%s\n", ctg_backend_name(backend),
              backend == CTG_BACKEND_CC ? " (the system compiler's tier)" : " (no C compiler runs here; libtcc's tier)");
    if (backend == CTG_BACKEND_NVRTC && i == 0)
      fprintf(stderr, "convtgen: bench: nvrtc %s%s\n",
              transfers ? "times host runs: copies in and out and a stream synchronize with every run"
                        : "times device-resident runs with CUDA events: no copies (--transfers times host runs)",
              ctg_cuda_is_cpu_double() ? "; on the CUDA double (CPU): not a GPU's times" : "");
    rc = bench_one(spec, backend, opt(opts, "arch"), nthreads, transfers);
    ctg_spec_free(spec);
  }
  free(layers);
  return rc;
}

static int cmd_cache(const verb *v, const char *what, option *opts) {
  (void)v, (void)opts;
  int clear = strcmp(what, "clear") == 0;
  if (!clear && strcmp(what, "list") != 0) return fail("cache: expected list or clear, got '%s'", what);
  char dir[4096];
  ctg_error err;
  if (ctg_cache_directory(dir, sizeof dir, &err) != CTG_OK) return fail_err(&err);
  static char text[1 << 20];
  size_t count;
  if (ctg_cache_scan(clear, text, sizeof text, &count, &err) != CTG_OK) return fail_err(&err);
  if (clear) printf("removed %zu entries from %s\n", count, dir);
  else printf("%s%zu entries in %s\n", text, count, dir);
  return EXIT_OK;
}

static int cmd_import(const verb *v, const char *model, option *opts) {
  (void)v;
  const char *dir = opt(opts, "o"), *batch_text = opt(opts, "batch");
  if (!dir) return fail("import: missing -o DIR (the folder for the specs and weights)");
  int batch = -1;
  if (batch_text) {
    char *end;
    errno = 0;
    long b = strtol(batch_text, &end, 10);
    if (*end || errno || b < 0 || b > 1 << 20) return fail("import: --batch: expected a batch size from 0 to 1048576, got '%s'", batch_text);
    batch = (int)b;
  }
  char *report;
  ctg_error err;
  if (ctg_onnx_import(model, dir, batch, &report, &err) != CTG_OK) return fail_err(&err);
  fputs(report, stdout);
  ctg_free(report);
  return EXIT_OK;
}

static verb VERBS[] = {
  { "info",
    "usage: convtgen info SPEC\n"
    "  Prints the normalized layer, its tensor shapes and FLOPs, and the generated code's plan:\n"
    "  stride phases, taps per phase, interior/border split, source size.\n",
    cmd_info, { { 0 } } },
  { "gen",
    "usage: convtgen gen SPEC [--target c|cuda] [--isa portable|avx512|avx2|neon|scalar] [-o DIR]\n"
    "                    [--weights W.npy [--bias B.npy]]\n"
    "  Writes DIR/NAME.c and DIR/NAME.h (DIR defaults to .): a kernel specialized for the layer\n"
    "  with NAME_pack(weight, bias, packed) once, NAME_run_packed(input, packed, output) per call,\n"
    "  and NAME_run(input, weight, bias, output). --isa portable (the default): the vector code\n"
    "  of each ISA under the compiler's own macros (__AVX512F__, __AVX2__ with __FMA__,\n"
    "  __aarch64__) with C99 code as the fallback in the same file; avx512, avx2, neon: that\n"
    "  ISA's vector code alone; scalar: the C99 code alone.\n"
    "  With --weights the weights (and bias) are baked in as static const arrays for firmware,\n"
    "  and the entry point is int NAME_run(const float *input, float *output).\n"
    "  --target cuda writes DIR/NAME.cu and DIR/NAME.cuh (launch grid and a launcher for nvcc).\n",
    cmd_gen, { { "target", 1, 0 }, { "isa", 1, 0 }, { "o", 1, 0 }, { "weights", 1, 0 }, { "bias", 1, 0 }, { 0 } } },
  { "import",
    "usage: convtgen import MODEL.onnx -o DIR [--batch N]\n"
    "  Writes, for every ConvTranspose node of the model in graph order, DIR/NAME.lua (a spec)\n"
    "  and DIR/NAME_weight.npy (and NAME_bias.npy), plus DIR/manifest.tsv. A BatchNormalization\n"
    "  that follows is folded into the weights and bias, and a Relu, LeakyRelu, Tanh, Sigmoid or\n"
    "  Clip after it becomes the spec's activation. --batch N: the batch of a symbolic input\n"
    "  (default 1). Nothing is written unless every node imports.\n",
    cmd_import, { { "o", 1, 0 }, { "batch", 1, 0 }, { 0 } } },
  { "run",
    "usage: convtgen run SPEC --input X.npy --weight W.npy [--bias B.npy] --output Y.npy\n"
    "                    [--backend interp|tcc|cc|nvrtc|auto] [--arch sm_XX|compute_XX]\n"
    "  Runs the layer on X with weight W (Cin, Cout/groups, KH, KW) and bias B (Cout,),\n"
    "  writing Y. The output file appears complete or not at all. Default backend: interp.\n",
    cmd_run,
    { { "input", 1, 0 }, { "weight", 1, 0 }, { "bias", 1, 0 }, { "output", 1, 0 },
      { "backend", 1, 0 }, { "arch", 1, 0 }, { 0 } } },
  { "check",
    "usage: convtgen check SPEC [--backend tcc|cc|nvrtc|auto|all] [--seed N] [--arch sm_XX|compute_XX]\n"
    "  Runs the generated kernel and the interpreter on random data (seed N, default 1) and\n"
    "  compares every output with a tolerance scaled by the size of its terms. Prints PASS or\n"
    "  FAIL; exits 1 on FAIL. 'all' checks every backend this machine can run. Default: tcc.\n",
    cmd_check, { { "backend", 1, 0 }, { "seed", 1, 0 }, { "arch", 1, 0 }, { 0 } } },
  { "bench",
    "usage: convtgen bench SPEC|--suite FILE.tsv [--backend interp|tcc|cc|nvrtc|auto] [--threads N]\n"
    "                      [--arch sm_XX|compute_XX] [--transfers]\n"
    "  Without --backend: cc where a C compiler runs, else tcc (said on stderr).\n"
    "  Times the layer(s): one warm-up call, then the median of enough calls for about 0.3 s.\n"
    "  Prints a TSV: name backend threads median_ms gflops compile_ms.\n"
    "  --threads N overrides the spec's threads (the cc tier runs them; tcc runs one).\n"
    "  FLOPs count 2*N*Cin*(Cout/groups)*KH*KW*H*W. FILE.tsv rows as in bench/layers.tsv.\n"
    "  nvrtc times runs on device buffers with CUDA events, no copies; --transfers times host\n"
    "  runs (copy in, run, wait, copy out).\n",
    cmd_bench, { { "backend", 1, 0 }, { "threads", 1, 0 }, { "suite", 1, 0 }, { "arch", 1, 0 }, { "transfers", 0, 0 },
                 { 0 } } },
  { "cache",
    "usage: convtgen cache list|clear\n"
    "  Lists or removes the compiled kernels kept on disk: $CONVTGEN_CACHE_DIR, else\n"
    "  $XDG_CACHE_HOME/convtgen, else ~/.cache/convtgen.\n",
    cmd_cache, { { 0 } } },
};

static const char USAGE[] =
  "usage: convtgen VERB [options]   (convtgen VERB --help for each)\n"
  "  info  SPEC                 shapes, FLOPs and the plan of the generated code\n"
  "  gen   SPEC [--target c|cuda] [--isa portable|avx512|avx2|neon|scalar] [-o DIR] [--weights W.npy [--bias B.npy]]\n"
  "  import MODEL.onnx -o DIR [--batch N]   a spec and .npy weights per ConvTranspose node\n"
  "  run   SPEC --input X.npy --weight W.npy [--bias B.npy] --output Y.npy [--backend B]\n"
  "  check SPEC [--backend tcc|cc|nvrtc|auto|all] [--seed N]\n"
  "  bench SPEC|--suite FILE.tsv [--backend interp|tcc|cc|nvrtc|auto] [--threads N]\n"
  "  cache list|clear           the compiled kernels kept on disk\n"
  "exit status: 0 success, 1 a check found a mismatch, 2 bad usage or input\n";

int main(int argc, char **argv) {
  if (argc < 2) return fail("no verb given (expected info, gen, import, run, check, bench or cache; see --help)");
  if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
    fputs(USAGE, stdout);
    return EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("convtgen %s\n", CTG_VERSION);
    return EXIT_OK;
  }
  for (size_t i = 0; i < sizeof VERBS / sizeof VERBS[0]; i++) {
    verb *v = &VERBS[i];
    if (strcmp(argv[1], v->name) != 0) continue;
    const char *spec;
    int rc = parse_args(v, v->opts, argc - 2, argv + 2, &spec);
    if (rc >= 0) return rc;
    return v->run(v, spec, v->opts);
  }
  return fail("unknown verb '%s' (expected info, gen, import, run, check, bench or cache)", argv[1]);
}
