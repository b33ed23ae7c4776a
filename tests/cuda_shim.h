/* cuda_shim.h: runs generated CUDA kernels as plain C on the CPU, one thread after another,
 * so their indexing can be checked without a GPU. Test tree only: the emitted .cu is used as
 * it is, through its CTG_KERNEL hook. Include this, then NAME.cu and NAME.cuh, then expand
 * NAME_FOR_EACH_KERNEL(CTG_SHIM_LAUNCH) inside a function with shim_x, shim_w, shim_b, shim_y and
 * shim_batch (grid y is per image, as the runtime launches it). */
typedef struct ctg_dim3 {
  unsigned x, y, z;
} ctg_dim3;
static ctg_dim3 blockIdx, threadIdx, blockDim, gridDim;

#define CTG_KERNEL static
#define __restrict__ restrict

#define CTG_SHIM_LAUNCH(kernel, gx, gy, gz, bx, by, bz)                                        \
  gridDim.x = gx, gridDim.y = (gy) * shim_batch, gridDim.z = gz, blockDim.x = bx, blockDim.y = by, blockDim.z = bz; \
  for (blockIdx.z = 0; blockIdx.z < gridDim.z; blockIdx.z++)                                  \
    for (blockIdx.y = 0; blockIdx.y < gridDim.y; blockIdx.y++)                                \
      for (blockIdx.x = 0; blockIdx.x < gridDim.x; blockIdx.x++)                              \
        for (threadIdx.z = 0; threadIdx.z < blockDim.z; threadIdx.z++)                        \
          for (threadIdx.y = 0; threadIdx.y < blockDim.y; threadIdx.y++)                      \
            for (threadIdx.x = 0; threadIdx.x < blockDim.x; threadIdx.x++)                    \
              kernel(shim_x, shim_w, shim_b, shim_y);
