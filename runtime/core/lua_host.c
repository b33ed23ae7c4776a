/* lua_host.c: Lua states for convtgen: a sandbox for untrusted specs, a trusted one for the generator.
 *
 * Every call from C into a Lua state runs protected (ctg__lua_protected, or lua_pcall here):
 * an allocation failure or error anywhere becomes a status code, never Lua's panic and abort().
 * Both kinds of state are bounded in memory (the allocator's cap) and in wall time (a deadline
 * the instruction hook, the allocator and the sandbox's C functions check). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lualib.h>

#include "internal.h"

#define SANDBOX_MEMORY (16u << 20)        /* a spec is a few lines; 16 MiB is generous */
#define SANDBOX_STEPS_MILLIONS 10         /* about 0.1 s of Lua; an honest spec needs < 0.01% */
#define SANDBOX_SECONDS 1.0               /* wall time, for work inside C functions */
#define SANDBOX_GRAIN 100                 /* instructions between hook calls */
#define SANDBOX_MAX_ELEMENTS (1 << 20)    /* elements one table function may walk */
#define SANDBOX_MAX_SORT 100000           /* a spec sorts a few keys, not a data set */
#define GENERATOR_MEMORY (512u << 20)
#define GENERATOR_SECONDS 60.0            /* the largest accepted layer plans in about a second */
#define GENERATOR_GRAIN 10000
#define BIG_ALLOCATION (64u << 10)        /* allocations this large check the deadline too */
#define COPY_MAX_DEPTH 4                  /* spec -> pair -> value; deeper is a cycle or nonsense */
#define COPY_MAX_ENTRIES 4096
#define COPY_MAX_BYTES (1u << 20)         /* all strings the spec returns, counted per reference */

/* Per-state bookkeeping, reached through the allocator's user data. */
typedef struct limits {
  size_t used, cap;
  long steps, max_steps;  /* in hook calls; 0: no instruction limit */
  double deadline;        /* monotonic seconds */
  double seconds;         /* the time limit, for messages */
  int out_of_memory, out_of_steps, out_of_time;
} limits;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int past_deadline(limits *lim) {
  if (!lim->out_of_time && now_seconds() > lim->deadline) lim->out_of_time = 1;
  return lim->out_of_time;
}

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  limits *lim = ud;
  if (ptr == NULL) osize = 0; /* osize is a type tag for new blocks */
  if (nsize == 0) {
    free(ptr);
    lim->used -= osize;
    return NULL;
  }
  if (nsize > osize && lim->used - osize + nsize > lim->cap) {
    lim->out_of_memory = 1;
    return NULL;
  }
  /* a big block is where one instruction (a concatenation, string.rep) does much work: past
   * the deadline it fails like an allocation, which Lua turns into an error */
  if (nsize >= BIG_ALLOCATION && nsize > osize && past_deadline(lim)) return NULL;
  void *p = realloc(ptr, nsize);
  if (p) lim->used = lim->used - osize + nsize;
  return p;
}

static limits *state_limits(lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return ud;
}

static void step_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  limits *lim = state_limits(L);
  int over_steps = lim->max_steps > 0 && ++lim->steps > lim->max_steps;
  if (over_steps || past_deadline(lim)) {
    /* From now on every instruction raises, so code that pcall()s the error cannot go on:
     * the first instruction outside the pcall raises again, unprotected. */
    if (!lim->out_of_steps) lua_sethook(L, step_hook, LUA_MASKCOUNT, 1);
    lim->out_of_steps |= over_steps;
    luaL_error(L, over_steps ? "instruction limit" : "time limit");
  }
}

static lua_State *new_state(size_t cap, double seconds, int grain, ctg_error *err) {
  limits *lim = calloc(1, sizeof *lim);
  if (!lim) {
    ctg__fail(err, CTG_ERR_NOMEM, "out of memory creating a Lua state");
    return NULL;
  }
  lim->cap = cap;
  lim->seconds = seconds;
  lim->deadline = now_seconds() + seconds;
  lua_State *L = lua_newstate(limited_alloc, lim);
  if (!L) {
    free(lim);
    ctg__fail(err, CTG_ERR_NOMEM, "out of memory creating a Lua state");
    return NULL;
  }
  lua_sethook(L, step_hook, LUA_MASKCOUNT, grain);
  return L;
}

