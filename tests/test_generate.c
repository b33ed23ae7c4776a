/* test_generate.c: the C generator (runtime/core/generate.c + generator/): committed goldens, warning-free
 * C99 under gcc and clang, and an ahead-of-time pair compiled into a program by the system compiler. */
#include <dirent.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "internal.h"
#include "testutil.h"


static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *buf = malloc((size_t)n + 1);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static ctg_spec *spec_file(const char *path) {
  ctg_spec *spec;
  ctg_error err;
  tu_assert_ok(ctg_spec_from_file(path, &spec, &err), &err);
  return spec;
}

/* The shape names generator/registry.lua lists, in its order, joined by spaces into buf. */
static int registry_names(lua_State *L, void *ud) {
  char *buf = ud;
  ctg__lua_require_call(L, "registry", "names", 0, 1);
  buf[0] = 0;
  for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
    lua_rawgeti(L, -1, i);
    strcat(strcat(buf, i > 1 ? " " : ""), lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  return CTG_OK;
}

/* The C runtime's list of code shapes (internal.h's CTG__CODE_SHAPE_LIST, what the emitter's answer
 * is read against) and the generator's registry name the same shapes in the same order. */
static void test_registry_matches_the_runtime(void **state) {
  (void)state;
  char lua[1024], c[1024] = "";
  ctg_error err;
  lua_State *L = ctg__lua_generator(&err);
  assert_non_null(L);
  tu_assert_ok(ctg__lua_protected(L, registry_names, lua, CTG_ERR_INTERNAL, &err), &err);
  ctg__lua_close(L);
  for (int s = 1; s < CTG__CODE_SHAPE_COUNT; s++) strcat(strcat(c, s > 1 ? " " : ""), ctg__code_shape_name((ctg__code_shape)s));
  assert_string_equal(lua, c);
  assert_string_equal(ctg__code_shape_name(CTG__CODE_SHAPE_NONE), "");
  char text[128];
  assert_string_equal(ctg__features_text(CTG__FEATURE(ROW_TILES) | CTG__FEATURE(LONG_ROWS), text, sizeof text),
                      "row_tiles long_rows");
}

static int sh(const char *cmd) {
  int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Every change to generated code shows up as a diff against tests/golden (`make golden`). */
static void test_goldens(void **state) {
  (void)state;
  const char *names[] = { "tiny_mcu", "tiny_mcu_small", "dcgan_g2" };
  for (int i = 0; i < 3; i++) {
    char spec_path[256], c_path[256], h_path[256];
    snprintf(spec_path, sizeof spec_path, "examples/%s.lua", names[i]);
    snprintf(c_path, sizeof c_path, "tests/golden/%s.c", names[i]);
    snprintf(h_path, sizeof h_path, "tests/golden/%s.h", names[i]);
    ctg_spec *spec = spec_file(spec_path);
    char *src, *hdr;
    assert_int_equal(ctg_generate(spec, NULL, &src, &hdr, NULL), CTG_OK);
    char *want_c = slurp(c_path), *want_h = slurp(h_path);
    assert_non_null(want_c);
    assert_non_null(want_h);
    if (strcmp(src, want_c) != 0 || strcmp(hdr, want_h) != 0)
      fprintf(stderr, "%s: generated code differs from tests/golden; review the diff, then `make golden`\n",
              names[i]);
    assert_string_equal(src, want_c);
    assert_string_equal(hdr, want_h);
    free(want_c), free(want_h), ctg_free(src), ctg_free(hdr);
    ctg_spec_free(spec);
  }
  /* and the CUDA pair of one of them */
  ctg_spec *spec = spec_file("examples/tiny_mcu.lua");
  ctg_gen_options cuda = { CTG_TARGET_CUDA, NULL, NULL, CTG_ISA_PORTABLE };
  char *src, *hdr;
  assert_int_equal(ctg_generate(spec, &cuda, &src, &hdr, NULL), CTG_OK);
  char *want_cu = slurp("tests/golden/tiny_mcu.cu"), *want_cuh = slurp("tests/golden/tiny_mcu.cuh");
  assert_non_null(want_cu);
  assert_non_null(want_cuh);
  assert_string_equal(src, want_cu);
  assert_string_equal(hdr, want_cuh);
  free(want_cu), free(want_cuh), ctg_free(src), ctg_free(hdr);
  ctg_spec_free(spec);
}

/* The emitted C compiles warning-free as C99 under gcc and clang, for every code shape. */
static const char *const SHAPES[] = {
  "return {in_channels = 8, out_channels = 6, kernel_size = 3, stride = 2, padding = 1, output_padding = 1, "
  "input_shape = {2, 8, 5, 7}, name = 'w_phases'}",
  "return {in_channels = 8, out_channels = 6, kernel_size = 3, stride = 2, padding = 1, output_padding = 1, "
  "input_shape = {2, 8, 5, 7}, unroll = 'none', bias = false, name = 'w_compact'}",
  "return {in_channels = 4, out_channels = 5, kernel_size = {1, 3}, stride = 3, dilation = {2, 1}, "
  "input_shape = {4, 3, 3}, unroll = 'full', name = 'w_full'}",
  "return {in_channels = 4, out_channels = 4, groups = 4, kernel_size = 4, stride = 2, padding = 1, "
  "input_shape = {1, 4, 6, 6}, name = 'w_depthwise'}",
  "return {in_channels = 2, out_channels = 2, kernel_size = 1, stride = 4, bias = false, "
  "input_shape = {1, 2, 2, 2}, name = 'w_bias_only_phases'}",
  "return {in_channels = 2, out_channels = 2, kernel_size = 3, input_shape = {0, 2, 4, 4}, name = 'w_empty'}",
};

/* Baked weights, every code shape; some weights zero, and one output channel's all zero. */
static void generate_baked(const char *source, const char *dir_path) {
  ctg_spec *spec;
  assert_int_equal(ctg_spec_from_string(source, "t.lua", &spec, NULL), CTG_OK);
  const ctg_params *p = ctg_spec_params(spec);
  size_t nw = ctg_params_numel(p, CTG_WEIGHT), nb = ctg_params_numel(p, CTG_BIAS);
  float *w = malloc(nw * 4), *b = malloc(nb * 4 + 4);
  for (size_t i = 0; i < nw; i++) w[i] = (i % 5 == 0 || i % (nw / 2 + 1) < (size_t)(p->kernel[0] * p->kernel[1])) ? 0.0f : 0.5f - (float)(i % 7);
  for (size_t i = 0; i < nb; i++) b[i] = (float)i;
  ctg_gen_options go = { CTG_TARGET_C, w, p->bias ? b : NULL, CTG_ISA_PORTABLE };
  assert_int_equal(ctg_generate_to_dir(spec, &go, dir_path, NULL, 0, NULL), CTG_OK);
  free(w), free(b);
  ctg_spec_free(spec);
}

static const char *const BAKED[] = {
  "return {in_channels = 4, out_channels = 4, kernel_size = 3, stride = 2, padding = 1, output_padding = 1, "
  "input_shape = {1, 4, 5, 5}, unroll = 'full', name = 'b_full'}",
  "return {in_channels = 4, out_channels = 4, groups = 4, kernel_size = 4, stride = 2, padding = 1, bias = false, "
  "input_shape = {1, 4, 5, 5}, unroll = 'full', name = 'b_full_dw'}",
  "return {in_channels = 2, out_channels = 2, kernel_size = 1, stride = 3, input_shape = {2, 2, 2}, "
  "unroll = 'full', name = 'b_full_bias_only'}",
  "return {in_channels = 4, out_channels = 2, kernel_size = 3, stride = 2, input_shape = {1, 4, 3, 3}, "
  "unroll = 'taps', name = 'b_taps'}",
  "return {in_channels = 4, out_channels = 2, kernel_size = 3, stride = 2, bias = false, input_shape = {1, 4, 3, 3}, "
  "unroll = 'none', name = 'b_none'}",
};

static void compile_with(const char *cc) {
  char probe[128];
  snprintf(probe, sizeof probe, "command -v %s >/dev/null 2>&1", cc);
  if (sh(probe) != 0) {
    printf("%s is not installed\n", cc);
    skip();
  }
  for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++) {
    ctg_spec *spec;
    assert_int_equal(ctg_spec_from_string(SHAPES[i], "t.lua", &spec, NULL), CTG_OK);
    char written[1024];
    assert_int_equal(ctg_generate_to_dir(spec, NULL, tu_dir, written, sizeof written, NULL), CTG_OK);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s -std=c99 -Wall -Wextra -Wpedantic -Werror -O2 -ffreestanding -c %s/%s.c "
             "-o %s/%s.o", cc, tu_dir, ctg_spec_params(spec)->name, tu_dir, ctg_spec_params(spec)->name);
    if (sh(cmd) != 0) fprintf(stderr, "failed: %s\n", cmd);
    assert_int_equal(sh(cmd), 0);
    /* the header alone is valid C99 too */
    snprintf(cmd, sizeof cmd, "printf '#include \"%s.h\"\\n' | %s -std=c99 -Wall -Wextra -Wpedantic -Werror "
             "-I%s -x c -fsyntax-only -", ctg_spec_params(spec)->name, cc, tu_dir);
    assert_int_equal(sh(cmd), 0);
    ctg_spec_free(spec);
  }
  for (size_t i = 0; i < sizeof BAKED / sizeof BAKED[0]; i++) {
    generate_baked(BAKED[i], tu_dir);
    const char *name = strstr(BAKED[i], "name = '") + 8;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s -std=c99 -Wall -Wextra -Wpedantic -Werror -O2 -ffreestanding -c %s/%.*s.c "
             "-o %s/baked.o", cc, tu_dir, (int)(strchr(name, '\'') - name), name, tu_dir);
    if (sh(cmd) != 0) fprintf(stderr, "failed: %s\n", cmd);
    assert_int_equal(sh(cmd), 0);
  }
}

