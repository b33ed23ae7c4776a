// Auto-generated file. Do not edit!
//   Generator: convtgen 0.2.0
//   Layer: ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=1, bias=True, dilation=(1, 1)) on input (1, 8, 8, 8), float32
//   Target: portable
//   Code: row_vectors (templates/row_vectors.c.in) where defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__)
//     vectors of 8 along rows, up to 4 channels x 16 positions per tile (few output channels)
//   Code: row_vectors (templates/row_vectors.c.in) where defined(__GNUC__) && defined(__aarch64__)
//     vectors of 4 along rows, up to 4 channels x 12 positions per tile (few output channels)
//   Code: phases (templates/phases.c.in) elsewhere
//     stride-phase code, 4 phases with their borders peeled, unroll = auto

void tiny_mcu_pack(const float *weight, const float *bias, float *packed);
int tiny_mcu_run_packed(const float *input, const float *packed, float *output);
int tiny_mcu_run(const float *input, const float *weight, const float *bias, float *output);
int tiny_mcu_run_packed_batch(int batch, const float *input, const float *packed, float *output);
int tiny_mcu_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output);

#if defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__)

#ifndef CTG_F32X8_DEFINED
#define CTG_F32X8_DEFINED
/* 8 floats, one AVX2 with FMA register; unaligned loads and stores through a may_alias type */
typedef float ctg_f32x8 __attribute__((vector_size(32)));
typedef float ctg_f32x8u __attribute__((vector_size(32), aligned(4), may_alias));
typedef int ctg_i32x8 __attribute__((vector_size(32)));
#define CTG_F32X8_LOAD(p) (*(const ctg_f32x8u *)(const void *)(p))
#define CTG_F32X8_STORE(p, v) (*(ctg_f32x8u *)(void *)(p) = (v))
#endif


