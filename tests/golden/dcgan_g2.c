// Auto-generated file. Do not edit!
//   Generator: convtgen 0.2.0
//   Layer: ConvTranspose2d(512, 256, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), output_padding=(0, 0), groups=1, bias=False, dilation=(1, 1)) on input (1, 512, 4, 4), float32
//   Target: portable
//   Code: phase_matmul (templates/phase_matmul.c.in) where defined(__GNUC__) && defined(__AVX512F__)
//     per-phase matrix products, 32 channels x up to 12 positions per tile
//   Code: phase_matmul (templates/phase_matmul.c.in) where defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__)
//     per-phase matrix products, 16 channels x up to 5 positions per tile
//   Code: phase_matmul (templates/phase_matmul.c.in) where defined(__GNUC__) && defined(__aarch64__)
//     per-phase matrix products, 16 channels x up to 4 positions per tile
//   Code: phases (templates/phases.c.in) elsewhere
//     stride-phase code, 4 phases with their borders peeled, unroll = auto

void dcgan_g2_pack(const float *weight, const float *bias, float *packed);
int dcgan_g2_run_packed(const float *input, const float *packed, float *output);
int dcgan_g2_run(const float *input, const float *weight, const float *bias, float *output);
int dcgan_g2_run_packed_batch(int batch, const float *input, const float *packed, float *output);
int dcgan_g2_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output);

#if defined(__GNUC__) && defined(__AVX512F__)

#ifndef CTG_F32X16_DEFINED
#define CTG_F32X16_DEFINED
/* 16 floats, one AVX-512 register; unaligned loads and stores through a may_alias type */
typedef float ctg_f32x16 __attribute__((vector_size(64)));
typedef float ctg_f32x16u __attribute__((vector_size(64), aligned(4), may_alias));
typedef int ctg_i32x16 __attribute__((vector_size(64)));
#define CTG_F32X16_LOAD(p) (*(const ctg_f32x16u *)(const void *)(p))
#define CTG_F32X16_STORE(p, v) (*(ctg_f32x16u *)(void *)(p) = (v))
#endif

/* Weights (Cin, Cout/groups, KH, KW) -> per phase, group, block of 32 output channels, input
 * channel and tap: 32 consecutive output channels (zero past the last); then the bias. */
void dcgan_g2_pack(const float *weight, const float *bias, float *packed) {
  /* phase (0, 0): 4 taps */
  {
    static const int taps[4] = { 5, 7, 13, 15 };
    for (int cob = 0; cob < 8; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 32; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 65536 + ci * 128 + i * 32 + c] = weight[ci * 4096 + cob * 512 + c * 16 + taps[i]];
  }
  /* phase (0, 1): 4 taps */
  {
    static const int taps[4] = { 4, 6, 12, 14 };
    for (int cob = 0; cob < 8; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 32; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 65536 + ci * 128 + i * 32 + c + 524288] = weight[ci * 4096 + cob * 512 + c * 16 + taps[i]];
  }
  /* phase (1, 0): 4 taps */
  {
    static const int taps[4] = { 1, 3, 9, 11 };
    for (int cob = 0; cob < 8; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 32; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 65536 + ci * 128 + i * 32 + c + 1048576] = weight[ci * 4096 + cob * 512 + c * 16 + taps[i]];
  }
  /* phase (1, 1): 4 taps */
  {
    static const int taps[4] = { 0, 2, 8, 10 };
    for (int cob = 0; cob < 8; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 32; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 65536 + ci * 128 + i * 32 + c + 1572864] = weight[ci * 4096 + cob * 512 + c * 16 + taps[i]];
  }
  /* the bias, per group and channel block */
  for (int cob = 0; cob < 8; cob++)
    for (int c = 0; c < 32; c++)
      packed[cob * 32 + c + 2097152] = 0.0f;
  (void)bias;
}

