/* test_hostile.c: hostile input gets an error back, in bounded time and memory, and no code
 * runs that convtgen did not build. Each reproducer runs in a child process under limits
 * (address space where no sanitizer needs it, CPU time, a wall-clock alarm), so a crash, a hang
 * or a runaway allocation is a failed test rather than a dead suite. Covers the spec sandbox,
 * the generator's limits, the file readers and the kernel cache in a hostile directory. */
#define _GNU_SOURCE /* mkfifo, setrlimit, lchown */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "testutil.h"

#define CHILD_MEMORY ((rlim_t)1536 << 20) /* the generator's 512 MiB cap and the process around it */
#define CHILD_SECONDS 30                  /* a hang, not a slow machine: every case takes < 2 s */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs fn(arg) in a child under the limits; fails the test unless it exits 0. Returns the
 * seconds it took. */
static double in_child(const char *what, int (*fn)(const void *arg), const void *arg) {
  fflush(NULL);
  double t0 = now_s();
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    /* a crash is the child's death, seen by the parent: not cmocka's handler in the child */
    const int crashes[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
    for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++) signal(crashes[i], SIG_DFL);
    struct rlimit cpu = { CHILD_SECONDS, CHILD_SECONDS };
    setrlimit(RLIMIT_CPU, &cpu);
    if (!UNDER_ASAN) { /* ASan reserves terabytes of address space for its shadow */
      struct rlimit as = { CHILD_MEMORY, CHILD_MEMORY };
      setrlimit(RLIMIT_AS, &as);
    }
    alarm(CHILD_SECONDS);
    _exit(fn(arg));
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) assert_int_equal(errno, EINTR);
  double s = now_s() - t0;
  if (WIFSIGNALED(status))
    fail_msg("%s: the child died of signal %d (%s)%s", what, WTERMSIG(status), strsignal(WTERMSIG(status)),
             WTERMSIG(status) == SIGALRM || WTERMSIG(status) == SIGXCPU ? ": it hung" : "");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail_msg("%s: the child failed (exit %d)", what, WEXITSTATUS(status));
  return s;
}

/* --- specs: the sandbox and the generator ----------------------------------------------- */

typedef struct spec_case {
  const char *what, *source;
  int status;          /* what ctg_spec_from_string returns */
  const char *message; /* a part of its message */
  int describe;        /* a valid spec: plan and generate it for every target (info) */
} spec_case;

#define LAYER "in_channels = 4, out_channels = 6, kernel_size = 3, input_shape = {2, 4, 5, 7}"

static const spec_case SPEC_CASES[] = {
  /* 0: numbers valid one by one but not together, or not in the dtype */
  { "int8 scales whose product overflows", "return {in_channels = 2, out_channels = 2, kernel_size = 3, dtype = 'int8', "
    "input_shape = {1, 2, 4, 4}, quantization = {input_scale = 1e30, input_zero_point = 0, output_scale = 1e-30, "
    "output_zero_point = 0, weight_scales = 1e30}}", CTG_ERR_SPEC,
    "quantization: input_scale (1.00000002e+30) x weight_scales (1.00000002e+30) / output_scale (1e-30)", 0 },
  { "a float32 clamp past float32", "return {" LAYER ", activation = {'clamp', 1e308, 1e308}}", CTG_ERR_SPEC,
    "activation: clamp's min 1e+308 is outside float32's range", 0 },
  { "a float32 leaky_relu slope past float32", "return {" LAYER ", activation = {'leaky_relu', -1e308}}", CTG_ERR_SPEC,
    "activation: leaky_relu's slope -1e+308 is outside float32's range", 0 },
  { "a float64 clamp to math.huge", "return {" LAYER ", dtype = 'float64', activation = {'clamp', 1e308, math.huge}}",
    CTG_OK, "", 1 },
  /* 1: copying out of the sandbox */
  { "a string referenced 100 times", "local s = ('x'):rep(6e6) local t = {} for i = 1, 100 do t[i] = s end "
    "return {" LAYER ", name = t}", CTG_ERR_SPEC, "KiB of strings", 0 },
  { "a key referenced 4000 times", "local s = ('k'):rep(1e5) local t = {} for i = 1, 4000 do t[i] = {[s] = 1} end "
    "return {" LAYER ", name = t}", CTG_ERR_SPEC, "", 0 },
  /* 2: the instruction limit and the error handler */
  { "an endless xpcall handler", "xpcall(function() while true do end end, function() while true do end end)",
    CTG_ERR_SPEC, "'xpcall' is not available", 0 },
  { "errors caught in a loop", "while true do pcall(error, 'x') end", CTG_ERR_SPEC, "the spec ran over", 0 },
  { "deep recursion", "local function f(n) return f(n + 1) + 1 end return f(1)", CTG_ERR_SPEC, "", 0 },
  /* 3: work inside C functions */
  { "string.rep of an empty string", "local s = string.rep('', 1 << 62) return {}", CTG_ERR_SPEC, "string.rep", 0 },
  { "string.rep with an empty separator", "local s = ('').rep('', 1 << 40, '') return {}", CTG_ERR_SPEC, "string.rep", 0 },
  { "table.move over 2^40", "table.move({}, 1, 1 << 40, 2) return {}", CTG_ERR_SPEC, "table.move", 0 },
  { "table.sort of a huge list", "local t = {} for i = 1, 200000 do t[i] = i end table.sort(t) return {}",
    CTG_ERR_SPEC, "table.sort", 0 },
  { "sorts in a loop", "local t = {} for i = 1, 100000 do t[i] = i end for i = 1, 1e9 do table.sort(t) end",
    CTG_ERR_SPEC, "the spec ran over", 0 },
  { "insert and remove at the front in a loop", "local t = {} for i = 1, 1e6 do t[i] = i end "
    "for i = 1, 1e9 do table.insert(t, 1, 0) table.remove(t, 1) end", CTG_ERR_SPEC, "", 0 },
  { "concatenating 8 MB strings in a loop", "local s = ('x'):rep(8e6) for i = 1, 1e9 do local u = s .. 'y' end",
    CTG_ERR_SPEC, "the spec ran over", 0 },
  { "table.concat of a huge range", "return {name = table.concat({}, '', 1, 1 << 40)}", CTG_ERR_SPEC, "", 0 },
  { "table.unpack of a huge range", "return {name = table.unpack({}, 1, 1 << 40)}", CTG_ERR_SPEC, "", 0 },
  { "string.format of a huge width", "return {name = string.format('%99999d', 1)}", CTG_ERR_SPEC, "", 0 },
  { "nesting the parser deeply", "return " "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1", CTG_ERR_SPEC, "", 0 },
  /* 4: the generator */
  { "stride 2000", "return {in_channels = 2, out_channels = 2, kernel_size = 3, stride = 2000, input_shape = {1, 2, 1, 1}}",
    CTG_ERR_SPEC, "stride: (2000, 2000) is over the generator's limit of 1024", 0 },
  { "stride 40000", "return {in_channels = 2, out_channels = 2, kernel_size = 3, stride = 40000, input_shape = {1, 2, 1, 1}}",
    CTG_ERR_SPEC, "stride: (40000, 40000) is over", 0 },
  { "kernel {10^6, 1}", "return {in_channels = 2, out_channels = 2, kernel_size = {1000000, 1}, input_shape = {1, 2, 3, 3}}",
    CTG_ERR_SPEC, "kernel_size: (1000000, 1) is over", 0 },
  { "a key of 10^6 characters", "return {" LAYER ", ['' .. ('k'):rep(1e6)] = 1}", CTG_ERR_SPEC, "unknown key 'kkkk", 0 },
  /* valid layers at the limits: planned and generated for every target in bounded time */
  { "stride 1000 on a 1x1 input", "return {in_channels = 2, out_channels = 2, kernel_size = 3, stride = 1000, "
    "input_shape = {1, 2, 1, 1}}", CTG_OK, "", 1 },
  { "stride {1000, 1000}, kernel 1024 on a 3x3 input", "return {in_channels = 3, out_channels = 3, kernel_size = 1024, "
    "stride = 1000, input_shape = {1, 3, 3, 3}}", CTG_OK, "", 1 },
  { "kernel 1000 on an 8x8 input", "return {in_channels = 2, out_channels = 2, kernel_size = 1000, "
    "input_shape = {1, 2, 8, 8}}", CTG_OK, "", 1 },
  { "kernel 200 on a 16x16 input", "return {in_channels = 2, out_channels = 2, kernel_size = 200, "
    "input_shape = {1, 2, 16, 16}}", CTG_OK, "", 1 },
  { "kernel 64, stride 32 (FCN head)", "return {in_channels = 16, out_channels = 16, kernel_size = 64, stride = 32, "
    "padding = 16, input_shape = {1, 16, 16, 16}}", CTG_OK, "", 1 },
  { "kernel {1024, 1} stride {1, 1024}", "return {in_channels = 2, out_channels = 2, kernel_size = {1024, 1}, "
    "stride = {1, 1024}, input_shape = {1, 2, 64, 64}}", CTG_OK, "", 1 },
};