static void test_warning_free_with_gcc(void **state) {
  (void)state;
  compile_with("gcc");
}

static void test_warning_free_with_clang(void **state) {
  (void)state;
  compile_with("clang");
}

/* A program a user would write around an AOT pair: reads raw floats, calls NAME_run, writes raw floats. */
static const char HARNESS[] =
  "#include <stdio.h>\n#include <stdlib.h>\n#include \"%s.h\"\n"
  "static float *load(const char *p, size_t n) {\n"
  "  float *v = malloc(n * 4 + 4);\n"
  "  FILE *f = fopen(p, \"rb\");\n"
  "  if (!f || fread(v, 4, n, f) != n) exit(3);\n"
  "  fclose(f);\n"
  "  return v;\n"
  "}\n"
  "int main(int argc, char **argv) { (void)argc;\n"
  "  float *x = load(argv[1], %s_INPUT_SIZE), *w = load(argv[2], %s_WEIGHT_SIZE);\n"
  "  float *b = %s_BIAS_SIZE ? load(argv[3], %s_BIAS_SIZE) : NULL;\n"
  "  static float y[%s_OUTPUT_SIZE + 1];\n"
  "  if (%s_run(x, w, b, y) != 0) return 4;\n"
  "  FILE *f = fopen(argv[4], \"wb\"); fwrite(y, 4, %s_OUTPUT_SIZE, f); fclose(f); return 0; }\n";

