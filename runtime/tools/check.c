/* check.c: a kernel against the interpreter on random data, with a tolerance scaled per output
 * (int8: bit-exact). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void ctg__random_fill(float *v, size_t n, uint64_t *seed) {
  for (size_t i = 0; i < n; i++) {
    uint64_t r = splitmix64(seed);
    float mag = 0.0625f + 0.9375f * (float)(r >> 40) / (float)(1 << 24);
    v[i] = (r & 1) ? -mag : mag;
  }
}

/* Fills n elements of dtype d from seed, each part as ctg__random_fill draws it. */
void ctg__random_fill_dtype(void *v, size_t n, ctg_dtype d, uint64_t *seed) {
  const ctg__dtype_info *t = ctg__dtype(d);
  if (d == CTG_INT8 || d == CTG_INT32) { /* every int8; int32 biases of the size int8 sums reach */
    for (size_t i = 0; i < n; i++) {
      uint64_t r = splitmix64(seed);
      if (d == CTG_INT8) ((int8_t *)v)[i] = (int8_t)(int)((r >> 32) % 256 - 128);
      else ((int32_t *)v)[i] = (int32_t)((r >> 32) % 131072) - 65536;
    }
    return;
  }
  size_t parts = n * (t->complex ? 2 : 1);
  if (t->half) { /* the float32 values below, rounded once to the dtype */
    for (size_t i = 0; i < n; i++) {
      float f;
      ctg__random_fill(&f, 1, seed);
      ((uint16_t *)v)[i] = ctg__half_round(f, d);
    }
    return;
  }
  if (t->part == 4) {
    ctg__random_fill(v, parts, seed);
    return;
  }
  double *x = v;
  for (size_t i = 0; i < parts; i++) {
    uint64_t r = splitmix64(seed);
    double mag = 0.0625 + 0.9375 * (double)(r >> 11) / 9007199254740992.0;
    x[i] = (r & 1) ? -mag : mag;
  }
}

/* Element i of a tensor of dtype d as (re, im). */
static void element(const void *t, size_t i, ctg_dtype d, double *re, double *im) {
  *re = *im = 0;
  switch (d) {
    case CTG_COMPLEX64: *re = ctg__real_get(t, 2 * i, CTG_FLOAT32), *im = ctg__real_get(t, 2 * i + 1, CTG_FLOAT32); break;
    case CTG_COMPLEX128: *re = ctg__real_get(t, 2 * i, CTG_FLOAT64), *im = ctg__real_get(t, 2 * i + 1, CTG_FLOAT64); break;
    case CTG_INT8: *re = ((const int8_t *)t)[i]; break;
    case CTG_INT32: *re = ((const int32_t *)t)[i]; break;
    default: *re = ctg__real_get(t, i, d); /* float32, float64, float16, bfloat16 */
  }
}

/* |element| of each of n elements, as doubles (malloc'd). */
static double *moduli(const void *t, size_t n, ctg_dtype d) {
  double *m = malloc((n ? n : 1) * sizeof *m);
  for (size_t i = 0; m && i < n; i++) {
    double re, im;
    element(t, i, d, &re, &im);
    m[i] = hypot(re, im);
  }
  return m;
}

/* int8: bit-exact or wrong. max_scaled_error is the largest difference in int8 steps. */
static int compare_int8(const ctg_params *p, const void *x, const void *w, const void *b, const int8_t *y,
                        ctg_check_result *res, ctg_error *err) {
  size_t ny = ctg_params_numel(p, CTG_OUTPUT);
  int8_t *want = malloc(ny ? ny : 1);
  if (!want) return ctg__fail(err, CTG_ERR_NOMEM, "out of memory for the check");
  int st = ctg_reference(p, x, w, b, want, err);
  res->tolerance = 0;
  res->max_scaled_error = 0;
  res->outputs = ny;
  res->worst = 0;
  res->got = ny ? y[0] : 0, res->want = ny ? want[0] : 0;
  res->got_imag = res->want_imag = 0;
  for (size_t i = 0; st == CTG_OK && i < ny; i++) {
    double e = fabs((double)y[i] - want[i]);
    if (e > res->max_scaled_error) res->max_scaled_error = e, res->worst = i, res->got = y[i], res->want = want[i];
  }
  res->passed = res->max_scaled_error == 0;
  free(want);
  return st;
}

