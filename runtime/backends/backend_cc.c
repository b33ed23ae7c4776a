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
#define _GNU_SOURCE /* memfd_create, execvpe, pipe2 */
#include <dlfcn.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
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
 * works; shell quoting does not).
 *
 * The compiler never outlives the build that wants it. Each run has a supervisor process
 * between the caller and the compiler: the compiler is the leader of its own process group
 * (so killing it kills cc1 and as too), and the supervisor watches a pipe whose only writer is
 * the caller. When that pipe closes (the caller died, of any signal, SIGKILL included; or it
 * no longer wants the result) the supervisor kills the compiler's group and removes the build
 * folder. It also enforces the compiler's limits: wall-clock seconds, and address space for
 * each of its processes. */
extern char **environ;

#define MAX_ARGS 64
#define DEFAULT_SECONDS 300
#define DEFAULT_MEMORY_MB 4096
#define EXIT_TIMED_OUT 124 /* the supervisor's own exit codes */
#define EXIT_CANCELLED 125
#define EXIT_NOT_STARTED 127

/* Appends the blank-separated words of text (in the buffer words, which it writes) to argv. */
static int split_words(char *words, const char **argv, int n) {
  char *save = NULL; /* strtok_r: builds run on several threads at once */
  for (char *w = strtok_r(words, " \t\n", &save); w && n < MAX_ARGS - 8; w = strtok_r(NULL, " \t\n", &save)) argv[n++] = w;
  return n;
}

/* The compiler's limits: $CONVTGEN_CC_SECONDS of wall-clock time (300) and
 * $CONVTGEN_CC_MEMORY_MB of address space per process (4096); 0 lifts one. */
typedef struct cc_limits {
  long seconds, memory_mb;
} cc_limits;

static int limit_from_env(const char *name, long fallback, long *out, ctg_error *err) {
  const char *v = getenv(name);
  *out = fallback;
  if (!v || !v[0]) return CTG_OK;
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno || *end || n < 0 || n > 1000000)
    return ctg__fail(err, CTG_ERR_ARG, "%s='%.40s': expected a whole number from 0 (no limit) to 1000000", name, v);
  *out = n;
  return CTG_OK;
}

static int compiler_limits(cc_limits *l, ctg_error *err) {
  int st = limit_from_env("CONVTGEN_CC_SECONDS", DEFAULT_SECONDS, &l->seconds, err);
  return st != CTG_OK ? st : limit_from_env("CONVTGEN_CC_MEMORY_MB", DEFAULT_MEMORY_MB, &l->memory_mb, err);
}

/* Builds running now, so their compilers can be stopped and their temporary folders removed
 * when the result is no longer wanted: by ctg__cc_cancel (the last handle of an auto kernel
 * went) or at exit. A build takes a slot as soon as its folder exists; once exit has begun no
 * new one starts. */
#define MAX_BUILDERS 64
static pthread_mutex_t builders_lock = PTHREAD_MUTEX_INITIALIZER;
static struct builder {
  int used;
  pid_t pid;     /* the compiler's supervisor, 0 while none runs */
  int watch;     /* the write end of its watch pipe; closing it stops the compiler; -1: none */
  int *cancel;
  int parent;    /* the folder holding the build folder, and the build folder's name */
  char name[96];
} builders[MAX_BUILDERS];
static int exiting;
static pthread_once_t at_exit_once = PTHREAD_ONCE_INIT;

