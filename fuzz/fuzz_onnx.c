/* fuzz_onnx.c: libFuzzer on the ONNX importer: any bytes as a model, imported in memory in the
 * importer's fuzzing mode (every node read and checked, no Lua spec validation, nothing
 * written: about a thousand times faster), and one input in 64 the whole way, as `convtgen
 * import` does (written to a private temporary file, since the importer takes a path, imported
 * into a private folder that is emptied after each run). An import either fails with one line
 * or writes what it reports. Built by `make fuzz`. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

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
  ctg_error err;
  int st = ctg__onnx_import_memory("model.onnx", data, size, NULL, 2, 0, NULL, &err);
  if (st != CTG_OK && (strchr(err.message, '\n') || st == CTG_ERR_INTERNAL)) abort();
  static unsigned runs;
  if (runs++ % 64) return 0;
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  char *report = NULL;
  st = ctg_onnx_import(path, dir, 2, &report, &err);
  if (st == CTG_OK) {
    if (!report || !strstr(report, "->")) abort(); /* a success says what it wrote */
    ctg_free(report);
  } else if (strchr(err.message, '\n') || st == CTG_ERR_INTERNAL) {
    abort();
  }
  empty_dir();
  return 0;
}
