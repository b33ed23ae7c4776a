/* sweep_configs.c: the differential sweep's layers. */
#include <stdint.h>
#include <stdio.h>

#include "sweep_configs.h"
#include "testutil.h"

const char *const SWEEP_UNROLLS[4] = { "auto", "none", "full", "taps" };
const char *const SWEEP_ACTIVATIONS[SWEEP_ACTIVATION_COUNT] = {
  "nil", "'relu'", "{'leaky_relu', 0.2}", "'tanh'", "'sigmoid'", "{'clamp', -0.5, 0.75}",
};

static uint64_t rng_state;
static int pick(int lo, int hi) {
  float r = (tu_rand(&rng_state) + 1.0f) / 2.0f;
  int v = lo + (int)(r * (float)(hi - lo + 1));
  return v > hi ? hi : v;
}

void sweep_random_config(config *c_out, int i) {
  rng_state = 2024u + 7919u * (uint64_t)i;
  config c = { 0 };
  int kind = pick(0, 9);
  c.groups = kind == 0 ? 4 : kind == 1 ? 2 : 1;
  c.cin = c.groups * pick(1, 3);
  c.cout = c.groups * pick(1, 3);
  if (kind == 2) { /* depthwise, sometimes with a channel multiplier */
    c.cin = c.groups = pick(2, 6);
    c.cout = c.cin * pick(1, 2);
  }
  c.kh = pick(1, 7);
  c.kw = pick(0, 2) ? c.kh : pick(1, 7);
  c.sh = pick(1, 4);
  c.sw = pick(0, 2) ? c.sh : pick(1, 4);
  c.dh = pick(1, 3);
  c.dw = pick(0, 2) ? c.dh : pick(1, 3);
  c.ph = pick(0, c.dh * (c.kh - 1));
  c.pw = pick(0, c.dw * (c.kw - 1));
  int mh = (c.sh > c.dh ? c.sh : c.dh) - 1, mw = (c.sw > c.dw ? c.sw : c.dw) - 1;
  c.oph = pick(0, 2) ? pick(0, mh) : mh; /* the largest legal value often */
  c.opw = pick(0, 2) ? pick(0, mw) : mw;
  c.h = pick(0, 5) ? pick(1, 9) : 1;
  c.w = pick(0, 5) ? pick(1, 9) : 1;
  c.n = pick(0, 3); /* 0 = unbatched */
  c.bias = pick(0, 3) != 0;
  c.use_output_size = pick(0, 7) == 0;
  c.unroll = SWEEP_UNROLLS[i % 4];
  /* drawn last, so every other choice of each config stays what it was */
  c.asymmetric = pick(0, 3) == 0;
  if (c.asymmetric) { /* padding {top, left, bottom, right} */
    c.peh = pick(0, c.dh * (c.kh - 1));
    c.pew = pick(0, c.dw * (c.kw - 1));
  }
  c.act = pick(0, 3) == 0 ? pick(1, SWEEP_ACTIVATION_COUNT - 1) : 0; /* after padding, for the same reason */
  c.channels_last = pick(0, 3) == 0; /* last of all, likewise */
  *c_out = c;
}

void sweep_spec_text(const config *c, char *buf, size_t cap) {
  char shape[64], extra[96] = "", pad[64];
  int peh = c->asymmetric ? c->peh : c->ph, pew = c->asymmetric ? c->pew : c->pw;
  if (c->asymmetric) snprintf(pad, sizeof pad, "{%d, %d, %d, %d}", c->ph, c->pw, peh, pew);
  else snprintf(pad, sizeof pad, "{%d, %d}", c->ph, c->pw);
  if (c->n) snprintf(shape, sizeof shape, "{%d, %d, %d, %d}", c->n, c->cin, c->h, c->w);
  else snprintf(shape, sizeof shape, "{%d, %d, %d}", c->cin, c->h, c->w);
  if (c->use_output_size) {
    /* ask for the size that output_padding would give; normalization must find it again */
    int oh = (c->h - 1) * c->sh - c->ph - peh + c->dh * (c->kh - 1) + c->oph + 1;
    int ow = (c->w - 1) * c->sw - c->pw - pew + c->dw * (c->kw - 1) + c->opw + 1;
    snprintf(extra, sizeof extra, "output_size = {%d, %d}", oh, ow);
  } else {
    snprintf(extra, sizeof extra, "output_padding = {%d, %d}", c->oph, c->opw);
  }
  snprintf(buf, cap,
           "return {in_channels = %d, out_channels = %d, groups = %d, kernel_size = {%d, %d}, "
           "stride = {%d, %d}, padding = %s, dilation = {%d, %d}, %s, bias = %s, "
           "unroll = '%s', input_shape = %s, activation = %s, memory_format = '%s'}",
           c->cin, c->cout, c->groups, c->kh, c->kw, c->sh, c->sw, pad, c->dh, c->dw, extra,
           c->bias ? "true" : "false", c->unroll, shape, SWEEP_ACTIVATIONS[c->act],
           c->channels_last ? "channels_last" : "contiguous");
}

