/* check.c: a kernel against the interpreter on random data, with a tolerance scaled per output. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

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

static float *alloc_floats(size_t n) { return malloc((n ? n : 1) * sizeof(float)); }

int ctg__compare(const ctg_params *p, const float *x, const float *w, const float *b,
                 const float *y, ctg_check_result *res, ctg_error *err) {
  size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
         nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
  float *want = alloc_floats(ny), *mag = alloc_floats(ny), *ax = alloc_floats(nx),
        *aw = alloc_floats(nw), *ab = alloc_floats(nb);
  int st = CTG_OK;
  if (!want || !mag || !ax || !aw || !ab) {
    st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory for the check");
    goto done;
  }
  /* the interpreter on |x|, |w|, |b| gives each output's sum of absolute terms */
  for (size_t i = 0; i < nx; i++) ax[i] = fabsf(x[i]);
  for (size_t i = 0; i < nw; i++) aw[i] = fabsf(w[i]);
  for (size_t i = 0; i < nb; i++) ab[i] = fabsf(b[i]);
  st = ctg_reference(p, x, w, b, want, err);
  if (st == CTG_OK) st = ctg_reference(p, ax, aw, ab, mag, err);
  if (st != CTG_OK) goto done;
  /* float32 rounding of K terms grows like sqrt(K) ulps; a lost or extra tap costs ~1/K */
  double terms = (double)(p->in_channels / p->groups) * p->kernel[0] * p->kernel[1] + 1;
  res->tolerance = 8.0 * sqrt(terms) * FLT_EPSILON / 2;
  res->max_scaled_error = 0;
  res->outputs = ny;
  res->worst = 0;
  res->got = ny ? y[0] : 0;
  res->want = ny ? want[0] : 0;
  for (size_t i = 0; i < ny; i++) {
    double e = fabs((double)y[i] - want[i]) / fmax(mag[i], FLT_MIN);
    if (e != e) e = INFINITY; /* NaN: an output the kernel never wrote */
    if (e > res->max_scaled_error) {
      res->max_scaled_error = e;
      res->worst = i;
      res->got = y[i];
      res->want = want[i];
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
  size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
         nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
  float *x = alloc_floats(nx), *w = alloc_floats(nw), *b = alloc_floats(nb), *y = alloc_floats(ny);
  int st = CTG_OK;
  if (!x || !w || !b || !y) {
    st = ctg__fail(err, CTG_ERR_NOMEM, "out of memory for the check");
  } else {
    uint64_t s = seed;
    ctg__random_fill(x, nx, &s);
    ctg__random_fill(w, nw, &s);
    ctg__random_fill(b, nb, &s);
    for (size_t i = 0; i < ny; i++) y[i] = NAN;
    st = ctg_kernel_forward(k, x, w, b, y, err);
    if (st == CTG_OK) st = ctg__compare(p, x, w, b, y, res, err);
  }
  free(x), free(w), free(b), free(y);
  if (st == CTG_OK) ctg__ok(err);
  return st;
}