int ctg__compare(const ctg_params *p, const void *x, const void *w, const void *b,
                 const void *y, ctg_check_result *res, ctg_error *err) {
  const ctg_dtype d = ctg_params_dtype(p);
  if (d == CTG_INT8) return compare_int8(p, x, w, b, y, res, err);
  const int cplx = ctg__dtype(d)->complex, single = ctg__dtype(d)->part == 4, half = ctg__dtype(d)->half;
  const double eps = single || half ? FLT_EPSILON : DBL_EPSILON;
  /* float16 / bfloat16: sums in float32, then each output rounded once, as the interpreter's
   * is: the two roundings may land one unit in the last place apart */
  const double rounding = d == CTG_FLOAT16 ? ldexp(1, -10) : d == CTG_BFLOAT16 ? ldexp(1, -7) : 0;
  const double tiny = d == CTG_FLOAT16 ? ldexp(1, -14) : single || half ? FLT_MIN : DBL_MIN;
  size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
         nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
  /* the interpreter on |x|, |w|, |b| (a float64 layer of the same shape) gives each output's
   * sum of absolute terms */
  ctg_params pm = *p;
  snprintf(pm.dtype, sizeof pm.dtype, "float64");
  snprintf(pm.activation, sizeof pm.activation, "none"); /* magnitudes of the sum, before it */
  void *want = malloc((ny ? ny : 1) * ctg_dtype_size(d));
  double *mag = malloc((ny ? ny : 1) * sizeof(double));
  double *ax = moduli(x, nx, d), *aw = moduli(w, nw, d), *ab = moduli(b, p->bias ? nb : 0, d);
  int st = CTG_OK;
  if (!want || !mag || !ax || !aw || !ab) {
    st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory for the check");
    goto done;
  }
  st = ctg_reference(p, x, w, b, want, err);
  if (st == CTG_OK) st = ctg_reference(&pm, ax, aw, ab, mag, err);
  if (st != CTG_OK) goto done;
  /* rounding of K terms grows like sqrt(K) ulps; a lost or extra tap costs ~1/K. A complex
   * product is two real products per part. */
  double terms = (double)(p->in_channels / p->groups) * p->kernel[0] * p->kernel[1] * (cplx ? 2 : 1) + 1;
  res->tolerance = 8.0 * sqrt(terms) * eps / 2 + rounding;
  const double slope = ctg__activation(p) == CTG__ACT_LEAKY_RELU ? fmax(1.0, fabs(p->activation_a)) : 1.0;
  res->max_scaled_error = 0;
  res->outputs = ny;
  res->worst = 0;
  res->got = res->want = res->got_imag = res->want_imag = 0;
  if (ny) {
    element(y, 0, d, &res->got, &res->got_imag);
    element(want, 0, d, &res->want, &res->want_imag);
  }
  for (size_t i = 0; i < ny; i++) {
    double gr, gi, wr, wi;
    element(y, i, d, &gr, &gi);
    element(want, i, d, &wr, &wi);
    /* an activation moves an error by at most its largest slope, and adds its own rounding,
     * relative to its value (a sigmoid near 0.5 from a sum near 0) */
    double scale = fmax(fmax(mag[i] * slope, hypot(wr, wi)), tiny);
    double e = gr == wr && gi == wi ? 0.0 : hypot(gr - wr, gi - wi) / scale; /* equal infinities agree */
    if (e != e) e = INFINITY; /* NaN: an output the kernel never wrote */
    if (e > res->max_scaled_error) {
      res->max_scaled_error = e;
      res->worst = i;
      res->got = gr, res->got_imag = gi;
      res->want = wr, res->want_imag = wi;
    }
  }
  res->passed = res->max_scaled_error <= res->tolerance;
done:
  free(want), free(mag), free(ax), free(aw), free(ab);
  return st;
}

int ctg_check(const ctg_kernel *k, uint64_t seed, ctg_check_result *res, ctg_error *err) {
  if (!k || !res) return ctg__fail(err, CTG_ERR_ARG, "ctg_check: NULL argument");
  const ctg_params *p = ctg_kernel_params(k);
  const ctg_dtype d = ctg_params_dtype(p), db = ctg_params_tensor_dtype(p, CTG_BIAS);
  const size_t es = ctg_dtype_size(d);
  size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
         nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
  void *x = malloc(nx * es + 1), *w = malloc(nw * es + 1), *b = malloc(nb * ctg_dtype_size(db) + 1),
       *y = malloc(ny * es + 1);
  int st = CTG_OK;
  if (!x || !w || !b || !y) {
    st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory for the check");
  } else if (d == CTG_INT8) {
    uint64_t s = seed;
    ctg__random_fill_dtype(x, nx, d, &s);
    ctg__random_fill_dtype(w, nw, d, &s);
    ctg__random_fill_dtype(b, nb, db, &s);
    /* twice, over two fillings of the output: an output never written fails one of them */
    for (int fill = 0x5a; st == CTG_OK && fill <= 0xa5; fill += 0x4b) {
      memset(y, fill, ny);
      st = ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, w, b, y, err);
      if (st == CTG_OK) st = ctg__compare(p, x, w, b, y, res, err);
      if (st == CTG_OK && !res->passed) break;
    }
  } else {
    uint64_t s = seed;
    ctg__random_fill_dtype(x, nx, d, &s);
    ctg__random_fill_dtype(w, nw, d, &s);
    ctg__random_fill_dtype(b, nb, d, &s);
    /* NaN in every part, so an output the kernel never writes fails */
    const ctg_dtype part = ctg__dtype(d)->half ? d : ctg__dtype(d)->part == 4 ? CTG_FLOAT32 : CTG_FLOAT64;
    size_t parts = ny * es / ctg__dtype(d)->part;
    for (size_t i = 0; i < parts; i++) ctg__real_put(y, i, NAN, part);
    st = ctg_kernel_run(k, ctg_kernel_params(k)->batch, x, w, b, y, err);
    if (st == CTG_OK) st = ctg__compare(p, x, w, b, y, res, err);
  }
  free(x), free(w), free(b), free(y);
  if (st == CTG_OK) ctg__ok(err);
  return st;
}
