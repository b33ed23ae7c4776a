/* batchnorm.c: a following BatchNorm2d folded into the layer's weights and bias (what the importer
 * and users who load PyTorch weights themselves need), in double whatever the dtype. */
#include <math.h>

#include "internal.h"

int ctg_fold_batchnorm(const ctg_params *p, const void *weight, const void *bias, const void *gamma,
                       const void *beta, const void *mean, const void *var, double eps, void *weight_out,
                       void *bias_out, ctg_error *err) {
  if (!p || !weight || !gamma || !beta || !mean || !var || !weight_out || !bias_out || (p->bias && !bias))
    return ctg__fail(err, CTG_ERR_ARG, "ctg_fold_batchnorm: NULL argument");
  int st = ctg__params_check(p, err);
  if (st != CTG_OK) return st;
  ctg_dtype dtype = ctg_params_dtype(p);
  if (dtype != CTG_FLOAT32 && dtype != CTG_FLOAT64 && dtype != CTG_FLOAT16 && dtype != CTG_BFLOAT16)
    return ctg__fail(err, CTG_ERR_ARG, "ctg_fold_batchnorm: the layer is %s; BatchNorm folds into float32, "
                     "float64, float16 or bfloat16 layers", p->dtype);
  if (!(eps >= 0) || !isfinite(eps)) return ctg__fail(err, CTG_ERR_ARG, "ctg_fold_batchnorm: eps must be a finite number >= 0");
  const size_t cout = (size_t)p->out_channels, cout_g = cout / (size_t)p->groups;
  const size_t cin_g = (size_t)(p->in_channels / p->groups), taps = (size_t)p->kernel[0] * (size_t)p->kernel[1];
  for (size_t co = 0; co < cout; co++)
    if (!(ctg__real_get(var, co, dtype) + eps > 0))
      return ctg__fail(err, CTG_ERR_ARG, "ctg_fold_batchnorm: var[%zu] + eps is %g; it must be positive", co,
                       ctg__real_get(var, co, dtype) + eps);
  /* weight (Cin, Cout/groups, KH, KW): input channel ci of group g feeds output channels
   * g * Cout/groups + j */
  for (size_t ci = 0; ci < (size_t)p->in_channels; ci++)
    for (size_t j = 0; j < cout_g; j++) {
      size_t co = ci / cin_g * cout_g + j;
      double scale = ctg__real_get(gamma, co, dtype) / sqrt(ctg__real_get(var, co, dtype) + eps);
      for (size_t t = 0; t < taps; t++) {
        size_t i = (ci * cout_g + j) * taps + t;
        ctg__real_put(weight_out, i, ctg__real_get(weight, i, dtype) * scale, dtype);
      }
    }
  for (size_t co = 0; co < cout; co++) {
    double scale = ctg__real_get(gamma, co, dtype) / sqrt(ctg__real_get(var, co, dtype) + eps);
    double b = p->bias ? ctg__real_get(bias, co, dtype) : 0.0;
    ctg__real_put(bias_out, co, (b - ctg__real_get(mean, co, dtype)) * scale + ctg__real_get(beta, co, dtype), dtype);
  }
  ctg__ok(err);
  return CTG_OK;
}
