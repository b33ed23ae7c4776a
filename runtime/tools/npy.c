/* npy.c: NumPy .npy files: float32, float64, complex64, complex128, int8, int32, float16 and
 * bfloat16 (its bits as 16-bit integers: NumPy has no such dtype), little-endian, C order,
 * format versions 1.0 to 3.0.
 * Reads trust nothing in the file; writes go to a temporary name and are renamed into place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define MAGIC "\x93NUMPY"
#define MAX_HEADER (1u << 20)
#define MAX_DIMS 8

static int host_is_little_endian(void) {
  const uint16_t one = 1;
  return *(const unsigned char *)&one == 1;
}

/* The .npy descr of each dtype, in ctg_dtype order. */
static const char *const DESCR[] = { "<f4", "<f8", "<c8", "<c16", "|i1", "<i4", "<f2", "<u2" };
#define DESCR_COUNT (sizeof DESCR / sizeof DESCR[0])

/* Reverses the bytes of each of n parts of `part` bytes (a float, a double, or a complex's half). */
static void swap_parts(void *data, size_t n, size_t part) {
  unsigned char *b = data;
  for (size_t i = 0; i < n; i++, b += part)
    for (size_t j = 0; j < part / 2; j++) {
      unsigned char t = b[j];
      b[j] = b[part - 1 - j], b[part - 1 - j] = t;
    }
}

/* Bytes of one real part: 4 for float32 and complex64, 8 for float64 and complex128. */
static size_t part_size(ctg_dtype d) { return ctg__dtype(d)->part; }

/* --- header parsing: a Python dict literal with three known keys ---------------------- */

typedef struct cursor {
  const char *s, *end;
} cursor;

static void skip_ws(cursor *c) {
  while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n' || *c->s == '\r')) c->s++;
}

static int accept(cursor *c, char ch) {
  skip_ws(c);
  if (c->s < c->end && *c->s == ch) {
    c->s++;
    return 1;
  }
  return 0;
}

/* A quoted Python string (no escapes needed for the keys and dtypes we accept). */
static int parse_string(cursor *c, char *out, size_t cap) {
  skip_ws(c);
  if (c->s >= c->end || (*c->s != '\'' && *c->s != '"')) return 0;
  char q = *c->s++;
  size_t n = 0;
  while (c->s < c->end && *c->s != q) {
    /* a NUL or control byte would cut the string short in C ('<f4\\0x' is not '<f4') */
    if (n + 1 >= cap || *c->s == '\\' || (unsigned char)*c->s < 0x20) return 0;
    out[n++] = *c->s++;
  }
  if (c->s >= c->end) return 0;
  c->s++;
  out[n] = '\0';
  return 1;
}

static int parse_word(cursor *c, const char *word) {
  skip_ws(c);
  size_t n = strlen(word);
  if ((size_t)(c->end - c->s) < n || memcmp(c->s, word, n) != 0) return 0;
  c->s += n;
  return 1;
}

static int parse_shape(cursor *c, int *ndim, int64_t *shape) {
  if (!accept(c, '(')) return 0;
  *ndim = 0;
  for (;;) {
    if (accept(c, ')')) return 1;
    skip_ws(c);
    if (c->s >= c->end || *c->s < '0' || *c->s > '9' || *ndim == MAX_DIMS) return 0;
    int64_t v = 0;
    while (c->s < c->end && *c->s >= '0' && *c->s <= '9') {
      if (v > (INT64_MAX - 9) / 10) return 0;
      v = v * 10 + (*c->s++ - '0');
    }
    if (c->s < c->end && *c->s == 'L') c->s++; /* Python 2 longs in old files */
    shape[(*ndim)++] = v;
    if (!accept(c, ',')) return accept(c, ')');
  }
}

