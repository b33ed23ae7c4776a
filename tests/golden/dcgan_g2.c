// Auto-generated file. Do not edit!
//   Template: templates/kernel.c.in
//   Generator: convtgen 0.1.0
//   Layer: ConvTranspose2d(512, 256, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), output_padding=(0, 0), groups=1, bias=False, dilation=(1, 1)) on input (1, 512, 4, 4), float32
//   Plan: 4 output phases, unroll = auto
// Gather form: each output is summed in registers over exactly the taps that reach its stride
// phase and stored once, bias included. Interior regions have no bounds checks; border rows
// and columns are their own regions with only the taps that land inside the input.

int dcgan_g2_run(const float *input, const float *weight, const float *bias, float *output);

/* phase (oh % 2, ow % 2) = (0, 0): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_0_0(const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  (void)b;
  /* rows 0..0, cols 0..0: 1 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 0; qh <= 0; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 0;
          for (int qw = 0; qw <= 0; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[0];
              acc0 += x0 * wc[5];
              acc1 += x0 * wc[21];
              acc2 += x0 * wc[37];
              acc3 += x0 * wc[53];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..0, cols 1..3: 2 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 0; qh <= 0; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 0;
          for (int qw = 1; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[0];
              const float x1 = xc[-1];
              acc0 += x0 * wc[5];
              acc0 += x1 * wc[7];
              acc1 += x0 * wc[21];
              acc1 += x1 * wc[23];
              acc2 += x0 * wc[37];
              acc2 += x1 * wc[39];
              acc3 += x0 * wc[53];
              acc3 += x1 * wc[55];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 1..3, cols 0..0: 2 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 1; qh <= 3; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 0;
          for (int qw = 0; qw <= 0; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[0];
              const float x1 = xc[-4];
              acc0 += x0 * wc[5];
              acc0 += x1 * wc[13];
              acc1 += x0 * wc[21];
              acc1 += x1 * wc[29];
              acc2 += x0 * wc[37];
              acc2 += x1 * wc[45];
              acc3 += x0 * wc[53];
              acc3 += x1 * wc[61];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 1..3, cols 1..3: 4 of 4 taps (interior) */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 1; qh <= 3; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 0;
          for (int qw = 1; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[0];
              const float x1 = xc[-1];
              const float x2 = xc[-4];
              const float x3 = xc[-5];
              acc0 += x0 * wc[5];
              acc0 += x1 * wc[7];
              acc0 += x2 * wc[13];
              acc0 += x3 * wc[15];
              acc1 += x0 * wc[21];
              acc1 += x1 * wc[23];
              acc1 += x2 * wc[29];
              acc1 += x3 * wc[31];
              acc2 += x0 * wc[37];
              acc2 += x1 * wc[39];
              acc2 += x2 * wc[45];
              acc2 += x3 * wc[47];
              acc3 += x0 * wc[53];
              acc3 += x1 * wc[55];
              acc3 += x2 * wc[61];
              acc3 += x3 * wc[63];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (0, 1): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_0_1(const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  (void)b;
  /* rows 0..0, cols 0..2: 2 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 0; qh <= 0; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 1;
          for (int qw = 0; qw <= 2; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[1];
              const float x1 = xc[0];
              acc0 += x0 * wc[4];
              acc0 += x1 * wc[6];
              acc1 += x0 * wc[20];
              acc1 += x1 * wc[22];
              acc2 += x0 * wc[36];
              acc2 += x1 * wc[38];
              acc3 += x0 * wc[52];
              acc3 += x1 * wc[54];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..0, cols 3..3: 1 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 0; qh <= 0; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 1;
          for (int qw = 3; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[0];
              acc0 += x0 * wc[6];
              acc1 += x0 * wc[22];
              acc2 += x0 * wc[38];
              acc3 += x0 * wc[54];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 1..3, cols 0..2: 4 of 4 taps (interior) */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 1; qh <= 3; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 1;
          for (int qw = 0; qw <= 2; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[1];
              const float x1 = xc[0];
              const float x2 = xc[-3];
              const float x3 = xc[-4];
              acc0 += x0 * wc[4];
              acc0 += x1 * wc[6];
              acc0 += x2 * wc[12];
              acc0 += x3 * wc[14];
              acc1 += x0 * wc[20];
              acc1 += x1 * wc[22];
              acc1 += x2 * wc[28];
              acc1 += x3 * wc[30];
              acc2 += x0 * wc[36];
              acc2 += x1 * wc[38];
              acc2 += x2 * wc[44];
              acc2 += x3 * wc[46];
              acc3 += x0 * wc[52];
              acc3 += x1 * wc[54];
              acc3 += x2 * wc[60];
              acc3 += x3 * wc[62];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 1..3, cols 3..3: 2 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 1; qh <= 3; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 1;
          for (int qw = 3; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[0];
              const float x1 = xc[-4];
              acc0 += x0 * wc[6];
              acc0 += x1 * wc[14];
              acc1 += x0 * wc[22];
              acc1 += x1 * wc[30];
              acc2 += x0 * wc[38];
              acc2 += x1 * wc[46];
              acc3 += x0 * wc[54];
              acc3 += x1 * wc[62];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 0): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_1_0(const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  (void)b;
  /* rows 0..2, cols 0..0: 2 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 0; qh <= 2; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 8;
          for (int qw = 0; qw <= 0; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[4];
              const float x1 = xc[0];
              acc0 += x0 * wc[1];
              acc0 += x1 * wc[9];
              acc1 += x0 * wc[17];
              acc1 += x1 * wc[25];
              acc2 += x0 * wc[33];
              acc2 += x1 * wc[41];
              acc3 += x0 * wc[49];
              acc3 += x1 * wc[57];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..2, cols 1..3: 4 of 4 taps (interior) */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 0; qh <= 2; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 8;
          for (int qw = 1; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[4];
              const float x1 = xc[3];
              const float x2 = xc[0];
              const float x3 = xc[-1];
              acc0 += x0 * wc[1];
              acc0 += x1 * wc[3];
              acc0 += x2 * wc[9];
              acc0 += x3 * wc[11];
              acc1 += x0 * wc[17];
              acc1 += x1 * wc[19];
              acc1 += x2 * wc[25];
              acc1 += x3 * wc[27];
              acc2 += x0 * wc[33];
              acc2 += x1 * wc[35];
              acc2 += x2 * wc[41];
              acc2 += x3 * wc[43];
              acc3 += x0 * wc[49];
              acc3 += x1 * wc[51];
              acc3 += x2 * wc[57];
              acc3 += x3 * wc[59];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 3..3, cols 0..0: 1 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 3; qh <= 3; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 8;
          for (int qw = 0; qw <= 0; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[0];
              acc0 += x0 * wc[9];
              acc1 += x0 * wc[25];
              acc2 += x0 * wc[41];
              acc3 += x0 * wc[57];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 3..3, cols 1..3: 2 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 3; qh <= 3; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 8;
          for (int qw = 1; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[0];
              const float x1 = xc[-1];
              acc0 += x0 * wc[9];
              acc0 += x1 * wc[11];
              acc1 += x0 * wc[25];
              acc1 += x1 * wc[27];
              acc2 += x0 * wc[41];
              acc2 += x1 * wc[43];
              acc3 += x0 * wc[57];
              acc3 += x1 * wc[59];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 1): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_1_1(const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  (void)b;
  /* rows 0..2, cols 0..2: 4 of 4 taps (interior) */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 0; qh <= 2; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 9;
          for (int qw = 0; qw <= 2; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[5];
              const float x1 = xc[4];
              const float x2 = xc[1];
              const float x3 = xc[0];
              acc0 += x0 * wc[0];
              acc0 += x1 * wc[2];
              acc0 += x2 * wc[8];
              acc0 += x3 * wc[10];
              acc1 += x0 * wc[16];
              acc1 += x1 * wc[18];
              acc1 += x2 * wc[24];
              acc1 += x3 * wc[26];
              acc2 += x0 * wc[32];
              acc2 += x1 * wc[34];
              acc2 += x2 * wc[40];
              acc2 += x3 * wc[42];
              acc3 += x0 * wc[48];
              acc3 += x1 * wc[50];
              acc3 += x2 * wc[56];
              acc3 += x3 * wc[58];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..2, cols 3..3: 2 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 0; qh <= 2; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 9;
          for (int qw = 3; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[4];
              const float x1 = xc[0];
              acc0 += x0 * wc[2];
              acc0 += x1 * wc[10];
              acc1 += x0 * wc[18];
              acc1 += x1 * wc[26];
              acc2 += x0 * wc[34];
              acc2 += x1 * wc[42];
              acc3 += x0 * wc[50];
              acc3 += x1 * wc[58];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 3..3, cols 0..2: 2 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 3; qh <= 3; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 9;
          for (int qw = 0; qw <= 2; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[1];
              const float x1 = xc[0];
              acc0 += x0 * wc[8];
              acc0 += x1 * wc[10];
              acc1 += x0 * wc[24];
              acc1 += x1 * wc[26];
              acc2 += x0 * wc[40];
              acc2 += x1 * wc[42];
              acc3 += x0 * wc[56];
              acc3 += x1 * wc[58];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 3..3, cols 3..3: 1 of 4 taps */
  for (int n = 0; n < 1; n++) {
    for (int g = 0; g < 1; g++) {
      for (int cb = 0; cb < 256; cb += 4) {
        const float *wb = w + g * 2097152 + cb * 16;
        for (int qh = 3; qh <= 3; qh++) {
          const float *xr = x + (n * 512 + g * 512) * 16 + qh * 4;
          float *yr = y + (n * 256 + g * 256 + cb) * 64 + qh * 16 + 9;
          for (int qw = 3; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            for (int ci = 0; ci < 512; ci++) {
              const float *xc = xp + ci * 16;
              const float *wc = wb + ci * 4096;
              const float x0 = xc[0];
              acc0 += x0 * wc[10];
              acc1 += x0 * wc[26];
              acc2 += x0 * wc[42];
              acc3 += x0 * wc[58];
            }
            yr[0 + qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

int dcgan_g2_run(const float *input, const float *weight, const float *bias, float *output) {
  dcgan_g2_phase_0_0(input, weight, bias, output);
  dcgan_g2_phase_0_1(input, weight, bias, output);
  dcgan_g2_phase_1_0(input, weight, bias, output);
  dcgan_g2_phase_1_1(input, weight, bias, output);
  return 0;
}
