/* backend_cc.c: generated C built by the system compiler ($CC, else cc) into a shared object,
 * dlopen()ed, and cached on disk.
 *
 * The key of a cached object is everything that decides its machine code: the normalized layer
 * and the generator's own files (together they fix the generated source), the compiler command,
 * its `--version`, and the flags. The object is sealed with that key (cache.c) and its seal is
 * verified before dlopen, so a stale, foreign, planted or truncated file is rebuilt, never run.
 * A warm start therefore needs neither the generator nor the compiler: a read, a hash, a dlopen.
 * A compiler whose build nobody waits for any more (the last handle went, the process exits) is
 * killed and its temporary folder removed. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

#define DEFAULT_FLAGS "-O3 -march=native -shared -fPIC"

/* A digest of the embedded generator: the same layer and files always give the same source. */
static uint64_t digest;
static pthread_once_t digest_once = PTHREAD_ONCE_INIT;

static void compute_digest(void) {
  uint64_t h = CTG__FNV_SEED;
  for (const ctg__embedded_file *f = ctg__embedded_files; f->path; f++) {
    h = ctg__fnv1a(h, f->path, strlen(f->path) + 1);
    h = ctg__fnv1a(h, f->data, f->size);
  }
  digest = h;
}

/* Running the compiler: no shell, so nothing in $CC, the flags or the cache path is ever
 * parsed as shell syntax. $CC and the flags are split at blanks into arguments (`ccache gcc`
 * works; shell quoting does not). */
extern char **environ;

#define MAX_ARGS 64

/* Appends the blank-separated words of text (in the buffer words, which it writes) to argv. */
static int split_words(char *words, const char **argv, int n) {
  char *save = NULL; /* strtok_r: builds run on several threads at once */
  for (char *w = strtok_r(words, " \t\n", &save); w && n < MAX_ARGS - 8; w = strtok_r(NULL, " \t\n", &save)) argv[n++] = w;
  return n;
}

/* Builds running now, so their compilers can be killed and their temporary folders removed
 * when the result is no longer wanted: by ctg__cc_cancel (the last handle of an auto kernel
 * went) or at exit. A build takes a slot as soon as its folder exists; once exit has begun no
 * new one starts. */
#define MAX_BUILDERS 64
static pthread_mutex_t builders_lock = PTHREAD_MUTEX_INITIALIZER;
static struct builder {
  int used;
  pid_t pid; /* the compiler's process group, 0 while none runs */
  int *cancel;
  char dir[4200];
} builders[MAX_BUILDERS];
static int exiting;
static pthread_once_t at_exit_once = PTHREAD_ONCE_INIT;

static void remove_build_dir(const char *dir) {
  char path[4300];
  snprintf(path, sizeof path, "%s/kernel.c", dir);
  remove(path);
  snprintf(path, sizeof path, "%s/kernel.so", dir);
  remove(path);
  rmdir(dir);
}

static void kill_builders_at_exit(void) {
  pthread_mutex_lock(&builders_lock);
  exiting = 1;
  for (int i = 0; i < MAX_BUILDERS; i++) {
    if (!builders[i].used) continue;
    if (builders[i].pid > 0) {
      kill(-builders[i].pid, SIGKILL);
      waitpid(builders[i].pid, NULL, 0);
      builders[i].pid = 0;
    }
    remove_build_dir(builders[i].dir);
    builders[i].used = 0;
  }
  pthread_mutex_unlock(&builders_lock);
}

static void register_at_exit(void) { atexit(kill_builders_at_exit); }

void ctg__cc_prepare(void) { pthread_once(&at_exit_once, register_at_exit); }

void ctg__cc_cancel(int *cancel) {
  pthread_mutex_lock(&builders_lock);
  *cancel = 1;
  for (int i = 0; i < MAX_BUILDERS; i++)
    if (builders[i].used && builders[i].pid > 0 && builders[i].cancel == cancel) kill(-builders[i].pid, SIGKILL);
  pthread_mutex_unlock(&builders_lock);
}

/* A slot for the build in dir: its index, -1 when all are taken (the build goes on, unguarded),
 * -2 when the process is exiting (the build stops). */
static int reserve_slot(const char *dir, int *cancel) {
  int slot = -1;
  pthread_mutex_lock(&builders_lock);
  if (exiting) slot = -2;
  for (int i = 0; i < MAX_BUILDERS && slot == -1; i++)
    if (!builders[i].used) slot = i;
  if (slot >= 0) {
    builders[slot].used = 1;
    builders[slot].pid = 0;
    builders[slot].cancel = cancel;
    snprintf(builders[slot].dir, sizeof builders[slot].dir, "%s", dir);
  }
  pthread_mutex_unlock(&builders_lock);
  return slot;
}