/* phase (oh % 2, ow % 2) = (0, 0): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_0_0(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 7; cob++) {
        const float *bb = packed + cob * 32 + 2097152;
        float *yb = y + (n * 256 + cob * 32) * 64;
        { /* rows 0..0, cols 0..0: 1 of 4 taps */
        const float *wb = packed + cob * 65536;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x16 w0_0 = CTG_F32X16_LOAD(wc);
              const ctg_f32x16 w1_0 = CTG_F32X16_LOAD(wc + 16);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
            }
            float tile[1][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
        { /* rows 0..0, cols 1..3: 2 of 4 taps */
        const float *wb = packed + cob * 65536;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 1;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 191);
              __builtin_prefetch(xc + 194);
              const ctg_f32x16 w0_0 = CTG_F32X16_LOAD(wc);
              const ctg_f32x16 w1_0 = CTG_F32X16_LOAD(wc + 16);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[1]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[2]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              const ctg_f32x16 w0_1 = CTG_F32X16_LOAD(wc + 32);
              const ctg_f32x16 w1_1 = CTG_F32X16_LOAD(wc + 48);
              { const float v = xc[-1]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[0]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[1]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
            }
            float tile[3][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 0..0: 2 of 4 taps */
        const float *wb = packed + cob * 65536;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 0;
          {
            const float *xc = xb + qw + 4;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 188);
              __builtin_prefetch(xc + 200);
              const ctg_f32x16 w0_0 = CTG_F32X16_LOAD(wc);
              const ctg_f32x16 w1_0 = CTG_F32X16_LOAD(wc + 16);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[4]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[8]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              const ctg_f32x16 w0_2 = CTG_F32X16_LOAD(wc + 64);
              const ctg_f32x16 w1_2 = CTG_F32X16_LOAD(wc + 80);
              { const float v = xc[-4]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[0]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[4]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
            }
            float tile[3][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            float *yq = yb + qw * 2 + 16;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 1..3: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 65536;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 1;
          {
            const float *xc = xb + qw + 4;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            ctg_f32x16 a0_3 = b0, a1_3 = b1;
            ctg_f32x16 a0_4 = b0, a1_4 = b1;
            ctg_f32x16 a0_5 = b0, a1_5 = b1;
            ctg_f32x16 a0_6 = b0, a1_6 = b1;
            ctg_f32x16 a0_7 = b0, a1_7 = b1;
            ctg_f32x16 a0_8 = b0, a1_8 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 187);
              __builtin_prefetch(xc + 202);
              const ctg_f32x16 w0_0 = CTG_F32X16_LOAD(wc);
              const ctg_f32x16 w1_0 = CTG_F32X16_LOAD(wc + 16);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[1]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[2]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              { const float v = xc[4]; a0_3 += w0_0 * v; a1_3 += w1_0 * v; }
              { const float v = xc[5]; a0_4 += w0_0 * v; a1_4 += w1_0 * v; }
              { const float v = xc[6]; a0_5 += w0_0 * v; a1_5 += w1_0 * v; }
              { const float v = xc[8]; a0_6 += w0_0 * v; a1_6 += w1_0 * v; }
              { const float v = xc[9]; a0_7 += w0_0 * v; a1_7 += w1_0 * v; }
              { const float v = xc[10]; a0_8 += w0_0 * v; a1_8 += w1_0 * v; }
              const ctg_f32x16 w0_1 = CTG_F32X16_LOAD(wc + 32);
              const ctg_f32x16 w1_1 = CTG_F32X16_LOAD(wc + 48);
              { const float v = xc[-1]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[0]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[1]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              { const float v = xc[3]; a0_3 += w0_1 * v; a1_3 += w1_1 * v; }
              { const float v = xc[4]; a0_4 += w0_1 * v; a1_4 += w1_1 * v; }
              { const float v = xc[5]; a0_5 += w0_1 * v; a1_5 += w1_1 * v; }
              { const float v = xc[7]; a0_6 += w0_1 * v; a1_6 += w1_1 * v; }
              { const float v = xc[8]; a0_7 += w0_1 * v; a1_7 += w1_1 * v; }
              { const float v = xc[9]; a0_8 += w0_1 * v; a1_8 += w1_1 * v; }
              const ctg_f32x16 w0_2 = CTG_F32X16_LOAD(wc + 64);
              const ctg_f32x16 w1_2 = CTG_F32X16_LOAD(wc + 80);
              { const float v = xc[-4]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[-3]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[-2]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              { const float v = xc[0]; a0_3 += w0_2 * v; a1_3 += w1_2 * v; }
              { const float v = xc[1]; a0_4 += w0_2 * v; a1_4 += w1_2 * v; }
              { const float v = xc[2]; a0_5 += w0_2 * v; a1_5 += w1_2 * v; }
              { const float v = xc[4]; a0_6 += w0_2 * v; a1_6 += w1_2 * v; }
              { const float v = xc[5]; a0_7 += w0_2 * v; a1_7 += w1_2 * v; }
              { const float v = xc[6]; a0_8 += w0_2 * v; a1_8 += w1_2 * v; }
              const ctg_f32x16 w0_3 = CTG_F32X16_LOAD(wc + 96);
              const ctg_f32x16 w1_3 = CTG_F32X16_LOAD(wc + 112);
              { const float v = xc[-5]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[-4]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[-3]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
              { const float v = xc[-1]; a0_3 += w0_3 * v; a1_3 += w1_3 * v; }
              { const float v = xc[0]; a0_4 += w0_3 * v; a1_4 += w1_3 * v; }
              { const float v = xc[1]; a0_5 += w0_3 * v; a1_5 += w1_3 * v; }
              { const float v = xc[3]; a0_6 += w0_3 * v; a1_6 += w1_3 * v; }
              { const float v = xc[4]; a0_7 += w0_3 * v; a1_7 += w1_3 * v; }
              { const float v = xc[5]; a0_8 += w0_3 * v; a1_8 += w1_3 * v; }
            }
            float tile[9][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            CTG_F32X16_STORE(&tile[3][0], a0_3);
            CTG_F32X16_STORE(&tile[3][16], a1_3);
            CTG_F32X16_STORE(&tile[4][0], a0_4);
            CTG_F32X16_STORE(&tile[4][16], a1_4);
            CTG_F32X16_STORE(&tile[5][0], a0_5);
            CTG_F32X16_STORE(&tile[5][16], a1_5);
            CTG_F32X16_STORE(&tile[6][0], a0_6);
            CTG_F32X16_STORE(&tile[6][16], a1_6);
            CTG_F32X16_STORE(&tile[7][0], a0_7);
            CTG_F32X16_STORE(&tile[7][16], a1_7);
            CTG_F32X16_STORE(&tile[8][0], a0_8);
            CTG_F32X16_STORE(&tile[8][16], a1_8);
            float *yq = yb + qw * 2 + 16;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
              yq[c * 64 + 16] = tile[3][c];
              yq[c * 64 + 18] = tile[4][c];
              yq[c * 64 + 20] = tile[5][c];
              yq[c * 64 + 32] = tile[6][c];
              yq[c * 64 + 34] = tile[7][c];
              yq[c * 64 + 36] = tile[8][c];
            }
          }
        }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (0, 1): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_0_1(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 7; cob++) {
        const float *bb = packed + cob * 32 + 2097152;
        float *yb = y + (n * 256 + cob * 32) * 64 + 1;
        { /* rows 0..0, cols 0..2: 2 of 4 taps */
        const float *wb = packed + cob * 65536 + 524288;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 195);
              const ctg_f32x16 w0_0 = CTG_F32X16_LOAD(wc);
              const ctg_f32x16 w1_0 = CTG_F32X16_LOAD(wc + 16);
              { const float v = xc[1]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[2]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[3]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              const ctg_f32x16 w0_1 = CTG_F32X16_LOAD(wc + 32);
              const ctg_f32x16 w1_1 = CTG_F32X16_LOAD(wc + 48);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[1]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[2]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
            }
            float tile[3][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 0..0, cols 3..3: 1 of 4 taps */
        const float *wb = packed + cob * 65536 + 524288;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 3;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x16 w0_1 = CTG_F32X16_LOAD(wc + 32);
              const ctg_f32x16 w1_1 = CTG_F32X16_LOAD(wc + 48);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
            }
            float tile[1][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 0..2: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 65536 + 524288;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 0;
          {
            const float *xc = xb + qw + 4;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            ctg_f32x16 a0_3 = b0, a1_3 = b1;
            ctg_f32x16 a0_4 = b0, a1_4 = b1;
            ctg_f32x16 a0_5 = b0, a1_5 = b1;
            ctg_f32x16 a0_6 = b0, a1_6 = b1;
            ctg_f32x16 a0_7 = b0, a1_7 = b1;
            ctg_f32x16 a0_8 = b0, a1_8 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 188);
              __builtin_prefetch(xc + 203);
              const ctg_f32x16 w0_0 = CTG_F32X16_LOAD(wc);
              const ctg_f32x16 w1_0 = CTG_F32X16_LOAD(wc + 16);
              { const float v = xc[1]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[2]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[3]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              { const float v = xc[5]; a0_3 += w0_0 * v; a1_3 += w1_0 * v; }
              { const float v = xc[6]; a0_4 += w0_0 * v; a1_4 += w1_0 * v; }
              { const float v = xc[7]; a0_5 += w0_0 * v; a1_5 += w1_0 * v; }
              { const float v = xc[9]; a0_6 += w0_0 * v; a1_6 += w1_0 * v; }
              { const float v = xc[10]; a0_7 += w0_0 * v; a1_7 += w1_0 * v; }
              { const float v = xc[11]; a0_8 += w0_0 * v; a1_8 += w1_0 * v; }
              const ctg_f32x16 w0_1 = CTG_F32X16_LOAD(wc + 32);
              const ctg_f32x16 w1_1 = CTG_F32X16_LOAD(wc + 48);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[1]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[2]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              { const float v = xc[4]; a0_3 += w0_1 * v; a1_3 += w1_1 * v; }
              { const float v = xc[5]; a0_4 += w0_1 * v; a1_4 += w1_1 * v; }
              { const float v = xc[6]; a0_5 += w0_1 * v; a1_5 += w1_1 * v; }
              { const float v = xc[8]; a0_6 += w0_1 * v; a1_6 += w1_1 * v; }
              { const float v = xc[9]; a0_7 += w0_1 * v; a1_7 += w1_1 * v; }
              { const float v = xc[10]; a0_8 += w0_1 * v; a1_8 += w1_1 * v; }
              const ctg_f32x16 w0_2 = CTG_F32X16_LOAD(wc + 64);
              const ctg_f32x16 w1_2 = CTG_F32X16_LOAD(wc + 80);
              { const float v = xc[-3]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[-2]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[-1]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              { const float v = xc[1]; a0_3 += w0_2 * v; a1_3 += w1_2 * v; }
              { const float v = xc[2]; a0_4 += w0_2 * v; a1_4 += w1_2 * v; }
              { const float v = xc[3]; a0_5 += w0_2 * v; a1_5 += w1_2 * v; }
              { const float v = xc[5]; a0_6 += w0_2 * v; a1_6 += w1_2 * v; }
              { const float v = xc[6]; a0_7 += w0_2 * v; a1_7 += w1_2 * v; }
              { const float v = xc[7]; a0_8 += w0_2 * v; a1_8 += w1_2 * v; }
              const ctg_f32x16 w0_3 = CTG_F32X16_LOAD(wc + 96);
              const ctg_f32x16 w1_3 = CTG_F32X16_LOAD(wc + 112);
              { const float v = xc[-4]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[-3]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[-2]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
              { const float v = xc[0]; a0_3 += w0_3 * v; a1_3 += w1_3 * v; }
              { const float v = xc[1]; a0_4 += w0_3 * v; a1_4 += w1_3 * v; }
              { const float v = xc[2]; a0_5 += w0_3 * v; a1_5 += w1_3 * v; }
              { const float v = xc[4]; a0_6 += w0_3 * v; a1_6 += w1_3 * v; }
              { const float v = xc[5]; a0_7 += w0_3 * v; a1_7 += w1_3 * v; }
              { const float v = xc[6]; a0_8 += w0_3 * v; a1_8 += w1_3 * v; }
            }
            float tile[9][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            CTG_F32X16_STORE(&tile[3][0], a0_3);
            CTG_F32X16_STORE(&tile[3][16], a1_3);
            CTG_F32X16_STORE(&tile[4][0], a0_4);
            CTG_F32X16_STORE(&tile[4][16], a1_4);
            CTG_F32X16_STORE(&tile[5][0], a0_5);
            CTG_F32X16_STORE(&tile[5][16], a1_5);
            CTG_F32X16_STORE(&tile[6][0], a0_6);
            CTG_F32X16_STORE(&tile[6][16], a1_6);
            CTG_F32X16_STORE(&tile[7][0], a0_7);
            CTG_F32X16_STORE(&tile[7][16], a1_7);
            CTG_F32X16_STORE(&tile[8][0], a0_8);
            CTG_F32X16_STORE(&tile[8][16], a1_8);
            float *yq = yb + qw * 2 + 16;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
              yq[c * 64 + 16] = tile[3][c];
              yq[c * 64 + 18] = tile[4][c];
              yq[c * 64 + 20] = tile[5][c];
              yq[c * 64 + 32] = tile[6][c];
              yq[c * 64 + 34] = tile[7][c];
              yq[c * 64 + 36] = tile[8][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 3..3: 2 of 4 taps */
        const float *wb = packed + cob * 65536 + 524288;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 3;
          {
            const float *xc = xb + qw + 4;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 188);
              __builtin_prefetch(xc + 200);
              const ctg_f32x16 w0_1 = CTG_F32X16_LOAD(wc + 32);
              const ctg_f32x16 w1_1 = CTG_F32X16_LOAD(wc + 48);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[4]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[8]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              const ctg_f32x16 w0_3 = CTG_F32X16_LOAD(wc + 96);
              const ctg_f32x16 w1_3 = CTG_F32X16_LOAD(wc + 112);
              { const float v = xc[-4]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[0]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[4]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            float *yq = yb + qw * 2 + 16;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 0): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_1_0(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 7; cob++) {
        const float *bb = packed + cob * 32 + 2097152;
        float *yb = y + (n * 256 + cob * 32) * 64 + 8;
        { /* rows 0..2, cols 0..0: 2 of 4 taps */
        const float *wb = packed + cob * 65536 + 1048576;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 0;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 204);
              const ctg_f32x16 w0_0 = CTG_F32X16_LOAD(wc);
              const ctg_f32x16 w1_0 = CTG_F32X16_LOAD(wc + 16);
              { const float v = xc[4]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[8]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[12]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              const ctg_f32x16 w0_2 = CTG_F32X16_LOAD(wc + 64);
              const ctg_f32x16 w1_2 = CTG_F32X16_LOAD(wc + 80);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[4]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[8]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
            }
            float tile[3][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
        { /* rows 0..2, cols 1..3: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 65536 + 1048576;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 1;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            ctg_f32x16 a0_3 = b0, a1_3 = b1;
            ctg_f32x16 a0_4 = b0, a1_4 = b1;
            ctg_f32x16 a0_5 = b0, a1_5 = b1;
            ctg_f32x16 a0_6 = b0, a1_6 = b1;
            ctg_f32x16 a0_7 = b0, a1_7 = b1;
            ctg_f32x16 a0_8 = b0, a1_8 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 191);
              __builtin_prefetch(xc + 206);
              const ctg_f32x16 w0_0 = CTG_F32X16_LOAD(wc);
              const ctg_f32x16 w1_0 = CTG_F32X16_LOAD(wc + 16);
              { const float v = xc[4]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[5]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[6]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              { const float v = xc[8]; a0_3 += w0_0 * v; a1_3 += w1_0 * v; }
              { const float v = xc[9]; a0_4 += w0_0 * v; a1_4 += w1_0 * v; }
              { const float v = xc[10]; a0_5 += w0_0 * v; a1_5 += w1_0 * v; }
              { const float v = xc[12]; a0_6 += w0_0 * v; a1_6 += w1_0 * v; }
              { const float v = xc[13]; a0_7 += w0_0 * v; a1_7 += w1_0 * v; }
              { const float v = xc[14]; a0_8 += w0_0 * v; a1_8 += w1_0 * v; }
              const ctg_f32x16 w0_1 = CTG_F32X16_LOAD(wc + 32);
              const ctg_f32x16 w1_1 = CTG_F32X16_LOAD(wc + 48);
              { const float v = xc[3]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[4]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[5]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              { const float v = xc[7]; a0_3 += w0_1 * v; a1_3 += w1_1 * v; }
              { const float v = xc[8]; a0_4 += w0_1 * v; a1_4 += w1_1 * v; }
              { const float v = xc[9]; a0_5 += w0_1 * v; a1_5 += w1_1 * v; }
              { const float v = xc[11]; a0_6 += w0_1 * v; a1_6 += w1_1 * v; }
              { const float v = xc[12]; a0_7 += w0_1 * v; a1_7 += w1_1 * v; }
              { const float v = xc[13]; a0_8 += w0_1 * v; a1_8 += w1_1 * v; }
              const ctg_f32x16 w0_2 = CTG_F32X16_LOAD(wc + 64);
              const ctg_f32x16 w1_2 = CTG_F32X16_LOAD(wc + 80);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[1]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[2]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              { const float v = xc[4]; a0_3 += w0_2 * v; a1_3 += w1_2 * v; }
              { const float v = xc[5]; a0_4 += w0_2 * v; a1_4 += w1_2 * v; }
              { const float v = xc[6]; a0_5 += w0_2 * v; a1_5 += w1_2 * v; }
              { const float v = xc[8]; a0_6 += w0_2 * v; a1_6 += w1_2 * v; }
              { const float v = xc[9]; a0_7 += w0_2 * v; a1_7 += w1_2 * v; }
              { const float v = xc[10]; a0_8 += w0_2 * v; a1_8 += w1_2 * v; }
              const ctg_f32x16 w0_3 = CTG_F32X16_LOAD(wc + 96);
              const ctg_f32x16 w1_3 = CTG_F32X16_LOAD(wc + 112);
              { const float v = xc[-1]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[0]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[1]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
              { const float v = xc[3]; a0_3 += w0_3 * v; a1_3 += w1_3 * v; }
              { const float v = xc[4]; a0_4 += w0_3 * v; a1_4 += w1_3 * v; }
              { const float v = xc[5]; a0_5 += w0_3 * v; a1_5 += w1_3 * v; }
              { const float v = xc[7]; a0_6 += w0_3 * v; a1_6 += w1_3 * v; }
              { const float v = xc[8]; a0_7 += w0_3 * v; a1_7 += w1_3 * v; }
              { const float v = xc[9]; a0_8 += w0_3 * v; a1_8 += w1_3 * v; }
            }
            float tile[9][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            CTG_F32X16_STORE(&tile[3][0], a0_3);
            CTG_F32X16_STORE(&tile[3][16], a1_3);
            CTG_F32X16_STORE(&tile[4][0], a0_4);
            CTG_F32X16_STORE(&tile[4][16], a1_4);
            CTG_F32X16_STORE(&tile[5][0], a0_5);
            CTG_F32X16_STORE(&tile[5][16], a1_5);
            CTG_F32X16_STORE(&tile[6][0], a0_6);
            CTG_F32X16_STORE(&tile[6][16], a1_6);
            CTG_F32X16_STORE(&tile[7][0], a0_7);
            CTG_F32X16_STORE(&tile[7][16], a1_7);
            CTG_F32X16_STORE(&tile[8][0], a0_8);
            CTG_F32X16_STORE(&tile[8][16], a1_8);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
              yq[c * 64 + 16] = tile[3][c];
              yq[c * 64 + 18] = tile[4][c];
              yq[c * 64 + 20] = tile[5][c];
              yq[c * 64 + 32] = tile[6][c];
              yq[c * 64 + 34] = tile[7][c];
              yq[c * 64 + 36] = tile[8][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 0..0: 1 of 4 taps */
        const float *wb = packed + cob * 65536 + 1048576;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x16 w0_2 = CTG_F32X16_LOAD(wc + 64);
              const ctg_f32x16 w1_2 = CTG_F32X16_LOAD(wc + 80);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
            }
            float tile[1][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 1..3: 2 of 4 taps */
        const float *wb = packed + cob * 65536 + 1048576;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 1;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 191);
              __builtin_prefetch(xc + 194);
              const ctg_f32x16 w0_2 = CTG_F32X16_LOAD(wc + 64);
              const ctg_f32x16 w1_2 = CTG_F32X16_LOAD(wc + 80);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[1]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[2]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              const ctg_f32x16 w0_3 = CTG_F32X16_LOAD(wc + 96);
              const ctg_f32x16 w1_3 = CTG_F32X16_LOAD(wc + 112);
              { const float v = xc[-1]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[0]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[1]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 1): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_1_1(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 7; cob++) {
        const float *bb = packed + cob * 32 + 2097152;
        float *yb = y + (n * 256 + cob * 32) * 64 + 9;
        { /* rows 0..2, cols 0..2: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 65536 + 1572864;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 0;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            ctg_f32x16 a0_3 = b0, a1_3 = b1;
            ctg_f32x16 a0_4 = b0, a1_4 = b1;
            ctg_f32x16 a0_5 = b0, a1_5 = b1;
            ctg_f32x16 a0_6 = b0, a1_6 = b1;
            ctg_f32x16 a0_7 = b0, a1_7 = b1;
            ctg_f32x16 a0_8 = b0, a1_8 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 207);
              const ctg_f32x16 w0_0 = CTG_F32X16_LOAD(wc);
              const ctg_f32x16 w1_0 = CTG_F32X16_LOAD(wc + 16);
              { const float v = xc[5]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[6]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[7]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              { const float v = xc[9]; a0_3 += w0_0 * v; a1_3 += w1_0 * v; }
              { const float v = xc[10]; a0_4 += w0_0 * v; a1_4 += w1_0 * v; }
              { const float v = xc[11]; a0_5 += w0_0 * v; a1_5 += w1_0 * v; }
              { const float v = xc[13]; a0_6 += w0_0 * v; a1_6 += w1_0 * v; }
              { const float v = xc[14]; a0_7 += w0_0 * v; a1_7 += w1_0 * v; }
              { const float v = xc[15]; a0_8 += w0_0 * v; a1_8 += w1_0 * v; }
              const ctg_f32x16 w0_1 = CTG_F32X16_LOAD(wc + 32);
              const ctg_f32x16 w1_1 = CTG_F32X16_LOAD(wc + 48);
              { const float v = xc[4]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[5]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[6]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              { const float v = xc[8]; a0_3 += w0_1 * v; a1_3 += w1_1 * v; }
              { const float v = xc[9]; a0_4 += w0_1 * v; a1_4 += w1_1 * v; }
              { const float v = xc[10]; a0_5 += w0_1 * v; a1_5 += w1_1 * v; }
              { const float v = xc[12]; a0_6 += w0_1 * v; a1_6 += w1_1 * v; }
              { const float v = xc[13]; a0_7 += w0_1 * v; a1_7 += w1_1 * v; }
              { const float v = xc[14]; a0_8 += w0_1 * v; a1_8 += w1_1 * v; }
              const ctg_f32x16 w0_2 = CTG_F32X16_LOAD(wc + 64);
              const ctg_f32x16 w1_2 = CTG_F32X16_LOAD(wc + 80);
              { const float v = xc[1]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[2]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[3]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              { const float v = xc[5]; a0_3 += w0_2 * v; a1_3 += w1_2 * v; }
              { const float v = xc[6]; a0_4 += w0_2 * v; a1_4 += w1_2 * v; }
              { const float v = xc[7]; a0_5 += w0_2 * v; a1_5 += w1_2 * v; }
              { const float v = xc[9]; a0_6 += w0_2 * v; a1_6 += w1_2 * v; }
              { const float v = xc[10]; a0_7 += w0_2 * v; a1_7 += w1_2 * v; }
              { const float v = xc[11]; a0_8 += w0_2 * v; a1_8 += w1_2 * v; }
              const ctg_f32x16 w0_3 = CTG_F32X16_LOAD(wc + 96);
              const ctg_f32x16 w1_3 = CTG_F32X16_LOAD(wc + 112);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[1]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[2]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
              { const float v = xc[4]; a0_3 += w0_3 * v; a1_3 += w1_3 * v; }
              { const float v = xc[5]; a0_4 += w0_3 * v; a1_4 += w1_3 * v; }
              { const float v = xc[6]; a0_5 += w0_3 * v; a1_5 += w1_3 * v; }
              { const float v = xc[8]; a0_6 += w0_3 * v; a1_6 += w1_3 * v; }
              { const float v = xc[9]; a0_7 += w0_3 * v; a1_7 += w1_3 * v; }
              { const float v = xc[10]; a0_8 += w0_3 * v; a1_8 += w1_3 * v; }
            }
            float tile[9][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            CTG_F32X16_STORE(&tile[3][0], a0_3);
            CTG_F32X16_STORE(&tile[3][16], a1_3);
            CTG_F32X16_STORE(&tile[4][0], a0_4);
            CTG_F32X16_STORE(&tile[4][16], a1_4);
            CTG_F32X16_STORE(&tile[5][0], a0_5);
            CTG_F32X16_STORE(&tile[5][16], a1_5);
            CTG_F32X16_STORE(&tile[6][0], a0_6);
            CTG_F32X16_STORE(&tile[6][16], a1_6);
            CTG_F32X16_STORE(&tile[7][0], a0_7);
            CTG_F32X16_STORE(&tile[7][16], a1_7);
            CTG_F32X16_STORE(&tile[8][0], a0_8);
            CTG_F32X16_STORE(&tile[8][16], a1_8);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
              yq[c * 64 + 16] = tile[3][c];
              yq[c * 64 + 18] = tile[4][c];
              yq[c * 64 + 20] = tile[5][c];
              yq[c * 64 + 32] = tile[6][c];
              yq[c * 64 + 34] = tile[7][c];
              yq[c * 64 + 36] = tile[8][c];
            }
          }
        }
        }
        { /* rows 0..2, cols 3..3: 2 of 4 taps */
        const float *wb = packed + cob * 65536 + 1572864;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 3;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 204);
              const ctg_f32x16 w0_1 = CTG_F32X16_LOAD(wc + 32);
              const ctg_f32x16 w1_1 = CTG_F32X16_LOAD(wc + 48);
              { const float v = xc[4]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[8]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[12]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              const ctg_f32x16 w0_3 = CTG_F32X16_LOAD(wc + 96);
              const ctg_f32x16 w1_3 = CTG_F32X16_LOAD(wc + 112);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[4]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[8]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 0..2: 2 of 4 taps */
        const float *wb = packed + cob * 65536 + 1572864;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            ctg_f32x16 a0_1 = b0, a1_1 = b1;
            ctg_f32x16 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 195);
              const ctg_f32x16 w0_2 = CTG_F32X16_LOAD(wc + 64);
              const ctg_f32x16 w1_2 = CTG_F32X16_LOAD(wc + 80);
              { const float v = xc[1]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[2]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[3]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              const ctg_f32x16 w0_3 = CTG_F32X16_LOAD(wc + 96);
              const ctg_f32x16 w1_3 = CTG_F32X16_LOAD(wc + 112);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[1]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[2]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            CTG_F32X16_STORE(&tile[1][0], a0_1);
            CTG_F32X16_STORE(&tile[1][16], a1_1);
            CTG_F32X16_STORE(&tile[2][0], a0_2);
            CTG_F32X16_STORE(&tile[2][16], a1_2);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 3..3: 1 of 4 taps */
        const float *wb = packed + cob * 65536 + 1572864;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 3;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x16 b0 = CTG_F32X16_LOAD(bb);
            const ctg_f32x16 b1 = CTG_F32X16_LOAD(bb + 16);
            ctg_f32x16 a0_0 = b0, a1_0 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 128) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x16 w0_3 = CTG_F32X16_LOAD(wc + 96);
              const ctg_f32x16 w1_3 = CTG_F32X16_LOAD(wc + 112);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
            }
            float tile[1][32];
            CTG_F32X16_STORE(&tile[0][0], a0_0);
            CTG_F32X16_STORE(&tile[0][16], a1_0);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 32; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
      }
    }
  }
}

int dcgan_g2_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  dcgan_g2_phase_0_0(batch, input, (const float *)packed, output);
  dcgan_g2_phase_0_1(batch, input, (const float *)packed, output);
  dcgan_g2_phase_1_0(batch, input, (const float *)packed, output);
  dcgan_g2_phase_1_1(batch, input, (const float *)packed, output);
  return 0;
}


#include <stdlib.h>
/* Weights as PyTorch stores them: packed into a buffer from malloc on every call (-1 when that
 * fails). Pack once with dcgan_g2_pack and call dcgan_g2_run_packed instead. */
int dcgan_g2_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  float *packed = (float *)malloc(2097408 * sizeof(float));
  if (!packed) return -1;
  dcgan_g2_pack(weight, bias, packed);
  const int status = dcgan_g2_run_packed_batch(batch, input, packed, output);
  free(packed);
  return status;
}

/* the spec's batch of 1 */
int dcgan_g2_run_packed(const float *input, const float *packed, float *output) {
  return dcgan_g2_run_packed_batch(1, input, packed, output);
}

int dcgan_g2_run(const float *input, const float *weight, const float *bias, float *output) {
  return dcgan_g2_run_batch(1, input, weight, bias, output);
}

#elif defined(__GNUC__) && defined(__AVX2__) && defined(__FMA__)

#ifndef CTG_F32X8_DEFINED
#define CTG_F32X8_DEFINED
/* 8 floats, one AVX2 with FMA register; unaligned loads and stores through a may_alias type */
typedef float ctg_f32x8 __attribute__((vector_size(32)));
typedef float ctg_f32x8u __attribute__((vector_size(32), aligned(4), may_alias));
typedef int ctg_i32x8 __attribute__((vector_size(32)));
#define CTG_F32X8_LOAD(p) (*(const ctg_f32x8u *)(const void *)(p))
#define CTG_F32X8_STORE(p, v) (*(ctg_f32x8u *)(void *)(p) = (v))
#endif

/* Weights (Cin, Cout/groups, KH, KW) -> per phase, group, block of 16 output channels, input
 * channel and tap: 16 consecutive output channels (zero past the last); then the bias. */
void dcgan_g2_pack(const float *weight, const float *bias, float *packed) {
  /* phase (0, 0): 4 taps */
  {
    static const int taps[4] = { 5, 7, 13, 15 };
    for (int cob = 0; cob < 16; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 16; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 32768 + ci * 64 + i * 16 + c] = weight[ci * 4096 + cob * 256 + c * 16 + taps[i]];
  }
  /* phase (0, 1): 4 taps */
  {
    static const int taps[4] = { 4, 6, 12, 14 };
    for (int cob = 0; cob < 16; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 16; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 32768 + ci * 64 + i * 16 + c + 524288] = weight[ci * 4096 + cob * 256 + c * 16 + taps[i]];
  }
  /* phase (1, 0): 4 taps */
  {
    static const int taps[4] = { 1, 3, 9, 11 };
    for (int cob = 0; cob < 16; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 16; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 32768 + ci * 64 + i * 16 + c + 1048576] = weight[ci * 4096 + cob * 256 + c * 16 + taps[i]];
  }
  /* phase (1, 1): 4 taps */
  {
    static const int taps[4] = { 0, 2, 8, 10 };
    for (int cob = 0; cob < 16; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 16; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 32768 + ci * 64 + i * 16 + c + 1572864] = weight[ci * 4096 + cob * 256 + c * 16 + taps[i]];
  }
  /* the bias, per group and channel block */
  for (int cob = 0; cob < 16; cob++)
    for (int c = 0; c < 16; c++)
      packed[cob * 16 + c + 2097152] = 0.0f;
  (void)bias;
}

/* phase (oh % 2, ow % 2) = (0, 0): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_0_0(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 15; cob++) {
        const float *bb = packed + cob * 16 + 2097152;
        float *yb = y + (n * 256 + cob * 16) * 64;
        { /* rows 0..0, cols 0..0: 1 of 4 taps */
        const float *wb = packed + cob * 32768;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x8 w0_0 = CTG_F32X8_LOAD(wc);
              const ctg_f32x8 w1_0 = CTG_F32X8_LOAD(wc + 8);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
            }
            float tile[1][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
        { /* rows 0..0, cols 1..3: 2 of 4 taps */
        const float *wb = packed + cob * 32768;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 1;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 191);
              __builtin_prefetch(xc + 194);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_0 = CTG_F32X8_LOAD(wc);
              const ctg_f32x8 w1_0 = CTG_F32X8_LOAD(wc + 8);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[1]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[2]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_1 = CTG_F32X8_LOAD(wc + 16);
              const ctg_f32x8 w1_1 = CTG_F32X8_LOAD(wc + 24);
              { const float v = xc[-1]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[0]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[1]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 0..0: 2 of 4 taps */
        const float *wb = packed + cob * 32768;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 0;
          {
            const float *xc = xb + qw + 4;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 188);
              __builtin_prefetch(xc + 200);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_0 = CTG_F32X8_LOAD(wc);
              const ctg_f32x8 w1_0 = CTG_F32X8_LOAD(wc + 8);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[4]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[8]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_2 = CTG_F32X8_LOAD(wc + 32);
              const ctg_f32x8 w1_2 = CTG_F32X8_LOAD(wc + 40);
              { const float v = xc[-4]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[0]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[4]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qw * 2 + 16;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 1..3: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 32768;
        const float *xb = x + n * 512 * 16;
        for (int qt = 0; qt <= 2; qt++) {
          const int qh = 1 + qt;
          int qw = 1;
          {
            const float *xc = xb + qh * 4 + qw;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 187);
              __builtin_prefetch(xc + 194);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_0 = CTG_F32X8_LOAD(wc);
              const ctg_f32x8 w1_0 = CTG_F32X8_LOAD(wc + 8);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[1]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[2]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_1 = CTG_F32X8_LOAD(wc + 16);
              const ctg_f32x8 w1_1 = CTG_F32X8_LOAD(wc + 24);
              { const float v = xc[-1]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[0]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[1]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_2 = CTG_F32X8_LOAD(wc + 32);
              const ctg_f32x8 w1_2 = CTG_F32X8_LOAD(wc + 40);
              { const float v = xc[-4]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[-3]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[-2]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_3 = CTG_F32X8_LOAD(wc + 48);
              const ctg_f32x8 w1_3 = CTG_F32X8_LOAD(wc + 56);
              { const float v = xc[-5]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[-4]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[-3]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qh * 16 + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (0, 1): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_0_1(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 15; cob++) {
        const float *bb = packed + cob * 16 + 2097152;
        float *yb = y + (n * 256 + cob * 16) * 64 + 1;
        { /* rows 0..0, cols 0..2: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 524288;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 195);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_0 = CTG_F32X8_LOAD(wc);
              const ctg_f32x8 w1_0 = CTG_F32X8_LOAD(wc + 8);
              { const float v = xc[1]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[2]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[3]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_1 = CTG_F32X8_LOAD(wc + 16);
              const ctg_f32x8 w1_1 = CTG_F32X8_LOAD(wc + 24);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[1]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[2]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 0..0, cols 3..3: 1 of 4 taps */
        const float *wb = packed + cob * 32768 + 524288;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 3;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x8 w0_1 = CTG_F32X8_LOAD(wc + 16);
              const ctg_f32x8 w1_1 = CTG_F32X8_LOAD(wc + 24);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
            }
            float tile[1][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 0..2: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 32768 + 524288;
        const float *xb = x + n * 512 * 16;
        for (int qt = 0; qt <= 2; qt++) {
          const int qh = 1 + qt;
          int qw = 0;
          {
            const float *xc = xb + qh * 4 + qw;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 188);
              __builtin_prefetch(xc + 195);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_0 = CTG_F32X8_LOAD(wc);
              const ctg_f32x8 w1_0 = CTG_F32X8_LOAD(wc + 8);
              { const float v = xc[1]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[2]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[3]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_1 = CTG_F32X8_LOAD(wc + 16);
              const ctg_f32x8 w1_1 = CTG_F32X8_LOAD(wc + 24);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[1]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[2]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_2 = CTG_F32X8_LOAD(wc + 32);
              const ctg_f32x8 w1_2 = CTG_F32X8_LOAD(wc + 40);
              { const float v = xc[-3]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[-2]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[-1]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_3 = CTG_F32X8_LOAD(wc + 48);
              const ctg_f32x8 w1_3 = CTG_F32X8_LOAD(wc + 56);
              { const float v = xc[-4]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[-3]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[-2]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qh * 16 + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 3..3: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 524288;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 3;
          {
            const float *xc = xb + qw + 4;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 188);
              __builtin_prefetch(xc + 200);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_1 = CTG_F32X8_LOAD(wc + 16);
              const ctg_f32x8 w1_1 = CTG_F32X8_LOAD(wc + 24);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[4]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[8]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_3 = CTG_F32X8_LOAD(wc + 48);
              const ctg_f32x8 w1_3 = CTG_F32X8_LOAD(wc + 56);
              { const float v = xc[-4]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[0]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[4]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qw * 2 + 16;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 0): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_1_0(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 15; cob++) {
        const float *bb = packed + cob * 16 + 2097152;
        float *yb = y + (n * 256 + cob * 16) * 64 + 8;
        { /* rows 0..2, cols 0..0: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 1048576;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 0;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 204);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_0 = CTG_F32X8_LOAD(wc);
              const ctg_f32x8 w1_0 = CTG_F32X8_LOAD(wc + 8);
              { const float v = xc[4]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[8]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[12]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_2 = CTG_F32X8_LOAD(wc + 32);
              const ctg_f32x8 w1_2 = CTG_F32X8_LOAD(wc + 40);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[4]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[8]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
        { /* rows 0..2, cols 1..3: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 32768 + 1048576;
        const float *xb = x + n * 512 * 16;
        for (int qt = 0; qt <= 2; qt++) {
          const int qh = qt;
          int qw = 1;
          {
            const float *xc = xb + qh * 4 + qw;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 191);
              __builtin_prefetch(xc + 198);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_0 = CTG_F32X8_LOAD(wc);
              const ctg_f32x8 w1_0 = CTG_F32X8_LOAD(wc + 8);
              { const float v = xc[4]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[5]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[6]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_1 = CTG_F32X8_LOAD(wc + 16);
              const ctg_f32x8 w1_1 = CTG_F32X8_LOAD(wc + 24);
              { const float v = xc[3]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[4]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[5]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_2 = CTG_F32X8_LOAD(wc + 32);
              const ctg_f32x8 w1_2 = CTG_F32X8_LOAD(wc + 40);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[1]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[2]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_3 = CTG_F32X8_LOAD(wc + 48);
              const ctg_f32x8 w1_3 = CTG_F32X8_LOAD(wc + 56);
              { const float v = xc[-1]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[0]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[1]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qh * 16 + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 0..0: 1 of 4 taps */
        const float *wb = packed + cob * 32768 + 1048576;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x8 w0_2 = CTG_F32X8_LOAD(wc + 32);
              const ctg_f32x8 w1_2 = CTG_F32X8_LOAD(wc + 40);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
            }
            float tile[1][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 1..3: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 1048576;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 1;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 191);
              __builtin_prefetch(xc + 194);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_2 = CTG_F32X8_LOAD(wc + 32);
              const ctg_f32x8 w1_2 = CTG_F32X8_LOAD(wc + 40);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[1]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[2]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_3 = CTG_F32X8_LOAD(wc + 48);
              const ctg_f32x8 w1_3 = CTG_F32X8_LOAD(wc + 56);
              { const float v = xc[-1]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[0]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[1]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 1): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_1_1(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 15; cob++) {
        const float *bb = packed + cob * 16 + 2097152;
        float *yb = y + (n * 256 + cob * 16) * 64 + 9;
        { /* rows 0..2, cols 0..2: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 32768 + 1572864;
        const float *xb = x + n * 512 * 16;
        for (int qt = 0; qt <= 2; qt++) {
          const int qh = qt;
          int qw = 0;
          {
            const float *xc = xb + qh * 4 + qw;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 199);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_0 = CTG_F32X8_LOAD(wc);
              const ctg_f32x8 w1_0 = CTG_F32X8_LOAD(wc + 8);
              { const float v = xc[5]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; }
              { const float v = xc[6]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; }
              { const float v = xc[7]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_1 = CTG_F32X8_LOAD(wc + 16);
              const ctg_f32x8 w1_1 = CTG_F32X8_LOAD(wc + 24);
              { const float v = xc[4]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[5]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[6]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_2 = CTG_F32X8_LOAD(wc + 32);
              const ctg_f32x8 w1_2 = CTG_F32X8_LOAD(wc + 40);
              { const float v = xc[1]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[2]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[3]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_3 = CTG_F32X8_LOAD(wc + 48);
              const ctg_f32x8 w1_3 = CTG_F32X8_LOAD(wc + 56);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[1]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[2]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qh * 16 + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 0..2, cols 3..3: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 1572864;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 3;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 204);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_1 = CTG_F32X8_LOAD(wc + 16);
              const ctg_f32x8 w1_1 = CTG_F32X8_LOAD(wc + 24);
              { const float v = xc[4]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; }
              { const float v = xc[8]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; }
              { const float v = xc[12]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_3 = CTG_F32X8_LOAD(wc + 48);
              const ctg_f32x8 w1_3 = CTG_F32X8_LOAD(wc + 56);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[4]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[8]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 0..2: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 1572864;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            ctg_f32x8 a0_1 = b0, a1_1 = b1;
            ctg_f32x8 a0_2 = b0, a1_2 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 195);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_2 = CTG_F32X8_LOAD(wc + 32);
              const ctg_f32x8 w1_2 = CTG_F32X8_LOAD(wc + 40);
              { const float v = xc[1]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; }
              { const float v = xc[2]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; }
              { const float v = xc[3]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x8 w0_3 = CTG_F32X8_LOAD(wc + 48);
              const ctg_f32x8 w1_3 = CTG_F32X8_LOAD(wc + 56);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
              { const float v = xc[1]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; }
              { const float v = xc[2]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; }
            }
            float tile[3][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            CTG_F32X8_STORE(&tile[1][0], a0_1);
            CTG_F32X8_STORE(&tile[1][8], a1_1);
            CTG_F32X8_STORE(&tile[2][0], a0_2);
            CTG_F32X8_STORE(&tile[2][8], a1_2);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 3..3: 1 of 4 taps */
        const float *wb = packed + cob * 32768 + 1572864;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 3;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x8 b0 = CTG_F32X8_LOAD(bb);
            const ctg_f32x8 b1 = CTG_F32X8_LOAD(bb + 8);
            ctg_f32x8 a0_0 = b0, a1_0 = b1;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x8 w0_3 = CTG_F32X8_LOAD(wc + 48);
              const ctg_f32x8 w1_3 = CTG_F32X8_LOAD(wc + 56);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; }
            }
            float tile[1][16];
            CTG_F32X8_STORE(&tile[0][0], a0_0);
            CTG_F32X8_STORE(&tile[0][8], a1_0);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
      }
    }
  }
}

int dcgan_g2_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  dcgan_g2_phase_0_0(batch, input, (const float *)packed, output);
  dcgan_g2_phase_0_1(batch, input, (const float *)packed, output);
  dcgan_g2_phase_1_0(batch, input, (const float *)packed, output);
  dcgan_g2_phase_1_1(batch, input, (const float *)packed, output);
  return 0;
}


#include <stdlib.h>
/* Weights as PyTorch stores them: packed into a buffer from malloc on every call (-1 when that
 * fails). Pack once with dcgan_g2_pack and call dcgan_g2_run_packed instead. */
int dcgan_g2_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  float *packed = (float *)malloc(2097408 * sizeof(float));
  if (!packed) return -1;
  dcgan_g2_pack(weight, bias, packed);
  const int status = dcgan_g2_run_packed_batch(batch, input, packed, output);
  free(packed);
  return status;
}

/* the spec's batch of 1 */
int dcgan_g2_run_packed(const float *input, const float *packed, float *output) {
  return dcgan_g2_run_packed_batch(1, input, packed, output);
}

int dcgan_g2_run(const float *input, const float *weight, const float *bias, float *output) {
  return dcgan_g2_run_batch(1, input, weight, bias, output);
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

/* Weights (Cin, Cout/groups, KH, KW) -> per phase, group, block of 16 output channels, input
 * channel and tap: 16 consecutive output channels (zero past the last); then the bias. */
void dcgan_g2_pack(const float *weight, const float *bias, float *packed) {
  /* phase (0, 0): 4 taps */
  {
    static const int taps[4] = { 5, 7, 13, 15 };
    for (int cob = 0; cob < 16; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 16; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 32768 + ci * 64 + i * 16 + c] = weight[ci * 4096 + cob * 256 + c * 16 + taps[i]];
  }
  /* phase (0, 1): 4 taps */
  {
    static const int taps[4] = { 4, 6, 12, 14 };
    for (int cob = 0; cob < 16; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 16; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 32768 + ci * 64 + i * 16 + c + 524288] = weight[ci * 4096 + cob * 256 + c * 16 + taps[i]];
  }
  /* phase (1, 0): 4 taps */
  {
    static const int taps[4] = { 1, 3, 9, 11 };
    for (int cob = 0; cob < 16; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 16; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 32768 + ci * 64 + i * 16 + c + 1048576] = weight[ci * 4096 + cob * 256 + c * 16 + taps[i]];
  }
  /* phase (1, 1): 4 taps */
  {
    static const int taps[4] = { 0, 2, 8, 10 };
    for (int cob = 0; cob < 16; cob++)
      for (int ci = 0; ci < 512; ci++)
        for (int c = 0; c < 16; c++)
          for (int i = 0; i < 4; i++)
            packed[cob * 32768 + ci * 64 + i * 16 + c + 1572864] = weight[ci * 4096 + cob * 256 + c * 16 + taps[i]];
  }
  /* the bias, per group and channel block */
  for (int cob = 0; cob < 16; cob++)
    for (int c = 0; c < 16; c++)
      packed[cob * 16 + c + 2097152] = 0.0f;
  (void)bias;
}

/* phase (oh % 2, ow % 2) = (0, 0): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_0_0(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 15; cob++) {
        const float *bb = packed + cob * 16 + 2097152;
        float *yb = y + (n * 256 + cob * 16) * 64;
        { /* rows 0..0, cols 0..0: 1 of 4 taps */
        const float *wb = packed + cob * 32768;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x4 w0_0 = CTG_F32X4_LOAD(wc);
              const ctg_f32x4 w1_0 = CTG_F32X4_LOAD(wc + 4);
              const ctg_f32x4 w2_0 = CTG_F32X4_LOAD(wc + 8);
              const ctg_f32x4 w3_0 = CTG_F32X4_LOAD(wc + 12);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; a2_0 += w2_0 * v; a3_0 += w3_0 * v; }
            }
            float tile[1][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
        { /* rows 0..0, cols 1..3: 2 of 4 taps */
        const float *wb = packed + cob * 32768;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 1;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 191);
              __builtin_prefetch(xc + 194);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_0 = CTG_F32X4_LOAD(wc);
              const ctg_f32x4 w1_0 = CTG_F32X4_LOAD(wc + 4);
              const ctg_f32x4 w2_0 = CTG_F32X4_LOAD(wc + 8);
              const ctg_f32x4 w3_0 = CTG_F32X4_LOAD(wc + 12);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; a2_0 += w2_0 * v; a3_0 += w3_0 * v; }
              { const float v = xc[1]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; a2_1 += w2_0 * v; a3_1 += w3_0 * v; }
              { const float v = xc[2]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; a2_2 += w2_0 * v; a3_2 += w3_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_1 = CTG_F32X4_LOAD(wc + 16);
              const ctg_f32x4 w1_1 = CTG_F32X4_LOAD(wc + 20);
              const ctg_f32x4 w2_1 = CTG_F32X4_LOAD(wc + 24);
              const ctg_f32x4 w3_1 = CTG_F32X4_LOAD(wc + 28);
              { const float v = xc[-1]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; a2_0 += w2_1 * v; a3_0 += w3_1 * v; }
              { const float v = xc[0]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; a2_1 += w2_1 * v; a3_1 += w3_1 * v; }
              { const float v = xc[1]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; a2_2 += w2_1 * v; a3_2 += w3_1 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 0..0: 2 of 4 taps */
        const float *wb = packed + cob * 32768;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 0;
          {
            const float *xc = xb + qw + 4;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 188);
              __builtin_prefetch(xc + 200);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_0 = CTG_F32X4_LOAD(wc);
              const ctg_f32x4 w1_0 = CTG_F32X4_LOAD(wc + 4);
              const ctg_f32x4 w2_0 = CTG_F32X4_LOAD(wc + 8);
              const ctg_f32x4 w3_0 = CTG_F32X4_LOAD(wc + 12);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; a2_0 += w2_0 * v; a3_0 += w3_0 * v; }
              { const float v = xc[4]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; a2_1 += w2_0 * v; a3_1 += w3_0 * v; }
              { const float v = xc[8]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; a2_2 += w2_0 * v; a3_2 += w3_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_2 = CTG_F32X4_LOAD(wc + 32);
              const ctg_f32x4 w1_2 = CTG_F32X4_LOAD(wc + 36);
              const ctg_f32x4 w2_2 = CTG_F32X4_LOAD(wc + 40);
              const ctg_f32x4 w3_2 = CTG_F32X4_LOAD(wc + 44);
              { const float v = xc[-4]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; a2_0 += w2_2 * v; a3_0 += w3_2 * v; }
              { const float v = xc[0]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; a2_1 += w2_2 * v; a3_1 += w3_2 * v; }
              { const float v = xc[4]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; a2_2 += w2_2 * v; a3_2 += w3_2 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qw * 2 + 16;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 1..3: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 32768;
        const float *xb = x + n * 512 * 16;
        for (int qt = 0; qt <= 2; qt++) {
          const int qh = 1 + qt;
          int qw = 1;
          {
            const float *xc = xb + qh * 4 + qw;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 187);
              __builtin_prefetch(xc + 194);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_0 = CTG_F32X4_LOAD(wc);
              const ctg_f32x4 w1_0 = CTG_F32X4_LOAD(wc + 4);
              const ctg_f32x4 w2_0 = CTG_F32X4_LOAD(wc + 8);
              const ctg_f32x4 w3_0 = CTG_F32X4_LOAD(wc + 12);
              { const float v = xc[0]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; a2_0 += w2_0 * v; a3_0 += w3_0 * v; }
              { const float v = xc[1]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; a2_1 += w2_0 * v; a3_1 += w3_0 * v; }
              { const float v = xc[2]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; a2_2 += w2_0 * v; a3_2 += w3_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_1 = CTG_F32X4_LOAD(wc + 16);
              const ctg_f32x4 w1_1 = CTG_F32X4_LOAD(wc + 20);
              const ctg_f32x4 w2_1 = CTG_F32X4_LOAD(wc + 24);
              const ctg_f32x4 w3_1 = CTG_F32X4_LOAD(wc + 28);
              { const float v = xc[-1]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; a2_0 += w2_1 * v; a3_0 += w3_1 * v; }
              { const float v = xc[0]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; a2_1 += w2_1 * v; a3_1 += w3_1 * v; }
              { const float v = xc[1]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; a2_2 += w2_1 * v; a3_2 += w3_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_2 = CTG_F32X4_LOAD(wc + 32);
              const ctg_f32x4 w1_2 = CTG_F32X4_LOAD(wc + 36);
              const ctg_f32x4 w2_2 = CTG_F32X4_LOAD(wc + 40);
              const ctg_f32x4 w3_2 = CTG_F32X4_LOAD(wc + 44);
              { const float v = xc[-4]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; a2_0 += w2_2 * v; a3_0 += w3_2 * v; }
              { const float v = xc[-3]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; a2_1 += w2_2 * v; a3_1 += w3_2 * v; }
              { const float v = xc[-2]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; a2_2 += w2_2 * v; a3_2 += w3_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_3 = CTG_F32X4_LOAD(wc + 48);
              const ctg_f32x4 w1_3 = CTG_F32X4_LOAD(wc + 52);
              const ctg_f32x4 w2_3 = CTG_F32X4_LOAD(wc + 56);
              const ctg_f32x4 w3_3 = CTG_F32X4_LOAD(wc + 60);
              { const float v = xc[-5]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; a2_0 += w2_3 * v; a3_0 += w3_3 * v; }
              { const float v = xc[-4]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; a2_1 += w2_3 * v; a3_1 += w3_3 * v; }
              { const float v = xc[-3]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; a2_2 += w2_3 * v; a3_2 += w3_3 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qh * 16 + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (0, 1): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_0_1(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 15; cob++) {
        const float *bb = packed + cob * 16 + 2097152;
        float *yb = y + (n * 256 + cob * 16) * 64 + 1;
        { /* rows 0..0, cols 0..2: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 524288;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 195);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_0 = CTG_F32X4_LOAD(wc);
              const ctg_f32x4 w1_0 = CTG_F32X4_LOAD(wc + 4);
              const ctg_f32x4 w2_0 = CTG_F32X4_LOAD(wc + 8);
              const ctg_f32x4 w3_0 = CTG_F32X4_LOAD(wc + 12);
              { const float v = xc[1]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; a2_0 += w2_0 * v; a3_0 += w3_0 * v; }
              { const float v = xc[2]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; a2_1 += w2_0 * v; a3_1 += w3_0 * v; }
              { const float v = xc[3]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; a2_2 += w2_0 * v; a3_2 += w3_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_1 = CTG_F32X4_LOAD(wc + 16);
              const ctg_f32x4 w1_1 = CTG_F32X4_LOAD(wc + 20);
              const ctg_f32x4 w2_1 = CTG_F32X4_LOAD(wc + 24);
              const ctg_f32x4 w3_1 = CTG_F32X4_LOAD(wc + 28);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; a2_0 += w2_1 * v; a3_0 += w3_1 * v; }
              { const float v = xc[1]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; a2_1 += w2_1 * v; a3_1 += w3_1 * v; }
              { const float v = xc[2]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; a2_2 += w2_1 * v; a3_2 += w3_1 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 0..0, cols 3..3: 1 of 4 taps */
        const float *wb = packed + cob * 32768 + 524288;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 3;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x4 w0_1 = CTG_F32X4_LOAD(wc + 16);
              const ctg_f32x4 w1_1 = CTG_F32X4_LOAD(wc + 20);
              const ctg_f32x4 w2_1 = CTG_F32X4_LOAD(wc + 24);
              const ctg_f32x4 w3_1 = CTG_F32X4_LOAD(wc + 28);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; a2_0 += w2_1 * v; a3_0 += w3_1 * v; }
            }
            float tile[1][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 0..2: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 32768 + 524288;
        const float *xb = x + n * 512 * 16;
        for (int qt = 0; qt <= 2; qt++) {
          const int qh = 1 + qt;
          int qw = 0;
          {
            const float *xc = xb + qh * 4 + qw;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 188);
              __builtin_prefetch(xc + 195);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_0 = CTG_F32X4_LOAD(wc);
              const ctg_f32x4 w1_0 = CTG_F32X4_LOAD(wc + 4);
              const ctg_f32x4 w2_0 = CTG_F32X4_LOAD(wc + 8);
              const ctg_f32x4 w3_0 = CTG_F32X4_LOAD(wc + 12);
              { const float v = xc[1]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; a2_0 += w2_0 * v; a3_0 += w3_0 * v; }
              { const float v = xc[2]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; a2_1 += w2_0 * v; a3_1 += w3_0 * v; }
              { const float v = xc[3]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; a2_2 += w2_0 * v; a3_2 += w3_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_1 = CTG_F32X4_LOAD(wc + 16);
              const ctg_f32x4 w1_1 = CTG_F32X4_LOAD(wc + 20);
              const ctg_f32x4 w2_1 = CTG_F32X4_LOAD(wc + 24);
              const ctg_f32x4 w3_1 = CTG_F32X4_LOAD(wc + 28);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; a2_0 += w2_1 * v; a3_0 += w3_1 * v; }
              { const float v = xc[1]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; a2_1 += w2_1 * v; a3_1 += w3_1 * v; }
              { const float v = xc[2]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; a2_2 += w2_1 * v; a3_2 += w3_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_2 = CTG_F32X4_LOAD(wc + 32);
              const ctg_f32x4 w1_2 = CTG_F32X4_LOAD(wc + 36);
              const ctg_f32x4 w2_2 = CTG_F32X4_LOAD(wc + 40);
              const ctg_f32x4 w3_2 = CTG_F32X4_LOAD(wc + 44);
              { const float v = xc[-3]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; a2_0 += w2_2 * v; a3_0 += w3_2 * v; }
              { const float v = xc[-2]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; a2_1 += w2_2 * v; a3_1 += w3_2 * v; }
              { const float v = xc[-1]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; a2_2 += w2_2 * v; a3_2 += w3_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_3 = CTG_F32X4_LOAD(wc + 48);
              const ctg_f32x4 w1_3 = CTG_F32X4_LOAD(wc + 52);
              const ctg_f32x4 w2_3 = CTG_F32X4_LOAD(wc + 56);
              const ctg_f32x4 w3_3 = CTG_F32X4_LOAD(wc + 60);
              { const float v = xc[-4]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; a2_0 += w2_3 * v; a3_0 += w3_3 * v; }
              { const float v = xc[-3]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; a2_1 += w2_3 * v; a3_1 += w3_3 * v; }
              { const float v = xc[-2]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; a2_2 += w2_3 * v; a3_2 += w3_3 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qh * 16 + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 1..3, cols 3..3: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 524288;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 3;
          {
            const float *xc = xb + qw + 4;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 188);
              __builtin_prefetch(xc + 200);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_1 = CTG_F32X4_LOAD(wc + 16);
              const ctg_f32x4 w1_1 = CTG_F32X4_LOAD(wc + 20);
              const ctg_f32x4 w2_1 = CTG_F32X4_LOAD(wc + 24);
              const ctg_f32x4 w3_1 = CTG_F32X4_LOAD(wc + 28);
              { const float v = xc[0]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; a2_0 += w2_1 * v; a3_0 += w3_1 * v; }
              { const float v = xc[4]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; a2_1 += w2_1 * v; a3_1 += w3_1 * v; }
              { const float v = xc[8]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; a2_2 += w2_1 * v; a3_2 += w3_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_3 = CTG_F32X4_LOAD(wc + 48);
              const ctg_f32x4 w1_3 = CTG_F32X4_LOAD(wc + 52);
              const ctg_f32x4 w2_3 = CTG_F32X4_LOAD(wc + 56);
              const ctg_f32x4 w3_3 = CTG_F32X4_LOAD(wc + 60);
              { const float v = xc[-4]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; a2_0 += w2_3 * v; a3_0 += w3_3 * v; }
              { const float v = xc[0]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; a2_1 += w2_3 * v; a3_1 += w3_3 * v; }
              { const float v = xc[4]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; a2_2 += w2_3 * v; a3_2 += w3_3 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qw * 2 + 16;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 0): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_1_0(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 15; cob++) {
        const float *bb = packed + cob * 16 + 2097152;
        float *yb = y + (n * 256 + cob * 16) * 64 + 8;
        { /* rows 0..2, cols 0..0: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 1048576;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 0;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 204);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_0 = CTG_F32X4_LOAD(wc);
              const ctg_f32x4 w1_0 = CTG_F32X4_LOAD(wc + 4);
              const ctg_f32x4 w2_0 = CTG_F32X4_LOAD(wc + 8);
              const ctg_f32x4 w3_0 = CTG_F32X4_LOAD(wc + 12);
              { const float v = xc[4]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; a2_0 += w2_0 * v; a3_0 += w3_0 * v; }
              { const float v = xc[8]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; a2_1 += w2_0 * v; a3_1 += w3_0 * v; }
              { const float v = xc[12]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; a2_2 += w2_0 * v; a3_2 += w3_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_2 = CTG_F32X4_LOAD(wc + 32);
              const ctg_f32x4 w1_2 = CTG_F32X4_LOAD(wc + 36);
              const ctg_f32x4 w2_2 = CTG_F32X4_LOAD(wc + 40);
              const ctg_f32x4 w3_2 = CTG_F32X4_LOAD(wc + 44);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; a2_0 += w2_2 * v; a3_0 += w3_2 * v; }
              { const float v = xc[4]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; a2_1 += w2_2 * v; a3_1 += w3_2 * v; }
              { const float v = xc[8]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; a2_2 += w2_2 * v; a3_2 += w3_2 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
        { /* rows 0..2, cols 1..3: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 32768 + 1048576;
        const float *xb = x + n * 512 * 16;
        for (int qt = 0; qt <= 2; qt++) {
          const int qh = qt;
          int qw = 1;
          {
            const float *xc = xb + qh * 4 + qw;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 191);
              __builtin_prefetch(xc + 198);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_0 = CTG_F32X4_LOAD(wc);
              const ctg_f32x4 w1_0 = CTG_F32X4_LOAD(wc + 4);
              const ctg_f32x4 w2_0 = CTG_F32X4_LOAD(wc + 8);
              const ctg_f32x4 w3_0 = CTG_F32X4_LOAD(wc + 12);
              { const float v = xc[4]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; a2_0 += w2_0 * v; a3_0 += w3_0 * v; }
              { const float v = xc[5]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; a2_1 += w2_0 * v; a3_1 += w3_0 * v; }
              { const float v = xc[6]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; a2_2 += w2_0 * v; a3_2 += w3_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_1 = CTG_F32X4_LOAD(wc + 16);
              const ctg_f32x4 w1_1 = CTG_F32X4_LOAD(wc + 20);
              const ctg_f32x4 w2_1 = CTG_F32X4_LOAD(wc + 24);
              const ctg_f32x4 w3_1 = CTG_F32X4_LOAD(wc + 28);
              { const float v = xc[3]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; a2_0 += w2_1 * v; a3_0 += w3_1 * v; }
              { const float v = xc[4]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; a2_1 += w2_1 * v; a3_1 += w3_1 * v; }
              { const float v = xc[5]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; a2_2 += w2_1 * v; a3_2 += w3_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_2 = CTG_F32X4_LOAD(wc + 32);
              const ctg_f32x4 w1_2 = CTG_F32X4_LOAD(wc + 36);
              const ctg_f32x4 w2_2 = CTG_F32X4_LOAD(wc + 40);
              const ctg_f32x4 w3_2 = CTG_F32X4_LOAD(wc + 44);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; a2_0 += w2_2 * v; a3_0 += w3_2 * v; }
              { const float v = xc[1]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; a2_1 += w2_2 * v; a3_1 += w3_2 * v; }
              { const float v = xc[2]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; a2_2 += w2_2 * v; a3_2 += w3_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_3 = CTG_F32X4_LOAD(wc + 48);
              const ctg_f32x4 w1_3 = CTG_F32X4_LOAD(wc + 52);
              const ctg_f32x4 w2_3 = CTG_F32X4_LOAD(wc + 56);
              const ctg_f32x4 w3_3 = CTG_F32X4_LOAD(wc + 60);
              { const float v = xc[-1]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; a2_0 += w2_3 * v; a3_0 += w3_3 * v; }
              { const float v = xc[0]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; a2_1 += w2_3 * v; a3_1 += w3_3 * v; }
              { const float v = xc[1]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; a2_2 += w2_3 * v; a3_2 += w3_3 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qh * 16 + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 0..0: 1 of 4 taps */
        const float *wb = packed + cob * 32768 + 1048576;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x4 w0_2 = CTG_F32X4_LOAD(wc + 32);
              const ctg_f32x4 w1_2 = CTG_F32X4_LOAD(wc + 36);
              const ctg_f32x4 w2_2 = CTG_F32X4_LOAD(wc + 40);
              const ctg_f32x4 w3_2 = CTG_F32X4_LOAD(wc + 44);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; a2_0 += w2_2 * v; a3_0 += w3_2 * v; }
            }
            float tile[1][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 1..3: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 1048576;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 1;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 191);
              __builtin_prefetch(xc + 194);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_2 = CTG_F32X4_LOAD(wc + 32);
              const ctg_f32x4 w1_2 = CTG_F32X4_LOAD(wc + 36);
              const ctg_f32x4 w2_2 = CTG_F32X4_LOAD(wc + 40);
              const ctg_f32x4 w3_2 = CTG_F32X4_LOAD(wc + 44);
              { const float v = xc[0]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; a2_0 += w2_2 * v; a3_0 += w3_2 * v; }
              { const float v = xc[1]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; a2_1 += w2_2 * v; a3_1 += w3_2 * v; }
              { const float v = xc[2]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; a2_2 += w2_2 * v; a3_2 += w3_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_3 = CTG_F32X4_LOAD(wc + 48);
              const ctg_f32x4 w1_3 = CTG_F32X4_LOAD(wc + 52);
              const ctg_f32x4 w2_3 = CTG_F32X4_LOAD(wc + 56);
              const ctg_f32x4 w3_3 = CTG_F32X4_LOAD(wc + 60);
              { const float v = xc[-1]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; a2_0 += w2_3 * v; a3_0 += w3_3 * v; }
              { const float v = xc[0]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; a2_1 += w2_3 * v; a3_1 += w3_3 * v; }
              { const float v = xc[1]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; a2_2 += w2_3 * v; a3_2 += w3_3 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 1): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_1_1(int batch, const float *restrict x, const float *restrict packed,
    float *restrict y) {
  /* every region inside the channel-block loop: a block's weights come from memory once */
  for (int n = 0; n < batch; n++) {
    {
      for (int cob = 0; cob <= 15; cob++) {
        const float *bb = packed + cob * 16 + 2097152;
        float *yb = y + (n * 256 + cob * 16) * 64 + 9;
        { /* rows 0..2, cols 0..2: 4 of 4 taps (interior) */
        const float *wb = packed + cob * 32768 + 1572864;
        const float *xb = x + n * 512 * 16;
        for (int qt = 0; qt <= 2; qt++) {
          const int qh = qt;
          int qw = 0;
          {
            const float *xc = xb + qh * 4 + qw;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 199);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_0 = CTG_F32X4_LOAD(wc);
              const ctg_f32x4 w1_0 = CTG_F32X4_LOAD(wc + 4);
              const ctg_f32x4 w2_0 = CTG_F32X4_LOAD(wc + 8);
              const ctg_f32x4 w3_0 = CTG_F32X4_LOAD(wc + 12);
              { const float v = xc[5]; a0_0 += w0_0 * v; a1_0 += w1_0 * v; a2_0 += w2_0 * v; a3_0 += w3_0 * v; }
              { const float v = xc[6]; a0_1 += w0_0 * v; a1_1 += w1_0 * v; a2_1 += w2_0 * v; a3_1 += w3_0 * v; }
              { const float v = xc[7]; a0_2 += w0_0 * v; a1_2 += w1_0 * v; a2_2 += w2_0 * v; a3_2 += w3_0 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_1 = CTG_F32X4_LOAD(wc + 16);
              const ctg_f32x4 w1_1 = CTG_F32X4_LOAD(wc + 20);
              const ctg_f32x4 w2_1 = CTG_F32X4_LOAD(wc + 24);
              const ctg_f32x4 w3_1 = CTG_F32X4_LOAD(wc + 28);
              { const float v = xc[4]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; a2_0 += w2_1 * v; a3_0 += w3_1 * v; }
              { const float v = xc[5]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; a2_1 += w2_1 * v; a3_1 += w3_1 * v; }
              { const float v = xc[6]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; a2_2 += w2_1 * v; a3_2 += w3_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_2 = CTG_F32X4_LOAD(wc + 32);
              const ctg_f32x4 w1_2 = CTG_F32X4_LOAD(wc + 36);
              const ctg_f32x4 w2_2 = CTG_F32X4_LOAD(wc + 40);
              const ctg_f32x4 w3_2 = CTG_F32X4_LOAD(wc + 44);
              { const float v = xc[1]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; a2_0 += w2_2 * v; a3_0 += w3_2 * v; }
              { const float v = xc[2]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; a2_1 += w2_2 * v; a3_1 += w3_2 * v; }
              { const float v = xc[3]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; a2_2 += w2_2 * v; a3_2 += w3_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_3 = CTG_F32X4_LOAD(wc + 48);
              const ctg_f32x4 w1_3 = CTG_F32X4_LOAD(wc + 52);
              const ctg_f32x4 w2_3 = CTG_F32X4_LOAD(wc + 56);
              const ctg_f32x4 w3_3 = CTG_F32X4_LOAD(wc + 60);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; a2_0 += w2_3 * v; a3_0 += w3_3 * v; }
              { const float v = xc[1]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; a2_1 += w2_3 * v; a3_1 += w3_3 * v; }
              { const float v = xc[2]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; a2_2 += w2_3 * v; a3_2 += w3_3 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qh * 16 + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 0..2, cols 3..3: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 1572864;
        const float *xb = x + n * 512 * 16;
        {
          /* the last tile of rows ends at the region's last row; rows it shares with the tile
           * before get the same sums, bit for bit, from this same thread */
          int qw = 3;
          {
            const float *xc = xb + qw;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 204);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_1 = CTG_F32X4_LOAD(wc + 16);
              const ctg_f32x4 w1_1 = CTG_F32X4_LOAD(wc + 20);
              const ctg_f32x4 w2_1 = CTG_F32X4_LOAD(wc + 24);
              const ctg_f32x4 w3_1 = CTG_F32X4_LOAD(wc + 28);
              { const float v = xc[4]; a0_0 += w0_1 * v; a1_0 += w1_1 * v; a2_0 += w2_1 * v; a3_0 += w3_1 * v; }
              { const float v = xc[8]; a0_1 += w0_1 * v; a1_1 += w1_1 * v; a2_1 += w2_1 * v; a3_1 += w3_1 * v; }
              { const float v = xc[12]; a0_2 += w0_1 * v; a1_2 += w1_1 * v; a2_2 += w2_1 * v; a3_2 += w3_1 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_3 = CTG_F32X4_LOAD(wc + 48);
              const ctg_f32x4 w1_3 = CTG_F32X4_LOAD(wc + 52);
              const ctg_f32x4 w2_3 = CTG_F32X4_LOAD(wc + 56);
              const ctg_f32x4 w3_3 = CTG_F32X4_LOAD(wc + 60);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; a2_0 += w2_3 * v; a3_0 += w3_3 * v; }
              { const float v = xc[4]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; a2_1 += w2_3 * v; a3_1 += w3_3 * v; }
              { const float v = xc[8]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; a2_2 += w2_3 * v; a3_2 += w3_3 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qw * 2;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 16] = tile[1][c];
              yq[c * 64 + 32] = tile[2][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 0..2: 2 of 4 taps */
        const float *wb = packed + cob * 32768 + 1572864;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 0;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
            ctg_f32x4 a0_1 = b0, a1_1 = b1, a2_1 = b2, a3_1 = b3;
            ctg_f32x4 a0_2 = b0, a1_2 = b1, a2_2 = b2, a3_2 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              __builtin_prefetch(xc + 195);
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_2 = CTG_F32X4_LOAD(wc + 32);
              const ctg_f32x4 w1_2 = CTG_F32X4_LOAD(wc + 36);
              const ctg_f32x4 w2_2 = CTG_F32X4_LOAD(wc + 40);
              const ctg_f32x4 w3_2 = CTG_F32X4_LOAD(wc + 44);
              { const float v = xc[1]; a0_0 += w0_2 * v; a1_0 += w1_2 * v; a2_0 += w2_2 * v; a3_0 += w3_2 * v; }
              { const float v = xc[2]; a0_1 += w0_2 * v; a1_1 += w1_2 * v; a2_1 += w2_2 * v; a3_1 += w3_2 * v; }
              { const float v = xc[3]; a0_2 += w0_2 * v; a1_2 += w1_2 * v; a2_2 += w2_2 * v; a3_2 += w3_2 * v; }
              __asm__("" ::: "memory"); /* this tap's weights load here, not all taps' at once */
              const ctg_f32x4 w0_3 = CTG_F32X4_LOAD(wc + 48);
              const ctg_f32x4 w1_3 = CTG_F32X4_LOAD(wc + 52);
              const ctg_f32x4 w2_3 = CTG_F32X4_LOAD(wc + 56);
              const ctg_f32x4 w3_3 = CTG_F32X4_LOAD(wc + 60);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; a2_0 += w2_3 * v; a3_0 += w3_3 * v; }
              { const float v = xc[1]; a0_1 += w0_3 * v; a1_1 += w1_3 * v; a2_1 += w2_3 * v; a3_1 += w3_3 * v; }
              { const float v = xc[2]; a0_2 += w0_3 * v; a1_2 += w1_3 * v; a2_2 += w2_3 * v; a3_2 += w3_3 * v; }
            }
            float tile[3][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            CTG_F32X4_STORE(&tile[1][0], a0_1);
            CTG_F32X4_STORE(&tile[1][4], a1_1);
            CTG_F32X4_STORE(&tile[1][8], a2_1);
            CTG_F32X4_STORE(&tile[1][12], a3_1);
            CTG_F32X4_STORE(&tile[2][0], a0_2);
            CTG_F32X4_STORE(&tile[2][4], a1_2);
            CTG_F32X4_STORE(&tile[2][8], a2_2);
            CTG_F32X4_STORE(&tile[2][12], a3_2);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
              yq[c * 64 + 2] = tile[1][c];
              yq[c * 64 + 4] = tile[2][c];
            }
          }
        }
        }
        { /* rows 3..3, cols 3..3: 1 of 4 taps */
        const float *wb = packed + cob * 32768 + 1572864;
        const float *xb = x + n * 512 * 16;
        {
          int qw = 3;
          {
            const float *xc = xb + qw + 12;
            const float *wc = wb;
            const ctg_f32x4 b0 = CTG_F32X4_LOAD(bb);
            const ctg_f32x4 b1 = CTG_F32X4_LOAD(bb + 4);
            const ctg_f32x4 b2 = CTG_F32X4_LOAD(bb + 8);
            const ctg_f32x4 b3 = CTG_F32X4_LOAD(bb + 12);
            ctg_f32x4 a0_0 = b0, a1_0 = b1, a2_0 = b2, a3_0 = b3;
#pragma GCC unroll 2
            for (int ci = 0; ci < 512; ci++, xc += 16, wc += 64) {
              __builtin_prefetch(xc + 192);
              const ctg_f32x4 w0_3 = CTG_F32X4_LOAD(wc + 48);
              const ctg_f32x4 w1_3 = CTG_F32X4_LOAD(wc + 52);
              const ctg_f32x4 w2_3 = CTG_F32X4_LOAD(wc + 56);
              const ctg_f32x4 w3_3 = CTG_F32X4_LOAD(wc + 60);
              { const float v = xc[0]; a0_0 += w0_3 * v; a1_0 += w1_3 * v; a2_0 += w2_3 * v; a3_0 += w3_3 * v; }
            }
            float tile[1][16];
            CTG_F32X4_STORE(&tile[0][0], a0_0);
            CTG_F32X4_STORE(&tile[0][4], a1_0);
            CTG_F32X4_STORE(&tile[0][8], a2_0);
            CTG_F32X4_STORE(&tile[0][12], a3_0);
            float *yq = yb + qw * 2 + 48;
            for (int c = 0; c < 16; c++) {
              yq[c * 64] = tile[0][c];
            }
          }
        }
        }
      }
    }
  }
}

int dcgan_g2_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  dcgan_g2_phase_0_0(batch, input, (const float *)packed, output);
  dcgan_g2_phase_0_1(batch, input, (const float *)packed, output);
  dcgan_g2_phase_1_0(batch, input, (const float *)packed, output);
  dcgan_g2_phase_1_1(batch, input, (const float *)packed, output);
  return 0;
}


#include <stdlib.h>
/* Weights as PyTorch stores them: packed into a buffer from malloc on every call (-1 when that
 * fails). Pack once with dcgan_g2_pack and call dcgan_g2_run_packed instead. */
int dcgan_g2_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  float *packed = (float *)malloc(2097408 * sizeof(float));
  if (!packed) return -1;
  dcgan_g2_pack(weight, bias, packed);
  const int status = dcgan_g2_run_packed_batch(batch, input, packed, output);
  free(packed);
  return status;
}

/* the spec's batch of 1 */
int dcgan_g2_run_packed(const float *input, const float *packed, float *output) {
  return dcgan_g2_run_packed_batch(1, input, packed, output);
}

int dcgan_g2_run(const float *input, const float *weight, const float *bias, float *output) {
  return dcgan_g2_run_batch(1, input, weight, bias, output);
}

#else

/* Gather form: each output is summed in registers over exactly the taps that reach its stride
 * phase and stored once, bias included. Interior regions have no bounds checks; border rows
 * and columns are their own regions with only the taps that land inside the input. */

/* phase (oh % 2, ow % 2) = (0, 0): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_0_0(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  (void)b;
  /* rows 0..0, cols 0..0: 1 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        {
          const float *xr = x + n * 512 * 16;
          float *yr = y + (n * 256 + cb) * 64;
          {
            const float *xp = xr;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[0] * wc[5] + xc[16] * wc[4101] + xc[32] * wc[8197] + xc[48] * wc[12293] +
                  xc[64] * wc[16389] + xc[80] * wc[20485] + xc[96] * wc[24581] + xc[112] * wc[28677];
              acc1 += xc[0] * wc[21] + xc[16] * wc[4117] + xc[32] * wc[8213] + xc[48] * wc[12309] +
                  xc[64] * wc[16405] + xc[80] * wc[20501] + xc[96] * wc[24597] + xc[112] * wc[28693];
              acc2 += xc[0] * wc[37] + xc[16] * wc[4133] + xc[32] * wc[8229] + xc[48] * wc[12325] +
                  xc[64] * wc[16421] + xc[80] * wc[20517] + xc[96] * wc[24613] + xc[112] * wc[28709];
              acc3 += xc[0] * wc[53] + xc[16] * wc[4149] + xc[32] * wc[8245] + xc[48] * wc[12341] +
                  xc[64] * wc[16437] + xc[80] * wc[20533] + xc[96] * wc[24629] + xc[112] * wc[28725];
            }
            yr[0] = acc0;
            yr[64] = acc1;
            yr[128] = acc2;
            yr[192] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..0, cols 1..3: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        {
          const float *xr = x + n * 512 * 16;
          float *yr = y + (n * 256 + cb) * 64;
          for (int qw = 1; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[0] * wc[5] + xc[-1] * wc[7] + xc[16] * wc[4101] + xc[15] * wc[4103] +
                  xc[32] * wc[8197] + xc[31] * wc[8199] + xc[48] * wc[12293] + xc[47] * wc[12295] +
                  xc[64] * wc[16389] + xc[63] * wc[16391] + xc[80] * wc[20485] + xc[79] * wc[20487] +
                  xc[96] * wc[24581] + xc[95] * wc[24583] + xc[112] * wc[28677] + xc[111] * wc[28679];
              acc1 += xc[0] * wc[21] + xc[-1] * wc[23] + xc[16] * wc[4117] + xc[15] * wc[4119] +
                  xc[32] * wc[8213] + xc[31] * wc[8215] + xc[48] * wc[12309] + xc[47] * wc[12311] +
                  xc[64] * wc[16405] + xc[63] * wc[16407] + xc[80] * wc[20501] + xc[79] * wc[20503] +
                  xc[96] * wc[24597] + xc[95] * wc[24599] + xc[112] * wc[28693] + xc[111] * wc[28695];
              acc2 += xc[0] * wc[37] + xc[-1] * wc[39] + xc[16] * wc[4133] + xc[15] * wc[4135] +
                  xc[32] * wc[8229] + xc[31] * wc[8231] + xc[48] * wc[12325] + xc[47] * wc[12327] +
                  xc[64] * wc[16421] + xc[63] * wc[16423] + xc[80] * wc[20517] + xc[79] * wc[20519] +
                  xc[96] * wc[24613] + xc[95] * wc[24615] + xc[112] * wc[28709] + xc[111] * wc[28711];
              acc3 += xc[0] * wc[53] + xc[-1] * wc[55] + xc[16] * wc[4149] + xc[15] * wc[4151] +
                  xc[32] * wc[8245] + xc[31] * wc[8247] + xc[48] * wc[12341] + xc[47] * wc[12343] +
                  xc[64] * wc[16437] + xc[63] * wc[16439] + xc[80] * wc[20533] + xc[79] * wc[20535] +
                  xc[96] * wc[24629] + xc[95] * wc[24631] + xc[112] * wc[28725] + xc[111] * wc[28727];
            }
            yr[qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 1..3, cols 0..0: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        for (int qh = 1; qh <= 3; qh++) {
          const float *xr = x + n * 512 * 16 + qh * 4;
          float *yr = y + (n * 256 + cb) * 64 + qh * 16;
          {
            const float *xp = xr;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[0] * wc[5] + xc[-4] * wc[13] + xc[16] * wc[4101] + xc[12] * wc[4109] +
                  xc[32] * wc[8197] + xc[28] * wc[8205] + xc[48] * wc[12293] + xc[44] * wc[12301] +
                  xc[64] * wc[16389] + xc[60] * wc[16397] + xc[80] * wc[20485] + xc[76] * wc[20493] +
                  xc[96] * wc[24581] + xc[92] * wc[24589] + xc[112] * wc[28677] + xc[108] * wc[28685];
              acc1 += xc[0] * wc[21] + xc[-4] * wc[29] + xc[16] * wc[4117] + xc[12] * wc[4125] +
                  xc[32] * wc[8213] + xc[28] * wc[8221] + xc[48] * wc[12309] + xc[44] * wc[12317] +
                  xc[64] * wc[16405] + xc[60] * wc[16413] + xc[80] * wc[20501] + xc[76] * wc[20509] +
                  xc[96] * wc[24597] + xc[92] * wc[24605] + xc[112] * wc[28693] + xc[108] * wc[28701];
              acc2 += xc[0] * wc[37] + xc[-4] * wc[45] + xc[16] * wc[4133] + xc[12] * wc[4141] +
                  xc[32] * wc[8229] + xc[28] * wc[8237] + xc[48] * wc[12325] + xc[44] * wc[12333] +
                  xc[64] * wc[16421] + xc[60] * wc[16429] + xc[80] * wc[20517] + xc[76] * wc[20525] +
                  xc[96] * wc[24613] + xc[92] * wc[24621] + xc[112] * wc[28709] + xc[108] * wc[28717];
              acc3 += xc[0] * wc[53] + xc[-4] * wc[61] + xc[16] * wc[4149] + xc[12] * wc[4157] +
                  xc[32] * wc[8245] + xc[28] * wc[8253] + xc[48] * wc[12341] + xc[44] * wc[12349] +
                  xc[64] * wc[16437] + xc[60] * wc[16445] + xc[80] * wc[20533] + xc[76] * wc[20541] +
                  xc[96] * wc[24629] + xc[92] * wc[24637] + xc[112] * wc[28725] + xc[108] * wc[28733];
            }
            yr[0] = acc0;
            yr[64] = acc1;
            yr[128] = acc2;
            yr[192] = acc3;
          }
        }
      }
    }
  }
  /* rows 1..3, cols 1..3: 4 of 4 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        for (int qh = 1; qh <= 3; qh++) {
          const float *xr = x + n * 512 * 16 + qh * 4;
          float *yr = y + (n * 256 + cb) * 64 + qh * 16;
          for (int qw = 1; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 4, xc += 64, wc += 16384) {
              acc0 += xc[0] * wc[5] + xc[-1] * wc[7] + xc[-4] * wc[13] + xc[-5] * wc[15] +
                  xc[16] * wc[4101] + xc[15] * wc[4103] + xc[12] * wc[4109] + xc[11] * wc[4111] +
                  xc[32] * wc[8197] + xc[31] * wc[8199] + xc[28] * wc[8205] + xc[27] * wc[8207] +
                  xc[48] * wc[12293] + xc[47] * wc[12295] + xc[44] * wc[12301] + xc[43] * wc[12303];
              acc1 += xc[0] * wc[21] + xc[-1] * wc[23] + xc[-4] * wc[29] + xc[-5] * wc[31] +
                  xc[16] * wc[4117] + xc[15] * wc[4119] + xc[12] * wc[4125] + xc[11] * wc[4127] +
                  xc[32] * wc[8213] + xc[31] * wc[8215] + xc[28] * wc[8221] + xc[27] * wc[8223] +
                  xc[48] * wc[12309] + xc[47] * wc[12311] + xc[44] * wc[12317] + xc[43] * wc[12319];
              acc2 += xc[0] * wc[37] + xc[-1] * wc[39] + xc[-4] * wc[45] + xc[-5] * wc[47] +
                  xc[16] * wc[4133] + xc[15] * wc[4135] + xc[12] * wc[4141] + xc[11] * wc[4143] +
                  xc[32] * wc[8229] + xc[31] * wc[8231] + xc[28] * wc[8237] + xc[27] * wc[8239] +
                  xc[48] * wc[12325] + xc[47] * wc[12327] + xc[44] * wc[12333] + xc[43] * wc[12335];
              acc3 += xc[0] * wc[53] + xc[-1] * wc[55] + xc[-4] * wc[61] + xc[-5] * wc[63] +
                  xc[16] * wc[4149] + xc[15] * wc[4151] + xc[12] * wc[4157] + xc[11] * wc[4159] +
                  xc[32] * wc[8245] + xc[31] * wc[8247] + xc[28] * wc[8253] + xc[27] * wc[8255] +
                  xc[48] * wc[12341] + xc[47] * wc[12343] + xc[44] * wc[12349] + xc[43] * wc[12351];
            }
            yr[qw * 2] = acc0;
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
static void dcgan_g2_phase_0_1(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  (void)b;
  /* rows 0..0, cols 0..2: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        {
          const float *xr = x + n * 512 * 16;
          float *yr = y + (n * 256 + cb) * 64 + 1;
          for (int qw = 0; qw <= 2; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[1] * wc[4] + xc[0] * wc[6] + xc[17] * wc[4100] + xc[16] * wc[4102] +
                  xc[33] * wc[8196] + xc[32] * wc[8198] + xc[49] * wc[12292] + xc[48] * wc[12294] +
                  xc[65] * wc[16388] + xc[64] * wc[16390] + xc[81] * wc[20484] + xc[80] * wc[20486] +
                  xc[97] * wc[24580] + xc[96] * wc[24582] + xc[113] * wc[28676] + xc[112] * wc[28678];
              acc1 += xc[1] * wc[20] + xc[0] * wc[22] + xc[17] * wc[4116] + xc[16] * wc[4118] +
                  xc[33] * wc[8212] + xc[32] * wc[8214] + xc[49] * wc[12308] + xc[48] * wc[12310] +
                  xc[65] * wc[16404] + xc[64] * wc[16406] + xc[81] * wc[20500] + xc[80] * wc[20502] +
                  xc[97] * wc[24596] + xc[96] * wc[24598] + xc[113] * wc[28692] + xc[112] * wc[28694];
              acc2 += xc[1] * wc[36] + xc[0] * wc[38] + xc[17] * wc[4132] + xc[16] * wc[4134] +
                  xc[33] * wc[8228] + xc[32] * wc[8230] + xc[49] * wc[12324] + xc[48] * wc[12326] +
                  xc[65] * wc[16420] + xc[64] * wc[16422] + xc[81] * wc[20516] + xc[80] * wc[20518] +
                  xc[97] * wc[24612] + xc[96] * wc[24614] + xc[113] * wc[28708] + xc[112] * wc[28710];
              acc3 += xc[1] * wc[52] + xc[0] * wc[54] + xc[17] * wc[4148] + xc[16] * wc[4150] +
                  xc[33] * wc[8244] + xc[32] * wc[8246] + xc[49] * wc[12340] + xc[48] * wc[12342] +
                  xc[65] * wc[16436] + xc[64] * wc[16438] + xc[81] * wc[20532] + xc[80] * wc[20534] +
                  xc[97] * wc[24628] + xc[96] * wc[24630] + xc[113] * wc[28724] + xc[112] * wc[28726];
            }
            yr[qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..0, cols 3..3: 1 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        {
          const float *xr = x + n * 512 * 16;
          float *yr = y + (n * 256 + cb) * 64 + 1;
          {
            const float *xp = xr + 3;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[0] * wc[6] + xc[16] * wc[4102] + xc[32] * wc[8198] + xc[48] * wc[12294] +
                  xc[64] * wc[16390] + xc[80] * wc[20486] + xc[96] * wc[24582] + xc[112] * wc[28678];
              acc1 += xc[0] * wc[22] + xc[16] * wc[4118] + xc[32] * wc[8214] + xc[48] * wc[12310] +
                  xc[64] * wc[16406] + xc[80] * wc[20502] + xc[96] * wc[24598] + xc[112] * wc[28694];
              acc2 += xc[0] * wc[38] + xc[16] * wc[4134] + xc[32] * wc[8230] + xc[48] * wc[12326] +
                  xc[64] * wc[16422] + xc[80] * wc[20518] + xc[96] * wc[24614] + xc[112] * wc[28710];
              acc3 += xc[0] * wc[54] + xc[16] * wc[4150] + xc[32] * wc[8246] + xc[48] * wc[12342] +
                  xc[64] * wc[16438] + xc[80] * wc[20534] + xc[96] * wc[24630] + xc[112] * wc[28726];
            }
            yr[6] = acc0;
            yr[70] = acc1;
            yr[134] = acc2;
            yr[198] = acc3;
          }
        }
      }
    }
  }
  /* rows 1..3, cols 0..2: 4 of 4 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        for (int qh = 1; qh <= 3; qh++) {
          const float *xr = x + n * 512 * 16 + qh * 4;
          float *yr = y + (n * 256 + cb) * 64 + qh * 16 + 1;
          for (int qw = 0; qw <= 2; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 4, xc += 64, wc += 16384) {
              acc0 += xc[1] * wc[4] + xc[0] * wc[6] + xc[-3] * wc[12] + xc[-4] * wc[14] +
                  xc[17] * wc[4100] + xc[16] * wc[4102] + xc[13] * wc[4108] + xc[12] * wc[4110] +
                  xc[33] * wc[8196] + xc[32] * wc[8198] + xc[29] * wc[8204] + xc[28] * wc[8206] +
                  xc[49] * wc[12292] + xc[48] * wc[12294] + xc[45] * wc[12300] + xc[44] * wc[12302];
              acc1 += xc[1] * wc[20] + xc[0] * wc[22] + xc[-3] * wc[28] + xc[-4] * wc[30] +
                  xc[17] * wc[4116] + xc[16] * wc[4118] + xc[13] * wc[4124] + xc[12] * wc[4126] +
                  xc[33] * wc[8212] + xc[32] * wc[8214] + xc[29] * wc[8220] + xc[28] * wc[8222] +
                  xc[49] * wc[12308] + xc[48] * wc[12310] + xc[45] * wc[12316] + xc[44] * wc[12318];
              acc2 += xc[1] * wc[36] + xc[0] * wc[38] + xc[-3] * wc[44] + xc[-4] * wc[46] +
                  xc[17] * wc[4132] + xc[16] * wc[4134] + xc[13] * wc[4140] + xc[12] * wc[4142] +
                  xc[33] * wc[8228] + xc[32] * wc[8230] + xc[29] * wc[8236] + xc[28] * wc[8238] +
                  xc[49] * wc[12324] + xc[48] * wc[12326] + xc[45] * wc[12332] + xc[44] * wc[12334];
              acc3 += xc[1] * wc[52] + xc[0] * wc[54] + xc[-3] * wc[60] + xc[-4] * wc[62] +
                  xc[17] * wc[4148] + xc[16] * wc[4150] + xc[13] * wc[4156] + xc[12] * wc[4158] +
                  xc[33] * wc[8244] + xc[32] * wc[8246] + xc[29] * wc[8252] + xc[28] * wc[8254] +
                  xc[49] * wc[12340] + xc[48] * wc[12342] + xc[45] * wc[12348] + xc[44] * wc[12350];
            }
            yr[qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 1..3, cols 3..3: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        for (int qh = 1; qh <= 3; qh++) {
          const float *xr = x + n * 512 * 16 + qh * 4;
          float *yr = y + (n * 256 + cb) * 64 + qh * 16 + 1;
          {
            const float *xp = xr + 3;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[0] * wc[6] + xc[-4] * wc[14] + xc[16] * wc[4102] + xc[12] * wc[4110] +
                  xc[32] * wc[8198] + xc[28] * wc[8206] + xc[48] * wc[12294] + xc[44] * wc[12302] +
                  xc[64] * wc[16390] + xc[60] * wc[16398] + xc[80] * wc[20486] + xc[76] * wc[20494] +
                  xc[96] * wc[24582] + xc[92] * wc[24590] + xc[112] * wc[28678] + xc[108] * wc[28686];
              acc1 += xc[0] * wc[22] + xc[-4] * wc[30] + xc[16] * wc[4118] + xc[12] * wc[4126] +
                  xc[32] * wc[8214] + xc[28] * wc[8222] + xc[48] * wc[12310] + xc[44] * wc[12318] +
                  xc[64] * wc[16406] + xc[60] * wc[16414] + xc[80] * wc[20502] + xc[76] * wc[20510] +
                  xc[96] * wc[24598] + xc[92] * wc[24606] + xc[112] * wc[28694] + xc[108] * wc[28702];
              acc2 += xc[0] * wc[38] + xc[-4] * wc[46] + xc[16] * wc[4134] + xc[12] * wc[4142] +
                  xc[32] * wc[8230] + xc[28] * wc[8238] + xc[48] * wc[12326] + xc[44] * wc[12334] +
                  xc[64] * wc[16422] + xc[60] * wc[16430] + xc[80] * wc[20518] + xc[76] * wc[20526] +
                  xc[96] * wc[24614] + xc[92] * wc[24622] + xc[112] * wc[28710] + xc[108] * wc[28718];
              acc3 += xc[0] * wc[54] + xc[-4] * wc[62] + xc[16] * wc[4150] + xc[12] * wc[4158] +
                  xc[32] * wc[8246] + xc[28] * wc[8254] + xc[48] * wc[12342] + xc[44] * wc[12350] +
                  xc[64] * wc[16438] + xc[60] * wc[16446] + xc[80] * wc[20534] + xc[76] * wc[20542] +
                  xc[96] * wc[24630] + xc[92] * wc[24638] + xc[112] * wc[28726] + xc[108] * wc[28734];
            }
            yr[6] = acc0;
            yr[70] = acc1;
            yr[134] = acc2;
            yr[198] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 0): 4 taps, 4x4 outputs */
static void dcgan_g2_phase_1_0(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  (void)b;
  /* rows 0..2, cols 0..0: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        for (int qh = 0; qh <= 2; qh++) {
          const float *xr = x + n * 512 * 16 + qh * 4;
          float *yr = y + (n * 256 + cb) * 64 + qh * 16 + 8;
          {
            const float *xp = xr;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[4] * wc[1] + xc[0] * wc[9] + xc[20] * wc[4097] + xc[16] * wc[4105] +
                  xc[36] * wc[8193] + xc[32] * wc[8201] + xc[52] * wc[12289] + xc[48] * wc[12297] +
                  xc[68] * wc[16385] + xc[64] * wc[16393] + xc[84] * wc[20481] + xc[80] * wc[20489] +
                  xc[100] * wc[24577] + xc[96] * wc[24585] + xc[116] * wc[28673] + xc[112] * wc[28681];
              acc1 += xc[4] * wc[17] + xc[0] * wc[25] + xc[20] * wc[4113] + xc[16] * wc[4121] +
                  xc[36] * wc[8209] + xc[32] * wc[8217] + xc[52] * wc[12305] + xc[48] * wc[12313] +
                  xc[68] * wc[16401] + xc[64] * wc[16409] + xc[84] * wc[20497] + xc[80] * wc[20505] +
                  xc[100] * wc[24593] + xc[96] * wc[24601] + xc[116] * wc[28689] + xc[112] * wc[28697];
              acc2 += xc[4] * wc[33] + xc[0] * wc[41] + xc[20] * wc[4129] + xc[16] * wc[4137] +
                  xc[36] * wc[8225] + xc[32] * wc[8233] + xc[52] * wc[12321] + xc[48] * wc[12329] +
                  xc[68] * wc[16417] + xc[64] * wc[16425] + xc[84] * wc[20513] + xc[80] * wc[20521] +
                  xc[100] * wc[24609] + xc[96] * wc[24617] + xc[116] * wc[28705] + xc[112] * wc[28713];
              acc3 += xc[4] * wc[49] + xc[0] * wc[57] + xc[20] * wc[4145] + xc[16] * wc[4153] +
                  xc[36] * wc[8241] + xc[32] * wc[8249] + xc[52] * wc[12337] + xc[48] * wc[12345] +
                  xc[68] * wc[16433] + xc[64] * wc[16441] + xc[84] * wc[20529] + xc[80] * wc[20537] +
                  xc[100] * wc[24625] + xc[96] * wc[24633] + xc[116] * wc[28721] + xc[112] * wc[28729];
            }
            yr[0] = acc0;
            yr[64] = acc1;
            yr[128] = acc2;
            yr[192] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..2, cols 1..3: 4 of 4 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        for (int qh = 0; qh <= 2; qh++) {
          const float *xr = x + n * 512 * 16 + qh * 4;
          float *yr = y + (n * 256 + cb) * 64 + qh * 16 + 8;
          for (int qw = 1; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 4, xc += 64, wc += 16384) {
              acc0 += xc[4] * wc[1] + xc[3] * wc[3] + xc[0] * wc[9] + xc[-1] * wc[11] +
                  xc[20] * wc[4097] + xc[19] * wc[4099] + xc[16] * wc[4105] + xc[15] * wc[4107] +
                  xc[36] * wc[8193] + xc[35] * wc[8195] + xc[32] * wc[8201] + xc[31] * wc[8203] +
                  xc[52] * wc[12289] + xc[51] * wc[12291] + xc[48] * wc[12297] + xc[47] * wc[12299];
              acc1 += xc[4] * wc[17] + xc[3] * wc[19] + xc[0] * wc[25] + xc[-1] * wc[27] +
                  xc[20] * wc[4113] + xc[19] * wc[4115] + xc[16] * wc[4121] + xc[15] * wc[4123] +
                  xc[36] * wc[8209] + xc[35] * wc[8211] + xc[32] * wc[8217] + xc[31] * wc[8219] +
                  xc[52] * wc[12305] + xc[51] * wc[12307] + xc[48] * wc[12313] + xc[47] * wc[12315];
              acc2 += xc[4] * wc[33] + xc[3] * wc[35] + xc[0] * wc[41] + xc[-1] * wc[43] +
                  xc[20] * wc[4129] + xc[19] * wc[4131] + xc[16] * wc[4137] + xc[15] * wc[4139] +
                  xc[36] * wc[8225] + xc[35] * wc[8227] + xc[32] * wc[8233] + xc[31] * wc[8235] +
                  xc[52] * wc[12321] + xc[51] * wc[12323] + xc[48] * wc[12329] + xc[47] * wc[12331];
              acc3 += xc[4] * wc[49] + xc[3] * wc[51] + xc[0] * wc[57] + xc[-1] * wc[59] +
                  xc[20] * wc[4145] + xc[19] * wc[4147] + xc[16] * wc[4153] + xc[15] * wc[4155] +
                  xc[36] * wc[8241] + xc[35] * wc[8243] + xc[32] * wc[8249] + xc[31] * wc[8251] +
                  xc[52] * wc[12337] + xc[51] * wc[12339] + xc[48] * wc[12345] + xc[47] * wc[12347];
            }
            yr[qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 3..3, cols 0..0: 1 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        {
          const float *xr = x + n * 512 * 16 + 12;
          float *yr = y + (n * 256 + cb) * 64 + 56;
          {
            const float *xp = xr;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[0] * wc[9] + xc[16] * wc[4105] + xc[32] * wc[8201] + xc[48] * wc[12297] +
                  xc[64] * wc[16393] + xc[80] * wc[20489] + xc[96] * wc[24585] + xc[112] * wc[28681];
              acc1 += xc[0] * wc[25] + xc[16] * wc[4121] + xc[32] * wc[8217] + xc[48] * wc[12313] +
                  xc[64] * wc[16409] + xc[80] * wc[20505] + xc[96] * wc[24601] + xc[112] * wc[28697];
              acc2 += xc[0] * wc[41] + xc[16] * wc[4137] + xc[32] * wc[8233] + xc[48] * wc[12329] +
                  xc[64] * wc[16425] + xc[80] * wc[20521] + xc[96] * wc[24617] + xc[112] * wc[28713];
              acc3 += xc[0] * wc[57] + xc[16] * wc[4153] + xc[32] * wc[8249] + xc[48] * wc[12345] +
                  xc[64] * wc[16441] + xc[80] * wc[20537] + xc[96] * wc[24633] + xc[112] * wc[28729];
            }
            yr[0] = acc0;
            yr[64] = acc1;
            yr[128] = acc2;
            yr[192] = acc3;
          }
        }
      }
    }
  }
  /* rows 3..3, cols 1..3: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        {
          const float *xr = x + n * 512 * 16 + 12;
          float *yr = y + (n * 256 + cb) * 64 + 56;
          for (int qw = 1; qw <= 3; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[0] * wc[9] + xc[-1] * wc[11] + xc[16] * wc[4105] + xc[15] * wc[4107] +
                  xc[32] * wc[8201] + xc[31] * wc[8203] + xc[48] * wc[12297] + xc[47] * wc[12299] +
                  xc[64] * wc[16393] + xc[63] * wc[16395] + xc[80] * wc[20489] + xc[79] * wc[20491] +
                  xc[96] * wc[24585] + xc[95] * wc[24587] + xc[112] * wc[28681] + xc[111] * wc[28683];
              acc1 += xc[0] * wc[25] + xc[-1] * wc[27] + xc[16] * wc[4121] + xc[15] * wc[4123] +
                  xc[32] * wc[8217] + xc[31] * wc[8219] + xc[48] * wc[12313] + xc[47] * wc[12315] +
                  xc[64] * wc[16409] + xc[63] * wc[16411] + xc[80] * wc[20505] + xc[79] * wc[20507] +
                  xc[96] * wc[24601] + xc[95] * wc[24603] + xc[112] * wc[28697] + xc[111] * wc[28699];
              acc2 += xc[0] * wc[41] + xc[-1] * wc[43] + xc[16] * wc[4137] + xc[15] * wc[4139] +
                  xc[32] * wc[8233] + xc[31] * wc[8235] + xc[48] * wc[12329] + xc[47] * wc[12331] +
                  xc[64] * wc[16425] + xc[63] * wc[16427] + xc[80] * wc[20521] + xc[79] * wc[20523] +
                  xc[96] * wc[24617] + xc[95] * wc[24619] + xc[112] * wc[28713] + xc[111] * wc[28715];
              acc3 += xc[0] * wc[57] + xc[-1] * wc[59] + xc[16] * wc[4153] + xc[15] * wc[4155] +
                  xc[32] * wc[8249] + xc[31] * wc[8251] + xc[48] * wc[12345] + xc[47] * wc[12347] +
                  xc[64] * wc[16441] + xc[63] * wc[16443] + xc[80] * wc[20537] + xc[79] * wc[20539] +
                  xc[96] * wc[24633] + xc[95] * wc[24635] + xc[112] * wc[28729] + xc[111] * wc[28731];
            }
            yr[qw * 2] = acc0;
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
static void dcgan_g2_phase_1_1(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  (void)b;
  /* rows 0..2, cols 0..2: 4 of 4 taps (interior) */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        for (int qh = 0; qh <= 2; qh++) {
          const float *xr = x + n * 512 * 16 + qh * 4;
          float *yr = y + (n * 256 + cb) * 64 + qh * 16 + 9;
          for (int qw = 0; qw <= 2; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 4, xc += 64, wc += 16384) {
              acc0 += xc[5] * wc[0] + xc[4] * wc[2] + xc[1] * wc[8] + xc[0] * wc[10] +
                  xc[21] * wc[4096] + xc[20] * wc[4098] + xc[17] * wc[4104] + xc[16] * wc[4106] +
                  xc[37] * wc[8192] + xc[36] * wc[8194] + xc[33] * wc[8200] + xc[32] * wc[8202] +
                  xc[53] * wc[12288] + xc[52] * wc[12290] + xc[49] * wc[12296] + xc[48] * wc[12298];
              acc1 += xc[5] * wc[16] + xc[4] * wc[18] + xc[1] * wc[24] + xc[0] * wc[26] +
                  xc[21] * wc[4112] + xc[20] * wc[4114] + xc[17] * wc[4120] + xc[16] * wc[4122] +
                  xc[37] * wc[8208] + xc[36] * wc[8210] + xc[33] * wc[8216] + xc[32] * wc[8218] +
                  xc[53] * wc[12304] + xc[52] * wc[12306] + xc[49] * wc[12312] + xc[48] * wc[12314];
              acc2 += xc[5] * wc[32] + xc[4] * wc[34] + xc[1] * wc[40] + xc[0] * wc[42] +
                  xc[21] * wc[4128] + xc[20] * wc[4130] + xc[17] * wc[4136] + xc[16] * wc[4138] +
                  xc[37] * wc[8224] + xc[36] * wc[8226] + xc[33] * wc[8232] + xc[32] * wc[8234] +
                  xc[53] * wc[12320] + xc[52] * wc[12322] + xc[49] * wc[12328] + xc[48] * wc[12330];
              acc3 += xc[5] * wc[48] + xc[4] * wc[50] + xc[1] * wc[56] + xc[0] * wc[58] +
                  xc[21] * wc[4144] + xc[20] * wc[4146] + xc[17] * wc[4152] + xc[16] * wc[4154] +
                  xc[37] * wc[8240] + xc[36] * wc[8242] + xc[33] * wc[8248] + xc[32] * wc[8250] +
                  xc[53] * wc[12336] + xc[52] * wc[12338] + xc[49] * wc[12344] + xc[48] * wc[12346];
            }
            yr[qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..2, cols 3..3: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        for (int qh = 0; qh <= 2; qh++) {
          const float *xr = x + n * 512 * 16 + qh * 4;
          float *yr = y + (n * 256 + cb) * 64 + qh * 16 + 9;
          {
            const float *xp = xr + 3;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[4] * wc[2] + xc[0] * wc[10] + xc[20] * wc[4098] + xc[16] * wc[4106] +
                  xc[36] * wc[8194] + xc[32] * wc[8202] + xc[52] * wc[12290] + xc[48] * wc[12298] +
                  xc[68] * wc[16386] + xc[64] * wc[16394] + xc[84] * wc[20482] + xc[80] * wc[20490] +
                  xc[100] * wc[24578] + xc[96] * wc[24586] + xc[116] * wc[28674] + xc[112] * wc[28682];
              acc1 += xc[4] * wc[18] + xc[0] * wc[26] + xc[20] * wc[4114] + xc[16] * wc[4122] +
                  xc[36] * wc[8210] + xc[32] * wc[8218] + xc[52] * wc[12306] + xc[48] * wc[12314] +
                  xc[68] * wc[16402] + xc[64] * wc[16410] + xc[84] * wc[20498] + xc[80] * wc[20506] +
                  xc[100] * wc[24594] + xc[96] * wc[24602] + xc[116] * wc[28690] + xc[112] * wc[28698];
              acc2 += xc[4] * wc[34] + xc[0] * wc[42] + xc[20] * wc[4130] + xc[16] * wc[4138] +
                  xc[36] * wc[8226] + xc[32] * wc[8234] + xc[52] * wc[12322] + xc[48] * wc[12330] +
                  xc[68] * wc[16418] + xc[64] * wc[16426] + xc[84] * wc[20514] + xc[80] * wc[20522] +
                  xc[100] * wc[24610] + xc[96] * wc[24618] + xc[116] * wc[28706] + xc[112] * wc[28714];
              acc3 += xc[4] * wc[50] + xc[0] * wc[58] + xc[20] * wc[4146] + xc[16] * wc[4154] +
                  xc[36] * wc[8242] + xc[32] * wc[8250] + xc[52] * wc[12338] + xc[48] * wc[12346] +
                  xc[68] * wc[16434] + xc[64] * wc[16442] + xc[84] * wc[20530] + xc[80] * wc[20538] +
                  xc[100] * wc[24626] + xc[96] * wc[24634] + xc[116] * wc[28722] + xc[112] * wc[28730];
            }
            yr[6] = acc0;
            yr[70] = acc1;
            yr[134] = acc2;
            yr[198] = acc3;
          }
        }
      }
    }
  }
  /* rows 3..3, cols 0..2: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        {
          const float *xr = x + n * 512 * 16 + 12;
          float *yr = y + (n * 256 + cb) * 64 + 57;
          for (int qw = 0; qw <= 2; qw++) {
            const float *xp = xr + qw;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[1] * wc[8] + xc[0] * wc[10] + xc[17] * wc[4104] + xc[16] * wc[4106] +
                  xc[33] * wc[8200] + xc[32] * wc[8202] + xc[49] * wc[12296] + xc[48] * wc[12298] +
                  xc[65] * wc[16392] + xc[64] * wc[16394] + xc[81] * wc[20488] + xc[80] * wc[20490] +
                  xc[97] * wc[24584] + xc[96] * wc[24586] + xc[113] * wc[28680] + xc[112] * wc[28682];
              acc1 += xc[1] * wc[24] + xc[0] * wc[26] + xc[17] * wc[4120] + xc[16] * wc[4122] +
                  xc[33] * wc[8216] + xc[32] * wc[8218] + xc[49] * wc[12312] + xc[48] * wc[12314] +
                  xc[65] * wc[16408] + xc[64] * wc[16410] + xc[81] * wc[20504] + xc[80] * wc[20506] +
                  xc[97] * wc[24600] + xc[96] * wc[24602] + xc[113] * wc[28696] + xc[112] * wc[28698];
              acc2 += xc[1] * wc[40] + xc[0] * wc[42] + xc[17] * wc[4136] + xc[16] * wc[4138] +
                  xc[33] * wc[8232] + xc[32] * wc[8234] + xc[49] * wc[12328] + xc[48] * wc[12330] +
                  xc[65] * wc[16424] + xc[64] * wc[16426] + xc[81] * wc[20520] + xc[80] * wc[20522] +
                  xc[97] * wc[24616] + xc[96] * wc[24618] + xc[113] * wc[28712] + xc[112] * wc[28714];
              acc3 += xc[1] * wc[56] + xc[0] * wc[58] + xc[17] * wc[4152] + xc[16] * wc[4154] +
                  xc[33] * wc[8248] + xc[32] * wc[8250] + xc[49] * wc[12344] + xc[48] * wc[12346] +
                  xc[65] * wc[16440] + xc[64] * wc[16442] + xc[81] * wc[20536] + xc[80] * wc[20538] +
                  xc[97] * wc[24632] + xc[96] * wc[24634] + xc[113] * wc[28728] + xc[112] * wc[28730];
            }
            yr[qw * 2] = acc0;
            yr[64 + qw * 2] = acc1;
            yr[128 + qw * 2] = acc2;
            yr[192 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 3..3, cols 3..3: 1 of 4 taps */
  for (int n = 0; n < batch; n++) {
    {
      for (int cb = 0; cb <= 252; cb += 4) {
        const float *wb = w + cb * 16;
        {
          const float *xr = x + n * 512 * 16 + 12;
          float *yr = y + (n * 256 + cb) * 64 + 57;
          {
            const float *xp = xr + 3;
            float acc0 = 0.0f;
            float acc1 = 0.0f;
            float acc2 = 0.0f;
            float acc3 = 0.0f;
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 512; ci += 8, xc += 128, wc += 32768) {
              acc0 += xc[0] * wc[10] + xc[16] * wc[4106] + xc[32] * wc[8202] + xc[48] * wc[12298] +
                  xc[64] * wc[16394] + xc[80] * wc[20490] + xc[96] * wc[24586] + xc[112] * wc[28682];
              acc1 += xc[0] * wc[26] + xc[16] * wc[4122] + xc[32] * wc[8218] + xc[48] * wc[12314] +
                  xc[64] * wc[16410] + xc[80] * wc[20506] + xc[96] * wc[24602] + xc[112] * wc[28698];
              acc2 += xc[0] * wc[42] + xc[16] * wc[4138] + xc[32] * wc[8234] + xc[48] * wc[12330] +
                  xc[64] * wc[16426] + xc[80] * wc[20522] + xc[96] * wc[24618] + xc[112] * wc[28714];
              acc3 += xc[0] * wc[58] + xc[16] * wc[4154] + xc[32] * wc[8250] + xc[48] * wc[12346] +
                  xc[64] * wc[16442] + xc[80] * wc[20538] + xc[96] * wc[24634] + xc[112] * wc[28730];
            }
            yr[6] = acc0;
            yr[70] = acc1;
            yr[134] = acc2;
            yr[198] = acc3;
          }
        }
      }
    }
  }
}

int dcgan_g2_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  dcgan_g2_phase_0_0(batch, input, weight, bias, output);
  dcgan_g2_phase_0_1(batch, input, weight, bias, output);
  dcgan_g2_phase_1_0(batch, input, weight, bias, output);
  dcgan_g2_phase_1_1(batch, input, weight, bias, output);
  return 0;
}


/* Packed form of this code: the weights, then the bias, as PyTorch stores them. */
void dcgan_g2_pack(const float *weight, const float *bias, float *packed) {
  for (int i = 0; i < 2097152; i++) packed[i] = weight[i];
  (void)bias;
}

int dcgan_g2_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  return dcgan_g2_run_batch(batch, input, packed, (const float *)0, output);
}

/* the spec's batch of 1 */
int dcgan_g2_run_packed(const float *input, const float *packed, float *output) {
  return dcgan_g2_run_packed_batch(1, input, packed, output);
}

int dcgan_g2_run(const float *input, const float *weight, const float *bias, float *output) {
  return dcgan_g2_run_batch(1, input, weight, bias, output);
}
#endif