static void write_raw(const char *path, const float *v, size_t n) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(v, 4, n, f), n);
  fclose(f);
}

static void test_aot_pair_in_a_program(void **state) {
  (void)state;
  const char *specs[] = {
    "return {in_channels = 6, out_channels = 4, kernel_size = {3, 5}, stride = {2, 1}, padding = {2, 2}, "
    "output_padding = {1, 0}, input_shape = {2, 6, 5, 7}, name = 'aot_batched'}",
    "return {in_channels = 4, out_channels = 6, groups = 2, kernel_size = 3, stride = 3, dilation = 2, "
    "bias = false, input_shape = {4, 4, 3}, unroll = 'none', name = 'aot_unbatched'}",
  };
  for (int s = 0; s < 2; s++) {
    ctg_spec *spec;
    assert_int_equal(ctg_spec_from_string(specs[s], "t.lua", &spec, NULL), CTG_OK);
    const ctg_params *p = ctg_spec_params(spec);
    assert_int_equal(ctg_generate_to_dir(spec, NULL, tu_dir, NULL, 0, NULL), CTG_OK);
    char NAME[64];
    for (size_t i = 0; i <= strlen(p->name); i++) NAME[i] = (char)(p->name[i] >= 'a' && p->name[i] <= 'z' ? p->name[i] - 32 : p->name[i]);
    char harness[2048], *main_path = tu_path(tu_dir, "main.c");
    snprintf(harness, sizeof harness, HARNESS, p->name, NAME, NAME, NAME, NAME, NAME, p->name, NAME);
    free(tu_write(tu_dir, "main.c", harness, (size_t)-1));

    size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
           nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
    float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc(nb * 4 + 4), *want = malloc(ny * 4);
    uint64_t rng = 99;
    for (size_t i = 0; i < nx; i++) x[i] = tu_rand(&rng);
    for (size_t i = 0; i < nw; i++) w[i] = tu_rand(&rng);
    for (size_t i = 0; i < nb; i++) b[i] = tu_rand(&rng);
    char *xp = tu_path(tu_dir, "x.bin"), *wp = tu_path(tu_dir, "w.bin"), *bp = tu_path(tu_dir, "b.bin"), *yp = tu_path(tu_dir, "y.bin");
    write_raw(xp, x, nx);
    write_raw(wp, w, nw);
    write_raw(bp, b, nb);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cc -std=c99 -O2 -Wall -Wextra -Werror -I%s %s %s/%s.c -o %s/prog && %s/prog %s %s %s %s",
             tu_dir, main_path, tu_dir, p->name, tu_dir, tu_dir, xp, wp, bp, yp);
    assert_int_equal(sh(cmd), 0);
    float *y = (float *)slurp(yp);
    assert_non_null(y);
    assert_int_equal(ctg_reference(p, x, w, b, want, NULL), CTG_OK);
    for (size_t i = 0; i < ny; i++) assert_true(fabs(y[i] - want[i]) <= 1e-5 * (1 + fabs(want[i])));
    free(x), free(w), free(b), free(want), free(y), free(xp), free(wp), free(bp), free(yp), free(main_path);
    ctg_spec_free(spec);
  }
}