static int run_spec_case(const void *arg) {
  const spec_case *c = arg;
  ctg_spec *spec = NULL;
  ctg_error err;
  int st = ctg_spec_from_string(c->source, "t.lua", &spec, &err);
  if (st != c->status) {
    fprintf(stderr, "%s: status %d (%s), expected %d\n", c->what, st, err.message, c->status);
    return 1;
  }
  if (st != CTG_OK) {
    if (!strstr(err.message, c->message) || strchr(err.message, '\n')) {
      fprintf(stderr, "%s: message \"%s\", expected \"%s\" on one line\n", c->what, err.message, c->message);
      return 1;
    }
    return 0;
  }
  if (c->describe) {
    char *text = NULL;
    st = ctg_spec_describe(spec, &text, &err);
    if (st != CTG_OK) fprintf(stderr, "%s: describe: %s\n", c->what, err.message);
    ctg_free(text);
    char *source = NULL;
    ctg_gen_options cuda = { CTG_TARGET_CUDA, NULL, NULL, 0 };
    /* CUDA writes every tap out: a huge kernel is refused with a message, not planned */
    if (st == CTG_OK && (st = ctg_generate(spec, &cuda, &source, NULL, &err)) != CTG_OK) {
      if (st == CTG_ERR_SPEC && strstr(err.message, "the CUDA kernel writes each out")) st = CTG_OK;
      else fprintf(stderr, "%s: cuda: %s\n", c->what, err.message);
    }
    ctg_free(source);
  }
  ctg_spec_free(spec);
  return st != CTG_OK;
}

static void test_hostile_specs_get_an_error_in_bounded_time(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof SPEC_CASES / sizeof SPEC_CASES[0]; i++) {
    double s = in_child(SPEC_CASES[i].what, run_spec_case, &SPEC_CASES[i]);
    printf("  %-52s %.2f s\n", SPEC_CASES[i].what, s);
  }
}

/* Baked weights too many to write into source: an error, not the generator's panic. */
static int bake_too_many(const void *arg) {
  (void)arg;
  ctg_spec *spec = NULL;
  ctg_error err;
  if (ctg_spec_from_string("return {in_channels = 512, out_channels = 512, kernel_size = 5, bias = false, "
                           "input_shape = {1, 512, 2, 2}}", "t.lua", &spec, &err) != CTG_OK) return 1;
  size_t n = ctg_params_numel(ctg_spec_params(spec), CTG_WEIGHT);
  float *w = calloc(n, sizeof *w);
  char *source = NULL;
  ctg_gen_options o = { CTG_TARGET_C, w, NULL, CTG_ISA_SCALAR };
  int st = ctg_generate(spec, &o, &source, NULL, &err);
  int ok = st == CTG_ERR_ARG && strstr(err.message, "can be baked into source");
  if (!ok) fprintf(stderr, "baking %zu weights: status %d, %s\n", n, st, err.message);
  free(w), ctg_free(source), ctg_spec_free(spec);
  return !ok;
}

static void test_baking_too_many_weights_is_an_error(void **state) {
  (void)state;
  in_child("baking 6.5 M weights", bake_too_many, NULL);
}

/* --- files ------------------------------------------------------------------------------ */

static int read_fifo(const void *arg) {
  const char *fifo = arg;
  ctg_spec *spec = NULL;
  ctg_tensor t;
  ctg_error err;
  int a = ctg_spec_from_file(fifo, &spec, &err);
  int ok_spec = a == CTG_ERR_IO && strstr(err.message, "not a regular file");
  if (!ok_spec) fprintf(stderr, "spec from a FIFO: %d %s\n", a, err.message);
  int b = ctg_npy_load(fifo, &t, &err);
  int ok_npy = b == CTG_ERR_IO && strstr(err.message, "not a regular file");
  if (!ok_npy) fprintf(stderr, ".npy from a FIFO: %d %s\n", b, err.message);
  return !(ok_spec && ok_npy);
}

static void test_a_fifo_is_refused_without_blocking(void **state) {
  (void)state;
  char *fifo = tu_path(tu_dir, "fifo");
  assert_int_equal(mkfifo(fifo, 0600), 0);
  in_child("reading a FIFO", read_fifo, fifo);
  const char *argv[] = { "convtgen", "bench", "--suite", fifo, NULL }; /* the CLI's suite reader */
  char out[1024], errs[1024];
  assert_int_equal(tu_cli(argv, out, sizeof out, errs, sizeof errs), 2);
  assert_contains(errs, "not a regular file");
  const char *dev = "/dev/zero"; /* endless, but not a regular file */
  ctg_tensor t;
  ctg_error err;
  assert_int_equal(ctg_npy_load(dev, &t, &err), CTG_ERR_IO);
  free(fifo);
}

/* A .npy v1 file with the given header text (padded as numpy pads it) and data. */
static char *npy_with_header(const char *name, const char *header, size_t hlen) {
  size_t total = 10 + hlen + 1 + 16;
  unsigned char *b = calloc(1, total);
  memcpy(b, "\x93NUMPY\x01\x00", 8);
  b[8] = (unsigned char)((hlen + 1) & 0xff), b[9] = (unsigned char)((hlen + 1) >> 8);
  memcpy(b + 10, header, hlen);
  b[10 + hlen] = '\n';
  char *path = tu_write(tu_dir, name, b, total);
  free(b);
  return path;
}

