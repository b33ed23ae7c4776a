/* cache.c: compiled kernels on disk, safe in a shared or hostile place.
 *
 * The directory must be a real directory (never a symlink, with or without a trailing slash),
 * owned by the user and writable by no one else, and so must the way to it: every parent
 * folder up to / belongs to root or the user and is writable by no one else unless it is
 * sticky (/tmp), as OpenSSH's secure_filename asks, so no other user can swap a name on the
 * way. The walk is made through descriptors, one folder at a time without following a
 * symlink, and everything after it (reading, writing, renaming, sweeping) is done relative to
 * the directory's descriptor: a name swapped after the check is never used.
 *
 * An entry is its payload (a shared object, a CUBIN) followed by a seal: the full key, then a
 * footer
 *     [u64 key length][u64 payload length][32-byte HMAC-SHA-256(secret, key || payload)]["CTGSEAL1"]
 * where the secret is 32 random bytes in DIR/seal.key (0600; replaced when it is unusable). An
 * entry is used only when it is a regular file of the user's, writable by no one else, opened
 * without following symlinks, read in full and its seal verified; what is then loaded is those
 * very bytes (backend_cc.c copies them into a sealed memfd), so no code runs that convtgen did
 * not build. Entries are written to a temporary name and renamed, so concurrent builders of one
 * key each leave a complete file. */
#define _GNU_SOURCE /* O_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static const char SEAL_MAGIC[8] = { 'C', 'T', 'G', 'S', 'E', 'A', 'L', '1' };
#define FOOTER (8 + 8 + 32 + 8)
#define MAX_ENTRY (256u << 20)
#define MAX_KEY (16u << 20)
#define SECRET_FILE "seal.key"

