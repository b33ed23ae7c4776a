/* test_docs.c: the sessions the documentation shows are what the commands print.
 *
 * Every ```console block of README.md and of the .md pages in docs/ is a session: lines starting with "$ " are
 * commands, the lines after each are its output (stdout and stderr), up to the next command.
 * Each page runs in a scratch folder of its own, with examples/ linked in, build/convtgen and
 * build/examples/demo_data first on PATH, the demo's input files written (demo_data write and
 * write-complex) and a fresh kernel cache. What depends on the machine (the cc tier's ISA
 * profile in `info`, a GPU) is shown as "...". An HTML comment `<!-- setup: COMMANDS -->` on the
 * line before a block runs COMMANDS first, unshown. A `$ convtgen` line anywhere else fails the
 * test: it would go unchecked.
 *
 * Compared modulo what changes from run to run or machine to machine, and nothing else:
 * timings ("12.3 ms"), sizes ("123 bytes", "4.5 KiB"), measured errors ("max scaled error
 * 1.2e-07"), ages ("3s ago"); and a shown line "..." stands for any number of lines. */
#define _GNU_SOURCE /* setenv */
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "testutil.h"

#ifndef CTG_TEST_ROOT
#define CTG_TEST_ROOT "."
#endif
#ifndef CTG_TEST_CLI
#define CTG_TEST_CLI "build/convtgen"
#endif

/* What varies, as (pattern, replacement). */
static const char *const VARIES[][2] = {
  { "[0-9]+(\\.[0-9]+)? ms", "<ms>" },
  { "[0-9]+ bytes", "<n> bytes" },
  { "[0-9]+(\\.[0-9]+)? KiB", "<n> KiB" },
  { "max scaled error [^ ]+", "max scaled error <e>" },
  { "[0-9]+(s|min|h|d) ago", "<age>" },
};
#define NVARIES (sizeof VARIES / sizeof VARIES[0])
static regex_t varies[NVARIES];

/* line with every match of what varies replaced, into out. */
static void normalize(const char *line, char *out, size_t cap) {
  char a[8192], b[8192];
  snprintf(a, sizeof a, "%s", line);
  size_t n = strlen(a);
  while (n && (a[n - 1] == ' ' || a[n - 1] == '\r')) a[--n] = '\0';
  for (size_t r = 0; r < NVARIES; r++) {
    size_t used = 0;
    const char *p = a;
    regmatch_t m;
    b[0] = '\0';
    while (regexec(&varies[r], p, 1, &m, p == a ? 0 : REG_NOTBOL) == 0 && m.rm_eo > 0) {
      used += (size_t)snprintf(b + used, sizeof b - used, "%.*s%s", (int)m.rm_so, p, VARIES[r][1]);
      if (used >= sizeof b) used = sizeof b - 1;
      p += m.rm_eo;
    }
    snprintf(b + used, sizeof b - used, "%s", p);
    memcpy(a, b, sizeof a);
  }
  snprintf(out, cap, "%s", a);
}

/* A list of lines. */
typedef struct lines {
  char **at;
  size_t count;
} lines;

static void lines_add(lines *l, const char *s, size_t n) {
  l->at = realloc(l->at, (l->count + 1) * sizeof *l->at);
  assert_non_null(l->at);
  l->at[l->count] = malloc(n + 1);
  assert_non_null(l->at[l->count]);
  memcpy(l->at[l->count], s, n);
  l->at[l->count][n] = '\0';
  l->count++;
}

static void lines_free(lines *l) {
  for (size_t i = 0; i < l->count; i++) free(l->at[i]);
  free(l->at);
  l->at = NULL;
  l->count = 0;
}

/* Whether got matches want from line i and j on ("..." in want: any number of lines). */
static int match(const lines *want, size_t i, const lines *got, size_t j) {
  char a[8192], b[8192];
  for (; i < want->count; i++, j++) {
    if (strcmp(want->at[i], "...") == 0) {
      for (size_t k = j; k <= got->count; k++)
        if (match(want, i + 1, got, k)) return 1;
      return 0;
    }
    if (j >= got->count) return 0;
    normalize(want->at[i], a, sizeof a);
    normalize(got->at[j], b, sizeof b);
    if (strcmp(a, b) != 0) return 0;
  }
  return j == got->count;
}

