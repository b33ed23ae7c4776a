/* files.c: output files that appear complete or not at all (temporary name, then rename). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

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
