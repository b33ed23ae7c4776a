/* reference.c: the interpreter, a generic ConvTranspose2d and the oracle every backend answers to
 * (int8: TensorFlow Lite's integer TRANSPOSE_CONV, itself checked against TFLite Micro).
 *
 * Gather form: each output sums the taps that land on it. Input row ih reaches output row
 * oh through kernel row kh when oh = ih*stride - padding + kh*dilation; so for each (oh, kh)
 * the candidate ih is (oh + padding - kh*dilation) / stride, valid only when that divides
 * exactly and lands inside the input. Accumulation is in double (double complex for complex
 * dtypes), whatever the dtype; the activation, if any, applies to the double sum, and each
 * output is rounded once to the dtype (float16 and bfloat16 included). Input and
 * output are NCHW, or NHWC for channels_last: only the strides differ. */
#include "internal.h"

/* The input index one tap reads for output index o, or -1 when the tap misses. */
static long tap_source(long o, long k, long stride, long pad, long dil, long in_size) {
  long t = o + pad - k * dil;
  if (t < 0 || t % stride != 0) return -1;
  t /= stride;
  return t < in_size ? t : -1;
}

/* The interpreter for one dtype (its parts' dtype, and whether parts pair into complex numbers);
 * called with constants, so each dtype gets its own loop. */
static inline void reference_loop(const ctg_params *p, const void *input, const void *weight, const void *bias,
                                  void *output, ctg_dtype kind, int cplx) {
  const long cin_g = p->in_channels / p->groups, cout_g = p->out_channels / p->groups;
  const long H = p->in_h, W = p->in_w, OH = p->out_h, OW = p->out_w;
  const long KH = p->kernel[0], KW = p->kernel[1];
  const long parts = cplx ? 2 : 1;
  const ctg__act act = ctg__activation(p);
  /* element strides of channel, row and column: NCHW, or NHWC for channels_last */
  const int cl = ctg_params_channels_last(p);
  const long in_c = cl ? 1 : H * W, in_row = cl ? W * p->in_channels : W, in_col = cl ? p->in_channels : 1;
  const long out_c = cl ? 1 : OH * OW, out_row = cl ? OW * p->out_channels : OW, out_col = cl ? p->out_channels : 1;

  for (long n = 0; n < p->batch; n++)
    for (long co = 0; co < p->out_channels; co++) {
      const long g = co / cout_g, col = co % cout_g;
      for (long oh = 0; oh < OH; oh++)
        for (long ow = 0; ow < OW; ow++) {
          double re = p->bias ? ctg__real_get(bias, (size_t)(co * parts), kind) : 0.0;
          double im = p->bias && cplx ? ctg__real_get(bias, (size_t)(co * parts + 1), kind) : 0.0;
          for (long kh = 0; kh < KH; kh++) {
            long ih = tap_source(oh, kh, p->stride[0], p->padding[0], p->dilation[0], H);
            if (ih < 0) continue;
            for (long kw = 0; kw < KW; kw++) {
              long iw = tap_source(ow, kw, p->stride[1], p->padding[1], p->dilation[1], W);
              if (iw < 0) continue;
              for (long c = 0; c < cin_g; c++) {
                long ci = g * cin_g + c;
                size_t xi = (size_t)((n * p->in_channels * H * W + ci * in_c + ih * in_row + iw * in_col) * parts);
                size_t wi = (size_t)((((ci * cout_g + col) * KH + kh) * KW + kw) * parts);
                double xr = ctg__real_get(input, xi, kind), wr = ctg__real_get(weight, wi, kind);
                if (cplx) { /* (a + ib)(c + id) = (ac - bd) + i(ad + bc) */
                  double xim = ctg__real_get(input, xi + 1, kind), wim = ctg__real_get(weight, wi + 1, kind);
                  re += xr * wr - xim * wim;
                  im += xr * wim + xim * wr;
                } else {
                  re += xr * wr;
                }
              }
            }
          }
          size_t yi = (size_t)((n * p->out_channels * OH * OW + co * out_c + oh * out_row + ow * out_col) * parts);
          ctg__real_put(output, yi, act == CTG__ACT_NONE ? re : ctg__activate(p, act, re), kind);
          if (cplx) ctg__real_put(output, yi + 1, im, kind);
        }
    }
}