static void release_slot(int slot) {
  if (slot < 0) return;
  pthread_mutex_lock(&builders_lock);
  builders[slot].used = 0;
  builders[slot].pid = 0;
  pthread_mutex_unlock(&builders_lock);
}

/* The build a compiler runs for (NULL for --version): its slot and cancel flag. */
typedef struct build_job {
  int slot;
  int *cancel;
} build_job;

static void track(pid_t pid, const build_job *job) {
  pthread_mutex_lock(&builders_lock);
  if (job->slot >= 0) builders[job->slot].pid = pid;
  if (exiting || (job->cancel && *job->cancel)) kill(-pid, SIGKILL); /* unwanted before it started */
  pthread_mutex_unlock(&builders_lock);
}

static void untrack(const build_job *job) {
  if (!job || job->slot < 0) return;
  pthread_mutex_lock(&builders_lock);
  builders[job->slot].pid = 0;
  pthread_mutex_unlock(&builders_lock);
}

/* Runs argv (NULL-terminated), its stdout (and stderr, when with_stderr) into out (cut to cap);
 * returns the exit status, 127 when the program cannot be started, -1 when it did not exit. */
static int run_captured(const char *const *argv, int with_stderr, const build_job *job, char *out, size_t cap) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  if (with_stderr) posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  else posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  /* its own process group: killing a build kills the driver's cc1 and as too */
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid;
  int spawned = posix_spawnp(&pid, argv[0], &fa, &attr, (char *const *)(uintptr_t)argv, environ) == 0;
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (spawned && job) track(pid, job);
  size_t used = 0;
  char buf[4096];
  for (;;) { /* read to the end, keeping what fits: a compiler blocked on a full pipe never exits */
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    size_t keep = used + 1 < cap ? cap - 1 - used : 0;
    if ((size_t)n < keep) keep = (size_t)n;
    memcpy(out + used, buf, keep);
    used += keep;
  }
  if (cap) out[used] = '\0';
  close(fds[0]);
  if (!spawned) return 127;
  int status, reaped;
  while ((reaped = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {}
  untrack(job);
  if (reaped < 0) return -1; /* reaped at exit */
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* `$CC --version`, first line, remembered per compiler command for the life of the process. */
static pthread_mutex_t identity_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  char cc[256];
  char version[256];
} identities[8];

static int compiler_identity(const char *cc, char *out, size_t cap, ctg_error *err) {
  pthread_mutex_lock(&identity_lock);
  for (int i = 0; i < 8; i++)
    if (identities[i].cc[0] && strcmp(identities[i].cc, cc) == 0) {
      snprintf(out, cap, "%s", identities[i].version);
      pthread_mutex_unlock(&identity_lock);
      return CTG_OK;
    }
  char words[512], line[256] = "";
  const char *argv[MAX_ARGS];
  snprintf(words, sizeof words, "%s", cc);
  int n = split_words(words, argv, 0);
  argv[n++] = "--version";
  argv[n] = NULL;
  int status = n > 1 ? run_captured(argv, 0, NULL, line, sizeof line) : 127;
  if (status != 0 || !line[0]) {
    pthread_mutex_unlock(&identity_lock);
    return ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': the C compiler '%s' (from $CC, else cc) does not run", cc);
  }
  line[strcspn(line, "\n")] = '\0';
  for (int i = 0; i < 8; i++)
    if (!identities[i].cc[0]) {
      snprintf(identities[i].cc, sizeof identities[i].cc, "%s", cc);
      snprintf(identities[i].version, sizeof identities[i].version, "%s", line);
      break;
    }
  pthread_mutex_unlock(&identity_lock);
  snprintf(out, cap, "%s", line);
  return CTG_OK;
}

static int run_compiler(const char *cc, const char *flags, const char *src, const char *obj, const build_job *job,
                        char *log, size_t logcap) {
  char words[2048];
  const char *argv[MAX_ARGS];
  snprintf(words, sizeof words, "%s %s", cc, flags);
  int n = split_words(words, argv, 0);
  argv[n++] = "-o";
  argv[n++] = obj;
  argv[n++] = src;
  argv[n] = NULL;
  return run_captured(argv, 1, job, log, logcap);
}

/* What the runtime writes after the generated source of a cached object: the emitter's answer
 * the runtime needs to call it (convention, packed size), so a warm start needs no generator.
 * The key it was built for is in the entry's seal (cache.c), checked before loading. */
static int write_trailer(FILE *f, const ctg__emitted *e) {
  return fprintf(f, "\nconst unsigned long ctg_kernel_facts[2] = { %d, %zuul };\n", (int)e->convention,
                 e->packed_size) > 0;
}

/* The entry points every generated kernel has, and the facts the trailer recorded. */
static int load_entries(void *h, const char *name, ctg__compiled *c) {
  const unsigned long *facts = dlsym(h, "ctg_kernel_facts");
  if (!facts || facts[0] > CTG__BAKED) return 0;
  c->convention = (ctg__convention)facts[0];
  c->packed_size = facts[1];
  return ctg__native_entries(c, name, dlsym, h);
}

/* The first line of a compiler's log that says "error", else its first line: one line for a
 * message (ctg__fail escapes what is left). */
static void first_error(const char *log, char *out, size_t cap) {
  const char *at = strstr(log, "error");
  const char *line = log;
  if (at) {
    line = at;
    while (line > log && line[-1] != '\n') line--;
  }
  size_t n = strcspn(line, "\n");
  snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), line);
}