/* phase (oh % 2, ow % 2) = (0, 0): 1 taps, 8x8 outputs */
static void tiny_mcu_phase_0_0(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..7, cols 0..7: 1 of 1 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 3; qt++) {
          /* the last tile ends at the region's last row and stores only rows not stored yet */
          const int qh = qt < 3 ? 0 + qt * 2 : 6;
          const int rskip = qt < 3 ? 0 : 0 + qt * 2 - qh;
          float *yq = yb + qh * 32;
          int qw = 0;
          for (; qw + 7 <= 7; qw += 8) {
            const float *xc = xb + qh * 8 + qw;
            const float *wc = wb;
            ctg_f32x8 a0_0_0 = b0 + (ctg_f32x8){0};
            ctg_f32x8 a0_0_1 = b0 + (ctg_f32x8){0};
            ctg_f32x8 a1_0_0 = b1 + (ctg_f32x8){0};
            ctg_f32x8 a1_0_1 = b1 + (ctg_f32x8){0};
            ctg_f32x8 a2_0_0 = b2 + (ctg_f32x8){0};
            ctg_f32x8 a2_0_1 = b2 + (ctg_f32x8){0};
            ctg_f32x8 a3_0_0 = b3 + (ctg_f32x8){0};
            ctg_f32x8 a3_0_1 = b3 + (ctg_f32x8){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x8 w0_4 = (ctg_f32x8){0} + wc[4];
              const ctg_f32x8 w1_4 = (ctg_f32x8){0} + wc[13];
              const ctg_f32x8 w2_4 = (ctg_f32x8){0} + wc[22];
              const ctg_f32x8 w3_4 = (ctg_f32x8){0} + wc[31];
              { const ctg_f32x8 x = CTG_F32X8_LOAD(xc); a0_0_0 += x * w0_4; a1_0_0 += x * w1_4; a2_0_0 += x * w2_4; a3_0_0 += x * w3_4; }
              { const ctg_f32x8 x = CTG_F32X8_LOAD(xc + 8); a0_0_1 += x * w0_4; a1_0_1 += x * w1_4; a2_0_1 += x * w2_4; a3_0_1 += x * w3_4; }
            }
            if (0 >= rskip)
            {
            { /* the 16 outputs around these 8: this phase's lanes merged into what is there */
              float *yv = yq + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a0_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a0_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 256 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a1_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a1_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 512 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a2_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a2_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 768 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a3_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a3_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            }
            if (1 >= rskip)
            {
            {
              float *yv = yq + 32 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a0_0_1, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a0_0_1, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 288 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a1_0_1, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a1_0_1, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 544 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a2_0_1, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a2_0_1, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 800 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a3_0_1, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a3_0_1, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            }
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (0, 1): 2 taps, 8x8 outputs */
static void tiny_mcu_phase_0_1(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..7, cols 0..6: 2 of 2 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 1;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 7; qt++) {
          const int qh = qt;
          float *yq = yb + qh * 32;
          int qw = 0;
          for (; qw <= 6; qw++) {
            {
              float s0 = b0;
              float s1 = b1;
              float s2 = b2;
              float s3 = b3;
              const float *xc = xb + qh * 8 + qw;
              const float *wc = wb;
              for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
                { const float xv = xc[1]; s0 += xv * wc[3]; s1 += xv * wc[12]; s2 += xv * wc[21]; s3 += xv * wc[30]; }
                { const float xv = xc[0]; s0 += xv * wc[5]; s1 += xv * wc[14]; s2 += xv * wc[23]; s3 += xv * wc[32]; }
              }
              yq[qw * 2] = s0;
              yq[qw * 2 + 256] = s1;
              yq[qw * 2 + 512] = s2;
              yq[qw * 2 + 768] = s3;
            }
          }
        }
      }
    }
  }
  /* rows 0..7, cols 7..7: 1 of 2 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 1;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 7; qt++) {
          const int qh = qt;
          float *yq = yb + qh * 32;
          int qw = 7;
          for (; qw <= 7; qw++) {
            {
              float s0 = b0;
              float s1 = b1;
              float s2 = b2;
              float s3 = b3;
              const float *xc = xb + qh * 8 + qw;
              const float *wc = wb;
              for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
                { const float xv = xc[0]; s0 += xv * wc[5]; s1 += xv * wc[14]; s2 += xv * wc[23]; s3 += xv * wc[32]; }
              }
              yq[qw * 2] = s0;
              yq[qw * 2 + 256] = s1;
              yq[qw * 2 + 512] = s2;
              yq[qw * 2 + 768] = s3;
            }
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 0): 2 taps, 8x8 outputs */
static void tiny_mcu_phase_1_0(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..6, cols 0..7: 2 of 2 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 16;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 3; qt++) {
          /* the last tile ends at the region's last row and stores only rows not stored yet */
          const int qh = qt < 3 ? 0 + qt * 2 : 5;
          const int rskip = qt < 3 ? 0 : 0 + qt * 2 - qh;
          float *yq = yb + qh * 32;
          int qw = 0;
          for (; qw + 7 <= 7; qw += 8) {
            const float *xc = xb + qh * 8 + qw;
            const float *wc = wb;
            ctg_f32x8 a0_0_0 = b0 + (ctg_f32x8){0};
            ctg_f32x8 a0_0_1 = b0 + (ctg_f32x8){0};
            ctg_f32x8 a1_0_0 = b1 + (ctg_f32x8){0};
            ctg_f32x8 a1_0_1 = b1 + (ctg_f32x8){0};
            ctg_f32x8 a2_0_0 = b2 + (ctg_f32x8){0};
            ctg_f32x8 a2_0_1 = b2 + (ctg_f32x8){0};
            ctg_f32x8 a3_0_0 = b3 + (ctg_f32x8){0};
            ctg_f32x8 a3_0_1 = b3 + (ctg_f32x8){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              { const ctg_f32x8 x = CTG_F32X8_LOAD(xc); a0_0_0 += x * wc[7]; a1_0_0 += x * wc[16]; a2_0_0 += x * wc[25]; a3_0_0 += x * wc[34]; }
              { const ctg_f32x8 x = CTG_F32X8_LOAD(xc + 8); a0_0_0 += x * wc[1]; a1_0_0 += x * wc[10]; a2_0_0 += x * wc[19]; a3_0_0 += x * wc[28];
                a0_0_1 += x * wc[7]; a1_0_1 += x * wc[16]; a2_0_1 += x * wc[25]; a3_0_1 += x * wc[34]; }
              { const ctg_f32x8 x = CTG_F32X8_LOAD(xc + 16); a0_0_1 += x * wc[1]; a1_0_1 += x * wc[10]; a2_0_1 += x * wc[19]; a3_0_1 += x * wc[28]; }
            }
            if (0 >= rskip)
            {
            { /* the 16 outputs around these 8: this phase's lanes merged into what is there */
              float *yv = yq + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a0_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a0_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 256 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a1_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a1_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 512 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a2_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a2_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 768 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a3_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a3_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            }
            if (1 >= rskip)
            {
            {
              float *yv = yq + 32 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a0_0_1, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a0_0_1, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 288 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a1_0_1, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a1_0_1, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 544 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a2_0_1, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a2_0_1, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 800 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a3_0_1, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a3_0_1, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            }
          }
        }
      }
    }
  }
  /* rows 7..7, cols 0..7: 1 of 2 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 16;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        {
          float *yq = yb + 224;
          int qw = 0;
          for (; qw + 7 <= 7; qw += 8) {
            const float *xc = xb + qw + 56;
            const float *wc = wb;
            ctg_f32x8 a0_0_0 = b0 + (ctg_f32x8){0};
            ctg_f32x8 a1_0_0 = b1 + (ctg_f32x8){0};
            ctg_f32x8 a2_0_0 = b2 + (ctg_f32x8){0};
            ctg_f32x8 a3_0_0 = b3 + (ctg_f32x8){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x8 w0_7 = (ctg_f32x8){0} + wc[7];
              const ctg_f32x8 w1_7 = (ctg_f32x8){0} + wc[16];
              const ctg_f32x8 w2_7 = (ctg_f32x8){0} + wc[25];
              const ctg_f32x8 w3_7 = (ctg_f32x8){0} + wc[34];
              { const ctg_f32x8 x = CTG_F32X8_LOAD(xc); a0_0_0 += x * w0_7; a1_0_0 += x * w1_7; a2_0_0 += x * w2_7; a3_0_0 += x * w3_7; }
            }
            {
            { /* the 16 outputs around these 8: this phase's lanes merged into what is there */
              float *yv = yq + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a0_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a0_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 256 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a1_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a1_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 512 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a2_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a2_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            {
              float *yv = yq + 768 + qw * 2;
              CTG_F32X8_STORE(yv, __builtin_shufflevector(CTG_F32X8_LOAD(yv), a3_0_0, 8, 1, 9, 3, 10, 5, 11, 7));
              CTG_F32X8_STORE(yv + 8, __builtin_shufflevector(CTG_F32X8_LOAD(yv + 8), a3_0_0, 12, 1, 13, 3, 14, 5, 15, 7));
            }
            }
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 1): 4 taps, 8x8 outputs */
static void tiny_mcu_phase_1_1(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..6, cols 0..6: 4 of 4 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 17;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 6; qt++) {
          const int qh = qt;
          float *yq = yb + qh * 32;
          int qw = 0;
          for (; qw <= 6; qw++) {
            {
              float s0 = b0;
              float s1 = b1;
              float s2 = b2;
              float s3 = b3;
              const float *xc = xb + qh * 8 + qw;
              const float *wc = wb;
              for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
                { const float xv = xc[9]; s0 += xv * wc[0]; s1 += xv * wc[9]; s2 += xv * wc[18]; s3 += xv * wc[27]; }
                { const float xv = xc[8]; s0 += xv * wc[2]; s1 += xv * wc[11]; s2 += xv * wc[20]; s3 += xv * wc[29]; }
                { const float xv = xc[1]; s0 += xv * wc[6]; s1 += xv * wc[15]; s2 += xv * wc[24]; s3 += xv * wc[33]; }
                { const float xv = xc[0]; s0 += xv * wc[8]; s1 += xv * wc[17]; s2 += xv * wc[26]; s3 += xv * wc[35]; }
              }
              yq[qw * 2] = s0;
              yq[qw * 2 + 256] = s1;
              yq[qw * 2 + 512] = s2;
              yq[qw * 2 + 768] = s3;
            }
          }
        }
      }
    }
  }
  /* rows 0..6, cols 7..7: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 17;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 6; qt++) {
          const int qh = qt;
          float *yq = yb + qh * 32;
          int qw = 7;
          for (; qw <= 7; qw++) {
            {
              float s0 = b0;
              float s1 = b1;
              float s2 = b2;
              float s3 = b3;
              const float *xc = xb + qh * 8 + qw;
              const float *wc = wb;
              for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
                { const float xv = xc[8]; s0 += xv * wc[2]; s1 += xv * wc[11]; s2 += xv * wc[20]; s3 += xv * wc[29]; }
                { const float xv = xc[0]; s0 += xv * wc[8]; s1 += xv * wc[17]; s2 += xv * wc[26]; s3 += xv * wc[35]; }
              }
              yq[qw * 2] = s0;
              yq[qw * 2 + 256] = s1;
              yq[qw * 2 + 512] = s2;
              yq[qw * 2 + 768] = s3;
            }
          }
        }
      }
    }
  }
  /* rows 7..7, cols 0..6: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 17;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        {
          float *yq = yb + 224;
          int qw = 0;
          for (; qw <= 6; qw++) {
            {
              float s0 = b0;
              float s1 = b1;
              float s2 = b2;
              float s3 = b3;
              const float *xc = xb + qw + 56;
              const float *wc = wb;
              for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
                { const float xv = xc[1]; s0 += xv * wc[6]; s1 += xv * wc[15]; s2 += xv * wc[24]; s3 += xv * wc[33]; }
                { const float xv = xc[0]; s0 += xv * wc[8]; s1 += xv * wc[17]; s2 += xv * wc[26]; s3 += xv * wc[35]; }
              }
              yq[qw * 2] = s0;
              yq[qw * 2 + 256] = s1;
              yq[qw * 2 + 512] = s2;
              yq[qw * 2 + 768] = s3;
            }
          }
        }
      }
    }
  }
  /* rows 7..7, cols 7..7: 1 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 17;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        {
          float *yq = yb + 224;
          int qw = 7;
          for (; qw <= 7; qw++) {
            {
              float s0 = b0;
              float s1 = b1;
              float s2 = b2;
              float s3 = b3;
              const float *xc = xb + qw + 56;
              const float *wc = wb;
              for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
                { const float xv = xc[0]; s0 += xv * wc[8]; s1 += xv * wc[17]; s2 += xv * wc[26]; s3 += xv * wc[35]; }
              }
              yq[qw * 2] = s0;
              yq[qw * 2 + 256] = s1;
              yq[qw * 2 + 512] = s2;
              yq[qw * 2 + 768] = s3;
            }
          }
        }
      }
    }
  }
}

int tiny_mcu_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  tiny_mcu_phase_0_0(batch, input, weight, bias, output);
  tiny_mcu_phase_0_1(batch, input, weight, bias, output);
  tiny_mcu_phase_1_0(batch, input, weight, bias, output);
  tiny_mcu_phase_1_1(batch, input, weight, bias, output);
  return 0;
}


/* Packed form of this code: the weights, then the bias, as PyTorch stores them. */
void tiny_mcu_pack(const float *weight, const float *bias, float *packed) {
  for (int i = 0; i < 288; i++) packed[i] = weight[i];
  for (int i = 0; i < 4; i++) packed[288 + i] = bias[i];
}

int tiny_mcu_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  return tiny_mcu_run_batch(batch, input, packed, packed + 288, output);
}

/* the spec's batch of 1 */
int tiny_mcu_run_packed(const float *input, const float *packed, float *output) {
  return tiny_mcu_run_packed_batch(1, input, packed, output);
}

int tiny_mcu_run(const float *input, const float *weight, const float *bias, float *output) {
  return tiny_mcu_run_batch(1, input, weight, bias, output);
}

#elif defined(__GNUC__) && defined(__aarch64__)

#ifndef CTG_F32X4_DEFINED
#define CTG_F32X4_DEFINED
/* 4 floats, one AArch64 NEON register; unaligned loads and stores through a may_alias type */
typedef float ctg_f32x4 __attribute__((vector_size(16)));
typedef float ctg_f32x4u __attribute__((vector_size(16), aligned(4), may_alias));
typedef int ctg_i32x4 __attribute__((vector_size(16)));
#define CTG_F32X4_LOAD(p) (*(const ctg_f32x4u *)(const void *)(p))
#define CTG_F32X4_STORE(p, v) (*(ctg_f32x4u *)(void *)(p) = (v))
#endif