static int parse_header(const char *path, const char *text, size_t len, ctg_tensor *t,
                        ctg_error *err) {
  cursor c = { text, text + len };
  char key[32], descr[32] = "";
  int have_descr = 0, have_order = 0, have_shape = 0, fortran = 0;
  if (!accept(&c, '{')) goto bad;
  for (;;) {
    if (accept(&c, '}')) break;
    if (!parse_string(&c, key, sizeof key) || !accept(&c, ':')) goto bad;
    if (strcmp(key, "descr") == 0) {
      if (!parse_string(&c, descr, sizeof descr)) goto bad;
      have_descr = 1;
    } else if (strcmp(key, "fortran_order") == 0) {
      if (parse_word(&c, "True")) fortran = 1;
      else if (!parse_word(&c, "False")) goto bad;
      have_order = 1;
    } else if (strcmp(key, "shape") == 0) {
      if (!parse_shape(&c, &t->ndim, t->shape)) goto bad;
      have_shape = 1;
    } else {
      return ctg__fail(err, CTG_ERR_FORMAT, "%s: .npy header has an unknown key '%s'", path, key);
    }
    if (accept(&c, '}')) break;
    if (!accept(&c, ',')) goto bad;
  }
  skip_ws(&c);
  if (c.s != c.end || !have_descr || !have_order || !have_shape) goto bad;
  int known = 0;
  for (unsigned d = 0; d < DESCR_COUNT && !known; d++)
    if (strcmp(descr, DESCR[d]) == 0) t->dtype = (ctg_dtype)d, known = 1;
  if (strcmp(descr, "<i1") == 0) t->dtype = CTG_INT8, known = 1; /* a byte has no order: both spellings */
  /* NumPy has no bfloat16: its bits as unsigned or signed 16-bit integers (t.view(torch.int16)) */
  if (strcmp(descr, "<i2") == 0) t->dtype = CTG_BFLOAT16, known = 1;
  if (!known)
    return ctg__fail(err, CTG_ERR_FORMAT, "%s: dtype is '%s'; convtgen reads little-endian float32, float64, "
                     "complex64, complex128, int8, int32, float16 or bfloat16 bits ('<f4', '<f8', '<c8', '<c16', "
                     "'|i1', '<i4', '<f2', '<u2' or '<i2')", path, descr);
  if (fortran)
    return ctg__fail(err, CTG_ERR_FORMAT, "%s: array is in Fortran order; save it in C order "
                     "(numpy.ascontiguousarray)", path);
  return CTG_OK;
bad:
  return ctg__fail(err, CTG_ERR_FORMAT, "%s: malformed .npy header (expected a dict with descr, "
                   "fortran_order and shape)", path);
}

int ctg_npy_load(const char *path, ctg_tensor *out, ctg_error *err) {
  if (!path || !out) return ctg__fail(err, CTG_ERR_ARG, "ctg_npy_load: NULL argument");
  memset(out, 0, sizeof *out);
  FILE *f;
  int opened = ctg__open_regular(path, ".npy file", &f, err);
  if (opened != CTG_OK) return opened;
  ctg_tensor t = { 0 };
  char *header = NULL;
  int st = CTG_OK;
  unsigned char pre[12];
  struct stat sb;
  if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
    st = ctg__fail(err, CTG_ERR_IO, "%s: not a regular file", path);
    goto done;
  }
  if (fread(pre, 1, 8, f) != 8 || memcmp(pre, MAGIC, 6) != 0) {
    st = ctg__fail(err, CTG_ERR_FORMAT, "%s: not a .npy file (no \\x93NUMPY magic)", path);
    goto done;
  }
  int major = pre[6];
  size_t hlen, prefix;
  if (major == 1) {
    if (fread(pre + 8, 1, 2, f) != 2) goto truncated;
    hlen = pre[8] | (size_t)pre[9] << 8;
    prefix = 10;
  } else if (major == 2 || major == 3) {
    if (fread(pre + 8, 1, 4, f) != 4) goto truncated;
    hlen = pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
    prefix = 12;
  } else {
    st = ctg__fail(err, CTG_ERR_FORMAT, "%s: unsupported .npy format version %d.%d", path, major,
                   pre[7]);
    goto done;
  }
  if (hlen > MAX_HEADER) {
    st = ctg__fail(err, CTG_ERR_FORMAT, "%s: .npy header is %zu bytes long, over the %u KiB limit", path,
                   hlen, MAX_HEADER >> 10);
    goto done;
  }
  if (prefix + hlen > (size_t)sb.st_size) {
    st = ctg__fail(err, CTG_ERR_FORMAT, "%s: .npy header claims %zu bytes but the file has only %lld",
                   path, hlen, (long long)sb.st_size - (long long)prefix);
    goto done;
  }
  header = malloc(hlen + 1);
  if (!header) {
    st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory");
    goto done;
  }
  if (fread(header, 1, hlen, f) != hlen) goto truncated;
  header[hlen] = '\0';
  st = parse_header(path, header, hlen, &t, err);
  if (st != CTG_OK) goto done;

  size_t numel = 1, esize = ctg_dtype_size(t.dtype);
  for (int i = 0; i < t.ndim; i++) {
    if (t.shape[i] != 0 && numel > SIZE_MAX / esize / (size_t)t.shape[i]) {
      st = ctg__fail(err, CTG_ERR_FORMAT, "%s: shape is too large", path);
      goto done;
    }
    numel *= (size_t)t.shape[i];
  }
  size_t expect = numel * esize, have = (size_t)sb.st_size - prefix - hlen;
  if (have < expect) {
    st = ctg__fail(err, CTG_ERR_FORMAT, "%s: truncated: the shape needs %zu data bytes, the file has %zu",
                   path, expect, have);
    goto done;
  }
  if (have > expect) {
    st = ctg__fail(err, CTG_ERR_FORMAT, "%s: %zu unexpected bytes after the data", path, have - expect);
    goto done;
  }
  t.numel = numel;
  t.data = malloc(expect ? expect : 1);
  if (!t.data) {
    st = ctg__fail(err, CTG_ERR_NOMEM, "%s: out of memory for %zu bytes", path, expect);
    goto done;
  }
  if (fread(t.data, 1, expect, f) != expect) goto truncated;
  if (!host_is_little_endian()) swap_parts(t.data, expect / part_size(t.dtype), part_size(t.dtype));
  goto done;