/* A warm start: the sealed object for key in dir, loaded through the descriptor it was
 * verified from. */
static void *load_cached(const char *dir, const char *key, int mode) {
  ctg__cache_entry e;
  if (!ctg__cache_open(dir, "so", key, strlen(key), &e)) return NULL;
  char fdpath[64];
  snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", e.fd);
  void *h = dlopen(fdpath, mode);
  ctg__cache_entry_close(&e);
  return h;
}

/* What a cold build needs from cc_build. */
typedef struct cold_build {
  const char *cc, *flags, *key, *dir;
  int cached; /* dir is a safe cache: seal and publish there; else build privately */
  int *cancel;
  int mode;   /* dlopen's */
} cold_build;

/* Generates the source, compiles it in a private temporary folder (named with our pid, so a
 * later start can tell a dead builder's leftovers), seals and loads the object, then publishes
 * it into the cache by rename. */
static int build_cold(ctg__compiled *c, const ctg_params *p, const cold_build *b, ctg_error *err) {
  ctg__emitted e;
  int st = ctg__emit(p, "cc", NULL, NULL, &e, err);
  if (st == CTG_OK) {
    c->source = e.source;
    e.source = NULL;
  }
  char tmp_dir[4200], tmp_src[4300], tmp_obj[4300], log[2048];
  const char *tmp_root = getenv("TMPDIR");
  if (!tmp_root || !tmp_root[0]) tmp_root = "/tmp";
  const char *parent = b->cached ? b->dir : tmp_root;
  snprintf(tmp_dir, sizeof tmp_dir, "%s/%s.%ld.XXXXXX", parent, b->cached ? "tmp" : "convtgen-cc", (long)getpid());
  int made_tmp = 0; /* (a random suffix may end in X: the name cannot tell) */
  ctg__cc_prepare();
  if (st == CTG_OK && !(made_tmp = mkdtemp(tmp_dir) != NULL))
    st = ctg__fail(err, CTG_ERR_IO, "%s: cannot create a temporary directory: %s", parent, strerror(errno));
  int slot = made_tmp ? reserve_slot(tmp_dir, b->cancel) : -1;
  if (slot == -2) st = ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': the process is exiting");
  if (st == CTG_OK) {
    snprintf(tmp_src, sizeof tmp_src, "%s/kernel.c", tmp_dir);
    snprintf(tmp_obj, sizeof tmp_obj, "%s/kernel.so", tmp_dir);
    FILE *f = fopen(tmp_src, "w");
    int ok = f && fputs(c->source, f) >= 0 && write_trailer(f, &e);
    ok = (f ? fclose(f) == 0 : 0) && ok;
    if (!ok) st = ctg__fail(err, CTG_ERR_IO, "%s: cannot write the kernel source", tmp_src);
  }
  if (st == CTG_OK) {
    build_job job = { slot, b->cancel };
    int rc = run_compiler(b->cc, b->flags, tmp_src, tmp_obj, &job, log, sizeof log);
    if (rc != 0 && b->cancel && *b->cancel) {
      st = ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': the build was cancelled");
    } else if (rc != 0) {
      char line[300];
      first_error(log, line, sizeof line);
      st = ctg__fail(err, rc == 127 ? CTG_ERR_UNAVAILABLE : CTG_ERR_INTERNAL, "backend 'cc': %s %s failed: %s",
                     b->cc, b->flags, line);
    }
  }
  if (st == CTG_OK && b->cached) st = ctg__cache_seal_file(b->dir, tmp_obj, b->key, strlen(b->key), err);
  if (st == CTG_OK) {
    void *h = dlopen(tmp_obj, b->mode);
    if (!h || !load_entries(h, p->name, c)) {
      st = ctg__fail(err, CTG_ERR_INTERNAL, "backend 'cc': cannot load the compiled kernel: %s",
                     h ? "its entry points are missing" : dlerror());
      if (h) dlclose(h);
    } else {
      if (b->cached) { /* concurrent builders: each file is complete, the last rename wins */
        char name[64], path[4300];
        ctg__cache_entry_name("so", b->key, strlen(b->key), name, sizeof name);
        snprintf(path, sizeof path, "%s/%s", b->dir, name);
        rename(tmp_obj, path);
      }
      c->state = h;
    }
  }
  if (made_tmp) remove_build_dir(tmp_dir);
  release_slot(slot);
  ctg__emitted_free(&e);
  return st;
}

