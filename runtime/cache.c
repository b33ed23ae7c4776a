/* cache.c: compiled kernels on disk, safe in a shared or hostile place.
 *
 * The directory must be a real directory (never a symlink), owned by the user and writable by
 * no one else; convtgen creates it 0700. An entry is its payload (a shared object, a CUBIN)
 * followed by a seal: the full key, then a footer
 *     [u64 key length][u64 payload length][32-byte HMAC-SHA-256(secret, key || payload)]["CTGSEAL1"]
 * where the secret is 32 random bytes in DIR/seal.key (0600). An entry is used only when it is
 * a regular file of the user's, writable by no one else, opened without following symlinks,
 * read in full and its seal verified before anything is loaded: a planted, foreign, stale,
 * truncated or corrupt file is a miss and is rebuilt, and no code runs that convtgen did not
 * build. The payload starts at offset 0, so a verified object is dlopen()ed through the very
 * descriptor it was read from (/proc/self/fd/N). Entries are written to a temporary name and
 * renamed, so concurrent builders of one key each leave a complete file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
  const char *dir = getenv("CONVTGEN_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  int n;
  if (dir && dir[0]) n = snprintf(buf, cap, "%s", dir);
  else if (xdg && xdg[0]) n = snprintf(buf, cap, "%s/convtgen", xdg);
  else if (home && home[0]) n = snprintf(buf, cap, "%s/.cache/convtgen", home);
  else return ctg__fail(err, CTG_ERR_IO, "no cache directory: set CONVTGEN_CACHE_DIR (or HOME)");
  if (n < 0 || (size_t)n >= cap) return ctg__fail(err, CTG_ERR_IO, "cache directory path is too long");
  return CTG_OK;
}

/* mkdir -p; the last component 0700 (parents are the user's ordinary folders, 0755). */
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

int ctg__cache_dir(char *dir, size_t cap, int create, ctg_error *err) {
  int st = ctg_cache_directory(dir, cap, err);
  if (st != CTG_OK) return st;
  if (create) {
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    if (make_dirs(path) != 0)
      return ctg__fail(err, CTG_ERR_IO, "%s: cannot create the cache directory: %s", dir, strerror(errno));
  }
  struct stat sb;
  if (lstat(dir, &sb) != 0)
    return ctg__fail(err, CTG_ERR_IO, "%s: cannot use the cache directory: %s", dir, strerror(errno));
  if (S_ISLNK(sb.st_mode))
    return ctg__fail(err, CTG_ERR_IO, "%s: the cache directory is a symlink; point CONVTGEN_CACHE_DIR at the "
                     "real directory", dir);
  if (!S_ISDIR(sb.st_mode)) return ctg__fail(err, CTG_ERR_IO, "%s: the cache path is not a directory", dir);
  return owned_safely(&sb, dir, "cache directory", err);
}

int ctg_cache_check(ctg_error *err) {
  char dir[4096];
  struct stat sb;
  if (ctg_cache_directory(dir, sizeof dir, err) != CTG_OK) return err ? (int)err->status : CTG_ERR_IO;
  if (lstat(dir, &sb) != 0 && errno == ENOENT) { /* made, 0700, on first use */
    ctg__ok(err);
    return CTG_OK;
  }
  int st = ctg__cache_dir(dir, sizeof dir, 0, err);
  if (st == CTG_OK) ctg__ok(err);
  return st;
}

/* Opens dir/name for reading without following a symlink or blocking; it must be a regular
 * file of ours, writable by no one else, and at most max bytes. */
static int open_ours(const char *dir, const char *name, size_t max, int *fd_out, size_t *size) {
  char path[4400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return 0;
  struct stat sb;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || owned_safely(&sb, path, "file", NULL) != CTG_OK ||
      (uint64_t)sb.st_size > max) {
    close(fd);
    return 0;
  }
  *fd_out = fd;
  *size = (size_t)sb.st_size;
  return 1;
}

static int read_all(int fd, void *buf, size_t n) {
  for (size_t got = 0; got < n;) {
    ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return 0;
    got += (size_t)r;
  }
  return 1;
}

static int random_bytes(unsigned char *buf, size_t n) {
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  int ok = read_all(fd, buf, n);
  close(fd);
  return ok;
}

/* The directory's secret: read, or made once (a temporary file linked into place, so two
 * processes making it at once agree on one). */
