// Auto-generated file. Do not edit!
//   Template: templates/kernel.cu.in
//   Generator: convtgen 0.2.0
//   Layer: ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=1, bias=True, dilation=(1, 1)) on input (1, 8, 8, 8), float32
//   Launch: 2 kernels in order, one per output row phase (tiny_mcu.cuh has the grids)
// A thread owns one output position of its row phase and a tile of 4 output channels, and
// computes every column phase for it in turn: a warp runs one phase's taps at a time, with
// consecutive threads on consecutive columns. Interior threads run with no bounds checks.
// Every kernel takes (x, w, b, y, y0, z0): x and y at the launch's first image, y0 and z0 the
// grid's row and channel-tile blocks before this launch (the grid's y and z limit of 65535
// splits a layer into several launches; the runtime and tiny_mcu.cuh's launcher slice alike).

#ifndef CTG_KERNEL
#define CTG_KERNEL extern "C" __global__
#endif

/* row phase oh % 2 = 0: 8 rows; grid (1, 1, 1), block (8, 8, 1) */
CTG_KERNEL void tiny_mcu_rh0(const float *__restrict__ x, const float *__restrict__ w,
                                 const float *__restrict__ b, float *__restrict__ y, int y0, int z0) {
  const int qw = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  const int by = (int)blockIdx.y + y0, bz = (int)blockIdx.z + z0;
  const int n = by;
  const int qh = (int)threadIdx.y;
  const int g = bz;
  if (qw >= 8 || qh >= 8) return;
  const float *xq = x + (long long)n * 512 + (g * 8) * 64 + qh * 8 + qw;
  const float *wg = w + g * 288;

  float *yq = y + (long long)n * 1024 + g * 4 * 256 + qh * 2 * 16 + qw * 2;
  /* column phase ow % 2 = 0: 1 taps */
  {
    float acc0 = b[g * 4];
    float acc1 = b[g * 4 + 1];
    float acc2 = b[g * 4 + 2];
    float acc3 = b[g * 4 + 3];
    if (qh >= 0 && qh <= 7 && qw >= 0 && qw <= 7) {
      for (int ci = 0; ci < 8; ci++) {
        const float *xc = xq + ci * 64;
        const float *wc = wg + ci * 36;
        acc0 += xc[0] * wc[4]; acc1 += xc[0] * wc[13]; acc2 += xc[0] * wc[22]; acc3 += xc[0] * wc[31];
      }
    } else {
      const int v0 = (unsigned)(qh) < 8u && (unsigned)(qw) < 8u;
      for (int ci = 0; ci < 8; ci++) {
        const float *xc = xq + ci * 64;
        const float *wc = wg + ci * 36;
        if (v0) {
          acc0 += xc[0] * wc[4]; acc1 += xc[0] * wc[13]; acc2 += xc[0] * wc[22]; acc3 += xc[0] * wc[31];
        }
      }
    }
    yq[0] = acc0;
    yq[256] = acc1;
    yq[512] = acc2;
    yq[768] = acc3;
  }
  /* column phase ow % 2 = 1: 2 taps */
  {
    float acc0 = b[g * 4];
    float acc1 = b[g * 4 + 1];
    float acc2 = b[g * 4 + 2];
    float acc3 = b[g * 4 + 3];
    if (qh >= 0 && qh <= 7 && qw >= 0 && qw <= 6) {
      for (int ci = 0; ci < 8; ci++) {
        const float *xc = xq + ci * 64;
        const float *wc = wg + ci * 36;
        acc0 += xc[1] * wc[3]; acc1 += xc[1] * wc[12]; acc2 += xc[1] * wc[21]; acc3 += xc[1] * wc[30];
        acc0 += xc[0] * wc[5]; acc1 += xc[0] * wc[14]; acc2 += xc[0] * wc[23]; acc3 += xc[0] * wc[32];
      }
    } else {
      const int v0 = (unsigned)(qh) < 8u && (unsigned)(qw + 1) < 8u;
      const int v1 = (unsigned)(qh) < 8u && (unsigned)(qw) < 8u;
      for (int ci = 0; ci < 8; ci++) {
        const float *xc = xq + ci * 64;
        const float *wc = wg + ci * 36;
        if (v0) {
          acc0 += xc[1] * wc[3]; acc1 += xc[1] * wc[12]; acc2 += xc[1] * wc[21]; acc3 += xc[1] * wc[30];
        }
        if (v1) {
          acc0 += xc[0] * wc[5]; acc1 += xc[0] * wc[14]; acc2 += xc[0] * wc[23]; acc3 += xc[0] * wc[32];
        }
      }
    }
    yq[1] = acc0;
    yq[257] = acc1;
    yq[513] = acc2;
    yq[769] = acc3;
  }
}