static int cc_build(ctg__compiled *c, const ctg_params *p, const ctg__build_options *o, ctg_error *err) {
  const char *flags_in = o ? o->cc_flags : NULL;
  int probe = o && o->probe;
  int *cancel = o ? o->cancel : NULL;
  c->state = NULL;
  c->source = NULL;
  const char *cc = getenv("CC");
  if (!cc || !cc[0]) cc = "cc";
  char flags[1024];
  /* threads are OpenMP worksharing loops in the generated code */
  snprintf(flags, sizeof flags, "%s%s", flags_in && flags_in[0] ? flags_in : DEFAULT_FLAGS,
           p->threads > 1 ? " -fopenmp" : "");
  char identity[256], layer[1024], dir[4096];
  int st = compiler_identity(cc, identity, sizeof identity, err);
  if (st != CTG_OK) return st;
  /* an unsafe cache (a symlink, someone else's, open to others) is neither read nor written:
   * the kernel is built in a private temporary folder and not kept */
  int cached = ctg__cache_dir(dir, sizeof dir, !probe, NULL) == CTG_OK;
  static int swept; /* a dead builder's leftovers, once per process */
  pthread_mutex_lock(&builders_lock);
  int sweep = cached && !swept;
  swept |= sweep;
  pthread_mutex_unlock(&builders_lock);
  if (sweep) ctg__cache_sweep(dir);
  ctg__params_key(layer, sizeof layer, p);
  size_t klen = strlen(layer) + strlen(identity) + strlen(cc) + strlen(flags) + 128;
  char *key = malloc(klen);
  if (!key) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  /* the host's ISA profile decides the code (a cache shared by machines of several kinds) */
  snprintf(key, klen, "convtgen %s generator %016llx | %s | isa %s | cc %s | %s | flags %s", CTG_VERSION,
           (pthread_once(&digest_once, compute_digest), (unsigned long long)digest), layer, ctg__host_isa(), cc,
           identity, flags);

  /* an OpenMP kernel stays mapped: unloading it (and with it libgomp) under libgomp's idle
   * worker threads crashes the process later */
  const int mode = RTLD_NOW | RTLD_LOCAL | (p->threads > 1 ? RTLD_NODELETE : 0);
  void *h = cached ? load_cached(dir, key, mode) : NULL; /* its seal says: built for this key */
  if (h) {
    if (load_entries(h, p->name, c)) {
      c->state = h;
      free(key);
      return CTG_OK;
    }
    dlclose(h);
  }
  if (probe) {
    free(key);
    return ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': not in the cache");
  }
  if (cancel && *cancel) {
    free(key);
    return ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': the build was cancelled");
  }

  const cold_build b = { cc, flags, key, dir, cached, cancel, mode };
  st = build_cold(c, p, &b, err);
  free(key);
  return st;
}

static const char *cc_source(ctg__compiled *c, const ctg_params *p) { return ctg__native_source(c, p, "cc"); }

static void cc_release(ctg__compiled *c) {
  if (c->state) dlclose(c->state);
}

const ctg__backend ctg__backend_cc = { CTG_BACKEND_CC, "cc", cc_build, ctg__native_forward, ctg__native_pack,
                                       ctg__native_run_packed, cc_source, cc_release };
