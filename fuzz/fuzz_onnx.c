/* fuzz_onnx.c: libFuzzer on the ONNX importer: any bytes as a model file (written to a private
 * temporary file, since the importer takes a path), imported into a private folder that is
 * emptied after each run. An import either fails with one line or writes what it reports.
 * Built by `make fuzz`. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "convtgen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64], dir[64];

static void empty_dir(void) {
  DIR *d = opendir(dir);
  if (!d) return;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    char p[400];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    remove(p);
  }
  closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!path[0]) {
    snprintf(path, sizeof path, "/tmp/convtgen-fuzz-onnx-%ld.onnx", (long)getpid());
    snprintf(dir, sizeof dir, "/tmp/convtgen-fuzz-onnx-%ld.out", (long)getpid());
  }
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  char *report = NULL;
  ctg_error err;
  int st = ctg_onnx_import(path, dir, 2, &report, &err);
  if (st == CTG_OK) {
    if (!report || !strstr(report, "->")) abort(); /* a success says what it wrote */
    ctg_free(report);
  } else if (strchr(err.message, '\n') || st == CTG_ERR_INTERNAL) {
    abort();
  }
  empty_dir();
  return 0;
}