static void test_npy_header_edge_cases(void **state) {
  (void)state;
  ctg_tensor t;
  ctg_error err;
  /* a NUL inside descr is not the end of it */
  const char h[] = "{'descr': '<f4\0x', 'fortran_order': False, 'shape': (4,), }";
  char *path = npy_with_header("nul.npy", h, sizeof h - 1);
  assert_int_equal(ctg_npy_load(path, &t, &err), CTG_ERR_FORMAT);
  assert_contains(err.message, "malformed .npy header");
  free(path);
  /* a header over the limit is named as such, not as a short file */
  size_t big = (2u << 20) + 100;
  unsigned char *b = calloc(1, 12 + big);
  memcpy(b, "\x93NUMPY\x02\x00", 8);
  b[8] = (unsigned char)(big & 0xff), b[9] = (unsigned char)(big >> 8 & 0xff), b[10] = (unsigned char)(big >> 16);
  memset(b + 12, ' ', big);
  path = tu_write(tu_dir, "big.npy", b, 12 + big);
  assert_int_equal(ctg_npy_load(path, &t, &err), CTG_ERR_FORMAT);
  assert_contains(err.message, "header is 2097252 bytes long, over the 1024 KiB limit");
  free(path), free(b);
  /* a descr with a newline and an escape: the message stays one line */
  const char h2[] = "{'descr': '<f4\n\x1b[31m', 'fortran_order': False, 'shape': (4,), }";
  path = npy_with_header("escape.npy", h2, sizeof h2 - 1);
  assert_int_not_equal(ctg_npy_load(path, &t, &err), CTG_OK);
  assert_null(strchr(err.message, '\n'));
  assert_null(strchr(err.message, '\x1b'));
  free(path);
}

/* --- the kernel cache in a hostile directory -------------------------------------------- */

#define SMALL "return {name = 'hostile', in_channels = 2, out_channels = 3, kernel_size = 3, stride = 2, " \
              "input_shape = {1, 2, 4, 4}}"

static int have_cc(void) { return system("cc --version > /dev/null 2>&1") == 0; }

/* Builds and checks a layer with the cc backend; 0 when it passes. No cmocka assertion, so it
 * also runs in a child. */
static int cc_check_status(const char *source) {
  ctg_spec *spec = NULL;
  ctg_options cc = { CTG_BACKEND_CC, NULL, NULL, 0, 0 };
  ctg_kernel *k = NULL;
  ctg_error err;
  ctg_check_result r = { 0 };
  int st = ctg_spec_from_string(source, "t.lua", &spec, &err);
  if (st == CTG_OK) st = ctg_compile(spec, &cc, &k, &err);
  if (st == CTG_OK) st = ctg_check(k, 5, &r, &err);
  if (st != CTG_OK) fprintf(stderr, "cc build: %s\n", err.message);
  else if (!r.passed) fprintf(stderr, "cc build: the check failed\n");
  ctg_kernel_free(k);
  ctg_spec_free(spec);
  return st != CTG_OK || !r.passed;
}

static void cc_check(const char *source) { assert_int_equal(cc_check_status(source), 0); }

static int cc_check_in_child(const void *arg) { return cc_check_status(arg); }

/* The one entry (.so) in cache: its path into buf; 0 when there is none. */
static int find_entry(const char *cache, char *buf, size_t cap) {
  DIR *d = opendir(cache);
  int n = 0;
  if (!d) return 0;
  for (struct dirent *e; (e = readdir(d));) {
    size_t len = strlen(e->d_name);
    if (len > 3 && strcmp(e->d_name + len - 3, ".so") == 0 && n++ == 0) snprintf(buf, cap, "%s/%s", cache, e->d_name);
  }
  closedir(d);
  return n;
}

static int count_temporaries(const char *cache) {
  DIR *d = opendir(cache);
  int n = 0;
  if (!d) return 0;
  for (struct dirent *e; (e = readdir(d));) n += strncmp(e->d_name, "tmp.", 4) == 0;
  closedir(d);
  return n;
}

/* A shared object that, when loaded, leaves a marker file: what a planted entry would do. */
static char *planted_object(const char *marker) {
  char *src = tu_path(tu_dir, "planted.c"), *obj = tu_path(tu_dir, "planted.so");
  FILE *f = fopen(src, "w");
  fprintf(f, "#include <stdio.h>\n__attribute__((constructor)) static void run(void) { FILE *f = fopen(\"%s\", \"w\");"
             " if (f) fclose(f); }\nconst char ctg_cache_key[] = \"anything\";\n", marker);
  fclose(f);
  char cmd[9000];
  snprintf(cmd, sizeof cmd, "cc -shared -fPIC -o '%s' '%s'", obj, src);
  assert_int_equal(system(cmd), 0);
  free(src);
  return obj;
}

static void copy_file(const char *from, const char *to) {
  char cmd[9000];
  snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
  assert_int_equal(system(cmd), 0);
}

static void test_cache_runs_only_what_it_built(void **state) {
  (void)state;
  if (!have_cc()) skip();
  char *cache = tu_use_cache("hostile-cache");
  char *marker = tu_path(tu_dir, "planted-ran");
  char *planted = planted_object(marker);
  cc_check(SMALL);
  char entry[4400];
  assert_int_equal(find_entry(cache, entry, sizeof entry), 1);
  struct stat sb;
  assert_int_equal(stat(cache, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0700);

  /* a planted object at the entry's name: never loaded, rebuilt */
  copy_file(planted, entry);
  cc_check(SMALL);
  assert_false(tu_exists(marker));
  /* a symlink at the entry's name: never followed, replaced by a real file */
  unlink(entry);
  assert_int_equal(symlink(planted, entry), 0);
  cc_check(SMALL);
  assert_false(tu_exists(marker));
  assert_int_equal(lstat(entry, &sb), 0);
  assert_true(S_ISREG(sb.st_mode));

  /* truncated at many sizes (SIGBUS inside dlopen, once): a miss and a rebuild, in a child */
  char *good = tu_path(tu_dir, "good.so");
  copy_file(entry, good);
  assert_int_equal(stat(good, &sb), 0);
  const off_t sizes[] = { 0, 1, 63, 64, 1000, 1024, 4096, 8000, 13000, sb.st_size / 2, sb.st_size - 57,
                          sb.st_size - 1 };
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    copy_file(good, entry);
    assert_int_equal(truncate(entry, sizes[i]), 0);
    in_child("a truncated entry", cc_check_in_child, SMALL);
  }
  /* one flipped byte in the payload: the seal fails */
  copy_file(good, entry);
  int fd = open(entry, O_RDWR);
  unsigned char byte;
  assert_int_equal(pread(fd, &byte, 1, 100), 1);
  byte ^= 1;
  assert_int_equal(pwrite(fd, &byte, 1, 100), 1);
  close(fd);
  in_child("a corrupt entry", cc_check_in_child, SMALL);

  /* an entry writable by others, or someone else's: not used */
  copy_file(good, entry);
  chmod(entry, 0666);
  cc_check(SMALL);
  assert_int_equal(stat(entry, &sb), 0);
  assert_int_equal(sb.st_mode & 022, 0); /* rebuilt: a fresh file */
  if (geteuid() == 0) {
    copy_file(good, entry);
    assert_int_equal(chown(entry, 65534, 65534), 0);
    cc_check(SMALL);
    assert_int_equal(stat(entry, &sb), 0);
    assert_int_equal(sb.st_uid, 0);
  }
  if (count_temporaries(cache) != 0) {
    char cmd[4500];
    snprintf(cmd, sizeof cmd, "ls -la '%s' >&2", cache);
    (void)system(cmd);
  }
  assert_int_equal(count_temporaries(cache), 0);
  free(good), free(planted), free(marker), free(cache);
}

