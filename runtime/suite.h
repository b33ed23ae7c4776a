/* suite.h: benchmark suites in the TSV format of bench/layers.tsv (the CLI's, not the library's). */
#ifndef CTG_SUITE_H
#define CTG_SUITE_H

#include <stddef.h>

#include "convtgen_tools.h"

typedef struct ctg_suite_layer {
  char name[64];
  ctg_layer layer; /* the row as a layer (layer.name points at name); ctg_spec_from_layer validates it */
} ctg_suite_layer;

/* Reads a suite file; *layers is freed with free(). Lines starting with # are comments. */
int ctg_suite_load(const char *path, ctg_suite_layer **layers, size_t *count, ctg_error *err);

#endif