static void close_state(lua_State *L) {
  if (!L) return;
  limits *lim = state_limits(L);
  lua_close(L);
  free(lim);
}

static void open_lib(lua_State *L, const char *name, lua_CFunction open) {
  luaL_requiref(L, name, open, 1);
  lua_pop(L, 1);
}

/* A failed protected call's status and message: the limits first, they explain the error.
 * generator: L runs the generator's own files (not a spec's code). */
static int lua_failure(lua_State *L, int st, ctg_status status_on_error, ctg_status memory_status,
                       const char *what, int generator, ctg_error *err) {
  limits *lim = state_limits(L);
  if (lim->out_of_steps)
    return ctg__fail(err, status_on_error, "%s ran over %d million Lua instructions (an endless loop?)",
                     what, SANDBOX_STEPS_MILLIONS);
  if (lim->out_of_time)
    return ctg__fail(err, status_on_error, "%s ran over its %.0f s time limit", what, lim->seconds);
  /* the flag alone is not enough: Lua collects garbage and retries a failed allocation */
  if (st == LUA_ERRMEM && lim->out_of_memory)
    return ctg__fail(err, memory_status, "%s used more than %zu MiB of memory", what, lim->cap >> 20);
  if (st == LUA_ERRMEM) return ctg__fail(err, memory_status, "%s: out of memory", what);
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  /* the generator's refusals (a layer past a limit, a bad baked value) are raised without a
   * position and are the caller's error; one at a position in generator/ is a bug of ours */
  if (generator && msg && strncmp(msg, "generator/", 10) == 0) return ctg__fail(err, CTG_ERR_INTERNAL, "%s", msg);
  if (msg) return ctg__fail(err, status_on_error, "%s", msg);
  return ctg__fail(err, status_on_error, "%s raised an error (a %s, not a message)", what, luaL_typename(L, -1));
}

typedef struct protected_call {
  int (*fn)(lua_State *L, void *ud);
  void *ud;
  int status;
} protected_call;

static int run_protected_call(lua_State *L) {
  protected_call *pc = lua_touserdata(L, 1);
  lua_pop(L, 1);
  pc->status = pc->fn(L, pc->ud);
  return 0;
}

int ctg__lua_protected(lua_State *L, int (*fn)(lua_State *L, void *ud), void *ud,
                       ctg_status status_on_error, ctg_error *err) {
  protected_call pc = { fn, ud, CTG_OK };
  lua_settop(L, 0);
  lua_pushcfunction(L, run_protected_call);
  lua_pushlightuserdata(L, &pc);
  int st = lua_pcall(L, 1, 0, 0);
  int rc = st == LUA_OK ? pc.status : lua_failure(L, st, status_on_error, CTG_ERR_NOMEM, "the generator", 1, err);
  lua_settop(L, 0);
  return rc;
}

/* ---------------------------------------------------------------------------------- */
/* The generator state */

/* convtgen_file(path): the text of an embedded file (a template), or nil. */
static int embedded_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  for (const ctg__embedded_file *f = ctg__embedded_files; f->path; f++)
    if (strcmp(f->path, path) == 0) {
      lua_pushlstring(L, f->data, f->size);
      return 1;
    }
  return 0;
}

/* package.preload's loader of one embedded module: compiled when first required, so a state
 * that only validates a spec parses spec.lua and nothing else. */
static int load_embedded_module(lua_State *L) {
  const ctg__embedded_file *f = lua_touserdata(L, lua_upvalueindex(1));
  char chunkname[256];
  snprintf(chunkname, sizeof chunkname, "=%s", f->path);
  if (luaL_loadbufferx(L, f->data, f->size, chunkname, "t") != LUA_OK) return lua_error(L);
  lua_pushvalue(L, 1); /* the module name, as require passes it */
  lua_call(L, 1, 1);
  return 1;
}

