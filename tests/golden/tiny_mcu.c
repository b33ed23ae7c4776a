// Auto-generated file. Do not edit!
//   Template: templates/kernel.c.in
//   Generator: convtgen 0.1.0
//   Layer: ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=1, bias=True, dilation=(1, 1)) on input (1, 8, 8, 8), float32
//   Plan: 4 output phases, unroll = auto
// Gather form: each output is summed in registers over exactly the taps that reach its stride
// phase and stored once, bias included. Interior regions have no bounds checks; border rows
// and columns are their own regions with only the taps that land inside the input.

int tiny_mcu_run(const float *input, const float *weight, const float *bias, float *output);

/* phase (oh % 2, ow % 2) = (0, 0): 1 taps, 8x8 outputs */
static void tiny_mcu_phase_0_0(const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..7, cols 0..7: 1 of 1 taps (interior) */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 4; cb += 4) {
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 7; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 0;
          for (int qw = 0; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb + 0];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            for (int ci = 0; ci < 8; ci++) {
              const float *xc = xp + ci * 64;
              const float *wc = wb + ci * 36;
              const float x0 = xc[0];
              acc0 += x0 * wc[4];
              acc1 += x0 * wc[13];
              acc2 += x0 * wc[22];
              acc3 += x0 * wc[31];
            }
            yr[0 + qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (0, 1): 2 taps, 8x8 outputs */
static void tiny_mcu_phase_0_1(const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..7, cols 0..6: 2 of 2 taps (interior) */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 4; cb += 4) {
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 7; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 1;
          for (int qw = 0; qw <= 6; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb + 0];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            for (int ci = 0; ci < 8; ci++) {
              const float *xc = xp + ci * 64;
              const float *wc = wb + ci * 36;
              const float x0 = xc[1];
              const float x1 = xc[0];
              acc0 += x0 * wc[3];
              acc0 += x1 * wc[5];
              acc1 += x0 * wc[12];
              acc1 += x1 * wc[14];
              acc2 += x0 * wc[21];
              acc2 += x1 * wc[23];
              acc3 += x0 * wc[30];
              acc3 += x1 * wc[32];
            }
            yr[0 + qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..7, cols 7..7: 1 of 2 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 4; cb += 4) {
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 7; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 1;
          for (int qw = 7; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb + 0];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            for (int ci = 0; ci < 8; ci++) {
              const float *xc = xp + ci * 64;
              const float *wc = wb + ci * 36;
              const float x0 = xc[0];
              acc0 += x0 * wc[5];
              acc1 += x0 * wc[14];
              acc2 += x0 * wc[23];
              acc3 += x0 * wc[32];
            }
            yr[0 + qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 0): 2 taps, 8x8 outputs */
static void tiny_mcu_phase_1_0(const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..6, cols 0..7: 2 of 2 taps (interior) */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 4; cb += 4) {
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 6; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 16;
          for (int qw = 0; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb + 0];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            for (int ci = 0; ci < 8; ci++) {
              const float *xc = xp + ci * 64;
              const float *wc = wb + ci * 36;
              const float x0 = xc[8];
              const float x1 = xc[0];
              acc0 += x0 * wc[1];
              acc0 += x1 * wc[7];
              acc1 += x0 * wc[10];
              acc1 += x1 * wc[16];
              acc2 += x0 * wc[19];
              acc2 += x1 * wc[25];
              acc3 += x0 * wc[28];
              acc3 += x1 * wc[34];
            }
            yr[0 + qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 7..7, cols 0..7: 1 of 2 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 4; cb += 4) {
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 7; qh <= 7; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 16;
          for (int qw = 0; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb + 0];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            for (int ci = 0; ci < 8; ci++) {
              const float *xc = xp + ci * 64;
              const float *wc = wb + ci * 36;
              const float x0 = xc[0];
              acc0 += x0 * wc[7];
              acc1 += x0 * wc[16];
              acc2 += x0 * wc[25];
              acc3 += x0 * wc[34];
            }
            yr[0 + qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 1): 4 taps, 8x8 outputs */
static void tiny_mcu_phase_1_1(const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..6, cols 0..6: 4 of 4 taps (interior) */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 4; cb += 4) {
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 6; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 17;
          for (int qw = 0; qw <= 6; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb + 0];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            for (int ci = 0; ci < 8; ci++) {
              const float *xc = xp + ci * 64;
              const float *wc = wb + ci * 36;
              const float x0 = xc[9];
              const float x1 = xc[8];
              const float x2 = xc[1];
              const float x3 = xc[0];
              acc0 += x0 * wc[0];
              acc0 += x1 * wc[2];
              acc0 += x2 * wc[6];
              acc0 += x3 * wc[8];
              acc1 += x0 * wc[9];
              acc1 += x1 * wc[11];
              acc1 += x2 * wc[15];
              acc1 += x3 * wc[17];
              acc2 += x0 * wc[18];
              acc2 += x1 * wc[20];
              acc2 += x2 * wc[24];
              acc2 += x3 * wc[26];
              acc3 += x0 * wc[27];
              acc3 += x1 * wc[29];
              acc3 += x2 * wc[33];
              acc3 += x3 * wc[35];
            }
            yr[0 + qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..6, cols 7..7: 2 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 4; cb += 4) {
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 6; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 17;
          for (int qw = 7; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb + 0];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            for (int ci = 0; ci < 8; ci++) {
              const float *xc = xp + ci * 64;
              const float *wc = wb + ci * 36;
              const float x0 = xc[8];
              const float x1 = xc[0];
              acc0 += x0 * wc[2];
              acc0 += x1 * wc[8];
              acc1 += x0 * wc[11];
              acc1 += x1 * wc[17];
              acc2 += x0 * wc[20];
              acc2 += x1 * wc[26];
              acc3 += x0 * wc[29];
              acc3 += x1 * wc[35];
            }
            yr[0 + qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 7..7, cols 0..6: 2 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 4; cb += 4) {
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 7; qh <= 7; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 17;
          for (int qw = 0; qw <= 6; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb + 0];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            for (int ci = 0; ci < 8; ci++) {
              const float *xc = xp + ci * 64;
              const float *wc = wb + ci * 36;
              const float x0 = xc[1];
              const float x1 = xc[0];
              acc0 += x0 * wc[6];
              acc0 += x1 * wc[8];
              acc1 += x0 * wc[15];
              acc1 += x1 * wc[17];
              acc2 += x0 * wc[24];
              acc2 += x1 * wc[26];
              acc3 += x0 * wc[33];
              acc3 += x1 * wc[35];
            }
            yr[0 + qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 7..7, cols 7..7: 1 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 4; cb += 4) {
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 7; qh <= 7; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 17;
          for (int qw = 7; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb + 0];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            for (int ci = 0; ci < 8; ci++) {
              const float *xc = xp + ci * 64;
              const float *wc = wb + ci * 36;
              const float x0 = xc[0];
              acc0 += x0 * wc[8];
              acc1 += x0 * wc[17];
              acc2 += x0 * wc[26];
              acc3 += x0 * wc[35];
            }
            yr[0 + qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

int tiny_mcu_run(const float *input, const float *weight, const float *bias, float *output) {
  tiny_mcu_phase_0_0(input, weight, bias, output);
  tiny_mcu_phase_0_1(input, weight, bias, output);
  tiny_mcu_phase_1_0(input, weight, bias, output);
  tiny_mcu_phase_1_1(input, weight, bias, output);
  return 0;
}