static void test_an_unsafe_cache_directory_is_refused(void **state) {
  (void)state;
  if (!have_cc()) skip();
  ctg_error err;
  size_t count;
  char entry[4400];
  /* a symlinked directory: refused for reading, writing and clearing, the kernel still builds */
  char *real = tu_path(tu_dir, "real-cache"), *link_dir = tu_path(tu_dir, "linked-cache");
  assert_int_equal(mkdir(real, 0700), 0);
  char *bait = tu_write(real, "0123456789abcdef.so", "not ours to delete", (size_t)-1);
  assert_int_equal(symlink(real, link_dir), 0);
  setenv("CONVTGEN_CACHE_DIR", link_dir, 1);
  assert_int_equal(ctg_cache_check(&err), CTG_ERR_IO);
  assert_contains(err.message, "is a symlink");
  assert_int_equal(ctg_cache_scan(1, NULL, 0, &count, &err), CTG_ERR_IO);
  assert_true(tu_exists(bait));
  cc_check(SMALL);
  assert_int_equal(find_entry(real, entry, sizeof entry), 1); /* only the bait */
  assert_int_equal(count_temporaries(real), 0);

  /* writable by others */
  char *open_dir = tu_path(tu_dir, "open-cache");
  assert_int_equal(mkdir(open_dir, 0777), 0);
  assert_int_equal(chmod(open_dir, 0777), 0);
  setenv("CONVTGEN_CACHE_DIR", open_dir, 1);
  assert_int_equal(ctg_cache_check(&err), CTG_ERR_IO);
  assert_contains(err.message, "writable by others (mode 777)");
  cc_check(SMALL);
  assert_int_equal(find_entry(open_dir, entry, sizeof entry), 0);

  /* someone else's */
  if (geteuid() == 0) {
    char *other = tu_path(tu_dir, "other-cache");
    assert_int_equal(mkdir(other, 0700), 0);
    assert_int_equal(chown(other, 65534, 65534), 0);
    setenv("CONVTGEN_CACHE_DIR", other, 1);
    assert_int_equal(ctg_cache_check(&err), CTG_ERR_IO);
    assert_contains(err.message, "belongs to uid 65534");
    cc_check(SMALL);
    assert_int_equal(find_entry(other, entry, sizeof entry), 0);
    free(other);
  }
  /* the CLI says so in one warning line and still works */
  const char *argv[] = { "convtgen", "check", "SPEC", "--backend", "cc", NULL };
  char *spec = tu_write(tu_dir, "small.lua", SMALL, (size_t)-1);
  argv[2] = spec;
  char out[4096], errs[4096];
  setenv("CONVTGEN_CACHE_DIR", open_dir, 1);
  assert_int_equal(tu_cli(argv, out, sizeof out, errs, sizeof errs), 0);
  assert_contains(errs, "warning:");
  assert_contains(errs, "kernels are built without the cache");
  assert_int_equal(tu_lines(errs), 1);
  unsetenv("CONVTGEN_CACHE_DIR");
  free(spec), free(open_dir), free(bait), free(real), free(link_dir);
}

/* A process that exits while its auto kernel's compiler still runs: the compiler is killed
 * and its temporary folder removed; a dead builder's leftovers are swept by the next start. */
#define LARGE "return {name = 'slow_build', in_channels = 256, out_channels = 64, kernel_size = 5, stride = 3, " \
              "input_shape = {1, 256, 9, 9}}"

/* Waits (up to 60 s) until a background build of this process has written its source into
 * its temporary folder, then a little more: its compiler is running. */
static int wait_for_compiler(const char *cache) {
  char prefix[64];
  snprintf(prefix, sizeof prefix, "tmp.%ld.", (long)getpid());
  for (int i = 0; i < 6000; i++) {
    DIR *d = opendir(cache);
    int found = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
      if (strncmp(e->d_name, prefix, strlen(prefix)) != 0) continue;
      char src[4400];
      snprintf(src, sizeof src, "%s/%s/kernel.c", cache, e->d_name);
      found = access(src, F_OK) == 0;
    }
    if (d) closedir(d);
    if (found) {
      usleep(100 * 1000);
      return 1;
    }
    usleep(10 * 1000);
  }
  return 0;
}

/* Runs in a fresh process (this program re-executed with --exit-while-compiling): exit's
 * handlers are then convtgen's own, in the order a user's program gets them. */
static int exit_while_compiling(void) {
  ctg_spec *spec = NULL;
  ctg_options o = { CTG_BACKEND_AUTO, NULL, NULL, 0, 0 };
  ctg_kernel *k;
  if (ctg_spec_from_string(LARGE, "t.lua", &spec, NULL) != CTG_OK || ctg_compile(spec, &o, &k, NULL) != CTG_OK) return 1;
  if (!wait_for_compiler(getenv("CONVTGEN_CACHE_DIR"))) return 2;
  exit(0); /* without freeing: the at-exit path */
}

static int exec_exit_while_compiling(const void *arg) {
  (void)arg;
  setenv("ASAN_OPTIONS", "detect_leaks=0", 1); /* the kernel is left unfreed on purpose */
  execl("/proc/self/exe", "test_hostile", "--exit-while-compiling", (char *)NULL);
  return 127;
}

static void test_compilers_do_not_outlive_their_process(void **state) {
  (void)state;
  if (!have_cc()) skip();
  char *cache = tu_use_cache("exit-cache");
  in_child("exit while compiling", exec_exit_while_compiling, NULL);
  assert_int_equal(count_temporaries(cache), 0);

  /* the last handle going: free returns long before a cold build would finish */
  ctg_spec *spec = tu_spec(LARGE);
  ctg_options o = { CTG_BACKEND_AUTO, NULL, NULL, 0, 0 };
  ctg_kernel *k;
  ctg_error err;
  tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
  assert_true(wait_for_compiler(cache));
  double t0 = now_s();
  ctg_kernel_free(k);
  double freed = now_s() - t0;
  assert_int_equal(count_temporaries(cache), 0);
  ctg_options cc = { CTG_BACKEND_CC, NULL, NULL, 0, 0 };
  t0 = now_s();
  tu_assert_ok(ctg_compile(spec, &cc, &k, &err), &err); /* the cold build the free cut short */
  double cold = now_s() - t0;
  printf("  free while the background compiler runs %.3f s, a whole cold build %.3f s\n", freed, cold);
  assert_true(freed < cold / 2);
  ctg_kernel_free(k);

  /* a dead builder's folder is swept by cache clear; a live one's is left */
  char *dead = tu_path(cache, "tmp.999999999.abcdef"), live[4400];
  snprintf(live, sizeof live, "%s/tmp.%ld.ghijkl", cache, (long)getpid());
  assert_int_equal(mkdir(dead, 0700), 0);
  free(tu_write(dead, "kernel.c", "int x;", (size_t)-1));
  assert_int_equal(mkdir(live, 0700), 0);
  size_t count;
  tu_assert_ok(ctg_cache_scan(1, NULL, 0, &count, &err), &err);
  assert_false(tu_exists(dead));
  assert_true(tu_exists(live));
  rmdir(live);
  ctg_spec_free(spec);
  free(dead), free(cache);
}

static void test_cache_list_says_what_each_entry_is(void **state) {
  (void)state;
  if (!have_cc()) skip();
  char *cache = tu_use_cache("list-cache");
  cc_check(SMALL);
  char text[4096];
  size_t count;
  ctg_error err;
  tu_assert_ok(ctg_cache_scan(0, text, sizeof text, &count, &err), &err);
  assert_int_equal(count, 1);
  assert_contains(text, "bytes");
  assert_contains(text, "ago");
  assert_contains(text, "cc     hostile: 2 -> 3 channels, kernel 3x3, stride 2x2, float32, 1 thread");
  free(cache);
}

/* --- the way to the cache, its secret, and the compiler's life ---------------------------- */