/* row phase oh % 2 = 1: 8 rows; grid (1, 1, 1), block (8, 8, 1) */
CTG_KERNEL void tiny_mcu_rh1(const float *__restrict__ x, const float *__restrict__ w,
                                 const float *__restrict__ b, float *__restrict__ y, int y0, int z0) {
  const int qw = (int)(blockIdx.x * blockDim.x + threadIdx.x);
  const int by = (int)blockIdx.y + y0, bz = (int)blockIdx.z + z0;
  const int n = by;
  const int qh = (int)threadIdx.y;
  const int g = bz;
  if (qw >= 8 || qh >= 8) return;
  const float *xq = x + (long long)n * 512 + (g * 8) * 64 + qh * 8 + qw;
  const float *wg = w + g * 288;

  float *yq = y + (long long)n * 1024 + g * 4 * 256 + (qh * 2 + 1) * 16 + qw * 2;
  /* column phase ow % 2 = 0: 2 taps */
  {
    float acc0 = b[g * 4];
    float acc1 = b[g * 4 + 1];
    float acc2 = b[g * 4 + 2];
    float acc3 = b[g * 4 + 3];
    if (qh >= 0 && qh <= 6 && qw >= 0 && qw <= 7) {
      for (int ci = 0; ci < 8; ci++) {
        const float *xc = xq + ci * 64;
        const float *wc = wg + ci * 36;
        acc0 += xc[8] * wc[1]; acc1 += xc[8] * wc[10]; acc2 += xc[8] * wc[19]; acc3 += xc[8] * wc[28];
        acc0 += xc[0] * wc[7]; acc1 += xc[0] * wc[16]; acc2 += xc[0] * wc[25]; acc3 += xc[0] * wc[34];
      }
    } else {
      const int v0 = (unsigned)(qh + 1) < 8u && (unsigned)(qw) < 8u;
      const int v1 = (unsigned)(qh) < 8u && (unsigned)(qw) < 8u;
      for (int ci = 0; ci < 8; ci++) {
        const float *xc = xq + ci * 64;
        const float *wc = wg + ci * 36;
        if (v0) {
          acc0 += xc[8] * wc[1]; acc1 += xc[8] * wc[10]; acc2 += xc[8] * wc[19]; acc3 += xc[8] * wc[28];
        }
        if (v1) {
          acc0 += xc[0] * wc[7]; acc1 += xc[0] * wc[16]; acc2 += xc[0] * wc[25]; acc3 += xc[0] * wc[34];
        }
      }
    }
    yq[0] = acc0;
    yq[256] = acc1;
    yq[512] = acc2;
    yq[768] = acc3;
  }
  /* column phase ow % 2 = 1: 4 taps */
  {
    float acc0 = b[g * 4];
    float acc1 = b[g * 4 + 1];
    float acc2 = b[g * 4 + 2];
    float acc3 = b[g * 4 + 3];
    if (qh >= 0 && qh <= 6 && qw >= 0 && qw <= 6) {
      for (int ci = 0; ci < 8; ci++) {
        const float *xc = xq + ci * 64;
        const float *wc = wg + ci * 36;
        acc0 += xc[9] * wc[0]; acc1 += xc[9] * wc[9]; acc2 += xc[9] * wc[18]; acc3 += xc[9] * wc[27];
        acc0 += xc[8] * wc[2]; acc1 += xc[8] * wc[11]; acc2 += xc[8] * wc[20]; acc3 += xc[8] * wc[29];
        acc0 += xc[1] * wc[6]; acc1 += xc[1] * wc[15]; acc2 += xc[1] * wc[24]; acc3 += xc[1] * wc[33];
        acc0 += xc[0] * wc[8]; acc1 += xc[0] * wc[17]; acc2 += xc[0] * wc[26]; acc3 += xc[0] * wc[35];
      }
    } else {
      const int v0 = (unsigned)(qh + 1) < 8u && (unsigned)(qw + 1) < 8u;
      const int v1 = (unsigned)(qh + 1) < 8u && (unsigned)(qw) < 8u;
      const int v2 = (unsigned)(qh) < 8u && (unsigned)(qw + 1) < 8u;
      const int v3 = (unsigned)(qh) < 8u && (unsigned)(qw) < 8u;
      for (int ci = 0; ci < 8; ci++) {
        const float *xc = xq + ci * 64;
        const float *wc = wg + ci * 36;
        if (v0) {
          acc0 += xc[9] * wc[0]; acc1 += xc[9] * wc[9]; acc2 += xc[9] * wc[18]; acc3 += xc[9] * wc[27];
        }
        if (v1) {
          acc0 += xc[8] * wc[2]; acc1 += xc[8] * wc[11]; acc2 += xc[8] * wc[20]; acc3 += xc[8] * wc[29];
        }
        if (v2) {
          acc0 += xc[1] * wc[6]; acc1 += xc[1] * wc[15]; acc2 += xc[1] * wc[24]; acc3 += xc[1] * wc[33];
        }
        if (v3) {
          acc0 += xc[0] * wc[8]; acc1 += xc[0] * wc[17]; acc2 += xc[0] * wc[26]; acc3 += xc[0] * wc[35];
        }
      }
    }
    yq[1] = acc0;
    yq[257] = acc1;
    yq[513] = acc2;
    yq[769] = acc3;
  }
}
