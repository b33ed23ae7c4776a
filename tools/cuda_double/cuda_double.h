/* cuda_double.h: what the CUDA double's NVRTC (nvrtc_double.c) and driver (cuda_double.c) share:
 * the header line in front of the shared object that stands for a CUBIN or PTX,
 *   "CTGCUDADOUBLE2 cubin|ptx ARCH NVRTC_MAJOR.MINOR SYNCS SHARED_BYTES OBJECT_BYTES\n"
 * (ARCH: 90 for sm_90 or compute_90; SYNCS: 1 when the code calls __syncthreads). */
#ifndef CTG_CUDA_DOUBLE_H
#define CTG_CUDA_DOUBLE_H
/* Bumped whenever the prelude or the entries change what an image holds: the backend puts it in
 * the kernel cache's key (nvrtcDoubleAbi), and the driver loads only images of its own. */
#define CTG_DOUBLE_ABI 2
#define CTG_DOUBLE_MAGIC "CTGCUDADOUBLE2"
#define CTG_DOUBLE_HEADER_MAX 256
#endif