/* Item 1's attacker, as another user: watches every process's command line for a build folder
 * under S/cache, then swaps S/cache for a symlink to its own folder holding that build
 * folder, and renames its object (with a constructor) over kernel.so when the compiler
 * writes it. Exits 3 once it has swapped something, 0 when it never saw a build. */
static int attacker(const char *s_dir, const char *payload, double seconds) {
  char cache[4400], evil[4400], needle[4500];
  static char watch_so[5000] = "";
  snprintf(cache, sizeof cache, "%s/cache", s_dir);
  snprintf(evil, sizeof evil, "%s/evil", s_dir);
  snprintf(needle, sizeof needle, "%s/tmp.", cache);
  int swapped = 0;
  double end = now_s() + seconds;
  while (now_s() < end) {
    if (watch_so[0]) { /* the compiler's output, in our folder: replaced by ours */
      struct stat sb;
      if (stat(watch_so, &sb) == 0 && sb.st_uid != geteuid()) {
        char mine[5100];
        snprintf(mine, sizeof mine, "%s.mine", watch_so);
        char cmd[9800];
        snprintf(cmd, sizeof cmd, "cp '%s' '%s' 2>/dev/null", payload, mine);
        if (system(cmd) == 0 && rename(mine, watch_so) == 0) swapped = 1;
        watch_so[0] = '\0';
      }
      continue;
    }
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d));) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      char path[300], line[8192];
      snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
      int fd = open(path, O_RDONLY);
      if (fd < 0) continue;
      ssize_t n = read(fd, line, sizeof line - 1);
      close(fd);
      if (n <= 0) continue;
      line[n] = '\0';
      /* the linker: the source has been read, the object is about to be written */
      size_t l0 = strlen(line);
      int linker = strstr(line, "collect2") || (l0 >= 2 && strcmp(line + l0 - 2, "ld") == 0);
      for (ssize_t i = 0; i < n; i++)
        if (!line[i]) line[i] = ' ';
      char *at = strstr(line, needle);
      if (!at || !linker) continue;
      char name[200];
      if (sscanf(at + strlen(cache) + 1, "%199[^/ ]", name) != 1) continue;
      char mine[4700], moved[4700];
      snprintf(mine, sizeof mine, "%s/%s", evil, name);
      snprintf(moved, sizeof moved, "%s/moved.%d", s_dir, (int)(now_s() * 1000) % 100000);
      mkdir(mine, 0777);
      if (rename(cache, moved) == 0 && symlink(evil, cache) == 0) {
        snprintf(watch_so, sizeof watch_so, "%s/kernel.so", mine);
        swapped = 1;
      }
      break;
    }
    if (d) closedir(d);
  }
  return swapped ? 3 : 0;
}

static void test_a_swapped_cache_folder_runs_no_foreign_code(void **state) {
  (void)state;
  if (!have_cc()) skip();
  if (geteuid() != 0) {
    printf("  needs root, to race the build as another user (uid 65534)\n");
    skip();
  }
  char *marker = tu_path(tu_dir, "swapped-ran");
  char *planted = planted_object(marker);
  for (int sticky = 0; sticky < 2; sticky++) {
    /* S: open to everyone (another user can rename S/cache), or sticky like /tmp (they cannot) */
    char s_dir[] = "/tmp/convtgen-race.XXXXXX", path[4400];
    assert_non_null(mkdtemp(s_dir));
    assert_int_equal(chmod(s_dir, sticky ? 01777 : 0777), 0);
    snprintf(path, sizeof path, "%s/cache", s_dir);
    assert_int_equal(mkdir(path, 0700), 0);
    setenv("CONVTGEN_CACHE_DIR", path, 1);
    snprintf(path, sizeof path, "%s/evil", s_dir);
    assert_int_equal(mkdir(path, 0777), 0);
    assert_int_equal(chown(path, 65534, 65534), 0);
    char payload[4500];
    snprintf(payload, sizeof payload, "%s/payload.so", path);
    copy_file(planted, payload);
    assert_int_equal(chown(payload, 65534, 65534), 0);
    assert_int_equal(chmod(payload, 0755), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      if (setgid(65534) != 0 || setuid(65534) != 0) _exit(1);
      _exit(attacker(s_dir, payload, 60));
    }
    /* cold builds of three layers while the attacker watches (each in a child: what the
     * attacker's object would do stays there) */
    int failed = 0;
    for (int i = 0; i < 3; i++) {
      char spec[512];
      snprintf(spec, sizeof spec, "return {name = 'race%d', in_channels = %d, out_channels = 8, kernel_size = 4, "
               "stride = 2, input_shape = {1, %d, 6, 6}}", i, 8 + i, 8 + i);
      fflush(NULL);
      pid_t b = fork();
      assert_true(b >= 0);
      if (b == 0) _exit(cc_check_status(spec));
      int bs;
      waitpid(b, &bs, 0);
      failed += !WIFEXITED(bs) || WEXITSTATUS(bs) != 0;
    }
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    printf("  S mode %s: 3 cold builds while another user swapped folders; its code %s\n", sticky ? "1777" : "777",
           tu_exists(marker) ? "RAN" : "never ran");
    assert_false(tu_exists(marker));
    assert_int_equal(failed, 0);
    /* the way to the cache is checked: S open to others refuses it, sticky S does not */
    snprintf(path, sizeof path, "%s/cache", s_dir);
    setenv("CONVTGEN_CACHE_DIR", path, 1);
    ctg_error err;
    if (!sticky) {
      assert_int_equal(ctg_cache_check(&err), CTG_ERR_IO);
      assert_contains(err.message, "a parent of the cache directory is writable by others (mode 777)");
    } else {
      tu_assert_ok(ctg_cache_check(&err), &err);
    }
    snprintf(path, sizeof path, "%s/cache", s_dir);
    if (sticky) { /* a safe way: the cache is used */
      char entry[4400];
      assert_true(find_entry(path, entry, sizeof entry) >= 1);
    }
    char cmd[4500];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    assert_int_equal(system(cmd), 0);
  }
  unsetenv("CONVTGEN_CACHE_DIR");
  free(planted), free(marker);
}

static void test_a_trailing_slash_hides_no_symlink(void **state) {
  (void)state;
  if (!have_cc()) skip();
  char *real = tu_path(tu_dir, "slash-real"), *link_dir = tu_path(tu_dir, "slash-link"), given[4400];
  assert_int_equal(mkdir(real, 0700), 0);
  assert_int_equal(symlink(real, link_dir), 0);
  const char *slashes[] = { "/", "//", "/./", "/.//." };
  for (int i = 0; i < 4; i++) {
    snprintf(given, sizeof given, "%s%s", link_dir, slashes[i]);
    setenv("CONVTGEN_CACHE_DIR", given, 1);
    ctg_error err;
    int st = ctg_cache_check(&err);
    assert_int_equal(st, CTG_ERR_IO);
    assert_contains(err.message, "is a symlink");
    cc_check(SMALL);
    char *key = tu_path(real, "seal.key");
    assert_false(tu_exists(key));
    free(key);
    char entry[4400];
    assert_int_equal(find_entry(real, entry, sizeof entry), 0);
  }
  unsetenv("CONVTGEN_CACHE_DIR");
  free(real), free(link_dir);
}

/* seal.key as it should be: a regular file of ours, 0600, 32 bytes. */
static void assert_good_secret(const char *cache) {
  char *key = tu_path(cache, "seal.key");
  struct stat sb;
  assert_int_equal(lstat(key, &sb), 0);
  assert_true(S_ISREG(sb.st_mode));
  assert_int_equal(sb.st_mode & 0777, 0600);
  assert_int_equal(sb.st_uid, geteuid());
  assert_int_equal(sb.st_size, 32);
  free(key);
}