/* Runs command in dir (through sh, stderr with stdout) into out. */
static void run_in(const char *dir, const char *command, lines *out) {
  char *cmd = malloc(strlen(dir) + strlen(command) + 64);
  assert_non_null(cmd);
  sprintf(cmd, "cd '%s' && { %s\n} 2>&1", dir, command);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  char buf[8192];
  while (fgets(buf, sizeof buf, p)) {
    size_t n = strcspn(buf, "\n");
    lines_add(out, buf, n);
  }
  pclose(p);
  free(cmd);
}

static int failures, sessions, commands;

/* Checks one command's output against what the page shows. */
static void check_command(const char *page, int line_no, const char *dir, const char *command, const lines *want) {
  lines got = { 0 };
  run_in(dir, command, &got);
  commands++;
  if (!match(want, 0, &got, 0)) {
    failures++;
    printf("%s:%d: `$ %s` printed something else than the page shows\n  shown:\n", page, line_no, command);
    for (size_t i = 0; i < want->count; i++) printf("    | %s\n", want->at[i]);
    printf("  printed:\n");
    for (size_t i = 0; i < got.count; i++) printf("    | %s\n", got.at[i]);
  }
  lines_free(&got);
}

/* Every session of one page, in a scratch folder of its own. */
static void check_page(const char *path, const char *page, int index) {
  char dir[4400], cmd[20000];
  snprintf(dir, sizeof dir, "%s/page%d", tu_dir, index);
  snprintf(cmd, sizeof cmd, "mkdir -p '%s/cache' && chmod 700 '%s/cache' && ln -s '%s/examples' '%s/examples' && cd '%s' && "
           "demo_data write . && demo_data write-complex .", dir, dir, CTG_TEST_ROOT, dir, dir);
  assert_int_equal(system(cmd), 0);
  char cache[4500];
  snprintf(cache, sizeof cache, "%s/cache", dir);
  setenv("CONVTGEN_CACHE_DIR", cache, 1);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char line[8192], setup[8192] = "", command[8192] = "";
  int in_block = 0, line_no = 0, command_line = 0;
  lines want = { 0 };
  while (fgets(line, sizeof line, f)) {
    line_no++;
    line[strcspn(line, "\n")] = '\0';
    if (!in_block) {
      if (strncmp(line, "<!-- setup: ", 12) == 0) {
        snprintf(setup, sizeof setup, "%s", line + 12);
        char *end = strstr(setup, " -->");
        if (end) *end = '\0';
      } else if (strcmp(line, "```console") == 0) {
        in_block = 1;
        sessions++;
        if (setup[0]) {
          lines ignored = { 0 };
          run_in(dir, setup, &ignored);
          lines_free(&ignored);
        }
        setup[0] = '\0';
      } else if (line[0]) {
        setup[0] = '\0';
      }
      /* a convtgen command shown anywhere else would go unchecked, and drift */
      if (strncmp(line, "$ convtgen", 10) == 0) {
        failures++;
        printf("%s:%d: `%s` is shown outside a ```console block, so nothing checks it\n", page, line_no, line);
      }
      continue;
    }
    int end = strcmp(line, "```") == 0;
    if ((end || strncmp(line, "$ ", 2) == 0) && command[0]) {
      check_command(page, command_line, dir, command, &want);
      lines_free(&want);
      command[0] = '\0';
    }
    if (end) {
      in_block = 0;
    } else if (strncmp(line, "$ ", 2) == 0) {
      snprintf(command, sizeof command, "%s", line + 2);
      command_line = line_no;
    } else {
      assert_true(command[0] != '\0'); /* output before any command: a malformed session */
      lines_add(&want, line, strlen(line));
    }
  }
  fclose(f);
  assert_false(in_block);
  unsetenv("CONVTGEN_CACHE_DIR");
}

/* docs/layout.md's words name every code shape the runtime knows (CTG__CODE_SHAPE_LIST, which
 * test_generate holds equal to generator/registry.lua) and no other: the "code shape" entry and
 * its sub-items, every `word` of lower case letters, digits and _ in them. */
