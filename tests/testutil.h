/* testutil.h: helpers the cmocka suites share: temp dirs, files, running the CLI. */
#ifndef CTG_TESTUTIL_H
#define CTG_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "convtgen_tools.h"

/* 1 under AddressSanitizer (GCC's macro, Clang's feature): it reserves terabytes of address
 * space for its shadow, so a child's RLIMIT_AS must be left alone. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* A fresh directory under $TMPDIR (or /tmp); removed with tu_rmtree. */
char *tu_mkdtemp(void);
void tu_rmtree(const char *dir);
/* cmocka group setup/teardown: a fresh tu_dir for the group, removed afterwards. */
extern char *tu_dir;
int tu_setup_dir(void **state);
int tu_teardown_dir(void **state);
/* dir/name as a malloc'd string. */
char *tu_path(const char *dir, const char *name);
/* Writes len bytes (strlen(text) when len is (size_t)-1) to dir/name; returns the path (malloc'd). */
char *tu_write(const char *dir, const char *name, const void *data, size_t len);
int tu_exists(const char *path);
/* Runs the CLI with the NULL-terminated argv (argv[0] is ignored); captures stdout and stderr
 * (NUL-terminated, truncated to cap). Returns the exit status, or -1 if it did not exit. */
int tu_cli(const char *const *argv, char *out, size_t out_cap, char *err, size_t err_cap);
/* Number of '\n'-terminated lines in s. */
int tu_lines(const char *s);
/* Asserts that haystack contains needle, printing both when it does not. */
#define assert_contains(haystack, needle) tu_assert_contains((haystack), (needle), __FILE__, __LINE__)
void tu_assert_contains(const char *haystack, const char *needle, const char *file, int line);
/* A spec from Lua source (chunk name "t.lua") that must be valid: fails the test, printing
 * the library's message, if it is not. */
ctg_spec *tu_spec(const char *source);
/* Asserts that a library call returned CTG_OK, printing its message when it did not. */
#define tu_assert_ok(st, err) tu_assert_ok_at((st), (err), __FILE__, __LINE__)
void tu_assert_ok_at(int st, const ctg_error *err, const char *file, int line);
/* Points CONVTGEN_CACHE_DIR at tu_dir/name (created on first use); returns the path (malloc'd). */
char *tu_use_cache(const char *name);
/* The code shape the emitter chooses for layer p and target ("tcc", "cc", "portable", ...), as
 * its answer says (a static buffer, valid until the next call). */
const char *tu_shape(const ctg_params *p, const char *target);
/* The features of that answer (space-separated words; same buffer rules). */
const char *tu_features(const ctg_params *p, const char *target);
/* Checks layer p's generated kernel in the loaded object h against the interpreter through both
 * of its ways in: NAME_pack into packed_size floats + NAME_run_packed, and NAME_run on weights as
 * PyTorch stores them; random data from seed, outputs first NaN. what names the build in messages. */
void tu_check_entry_points(void *h, const ctg_params *p, size_t packed_size, uint64_t seed, const char *what);
/* Appends piece to *text, a string of *used characters in *cap bytes that grows as needed
 * (start with NULL, 0, 0; free() it). */
void tu_text_append(char **text, size_t *used, size_t *cap, const char *piece);
/* A deterministic pseudo-random float in [-1, 1). */
float tu_rand(uint64_t *state);

#endif