static void test_an_unusable_seal_key_is_replaced(void **state) {
  (void)state;
  if (!have_cc()) skip();
  char *cache = tu_use_cache("secret-cache");
  cc_check(SMALL);
  assert_good_secret(cache);
  char *key = tu_path(cache, "seal.key"), *other = tu_write(tu_dir, "some-file", "0123456789abcdef0123456789abcdef", 32);
  for (int how = 0; how < 5; how++) {
    size_t count;
    ctg_error err;
    tu_assert_ok(ctg_cache_scan(1, NULL, 0, &count, &err), &err); /* cold again */
    const char *what[] = { "readable by others", "empty", "a symlink", "someone else's", "a FIFO" };
    switch (how) {
    case 0: assert_int_equal(chmod(key, 0644), 0); break;
    case 1: assert_int_equal(truncate(key, 0), 0); break;
    case 2: unlink(key), assert_int_equal(symlink(other, key), 0); break;
    case 3:
      if (geteuid() != 0) continue;
      assert_int_equal(chown(key, 65534, 65534), 0);
      break;
    case 4: unlink(key), assert_int_equal(mkfifo(key, 0600), 0); break;
    }
    printf("  seal.key %s: replaced\n", what[how]);
    tu_assert_ok(ctg_cache_check(&err), &err);
    assert_good_secret(cache);
    cc_check(SMALL); /* built, sealed and kept */
    char entry[4400];
    assert_int_equal(find_entry(cache, entry, sizeof entry), 1);
  }
  /* one that cannot be replaced (a folder with something in it): the check says why, the
   * kernel still builds, and the CLI warns once */
  unlink(key);
  assert_int_equal(mkdir(key, 0700), 0);
  free(tu_write(key, "x", "x", 1));
  ctg_error err;
  assert_int_equal(ctg_cache_check(&err), CTG_ERR_IO);
  assert_contains(err.message, "seal.key: the cache's secret cannot be read or replaced");
  cc_check(SMALL);
  const char *argv[] = { "convtgen", "check", "SPEC", "--backend", "cc", NULL };
  char *spec = tu_write(tu_dir, "small-secret.lua", SMALL, (size_t)-1);
  argv[2] = spec;
  char out[4096], errs[4096];
  assert_int_equal(tu_cli(argv, out, sizeof out, errs, sizeof errs), 0);
  assert_contains(errs, "warning:");
  assert_int_equal(tu_lines(errs), 1);
  char cmd[4500];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", key);
  assert_int_equal(system(cmd), 0);
  unsetenv("CONVTGEN_CACHE_DIR");
  free(spec), free(key), free(other), free(cache);
}

/* A process alive and not a zombie. */
static int alive(pid_t pid) {
  char path[64], st[512];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  size_t n = fread(st, 1, sizeof st - 1, f);
  fclose(f);
  st[n] = '\0';
  const char *paren = strrchr(st, ')');
  return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

/* The processes whose working folder is dir (the compiler and its supervisor) into pids. */
static int processes_in(const char *dir, pid_t *pids, int cap) {
  int n = 0;
  DIR *d = opendir("/proc");
  for (struct dirent *e; d && (e = readdir(d)) && n < cap;) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    char path[300], target[4400];
    snprintf(path, sizeof path, "/proc/%s/cwd", e->d_name);
    ssize_t len = readlink(path, target, sizeof target - 1);
    if (len <= 0) continue;
    target[len] = '\0';
    if (strcmp(target, dir) == 0) pids[n++] = (pid_t)atoi(e->d_name);
  }
  if (d) closedir(d);
  return n;
}

/* The private build folder of process pid in tmp, with its source written: its path into buf. */
static int find_private_build(const char *tmp, pid_t pid, char *buf, size_t cap) {
  char prefix[64];
  snprintf(prefix, sizeof prefix, "convtgen-cc.%d.", (int)pid);
  DIR *d = opendir(tmp);
  int found = 0;
  for (struct dirent *e; d && !found && (e = readdir(d));) {
    if (strncmp(e->d_name, prefix, strlen(prefix)) != 0) continue;
    snprintf(buf, cap, "%s/%s", tmp, e->d_name);
    char src[4500];
    snprintf(src, sizeof src, "%s/kernel.c", buf);
    found = access(src, F_OK) == 0;
  }
  if (d) closedir(d);
  return found;
}

static int count_private(const char *tmp) {
  DIR *d = opendir(tmp);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));) n += strncmp(e->d_name, "convtgen-cc.", 12) == 0;
  if (d) closedir(d);
  return n;
}

static void test_a_killed_process_leaves_no_compiler(void **state) {
  (void)state;
  if (!have_cc()) skip();
  char *tmp = tu_path(tu_dir, "private-tmp"), *open_dir = tu_path(tu_dir, "open-cache-2");
  assert_int_equal(mkdir(tmp, 0700), 0);
  assert_int_equal(mkdir(open_dir, 0700), 0);
  assert_int_equal(chmod(open_dir, 0777), 0); /* unsafe: builds are private, in $TMPDIR */
  setenv("CONVTGEN_CACHE_DIR", open_dir, 1);
  setenv("TMPDIR", tmp, 1);
  const int sigs[] = { SIGKILL, SIGTERM };
  for (int i = 0; i < 2; i++) {
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) _exit(cc_check_status(LARGE));
    char build[4400];
    int found = 0;
    for (int t = 0; t < 3000 && !(found = find_private_build(tmp, pid, build, sizeof build)); t++) usleep(10 * 1000);
    assert_true(found);
    pid_t pids[16];
    int n = 0;
    for (int t = 0; t < 500 && (n = processes_in(build, pids, 16)) < 2; t++) usleep(10 * 1000);
    assert_true(n >= 2); /* the supervisor and the compiler driver at least */
    assert_int_equal(kill(pid, sigs[i]), 0);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    int left = n;
    for (int t = 0; t < 1000 && (left > 0 || tu_exists(build)); t++) {
      usleep(10 * 1000);
      left = 0;
      for (int j = 0; j < n; j++) left += alive(pids[j]);
    }
    printf("  %s during a cc build: %d processes in its folder, %d left; the folder %s\n", strsignal(sigs[i]), n, left,
           tu_exists(build) ? "stays" : "removed");
    assert_int_equal(left, 0);
    assert_false(tu_exists(build));
  }
  /* a dead builder's private folder is swept (by cache clear, and by the next build); a live
   * one's, and someone else's, are left */
  char dead[4400], live[4400], foreign[4400];
  snprintf(dead, sizeof dead, "%s/convtgen-cc.999999999.abcdef", tmp);
  snprintf(live, sizeof live, "%s/convtgen-cc.%ld.ghijkl", tmp, (long)getpid());
  snprintf(foreign, sizeof foreign, "%s/convtgen-cc.999999998.mnopqr", tmp);
  assert_int_equal(mkdir(dead, 0700), 0);
  free(tu_write(dead, "kernel.c", "int x;", (size_t)-1));
  assert_int_equal(mkdir(live, 0700), 0);
  assert_int_equal(mkdir(foreign, 0700), 0);
  if (geteuid() == 0) assert_int_equal(chown(foreign, 65534, 65534), 0);
  size_t count;
  ctg_error err;
  assert_int_equal(ctg_cache_scan(1, NULL, 0, &count, &err), CTG_ERR_IO); /* the cache itself is unsafe */
  assert_false(tu_exists(dead));
  assert_true(tu_exists(live));
  assert_true(tu_exists(foreign) || geteuid() != 0);
  rmdir(live), rmdir(foreign);
  assert_int_equal(count_private(tmp), 0);
  unsetenv("TMPDIR");
  unsetenv("CONVTGEN_CACHE_DIR");
  free(tmp), free(open_dir);
}