/* Layers that take each vector shape on every ISA profile (float32, float64, then complex's
 * phase_matmul), named for one unit; test_answers in test_aot.c knows the first 13 by index. */
const char *const VECTOR_SHAPE_LAYERS[] = {
  /* matmul_shuffle: kernel == stride, rows of 16+, kernel widths 1 and 2 and 3, groups */
  "return {name = 'a_mm1', in_channels = 6, out_channels = 5, kernel_size = 2, stride = 2, input_shape = {2, 6, 3, 20}}",
  "return {name = 'a_mm2', in_channels = 4, out_channels = 6, groups = 2, kernel_size = {1, 3}, stride = {1, 3}, "
  "bias = false, input_shape = {1, 4, 2, 70}}",
  "return {name = 'a_mm3', in_channels = 3, out_channels = 3, kernel_size = 1, input_shape = {1, 3, 2, 33}}",
  /* phase_matmul: 16+ output channels, borders, dilation, row tiles */
  "return {name = 'a_pm1', in_channels = 5, out_channels = 40, kernel_size = 4, stride = 2, padding = 1, "
  "input_shape = {1, 5, 4, 4}}",
  "return {name = 'a_pm2', in_channels = 6, out_channels = 64, groups = 2, kernel_size = 3, stride = {2, 1}, "
  "padding = 2, dilation = 2, bias = false, input_shape = {2, 6, 5, 19}}",
  "return {name = 'a_pm3', in_channels = 3, out_channels = 33, kernel_size = {3, 5}, stride = {2, 1}, padding = {4, 2}, "
  "input_shape = {1, 3, 6, 17}}",
  /* row_vectors: few output channels, stride 1 and merged strided stores, scalar tails */
  "return {name = 'a_rv1', in_channels = 3, out_channels = 2, kernel_size = 3, padding = 1, input_shape = {1, 3, 4, 37}}",
  "return {name = 'a_rv2', in_channels = 3, out_channels = 2, kernel_size = {3, 6}, stride = {2, 4}, padding = {1, 1}, "
  "input_shape = {2, 3, 5, 35}}",
  "return {name = 'a_rv3', in_channels = 4, out_channels = 4, groups = 4, kernel_size = 4, stride = 2, padding = 1, "
  "output_padding = 1, bias = false, input_shape = {1, 4, 3, 40}}",
  /* threads = 2: the OpenMP pragmas sit under _OPENMP, so these build warning-free without -fopenmp */
  "return {name = 'a_t2pm', in_channels = 4, out_channels = 32, kernel_size = 4, stride = 2, padding = 1, threads = 2, "
  "input_shape = {2, 4, 6, 9}}",
  "return {name = 'a_t2rv', in_channels = 3, out_channels = 3, kernel_size = 3, stride = 2, threads = 2, "
  "input_shape = {1, 3, 4, 24}}",
  "return {name = 'a_t2sc', in_channels = 3, out_channels = 3, kernel_size = 3, stride = 2, padding = 1, threads = 2, "
  "input_shape = {2, 3, 4, 5}}",
  /* vector_matrix: a 1x1 input (plain C: the same code in every file) */
  "return {name = 'a_vm1', in_channels = 9, out_channels = 20, kernel_size = 4, input_shape = {2, 9, 1, 1}}",
  /* float64: each vector shape at half the lanes, with activations (tanh lane by lane) */
  "return {name = 'a_d_mm1', dtype = 'float64', in_channels = 6, out_channels = 5, kernel_size = 2, stride = 2, "
  "input_shape = {2, 6, 3, 20}}",
  "return {name = 'a_d_mm2', dtype = 'float64', in_channels = 4, out_channels = 6, groups = 2, kernel_size = {1, 3}, "
  "stride = {1, 3}, activation = 'relu', input_shape = {1, 4, 2, 70}}",
  "return {name = 'a_d_pm1', dtype = 'float64', in_channels = 5, out_channels = 40, kernel_size = 4, stride = 2, "
  "padding = 1, activation = 'tanh', input_shape = {1, 5, 4, 4}}",
  "return {name = 'a_d_pm2', dtype = 'float64', in_channels = 6, out_channels = 64, groups = 2, kernel_size = 3, "
  "stride = {2, 1}, padding = 2, dilation = 2, bias = false, input_shape = {2, 6, 5, 19}}",
  "return {name = 'a_d_rv1', dtype = 'float64', in_channels = 3, out_channels = 2, kernel_size = 3, padding = 1, "
  "activation = {'leaky_relu', 0.1}, input_shape = {1, 3, 4, 37}}",
  "return {name = 'a_d_rv2', dtype = 'float64', in_channels = 3, out_channels = 2, kernel_size = {3, 6}, "
  "stride = {2, 4}, padding = {1, 1}, activation = 'sigmoid', input_shape = {2, 3, 5, 35}}",
  "return {name = 'a_d_vm1', dtype = 'float64', in_channels = 9, out_channels = 20, kernel_size = 4, "
  "input_shape = {2, 9, 1, 1}}",
  /* complex: phase_matmul with split real and imaginary parts (the other shapes refuse) */
  "return {name = 'a_c_pm1', dtype = 'complex64', in_channels = 5, out_channels = 40, kernel_size = 4, stride = 2, "
  "padding = 1, input_shape = {1, 5, 4, 4}}",
  "return {name = 'a_c_pm2', dtype = 'complex128', in_channels = 6, out_channels = 64, groups = 2, kernel_size = 3, "
  "stride = {2, 1}, padding = 2, dilation = 2, bias = false, input_shape = {2, 6, 5, 19}}",
  "return {name = 'a_c_pm3', dtype = 'complex64', in_channels = 3, out_channels = 33, kernel_size = {3, 5}, "
  "stride = {2, 1}, padding = {4, 2}, input_shape = {1, 3, 6, 17}}",
  /* complex row_vectors on the interleaved pairs (stride 1, strided lane stores, depthwise), and
   * vector_matrix */
  "return {name = 'a_c_rv1', dtype = 'complex64', in_channels = 3, out_channels = 2, kernel_size = 3, padding = 1, "
  "input_shape = {1, 3, 4, 37}}",
  "return {name = 'a_c_rv2', dtype = 'complex128', in_channels = 3, out_channels = 2, kernel_size = {3, 6}, "
  "stride = {2, 4}, padding = {1, 1}, input_shape = {2, 3, 5, 35}}",
  "return {name = 'a_c_rv3', dtype = 'complex64', in_channels = 4, out_channels = 4, groups = 4, kernel_size = 4, "
  "stride = 2, padding = 1, output_padding = 1, bias = false, input_shape = {1, 4, 3, 40}}",
  "return {name = 'a_c_vm1', dtype = 'complex128', in_channels = 9, out_channels = 20, kernel_size = 4, "
  "input_shape = {2, 9, 1, 1}}",
  /* complex matmul_shuffle: kernel widths 2 (interleaving pairs), 3 (lanes), 1 */
  "return {name = 'a_c_mm1', dtype = 'complex64', in_channels = 6, out_channels = 5, kernel_size = 2, stride = 2, "
  "input_shape = {2, 6, 3, 20}}",
  "return {name = 'a_c_mm2', dtype = 'complex128', in_channels = 4, out_channels = 6, groups = 2, "
  "kernel_size = {1, 3}, stride = {1, 3}, bias = false, input_shape = {1, 4, 2, 70}}",
  "return {name = 'a_c_mm3', dtype = 'complex64', in_channels = 3, out_channels = 3, kernel_size = 1, "
  "input_shape = {1, 3, 2, 33}}",
  /* channels_last depthwise (group_vectors), and phase groups (6 x 5 = 30 stride phases) */
  "return {name = 'a_l_gv1', in_channels = 24, out_channels = 24, groups = 24, kernel_size = 4, stride = 2, "
  "padding = 1, activation = 'relu', input_shape = {1, 24, 5, 9}, memory_format = 'channels_last'}",
  "return {name = 'a_g_pm1', in_channels = 8, out_channels = 20, kernel_size = {12, 10}, stride = {6, 5}, "
  "padding = {3, 2}, input_shape = {1, 8, 3, 4}}",
  /* channels_last: phase_matmul's whole-vector stores (a partly filled block of 33), channel_dots
   * (vectors of 16, 8 and 4 input channels, groups, borders, activations), float64 */
  "return {name = 'a_l_pm1', in_channels = 5, out_channels = 33, kernel_size = {3, 5}, stride = {2, 1}, "
  "padding = {4, 2}, activation = 'relu', input_shape = {1, 5, 6, 17}, memory_format = 'channels_last'}",
  "return {name = 'a_l_cd1', in_channels = 48, out_channels = 3, kernel_size = 4, stride = 2, padding = 1, "
  "activation = 'tanh', input_shape = {2, 48, 5, 7}, memory_format = 'channels_last'}",
  "return {name = 'a_l_cd2', in_channels = 16, out_channels = 2, groups = 2, kernel_size = {3, 5}, stride = {3, 2}, "
  "padding = {1, 2}, dilation = {1, 2}, output_padding = {2, 1}, bias = false, input_shape = {1, 16, 4, 9}, "
  "memory_format = 'channels_last'}",
  "return {name = 'a_l_cd3', dtype = 'float64', in_channels = 12, out_channels = 1, kernel_size = 9, stride = 3, "
  "padding = 4, output_padding = 2, input_shape = {1, 12, 5, 6}, memory_format = 'channels_last'}",
};
const size_t VECTOR_SHAPE_LAYER_COUNT = sizeof VECTOR_SHAPE_LAYERS / sizeof VECTOR_SHAPE_LAYERS[0];
