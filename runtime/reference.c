/* reference.c: the interpreter, a generic ConvTranspose2d and the oracle every backend answers to.
 *
 * Gather form: each output sums the taps that land on it. Input row ih reaches output row
 * oh through kernel row kh when oh = ih*stride - padding + kh*dilation; so for each (oh, kh)
 * the candidate ih is (oh + padding - kh*dilation) / stride, valid only when that divides
 * exactly and lands inside the input. Accumulation is in double. */
#include "internal.h"

/* The input index one tap reads for output index o, or -1 when the tap misses. */
static long tap_source(long o, long k, long stride, long pad, long dil, long in_size) {
  long t = o + pad - k * dil;
  if (t < 0 || t % stride != 0) return -1;
  t /= stride;
  return t < in_size ? t : -1;
}

int ctg_reference(const ctg_params *p, const float *input, const float *weight, const float *bias,
                  float *output, ctg_error *err) {
  int st = ctg__params_check(p, err);
  if (st != CTG_OK) return st;
  if ((!input || !weight || !output || (p->bias && !bias)) && p->batch > 0)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_reference: NULL tensor");

  const long cin_g = p->in_channels / p->groups, cout_g = p->out_channels / p->groups;
  const long H = p->in_h, W = p->in_w, OH = p->out_h, OW = p->out_w;
  const long KH = p->kernel[0], KW = p->kernel[1];

  for (long n = 0; n < p->batch; n++)
    for (long co = 0; co < p->out_channels; co++) {
      const long g = co / cout_g, col = co % cout_g;
      for (long oh = 0; oh < OH; oh++)
        for (long ow = 0; ow < OW; ow++) {
          double acc = p->bias ? bias[co] : 0.0;
          for (long kh = 0; kh < KH; kh++) {
            long ih = tap_source(oh, kh, p->stride[0], p->padding[0], p->dilation[0], H);
            if (ih < 0) continue;
            for (long kw = 0; kw < KW; kw++) {
              long iw = tap_source(ow, kw, p->stride[1], p->padding[1], p->dilation[1], W);
              if (iw < 0) continue;
              for (long c = 0; c < cin_g; c++) {
                long ci = g * cin_g + c;
                acc += (double)input[((n * p->in_channels + ci) * H + ih) * W + iw] *
                       (double)weight[((ci * cout_g + col) * KH + kh) * KW + kw];
              }
            }
          }
          output[((n * p->out_channels + co) * OH + oh) * OW + ow] = (float)acc;
        }
    }
  ctg__ok(err);
  return CTG_OK;
}
