/* half.c: float16 (IEEE binary16: 5 exponent bits, 10 fraction bits) and bfloat16 (8 and 7: the
 * top half of a float32) as the interpreter, the check and .npy see them: exact widening, and
 * one rounding of a double to the nearest value (ties to even), as PyTorch rounds each output.
 * The generated code has its own float32 versions (templates/half.c.in); test_dtype checks
 * both against these on every 16-bit pattern and on values near every rounding boundary. */
#include <math.h>

#include "internal.h"

typedef struct format {
  int fraction;    /* fraction bits */
  int min_exp;     /* exponent of the smallest normal: 2^min_exp */
  int bias;        /* exponent bias */
  uint16_t nan;    /* the quiet NaN written for any NaN */
  double max;      /* the largest finite value */
} format;

static const format F16 = { 10, -14, 15, 0x7e00, 65504.0 };
static const format BF16 = { 7, -126, 127, 0x7fc0, 3.3895313892515355e38 };

static const format *format_of(ctg_dtype d) { return d == CTG_BFLOAT16 ? &BF16 : &F16; }

double ctg__half_widen(uint16_t bits, ctg_dtype d) {
  const format *f = format_of(d);
  const int e = (bits & 0x7fff) >> f->fraction, m = bits & ((1 << f->fraction) - 1);
  const int emax = (1 << (15 - f->fraction)) - 1;
  double v;
  if (e == emax) v = m ? NAN : INFINITY;
  else if (e == 0) v = ldexp(m, f->min_exp - f->fraction);          /* zero or subnormal */
  else v = ldexp((1 << f->fraction) + m, e - f->bias - f->fraction);
  return bits & 0x8000 ? -v : v;
}

uint16_t ctg__half_round(double v, ctg_dtype d) {
  const format *f = format_of(d);
  const uint16_t sign = signbit(v) ? 0x8000 : 0;
  const int emax = (1 << (15 - f->fraction)) - 1;
  if (v != v) return (uint16_t)(sign | f->nan);
  double a = fabs(v);
  if (a == 0) return sign;
  int e;
  (void)frexp(a, &e); /* a = m * 2^e, m in [0.5, 1): a's exponent is e - 1 */
  e -= 1;
  if (e < f->min_exp) e = f->min_exp; /* subnormals share the smallest normal's spacing */
  const double quantum = ldexp(1.0, e - f->fraction);
  /* a / quantum is exact (a power of two); nearbyint rounds to even in the default mode, which
   * is the only mode this library runs in */
  const double r = nearbyint(a / quantum) * quantum;
  if (r > f->max) return (uint16_t)(sign | (emax << f->fraction));
  if (r < ldexp(1.0, f->min_exp)) return (uint16_t)(sign | (uint16_t)(r / ldexp(1.0, f->min_exp - f->fraction)));
  int re;
  const double m = frexp(r, &re); /* r may have carried into the next binade */
  const int frac = (int)(ldexp(m, f->fraction + 1)) - (1 << f->fraction);
  return (uint16_t)(sign | ((re - 1 + f->bias) << f->fraction) | frac);
}