static void kill_builders_at_exit(void) {
  pthread_mutex_lock(&builders_lock);
  exiting = 1;
  for (int i = 0; i < MAX_BUILDERS; i++) {
    if (!builders[i].used) continue;
    if (builders[i].watch >= 0) close(builders[i].watch); /* the supervisor kills the compiler */
    builders[i].watch = -1;
    if (builders[i].pid > 0) waitpid(builders[i].pid, NULL, 0);
    builders[i].pid = 0;
    ctg__remove_at(builders[i].parent, builders[i].name);
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
    if (builders[i].used && builders[i].cancel == cancel && builders[i].watch >= 0) {
      close(builders[i].watch);
      builders[i].watch = -1;
    }
  pthread_mutex_unlock(&builders_lock);
}

/* A slot for the build in parent/name: its index, -1 when all are taken (the build goes on,
 * unguarded but for its supervisor), -2 when the process is exiting (the build stops). */
static int reserve_slot(int parent, const char *name, int *cancel) {
  int slot = -1;
  pthread_mutex_lock(&builders_lock);
  if (exiting) slot = -2;
  for (int i = 0; i < MAX_BUILDERS && slot == -1; i++)
    if (!builders[i].used) slot = i;
  if (slot >= 0) {
    builders[slot].used = 1;
    builders[slot].pid = 0;
    builders[slot].watch = -1;
    builders[slot].cancel = cancel;
    builders[slot].parent = parent;
    snprintf(builders[slot].name, sizeof builders[slot].name, "%s", name);
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

/* One run of a program: what it runs, where, under which limits, and the build it is for. */
typedef struct run_plan {
  const char *const *argv;
  int with_stderr; /* the log takes stderr too */
  int dir;         /* the working folder (the build folder), -1: ours */
  int parent;      /* the folder holding it, to remove it when the caller is gone */
  const char *name;
  cc_limits limits;
  int slot;        /* the builders' slot, -1: none */
  int *cancel;
} run_plan;

/* The supervisor, in the child of fork: only async-signal-safe calls (and glibc's fork-safe
 * allocator, for removing the folder) until the compiler is exec'ed. fds: log is the pipe to
 * the caller, watch the end whose closing says stop. */
static void supervise(const run_plan *r, char *const *envp, int log, int watch, const char *timeout_note) {
  static const int quiet[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
  for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++) signal(quiet[i], SIG_IGN); /* outlive a ^C */
  if (r->dir >= 0 && fchdir(r->dir) != 0) _exit(EXIT_NOT_STARTED);
  /* fds: 3 the log, 4 the watch pipe, 5 the build folder's parent, 6 /dev/null; no others */
  int l = fcntl(log, F_DUPFD, 16), w = fcntl(watch, F_DUPFD, 16), p = r->parent >= 0 ? fcntl(r->parent, F_DUPFD, 16) : -1;
  if (l < 0 || w < 0 || dup2(l, 3) != 3 || dup2(w, 4) != 4 || (p >= 0 && dup2(p, 5) != 5)) _exit(EXIT_NOT_STARTED);
  if (p < 0) close(5);
  if (syscall(SYS_close_range, 6u, ~0u, 0u) != 0)
    for (int fd = 6; fd < 4096; fd++) close(fd);
  int null = open("/dev/null", O_RDWR);
  fcntl(3, F_SETFD, FD_CLOEXEC);
  fcntl(4, F_SETFD, FD_CLOEXEC);
  if (p >= 0) fcntl(5, F_SETFD, FD_CLOEXEC);
  /* the compiler's exit, as a descriptor to wait on beside the watch pipe (blocked before the
   * fork, so it cannot be missed) */
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int exited = signalfd(-1, &chld, SFD_CLOEXEC);
  pid_t q = fork();
  if (q == 0) { /* the compiler: its own group, default signals, its limits */
    setpgid(0, 0);
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++) signal(quiet[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dup2(null, 0) < 0 || dup2(3, 1) < 0 || dup2(r->with_stderr ? 3 : null, 2) < 0) _exit(EXIT_NOT_STARTED);
    if (r->limits.memory_mb > 0) {
      struct rlimit as = { (rlim_t)r->limits.memory_mb << 20, (rlim_t)r->limits.memory_mb << 20 };
      setrlimit(RLIMIT_AS, &as);
    }
    execvpe(r->argv[0], (char *const *)(uintptr_t)r->argv, envp);
    _exit(EXIT_NOT_STARTED);
  }
  if (q < 0) _exit(EXIT_NOT_STARTED);
  setpgid(q, q); /* (both sides set it: no window where a kill misses the group) */
  double deadline = ctg__now_ms() + 1e3 * (double)r->limits.seconds;
  for (;;) {
    int status;
    pid_t got = waitpid(q, &status, WNOHANG);
    if (got == q) _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WTERMSIG(status) & 127));
    /* wake for the compiler's exit, the caller's word (the pipe closed) or the deadline; without
     * a signalfd, every 20 ms */
    double left = deadline - ctg__now_ms();
    int timeout = exited < 0 ? 20 : r->limits.seconds <= 0 ? -1 : left < 0 ? 0 : (int)left + 1;
    struct pollfd pf[2] = { { 4, POLLIN, 0 }, { exited, POLLIN, 0 } };
    poll(pf, exited < 0 ? 1 : 2, timeout);
    if (exited >= 0 && pf[1].revents) {
      struct signalfd_siginfo info;
      ssize_t drained = read(exited, &info, sizeof info);
      (void)drained;
    }
    int stop = pf[0].revents != 0; /* readable: closed, the caller is gone or gave up */
    int late = r->limits.seconds > 0 && ctg__now_ms() > deadline;
    if (stop || late) {
      kill(-q, SIGKILL);
      while (waitpid(q, &status, 0) < 0 && errno == EINTR) {}
      if (late && !stop) {
        ssize_t ignored = write(3, timeout_note, strlen(timeout_note));
        (void)ignored;
        _exit(EXIT_TIMED_OUT);
      }
      if (p >= 0 && r->name) ctg__remove_at(5, r->name);
      _exit(EXIT_CANCELLED);
    }
  }
}

/* The environment for a compiler working in the build folder: TMPDIR=. keeps its own
 * temporary files there, out of a shared /tmp. NULL: out of memory. */
static char **compiler_environment(void) {
  size_t n = 0;
  while (environ[n]) n++;
  char **env = malloc((n + 2) * sizeof *env);
  if (!env) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (strncmp(environ[i], "TMPDIR=", 7) != 0) env[k++] = environ[i];
  env[k++] = (char *)(uintptr_t) "TMPDIR=.";
  env[k] = NULL;
  return env;
}

/* Runs r->argv (NULL-terminated) under its supervisor, its stdout (and stderr, when
 * r->with_stderr) into out (cut to cap); returns the exit status: 127 when the program cannot
 * be started, EXIT_TIMED_OUT past the time limit, EXIT_CANCELLED when stopped, -1 when it
 * could not be waited for. */
static int run_captured(const run_plan *r, char *out, size_t cap) {
  int fds[2], watch[2];
  if (cap) out[0] = '\0';
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  if (pipe2(watch, O_CLOEXEC) != 0) {
    close(fds[0]), close(fds[1]);
    return -1;
  }
  char **env = r->dir >= 0 ? compiler_environment() : NULL;
  char note[160];
  snprintf(note, sizeof note, "\nconvtgen: the compiler ran past its limit of %ld s (CONVTGEN_CC_SECONDS)\n",
           r->limits.seconds);
  pid_t pid = (r->dir < 0 || env) ? fork() : -1;
  if (pid == 0) supervise(r, env ? env : environ, fds[1], watch[0], note);
  free(env);
  close(fds[1]);
  close(watch[0]);
  const int watched = pid > 0 && r->slot >= 0; /* the slot holds the watch pipe's write end */
  if (watched) {
    pthread_mutex_lock(&builders_lock);
    builders[r->slot].pid = pid;
    builders[r->slot].watch = watch[1];
    if (exiting || (r->cancel && *r->cancel)) { /* unwanted before it started */
      close(watch[1]);
      builders[r->slot].watch = -1;
    }
    pthread_mutex_unlock(&builders_lock);
  }
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
  if (pid < 0) {
    close(watch[1]);
    return EXIT_NOT_STARTED;
  }
  int status, reaped;
  while ((reaped = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {}
  if (watched) {
    pthread_mutex_lock(&builders_lock);
    if (builders[r->slot].watch >= 0) close(builders[r->slot].watch);
    builders[r->slot].watch = -1;
    builders[r->slot].pid = 0;
    pthread_mutex_unlock(&builders_lock);
  } else {
    close(watch[1]);
  }
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
  run_plan r = { argv, 0, -1, -1, NULL, { 60, 0 }, -1, NULL };
  int status = n > 1 ? run_captured(&r, line, sizeof line) : 127;
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

int ctg_cc_available(void) {
  const char *cc = getenv("CC");
  char identity[256];
  return compiler_identity(cc && cc[0] ? cc : "cc", identity, sizeof identity, NULL) == CTG_OK;
}

static int run_compiler(const char *cc, const char *flags, run_plan *r, char *log, size_t logcap) {
  char words[2048];
  const char *argv[MAX_ARGS];
  snprintf(words, sizeof words, "%s %s", cc, flags);
  int n = split_words(words, argv, 0);
  argv[n++] = "-o"; /* relative to the build folder, the compiler's working folder */
  argv[n++] = "kernel.so";
  argv[n++] = "kernel.c";
  argv[n] = NULL;
  r->argv = argv;
  return run_captured(r, log, logcap);
}

/* What the runtime writes after the generated source of a cached object: the emitter's answer
 * the runtime needs to call it (convention, packed size), so a warm start needs no generator.
 * The key it was built for is in the entry's seal (cache.c), checked before loading. */
static int write_trailer(FILE *f, const ctg__emitted *e) {
  return fprintf(f, "\nconst unsigned long ctg_kernel_facts[2] = { %d, %zuul };\n", (int)e->convention,
                 e->packed_size) > 0;
}

/* A loaded object: the dlopen handle and the sealed memfd it was loaded from, kept open while
 * the handle lives (glibc knows a loaded object by its path, /proc/self/fd/N: while N stays
 * open no other object can get that name). */
typedef struct cc_object {
  void *handle;
  int fd;
} cc_object;

/* Loads exactly these bytes: copied into a memfd sealed against writes, then dlopen()ed
 * through it; nothing on disk is opened by name. */
static int load_object(const void *bytes, size_t size, int mode, cc_object *o, char *why, size_t cap) {
  o->handle = NULL;
  o->fd = memfd_create("convtgen-kernel", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (o->fd < 0) {
    snprintf(why, cap, "memfd_create: %s", strerror(errno));
    return 0;
  }
  if (!ctg__write_all(o->fd, bytes, size) || fcntl(o->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    snprintf(why, cap, "cannot copy the object into memory: %s", strerror(errno));
    close(o->fd);
    o->fd = -1;
    return 0;
  }
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", o->fd);
  o->handle = dlopen(path, mode);
  if (!o->handle) {
    const char *e = dlerror();
    snprintf(why, cap, "%s", e ? e : "dlopen failed");
    close(o->fd);
    o->fd = -1;
    return 0;
  }
  return 1;
}

static void unload_object(cc_object *o, int mode) {
  if (o->handle) dlclose(o->handle);
  /* an object that stays mapped (RTLD_NODELETE) keeps its name, and so its descriptor */
  if (o->fd >= 0 && !(mode & RTLD_NODELETE)) close(o->fd);
  o->handle = NULL;
  o->fd = -1;
}

/* The entry points every generated kernel has, and the facts the trailer recorded. */
static int load_entries(void *h, const char *name, ctg__compiled *c) {
  const unsigned long *facts = dlsym(h, "ctg_kernel_facts");
  if (!facts || facts[0] > CTG__BAKED) return 0;
  c->convention = (ctg__convention)facts[0];
  c->packed_size = facts[1];
  return ctg__native_entries(c, name, dlsym, h);
}

/* The first line of a compiler's log that says "error", else its first non-empty one: one line for a
 * message (ctg__fail escapes what is left). */
static void first_error(const char *log, char *out, size_t cap) {
  const char *at = strstr(log, "error");
  const char *line = log + strspn(log, "\n"); /* else the first line with anything on it */
  if (at) {
    line = at;
    while (line > log && line[-1] != '\n') line--;
  }
  size_t n = strcspn(line, "\n");
  snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), line);
}

/* What cc_build keeps in c->state. */
typedef struct cc_state {
  cc_object object;
  int mode; /* dlopen's */
} cc_state;

/* Keeps the loaded object o in c when its entry points are there; 0 (o unloaded) otherwise. */
static int adopt(ctg__compiled *c, const ctg_params *p, cc_object *o, int mode) {
  cc_state *s = malloc(sizeof *s);
  if (!s || !load_entries(o->handle, p->name, c)) {
    free(s);
    unload_object(o, mode);
    return 0;
  }
  s->object = *o;
  s->mode = mode;
  c->state = s;
  return 1;
}

/* A warm start: the sealed object for key in the cache (dirfd), loaded from the very bytes
 * whose seal was verified. */
static int load_cached(ctg__compiled *c, const ctg_params *p, int dirfd, const char *key, int mode) {
  ctg__cache_entry e;
  if (!ctg__cache_open(dirfd, "so", key, strlen(key), &e)) return 0;
  cc_object o;
  char why[256];
  int ok = load_object(e.data, e.size, mode, &o, why, sizeof why) && adopt(c, p, &o, mode);
  ctg__cache_entry_close(&e);
  return ok;
}

/* What a cold build needs from cc_build. */
typedef struct cold_build {
  const char *cc, *flags, *key;
  int cache; /* the cache's descriptor (a safe one: seal and publish there); -1: build privately */
  int *cancel;
  int mode;  /* dlopen's */
  cc_limits limits;
} cold_build;

/* A new folder (0700, ours) in parentfd, named PREFIX.PID.RANDOM into name; its descriptor, or
 * -1. */
static int make_build_dir(int parentfd, const char *prefix, char *name, size_t cap) {
  for (int attempt = 0; attempt < 8; attempt++) {
    if (!ctg__temp_name(name, cap, prefix)) return -1;
    if (mkdirat(parentfd, name, 0700) != 0) {
      if (errno == EEXIST) continue;
      return -1;
    }
    int fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat sb;
    if (fd >= 0 && fstat(fd, &sb) == 0 && sb.st_uid == geteuid() && (sb.st_mode & 077) == 0) return fd;
    if (fd >= 0) close(fd);
    return -1;
  }
  return -1;
}

/* Writes the generated source into the build folder (dirfd) as kernel.c. */
static int write_source(int dirfd, const char *source, const ctg__emitted *e) {
  int fd = openat(dirfd, "kernel.c", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    if (fd >= 0) close(fd);
    return 0;
  }
  int ok = fputs(source, f) >= 0 && write_trailer(f, e);
  return fclose(f) == 0 && ok;
}

/* The compiled object from the build folder (dirfd): a regular file of ours, read in full
 * through one descriptor. */
static unsigned char *read_object(int dirfd, size_t *size) {
  int fd = openat(dirfd, "kernel.so", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat sb;
  unsigned char *data = NULL;
  if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid() && sb.st_size > 0 &&
      (uint64_t)sb.st_size <= (256u << 20) && (data = malloc((size_t)sb.st_size))) {
    *size = (size_t)sb.st_size;
    if (!ctg__read_all(fd, data, *size)) {
      free(data);
      data = NULL;
    }
  }
  close(fd);
  return data;
}

/* Why a compiler failed, in one line: its log's first error, and the limits when the failure
 * looks like one of them. */
static int compile_failure(int rc, const cold_build *b, const char *log, ctg_error *err) {
  if (rc == EXIT_TIMED_OUT)
    return ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': %s ran past its limit of %ld s (set CONVTGEN_CC_SECONDS "
                     "to allow more, 0 for none); the tcc and interp backends need no compiler", b->cc,
                     b->limits.seconds);
  char line[300];
  first_error(log, line, sizeof line);
  int resources = rc > 128 || strstr(log, "memory") || strstr(log, "Killed") || strstr(log, "signal");
  if (resources && b->limits.memory_mb > 0)
    return ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': %s %s failed under its limit of %ld MiB of memory "
                     "(CONVTGEN_CC_MEMORY_MB, 0 for none): %s", b->cc, b->flags, b->limits.memory_mb, line);
  return ctg__fail(err, rc == EXIT_NOT_STARTED ? CTG_ERR_UNAVAILABLE : CTG_ERR_INTERNAL, "backend 'cc': %s %s failed: %s",
                   b->cc, b->flags, line);
}

/* Generates the source and compiles it in a fresh folder: in the cache (tmp.PID.*) when it is
 * safe, else a private one in $TMPDIR (convtgen-cc.PID.*). Every step goes through the
 * folder's descriptor (the compiler runs in it), so no name can be swapped under the build;
 * the object is read once, sealed into the cache from those bytes, and loaded from them. */
static int build_cold(ctg__compiled *c, const ctg_params *p, const cold_build *b, ctg_error *err) {
  ctg__emitted e;
  int st = ctg__emit(p, ctg__host_isa(), NULL, NULL, &e, err);
  if (st == CTG_OK) {
    c->source = e.source;
    e.source = NULL;
  }
  int parent = b->cache >= 0 ? dup(b->cache) : ctg__private_root();
  char name[96], log[2048];
  int dir = -1;
  ctg__cc_prepare();
  if (st == CTG_OK && (parent < 0 || (dir = make_build_dir(parent, b->cache >= 0 ? "tmp" : CTG__PRIVATE_PREFIX, name,
                                                             sizeof name)) < 0))
    st = ctg__fail(err, CTG_ERR_IO, "backend 'cc': cannot create a build folder in %s: %s",
                   b->cache >= 0 ? "the cache" : "$TMPDIR (else /tmp)", strerror(errno));
  int slot = dir >= 0 ? reserve_slot(parent, name, b->cancel) : -1;
  if (slot == -2) st = ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': the process is exiting");
  if (st == CTG_OK && !write_source(dir, c->source, &e))
    st = ctg__fail(err, CTG_ERR_IO, "backend 'cc': cannot write the kernel source: %s", strerror(errno));
  if (st == CTG_OK) {
    run_plan r = { NULL, 1, dir, parent, name, b->limits, slot, b->cancel };
    int rc = run_compiler(b->cc, b->flags, &r, log, sizeof log);
    if (rc != 0 && ((b->cancel && *b->cancel) || rc == EXIT_CANCELLED))
      st = ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': the build was cancelled");
    else if (rc != 0)
      st = compile_failure(rc, b, log, err);
  }
  unsigned char *object = NULL;
  size_t size = 0;
  if (st == CTG_OK && !(object = read_object(dir, &size)))
    st = ctg__fail(err, CTG_ERR_INTERNAL, "backend 'cc': the compiler left no kernel.so");
  if (st == CTG_OK) {
    cc_object o;
    char why[300];
    if (!load_object(object, size, b->mode, &o, why, sizeof why))
      st = ctg__fail(err, CTG_ERR_INTERNAL, "backend 'cc': cannot load the compiled kernel: %s", why);
    else if (!adopt(c, p, &o, b->mode))
      st = ctg__fail(err, CTG_ERR_INTERNAL, "backend 'cc': cannot load the compiled kernel: its entry points are missing");
    else if (b->cache >= 0) /* best effort: a kernel that cannot be kept still runs */
      ctg__cache_publish(b->cache, "so", b->key, strlen(b->key), object, size, NULL);
  }
  free(object);
  if (dir >= 0) {
    close(dir);
    ctg__remove_at(parent, name);
  }
  release_slot(slot);
  if (parent >= 0) close(parent);
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
  cc_limits limits;
  int st = compiler_limits(&limits, err);
  if (st == CTG_OK) st = compiler_identity(cc, identity, sizeof identity, err);
  if (st != CTG_OK) return st;
  /* an unsafe cache (a symlink, someone else's, open to others, on a way others can change) is
   * neither read nor written: the kernel is built in a private temporary folder and not kept */
  int cache = -1;
  ctg__cache_dir_open(!probe, &cache, dir, sizeof dir, NULL);
  static int swept; /* dead builders' leftovers, once per process */
  pthread_mutex_lock(&builders_lock);
  int sweep = !swept;
  swept = 1;
  pthread_mutex_unlock(&builders_lock);
  if (sweep) {
    if (cache >= 0) ctg__sweep_temporaries(cache, "tmp");
    ctg__sweep_private();
  }
  ctg__params_key(layer, sizeof layer, p);
  size_t klen = strlen(layer) + strlen(identity) + strlen(cc) + strlen(flags) + 128;
  char *key = malloc(klen);
  if (!key) {
    if (cache >= 0) close(cache);
    return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  }
  /* the host's ISA profile decides the code (a cache shared by machines of several kinds) */
  snprintf(key, klen, "convtgen %s generator %016llx | %s | isa %s | cc %s | %s | flags %s", CTG_VERSION,
           (pthread_once(&digest_once, compute_digest), (unsigned long long)digest), layer, ctg__host_isa(), cc,
           identity, flags);

  /* an OpenMP kernel stays mapped: unloading it (and with it libgomp) under libgomp's idle
   * worker threads crashes the process later */
  const int mode = RTLD_NOW | RTLD_LOCAL | (p->threads > 1 ? RTLD_NODELETE : 0);
  if (cache >= 0 && load_cached(c, p, cache, key, mode)) { /* its seal says: built for this key */
    close(cache);
    free(key);
    return CTG_OK;
  }
  if (probe) st = ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': not in the cache");
  else if (cancel && *cancel) st = ctg__fail(err, CTG_ERR_UNAVAILABLE, "backend 'cc': the build was cancelled");
  else {
    const cold_build b = { cc, flags, key, cache, cancel, mode, limits };
    st = build_cold(c, p, &b, err);
  }
  if (cache >= 0) close(cache);
  free(key);
  return st;
}

static const char *cc_source(ctg__compiled *c, const ctg_params *p) { return ctg__native_source(c, p, ctg__host_isa()); }

static void cc_release(ctg__compiled *c) {
  cc_state *s = c->state;
  if (!s) return;
  unload_object(&s->object, s->mode);
  free(s);
}

const ctg__backend ctg__backend_cc = { CTG_BACKEND_CC, "cc", cc_build, ctg__native_forward, ctg__native_pack,
                                       ctg__native_run_packed, cc_source, cc_release, NULL, NULL };
