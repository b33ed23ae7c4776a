/* test_layout.c: the library's folders call only downward, its files call each other in no
 * cycle, and the CLI uses nothing but the two public headers. Read from the built objects
 * (nm), so what is checked is what the linker sees, not what a comment says.
 *
 * runtime/ in order: core, store, backends, kernel, tools; a file may call functions of its own
 * folder and of the folders before it. */
#define _GNU_SOURCE /* popen */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#ifndef CTG_TEST_CLI
#define CTG_TEST_CLI "build/convtgen"
#endif

static const char *const FOLDERS[] = { "core", "store", "backends", "kernel", "tools" };
#define FOLDER_COUNT (int)(sizeof FOLDERS / sizeof FOLDERS[0])
enum { MAX_FILES = 64, MAX_SYMS = 4096 };

typedef struct object {
  char path[1400], name[160];
  int folder;
} object;

typedef struct symbol {
  char name[96];
  int file;
} symbol;

static object files[MAX_FILES];
static int file_count;
static symbol defined[MAX_SYMS];
static int defined_count;
static int edge[MAX_FILES][MAX_FILES];

/* The build folder: where the CLI under test lives. */
static void build_dir(char *out, size_t cap) {
  snprintf(out, cap, "%s", CTG_TEST_CLI);
  char *slash = strrchr(out, '/');
  if (slash) *slash = '\0';
  else snprintf(out, cap, ".");
}

/* Runs nm with flags on path; calls f for each symbol name starting with "ctg_". */
static void each_symbol(const char *flags, const char *path, void (*f)(const char *name, void *ctx), void *ctx) {
  char cmd[1200], line[512];
  snprintf(cmd, sizeof cmd, "nm %s '%s' 2>/dev/null", flags, path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  while (fgets(line, sizeof line, p)) {
    line[strcspn(line, "\n")] = '\0';
    const char *name = strrchr(line, ' ');
    name = name ? name + 1 : line;
    if (strncmp(name, "ctg_", 4) == 0) f(name, ctx);
  }
  assert_int_equal(pclose(p), 0);
}

static void add_defined(const char *name, void *ctx) {
  assert_true(defined_count < MAX_SYMS);
  snprintf(defined[defined_count].name, sizeof defined[0].name, "%s", name);
  defined[defined_count++].file = *(int *)ctx;
}

static int definer(const char *name) {
  for (int i = 0; i < defined_count; i++)
    if (strcmp(defined[i].name, name) == 0) return defined[i].file;
  return -1;
}

static void add_edge(const char *name, void *ctx) {
  int from = *(int *)ctx, to = definer(name);
  if (to >= 0 && to != from) edge[from][to] = 1;
}

static void load_objects(void) {
  if (file_count) return;
  char build[1024];
  build_dir(build, sizeof build);
  for (int f = 0; f < FOLDER_COUNT; f++) {
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/runtime/%s", build, FOLDERS[f]);
    DIR *d = opendir(dir);
    if (!d) fail_msg("%s is missing: build the library first", dir);
    struct dirent *e;
    while ((e = readdir(d))) {
      size_t n = strlen(e->d_name);
      /* backend_tcc_nolibtcc.o is backend_tcc.c again, for the shared library */
      if (n < 3 || strcmp(e->d_name + n - 2, ".o") != 0 || strstr(e->d_name, "_nolibtcc")) continue;
      assert_true(file_count < MAX_FILES);
      object *o = &files[file_count];
      snprintf(o->path, sizeof o->path, "%s/%s", dir, e->d_name);
      snprintf(o->name, sizeof o->name, "%s/%.*s.c", FOLDERS[f], (int)(n - 2), e->d_name);
      o->folder = f;
      int i = file_count++;
      each_symbol("-g --defined-only", o->path, add_defined, &i);
    }
    closedir(d);
  }
  for (int i = 0; i < file_count; i++) each_symbol("-u", files[i].path, add_edge, &i);
}

static void test_folders_call_only_the_folders_before_them(void **state) {
  (void)state;
  load_objects();
  assert_true(file_count >= 20);
  int bad = 0;
  for (int a = 0; a < file_count; a++)
    for (int b = 0; b < file_count; b++)
      if (edge[a][b] && files[b].folder > files[a].folder) {
        printf("runtime/%s calls runtime/%s: a later folder\n", files[a].name, files[b].name);
        bad++;
      }
  assert_int_equal(bad, 0);
}

/* Depth-first search: 1 when a cycle is reachable from a (its files printed). */
static int cycle_from(int a, int *state, int *stack, int depth) {
  state[a] = 1;
  stack[depth] = a;
  for (int b = 0; b < file_count; b++) {
    if (!edge[a][b]) continue;
    if (state[b] == 1) {
      printf("call cycle:");
      int i = depth;
      while (i > 0 && stack[i] != b) i--;
      for (; i <= depth; i++) printf(" runtime/%s ->", files[stack[i]].name);
      printf(" runtime/%s\n", files[b].name);
      return 1;
    }
    if (state[b] == 0 && cycle_from(b, state, stack, depth + 1)) return 1;
  }
  state[a] = 2;
  return 0;
}

static void test_no_file_calls_back_into_a_caller(void **state) {
  (void)state;
  load_objects();
  int seen[MAX_FILES] = { 0 }, stack[MAX_FILES + 1];
  for (int a = 0; a < file_count; a++)
    if (seen[a] == 0) assert_false(cycle_from(a, seen, stack, 0));
}

static void no_internal_call(const char *name, void *ctx) {
  if (strncmp(name, "ctg__", 5) == 0) {
    printf("cli/cli.c calls the library's internal %s\n", name);
    (*(int *)ctx)++;
  }
}

static void test_the_cli_uses_only_the_public_headers(void **state) {
  (void)state;
  char build[1024], cli[1100];
  build_dir(build, sizeof build);
  snprintf(cli, sizeof cli, "%s/cli/cli.o", build);
  FILE *f = fopen(cli, "rb");
  if (!f) fail_msg("%s is missing: build the CLI first", cli);
  fclose(f);
  int bad = 0;
  each_symbol("-u", cli, no_internal_call, &bad);
  assert_int_equal(bad, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_folders_call_only_the_folders_before_them),
    cmocka_unit_test(test_no_file_calls_back_into_a_caller),
    cmocka_unit_test(test_the_cli_uses_only_the_public_headers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
