/* cache.c: compiled kernels on disk. An entry is named by a hash of its key and holds the full
 * key, which is compared on load: a collision, a corrupt or a truncated entry is a miss, never
 * a wrong kernel. Entries are written to a temporary name and renamed, so concurrent builders
 * of one key (threads or processes) each leave a complete file and the last rename wins. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

static const char MAGIC[8] = { 'C', 'T', 'G', 'C', 'A', 'C', 'H', '1' };

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

/* mkdir -p */
static int make_dirs(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    int bad = mkdir(path, 0755) != 0 && errno != EEXIST;
    *p = '/';
    if (bad) return -1;
  }
  return mkdir(path, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

int ctg__cache_mkdir(const char *dir, ctg_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s", dir);
  if (make_dirs(path) != 0)
    return ctg__fail(err, CTG_ERR_IO, "%s: cannot create the cache directory: %s", dir, strerror(errno));
  return CTG_OK;
}

uint64_t ctg__fnv1a(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

static int entry_path(const char *kind, const char *key, size_t keylen, char *buf, size_t cap, ctg_error *err) {
  char dir[4096];
  int st = ctg_cache_directory(dir, sizeof dir, err);
  if (st != CTG_OK) return st;
  int n = snprintf(buf, cap, "%s/%016llx.%s", dir, (unsigned long long)ctg__fnv1a(CTG__FNV_SEED, key, keylen), kind);
  if (n < 0 || (size_t)n >= cap) return ctg__fail(err, CTG_ERR_IO, "cache path is too long");
  return CTG_OK;
}

int ctg__cache_load(const char *kind, const char *key, size_t keylen, void **data, size_t *size) {
  *data = NULL;
  *size = 0;
  char path[4200];
  if (entry_path(kind, key, keylen, path, sizeof path, NULL) != CTG_OK) return 0;
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  char magic[8];
  uint64_t klen = 0, dlen = 0;
  int hit = 0;
  char *stored = NULL;
  void *payload = NULL;
  if (fread(magic, 1, 8, f) == 8 && memcmp(magic, MAGIC, 8) == 0 && fread(&klen, 8, 1, f) == 1 &&
      klen == keylen && (stored = malloc(keylen + 1)) && fread(stored, 1, keylen, f) == keylen &&
      memcmp(stored, key, keylen) == 0 && fread(&dlen, 8, 1, f) == 1 && dlen < (1ULL << 31) &&
      (payload = malloc(dlen ? dlen : 1)) && fread(payload, 1, dlen, f) == dlen && fgetc(f) == EOF) {
    hit = 1;
    *data = payload;
    *size = dlen;
  }
  fclose(f);
  free(stored);
  if (!hit) free(payload);
  return hit;
}

typedef struct entry_writer {
  const char *key;
  uint64_t keylen, size;
  const void *data;
} entry_writer;

static int write_entry(FILE *f, void *ctx) {
  const entry_writer *e = ctx;
  return fwrite(MAGIC, 1, 8, f) == 8 && fwrite(&e->keylen, 8, 1, f) == 1 &&
         fwrite(e->key, 1, e->keylen, f) == e->keylen && fwrite(&e->size, 8, 1, f) == 1 &&
         fwrite(e->data, 1, e->size, f) == e->size;
}

int ctg__cache_store(const char *kind, const char *key, size_t keylen, const void *data, size_t size,
                     ctg_error *err) {
  char dir[4096], path[4200];
  int st = ctg_cache_directory(dir, sizeof dir, err);
  if (st == CTG_OK && make_dirs(dir) != 0)
    st = ctg__fail(err, CTG_ERR_IO, "%s: cannot create the cache directory: %s", dir, strerror(errno));
  if (st == CTG_OK) st = entry_path(kind, key, keylen, path, sizeof path, err);
  if (st != CTG_OK) return st;
  entry_writer e = { key, keylen, size, data };
  return ctg__write_atomic(path, write_entry, &e, err);
}

/* Our entries: 16 hex digits, a dot, a kind. Nothing else in the directory is touched. */
static int is_entry(const char *name) {
  for (int i = 0; i < 16; i++)
    if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f'))) return 0;
  return name[16] == '.' && name[17] && !strchr(name + 17, '.');
}

int ctg_cache_scan(int remove_entries, char *text, size_t cap, size_t *count, ctg_error *err) {
  char dir[4096];
  int st = ctg_cache_directory(dir, sizeof dir, err);
  if (st != CTG_OK) return st;
  *count = 0;
  size_t used = 0;
  if (text && cap) text[0] = '\0';
  DIR *d = opendir(dir);
  if (!d) {
    if (errno == ENOENT) return CTG_OK; /* an empty cache */
    return ctg__fail(err, CTG_ERR_IO, "%s: cannot read the cache directory: %s", dir, strerror(errno));
  }
  for (struct dirent *e; (e = readdir(d));) {
    if (!is_entry(e->d_name)) continue;
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat sb;
    if (stat(path, &sb) != 0) continue;
    if (remove_entries && remove(path) != 0) {
      st = ctg__fail(err, CTG_ERR_IO, "%s: cannot remove: %s", path, strerror(errno));
      break;
    }
    (*count)++;
    if (text && used + 1 < cap) {
      int n = snprintf(text + used, cap - used, "%s\t%lld\n", path, (long long)sb.st_size);
      if (n > 0) used += (size_t)n < cap - used ? (size_t)n : cap - used - 1;
    }
  }
  closedir(d);
  return st;
}
