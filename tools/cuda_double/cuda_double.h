/* cuda_double.h: what the CUDA double's NVRTC (nvrtc_double.c) and driver (cuda_double.c) share:
 * the header line in front of the shared object that stands for a CUBIN or PTX,
 *   "CTGCUDADOUBLE1 cubin|ptx ARCH NVRTC_MAJOR.MINOR SYNCS SHARED_BYTES OBJECT_BYTES\n"
 * (ARCH: 90 for sm_90 or compute_90; SYNCS: 1 when the code calls __syncthreads). */
#ifndef CTG_CUDA_DOUBLE_H
#define CTG_CUDA_DOUBLE_H
#define CTG_DOUBLE_MAGIC "CTGCUDADOUBLE1"
#define CTG_DOUBLE_HEADER_MAX 256
#endif