/* phase (oh % 2, ow % 2) = (0, 0): 1 taps, 8x8 outputs */
static void tiny_mcu_phase_0_0(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..7, cols 0..7: 1 of 1 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 7; qt++) {
          const int qh = qt;
          float *yq = yb + qh * 32;
          int qw = 0;
          for (; qw + 7 <= 7; qw += 8) {
            const float *xc = xb + qh * 8 + qw;
            const float *wc = wb;
            ctg_f32x4 a0_0_0 = b0 + (ctg_f32x4){0}, a0_1_0 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_0 = b1 + (ctg_f32x4){0}, a1_1_0 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_0 = b2 + (ctg_f32x4){0}, a2_1_0 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_0 = b3 + (ctg_f32x4){0}, a3_1_0 = b3 + (ctg_f32x4){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x4 w0_4 = (ctg_f32x4){0} + wc[4];
              const ctg_f32x4 w1_4 = (ctg_f32x4){0} + wc[13];
              const ctg_f32x4 w2_4 = (ctg_f32x4){0} + wc[22];
              const ctg_f32x4 w3_4 = (ctg_f32x4){0} + wc[31];
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc); a0_0_0 += x * w0_4; a1_0_0 += x * w1_4; a2_0_0 += x * w2_4; a3_0_0 += x * w3_4; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 4); a0_1_0 += x * w0_4; a1_1_0 += x * w1_4; a2_1_0 += x * w2_4; a3_1_0 += x * w3_4; }
            }
            {
            { /* the 8 outputs around these 4: this phase's lanes merged into what is there */
              float *yv = yq + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 8 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_1_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 256 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 264 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_1_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 512 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 520 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_1_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 768 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 776 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_1_0, 6, 1, 7, 3));
            }
            }
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (0, 1): 2 taps, 8x8 outputs */
static void tiny_mcu_phase_0_1(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..7, cols 0..6: 2 of 2 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 1;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 2; qt++) {
          /* the last tile ends at the region's last row and stores only rows not stored yet */
          const int qh = qt < 2 ? 0 + qt * 3 : 5;
          const int rskip = qt < 2 ? 0 : 0 + qt * 3 - qh;
          float *yq = yb + qh * 32;
          int qw = 0;
          for (; qw + 3 <= 6; qw += 4) {
            const float *xc = xb + qh * 8 + qw;
            const float *wc = wb;
            ctg_f32x4 a0_0_0 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a0_0_1 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a0_0_2 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_0 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_1 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_2 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_0 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_1 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_2 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_0 = b3 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_1 = b3 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_2 = b3 + (ctg_f32x4){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x4 w0_3 = (ctg_f32x4){0} + wc[3];
              const ctg_f32x4 w1_3 = (ctg_f32x4){0} + wc[12];
              const ctg_f32x4 w2_3 = (ctg_f32x4){0} + wc[21];
              const ctg_f32x4 w3_3 = (ctg_f32x4){0} + wc[30];
              const ctg_f32x4 w0_5 = (ctg_f32x4){0} + wc[5];
              const ctg_f32x4 w1_5 = (ctg_f32x4){0} + wc[14];
              const ctg_f32x4 w2_5 = (ctg_f32x4){0} + wc[23];
              const ctg_f32x4 w3_5 = (ctg_f32x4){0} + wc[32];
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc); a0_0_0 += x * w0_5; a1_0_0 += x * w1_5; a2_0_0 += x * w2_5; a3_0_0 += x * w3_5; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 1); a0_0_0 += x * w0_3; a1_0_0 += x * w1_3; a2_0_0 += x * w2_3; a3_0_0 += x * w3_3; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 8); a0_0_1 += x * w0_5; a1_0_1 += x * w1_5; a2_0_1 += x * w2_5; a3_0_1 += x * w3_5; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 9); a0_0_1 += x * w0_3; a1_0_1 += x * w1_3; a2_0_1 += x * w2_3; a3_0_1 += x * w3_3; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 16); a0_0_2 += x * w0_5; a1_0_2 += x * w1_5; a2_0_2 += x * w2_5; a3_0_2 += x * w3_5; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 17); a0_0_2 += x * w0_3; a1_0_2 += x * w1_3; a2_0_2 += x * w2_3; a3_0_2 += x * w3_3; }
            }
            if (0 >= rskip)
            {
            { /* the 8 outputs around these 4: this phase's lanes merged into what is there */
              float *yv = yq + qw * 2 - 1;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_0_0, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 255 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_0_0, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 511 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_0_0, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 767 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_0_0, 0, 6, 2, 7));
            }
            }
            if (1 >= rskip)
            {
            {
              float *yv = yq + 31 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_0_1, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_0_1, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 287 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_0_1, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_0_1, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 543 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_0_1, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_0_1, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 799 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_0_1, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_0_1, 0, 6, 2, 7));
            }
            }
            if (2 >= rskip)
            {
            {
              float *yv = yq + 63 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_0_2, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_0_2, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 319 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_0_2, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_0_2, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 575 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_0_2, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_0_2, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 831 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_0_2, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_0_2, 0, 6, 2, 7));
            }
            }
          }
          /* the last columns: one vector ending at the region's edge, storing only new outputs */
          {
            const int skip = qw - 3;
            const float *xc = xb + qh * 8 + 3;
            const float *wc = wb;
            ctg_f32x4 a0_0_0 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a0_0_1 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a0_0_2 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_0 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_1 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_2 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_0 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_1 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_2 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_0 = b3 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_1 = b3 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_2 = b3 + (ctg_f32x4){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x4 w0_3 = (ctg_f32x4){0} + wc[3];
              const ctg_f32x4 w1_3 = (ctg_f32x4){0} + wc[12];
              const ctg_f32x4 w2_3 = (ctg_f32x4){0} + wc[21];
              const ctg_f32x4 w3_3 = (ctg_f32x4){0} + wc[30];
              const ctg_f32x4 w0_5 = (ctg_f32x4){0} + wc[5];
              const ctg_f32x4 w1_5 = (ctg_f32x4){0} + wc[14];
              const ctg_f32x4 w2_5 = (ctg_f32x4){0} + wc[23];
              const ctg_f32x4 w3_5 = (ctg_f32x4){0} + wc[32];
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc); a0_0_0 += x * w0_5; a1_0_0 += x * w1_5; a2_0_0 += x * w2_5; a3_0_0 += x * w3_5; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 1); a0_0_0 += x * w0_3; a1_0_0 += x * w1_3; a2_0_0 += x * w2_3; a3_0_0 += x * w3_3; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 8); a0_0_1 += x * w0_5; a1_0_1 += x * w1_5; a2_0_1 += x * w2_5; a3_0_1 += x * w3_5; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 9); a0_0_1 += x * w0_3; a1_0_1 += x * w1_3; a2_0_1 += x * w2_3; a3_0_1 += x * w3_3; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 16); a0_0_2 += x * w0_5; a1_0_2 += x * w1_5; a2_0_2 += x * w2_5; a3_0_2 += x * w3_5; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 17); a0_0_2 += x * w0_3; a1_0_2 += x * w1_3; a2_0_2 += x * w2_3; a3_0_2 += x * w3_3; }
            }
            if (0 >= rskip)
            {
            for (int l = skip; l < 4; l++) yq[(3 + l) * 2] = a0_0_0[l];
            for (int l = skip; l < 4; l++) yq[256 + (3 + l) * 2] = a1_0_0[l];
            for (int l = skip; l < 4; l++) yq[512 + (3 + l) * 2] = a2_0_0[l];
            for (int l = skip; l < 4; l++) yq[768 + (3 + l) * 2] = a3_0_0[l];
            }
            if (1 >= rskip)
            {
            for (int l = skip; l < 4; l++) yq[32 + (3 + l) * 2] = a0_0_1[l];
            for (int l = skip; l < 4; l++) yq[288 + (3 + l) * 2] = a1_0_1[l];
            for (int l = skip; l < 4; l++) yq[544 + (3 + l) * 2] = a2_0_1[l];
            for (int l = skip; l < 4; l++) yq[800 + (3 + l) * 2] = a3_0_1[l];
            }
            if (2 >= rskip)
            {
            for (int l = skip; l < 4; l++) yq[64 + (3 + l) * 2] = a0_0_2[l];
            for (int l = skip; l < 4; l++) yq[320 + (3 + l) * 2] = a1_0_2[l];
            for (int l = skip; l < 4; l++) yq[576 + (3 + l) * 2] = a2_0_2[l];
            for (int l = skip; l < 4; l++) yq[832 + (3 + l) * 2] = a3_0_2[l];
            }
          }
        }
      }
    }
  }
  /* rows 0..7, cols 7..7: 1 of 2 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 1;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 7; qt++) {
          const int qh = qt;
          float *yq = yb + qh * 32;
          int qw = 7;
          for (; qw <= 7; qw++) {
            {
              float s0 = b0;
              float s1 = b1;
              float s2 = b2;
              float s3 = b3;
              const float *xc = xb + qh * 8 + qw;
              const float *wc = wb;
              for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
                { const float xv = xc[0]; s0 += xv * wc[5]; s1 += xv * wc[14]; s2 += xv * wc[23]; s3 += xv * wc[32]; }
              }
              yq[qw * 2] = s0;
              yq[qw * 2 + 256] = s1;
              yq[qw * 2 + 512] = s2;
              yq[qw * 2 + 768] = s3;
            }
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 0): 2 taps, 8x8 outputs */
static void tiny_mcu_phase_1_0(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..6, cols 0..7: 2 of 2 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 16;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 6; qt++) {
          const int qh = qt;
          float *yq = yb + qh * 32;
          int qw = 0;
          for (; qw + 7 <= 7; qw += 8) {
            const float *xc = xb + qh * 8 + qw;
            const float *wc = wb;
            ctg_f32x4 a0_0_0 = b0 + (ctg_f32x4){0}, a0_1_0 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_0 = b1 + (ctg_f32x4){0}, a1_1_0 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_0 = b2 + (ctg_f32x4){0}, a2_1_0 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_0 = b3 + (ctg_f32x4){0}, a3_1_0 = b3 + (ctg_f32x4){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x4 w0_1 = (ctg_f32x4){0} + wc[1];
              const ctg_f32x4 w1_1 = (ctg_f32x4){0} + wc[10];
              const ctg_f32x4 w2_1 = (ctg_f32x4){0} + wc[19];
              const ctg_f32x4 w3_1 = (ctg_f32x4){0} + wc[28];
              const ctg_f32x4 w0_7 = (ctg_f32x4){0} + wc[7];
              const ctg_f32x4 w1_7 = (ctg_f32x4){0} + wc[16];
              const ctg_f32x4 w2_7 = (ctg_f32x4){0} + wc[25];
              const ctg_f32x4 w3_7 = (ctg_f32x4){0} + wc[34];
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc); a0_0_0 += x * w0_7; a1_0_0 += x * w1_7; a2_0_0 += x * w2_7; a3_0_0 += x * w3_7; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 4); a0_1_0 += x * w0_7; a1_1_0 += x * w1_7; a2_1_0 += x * w2_7; a3_1_0 += x * w3_7; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 8); a0_0_0 += x * w0_1; a1_0_0 += x * w1_1; a2_0_0 += x * w2_1; a3_0_0 += x * w3_1; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 12); a0_1_0 += x * w0_1; a1_1_0 += x * w1_1; a2_1_0 += x * w2_1; a3_1_0 += x * w3_1; }
            }
            {
            { /* the 8 outputs around these 4: this phase's lanes merged into what is there */
              float *yv = yq + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 8 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_1_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 256 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 264 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_1_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 512 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 520 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_1_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 768 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 776 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_1_0, 6, 1, 7, 3));
            }
            }
          }
        }
      }
    }
  }
  /* rows 7..7, cols 0..7: 1 of 2 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 16;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        {
          float *yq = yb + 224;
          int qw = 0;
          for (; qw + 7 <= 7; qw += 8) {
            const float *xc = xb + qw + 56;
            const float *wc = wb;
            ctg_f32x4 a0_0_0 = b0 + (ctg_f32x4){0}, a0_1_0 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_0 = b1 + (ctg_f32x4){0}, a1_1_0 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_0 = b2 + (ctg_f32x4){0}, a2_1_0 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_0 = b3 + (ctg_f32x4){0}, a3_1_0 = b3 + (ctg_f32x4){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x4 w0_7 = (ctg_f32x4){0} + wc[7];
              const ctg_f32x4 w1_7 = (ctg_f32x4){0} + wc[16];
              const ctg_f32x4 w2_7 = (ctg_f32x4){0} + wc[25];
              const ctg_f32x4 w3_7 = (ctg_f32x4){0} + wc[34];
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc); a0_0_0 += x * w0_7; a1_0_0 += x * w1_7; a2_0_0 += x * w2_7; a3_0_0 += x * w3_7; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 4); a0_1_0 += x * w0_7; a1_1_0 += x * w1_7; a2_1_0 += x * w2_7; a3_1_0 += x * w3_7; }
            }
            {
            { /* the 8 outputs around these 4: this phase's lanes merged into what is there */
              float *yv = yq + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 8 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_1_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 256 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 264 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_1_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 512 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 520 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_1_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 768 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_0_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_0_0, 6, 1, 7, 3));
            }
            {
              float *yv = yq + 776 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_1_0, 4, 1, 5, 3));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_1_0, 6, 1, 7, 3));
            }
            }
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 1): 4 taps, 8x8 outputs */
static void tiny_mcu_phase_1_1(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..6, cols 0..6: 4 of 4 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 17;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 2; qt++) {
          /* the last tile ends at the region's last row and stores only rows not stored yet */
          const int qh = qt < 2 ? 0 + qt * 3 : 4;
          const int rskip = qt < 2 ? 0 : 0 + qt * 3 - qh;
          float *yq = yb + qh * 32;
          int qw = 0;
          for (; qw + 3 <= 6; qw += 4) {
            const float *xc = xb + qh * 8 + qw;
            const float *wc = wb;
            ctg_f32x4 a0_0_0 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a0_0_1 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a0_0_2 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_0 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_1 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_2 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_0 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_1 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_2 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_0 = b3 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_1 = b3 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_2 = b3 + (ctg_f32x4){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x4 w0_0 = (ctg_f32x4){0} + wc[0];
              const ctg_f32x4 w1_0 = (ctg_f32x4){0} + wc[9];
              const ctg_f32x4 w2_0 = (ctg_f32x4){0} + wc[18];
              const ctg_f32x4 w3_0 = (ctg_f32x4){0} + wc[27];
              const ctg_f32x4 w0_2 = (ctg_f32x4){0} + wc[2];
              const ctg_f32x4 w1_2 = (ctg_f32x4){0} + wc[11];
              const ctg_f32x4 w2_2 = (ctg_f32x4){0} + wc[20];
              const ctg_f32x4 w3_2 = (ctg_f32x4){0} + wc[29];
              const ctg_f32x4 w0_6 = (ctg_f32x4){0} + wc[6];
              const ctg_f32x4 w1_6 = (ctg_f32x4){0} + wc[15];
              const ctg_f32x4 w2_6 = (ctg_f32x4){0} + wc[24];
              const ctg_f32x4 w3_6 = (ctg_f32x4){0} + wc[33];
              const ctg_f32x4 w0_8 = (ctg_f32x4){0} + wc[8];
              const ctg_f32x4 w1_8 = (ctg_f32x4){0} + wc[17];
              const ctg_f32x4 w2_8 = (ctg_f32x4){0} + wc[26];
              const ctg_f32x4 w3_8 = (ctg_f32x4){0} + wc[35];
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc); a0_0_0 += x * w0_8; a1_0_0 += x * w1_8; a2_0_0 += x * w2_8; a3_0_0 += x * w3_8; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 1); a0_0_0 += x * w0_6; a1_0_0 += x * w1_6; a2_0_0 += x * w2_6; a3_0_0 += x * w3_6; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 8); a0_0_0 += x * w0_2; a1_0_0 += x * w1_2; a2_0_0 += x * w2_2; a3_0_0 += x * w3_2;
                a0_0_1 += x * w0_8; a1_0_1 += x * w1_8; a2_0_1 += x * w2_8; a3_0_1 += x * w3_8; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 9); a0_0_0 += x * w0_0; a1_0_0 += x * w1_0; a2_0_0 += x * w2_0; a3_0_0 += x * w3_0;
                a0_0_1 += x * w0_6; a1_0_1 += x * w1_6; a2_0_1 += x * w2_6; a3_0_1 += x * w3_6; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 16); a0_0_1 += x * w0_2; a1_0_1 += x * w1_2; a2_0_1 += x * w2_2; a3_0_1 += x * w3_2;
                a0_0_2 += x * w0_8; a1_0_2 += x * w1_8; a2_0_2 += x * w2_8; a3_0_2 += x * w3_8; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 17); a0_0_1 += x * w0_0; a1_0_1 += x * w1_0; a2_0_1 += x * w2_0; a3_0_1 += x * w3_0;
                a0_0_2 += x * w0_6; a1_0_2 += x * w1_6; a2_0_2 += x * w2_6; a3_0_2 += x * w3_6; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 24); a0_0_2 += x * w0_2; a1_0_2 += x * w1_2; a2_0_2 += x * w2_2; a3_0_2 += x * w3_2; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 25); a0_0_2 += x * w0_0; a1_0_2 += x * w1_0; a2_0_2 += x * w2_0; a3_0_2 += x * w3_0; }
            }
            if (0 >= rskip)
            {
            { /* the 8 outputs around these 4: this phase's lanes merged into what is there */
              float *yv = yq + qw * 2 - 1;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_0_0, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 255 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_0_0, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 511 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_0_0, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 767 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_0_0, 0, 6, 2, 7));
            }
            }
            if (1 >= rskip)
            {
            {
              float *yv = yq + 31 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_0_1, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_0_1, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 287 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_0_1, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_0_1, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 543 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_0_1, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_0_1, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 799 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_0_1, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_0_1, 0, 6, 2, 7));
            }
            }
            if (2 >= rskip)
            {
            {
              float *yv = yq + 63 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_0_2, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_0_2, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 319 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_0_2, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_0_2, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 575 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_0_2, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_0_2, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 831 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_0_2, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_0_2, 0, 6, 2, 7));
            }
            }
          }
          /* the last columns: one vector ending at the region's edge, storing only new outputs */
          {
            const int skip = qw - 3;
            const float *xc = xb + qh * 8 + 3;
            const float *wc = wb;
            ctg_f32x4 a0_0_0 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a0_0_1 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a0_0_2 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_0 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_1 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_2 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_0 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_1 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_2 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_0 = b3 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_1 = b3 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_2 = b3 + (ctg_f32x4){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x4 w0_0 = (ctg_f32x4){0} + wc[0];
              const ctg_f32x4 w1_0 = (ctg_f32x4){0} + wc[9];
              const ctg_f32x4 w2_0 = (ctg_f32x4){0} + wc[18];
              const ctg_f32x4 w3_0 = (ctg_f32x4){0} + wc[27];
              const ctg_f32x4 w0_2 = (ctg_f32x4){0} + wc[2];
              const ctg_f32x4 w1_2 = (ctg_f32x4){0} + wc[11];
              const ctg_f32x4 w2_2 = (ctg_f32x4){0} + wc[20];
              const ctg_f32x4 w3_2 = (ctg_f32x4){0} + wc[29];
              const ctg_f32x4 w0_6 = (ctg_f32x4){0} + wc[6];
              const ctg_f32x4 w1_6 = (ctg_f32x4){0} + wc[15];
              const ctg_f32x4 w2_6 = (ctg_f32x4){0} + wc[24];
              const ctg_f32x4 w3_6 = (ctg_f32x4){0} + wc[33];
              const ctg_f32x4 w0_8 = (ctg_f32x4){0} + wc[8];
              const ctg_f32x4 w1_8 = (ctg_f32x4){0} + wc[17];
              const ctg_f32x4 w2_8 = (ctg_f32x4){0} + wc[26];
              const ctg_f32x4 w3_8 = (ctg_f32x4){0} + wc[35];
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc); a0_0_0 += x * w0_8; a1_0_0 += x * w1_8; a2_0_0 += x * w2_8; a3_0_0 += x * w3_8; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 1); a0_0_0 += x * w0_6; a1_0_0 += x * w1_6; a2_0_0 += x * w2_6; a3_0_0 += x * w3_6; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 8); a0_0_0 += x * w0_2; a1_0_0 += x * w1_2; a2_0_0 += x * w2_2; a3_0_0 += x * w3_2;
                a0_0_1 += x * w0_8; a1_0_1 += x * w1_8; a2_0_1 += x * w2_8; a3_0_1 += x * w3_8; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 9); a0_0_0 += x * w0_0; a1_0_0 += x * w1_0; a2_0_0 += x * w2_0; a3_0_0 += x * w3_0;
                a0_0_1 += x * w0_6; a1_0_1 += x * w1_6; a2_0_1 += x * w2_6; a3_0_1 += x * w3_6; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 16); a0_0_1 += x * w0_2; a1_0_1 += x * w1_2; a2_0_1 += x * w2_2; a3_0_1 += x * w3_2;
                a0_0_2 += x * w0_8; a1_0_2 += x * w1_8; a2_0_2 += x * w2_8; a3_0_2 += x * w3_8; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 17); a0_0_1 += x * w0_0; a1_0_1 += x * w1_0; a2_0_1 += x * w2_0; a3_0_1 += x * w3_0;
                a0_0_2 += x * w0_6; a1_0_2 += x * w1_6; a2_0_2 += x * w2_6; a3_0_2 += x * w3_6; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 24); a0_0_2 += x * w0_2; a1_0_2 += x * w1_2; a2_0_2 += x * w2_2; a3_0_2 += x * w3_2; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 25); a0_0_2 += x * w0_0; a1_0_2 += x * w1_0; a2_0_2 += x * w2_0; a3_0_2 += x * w3_0; }
            }
            if (0 >= rskip)
            {
            for (int l = skip; l < 4; l++) yq[(3 + l) * 2] = a0_0_0[l];
            for (int l = skip; l < 4; l++) yq[256 + (3 + l) * 2] = a1_0_0[l];
            for (int l = skip; l < 4; l++) yq[512 + (3 + l) * 2] = a2_0_0[l];
            for (int l = skip; l < 4; l++) yq[768 + (3 + l) * 2] = a3_0_0[l];
            }
            if (1 >= rskip)
            {
            for (int l = skip; l < 4; l++) yq[32 + (3 + l) * 2] = a0_0_1[l];
            for (int l = skip; l < 4; l++) yq[288 + (3 + l) * 2] = a1_0_1[l];
            for (int l = skip; l < 4; l++) yq[544 + (3 + l) * 2] = a2_0_1[l];
            for (int l = skip; l < 4; l++) yq[800 + (3 + l) * 2] = a3_0_1[l];
            }
            if (2 >= rskip)
            {
            for (int l = skip; l < 4; l++) yq[64 + (3 + l) * 2] = a0_0_2[l];
            for (int l = skip; l < 4; l++) yq[320 + (3 + l) * 2] = a1_0_2[l];
            for (int l = skip; l < 4; l++) yq[576 + (3 + l) * 2] = a2_0_2[l];
            for (int l = skip; l < 4; l++) yq[832 + (3 + l) * 2] = a3_0_2[l];
            }
          }
        }
      }
    }
  }
  /* rows 0..6, cols 7..7: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 17;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        for (int qt = 0; qt <= 6; qt++) {
          const int qh = qt;
          float *yq = yb + qh * 32;
          int qw = 7;
          for (; qw <= 7; qw++) {
            {
              float s0 = b0;
              float s1 = b1;
              float s2 = b2;
              float s3 = b3;
              const float *xc = xb + qh * 8 + qw;
              const float *wc = wb;
              for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
                { const float xv = xc[8]; s0 += xv * wc[2]; s1 += xv * wc[11]; s2 += xv * wc[20]; s3 += xv * wc[29]; }
                { const float xv = xc[0]; s0 += xv * wc[8]; s1 += xv * wc[17]; s2 += xv * wc[26]; s3 += xv * wc[35]; }
              }
              yq[qw * 2] = s0;
              yq[qw * 2 + 256] = s1;
              yq[qw * 2 + 512] = s2;
              yq[qw * 2 + 768] = s3;
            }
          }
        }
      }
    }
  }
  /* rows 7..7, cols 0..6: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 17;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        {
          float *yq = yb + 224;
          int qw = 0;
          for (; qw + 3 <= 6; qw += 4) {
            const float *xc = xb + qw + 56;
            const float *wc = wb;
            ctg_f32x4 a0_0_0 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_0 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_0 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_0 = b3 + (ctg_f32x4){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x4 w0_6 = (ctg_f32x4){0} + wc[6];
              const ctg_f32x4 w1_6 = (ctg_f32x4){0} + wc[15];
              const ctg_f32x4 w2_6 = (ctg_f32x4){0} + wc[24];
              const ctg_f32x4 w3_6 = (ctg_f32x4){0} + wc[33];
              const ctg_f32x4 w0_8 = (ctg_f32x4){0} + wc[8];
              const ctg_f32x4 w1_8 = (ctg_f32x4){0} + wc[17];
              const ctg_f32x4 w2_8 = (ctg_f32x4){0} + wc[26];
              const ctg_f32x4 w3_8 = (ctg_f32x4){0} + wc[35];
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc); a0_0_0 += x * w0_8; a1_0_0 += x * w1_8; a2_0_0 += x * w2_8; a3_0_0 += x * w3_8; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 1); a0_0_0 += x * w0_6; a1_0_0 += x * w1_6; a2_0_0 += x * w2_6; a3_0_0 += x * w3_6; }
            }
            {
            { /* the 8 outputs around these 4: this phase's lanes merged into what is there */
              float *yv = yq + qw * 2 - 1;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a0_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a0_0_0, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 255 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a1_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a1_0_0, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 511 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a2_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a2_0_0, 0, 6, 2, 7));
            }
            {
              float *yv = yq + 767 + qw * 2;
              CTG_F32X4_STORE(yv, __builtin_shufflevector(CTG_F32X4_LOAD(yv), a3_0_0, 0, 4, 2, 5));
              CTG_F32X4_STORE(yv + 4, __builtin_shufflevector(CTG_F32X4_LOAD(yv + 4), a3_0_0, 0, 6, 2, 7));
            }
            }
          }
          /* the last columns: one vector ending at the region's edge, storing only new outputs */
          {
            const int skip = qw - 3;
            const float *xc = xb + 59;
            const float *wc = wb;
            ctg_f32x4 a0_0_0 = b0 + (ctg_f32x4){0};
            ctg_f32x4 a1_0_0 = b1 + (ctg_f32x4){0};
            ctg_f32x4 a2_0_0 = b2 + (ctg_f32x4){0};
            ctg_f32x4 a3_0_0 = b3 + (ctg_f32x4){0};
            for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
              const ctg_f32x4 w0_6 = (ctg_f32x4){0} + wc[6];
              const ctg_f32x4 w1_6 = (ctg_f32x4){0} + wc[15];
              const ctg_f32x4 w2_6 = (ctg_f32x4){0} + wc[24];
              const ctg_f32x4 w3_6 = (ctg_f32x4){0} + wc[33];
              const ctg_f32x4 w0_8 = (ctg_f32x4){0} + wc[8];
              const ctg_f32x4 w1_8 = (ctg_f32x4){0} + wc[17];
              const ctg_f32x4 w2_8 = (ctg_f32x4){0} + wc[26];
              const ctg_f32x4 w3_8 = (ctg_f32x4){0} + wc[35];
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc); a0_0_0 += x * w0_8; a1_0_0 += x * w1_8; a2_0_0 += x * w2_8; a3_0_0 += x * w3_8; }
              { const ctg_f32x4 x = CTG_F32X4_LOAD(xc + 1); a0_0_0 += x * w0_6; a1_0_0 += x * w1_6; a2_0_0 += x * w2_6; a3_0_0 += x * w3_6; }
            }
            {
            for (int l = skip; l < 4; l++) yq[(3 + l) * 2] = a0_0_0[l];
            for (int l = skip; l < 4; l++) yq[256 + (3 + l) * 2] = a1_0_0[l];
            for (int l = skip; l < 4; l++) yq[512 + (3 + l) * 2] = a2_0_0[l];
            for (int l = skip; l < 4; l++) yq[768 + (3 + l) * 2] = a3_0_0[l];
            }
          }
        }
      }
    }
  }
  /* rows 7..7, cols 7..7: 1 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float b0 = b[0];
        const float b1 = b[1];
        const float b2 = b[2];
        const float b3 = b[3];
        float *yb = y + n * 4 * 256 + 17;
        const float *wb = w;
        const float *xb = x + n * 8 * 64;
        {
          float *yq = yb + 224;
          int qw = 7;
          for (; qw <= 7; qw++) {
            {
              float s0 = b0;
              float s1 = b1;
              float s2 = b2;
              float s3 = b3;
              const float *xc = xb + qw + 56;
              const float *wc = wb;
              for (int ci = 0; ci < 8; ci++, xc += 64, wc += 36) {
                { const float xv = xc[0]; s0 += xv * wc[8]; s1 += xv * wc[17]; s2 += xv * wc[26]; s3 += xv * wc[35]; }
              }
              yq[qw * 2] = s0;
              yq[qw * 2 + 256] = s1;
              yq[qw * 2 + 512] = s2;
              yq[qw * 2 + 768] = s3;
            }
          }
        }
      }
    }
  }
}

int tiny_mcu_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  tiny_mcu_phase_0_0(batch, input, weight, bias, output);
  tiny_mcu_phase_0_1(batch, input, weight, bias, output);
  tiny_mcu_phase_1_0(batch, input, weight, bias, output);
  tiny_mcu_phase_1_1(batch, input, weight, bias, output);
  return 0;
}


/* Packed form of this code: the weights, then the bias, as PyTorch stores them. */
void tiny_mcu_pack(const float *weight, const float *bias, float *packed) {
  for (int i = 0; i < 288; i++) packed[i] = weight[i];
  for (int i = 0; i < 4; i++) packed[288 + i] = bias[i];
}