static void test_generate_errors(void **state) {
  (void)state;
  ctg_spec *spec;
  ctg_error err;
  assert_int_equal(ctg_spec_from_string("return {in_channels = 1, out_channels = 1, kernel_size = 1, name = 'nowhere', "
                                        "input_shape = {1, 1, 1}}", NULL, &spec, NULL), CTG_OK);
  char *src;
  float w[1] = { 1 }, b[1] = { 0 };
  ctg_gen_options cuda = { CTG_TARGET_CUDA, w, b, CTG_ISA_PORTABLE }, odd = { (ctg_target)7, NULL, NULL, CTG_ISA_PORTABLE };
  assert_int_equal(ctg_generate(spec, &cuda, &src, NULL, &err), CTG_ERR_ARG);
  assert_contains(err.message, "weights are baked into C kernels only");
  assert_int_equal(ctg_generate(spec, &odd, &src, NULL, &err), CTG_ERR_ARG);
  char *missing = tu_path(tu_dir, "no/such");
  assert_int_equal(ctg_generate_to_dir(spec, NULL, missing, NULL, 0, &err), CTG_ERR_IO);
  assert_contains(err.message, "no/such/nowhere.c: cannot create");
  free(missing);
  ctg_spec_free(spec);
}

/* Every layer of the public suite generates under 1 MiB of C at the default unroll setting. */
static void test_public_suite_source_size(void **state) {
  (void)state;
  ctg_suite_layer *layers;
  size_t count;
  ctg_error err;
  assert_int_equal(ctg_suite_load("bench/layers.tsv", &layers, &count, &err), CTG_OK);
  assert_true(count >= 14);
  for (size_t i = 0; i < count; i++) {
    ctg_spec *spec;
    assert_int_equal(ctg_spec_from_layer(&layers[i].layer, &spec, &err), CTG_OK);
    char *src;
    assert_int_equal(ctg_generate(spec, NULL, &src, NULL, &err), CTG_OK);
    size_t contiguous = strlen(src);
    ctg_free(src);
    ctg_spec_free(spec);
    /* and channels_last */
    layers[i].layer.memory_format = "channels_last";
    assert_int_equal(ctg_spec_from_layer(&layers[i].layer, &spec, &err), CTG_OK);
    assert_int_equal(ctg_generate(spec, NULL, &src, NULL, &err), CTG_OK);
    printf("%-12s %7zu bytes of C, %7zu channels_last\n", layers[i].name, contiguous, strlen(src));
    assert_true(contiguous < (1u << 20) && strlen(src) < (1u << 20));
    ctg_free(src);
    ctg_spec_free(spec);
  }
  free(layers);
}


