/* lua_host.c: Lua states for convtgen: a sandbox for untrusted specs, a trusted one for the generator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "internal.h"

#define SANDBOX_MEMORY (16u << 20)        /* a spec is a few lines; 16 MiB is generous */
#define SANDBOX_STEPS_MILLIONS 10         /* about 0.1 s of Lua; an honest spec needs < 0.01% */
#define GENERATOR_MEMORY (512u << 20)
#define COPY_MAX_DEPTH 4                  /* spec -> pair -> value; deeper is a cycle or nonsense */
#define COPY_MAX_ENTRIES 4096

/* Per-state bookkeeping, reached through the allocator's user data. */
typedef struct limits {
  size_t used, cap;
  long steps, max_steps;  /* in units of STEP_GRAIN instructions */
  int out_of_memory, out_of_steps;
} limits;

#define STEP_GRAIN 1000

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
  if (++lim->steps > lim->max_steps) {
    /* From now on every instruction raises, so a spec that pcall()s the error cannot go on:
     * the first instruction outside the pcall raises again, unprotected. */
    if (!lim->out_of_steps) lua_sethook(L, step_hook, LUA_MASKCOUNT, 1);
    lim->out_of_steps = 1;
    luaL_error(L, "instruction limit");
  }
}

static lua_State *new_state(size_t cap, ctg_error *err) {
  limits *lim = calloc(1, sizeof *lim);
  if (!lim) {
    ctg__fail(err, CTG_ERR_NOMEM, "out of memory creating a Lua state");
    return NULL;
  }
  lim->cap = cap;
  lua_State *L = lua_newstate(limited_alloc, lim);
  if (!L) {
    free(lim);
    ctg__fail(err, CTG_ERR_NOMEM, "out of memory creating a Lua state");
  }
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

lua_State *ctg__lua_generator(ctg_error *err) {
  lua_State *L = new_state(GENERATOR_MEMORY, err);
  if (!L) return NULL;
  open_lib(L, LUA_GNAME, luaopen_base);
  open_lib(L, LUA_LOADLIBNAME, luaopen_package);
  open_lib(L, LUA_STRLIBNAME, luaopen_string);
  open_lib(L, LUA_TABLIBNAME, luaopen_table);
  open_lib(L, LUA_MATHLIBNAME, luaopen_math);

  lua_pushcfunction(L, embedded_file);
  lua_setglobal(L, "convtgen_file");
  lua_pushliteral(L, CTG_VERSION);
  lua_setglobal(L, "CONVTGEN_VERSION");

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
    lua_pushlstring(L, f->path + 10, n - 14); /* "generator/spec.lua" -> "spec" */
    lua_pushlightuserdata(L, (void *)(uintptr_t)f);
    lua_pushcclosure(L, load_embedded_module, 1);
    lua_rawset(L, -3);
  }
  lua_pop(L, 2);
  return L;
}

int ctg__lua_call(lua_State *L, const char *module, const char *func, int nargs, int nresults,
                  ctg_status status_on_error, ctg_error *err) {
  lua_getglobal(L, "require");
  lua_pushstring(L, module);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    int st = ctg__fail(err, CTG_ERR_INTERNAL, "generator module '%s': %s", module,
                       lua_tostring(L, -1));
    lua_pop(L, 1 + nargs);
    return st;
  }
  lua_getfield(L, -1, func);
  lua_remove(L, -2);
  lua_insert(L, -1 - nargs);
  if (lua_pcall(L, nargs, nresults, 0) != LUA_OK) {
    limits *lim = state_limits(L);
    const char *msg = lua_tostring(L, -1);
    int st;
    if (lim->out_of_memory)
      st = ctg__fail(err, CTG_ERR_NOMEM, "the generator ran out of memory (%u MiB cap)",
                     GENERATOR_MEMORY >> 20);
    else
      st = ctg__fail(err, status_on_error, "%s", msg ? msg : "error object is not a string");
    lua_pop(L, 1);
    return st;
  }
  return CTG_OK;
}

void ctg__lua_close(lua_State *L) { close_state(L); }

/* ---------------------------------------------------------------------------------- */
/* The spec sandbox */

static const char *const BLOCKED[] = {
  "io", "os", "require", "load", "loadstring", "dofile", "loadfile", "debug", "package",
  "collectgarbage", "print", "warn", "setmetatable", "getmetatable", "coroutine", "utf8", NULL,
};

static int blocked_global(lua_State *L) {
  const char *name = lua_tostring(L, 2);
  if (name) {
    for (const char *const *b = BLOCKED; *b; b++)
      if (strcmp(name, *b) == 0)
        return luaL_error(L, "'%s' is not available in a spec (specs run sandboxed: "
                             "no io, os, require, load, dofile or debug)", name);
  }
  return 0;
}

static void build_sandbox(lua_State *L) {
  open_lib(L, LUA_GNAME, luaopen_base);
  open_lib(L, LUA_STRLIBNAME, luaopen_string);
  open_lib(L, LUA_TABLIBNAME, luaopen_table);
  open_lib(L, LUA_MATHLIBNAME, luaopen_math);
  for (const char *const *b = BLOCKED; *b; b++) {
    lua_pushnil(L);
    lua_setglobal(L, *b);
  }
  /* Pattern matching can backtrack for exponential time inside one C call, where the
   * instruction hook never fires; string.dump yields bytecode. A spec needs none of them. */
  static const char *const string_blocked[] = { "dump", "find", "match", "gmatch", "gsub", NULL };
  lua_getglobal(L, "string");
  for (const char *const *b = string_blocked; *b; b++) {
    lua_pushnil(L);
    lua_setfield(L, -2, *b);
  }
  lua_pop(L, 1);
  lua_pushglobaltable(L);
  lua_newtable(L);
  lua_pushcfunction(L, blocked_global);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
}

