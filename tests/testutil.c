/* testutil.c: helpers the cmocka suites share. */
#define _XOPEN_SOURCE 700
#include "testutil.h"
#include "internal.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <math.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *tu_mkdtemp(void) {
  const char *base = getenv("TMPDIR");
  char *dir = tu_path(base && base[0] ? base : "/tmp", "convtgen-test-XXXXXX");
  assert_non_null(mkdtemp(dir));
  return dir;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(path);
}

void tu_rmtree(const char *dir) { nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

char *tu_dir;

int tu_setup_dir(void **state) {
  (void)state;
  tu_dir = tu_mkdtemp();
  return 0;
}

int tu_teardown_dir(void **state) {
  (void)state;
  tu_rmtree(tu_dir);
  free(tu_dir);
  tu_dir = NULL;
  return 0;
}

char *tu_path(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  assert_non_null(p);
  snprintf(p, n, "%s/%s", dir, name);
  return p;
}

char *tu_write(const char *dir, const char *name, const void *data, size_t len) {
  char *p = tu_path(dir, name);
  if (len == (size_t)-1) len = strlen(data);
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
  return p;
}

int tu_exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

static void slurp(FILE *f, char *buf, size_t cap) {
  rewind(f);
  size_t n = fread(buf, 1, cap - 1, f);
  buf[n] = '\0';
  fclose(f);
}

int tu_cli(const char *const *argv, char *out, size_t out_cap, char *err, size_t err_cap) {
  FILE *fo = tmpfile(), *fe = tmpfile();
  assert_non_null(fo);
  assert_non_null(fe);
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    execv(CTG_TEST_CLI, (char *const *)(uintptr_t)argv);
    _exit(127);
  }
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  slurp(fo, out, out_cap);
  slurp(fe, err, err_cap);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int tu_lines(const char *s) {
  int n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

void tu_assert_contains(const char *haystack, const char *needle, const char *file, int line) {
  if (!haystack || !strstr(haystack, needle)) {
    fprintf(stderr, "%s:%d: expected to find \"%s\" in \"%s\"\n", file, line, needle,
            haystack ? haystack : "(null)");
    fail();
  }
}

float tu_rand(uint64_t *state) {
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (float)((*state >> 40) / (double)(1 << 24)) * 2.0f - 1.0f;
}

void tu_assert_ok_at(int st, const ctg_error *err, const char *file, int line) {
  if (st != CTG_OK) {
    fprintf(stderr, "%s:%d: unexpected error %d: %s\n", file, line, st, err ? err->message : "");
    fail();
  }
}

char *tu_use_cache(const char *name) {
  char *path = tu_path(tu_dir, name);
  setenv("CONVTGEN_CACHE_DIR", path, 1);
  return path;
}

ctg_spec *tu_spec(const char *source) {
  ctg_spec *spec = NULL;
  ctg_error err;
  tu_assert_ok(ctg_spec_from_string(source, "t.lua", &spec, &err), &err);
  assert_int_equal(err.status, CTG_OK);
  assert_non_null(spec);
  return spec;
}

/* One text field of the emitter's answer for p and target into buf. */
static const char *answer_field(const ctg_params *p, const char *target, int features, char *buf, size_t cap) {
  ctg__emitted e;
  ctg_error err;
  tu_assert_ok(ctg__emit(p, target, NULL, NULL, &e, &err), &err);
  if (features) ctg__features_text(e.features, buf, cap);
  else snprintf(buf, cap, "%s", ctg__code_shape_name(e.shape));
  ctg__emitted_free(&e);
  return buf;
}

const char *tu_shape(const ctg_params *p, const char *target) {
  static char shape[32];
  return answer_field(p, target, 0, shape, sizeof shape);
}

const char *tu_features(const ctg_params *p, const char *target) {
  static char features[128];
  return answer_field(p, target, 1, features, sizeof features);
}

static void *entry_point(void *h, const char *name, const char *suffix) {
  char sym[96];
  snprintf(sym, sizeof sym, "%s%s", name, suffix);
  void *f = dlsym(h, sym);
  if (!f) fprintf(stderr, "%s has no symbol %s\n", name, sym);
  assert_non_null(f);
  return f;
}

void tu_check_entry_points(void *h, const ctg_params *p, size_t packed_size, uint64_t seed, const char *what) {
  /* any dtype: the entry points take pointers to elements of es bytes */
  const ctg_dtype dt = ctg_params_dtype(p);
  const size_t es = ctg_dtype_size(dt);
  size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
         nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
  char *x = malloc(nx * es + es), *w = malloc(nw * es + es), *b = malloc(nb * es + es), *y = malloc(ny * es + es),
       *packed = malloc(packed_size * es + es);
  ctg__random_fill_dtype(x, nx, dt, &seed);
  ctg__random_fill_dtype(w, nw, dt, &seed);
  ctg__random_fill_dtype(b, nb, dt, &seed);
  void (*pack)(const void *, const void *, void *);
  int (*run_packed)(const void *, const void *, void *);
  int (*run)(const void *, const void *, const void *, void *);
  int (*run_packed_batch)(int, const void *, const void *, void *);
  int (*run_batch)(int, const void *, const void *, const void *, void *);
  *(void **)&pack = entry_point(h, p->name, "_pack");
  *(void **)&run_packed = entry_point(h, p->name, "_run_packed");
  *(void **)&run = entry_point(h, p->name, "_run");
  *(void **)&run_packed_batch = entry_point(h, p->name, "_run_packed_batch");
  *(void **)&run_batch = entry_point(h, p->name, "_run_batch");
  pack(w, p->bias ? b : NULL, packed);
  for (int way = 0; way < 2; way++) {
    memset(y, 0xff, ny * es); /* NaN in every dtype */
    assert_int_equal(way == 0 ? run_packed(x, packed, y) : run(x, w, p->bias ? b : NULL, y), 0);
    ctg_check_result r;
    assert_int_equal(ctg__compare(p, x, w, b, y, &r, NULL), CTG_OK);
    if (!r.passed)
      fprintf(stderr, "%s %s (%s): scaled error %g > %g\n", what, p->name, way ? "run" : "run_packed",
              r.max_scaled_error, r.tolerance);
    assert_true(r.passed);
  }
  /* a batch of 3N (3 when N is 0 or the layer unbatched) through both batch entries: exactly
   * the images one at a time; a batch of 0 writes nothing */
  size_t in_image = (size_t)p->in_channels * p->in_h * p->in_w, out_image = (size_t)p->out_channels * p->out_h * p->out_w;
  int n3 = 3 * (p->batched && p->batch > 0 ? p->batch : 1);
  char *x3 = malloc(n3 * in_image * es + es), *y3 = malloc(n3 * out_image * es + es), *y1 = malloc(out_image * es + es);
  ctg__random_fill_dtype(x3, n3 * in_image, dt, &seed);
  for (int way = 0; way < 2; way++) {
    memset(y3, 0xff, n3 * out_image * es);
    assert_int_equal(way ? run_batch(n3, x3, w, p->bias ? b : NULL, y3) : run_packed_batch(n3, x3, packed, y3), 0);
    for (int i = 0; i < n3; i++) {
      assert_int_equal(run_batch(1, x3 + i * in_image * es, w, p->bias ? b : NULL, y1), 0);
      if (memcmp(y1, y3 + i * out_image * es, out_image * es) != 0)
        fprintf(stderr, "%s %s: image %d of a batch of %d differs from the image alone\n", what, p->name, i, n3);
      assert_memory_equal(y1, y3 + i * out_image * es, out_image * es);
    }
  }
  memset(y1, 0x5a, es);
  assert_int_equal(run_batch(0, x3, w, p->bias ? b : NULL, y1), 0);
  for (size_t i = 0; i < es; i++) assert_int_equal((unsigned char)y1[i], 0x5a);
  free(x3), free(y3), free(y1);
  free(x), free(w), free(b), free(y), free(packed);
}

void tu_text_append(char **text, size_t *used, size_t *cap, const char *piece) {
  size_t n = strlen(piece);
  if (*used + n + 1 > *cap) {
    *cap = 2 * (*used + n + 1);
    *text = realloc(*text, *cap);
    assert_non_null(*text);
  }
  memcpy(*text + *used, piece, n + 1);
  *used += n;
}