static int setup_generator(lua_State *L, void *ud) {
  (void)ud;
  open_lib(L, LUA_GNAME, luaopen_base);
  open_lib(L, LUA_LOADLIBNAME, luaopen_package);
  open_lib(L, LUA_STRLIBNAME, luaopen_string);
  open_lib(L, LUA_TABLIBNAME, luaopen_table);
  open_lib(L, LUA_MATHLIBNAME, luaopen_math);

  lua_pushcfunction(L, embedded_file);
  lua_setglobal(L, "convtgen_file");
  lua_pushliteral(L, CTG_VERSION);
  lua_setglobal(L, "CONVTGEN_VERSION");
  lua_pushstring(L, ctg__host_isa());
  lua_setglobal(L, "CONVTGEN_HOST_ISA");

  /* Nothing is read from disk: the embedded files are the only modules. */
  lua_getglobal(L, "package");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "path");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "cpath");
  lua_getfield(L, -1, "preload");
  for (const ctg__embedded_file *f = ctg__embedded_files; f->path; f++) {
    size_t n = strlen(f->path);
    if (strncmp(f->path, "generator/", 10) != 0 || n < 15 || strcmp(f->path + n - 4, ".lua") != 0)
      continue;
    /* "generator/spec.lua" -> "spec", "generator/shapes/phases.lua" -> "shapes.phases" */
    char module[128];
    if (n - 14 >= sizeof module) continue;
    for (size_t i = 0; i < n - 14; i++) module[i] = f->path[10 + i] == '/' ? '.' : f->path[10 + i];
    lua_pushlstring(L, module, n - 14);
    lua_pushlightuserdata(L, (void *)(uintptr_t)f);
    lua_pushcclosure(L, load_embedded_module, 1);
    lua_rawset(L, -3);
  }
  lua_pop(L, 2);
  return CTG_OK;
}

lua_State *ctg__lua_generator(ctg_error *err) {
  lua_State *L = new_state(GENERATOR_MEMORY, GENERATOR_SECONDS, GENERATOR_GRAIN, err);
  if (!L) return NULL;
  if (ctg__lua_protected(L, setup_generator, NULL, CTG_ERR_INTERNAL, err) != CTG_OK) {
    close_state(L);
    return NULL;
  }
  return L;
}

void ctg__lua_require_call(lua_State *L, const char *module, const char *func, int nargs, int nresults) {
  lua_getglobal(L, "require");
  lua_pushstring(L, module);
  lua_call(L, 1, 1);
  lua_getfield(L, -1, func);
  lua_remove(L, -2);
  lua_insert(L, -1 - nargs);
  lua_call(L, nargs, nresults);
}

void ctg__lua_close(lua_State *L) { close_state(L); }

/* ---------------------------------------------------------------------------------- */
/* The spec sandbox */

/* What a spec cannot reach. xpcall's message handler would run with the hook off, outside
 * every limit; the others reach files, code loading or the state's internals. */
static const char *const BLOCKED[] = {
  "io", "os", "require", "load", "loadstring", "dofile", "loadfile", "debug", "package",
  "collectgarbage", "print", "warn", "setmetatable", "getmetatable", "coroutine", "utf8", "xpcall", NULL,
};

/* Names a Python habit reaches for, with what Lua says instead. */
static const char *const PYTHON_NAMES[][2] = {
  { "True", "true" }, { "False", "false" }, { "None", "nil (or leave the key out)" },
  { "none", "nil (or leave the key out)" }, { "null", "nil (or leave the key out)" },
};

/* _ENV's __index: reading a name that was never defined is an error, not a silent nil
 * (bias = False would otherwise leave the default, true). */
