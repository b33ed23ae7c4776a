/* suite.c: reads a benchmark suite: one layer per TSV row,
 * name n cin h w cout kh kw sh sw ph pw oph opw dh dw groups bias. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { NUMS = 17 };

static int fail(ctg_error *err, ctg_status st, const char *msg) {
  err->status = st;
  snprintf(err->message, sizeof err->message, "%s", msg);
  return st;
}

int ctg_suite_load(const char *path, ctg_suite_layer **layers, size_t *count, ctg_error *err) {
  *layers = NULL;
  *count = 0;
  char msg[512];
  FILE *f;
  int opened = ctg__open_regular(path, "suite", &f, err); /* a FIFO is refused, never waited on */
  if (opened != CTG_OK) return opened;
  size_t cap = 0;
  char line[1024];
  int lineno = 0, st = CTG_OK;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0') continue;
    char name[64];
    long v[NUMS];
    char *p = line, *end;
    size_t n = strcspn(p, "\t");
    int ok = n > 0 && n < sizeof name && p[n] == '\t';
    if (ok) {
      memcpy(name, p, n);
      name[n] = '\0';
      p += n;
    }
    for (int i = 0; ok && i < NUMS; i++) {
      errno = 0;
      v[i] = strtol(p, &end, 10);
      ok = end != p && !errno && v[i] >= 0 && v[i] < (1L << 30);
      p = end;
    }
    if (ok) ok = p[strspn(p, " \t\r\n")] == '\0';
    if (!ok) {
      snprintf(msg, sizeof msg, "%s:%d: expected a name and %d non-negative integers separated by tabs",
               path, lineno, NUMS);
      st = fail(err, CTG_ERR_FORMAT, msg);
      break;
    }
    if (*count == cap) {
      cap = cap ? cap * 2 : 16;
      ctg_suite_layer *grown = realloc(*layers, cap * sizeof **layers);
      if (!grown) {
        st = fail(err, CTG_ERR_NOMEM, "out of memory");
        break;
      }
      *layers = grown;
    }
    ctg_suite_layer *l = &(*layers)[(*count)++];
    snprintf(l->name, sizeof l->name, "%s", name);
    /* a C identifier: anything else becomes '_' */
    for (char *c = l->name; *c; c++)
      if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_')) *c = '_';
    ctg_layer_init(&l->layer);
    l->layer.input_rank = 4;
    for (int d = 0; d < 4; d++) l->layer.input_shape[d] = (int)v[d];
    l->layer.in_channels = (int)v[1];
    l->layer.out_channels = (int)v[4];
    for (int d = 0; d < 2; d++) {
      l->layer.kernel_size[d] = (int)v[5 + d];
      l->layer.stride[d] = (int)v[7 + d];
      l->layer.padding[d] = (int)v[9 + d];
      l->layer.output_padding[d] = (int)v[11 + d];
      l->layer.dilation[d] = (int)v[13 + d];
    }
    l->layer.groups = (int)v[15];
    l->layer.bias = v[16] != 0;
  }
  for (size_t i = 0; i < *count; i++) (*layers)[i].layer.name = (*layers)[i].name; /* after the last realloc */
  fclose(f);
  if (st == CTG_OK && *count == 0) {
    snprintf(msg, sizeof msg, "%s: the suite has no layers", path);
    st = fail(err, CTG_ERR_FORMAT, msg);
  }
  if (st != CTG_OK) {
    free(*layers);
    *layers = NULL;
    *count = 0;
  }
  return st;
}