static int cache_secret(const char *dir, unsigned char secret[32]) {
  for (int attempt = 0; attempt < 2; attempt++) {
    int fd;
    size_t size;
    if (open_ours(dir, SECRET_FILE, 32, &fd, &size)) {
      struct stat sb;
      int ok = size == 32 && fstat(fd, &sb) == 0 && (sb.st_mode & 077) == 0 && read_all(fd, secret, 32);
      close(fd);
      return ok;
    }
    char tmp[4400], path[4400];
    snprintf(tmp, sizeof tmp, "%s/tmp.%ld.seal.XXXXXX", dir, (long)getpid());
    snprintf(path, sizeof path, "%s/%s", dir, SECRET_FILE);
    unsigned char fresh[32];
    int tfd = mkstemp(tmp); /* 0600 */
    if (tfd < 0) return 0;
    int ok = random_bytes(fresh, 32) && write(tfd, fresh, 32) == 32;
    ok = close(tfd) == 0 && ok;
    if (ok && link(tmp, path) != 0 && errno != EEXIST) ok = 0;
    unlink(tmp);
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

int ctg__cache_open(const char *dir, const char *kind, const char *key, size_t keylen, ctg__cache_entry *e) {
  memset(e, 0, sizeof *e);
  e->fd = -1;
  unsigned char secret[32];
  char name[64];
  ctg__cache_entry_name(kind, key, keylen, name, sizeof name);
  int fd;
  size_t size;
  if (!cache_secret(dir, secret) || !open_ours(dir, name, MAX_ENTRY + MAX_KEY + FOOTER, &fd, &size)) return 0;
  unsigned char *data = malloc(size ? size : 1);
  const char *stored;
  size_t stored_len, payload;
  if (!data || !read_all(fd, data, size) || !parse_seal(data, size, secret, &stored, &stored_len, &payload) ||
      stored_len != keylen || memcmp(stored, key, keylen) != 0) {
    free(data);
    close(fd);
    return 0;
  }
  e->fd = fd;
  e->data = data;
  e->size = payload;
  return 1;
}

void ctg__cache_entry_close(ctg__cache_entry *e) {
  if (e->fd >= 0) close(e->fd);
  free(e->data);
  memset(e, 0, sizeof *e);
  e->fd = -1;
}

/* The seal for payload under key, secret from dir: key then footer. */
static int write_seal(FILE *f, const char *dir, const char *key, size_t keylen, const void *payload, size_t size) {
  unsigned char secret[32], footer[FOOTER];
  if (!cache_secret(dir, secret)) return 0;
  put_u64(footer, keylen);
  put_u64(footer + 8, size);
  ctg__hmac_sha256(secret, 32, key, keylen, payload, size, footer + 16);
  memcpy(footer + 48, SEAL_MAGIC, 8);
  return fwrite(key, 1, keylen, f) == keylen && fwrite(footer, 1, FOOTER, f) == FOOTER;
}

int ctg__cache_seal_file(const char *dir, const char *path, const char *key, size_t keylen, ctg_error *err) {
  FILE *f = fopen(path, "r+b");
  if (!f) return ctg__fail(err, CTG_ERR_IO, "%s: cannot open to seal: %s", path, strerror(errno));
  struct stat sb;
  unsigned char *data = NULL;
  int ok = fstat(fileno(f), &sb) == 0 && (uint64_t)sb.st_size <= MAX_ENTRY &&
           (data = malloc(sb.st_size ? (size_t)sb.st_size : 1)) && read_all(fileno(f), data, (size_t)sb.st_size) &&
           fseek(f, 0, SEEK_END) == 0 && write_seal(f, dir, key, keylen, data, (size_t)sb.st_size);
  ok = fclose(f) == 0 && ok;
  free(data);
  return ok ? CTG_OK : ctg__fail(err, CTG_ERR_IO, "%s: cannot seal the cache entry", path);
}

int ctg__cache_load(const char *kind, const char *key, size_t keylen, void **data, size_t *size) {
  *data = NULL;
  *size = 0;
  char dir[4096];
  ctg__cache_entry e;
  if (ctg__cache_dir(dir, sizeof dir, 0, NULL) != CTG_OK || !ctg__cache_open(dir, kind, key, keylen, &e)) return 0;
  *data = e.data; /* the payload is the file's start */
  *size = e.size;
  e.data = NULL;
  ctg__cache_entry_close(&e);
  return 1;
}

typedef struct entry_writer {
  const char *dir, *key;
  size_t keylen, size;
  const void *data;
} entry_writer;

static int write_entry(FILE *f, void *ctx) {
  const entry_writer *e = ctx;
  return fwrite(e->data, 1, e->size, f) == e->size && write_seal(f, e->dir, e->key, e->keylen, e->data, e->size);
}

int ctg__cache_store(const char *kind, const char *key, size_t keylen, const void *data, size_t size,
                     ctg_error *err) {
  char dir[4096], name[64], path[4200];
  int st = ctg__cache_dir(dir, sizeof dir, 1, err);
  if (st != CTG_OK) return st;
  ctg__cache_entry_name(kind, key, keylen, name, sizeof name);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  entry_writer e = { dir, key, keylen, size, data };
  return ctg__write_atomic(path, write_entry, &e, err);
}

/* Our entries: 16 hex digits, a dot, a kind. Nothing else in the directory is touched. */
static int is_entry(const char *name) {
  for (int i = 0; i < 16; i++)
    if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f'))) return 0;
  return name[16] == '.' && name[17] && !strchr(name + 17, '.');
}

/* A temporary folder or file of a builder: "tmp.PID.XXXXXX" (older ones: "tmp.XXXXXX"), and the
 * builder's pid, 0 when the name has none. */
static int is_temporary(const char *name, long *pid) {
  if (strncmp(name, "tmp.", 4) != 0) return 0;
  char *end;
  *pid = strtol(name + 4, &end, 10);
  if (end == name + 4 || *end != '.') *pid = 0;
  return 1;
}

/* Removes dir/name: a file, or a folder of files (a builder's temporary folder has no
 * subfolders). Never follows a symlink: unlink removes the link itself. */
static int remove_temporary(const char *dir, const char *name) {
  char path[4400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  struct stat sb;
  if (lstat(path, &sb) != 0) return -1;
  if (!S_ISDIR(sb.st_mode)) return unlink(path);
  DIR *d = opendir(path);
  if (d) {
    for (struct dirent *e; (e = readdir(d));) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char inner[4700];
      snprintf(inner, sizeof inner, "%s/%s", path, e->d_name);
      unlink(inner);
    }
    closedir(d);
  }
  return rmdir(path);
}

/* A builder that is gone: its process no longer exists (or, for names without a pid, the
 * folder is over an hour old). */
static int builder_is_gone(const char *dir, const char *name, long pid) {
  if (pid > 0) return pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
  char path[4400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  struct stat sb;
  return lstat(path, &sb) == 0 && time(NULL) - sb.st_mtime > 3600;
}

void ctg__cache_sweep(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  for (struct dirent *e; (e = readdir(d));) {
    long pid;
    if (is_temporary(e->d_name, &pid) && builder_is_gone(dir, e->d_name, pid)) remove_temporary(dir, e->d_name);
  }
  closedir(d);
}

/* What an entry is, for `cache list`: from its seal's key (format in backend_cc.c and
 * backend_nvrtc.c), the layer's name and sizes, dtype and threads. */
static void describe_entry(const char *dir, const char *name, char *out, size_t cap) {
  int fd;
  size_t size;
  snprintf(out, cap, "(not a sealed entry: ignored)");
  if (!open_ours(dir, name, MAX_ENTRY + MAX_KEY + FOOTER, &fd, &size)) {
    snprintf(out, cap, "(not a regular file of this user's: ignored)");
    return;
  }
  unsigned char footer[FOOTER];
  size_t kl, payload;
  if (size >= FOOTER && pread(fd, footer, FOOTER, (off_t)(size - FOOTER)) == FOOTER &&
      parse_footer(footer, size, &kl, &payload) && kl <= 4096) {
    char key[4097];
    if (pread(fd, key, (size_t)kl, (off_t)(size - FOOTER - kl)) == (ssize_t)kl) {
      key[kl] = '\0';
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
        snprintf(out, cap, "nvrtc  CUBIN for %s", arch);
      } else {
        snprintf(out, cap, "cc     %s: %d -> %d channels, kernel %dx%d, stride %dx%d, %s, %d thread%s", layer, cin,
                 cout, kh, kw, sh, sw, dtype, threads, threads == 1 ? "" : "s");
      }
    }
  }
  close(fd);
}

int ctg_cache_scan(int remove_entries, char *text, size_t cap, size_t *count, ctg_error *err) {
  char dir[4096];
  *count = 0;
  if (text && cap) text[0] = '\0';
  /* a symlink, someone else's or open to others: neither listed nor cleared */
  int st = ctg_cache_check(err);
  if (st != CTG_OK) return st;
  ctg_cache_directory(dir, sizeof dir, NULL);
  if (remove_entries) ctg__cache_sweep(dir);
  DIR *d = opendir(dir);
  if (!d && errno == ENOENT) return CTG_OK; /* an empty cache */
  if (!d) return ctg__fail(err, CTG_ERR_IO, "%s: cannot read the cache directory: %s", dir, strerror(errno));
  size_t used = 0;
  time_t now = time(NULL);
  for (struct dirent *e; (e = readdir(d));) {
    if (!is_entry(e->d_name)) continue;
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat sb;
    if (lstat(path, &sb) != 0) continue;
    if (remove_entries && unlink(path) != 0) {
      st = ctg__fail(err, CTG_ERR_IO, "%s: cannot remove: %s", path, strerror(errno));
      break;
    }
    (*count)++;
    if (text && used + 1 < cap) {
      char what[256];
      describe_entry(dir, e->d_name, what, sizeof what);
      long age = (long)(now - sb.st_mtime);
      char ago[32];
      if (age < 120) snprintf(ago, sizeof ago, "%lds ago", age < 0 ? 0 : age);
      else if (age < 7200) snprintf(ago, sizeof ago, "%ldmin ago", age / 60);
      else if (age < 172800) snprintf(ago, sizeof ago, "%ldh ago", age / 3600);
      else snprintf(ago, sizeof ago, "%ldd ago", age / 86400);
      int n = snprintf(text + used, cap - used, "%s\t%lld bytes\t%s\t%s\n", path, (long long)sb.st_size, ago, what);
      if (n > 0) used += (size_t)n < cap - used ? (size_t)n : cap - used - 1;
    }
  }
  closedir(d);
  return st;
}