static int undefined_global(lua_State *L) {
  const char *name = lua_tostring(L, 2);
  if (!name) return luaL_error(L, "a spec read a global with a %s name", luaL_typename(L, 2));
  for (const char *const *b = BLOCKED; *b; b++)
    if (strcmp(name, *b) == 0)
      return luaL_error(L, "'%s' is not available in a spec (specs run sandboxed: "
                           "no io, os, require, load, dofile, xpcall or debug)", name);
  for (size_t i = 0; i < sizeof PYTHON_NAMES / sizeof PYTHON_NAMES[0]; i++)
    if (strcmp(name, PYTHON_NAMES[i][0]) == 0)
      return luaL_error(L, "'%s' is not defined; Lua spells it %s", name, PYTHON_NAMES[i][1]);
  char shown[68];
  snprintf(shown, sizeof shown, "%.64s%s", name, strlen(name) > 64 ? "..." : "");
  return luaL_error(L, "'%s' is not defined (a misspelled name, or a string without quotes?)", shown);
}

/* The sandbox's string and table functions go through one wrapper: it checks the deadline
 * before every call (work inside C is invisible to the instruction hook) and refuses the
 * calls whose work does not depend on memory: string.rep of an empty string, table.move over
 * a huge range, a sort of a huge list. */
enum { GUARD_PLAIN, GUARD_REP, GUARD_MOVE, GUARD_SORT };

static int guarded_call(lua_State *L) {
  limits *lim = state_limits(L);
  if (past_deadline(lim)) return luaL_error(L, "time limit");
  switch ((int)lua_tointeger(L, lua_upvalueindex(2))) {
    case GUARD_REP: {
      /* copies of an empty string cost time but no memory, so the memory cap never stops them */
      size_t len = 0, seplen = 0;
      luaL_checklstring(L, 1, &len);
      luaL_optlstring(L, 3, "", &seplen);
      lua_Integer n = luaL_checkinteger(L, 2);
      if (len + seplen == 0 && n > (lua_Integer)SANDBOX_MEMORY)
        return luaL_error(L, "string.rep: %I copies is more than a spec may make", (LUAI_UACINT)n);
      break;
    }
    case GUARD_MOVE: {
      lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
      if (e >= f && (lua_Unsigned)e - (lua_Unsigned)f >= (lua_Unsigned)SANDBOX_MAX_ELEMENTS)
        return luaL_error(L, "table.move: more than %d elements", SANDBOX_MAX_ELEMENTS);
      break;
    }
    case GUARD_SORT:
      if (lua_type(L, 1) == LUA_TTABLE && lua_rawlen(L, 1) > SANDBOX_MAX_SORT)
        return luaL_error(L, "table.sort: more than %d elements", SANDBOX_MAX_SORT);
      break;
  }
  int nargs = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, nargs, LUA_MULTRET);
  return lua_gettop(L);
}

/* Replaces every function of the library table at the top of L by the wrapper. */
static void guard_library(lua_State *L, const char *const *blocked) {
  for (const char *const *b = blocked; *b; b++) {
    lua_pushnil(L);
    lua_setfield(L, -2, *b);
  }
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -1) == LUA_TFUNCTION && lua_type(L, -2) == LUA_TSTRING) {
      const char *name = lua_tostring(L, -2);
      int kind = strcmp(name, "rep") == 0 ? GUARD_REP : strcmp(name, "move") == 0 ? GUARD_MOVE
               : strcmp(name, "sort") == 0 ? GUARD_SORT : GUARD_PLAIN;
      lua_pushinteger(L, kind);
      lua_pushcclosure(L, guarded_call, 2); /* the original function and the kind */
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, -4); /* replacing an existing key's value keeps lua_next valid */
    } else {
      lua_pop(L, 1);
    }
  }
}

