/* files.c: input files opened without blocking, output files that appear complete or not at
 * all (temporary name, then rename), and whole buffers read and written through a descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int ctg__read_all(int fd, void *buf, size_t n) {
  for (size_t got = 0; got < n;) {
    ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return 0;
    got += (size_t)r;
  }
  return 1;
}

int ctg__write_all(int fd, const void *buf, size_t n) {
  for (size_t put = 0; put < n;) {
    ssize_t w = write(fd, (const char *)buf + put, n - put);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return 0;
    put += (size_t)w;
  }
  return 1;
}

int ctg__write_atomic(const char *path, int (*write)(FILE *f, void *ctx), void *ctx, ctg_error *err) {
  size_t plen = strlen(path);
  char *tmp = malloc(plen + 16);
  if (!tmp) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
  snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int st = ctg__fail(err, CTG_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    free(tmp);
    return st;
  }
  fchmod(fd, 0644); /* mkstemp makes 0600; an output is an ordinary file */
  FILE *f = fdopen(fd, "wb");
  errno = 0;
  int ok = f && write(f, ctx);
  ok = (f ? fclose(f) == 0 : (close(fd), 0)) && ok;
  if (ok && rename(tmp, path) != 0) ok = 0;
  int st = CTG_OK;
  if (!ok) {
    st = ctg__fail(err, CTG_ERR_IO, "%s: cannot write: %s", path, strerror(errno ? errno : EIO));
    unlink(tmp);
  } else {
    ctg__ok(err);
  }
  free(tmp);
  return st;
}

static int write_text(FILE *f, void *ctx) {
  const char *t = ctx;
  size_t n = strlen(t);
  return fwrite(t, 1, n, f) == n;
}

int ctg__write_text_atomic(const char *path, const char *text, ctg_error *err) {
  return ctg__write_atomic(path, write_text, (void *)(uintptr_t)text, err);
}

int ctg__open_regular(const char *path, const char *what, FILE **out, ctg_error *err) {
  *out = NULL;
  /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return ctg__fail(err, CTG_ERR_IO, "%s: cannot open %s: %s", path, what, strerror(errno));
  struct stat sb;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    close(fd);
    return ctg__fail(err, CTG_ERR_IO, "%s: cannot read %s: not a regular file (a directory, FIFO or device)",
                     path, what);
  }
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  FILE *f = fdopen(fd, "rb");
  if (!f) {
    close(fd);
    return ctg__fail(err, CTG_ERR_NOMEM, "%s: out of memory opening it", path);
  }
  *out = f;
  return CTG_OK;
}