/* TensorFlow Lite's MultiplyByQuantizedMultiplier with its default double rounding: a saturating
 * rounding doubling high multiply (the high 32 bits of 2*x*m, rounded half away from zero), then
 * a rounding divide by 2^-shift (half away from zero). x * 2^shift wraps as TFLite's does. */
int32_t ctg__requantize(int32_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const int32_t a = (int32_t)((uint32_t)x << left);
  int32_t high;
  if (a == INT32_MIN && multiplier == INT32_MIN) {
    high = INT32_MAX;
  } else {
    const int64_t ab = (int64_t)a * multiplier;
    const int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    high = (int32_t)((ab + nudge) / ((int64_t)1 << 31)); /* C's division truncates, as TFLite's */
  }
  const int32_t mask = (int32_t)(((int64_t)1 << right) - 1);
  const int32_t remainder = high & mask, threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (high >> right) + (remainder > threshold ? 1 : 0);
}

/* The int8 layer, as TFLite's integer TRANSPOSE_CONV computes it: int32 sums of
 * (x - input_zero_point) * w, the int32 bias, each channel's multiplier and shift, the output's
 * zero point, the activation's clamp. Sums wrap at 32 bits as TFLite's int32 do. NHWC, OHWI. */
static void reference_int8(const ctg_params *p, const int8_t *x, const int8_t *w, const int32_t *b, int8_t *y) {
  const long cin_g = p->in_channels / p->groups, cout_g = p->out_channels / p->groups;
  const long H = p->in_h, W = p->in_w, OH = p->out_h, OW = p->out_w, KH = p->kernel[0], KW = p->kernel[1];
  const long CI = p->in_channels, CO = p->out_channels;
  const ctg_quantization *q = &p->quant;
  for (long n = 0; n < p->batch; n++)
    for (long oh = 0; oh < OH; oh++)
      for (long ow = 0; ow < OW; ow++)
        for (long co = 0; co < CO; co++) {
          const long g = co / cout_g;
          uint32_t acc = 0; /* wraps */
          for (long kh = 0; kh < KH; kh++) {
            long ih = tap_source(oh, kh, p->stride[0], p->padding[0], p->dilation[0], H);
            if (ih < 0) continue;
            for (long kw = 0; kw < KW; kw++) {
              long iw = tap_source(ow, kw, p->stride[1], p->padding[1], p->dilation[1], W);
              if (iw < 0) continue;
              const int8_t *xp = x + ((n * H + ih) * W + iw) * CI + g * cin_g;
              const int8_t *wp = w + ((co * KH + kh) * KW + kw) * cin_g;
              for (long c = 0; c < cin_g; c++) acc += (uint32_t)((xp[c] - q->input_zero_point) * wp[c]);
            }
          }
          if (p->bias) acc += (uint32_t)b[co];
          const int ch = q->channels == 1 ? 0 : (int)co;
          int32_t v = ctg__requantize((int32_t)acc, q->multiplier[ch], q->shift[ch]) + q->output_zero_point;
          v = v < q->act_min ? q->act_min : v > q->act_max ? q->act_max : v;
          y[((n * OH + oh) * OW + ow) * CO + co] = (int8_t)v;
        }
}

int ctg_reference(const ctg_params *p, const void *input, const void *weight, const void *bias,
                  void *output, ctg_error *err) {
  int st = ctg__params_check(p, err);
  if (st != CTG_OK) return st;
  if ((!input || !weight || !output || (p->bias && !bias)) && p->batch > 0)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_reference: NULL tensor");
  switch (ctg_params_dtype(p)) {
    case CTG_FLOAT32: reference_loop(p, input, weight, bias, output, CTG_FLOAT32, 0); break;
    case CTG_FLOAT64: reference_loop(p, input, weight, bias, output, CTG_FLOAT64, 0); break;
    case CTG_COMPLEX64: reference_loop(p, input, weight, bias, output, CTG_FLOAT32, 1); break;
    case CTG_COMPLEX128: reference_loop(p, input, weight, bias, output, CTG_FLOAT64, 1); break;
    case CTG_FLOAT16: reference_loop(p, input, weight, bias, output, CTG_FLOAT16, 0); break;
    case CTG_BFLOAT16: reference_loop(p, input, weight, bias, output, CTG_BFLOAT16, 0); break;
    case CTG_INT8: reference_int8(p, input, weight, bias, output); break;
    case CTG_INT32: return ctg__fail(err, CTG_ERR_INTERNAL, "int32 is no layer's dtype");
  }
  ctg__ok(err);
  return CTG_OK;
}