static void test_the_compiler_runs_under_limits(void **state) {
  (void)state;
  if (!have_cc()) skip();
  char *cache = tu_use_cache("limits-cache");
  ctg_spec *spec = tu_spec(SMALL);
  ctg_options cc = { CTG_BACKEND_CC, NULL, NULL, 0, 0 };
  ctg_kernel *k = NULL;
  ctg_error err;
  /* a compiler that never finishes: stopped at the time limit, with a message naming it */
  char *fake = tu_write(tu_dir, "slow-cc", "#!/bin/sh\nif [ \"$1\" = --version ]; then echo slow-cc 1.0; exit 0; fi\n"
                                           "exec sleep 60\n", (size_t)-1);
  assert_int_equal(chmod(fake, 0755), 0);
  setenv("CC", fake, 1);
  setenv("CONVTGEN_CC_SECONDS", "1", 1);
  double t0 = now_s();
  assert_int_equal(ctg_compile(spec, &cc, &k, &err), CTG_ERR_UNAVAILABLE);
  double took = now_s() - t0;
  printf("  a compiler that sleeps: stopped after %.2f s: %s\n", took, err.message);
  assert_contains(err.message, "ran past its limit of 1 s (set CONVTGEN_CC_SECONDS");
  assert_true(took < 20);
  unsetenv("CC");
  /* a memory limit too small for cc1: a message naming it */
  setenv("CONVTGEN_CC_MEMORY_MB", "48", 1);
  assert_int_not_equal(ctg_compile(spec, &cc, &k, &err), CTG_OK);
  assert_contains(err.message, "under its limit of 48 MiB of memory (CONVTGEN_CC_MEMORY_MB");
  /* limits that are not numbers */
  setenv("CONVTGEN_CC_MEMORY_MB", "lots", 1);
  assert_int_equal(ctg_compile(spec, &cc, &k, &err), CTG_ERR_ARG);
  assert_contains(err.message, "CONVTGEN_CC_MEMORY_MB='lots': expected a whole number");
  unsetenv("CONVTGEN_CC_MEMORY_MB");
  unsetenv("CONVTGEN_CC_SECONDS");
  /* the tcc tier needs no compiler */
  ctg_options tcc = { CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
  tu_assert_ok(ctg_compile(spec, &tcc, &k, &err), &err);
  ctg_kernel_free(k);
  ctg_spec_free(spec);
  free(fake), free(cache);
}

/* The layer: 33 MB of C at unroll = full, 130 s and 751 MB to compile. The generator
 * hands no compiler more than 1 MiB, for every target. */
static void test_the_generator_bounds_the_source(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {in_channels = 16, out_channels = 16, kernel_size = 16, stride = 4, dilation = 3, "
                           "padding = 20, input_shape = {1, 16, 12, 12}, unroll = 'full', dtype = 'complex128'}");
  const char *targets[] = { "scalar", ctg__host_isa(), "portable", "avx2" };
  for (int i = 0; i < 4; i++) {
    ctg__emitted e;
    tu_assert_ok(ctg__emit(ctg_spec_params(spec), targets[i], NULL, NULL, &e, NULL), NULL);
    printf("  %-8s %zu bytes: %s\n", targets[i], strlen(e.source), ctg__code_shape_name(e.shape));
    assert_true(strlen(e.source) <= (1u << 20));
    assert_int_equal(e.shape, CTG__CODE_SHAPE_PHASE_TABLES);
    ctg__emitted_free(&e);
  }
  ctg_kernel *k;
  ctg_options tcc = { CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
  ctg_error err;
  ctg_check_result r;
  tu_assert_ok(ctg_compile(spec, &tcc, &k, &err), &err);
  tu_assert_ok(ctg_check(k, 3, &r, &err), &err);
  assert_true(r.passed);
  ctg_kernel_free(k);
  ctg_spec_free(spec);
}

/* Kernel and interpreter that agree on infinities agree: a float32 leaky_relu with a slope of
 * 3e38 sends negative sums to -inf in both. */
static void test_equal_infinities_pass_the_check(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {in_channels = 4, out_channels = 2, kernel_size = 3, input_shape = {1, 4, 4, 4}, "
                           "activation = {'leaky_relu', 3e38}}");
  ctg_options o = { CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
  ctg_kernel *k;
  ctg_error err;
  ctg_check_result r;
  tu_assert_ok(ctg_compile(spec, &o, &k, &err), &err);
  tu_assert_ok(ctg_check(k, 1, &r, &err), &err);
  assert_true(r.passed);
  ctg_kernel_free(k);
  ctg_spec_free(spec);
}

/* --- the C API with NULL where the header does not allow it ------------------------------ */

/* Case i: one public call with a NULL the header does not allow; 0 when it returned
 * CTG_ERR_ARG (or, for a call that returns a value, a neutral one) without crashing. */
static int null_case(const void *arg) {
  int i = *(const int *)arg;
  ctg_error err;
  ctg_spec *spec = NULL;
  ctg_kernel *k = NULL;
  ctg_tensor t;
  ctg_tensor_info ti;
  ctg_check_result r;
  ctg_backend b;
  size_t count;
  char buf[64], *text = NULL;
  int64_t shape[4];
  ctg_options o = { CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
  if (ctg_spec_from_string(SMALL, "t.lua", &spec, &err) != CTG_OK || ctg_compile(spec, &o, &k, &err) != CTG_OK) return 9;
  const ctg_params *p = ctg_spec_params(spec);
  int st = CTG_ERR_ARG, ok;
  switch (i) {
    case 0: st = ctg_spec_from_file(NULL, &spec, &err); break;
    case 1: st = ctg_spec_from_file("x.lua", NULL, &err); break;
    case 2: st = ctg_spec_from_string(NULL, "t", &spec, &err); break;
    case 3: st = ctg_spec_from_string(SMALL, "t", NULL, &err); break;
    case 4: st = ctg_spec_from_layer(NULL, &spec, &err); break;
    case 5: st = ctg_spec_describe(NULL, &text, &err); break;
    case 6: st = ctg_spec_describe(spec, NULL, &err); break;
    case 7: st = ctg_reference(NULL, buf, buf, NULL, buf, &err); break;
    case 8: st = ctg_reference(p, NULL, buf, NULL, buf, &err); break;
    case 9: st = ctg_fold_batchnorm(NULL, buf, NULL, buf, buf, buf, buf, 1e-5, buf, buf, &err); break;
    case 10: st = ctg_onnx_import(NULL, "d", 1, NULL, &err); break;
    case 11: st = ctg_generate(NULL, NULL, &text, NULL, &err); break;
    case 12: st = ctg_generate(spec, NULL, NULL, NULL, &err); break;
    case 13: st = ctg_generate_to_dir(NULL, NULL, "d", NULL, 0, &err); break;
    case 14: st = ctg_generate_to_dir(spec, NULL, NULL, NULL, 0, &err); break;
    case 15: st = ctg_compile(NULL, &o, &k, &err); break;
    case 16: st = ctg_compile(spec, &o, NULL, &err); break;
    case 17: st = ctg_kernel_wait(NULL, &err); break;
    case 18: st = ctg_kernel_run(NULL, 1, buf, buf, NULL, buf, &err); break;
    case 19: st = ctg_kernel_run(k, ctg_kernel_params(k)->batch, NULL, buf, NULL, buf, &err); break;
    case 20: st = ctg_kernel_run(k, ctg_kernel_params(k)->batch, buf, NULL, NULL, buf, &err); break;
    case 21: st = ctg_kernel_run(k, ctg_kernel_params(k)->batch, buf, buf, NULL, NULL, &err); break;
    case 22: st = ctg_kernel_bind_weights(NULL, buf, NULL, &err); break;
    case 23: st = ctg_kernel_bind_weights(k, NULL, NULL, &err); break;
    case 24: st = ctg_kernel_run(NULL, 1, buf, NULL, NULL, buf, &err); break;
    case 25: st = ctg_kernel_run(k, ctg_kernel_params(k)->batch, NULL, NULL, NULL, buf, &err); break;
    case 26: st = ctg_spec_tensor(NULL, CTG_INPUT, &ti, &err); break;
    case 27: st = ctg_spec_tensor(spec, CTG_INPUT, NULL, &err); break;
    case 28: st = ctg_backend_from_name(NULL, &b, &err); break;
    case 29: st = ctg_backend_from_name("tcc", NULL, &err); break;
    case 30: st = ctg_check(NULL, 1, &r, &err); break;
    case 31: st = ctg_check(k, 1, NULL, &err); break;
    case 32: st = ctg_npy_load(NULL, &t, &err); break;
    case 33: st = ctg_npy_load("x.npy", NULL, &err); break;
    case 34: st = ctg_npy_save(NULL, CTG_FLOAT32, 1, shape, buf, &err); break;
    case 35: st = ctg_npy_save("x.npy", CTG_FLOAT32, 1, NULL, buf, &err); break;
    case 36: st = ctg_cache_directory(NULL, 10, &err); break;
    case 37: st = ctg_cache_scan(0, NULL, 0, NULL, &err); break;
    /* calls that return a value: a neutral one */
    case 38: ok = ctg_spec_params(NULL) == NULL; st = ok ? CTG_ERR_ARG : 1; break;
    case 39: ok = ctg_params_shape(NULL, CTG_WEIGHT, shape) == 0; st = ok ? CTG_ERR_ARG : 1; break;
    case 40: ok = ctg_params_numel(NULL, CTG_WEIGHT) == 0; st = ok ? CTG_ERR_ARG : 1; break;
    case 41: ok = ctg_kernel_source(NULL) == NULL; st = ok ? CTG_ERR_ARG : 1; break;
    case 42: ok = ctg_kernel_params(NULL) == NULL; st = ok ? CTG_ERR_ARG : 1; break;
    case 43: ok = ctg_kernel_compile_ms(NULL) == 0; st = ok ? CTG_ERR_ARG : 1; break;
    case 44: ok = ctg_kernel_tier_ms(NULL, CTG_BACKEND_TCC) < 0 || ctg_kernel_tier_ms(NULL, CTG_BACKEND_TCC) == 0;
      st = ok ? CTG_ERR_ARG : 1; break;
    case 45: ok = ctg_params_channels_last(NULL) == 0; st = ok ? CTG_ERR_ARG : 1; break;
    case 46: ctg_tensor_free(NULL), ctg_free(NULL), ctg_kernel_free(NULL), ctg_spec_free(NULL), ctg_layer_init(NULL);
      st = CTG_ERR_ARG; break;
    case 47: st = ctg_cache_scan(0, buf, sizeof buf, &count, NULL) == CTG_OK ? CTG_ERR_ARG : 1; break;
    case 48: st = ctg_spec_from_string(SMALL, "t", &spec, NULL) == CTG_OK ? CTG_ERR_ARG : 1; break;
    case 49: st = ctg_kernel_run_device(NULL, 1, buf, NULL, NULL, buf, NULL, &err); break;
    case 50: st = ctg_kernel_run_device(NULL, 1, buf, buf, NULL, buf, NULL, &err); break;
    /* a CPU kernel's device calls: CTG_ERR_ARG, naming the backend */
    case 51: st = ctg_kernel_run_device(k, 1, buf, NULL, NULL, buf, NULL, &err);
      if (!strstr(err.message, "runs on the CPU (backend tcc)")) st = 1;
      break;
    case 52: st = ctg_kernel_run_device(k, 1, NULL, buf, NULL, buf, NULL, &err); break;
    default: return 8;
  }
  ctg_free(text);
  ctg_kernel_free(k);
  return st == CTG_ERR_ARG ? 0 : 1;
}

static void test_every_public_call_takes_null(void **state) {
  (void)state;
  char *cache = tu_use_cache("null-cache");
  int failed = 0;
  for (int i = 0; i <= 52; i++) {
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      signal(SIGSEGV, SIG_DFL), signal(SIGABRT, SIG_DFL), signal(SIGBUS, SIG_DFL);
      _exit(null_case(&i));
    }
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      printf("  NULL case %d: %s %d\n", i, WIFSIGNALED(status) ? "died of signal" : "exit",
             WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
      failed++;
    }
  }
  assert_int_equal(failed, 0);
  unsetenv("CONVTGEN_CACHE_DIR");
  free(cache);
}

/* The seal's hash, against FIPS 180-4 and RFC 4231's vectors. */
static void test_seal_hash_vectors(void **state) {
  (void)state;
  unsigned char out[32];
  char hex[65];
  ctg__sha256 s;
  ctg__sha256_init(&s);
  ctg__sha256_update(&s, "abc", 3);
  ctg__sha256_final(&s, out);
  for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", out[i]);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  ctg__hmac_sha256((const unsigned char *)"Jefe", 4, "what do ya ", 11, "want for nothing?", 17, out);
  for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", out[i]);
  assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  unsigned char key[131];
  memset(key, 0xaa, sizeof key); /* RFC 4231 case 6: a key longer than the block */
  const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
  ctg__hmac_sha256(key, sizeof key, msg, strlen(msg), "", 0, out);
  for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", out[i]);
  assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--exit-while-compiling") == 0) return exit_while_compiling();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_seal_hash_vectors),
    cmocka_unit_test(test_hostile_specs_get_an_error_in_bounded_time),
    cmocka_unit_test(test_baking_too_many_weights_is_an_error),
    cmocka_unit_test(test_a_fifo_is_refused_without_blocking),
    cmocka_unit_test(test_npy_header_edge_cases),
    cmocka_unit_test(test_cache_runs_only_what_it_built),
    cmocka_unit_test(test_an_unsafe_cache_directory_is_refused),
    cmocka_unit_test(test_compilers_do_not_outlive_their_process),
    cmocka_unit_test(test_cache_list_says_what_each_entry_is),
    cmocka_unit_test(test_a_swapped_cache_folder_runs_no_foreign_code),
    cmocka_unit_test(test_a_trailing_slash_hides_no_symlink),
    cmocka_unit_test(test_an_unusable_seal_key_is_replaced),
    cmocka_unit_test(test_a_killed_process_leaves_no_compiler),
    cmocka_unit_test(test_the_compiler_runs_under_limits),
    cmocka_unit_test(test_the_generator_bounds_the_source),
    cmocka_unit_test(test_every_public_call_takes_null),
    cmocka_unit_test(test_equal_infinities_pass_the_check),
  };
  return cmocka_run_group_tests_name("hostile", tests, tu_setup_dir, tu_teardown_dir);
}