truncated:
  st = ctg__fail(err, CTG_ERR_FORMAT, "%s: file is truncated", path);
done:
  fclose(f);
  free(header);
  if (st != CTG_OK) {
    free(t.data);
    return st;
  }
  *out = t;
  ctg__ok(err);
  return CTG_OK;
}

void ctg_tensor_free(ctg_tensor *t) {
  if (!t) return;
  free(t->data);
  memset(t, 0, sizeof *t);
}

/* --- writing ------------------------------------------------------------------------- */

typedef struct npy_writer {
  const char *header;
  size_t hlen;
  ctg_tensor t;
} npy_writer;

static int write_npy(FILE *f, void *ctx) {
  const npy_writer *w = ctx;
  const ctg_tensor *t = &w->t;
  const char *header = w->header;
  size_t hlen = w->hlen;
  unsigned char pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hlen & 0xff),
                            (unsigned char)(hlen >> 8) };
  if (fwrite(pre, 1, 10, f) != 10 || fwrite(header, 1, hlen, f) != hlen) return 0;
  if (t->numel == 0) return 1; /* an empty tensor may come with a NULL pointer */
  size_t esize = ctg_dtype_size(t->dtype), part = part_size(t->dtype);
  if (host_is_little_endian()) return fwrite(t->data, esize, t->numel, f) == t->numel;
  const unsigned char *b = t->data;
  for (size_t i = 0; i < t->numel * esize / part; i++) {
    unsigned char v[8];
    memcpy(v, b + i * part, part);
    swap_parts(v, 1, part);
    if (fwrite(v, part, 1, f) != 1) return 0;
  }
  return 1;
}

int ctg_npy_save(const char *path, ctg_dtype dtype, int ndim, const int64_t *shape, const void *data,
                 ctg_error *err) {
  if (!path || (ndim > 0 && !shape) || ndim < 0 || ndim > MAX_DIMS || (unsigned)dtype >= DESCR_COUNT)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_npy_save: bad arguments");
  char header[512];
  int n = snprintf(header, sizeof header, "{'descr': '%s', 'fortran_order': False, 'shape': (", DESCR[dtype]);
  size_t numel = 1;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] < 0) return ctg__fail(err, CTG_ERR_ARG, "ctg_npy_save: negative dimension");
    n += snprintf(header + n, sizeof header - (size_t)n, "%lld%s", (long long)shape[i],
                  ndim == 1 ? "," : (i + 1 < ndim ? ", " : ""));
    numel *= (size_t)shape[i];
  }
  n += snprintf(header + n, sizeof header - (size_t)n, "), }");
  if (numel > 0 && !data) return ctg__fail(err, CTG_ERR_ARG, "ctg_npy_save: NULL data");
  /* pad with spaces so the data starts 64-byte aligned, and end with a newline */
  size_t hlen = (size_t)n + 1;
  while ((10 + hlen) % 64) hlen++;
  memset(header + n, ' ', hlen - (size_t)n - 1);
  header[hlen - 1] = '\n';

  npy_writer ctx = { header, hlen, { .numel = numel, .dtype = dtype, .data = (void *)(uintptr_t)data } };
  return ctg__write_atomic(path, write_npy, &ctx, err);
}