/* The templates print; the shapes' views compute. Every template declares what it reads ($uses),
 * and no insertion ${...} computes: no arithmetic and no concatenation outside string literals
 * (a printing helper called with literal or plain arguments is fine). Checked on the files. */
static int insertion_computes(const char *expr, size_t len) {
  char quote = 0;
  for (size_t i = 0; i < len; i++) {
    char c = expr[i];
    if (quote) { if (c == quote) quote = 0; continue; }
    if (c == '"' || c == '\'') { quote = c; continue; }
    if (strchr("+-*/%", c)) return 1;
    if (c == '.' && i + 1 < len && expr[i + 1] == '.') return 1;
  }
  return 0;
}

static void test_templates_only_print(void **state) {
  (void)state;
  int computing = 0, files = 0;
  DIR *dir = opendir(CTG_TEST_ROOT "/templates");
  assert_non_null(dir);
  for (struct dirent *de; (de = readdir(dir));) {
    size_t len = strlen(de->d_name);
    if (len < 4 || strcmp(de->d_name + len - 3, ".in") != 0) continue;
    const char *name = de->d_name;
    char path[1024], line[4096];
    files++;
    snprintf(path, sizeof path, "%s/templates/%s", CTG_TEST_ROOT, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int uses = 0, n = 0;
    while (fgets(line, sizeof line, f)) {
      n++;
      const char *t = line + strspn(line, " \t");
      if (strncmp(t, "$uses ", 6) == 0) uses = 1;
      if (t[0] == '$' && t[1] != '{') continue; /* a Lua line */
      for (const char *p = strstr(line, "${"); p; p = strstr(p, "${")) {
        int depth = 1;
        const char *e = p + 2;
        for (; *e && depth; e++) depth += *e == '{' ? 1 : *e == '}' ? -1 : 0;
        if (depth) { /* unterminated: the engine refuses the template, and so does this test */
          printf("  %s:%d: unterminated ${\n", name, n);
          computing++;
          break;
        }
        if (insertion_computes(p + 2, (size_t)(e - p - 3))) {
          printf("  %s:%d computes: %.*s\n", name, n, (int)(e - p), p);
          computing++;
        }
        p = e;
      }
    }
    fclose(f);
    if (!uses) printf("  %s declares nothing ($uses)\n", name);
    assert_true(uses);
  }
  closedir(dir);
  assert_true(files >= 17);
  assert_true(insertion_computes("r.qh1 - r.RH + 1", 16));
  assert_true(insertion_computes("name .. \"_bias\"", 15));
  assert_false(insertion_computes("join(uses, \"%s += %s * v;\", \" \")", 32));
  assert_int_equal(computing, 0);
}

/* What the generator must not write (fold.lua and the shapes' plans see to it): arithmetic the
 * plan already knows, x * 1, x + 0, x / 1, 0 * x; a loop that runs once kept as a block with a
 * constant ({ const int g = 0;); a comparison of two constants (a dead ternary or condition);
 * if (1). Each generated file's lines that match, printed, and counted. */
static const char *const DEAD[] = {
  "[A-Za-z0-9_)] \\* 1([^0-9A-Za-z_.]|$)", "\\+ 0([^0-9A-Za-z_.]|$)", "/ 1([^0-9A-Za-z_.]|$)",
  "(^|[^0-9A-Za-z_.])0 \\* [A-Za-z_(]", "\\{ const int [A-Za-z_]+ = -?[0-9]+;",
  "(^|[(=,?:] )-?[0-9]+ (<|>|<=|>=|==|!=) -?[0-9]+ \\?", "if \\(1\\)",
};
#define DEAD_COUNT (sizeof DEAD / sizeof DEAD[0])

static int dead_lines(const char *what, const char *text, regex_t *re) {
  int found = 0;
  for (const char *line = text; line && *line;) {
    const char *end = strchr(line, '\n');
    size_t n = end ? (size_t)(end - line) : strlen(line);
    char buf[4096];
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, line, n);
    buf[n] = 0;
    const char *t = buf;
    while (*t == ' ') t++;
    /* comments and preprocessor lines are prose */
    if (!(t[0] == '#' || (t[0] == '/' && t[1] == '*') || (t[0] == '*' && (t[1] == ' ' || t[1] == '/' || !t[1]))))
      for (size_t i = 0; i < DEAD_COUNT; i++)
        if (regexec(&re[i], buf, 0, NULL, 0) == 0) {
          if (found++ < 3) printf("  %s: %s\n", what, t);
          break;
        }
    line = end ? end + 1 : NULL;
  }
  return found;
}

