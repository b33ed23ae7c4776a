/* error.c: status codes and the caller-owned error struct. */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

int ctg__fail(ctg_error *err, ctg_status status, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->status = status;
  }
  return (int)status;
}

void ctg__ok(ctg_error *err) {
  if (err) {
    err->status = CTG_OK;
    err->message[0] = '\0';
  }
}

void ctg_free(void *p) { free(p); }

const char *ctg_status_string(int status) {
  switch (status) {
    case CTG_OK: return "ok";
    case CTG_ERR_SPEC: return "invalid spec";
    case CTG_ERR_ARG: return "invalid argument";
    case CTG_ERR_IO: return "I/O error";
    case CTG_ERR_FORMAT: return "bad file format";
    case CTG_ERR_NOMEM: return "out of memory";
    case CTG_ERR_UNAVAILABLE: return "unavailable";
    case CTG_ERR_INTERNAL: return "internal error";
    default: return "unknown status";
  }
}
