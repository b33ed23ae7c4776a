// Auto-generated file. Do not edit!
//   Generator: convtgen 0.2.0
//   Layer: ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=1, bias=True, dilation=(1, 1)) on input (1, 8, 8, 8), float32
//   Target: portable
//   Code: row_vectors (templates/row_vectors.c.in) where defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__)
//     vectors of 8 along rows, up to 4 channels x 16 positions per tile (few output channels)
//   Code: row_vectors (templates/row_vectors.c.in) where defined(__GNUC__) && defined(__aarch64__)
//     vectors of 4 along rows, up to 4 channels x 12 positions per tile (few output channels)
//   Code: phase_tables (templates/phase_tables.c.in) elsewhere
//     one loop nest over stride phases with tap tables (unroll = none)

void tiny_mcu_small_pack(const float *weight, const float *bias, float *packed);
int tiny_mcu_small_run_packed(const float *input, const float *packed, float *output);
int tiny_mcu_small_run(const float *input, const float *weight, const float *bias, float *output);
int tiny_mcu_small_run_packed_batch(int batch, const float *input, const float *packed, float *output);
int tiny_mcu_small_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output);

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
static void tiny_mcu_small_phase_0_0(int batch, const float *restrict x, const float *restrict w,
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
static void tiny_mcu_small_phase_0_1(int batch, const float *restrict x, const float *restrict w,
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
static void tiny_mcu_small_phase_1_0(int batch, const float *restrict x, const float *restrict w,
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
static void tiny_mcu_small_phase_1_1(int batch, const float *restrict x, const float *restrict w,
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

int tiny_mcu_small_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  tiny_mcu_small_phase_0_0(batch, input, weight, bias, output);
  tiny_mcu_small_phase_0_1(batch, input, weight, bias, output);
  tiny_mcu_small_phase_1_0(batch, input, weight, bias, output);
  tiny_mcu_small_phase_1_1(batch, input, weight, bias, output);
  return 0;
}


/* Packed form of this code: the weights, then the bias, as PyTorch stores them. */
void tiny_mcu_small_pack(const float *weight, const float *bias, float *packed) {
  for (int i = 0; i < 288; i++) packed[i] = weight[i];
  for (int i = 0; i < 4; i++) packed[288 + i] = bias[i];
}

int tiny_mcu_small_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  return tiny_mcu_small_run_batch(batch, input, packed, packed + 288, output);
}

/* the spec's batch of 1 */
int tiny_mcu_small_run_packed(const float *input, const float *packed, float *output) {
  return tiny_mcu_small_run_packed_batch(1, input, packed, output);
}

int tiny_mcu_small_run(const float *input, const float *weight, const float *bias, float *output) {
  return tiny_mcu_small_run_batch(1, input, weight, bias, output);
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
static void tiny_mcu_small_phase_0_0(int batch, const float *restrict x, const float *restrict w,
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
static void tiny_mcu_small_phase_0_1(int batch, const float *restrict x, const float *restrict w,
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
static void tiny_mcu_small_phase_1_0(int batch, const float *restrict x, const float *restrict w,
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
static void tiny_mcu_small_phase_1_1(int batch, const float *restrict x, const float *restrict w,
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

int tiny_mcu_small_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  tiny_mcu_small_phase_0_0(batch, input, weight, bias, output);
  tiny_mcu_small_phase_0_1(batch, input, weight, bias, output);
  tiny_mcu_small_phase_1_0(batch, input, weight, bias, output);
  tiny_mcu_small_phase_1_1(batch, input, weight, bias, output);
  return 0;
}


/* Packed form of this code: the weights, then the bias, as PyTorch stores them. */
void tiny_mcu_small_pack(const float *weight, const float *bias, float *packed) {
  for (int i = 0; i < 288; i++) packed[i] = weight[i];
  for (int i = 0; i < 4; i++) packed[288 + i] = bias[i];
}

int tiny_mcu_small_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  return tiny_mcu_small_run_batch(batch, input, packed, packed + 288, output);
}

/* the spec's batch of 1 */
int tiny_mcu_small_run_packed(const float *input, const float *packed, float *output) {
  return tiny_mcu_small_run_packed_batch(1, input, packed, output);
}

int tiny_mcu_small_run(const float *input, const float *weight, const float *bias, float *output) {
  return tiny_mcu_small_run_batch(1, input, weight, bias, output);
}

#else

/* Gather form over stride phases with the taps of each phase in constant tables: no multiply
 * touches an inserted zero and nothing divides at run time; code size stays small. */
/* taps of each row phase r: entries start[r] .. start[r + 1] - 1 */
static const int tiny_mcu_small_h_start[3] = { 0, 1, 3 };
static const int tiny_mcu_small_h_count[2] = { 8, 8 };
static const int tiny_mcu_small_h_k[3] = { 1, 0, 2 };
static const int tiny_mcu_small_h_off[3] = { 0, 1, 0 };
/* taps of each column phase r: entries start[r] .. start[r + 1] - 1 */
static const int tiny_mcu_small_w_start[3] = { 0, 1, 3 };
static const int tiny_mcu_small_w_count[2] = { 8, 8 };
static const int tiny_mcu_small_w_k[3] = { 1, 0, 2 };
static const int tiny_mcu_small_w_off[3] = { 0, 1, 0 };

int tiny_mcu_small_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  for (int n = 0; n < batch; n++) {
    {
      const float *x = input + n * 8 * 64;
      for (int j = 0; j < 4; j++) {
        const int co = j;
        const float *wj = weight + j * 9;
        float *y = output + (n * 4 + co) * 256;
        for (int rh = 0; rh < 2; rh++) {
          for (int qh = 0; qh < tiny_mcu_small_h_count[rh]; qh++) {
            for (int rw = 0; rw < 2; rw++) {
              for (int qw = 0; qw < tiny_mcu_small_w_count[rw]; qw++) {
                float acc = bias[co];
                for (int a = tiny_mcu_small_h_start[rh]; a < tiny_mcu_small_h_start[rh + 1]; a++) {
                  const int ih = qh + tiny_mcu_small_h_off[a];
                  if (ih < 0 || ih >= 8) continue;
                  for (int c = tiny_mcu_small_w_start[rw]; c < tiny_mcu_small_w_start[rw + 1]; c++) {
                    const int iw = qw + tiny_mcu_small_w_off[c];
                    if (iw < 0 || iw >= 8) continue;
                    const float *xc = x + ih * 8 + iw;
                    const float *wc = wj + tiny_mcu_small_h_k[a] * 3 + tiny_mcu_small_w_k[c];
                    for (int ci = 0; ci < 8; ci++) acc += xc[ci * 64] * wc[ci * 36];
                  }
                }
                y[(qh * 2 + rh) * 16 + qw * 2 + rw] = acc;
              }
            }
          }
        }
      }
    }
  }
  return 0;
}


/* Packed form of this code: the weights, then the bias, as PyTorch stores them. */
void tiny_mcu_small_pack(const float *weight, const float *bias, float *packed) {
  for (int i = 0; i < 288; i++) packed[i] = weight[i];
  for (int i = 0; i < 4; i++) packed[288 + i] = bias[i];
}

int tiny_mcu_small_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  return tiny_mcu_small_run_batch(batch, input, packed, packed + 288, output);
}

/* the spec's batch of 1 */
int tiny_mcu_small_run_packed(const float *input, const float *packed, float *output) {
  return tiny_mcu_small_run_packed_batch(1, input, packed, output);
}

int tiny_mcu_small_run(const float *input, const float *weight, const float *bias, float *output) {
  return tiny_mcu_small_run_batch(1, input, weight, bias, output);
}
#endif