static void test_no_dead_arithmetic_in_the_public_suite(void **state) {
  (void)state;
  regex_t re[DEAD_COUNT];
  for (size_t i = 0; i < DEAD_COUNT; i++) assert_int_equal(regcomp(&re[i], DEAD[i], REG_EXTENDED | REG_NOSUB), 0);
  /* the patterns find what they are for, and not what is meant */
  assert_int_equal(dead_lines("sample", "  y[g * 1 + cb] = 0;\n  p = yq + 0;\n  n = by / 1;\n  x = 0 * q;\n"
                                        "  { const int g = 0;\n  const int qh = 0 < 0 ? 1 : 2;\n  if (1) {\n", re), 7);
  assert_int_equal(dead_lines("sample", "  y = g * 16 + x * 1.0f;\n  a = b + 0.5f + c / 10;\n  /* g * 1 */\n"
                                        "#define A (x + 0)\n  const int qh = qt < 15 ? 1 : 2;\n", re), 0);
  ctg_suite_layer *layers;
  size_t count;
  ctg_error err;
  assert_int_equal(ctg_suite_load("bench/layers.tsv", &layers, &count, &err), CTG_OK);
  static const char *const targets[] = { "scalar", "portable", "cuda" };
  int dead = 0, files = 0;
  for (size_t i = 0; i < count; i++)
    for (int cl = 0; cl < 2; cl++) {
      layers[i].layer.memory_format = cl ? "channels_last" : "contiguous";
      ctg_spec *spec;
      tu_assert_ok(ctg_spec_from_layer(&layers[i].layer, &spec, &err), &err);
      for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        ctg__emitted e;
        tu_assert_ok(ctg__emit(ctg_spec_params(spec), targets[t], NULL, NULL, &e, &err), &err);
        char what[96];
        snprintf(what, sizeof what, "%s %s %s", layers[i].name, cl ? "channels_last" : "contiguous", targets[t]);
        dead += dead_lines(what, e.source, re) + dead_lines(what, e.header, re);
        files++;
        ctg__emitted_free(&e);
      }
      ctg_spec_free(spec);
    }
  free(layers);
  /* baked weights (firmware): float32 C99 and vector code, unroll full, and int8 */
  static const char *const baked[] = { "examples/tiny_mcu.lua", "examples/seed_3x5.lua", "examples/tiny_mcu_small.lua",
                                       "examples/tiny_mcu_int8.lua" };
  for (size_t i = 0; i < sizeof baked / sizeof baked[0]; i++) {
    ctg_spec *spec;
    tu_assert_ok(ctg_spec_from_file(baked[i], &spec, &err), &err);
    const ctg_params *p = ctg_spec_params(spec);
    size_t nw = ctg_params_numel(p, CTG_WEIGHT), nb = p->bias ? ctg_params_numel(p, CTG_BIAS) : 0;
    size_t ws = ctg_dtype_size(ctg_params_tensor_dtype(p, CTG_WEIGHT));
    size_t bs = nb ? ctg_dtype_size(ctg_params_tensor_dtype(p, CTG_BIAS)) : 1;
    unsigned char *w = calloc(nw, ws), *b = calloc(nb ? nb : 1, bs);
    for (size_t k = 0; k < nw; k++) {
      if (ws == 4) { float v = (float)((k * 7) % 5) - 2.0f; memcpy(w + 4 * k, &v, 4); }
      else w[k] = (unsigned char)((k * 7) % 5);
    }
    static const char *const isas[] = { "portable", "scalar" };
    for (int t = 0; t < 2; t++) {
      ctg__emitted e;
      tu_assert_ok(ctg__emit(p, isas[t], w, nb ? b : NULL, &e, &err), &err);
      char what[96];
      snprintf(what, sizeof what, "%s baked %s", p->name, isas[t]);
      dead += dead_lines(what, e.source, re);
      files++;
      ctg__emitted_free(&e);
    }
    free(w), free(b);
    ctg_spec_free(spec);
  }
  printf("%d files scanned, %d lines of dead arithmetic\n", files, dead);
  for (size_t i = 0; i < DEAD_COUNT; i++) regfree(&re[i]);
  assert_int_equal(dead, 0);
}

