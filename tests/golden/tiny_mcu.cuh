// Auto-generated file. Do not edit!
//   Template: templates/kernel.cuh.in
//   Generator: convtgen 0.2.0
//   Layer: ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=1, bias=True, dilation=(1, 1)) on input (1, 8, 8, 8), float32
#ifndef TINY_MCU_CUH
#define TINY_MCU_CUH

/* Device buffers, float32 in C order, laid out as PyTorch's ConvTranspose2d lays them out:
 * input (N, Cin, H, W), weight (Cin, Cout/groups, KH, KW), bias (Cout,), output
 * (N, Cout, Hout, Wout) (unbatched: without N). Sizes are in elements. */
#define TINY_MCU_INPUT_SIZE 512
#define TINY_MCU_WEIGHT_SIZE 288
#define TINY_MCU_BIAS_SIZE 4
#define TINY_MCU_OUTPUT_SIZE 1024
#define TINY_MCU_KERNELS 2

/* X(kernel, grid_x, grid_y, grid_z, block_x, block_y, block_z) for every kernel, in launch order;
 * grid_y is for one image. Each kernel takes (x, w, b, y, y0, z0). A launch covers as many
 * images as fit grid y's 65535 (n images: n * grid_y, x and y at the first); an image with more
 * than 65535 row blocks goes alone, in launches of at most 65535 starting at block row y0; more
 * than 65535 channel tiles go in launches starting at tile z0. tiny_mcu_launch_batch does it. */
#define TINY_MCU_FOR_EACH_KERNEL(X) \
  X(tiny_mcu_rh0, 1, 1, 1, 8, 8, 1) \
  X(tiny_mcu_rh1, 1, 1, 1, 8, 8, 1) \
  /* end */

#ifdef __CUDACC__
#include <cuda_runtime.h>

extern "C" __global__ void tiny_mcu_rh0(const float *__restrict__ x, const float *__restrict__ w,
                                 const float *__restrict__ b, float *__restrict__ y, int y0, int z0);
extern "C" __global__ void tiny_mcu_rh1(const float *__restrict__ x, const float *__restrict__ w,
                                 const float *__restrict__ b, float *__restrict__ y, int y0, int z0);

/* Launches every kernel on stream for a batch of images (any batch; the spec's is 1), within
 * the grid's limits; bias may be NULL when the layer has none. Enqueues only: no copy, no wait. */
static inline cudaError_t tiny_mcu_launch_batch(int batch, const float *input, const float *weight, const float *bias,
                                               float *output, cudaStream_t stream) {
  for (long long n0 = 0; n0 < batch; n0 += 65535) { /* tiny_mcu_rh0: 65535 images a launch */
    const int n = batch - n0 < 65535 ? (int)(batch - n0) : 65535;
    const float *x = input + n0 * 512;
    float *y = output + n0 * 1024;
    const int y0 = 0, rows = n;
    {
      for (int z0 = 0; z0 < 1; z0 += 65535) {
        const unsigned tiles = 1 - z0 < 65535 ? 1 - z0 : 65535;
        tiny_mcu_rh0<<<dim3(1, rows, tiles), dim3(8, 8, 1), 0, stream>>>(x, weight, bias, y, y0, z0);
        const cudaError_t e = cudaGetLastError();
        if (e != cudaSuccess) return e;
      }
    }
  }
  for (long long n0 = 0; n0 < batch; n0 += 65535) { /* tiny_mcu_rh1: 65535 images a launch */
    const int n = batch - n0 < 65535 ? (int)(batch - n0) : 65535;
    const float *x = input + n0 * 512;
    float *y = output + n0 * 1024;
    const int y0 = 0, rows = n;
    {
      for (int z0 = 0; z0 < 1; z0 += 65535) {
        const unsigned tiles = 1 - z0 < 65535 ? 1 - z0 : 65535;
        tiny_mcu_rh1<<<dim3(1, rows, tiles), dim3(8, 8, 1), 0, stream>>>(x, weight, bias, y, y0, z0);
        const cudaError_t e = cudaGetLastError();
        if (e != cudaSuccess) return e;
      }
    }
  }
  return cudaSuccess;
}

/* The spec's batch of 1. */
static inline cudaError_t tiny_mcu_launch(const float *input, const float *weight, const float *bias,
                                         float *output, cudaStream_t stream) {
  return tiny_mcu_launch_batch(1, input, weight, bias, output, stream);
}
#endif

#endif /* TINY_MCU_CUH */