/* Appends key k (at index kidx of L) to a dotted path for messages. */
static void path_append(char *path, size_t cap, lua_State *L, int kidx) {
  size_t n = strlen(path);
  if (lua_type(L, kidx) == LUA_TSTRING)
    snprintf(path + n, cap - n, "%s%s", n ? "." : "", lua_tostring(L, kidx));
  else
    snprintf(path + n, cap - n, "[%lld]", (long long)lua_tointeger(L, kidx));
}

/* Copies the plain-data value at the top of src onto dst: the only thing that leaves the
 * sandbox. Tables are copied raw, so metamethods never run. */
static int copy_value(lua_State *src, lua_State *dst, int depth, int *entries, char *path,
                      ctg_error *err) {
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
      lua_pushlstring(dst, s, len);
      return CTG_OK;
    }
    case LUA_TTABLE: break;
    default:
      return ctg__fail(err, CTG_ERR_SPEC, "%s: expected a number, string, boolean or table, got a %s",
                       path[0] ? path : "spec", lua_typename(src, t));
  }
  if (depth >= COPY_MAX_DEPTH)
    return ctg__fail(err, CTG_ERR_SPEC, "%s: tables nested too deeply (or a table that contains itself)",
                     path[0] ? path : "spec");
  if (!lua_checkstack(dst, 4) || !lua_checkstack(src, 4))
    return ctg__fail(err, CTG_ERR_NOMEM, "out of Lua stack copying the spec");
  lua_newtable(dst);
  size_t plen = strlen(path);
  lua_pushnil(src);
  while (lua_next(src, -2)) {
    if (++*entries > COPY_MAX_ENTRIES) {
      lua_pop(src, 2);
      return ctg__fail(err, CTG_ERR_SPEC, "spec: more than %d table entries", COPY_MAX_ENTRIES);
    }
    int kt = lua_type(src, -2);
    if (kt != LUA_TSTRING && !(kt == LUA_TNUMBER && lua_isinteger(src, -2))) {
      lua_pop(src, 2);
      return ctg__fail(err, CTG_ERR_SPEC, "%s: has a %s key; keys must be names or list positions",
                       path[0] ? path : "spec", lua_typename(src, kt));
    }
    lua_pushvalue(src, -2);
    copy_value(src, dst, depth + 1, entries, path, err); /* keys are strings/integers: cannot fail */
    lua_pop(src, 1);
    path_append(path, 256, src, -2);
    int st = copy_value(src, dst, depth + 1, entries, path, err);
    path[plen] = '\0';
    if (st != CTG_OK) {
      lua_pop(src, 2);
      lua_pop(dst, 1);
      return st;
    }
    lua_rawset(dst, -3);
    lua_pop(src, 1);
  }
  return CTG_OK;
}

int ctg__lua_run_spec(lua_State *dst, const char *source, size_t len, const char *chunkname,
                      ctg_error *err) {
  if (len >= 4 && memcmp(source, LUA_SIGNATURE, 4) == 0)
    return ctg__fail(err, CTG_ERR_SPEC, "%s: is precompiled Lua bytecode; a spec must be Lua source text",
                     chunkname);
  lua_State *L = new_state(SANDBOX_MEMORY, err);
  if (!L) return CTG_ERR_NOMEM;
  limits *lim = state_limits(L);
  lim->max_steps = SANDBOX_STEPS_MILLIONS * (1000000L / STEP_GRAIN);
  build_sandbox(L);
  lua_sethook(L, step_hook, LUA_MASKCOUNT, STEP_GRAIN);

  char name[300];
  snprintf(name, sizeof name, "=%s", chunkname);
  int st = luaL_loadbufferx(L, source, len, name, "t");
  if (st == LUA_OK) st = lua_pcall(L, 0, 1, 0);
  int rc = CTG_OK;
  if (lim->out_of_memory) {
    rc = ctg__fail(err, CTG_ERR_SPEC, "%s: the spec used more than %u MiB of memory", chunkname,
                   SANDBOX_MEMORY >> 20);
  } else if (lim->out_of_steps) {
    rc = ctg__fail(err, CTG_ERR_SPEC, "%s: the spec ran over %d million Lua instructions "
                   "(an endless loop?)", chunkname, SANDBOX_STEPS_MILLIONS);
  } else if (st != LUA_OK) {
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (msg)
      rc = ctg__fail(err, CTG_ERR_SPEC, "%s", msg);
    else
      rc = ctg__fail(err, CTG_ERR_SPEC, "%s: the spec raised an error (a %s, not a message)",
                     chunkname, luaL_typename(L, -1));
  } else {
    char path[256] = "";
    int entries = 0;
    lua_sethook(L, NULL, 0, 0);
    rc = copy_value(L, dst, 0, &entries, path, err);
  }
  close_state(L);
  return rc;
}