int ctg_cache_directory(char *buf, size_t cap, ctg_error *err) {
  if (!buf || !cap) return ctg__fail(err, CTG_ERR_ARG, "ctg_cache_directory: no buffer");
  const char *dir = getenv("CONVTGEN_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  int n;
  if (dir && dir[0]) n = snprintf(buf, cap, "%s", dir);
  else if (xdg && xdg[0]) n = snprintf(buf, cap, "%s/convtgen", xdg);
  else if (home && home[0]) n = snprintf(buf, cap, "%s/.cache/convtgen", home);
  else return ctg__fail(err, CTG_ERR_IO, "no cache directory: set CONVTGEN_CACHE_DIR (or HOME)");
  if (n < 0 || (size_t)n >= cap) return ctg__fail(err, CTG_ERR_IO, "cache directory path is too long");
  return CTG_OK;
}

/* "a/b//" and "a/b/./" -> "a/b": with a trailing slash or dot, lstat and O_NOFOLLOW follow a
 * final symlink. */
static void strip_slashes(char *path) {
  size_t n = strlen(path);
  for (;;) {
    if (n > 1 && path[n - 1] == '/') path[--n] = '\0';
    else if (n > 2 && path[n - 1] == '.' && path[n - 2] == '/') path[n -= 2] = '\0';
    else break;
  }
}

/* mkdir -p; the last component 0700 (parents are the user's ordinary folders, 0755). Only
 * creates: whether the result is safe is decided by the walk below, through descriptors. */
static int make_dirs(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    int bad = mkdir(path, 0755) != 0 && errno != EEXIST;
    *p = '/';
    if (bad) return -1;
  }
  return mkdir(path, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* A file or directory only the user controls: ours, and writable by no one else. */
static int owned_safely(const struct stat *sb, const char *path, const char *what, ctg_error *err) {
  if (sb->st_uid != geteuid())
    return ctg__fail(err, CTG_ERR_IO, "%s: the %s belongs to uid %u, not to this user (%u)", path, what,
                     (unsigned)sb->st_uid, (unsigned)geteuid());
  if (sb->st_mode & (S_IWGRP | S_IWOTH))
    return ctg__fail(err, CTG_ERR_IO, "%s: the %s is writable by others (mode %03o); chmod go-w it", path, what,
                     (unsigned)(sb->st_mode & 0777));
  return CTG_OK;
}

/* A folder on the way to the cache: root's or ours, and writable by no one else unless sticky
 * (in a sticky folder only the owner of a name can rename it). */
static int parent_safe(const struct stat *sb, const char *path, ctg_error *err) {
  if (sb->st_uid != 0 && sb->st_uid != geteuid())
    return ctg__fail(err, CTG_ERR_IO, "%s: a parent of the cache directory belongs to uid %u, who could swap "
                     "the cache for another; use a cache directory under folders of root's or yours",
                     path, (unsigned)sb->st_uid);
  if ((sb->st_mode & (S_IWGRP | S_IWOTH)) && !(sb->st_mode & S_ISVTX))
    return ctg__fail(err, CTG_ERR_IO, "%s: a parent of the cache directory is writable by others (mode %03o), "
                     "who could swap the cache for another; chmod go-w it or use another cache directory",
                     path, (unsigned)(sb->st_mode & 0777));
  return CTG_OK;
}

/* Walks the absolute, symlink-free path from / one folder at a time through O_PATH
 * descriptors, never following a symlink, checking each; returns the last folder's descriptor
 * (-1 and err when a folder is unsafe or missing; errno ENOENT for a missing one). */
static int walk_safe(const char *real, ctg_error *err) {
  int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    ctg__fail(err, CTG_ERR_IO, "/: cannot open: %s", strerror(errno));
    return -1;
  }
  char sofar[PATH_MAX] = "";
  const char *p = real;
  for (;;) {
    struct stat sb;
    const char *here = sofar[0] ? sofar : "/";
    int st = fstat(fd, &sb) != 0 || !S_ISDIR(sb.st_mode)
                 ? ctg__fail(err, CTG_ERR_IO, "%s: not a folder", here)
                 : parent_safe(&sb, here, err);
    if (st != CTG_OK) {
      close(fd);
      errno = EPERM;
      return -1;
    }
    while (*p == '/') p++;
    if (!*p) return fd;
    size_t n = strcspn(p, "/");
    char part[NAME_MAX + 1];
    if (n > NAME_MAX || strlen(sofar) + n + 2 > sizeof sofar) {
      close(fd);
      ctg__fail(err, CTG_ERR_IO, "%s: the cache path is too long", real);
      errno = ENAMETOOLONG;
      return -1;
    }
    memcpy(part, p, n);
    part[n] = '\0';
    strcat(sofar, "/");
    strcat(sofar, part);
    p += n;
    int next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int saved = errno;
    close(fd);
    if (next < 0) {
      ctg__fail(err, CTG_ERR_IO, "%s: cannot open: %s", sofar, strerror(saved));
      errno = saved;
      return -1;
    }
    fd = next;
  }
}

/* The safe descriptor of path's parent folder (path absolute, no trailing slash) and the
 * path's last component into *last. */
static int open_parent(const char *path, const char **last, ctg_error *err) {
  const char *slash = strrchr(path, '/');
  *last = slash + 1;
  char parent[PATH_MAX], real[PATH_MAX];
  snprintf(parent, sizeof parent, "%.*s", (int)(slash - path), path);
  /* the parent's symlinks resolved: each folder of the real path is then checked */
  if (!realpath(parent[0] ? parent : "/", real)) {
    ctg__fail(err, CTG_ERR_IO, "%s: cannot use the cache directory's folder: %s", parent[0] ? parent : "/",
              strerror(errno));
    return -1;
  }
  return walk_safe(real, err);
}

/* The cache path, absolute and without trailing slashes, into dir. */
static int cache_path(char *dir, size_t cap, ctg_error *err) {
  char given[PATH_MAX];
  int st = ctg_cache_directory(given, sizeof given, err);
  if (st != CTG_OK) return st;
  strip_slashes(given);
  if (given[0] == '/') {
    snprintf(dir, cap, "%s", given);
    return CTG_OK;
  }
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return ctg__fail(err, CTG_ERR_IO, "cannot tell the working directory: %s", strerror(errno));
  if ((size_t)snprintf(dir, cap, "%s/%s", cwd, given) >= cap) return ctg__fail(err, CTG_ERR_IO, "cache directory path is too long");
  return CTG_OK;
}

int ctg__cache_dir_open(int create, int *fd_out, char *dir, size_t cap, ctg_error *err) {
  *fd_out = -1;
  int st = cache_path(dir, cap, err);
  if (st != CTG_OK) return st;
  const char *base = strrchr(dir, '/');
  if (strcmp(dir, "/") == 0 || strcmp(base, "/..") == 0 || strcmp(base, "/.") == 0)
    return ctg__fail(err, CTG_ERR_IO, "%s: name the cache directory itself (not /, . or ..)", dir);
  if (create) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", dir);
    if (make_dirs(path) != 0)
      return ctg__fail(err, CTG_ERR_IO, "%s: cannot create the cache directory: %s", dir, strerror(errno));
  }
  const char *last;
  ctg_error why;
  int parent = open_parent(dir, &last, &why);
  if (parent < 0) {
    if (err) *err = why;
    return why.status;
  }
  int fd = openat(parent, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  int saved = errno;
  struct stat sb;
  if (fd < 0 && fstatat(parent, last, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode)) {
    close(parent);
    return ctg__fail(err, CTG_ERR_IO, "%s: the cache directory is a symlink; point CONVTGEN_CACHE_DIR at the "
                     "real directory", dir);
  }
  close(parent);
  if (fd < 0) {
    errno = saved;
    return ctg__fail(err, CTG_ERR_IO, "%s: cannot use the cache directory: %s", dir,
                     saved == ENOTDIR ? "the cache path is not a directory" : strerror(saved));
  }
  st = fstat(fd, &sb) == 0 ? owned_safely(&sb, dir, "cache directory", err)
                           : ctg__fail(err, CTG_ERR_IO, "%s: %s", dir, strerror(errno));
  if (st != CTG_OK) {
    close(fd);
    return st;
  }
  *fd_out = fd;
  return CTG_OK;
}

static int random_bytes(unsigned char *buf, size_t n) {
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  int ok = ctg__read_all(fd, buf, n);
  close(fd);
  return ok;
}

int ctg__temp_name(char *buf, size_t cap, const char *prefix) {
  unsigned char r[6];
  if (!random_bytes(r, sizeof r)) return 0;
  snprintf(buf, cap, "%s.%ld.%02x%02x%02x%02x%02x%02x", prefix, (long)getpid(), r[0], r[1], r[2], r[3], r[4], r[5]);
  return 1;
}

/* Opens dirfd/name for reading without following a symlink or blocking; it must be a regular
 * file of ours, writable by no one else, and at most max bytes. */
static int open_ours(int dirfd, const char *name, size_t max, int *fd_out, size_t *size) {
  int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return 0;
  struct stat sb;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || owned_safely(&sb, name, "file", NULL) != CTG_OK ||
      (uint64_t)sb.st_size > max) {
    close(fd);
    return 0;
  }
  *fd_out = fd;
  *size = (size_t)sb.st_size;
  return 1;
}

