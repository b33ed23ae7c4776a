/* error.c: status codes and the caller-owned error struct. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Every message is one line of printable text: a spec's own error, a key, a file's header or a
 * compiler's log can hold newlines and terminal escapes, so control bytes are written as
 * \n, \t or \xNN (cut at the buffer's end, never inside an escape). */
void ctg_one_line(char *out, size_t cap, const char *in) {
  size_t n = 0;
  for (const unsigned char *c = (const unsigned char *)in; *c; c++) {
    char esc[5];
    if (*c == '\n') snprintf(esc, sizeof esc, "\\n");
    else if (*c == '\t') snprintf(esc, sizeof esc, "\\t");
    else if (*c < 0x20 || *c == 0x7f) snprintf(esc, sizeof esc, "\\x%02x", *c);
    else esc[0] = (char)*c, esc[1] = '\0';
    size_t len = strlen(esc);
    if (n + len >= cap) break;
    memcpy(out + n, esc, len);
    n += len;
  }
  out[n] = '\0';
}

int ctg__fail(ctg_error *err, ctg_status status, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    char raw[sizeof err->message];
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    ctg_one_line(err->message, sizeof err->message, raw);
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
    case CTG_ERR_ALLOC: return "out of device memory";
    default: return "unknown status";
  }
}