int tiny_mcu_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  return tiny_mcu_run_batch(batch, input, packed, packed + 288, output);
}

/* the spec's batch of 1 */
int tiny_mcu_run_packed(const float *input, const float *packed, float *output) {
  return tiny_mcu_run_packed_batch(1, input, packed, output);
}

int tiny_mcu_run(const float *input, const float *weight, const float *bias, float *output) {
  return tiny_mcu_run_batch(1, input, weight, bias, output);
}

#else

/* Gather form: each output is summed in registers over exactly the taps that reach its stride
 * phase and stored once, bias included. Interior regions have no bounds checks; border rows
 * and columns are their own regions with only the taps that land inside the input. */

/* phase (oh % 2, ow % 2) = (0, 0): 1 taps, 8x8 outputs */
static void tiny_mcu_phase_0_0(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..7, cols 0..7: 1 of 1 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float *wb = w;
        for (int qh = 0; qh <= 7; qh++) {
          const float *xr = x + n * 8 * 64 + qh * 8;
          float *yr = y + n * 4 * 256 + qh * 32;
          for (int qw = 0; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[0];
            float acc1 = b[1];
            float acc2 = b[2];
            float acc3 = b[3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[0] * wc[4] + xc[64] * wc[40] + xc[128] * wc[76] + xc[192] * wc[112] +
                  xc[256] * wc[148] + xc[320] * wc[184] + xc[384] * wc[220] + xc[448] * wc[256];
              acc1 += xc[0] * wc[13] + xc[64] * wc[49] + xc[128] * wc[85] + xc[192] * wc[121] +
                  xc[256] * wc[157] + xc[320] * wc[193] + xc[384] * wc[229] + xc[448] * wc[265];
              acc2 += xc[0] * wc[22] + xc[64] * wc[58] + xc[128] * wc[94] + xc[192] * wc[130] +
                  xc[256] * wc[166] + xc[320] * wc[202] + xc[384] * wc[238] + xc[448] * wc[274];
              acc3 += xc[0] * wc[31] + xc[64] * wc[67] + xc[128] * wc[103] + xc[192] * wc[139] +
                  xc[256] * wc[175] + xc[320] * wc[211] + xc[384] * wc[247] + xc[448] * wc[283];
            }
            yr[qw * 2] = acc0;
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
static void tiny_mcu_phase_0_1(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..7, cols 0..6: 2 of 2 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float *wb = w;
        for (int qh = 0; qh <= 7; qh++) {
          const float *xr = x + n * 8 * 64 + qh * 8;
          float *yr = y + n * 4 * 256 + qh * 32 + 1;
          for (int qw = 0; qw <= 6; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[0];
            float acc1 = b[1];
            float acc2 = b[2];
            float acc3 = b[3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[1] * wc[3] + xc[0] * wc[5] + xc[65] * wc[39] + xc[64] * wc[41] +
                  xc[129] * wc[75] + xc[128] * wc[77] + xc[193] * wc[111] + xc[192] * wc[113] +
                  xc[257] * wc[147] + xc[256] * wc[149] + xc[321] * wc[183] + xc[320] * wc[185] +
                  xc[385] * wc[219] + xc[384] * wc[221] + xc[449] * wc[255] + xc[448] * wc[257];
              acc1 += xc[1] * wc[12] + xc[0] * wc[14] + xc[65] * wc[48] + xc[64] * wc[50] +
                  xc[129] * wc[84] + xc[128] * wc[86] + xc[193] * wc[120] + xc[192] * wc[122] +
                  xc[257] * wc[156] + xc[256] * wc[158] + xc[321] * wc[192] + xc[320] * wc[194] +
                  xc[385] * wc[228] + xc[384] * wc[230] + xc[449] * wc[264] + xc[448] * wc[266];
              acc2 += xc[1] * wc[21] + xc[0] * wc[23] + xc[65] * wc[57] + xc[64] * wc[59] +
                  xc[129] * wc[93] + xc[128] * wc[95] + xc[193] * wc[129] + xc[192] * wc[131] +
                  xc[257] * wc[165] + xc[256] * wc[167] + xc[321] * wc[201] + xc[320] * wc[203] +
                  xc[385] * wc[237] + xc[384] * wc[239] + xc[449] * wc[273] + xc[448] * wc[275];
              acc3 += xc[1] * wc[30] + xc[0] * wc[32] + xc[65] * wc[66] + xc[64] * wc[68] +
                  xc[129] * wc[102] + xc[128] * wc[104] + xc[193] * wc[138] + xc[192] * wc[140] +
                  xc[257] * wc[174] + xc[256] * wc[176] + xc[321] * wc[210] + xc[320] * wc[212] +
                  xc[385] * wc[246] + xc[384] * wc[248] + xc[449] * wc[282] + xc[448] * wc[284];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..7, cols 7..7: 1 of 2 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float *wb = w;
        for (int qh = 0; qh <= 7; qh++) {
          const float *xr = x + n * 8 * 64 + qh * 8;
          float *yr = y + n * 4 * 256 + qh * 32 + 1;
          {
            const float *xp = xr + 7;
            float acc0 = b[0];
            float acc1 = b[1];
            float acc2 = b[2];
            float acc3 = b[3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[0] * wc[5] + xc[64] * wc[41] + xc[128] * wc[77] + xc[192] * wc[113] +
                  xc[256] * wc[149] + xc[320] * wc[185] + xc[384] * wc[221] + xc[448] * wc[257];
              acc1 += xc[0] * wc[14] + xc[64] * wc[50] + xc[128] * wc[86] + xc[192] * wc[122] +
                  xc[256] * wc[158] + xc[320] * wc[194] + xc[384] * wc[230] + xc[448] * wc[266];
              acc2 += xc[0] * wc[23] + xc[64] * wc[59] + xc[128] * wc[95] + xc[192] * wc[131] +
                  xc[256] * wc[167] + xc[320] * wc[203] + xc[384] * wc[239] + xc[448] * wc[275];
              acc3 += xc[0] * wc[32] + xc[64] * wc[68] + xc[128] * wc[104] + xc[192] * wc[140] +
                  xc[256] * wc[176] + xc[320] * wc[212] + xc[384] * wc[248] + xc[448] * wc[284];
            }
            yr[14] = acc0;
            yr[270] = acc1;
            yr[526] = acc2;
            yr[782] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 0): 2 taps, 8x8 outputs */
static void tiny_mcu_phase_1_0(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..6, cols 0..7: 2 of 2 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float *wb = w;
        for (int qh = 0; qh <= 6; qh++) {
          const float *xr = x + n * 8 * 64 + qh * 8;
          float *yr = y + n * 4 * 256 + qh * 32 + 16;
          for (int qw = 0; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[0];
            float acc1 = b[1];
            float acc2 = b[2];
            float acc3 = b[3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[8] * wc[1] + xc[0] * wc[7] + xc[72] * wc[37] + xc[64] * wc[43] +
                  xc[136] * wc[73] + xc[128] * wc[79] + xc[200] * wc[109] + xc[192] * wc[115] +
                  xc[264] * wc[145] + xc[256] * wc[151] + xc[328] * wc[181] + xc[320] * wc[187] +
                  xc[392] * wc[217] + xc[384] * wc[223] + xc[456] * wc[253] + xc[448] * wc[259];
              acc1 += xc[8] * wc[10] + xc[0] * wc[16] + xc[72] * wc[46] + xc[64] * wc[52] +
                  xc[136] * wc[82] + xc[128] * wc[88] + xc[200] * wc[118] + xc[192] * wc[124] +
                  xc[264] * wc[154] + xc[256] * wc[160] + xc[328] * wc[190] + xc[320] * wc[196] +
                  xc[392] * wc[226] + xc[384] * wc[232] + xc[456] * wc[262] + xc[448] * wc[268];
              acc2 += xc[8] * wc[19] + xc[0] * wc[25] + xc[72] * wc[55] + xc[64] * wc[61] +
                  xc[136] * wc[91] + xc[128] * wc[97] + xc[200] * wc[127] + xc[192] * wc[133] +
                  xc[264] * wc[163] + xc[256] * wc[169] + xc[328] * wc[199] + xc[320] * wc[205] +
                  xc[392] * wc[235] + xc[384] * wc[241] + xc[456] * wc[271] + xc[448] * wc[277];
              acc3 += xc[8] * wc[28] + xc[0] * wc[34] + xc[72] * wc[64] + xc[64] * wc[70] +
                  xc[136] * wc[100] + xc[128] * wc[106] + xc[200] * wc[136] + xc[192] * wc[142] +
                  xc[264] * wc[172] + xc[256] * wc[178] + xc[328] * wc[208] + xc[320] * wc[214] +
                  xc[392] * wc[244] + xc[384] * wc[250] + xc[456] * wc[280] + xc[448] * wc[286];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 7..7, cols 0..7: 1 of 2 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float *wb = w;
        {
          const float *xr = x + n * 8 * 64 + 56;
          float *yr = y + n * 4 * 256 + 240;
          for (int qw = 0; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[0];
            float acc1 = b[1];
            float acc2 = b[2];
            float acc3 = b[3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[0] * wc[7] + xc[64] * wc[43] + xc[128] * wc[79] + xc[192] * wc[115] +
                  xc[256] * wc[151] + xc[320] * wc[187] + xc[384] * wc[223] + xc[448] * wc[259];
              acc1 += xc[0] * wc[16] + xc[64] * wc[52] + xc[128] * wc[88] + xc[192] * wc[124] +
                  xc[256] * wc[160] + xc[320] * wc[196] + xc[384] * wc[232] + xc[448] * wc[268];
              acc2 += xc[0] * wc[25] + xc[64] * wc[61] + xc[128] * wc[97] + xc[192] * wc[133] +
                  xc[256] * wc[169] + xc[320] * wc[205] + xc[384] * wc[241] + xc[448] * wc[277];
              acc3 += xc[0] * wc[34] + xc[64] * wc[70] + xc[128] * wc[106] + xc[192] * wc[142] +
                  xc[256] * wc[178] + xc[320] * wc[214] + xc[384] * wc[250] + xc[448] * wc[286];
            }
            yr[qw * 2] = acc0;
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
static void tiny_mcu_phase_1_1(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..6, cols 0..6: 4 of 4 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float *wb = w;
        for (int qh = 0; qh <= 6; qh++) {
          const float *xr = x + n * 8 * 64 + qh * 8;
          float *yr = y + n * 4 * 256 + qh * 32 + 17;
          for (int qw = 0; qw <= 6; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[0];
            float acc1 = b[1];
            float acc2 = b[2];
            float acc3 = b[3];
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 8; ci += 4, xc += 256, wc += 144) {
              acc0 += xc[9] * wc[0] + xc[8] * wc[2] + xc[1] * wc[6] + xc[0] * wc[8] +
                  xc[73] * wc[36] + xc[72] * wc[38] + xc[65] * wc[42] + xc[64] * wc[44] +
                  xc[137] * wc[72] + xc[136] * wc[74] + xc[129] * wc[78] + xc[128] * wc[80] +
                  xc[201] * wc[108] + xc[200] * wc[110] + xc[193] * wc[114] + xc[192] * wc[116];
              acc1 += xc[9] * wc[9] + xc[8] * wc[11] + xc[1] * wc[15] + xc[0] * wc[17] +
                  xc[73] * wc[45] + xc[72] * wc[47] + xc[65] * wc[51] + xc[64] * wc[53] +
                  xc[137] * wc[81] + xc[136] * wc[83] + xc[129] * wc[87] + xc[128] * wc[89] +
                  xc[201] * wc[117] + xc[200] * wc[119] + xc[193] * wc[123] + xc[192] * wc[125];
              acc2 += xc[9] * wc[18] + xc[8] * wc[20] + xc[1] * wc[24] + xc[0] * wc[26] +
                  xc[73] * wc[54] + xc[72] * wc[56] + xc[65] * wc[60] + xc[64] * wc[62] +
                  xc[137] * wc[90] + xc[136] * wc[92] + xc[129] * wc[96] + xc[128] * wc[98] +
                  xc[201] * wc[126] + xc[200] * wc[128] + xc[193] * wc[132] + xc[192] * wc[134];
              acc3 += xc[9] * wc[27] + xc[8] * wc[29] + xc[1] * wc[33] + xc[0] * wc[35] +
                  xc[73] * wc[63] + xc[72] * wc[65] + xc[65] * wc[69] + xc[64] * wc[71] +
                  xc[137] * wc[99] + xc[136] * wc[101] + xc[129] * wc[105] + xc[128] * wc[107] +
                  xc[201] * wc[135] + xc[200] * wc[137] + xc[193] * wc[141] + xc[192] * wc[143];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..6, cols 7..7: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float *wb = w;
        for (int qh = 0; qh <= 6; qh++) {
          const float *xr = x + n * 8 * 64 + qh * 8;
          float *yr = y + n * 4 * 256 + qh * 32 + 17;
          {
            const float *xp = xr + 7;
            float acc0 = b[0];
            float acc1 = b[1];
            float acc2 = b[2];
            float acc3 = b[3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[8] * wc[2] + xc[0] * wc[8] + xc[72] * wc[38] + xc[64] * wc[44] +
                  xc[136] * wc[74] + xc[128] * wc[80] + xc[200] * wc[110] + xc[192] * wc[116] +
                  xc[264] * wc[146] + xc[256] * wc[152] + xc[328] * wc[182] + xc[320] * wc[188] +
                  xc[392] * wc[218] + xc[384] * wc[224] + xc[456] * wc[254] + xc[448] * wc[260];
              acc1 += xc[8] * wc[11] + xc[0] * wc[17] + xc[72] * wc[47] + xc[64] * wc[53] +
                  xc[136] * wc[83] + xc[128] * wc[89] + xc[200] * wc[119] + xc[192] * wc[125] +
                  xc[264] * wc[155] + xc[256] * wc[161] + xc[328] * wc[191] + xc[320] * wc[197] +
                  xc[392] * wc[227] + xc[384] * wc[233] + xc[456] * wc[263] + xc[448] * wc[269];
              acc2 += xc[8] * wc[20] + xc[0] * wc[26] + xc[72] * wc[56] + xc[64] * wc[62] +
                  xc[136] * wc[92] + xc[128] * wc[98] + xc[200] * wc[128] + xc[192] * wc[134] +
                  xc[264] * wc[164] + xc[256] * wc[170] + xc[328] * wc[200] + xc[320] * wc[206] +
                  xc[392] * wc[236] + xc[384] * wc[242] + xc[456] * wc[272] + xc[448] * wc[278];
              acc3 += xc[8] * wc[29] + xc[0] * wc[35] + xc[72] * wc[65] + xc[64] * wc[71] +
                  xc[136] * wc[101] + xc[128] * wc[107] + xc[200] * wc[137] + xc[192] * wc[143] +
                  xc[264] * wc[173] + xc[256] * wc[179] + xc[328] * wc[209] + xc[320] * wc[215] +
                  xc[392] * wc[245] + xc[384] * wc[251] + xc[456] * wc[281] + xc[448] * wc[287];
            }
            yr[14] = acc0;
            yr[270] = acc1;
            yr[526] = acc2;
            yr[782] = acc3;
          }
        }
      }
    }
  }
  /* rows 7..7, cols 0..6: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float *wb = w;
        {
          const float *xr = x + n * 8 * 64 + 56;
          float *yr = y + n * 4 * 256 + 241;
          for (int qw = 0; qw <= 6; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[0];
            float acc1 = b[1];
            float acc2 = b[2];
            float acc3 = b[3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[1] * wc[6] + xc[0] * wc[8] + xc[65] * wc[42] + xc[64] * wc[44] +
                  xc[129] * wc[78] + xc[128] * wc[80] + xc[193] * wc[114] + xc[192] * wc[116] +
                  xc[257] * wc[150] + xc[256] * wc[152] + xc[321] * wc[186] + xc[320] * wc[188] +
                  xc[385] * wc[222] + xc[384] * wc[224] + xc[449] * wc[258] + xc[448] * wc[260];
              acc1 += xc[1] * wc[15] + xc[0] * wc[17] + xc[65] * wc[51] + xc[64] * wc[53] +
                  xc[129] * wc[87] + xc[128] * wc[89] + xc[193] * wc[123] + xc[192] * wc[125] +
                  xc[257] * wc[159] + xc[256] * wc[161] + xc[321] * wc[195] + xc[320] * wc[197] +
                  xc[385] * wc[231] + xc[384] * wc[233] + xc[449] * wc[267] + xc[448] * wc[269];
              acc2 += xc[1] * wc[24] + xc[0] * wc[26] + xc[65] * wc[60] + xc[64] * wc[62] +
                  xc[129] * wc[96] + xc[128] * wc[98] + xc[193] * wc[132] + xc[192] * wc[134] +
                  xc[257] * wc[168] + xc[256] * wc[170] + xc[321] * wc[204] + xc[320] * wc[206] +
                  xc[385] * wc[240] + xc[384] * wc[242] + xc[449] * wc[276] + xc[448] * wc[278];
              acc3 += xc[1] * wc[33] + xc[0] * wc[35] + xc[65] * wc[69] + xc[64] * wc[71] +
                  xc[129] * wc[105] + xc[128] * wc[107] + xc[193] * wc[141] + xc[192] * wc[143] +
                  xc[257] * wc[177] + xc[256] * wc[179] + xc[321] * wc[213] + xc[320] * wc[215] +
                  xc[385] * wc[249] + xc[384] * wc[251] + xc[449] * wc[285] + xc[448] * wc[287];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 7..7, cols 7..7: 1 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      {
        const float *wb = w;
        {
          const float *xr = x + n * 8 * 64 + 56;
          float *yr = y + n * 4 * 256 + 241;
          {
            const float *xp = xr + 7;
            float acc0 = b[0];
            float acc1 = b[1];
            float acc2 = b[2];
            float acc3 = b[3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[0] * wc[8] + xc[64] * wc[44] + xc[128] * wc[80] + xc[192] * wc[116] +
                  xc[256] * wc[152] + xc[320] * wc[188] + xc[384] * wc[224] + xc[448] * wc[260];
              acc1 += xc[0] * wc[17] + xc[64] * wc[53] + xc[128] * wc[89] + xc[192] * wc[125] +
                  xc[256] * wc[161] + xc[320] * wc[197] + xc[384] * wc[233] + xc[448] * wc[269];
              acc2 += xc[0] * wc[26] + xc[64] * wc[62] + xc[128] * wc[98] + xc[192] * wc[134] +
                  xc[256] * wc[170] + xc[320] * wc[206] + xc[384] * wc[242] + xc[448] * wc[278];
              acc3 += xc[0] * wc[35] + xc[64] * wc[71] + xc[128] * wc[107] + xc[192] * wc[143] +
                  xc[256] * wc[179] + xc[320] * wc[215] + xc[384] * wc[251] + xc[448] * wc[287];
            }
            yr[14] = acc0;
            yr[270] = acc1;
            yr[526] = acc2;
            yr[782] = acc3;
          }
        }
      }
    }
  }
}

int tiny_mcu_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  tiny_mcu_phase_0_0(batch, input, weight, bias, output);
  tiny_mcu_phase_0_1(batch, input, weight, bias, output);
  tiny_mcu_phase_1_0(batch, input, weight, bias, output);
  tiny_mcu_phase_1_1(batch, input, weight, bias, output);
  return 0;
}


/* Packed form of this code: the weights, then the bias, as PyTorch stores them. */
void tiny_mcu_pack(const float *weight, const float *bias, float *packed) {
  for (int i = 0; i < 288; i++) packed[i] = weight[i];
  for (int i = 0; i < 4; i++) packed[288 + i] = bias[i];
}

int tiny_mcu_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  return tiny_mcu_run_batch(batch, input, packed, packed + 288, output);
}

/* the spec's batch of 1 */
int tiny_mcu_run_packed(const float *input, const float *packed, float *output) {
  return tiny_mcu_run_packed_batch(1, input, packed, output);
}

int tiny_mcu_run(const float *input, const float *weight, const float *bias, float *output) {
  return tiny_mcu_run_batch(1, input, weight, bias, output);
}
#endif