static int build_sandbox(lua_State *L, void *ud) {
  (void)ud;
  open_lib(L, LUA_GNAME, luaopen_base);
  open_lib(L, LUA_STRLIBNAME, luaopen_string);
  open_lib(L, LUA_TABLIBNAME, luaopen_table);
  open_lib(L, LUA_MATHLIBNAME, luaopen_math);
  for (const char *const *b = BLOCKED; *b; b++) {
    lua_pushnil(L);
    lua_setglobal(L, *b);
  }
  /* Pattern matching can backtrack for exponential time inside one C call; string.dump
   * yields bytecode. A spec needs none of them. */
  static const char *const string_blocked[] = { "dump", "find", "match", "gmatch", "gsub", "pack",
                                                "unpack", "packsize", NULL };
  static const char *const table_blocked[] = { NULL };
  lua_getglobal(L, "string");
  guard_library(L, string_blocked);
  lua_pop(L, 1);
  lua_getglobal(L, "table");
  guard_library(L, table_blocked);
  lua_pop(L, 1);
  lua_pushglobaltable(L);
  lua_newtable(L);
  lua_pushcfunction(L, undefined_global);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
  return CTG_OK;
}

/* Appends key k (at index kidx of L) to a dotted path for messages. */
static void path_append(char *path, size_t cap, lua_State *L, int kidx) {
  size_t n = strlen(path);
  if (lua_type(L, kidx) == LUA_TSTRING)
    snprintf(path + n, cap - n, "%s%.40s", n ? "." : "", lua_tostring(L, kidx));
  else
    snprintf(path + n, cap - n, "[%lld]", (long long)lua_tointeger(L, kidx));
}

typedef struct copy_job {
  lua_State *src;
  int entries;
  size_t bytes;
  char path[256];
  ctg_error *err;
  int status;
} copy_job;

/* Copies the plain-data value at the top of job->src onto dst: the only thing that leaves the
 * sandbox. Tables are copied raw, so metamethods never run. Runs protected on dst. */
static int copy_value(copy_job *job, lua_State *dst, int depth) {
  lua_State *src = job->src;
  const char *where = job->path[0] ? job->path : "spec";
  int t = lua_type(src, -1);
  switch (t) {
    case LUA_TNIL: lua_pushnil(dst); return CTG_OK;
    case LUA_TBOOLEAN: lua_pushboolean(dst, lua_toboolean(src, -1)); return CTG_OK;
    case LUA_TNUMBER:
      if (lua_isinteger(src, -1)) lua_pushinteger(dst, lua_tointeger(src, -1));
      else lua_pushnumber(dst, lua_tonumber(src, -1));
      return CTG_OK;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(src, -1, &len);
      job->bytes += len;
      if (job->bytes > COPY_MAX_BYTES)
        return ctg__fail(job->err, CTG_ERR_SPEC, "%s: the spec returns more than %u KiB of strings",
                         where, COPY_MAX_BYTES >> 10);
      lua_pushlstring(dst, s, len);
      return CTG_OK;
    }
    case LUA_TTABLE: break;
    default:
      return ctg__fail(job->err, CTG_ERR_SPEC, "%s: expected a number, string, boolean or table, got a %s",
                       where, lua_typename(src, t));
  }
  if (depth >= COPY_MAX_DEPTH)
    return ctg__fail(job->err, CTG_ERR_SPEC, "%s: tables nested too deeply (or a table that contains itself)",
                     where);
  if (!lua_checkstack(dst, 4) || !lua_checkstack(src, 4))
    return ctg__fail(job->err, CTG_ERR_NOMEM, "out of Lua stack copying the spec");
  lua_newtable(dst);
  size_t plen = strlen(job->path);
  lua_pushnil(src);
  while (lua_next(src, -2)) {
    if (++job->entries > COPY_MAX_ENTRIES) {
      lua_pop(src, 2);
      return ctg__fail(job->err, CTG_ERR_SPEC, "spec: more than %d table entries", COPY_MAX_ENTRIES);
    }
    int kt = lua_type(src, -2);
    if (kt != LUA_TSTRING && !(kt == LUA_TNUMBER && lua_isinteger(src, -2))) {
      lua_pop(src, 2);
      return ctg__fail(job->err, CTG_ERR_SPEC, "%s: has a %s key; keys must be names or list positions",
                       where, lua_typename(src, kt));
    }
    lua_pushvalue(src, -2);
    int st = copy_value(job, dst, depth + 1); /* a key: a string or an integer */
    lua_pop(src, 1);
    if (st == CTG_OK) {
      path_append(job->path, sizeof job->path, src, -2);
      st = copy_value(job, dst, depth + 1);
      job->path[plen] = '\0';
    }
    if (st != CTG_OK) {
      lua_pop(src, 2);
      return st;
    }
    lua_rawset(dst, -3);
    lua_pop(src, 1);
  }
  return CTG_OK;
}

