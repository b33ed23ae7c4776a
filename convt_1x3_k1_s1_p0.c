// Auto-generated file. Do not edit!
//   Template: templates/kernel.c.in
//   Generator: convtgen 0.1.0
//   Layer: ConvTranspose2d(1, 3, kernel_size=(1, 1), stride=(1, 1), padding=(0, 0), output_padding=(0, 0), groups=1, bias=True, dilation=(1, 1)) on input (1, 1, 6), float32
//   Plan: 1 output phases, unroll = auto
// Gather form: each output is summed in registers over exactly the taps that reach its stride
// phase and stored once, bias included. Interior regions have no bounds checks; border rows
// and columns are their own regions with only the taps that land inside the input.

int convt_1x3_k1_s1_p0_run(const float *input, const float *weight, const float *bias, float *output);

/* phase (oh % 1, ow % 1) = (0, 0): 1 taps, 1x6 outputs */
static void convt_1x3_k1_s1_p0_phase_0_0(const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..0, cols 0..5: 1 of 1 taps (interior) */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 3; cb += 3) {
        const float *wb = w + g * 3 + cb * 1;
        for (int qh = 0; qh <= 0; qh++) {
          const float *xr = x + (n * 1 + g * 1) * 6 + qh * 6;
          float *yr = y + (n * 3 + g * 3 + cb) * 6 + qh * 6 + 0;
          for (int qw = 0; qw <= 5; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 3 + cb + 0];
            float acc1 = b[g * 3 + cb + 1];
            float acc2 = b[g * 3 + cb + 2];
            for (int ci = 0; ci < 1; ci++) {
              const float *xc = xp + ci * 6;
              const float *wc = wb + ci * 3;
              const float x0 = xc[0];
              acc0 += x0 * wc[0];
              acc1 += x0 * wc[1];
              acc2 += x0 * wc[2];
            }
            yr[0 + qw * 1] = acc0;
            yr[6 + qw * 1] = acc1;
            yr[12 + qw * 1] = acc2;
          }
        }
      }
    }
  }
}

int convt_1x3_k1_s1_p0_run(const float *input, const float *weight, const float *bias, float *output) {
  convt_1x3_k1_s1_p0_phase_0_0(input, weight, bias, output);
  return 0;
}