/* A new file dirfd/name (a fresh temporary name), 0600, never through a symlink. */
static int create_temp(int dirfd, char *name, size_t cap, const char *prefix) {
  for (int attempt = 0; attempt < 8; attempt++) {
    if (!ctg__temp_name(name, cap, prefix)) return -1;
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

/* The directory's secret: read, or made once (a temporary file linked into place, so two
 * processes making it at once agree on one). One that cannot be used (empty, a symlink, not a
 * regular file, someone else's, readable by others) is replaced: the directory is ours alone,
 * so whatever is in it is stale, and the entries sealed with it simply become misses. */
static int cache_secret(int dirfd, unsigned char secret[32]) {
  for (int attempt = 0; attempt < 3; attempt++) {
    int fd = openat(dirfd, SECRET_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    int unusable = fd < 0 && errno != ENOENT;
    if (fd >= 0) {
      struct stat sb;
      int ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid() && (sb.st_mode & 077) == 0 &&
               sb.st_size == 32 && ctg__read_all(fd, secret, 32);
      close(fd);
      if (ok) return 1;
      unusable = 1;
    }
    char tmp[96];
    unsigned char fresh[32];
    int tfd = create_temp(dirfd, tmp, sizeof tmp, "tmp");
    if (tfd < 0) return 0;
    int ok = random_bytes(fresh, 32) && ctg__write_all(tfd, fresh, 32);
    ok = close(tfd) == 0 && ok;
    if (ok) {
      if (unusable) ok = renameat(dirfd, tmp, dirfd, SECRET_FILE) == 0; /* over the bad one */
      else ok = linkat(dirfd, tmp, dirfd, SECRET_FILE, 0) == 0 || errno == EEXIST;
    }
    unlinkat(dirfd, tmp, 0);
    if (!ok) return 0;
  }
  return 0;
}

void ctg__cache_entry_name(const char *kind, const char *key, size_t keylen, char *buf, size_t cap) {
  snprintf(buf, cap, "%016llx.%s", (unsigned long long)ctg__fnv1a(CTG__FNV_SEED, key, keylen), kind);
}

uint64_t ctg__fnv1a(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

static void put_u64(unsigned char *b, uint64_t v) {
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64_t)b[i] << (8 * i);
  return v;
}

/* The key and payload lengths a footer claims for a file of size bytes; 0 when it is not one. */
static int parse_footer(const unsigned char f[FOOTER], size_t size, size_t *keylen, size_t *payload) {
  if (memcmp(f + 48, SEAL_MAGIC, 8) != 0) return 0;
  uint64_t kl = get_u64(f), pl = get_u64(f + 8);
  if (kl > MAX_KEY || pl > MAX_ENTRY || kl + pl + FOOTER != size) return 0;
  *keylen = (size_t)kl;
  *payload = (size_t)pl;
  return 1;
}

/* The key and payload length of a sealed file's contents (data, size) whose seal verifies
 * under secret; 0 otherwise. */
static int parse_seal(const unsigned char *data, size_t size, const unsigned char *secret, const char **key,
                      size_t *keylen, size_t *payload) {
  if (size < FOOTER) return 0;
  const unsigned char *f = data + size - FOOTER;
  if (!parse_footer(f, size, keylen, payload)) return 0;
  unsigned char mac[32];
  ctg__hmac_sha256(secret, 32, data + *payload, *keylen, data, *payload, mac);
  unsigned char diff = 0; /* every byte compared: the time says nothing about the seal */
  for (int i = 0; i < 32; i++) diff |= (unsigned char)(mac[i] ^ f[16 + i]);
  if (diff) return 0;
  *key = (const char *)data + *payload;
  return 1;
}

int ctg__cache_open(int dirfd, const char *kind, const char *key, size_t keylen, ctg__cache_entry *e) {
  memset(e, 0, sizeof *e);
  unsigned char secret[32];
  char name[64];
  ctg__cache_entry_name(kind, key, keylen, name, sizeof name);
  int fd;
  size_t size;
  if (!cache_secret(dirfd, secret) || !open_ours(dirfd, name, MAX_ENTRY + MAX_KEY + FOOTER, &fd, &size)) return 0;
  unsigned char *data = malloc(size ? size : 1);
  const char *stored;
  size_t stored_len, payload;
  int ok = data && ctg__read_all(fd, data, size) && parse_seal(data, size, secret, &stored, &stored_len, &payload) &&
           stored_len == keylen && memcmp(stored, key, keylen) == 0;
  close(fd);
  if (!ok) {
    free(data);
    return 0;
  }
  e->data = data;
  e->size = payload;
  return 1;
}

void ctg__cache_entry_close(ctg__cache_entry *e) {
  free(e->data);
  memset(e, 0, sizeof *e);
}

int ctg__cache_publish(int dirfd, const char *kind, const char *key, size_t keylen, const void *payload,
                       size_t size, ctg_error *err) {
  unsigned char secret[32], footer[FOOTER];
  if (!cache_secret(dirfd, secret))
    return ctg__fail(err, CTG_ERR_IO, "the cache's %s cannot be read or made", SECRET_FILE);
  put_u64(footer, keylen);
  put_u64(footer + 8, size);
  ctg__hmac_sha256(secret, 32, key, keylen, payload, size, footer + 16);
  memcpy(footer + 48, SEAL_MAGIC, 8);
  char tmp[96], name[64];
  int fd = create_temp(dirfd, tmp, sizeof tmp, "tmp");
  if (fd < 0) return ctg__fail(err, CTG_ERR_IO, "cannot create a file in the cache: %s", strerror(errno));
  int ok = ctg__write_all(fd, payload, size) && ctg__write_all(fd, key, keylen) && ctg__write_all(fd, footer, FOOTER);
  ok = close(fd) == 0 && ok;
  ctg__cache_entry_name(kind, key, keylen, name, sizeof name);
  /* concurrent builders: each file is complete, the last rename wins */
  if (ok) ok = renameat(dirfd, tmp, dirfd, name) == 0;
  if (!ok) {
    int saved = errno;
    unlinkat(dirfd, tmp, 0);
    return ctg__fail(err, CTG_ERR_IO, "cannot write the cache entry %s: %s", name, strerror(saved));
  }
  return CTG_OK;
}

int ctg__cache_load(const char *kind, const char *key, size_t keylen, void **data, size_t *size) {
  *data = NULL;
  *size = 0;
  char dir[PATH_MAX];
  int dirfd;
  if (ctg__cache_dir_open(0, &dirfd, dir, sizeof dir, NULL) != CTG_OK) return 0;
  ctg__cache_entry e;
  int hit = ctg__cache_open(dirfd, kind, key, keylen, &e);
  close(dirfd);
  if (!hit) return 0;
  *data = e.data; /* the payload is the file's start */
  *size = e.size;
  return 1;
}

int ctg__cache_store(const char *kind, const char *key, size_t keylen, const void *data, size_t size,
                     ctg_error *err) {
  char dir[PATH_MAX];
  int dirfd;
  int st = ctg__cache_dir_open(1, &dirfd, dir, sizeof dir, err);
  if (st != CTG_OK) return st;
  st = ctg__cache_publish(dirfd, kind, key, keylen, data, size, err);
  close(dirfd);
  return st;
}

/* Our entries: 16 hex digits, a dot, a kind. Nothing else in the directory is touched. */
static int is_entry(const char *name) {
  for (int i = 0; i < 16; i++)
    if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f'))) return 0;
  return name[16] == '.' && name[17] && !strchr(name + 17, '.');
}

/* A temporary folder or file of a builder: "PREFIX.PID.XXXXXX" (older ones in the cache:
 * "tmp.XXXXXX"), and the builder's pid, 0 when the name has none. */
static int is_temporary(const char *name, const char *prefix, long *pid) {
  size_t n = strlen(prefix);
  if (strncmp(name, prefix, n) != 0 || name[n] != '.') return 0;
  char *end;
  *pid = strtol(name + n + 1, &end, 10);
  if (end == name + n + 1 || *end != '.') *pid = 0;
  return 1;
}

int ctg__remove_at(int parentfd, const char *name) {
  struct stat sb;
  if (fstatat(parentfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0) return -1;
  if (!S_ISDIR(sb.st_mode)) return unlinkat(parentfd, name, 0);
  int fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (d) {
    for (struct dirent *e; (e = readdir(d));)
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) unlinkat(fd, e->d_name, 0);
    closedir(d);
  } else if (fd >= 0) {
    close(fd);
  }
  return unlinkat(parentfd, name, AT_REMOVEDIR);
}

/* A builder that is gone: its process no longer exists (or, for names without a pid, the
 * entry is over an hour old). */
static int builder_is_gone(const struct stat *sb, long pid) {
  if (pid > 0) return pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
  return time(NULL) - sb->st_mtime > 3600;
}

void ctg__sweep_temporaries(int dirfd, const char *prefix) {
  int fd = dup(dirfd);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d) {
    if (fd >= 0) close(fd);
    return;
  }
  rewinddir(d); /* a dup shares its position with dirfd, which an earlier listing moved */
  for (struct dirent *e; (e = readdir(d));) {
    long pid;
    struct stat sb;
    if (!is_temporary(e->d_name, prefix, &pid) || fstatat(dirfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) continue;
    /* in a shared temporary folder only our own leftovers are ours to remove */
    if (sb.st_uid == geteuid() && builder_is_gone(&sb, pid)) ctg__remove_at(dirfd, e->d_name);
  }
  closedir(d);
}

int ctg__private_root(void) {
  const char *tmp = getenv("TMPDIR");
  int fd = tmp && tmp[0] ? open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  if (fd < 0) fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return fd;
}

void ctg__sweep_private(void) {
  int fd = ctg__private_root();
  if (fd < 0) return;
  ctg__sweep_temporaries(fd, CTG__PRIVATE_PREFIX);
  close(fd);
}

/* The cache checked as ctg_cache_check says: its descriptor into *fd, or -1 when it does not
 * exist yet (made on first use; the folders on the way to it must be safe already). */
static int checked_cache(int *fd, char *dir, size_t cap, ctg_error *err) {
  *fd = -1;
  int st = cache_path(dir, cap, err);
  if (st != CTG_OK) return st;
  struct stat sb;
  if (lstat(dir, &sb) != 0 && errno == ENOENT) {
    char real[PATH_MAX], up[PATH_MAX];
    snprintf(up, sizeof up, "%s", dir);
    for (;;) { /* the nearest folder on the way that exists */
      char *slash = strrchr(up, '/');
      if (!slash) break;
      if (slash == up) slash[1] = '\0';
      else *slash = '\0';
      if (realpath(up, real)) {
        ctg_error why;
        int pfd = walk_safe(real, &why);
        if (pfd < 0) {
          if (err) *err = why;
          return why.status;
        }
        close(pfd);
        break;
      }
      if (errno != ENOENT || strcmp(up, "/") == 0) break;
    }
    ctg__ok(err);
    return CTG_OK;
  }
  st = ctg__cache_dir_open(0, fd, dir, cap, err);
  if (st != CTG_OK) return st;
  unsigned char secret[32];
  if (!cache_secret(*fd, secret)) {
    close(*fd);
    *fd = -1;
    return ctg__fail(err, CTG_ERR_IO, "%s/%s: the cache's secret cannot be read or replaced", dir, SECRET_FILE);
  }
  ctg__ok(err);
  return CTG_OK;
}

int ctg_cache_check(ctg_error *err) {
  char dir[PATH_MAX];
  int fd;
  int st = checked_cache(&fd, dir, sizeof dir, err);
  if (fd >= 0) close(fd);
  return st;
}

/* What an entry is, for `cache list`: from its seal's key (format in backend_cc.c and
 * backend_nvrtc.c), the layer's name and sizes, dtype and threads. */
static void describe_entry(int dirfd, const char *name, char *out, size_t cap) {
  int fd;
  size_t size;
  snprintf(out, cap, "(not a sealed entry: ignored)");
  if (!open_ours(dirfd, name, MAX_ENTRY + MAX_KEY + FOOTER, &fd, &size)) {
    snprintf(out, cap, "(not a regular file of this user's: ignored)");
    return;
  }
  unsigned char footer[FOOTER];
  size_t kl, payload;
  if (size >= FOOTER && pread(fd, footer, FOOTER, (off_t)(size - FOOTER)) == FOOTER &&
      parse_footer(footer, size, &kl, &payload)) {
    char key[4097];
    size_t head = kl < 4096 ? kl : 4096; /* what it is comes first; a CUBIN's key goes on with its source */
    if (pread(fd, key, head, (off_t)(size - FOOTER - kl)) == (ssize_t)head) {
      key[head] = '\0';
      char layer[64] = "?", dtype[16] = "?";
      int cin = 0, cout = 0, kh = 0, kw = 0, sh = 0, sw = 0, threads = 0;
      const char *s;
      if ((s = strstr(key, " name "))) sscanf(s, " name %63s", layer);
      if ((s = strstr(key, " in_channels "))) sscanf(s, " in_channels %d", &cin);
      if ((s = strstr(key, " out_channels "))) sscanf(s, " out_channels %d", &cout);
      if ((s = strstr(key, " kernel_size "))) sscanf(s, " kernel_size %d %d", &kh, &kw);
      if ((s = strstr(key, " stride "))) sscanf(s, " stride %d %d", &sh, &sw);
      if ((s = strstr(key, " dtype "))) sscanf(s, " dtype %15s", dtype);
      if ((s = strstr(key, " threads "))) sscanf(s, " threads %d", &threads);
      if (strstr(key, " nvrtc ")) {
        char arch[32] = "?";
        if ((s = strstr(key, " arch "))) sscanf(s, " arch %31s", arch);
        snprintf(out, cap, "nvrtc  %s for %s", strncmp(arch, "compute_", 8) == 0 ? "PTX" : "CUBIN", arch);
      } else {
        snprintf(out, cap, "cc     %s: %d -> %d channels, kernel %dx%d, stride %dx%d, %s, %d thread%s", layer, cin,
                 cout, kh, kw, sh, sw, dtype, threads, threads == 1 ? "" : "s");
      }
    }
  }
  close(fd);
}

int ctg_cache_scan(int remove_entries, char *text, size_t cap, size_t *count, ctg_error *err) {
  if (!count) return ctg__fail(err, CTG_ERR_ARG, "ctg_cache_scan: count must not be NULL");
  char dir[PATH_MAX];
  *count = 0;
  if (text && cap) text[0] = '\0';
  if (remove_entries) ctg__sweep_private(); /* a dead private build's folder, wherever it lives */
  /* a symlink, someone else's, open to others or on a way others can change: neither listed
   * nor cleared */
  int dirfd;
  int st = checked_cache(&dirfd, dir, sizeof dir, err);
  if (st != CTG_OK || dirfd < 0) return st; /* (no folder yet: an empty cache) */
  if (remove_entries) ctg__sweep_temporaries(dirfd, "tmp");
  int lfd = dup(dirfd);
  DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
  if (!d) {
    if (lfd >= 0) close(lfd);
    close(dirfd);
    return ctg__fail(err, CTG_ERR_IO, "%s: cannot read the cache directory: %s", dir, strerror(errno));
  }
  rewinddir(d); /* from the start: the sweep above read dirfd's listing to its end */
  size_t used = 0;
  time_t now = time(NULL);
  for (struct dirent *e; (e = readdir(d));) {
    if (!is_entry(e->d_name)) continue;
    struct stat sb;
    if (fstatat(dirfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (remove_entries && unlinkat(dirfd, e->d_name, 0) != 0) {
      st = ctg__fail(err, CTG_ERR_IO, "%s/%s: cannot remove: %s", dir, e->d_name, strerror(errno));
      break;
    }
    (*count)++;
    if (text && used + 1 < cap) {
      char what[256];
      describe_entry(dirfd, e->d_name, what, sizeof what);
      long age = (long)(now - sb.st_mtime);
      char ago[32];
      if (age < 120) snprintf(ago, sizeof ago, "%lds ago", age < 0 ? 0 : age);
      else if (age < 7200) snprintf(ago, sizeof ago, "%ldmin ago", age / 60);
      else if (age < 172800) snprintf(ago, sizeof ago, "%ldh ago", age / 3600);
      else snprintf(ago, sizeof ago, "%ldd ago", age / 86400);
      int n = snprintf(text + used, cap - used, "%s/%s\t%lld bytes\t%s\t%s\n", dir, e->d_name, (long long)sb.st_size,
                       ago, what);
      if (n > 0) used += (size_t)n < cap - used ? (size_t)n : cap - used - 1;
    }
  }
  closedir(d);
  close(dirfd);
  return st;
}