/* Hints for the syntax errors a Python habit makes. */
static const char *syntax_hint(const char *msg) {
  if (strstr(msg, "near '['")) return " (a list is written {4, 4} in Lua)";
  if (strstr(msg, "near '#'")) return " (a comment starts with -- in Lua)";
  if (strstr(msg, "')' expected") && strstr(msg, "near ','")) return " (a pair is written {4, 4} in Lua, not (4, 4))";
  if (strstr(msg, "near ':'")) return " (a key is set with =, as in {stride = 2})";
  /* dict(in_channels=4, ...): keyword arguments are not Lua */
  if (strstr(msg, "')' expected") && strstr(msg, "near '='"))
    return " (a spec is a Lua table: return {in_channels = 4, ...}, not a call with keyword arguments such as dict(...))";
  if (strstr(msg, "syntax error near")) return " (a spec is Lua, not Python: return {in_channels = 4, ...})";
  return "";
}

/* Copies the sandbox's answer onto dst inside a protected call of dst's own, so an error
 * there (out of memory) still lets the caller close the sandbox. Leaves the copy, or nothing. */
static int copy_call(lua_State *dst) {
  copy_job *job = lua_touserdata(dst, 1);
  lua_pop(dst, 1);
  job->status = copy_value(job, dst, 0);
  return job->status == CTG_OK ? 1 : 0;
}

int ctg__lua_run_spec(lua_State *dst, const char *source, size_t len, const char *chunkname,
                      ctg_error *err) {
  if (len >= 4 && memcmp(source, LUA_SIGNATURE, 4) == 0)
    return ctg__fail(err, CTG_ERR_SPEC, "%s: is precompiled Lua bytecode; a spec must be Lua source text",
                     chunkname);
  lua_State *L = new_state(SANDBOX_MEMORY, SANDBOX_SECONDS, SANDBOX_GRAIN, err);
  if (!L) return CTG_ERR_NOMEM;
  limits *lim = state_limits(L);
  lim->max_steps = SANDBOX_STEPS_MILLIONS * (1000000L / SANDBOX_GRAIN);
  char what[300];
  snprintf(what, sizeof what, "%.200s: the spec", chunkname);
  int rc = ctg__lua_protected(L, build_sandbox, NULL, CTG_ERR_INTERNAL, err);
  if (rc != CTG_OK) {
    close_state(L);
    return rc;
  }
  char name[300];
  snprintf(name, sizeof name, "=%.200s", chunkname);
  int st = luaL_loadbufferx(L, source, len, name, "t");
  if (st == LUA_ERRSYNTAX) {
    const char *msg = lua_tostring(L, -1);
    rc = ctg__fail(err, CTG_ERR_SPEC, "%s%s", msg ? msg : "syntax error", syntax_hint(msg ? msg : ""));
    close_state(L);
    return rc;
  }
  if (st == LUA_OK) st = lua_pcall(L, 0, 1, 0);
  if (st != LUA_OK) {
    rc = lua_failure(L, st, CTG_ERR_SPEC, CTG_ERR_SPEC, what, 0, err);
  } else {
    lua_sethook(L, NULL, 0, 0);
    copy_job job = { L, 0, 0, "", err, CTG_OK };
    int top = lua_gettop(dst);
    lua_pushcfunction(dst, copy_call);
    lua_pushlightuserdata(dst, &job);
    st = lua_pcall(dst, 1, 1, 0);
    rc = st == LUA_OK ? job.status : lua_failure(dst, st, CTG_ERR_SPEC, CTG_ERR_NOMEM, "copying the spec", 0, err);
    if (rc != CTG_OK) lua_settop(dst, top);
  }
  close_state(L);
  return rc;
}