static void test_the_glossary_names_every_code_shape(void **state) {
  (void)state;
  char path[600];
  snprintf(path, sizeof path, "%s/docs/layout.md", CTG_TEST_ROOT);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char line[1024], words[4096] = " ";
  int in_entry = 0;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "- **code shape**", 16) == 0) in_entry = 1;
    else if (in_entry && strncmp(line, "- **", 4) == 0) break;
    if (!in_entry) continue;
    for (char *a = strchr(line, '`'); a; a = strchr(a + 1, '`')) {
      char *b = strchr(a + 1, '`');
      if (!b) break;
      size_t n = (size_t)(b - a - 1);
      if (n > 0 && strspn(a + 1, "abcdefghijklmnopqrstuvwxyz0123456789_") == n && strlen(words) + n + 2 < sizeof words) {
        strncat(words, a + 1, n);
        strcat(words, " ");
      }
      a = b;
    }
  }
  fclose(f);
  assert_true(in_entry);
  int named = 0;
  for (int s = 1; s < CTG__CODE_SHAPE_COUNT; s++) {
    char want[64];
    snprintf(want, sizeof want, " %s ", ctg__code_shape_name((ctg__code_shape)s));
    if (!strstr(words, want)) printf("docs/layout.md does not name the code shape %s\n", ctg__code_shape_name((ctg__code_shape)s));
    named += strstr(words, want) != NULL;
  }
  assert_int_equal(named, CTG__CODE_SHAPE_COUNT - 1);
  /* and names nothing else (one space-separated word per shape) */
  int listed = 0;
  for (const char *w = words; (w = strchr(w, ' ')) && w[1]; w++) listed++;
  if (listed != CTG__CODE_SHAPE_COUNT - 1) printf("docs/layout.md's code shapes: %s\n", words);
  assert_int_equal(listed, CTG__CODE_SHAPE_COUNT - 1);
}

static void test_shown_sessions_are_what_the_commands_print(void **state) {
  (void)state;
  for (size_t r = 0; r < NVARIES; r++) assert_int_equal(regcomp(&varies[r], VARIES[r][0], REG_EXTENDED), 0);
  char cli_dir[4096], path[16384];
  snprintf(cli_dir, sizeof cli_dir, "%s", CTG_TEST_CLI);
  char *slash = strrchr(cli_dir, '/');
  if (slash) *slash = '\0';
  snprintf(path, sizeof path, "%s:%s/examples:%s", cli_dir, cli_dir, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
  setenv("PATH", path, 1);
  snprintf(path, sizeof path, "%s/examples/demo_data", cli_dir);
  if (access(path, X_OK) != 0) {
    printf("  %s is missing (make builds it with the tests)\n", path);
    fail();
  }
  int pages = 0;
  snprintf(path, sizeof path, "%s/README.md", CTG_TEST_ROOT);
  check_page(path, "README.md", pages++);
  char docs[4200];
  snprintf(docs, sizeof docs, "%s/docs", CTG_TEST_ROOT);
  struct dirent **names;
  int n = scandir(docs, &names, NULL, alphasort);
  for (int i = 0; i < n; i++) {
    size_t len = strlen(names[i]->d_name);
    if (len > 3 && strcmp(names[i]->d_name + len - 3, ".md") == 0) {
      char page[300];
      snprintf(page, sizeof page, "docs/%s", names[i]->d_name);
      snprintf(path, sizeof path, "%s/%s", docs, names[i]->d_name);
      check_page(path, page, pages++);
    }
    free(names[i]);
  }
  if (n >= 0) free(names);
  for (size_t r = 0; r < NVARIES; r++) regfree(&varies[r]);
  printf("  %d pages, %d sessions, %d commands checked\n", pages, sessions, commands);
  assert_true(sessions >= 5);
  assert_int_equal(failures, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_the_glossary_names_every_code_shape),
    cmocka_unit_test(test_shown_sessions_are_what_the_commands_print),
  };
  return cmocka_run_group_tests_name("docs", tests, tu_setup_dir, tu_teardown_dir);
}
