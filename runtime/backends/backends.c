/* backends.c: the backend registry: names, and the table of operations of each. Adding a
 * backend is one file with its table and one line here. */
#include <string.h>

#include "internal.h"

static const ctg__backend *const BACKENDS[] = { &ctg__backend_interp, &ctg__backend_tcc, &ctg__backend_cc,
                                                &ctg__backend_nvrtc }; /* ORDER ctg_backend */
#define BACKEND_COUNT (sizeof BACKENDS / sizeof BACKENDS[0])

const ctg__backend *ctg__backend_of(ctg_backend id) {
  return (unsigned)id < BACKEND_COUNT ? BACKENDS[id] : NULL;
}

const char *ctg_backend_name(ctg_backend backend) {
  if (backend == CTG_BACKEND_AUTO) return "auto";
  const ctg__backend *b = ctg__backend_of(backend);
  return b ? b->name : "unknown";
}

int ctg_backend_from_name(const char *name, ctg_backend *out, ctg_error *err) {
  if (!out) return ctg__fail(err, CTG_ERR_ARG, "ctg_backend_from_name: NULL argument");
  for (unsigned i = 0; name && i <= BACKEND_COUNT; i++)
    if (strcmp(name, ctg_backend_name((ctg_backend)i)) == 0) {
      *out = (ctg_backend)i;
      return CTG_OK;
    }
  return ctg__fail(err, CTG_ERR_ARG, "unknown backend '%s' (expected interp, tcc, cc, nvrtc or auto)",
                   name ? name : "(null)");
}