/* Large strides (FCN heads: kernel = 2 x stride, and kernel < stride): the portable file takes
 * phase_matmul with phase groups, and its size does not grow with stride^2 (1024 phases at
 * stride 32, 64 at 8: about the same C). */
static void test_large_stride_source_size(void **state) {
  (void)state;
  static const int strides[] = { 8, 16, 32 };
  size_t sizes[3];
  for (int i = 0; i < 3; i++) {
    char text[300];
    snprintf(text, sizeof text, "return {in_channels = 21, out_channels = 21, kernel_size = %d, stride = %d, "
             "padding = %d, bias = false, input_shape = {1, 21, 6, 7}}", 2 * strides[i], strides[i], strides[i] / 2);
    ctg_spec *spec = tu_spec(text);
    char *src;
    ctg_error err;
    assert_int_equal(ctg_generate(spec, NULL, &src, NULL, &err), CTG_OK);
    sizes[i] = strlen(src);
    printf("kernel %2d stride %2d: %zu bytes of C\n", 2 * strides[i], strides[i], sizes[i]);
    assert_contains(src, "phase_matmul");
    assert_contains(src, "phases like");
    ctg_free(src);
    ctg_spec_free(spec);
  }
  assert_true(sizes[2] < 2 * sizes[0]);
  assert_true(sizes[2] < (256u << 10));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_goldens),
    cmocka_unit_test(test_registry_matches_the_runtime),
    cmocka_unit_test(test_warning_free_with_gcc),
    cmocka_unit_test(test_warning_free_with_clang),
    cmocka_unit_test(test_aot_pair_in_a_program),
    cmocka_unit_test(test_generate_errors),
    cmocka_unit_test(test_public_suite_source_size),
    cmocka_unit_test(test_large_stride_source_size),
    cmocka_unit_test(test_no_dead_arithmetic_in_the_public_suite),
    cmocka_unit_test(test_templates_only_print),
  };
  return cmocka_run_group_tests_name("generate", tests, tu_setup_dir, tu_teardown_dir);
}
