/* convtgen.h: the public API of libconvtgen, ConvTranspose2d kernels specialized per layer:
 * describe a layer, generate its source, compile it, bind weights, run. (convtgen_tools.h has
 * the rest: the normalized layer's fields, the interpreter, ONNX import, .npy, checks, cache.)
 *
 * Every function that can fail returns CTG_OK (0) or a ctg_status, and fills the caller's
 * ctg_error (which may be NULL) with a one-line message. The library never prints or exits.
 * Semantics are PyTorch's torch.nn.ConvTranspose2d. Tensors are passed as void pointers, in
 * C order, all of the layer's dtype (float32 unless the spec says otherwise; complex as
 * interleaved (re, im) pairs, exactly as NumPy and PyTorch store them):
 *   input  (N, Cin, H, W) or unbatched (Cin, H, W)
 *   weight (Cin, Cout/groups, KH, KW)
 *   bias   (Cout,)
 *   output (N, Cout, Hout, Wout) or unbatched (Cout, Hout, Wout)
 * A layer with memory_format "channels_last" takes its input and output as (N, H, W, C) (the
 * memory of PyTorch's torch.channels_last tensors, and of TFLite's and XNNPACK's); its weights
 * keep PyTorch's layout. An int8 layer (TFLite's quantized TRANSPOSE_CONV) is NHWC int8 in and
 * out, with weights (Cout, KH, KW, Cin/groups) int8 (TFLite's OHWI) and an int32 bias.
 */
#ifndef CONVTGEN_H
#define CONVTGEN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTG_VERSION "0.2.0"

typedef enum ctg_status {
  CTG_OK = 0,
  CTG_ERR_SPEC,        /* the spec is malformed, or PyTorch would reject the layer */
  CTG_ERR_ARG,         /* an API function got an argument it cannot use */
  CTG_ERR_IO,          /* a file could not be opened, read or written */
  CTG_ERR_FORMAT,      /* a file's contents are wrong: .npy header, dtype, shape, length */
  CTG_ERR_NOMEM,       /* an allocation failed */
  CTG_ERR_UNAVAILABLE, /* a backend or feature that cannot run in this build or on this machine */
  CTG_ERR_INTERNAL,    /* a bug in convtgen, or a fault a GPU reported */
  CTG_ERR_ALLOC        /* device (GPU) memory could not be allocated; the message gives the size */
} ctg_status;

typedef struct ctg_error {
  ctg_status status;
  char message[512];
} ctg_error;

/* dtype int8: TensorFlow Lite's quantized TRANSPOSE_CONV. The spec gives the scales (kept as
 * float32, as TFLite stores them) and zero points; the rest is derived by normalization exactly
 * as TFLite derives it. Weights are symmetric (zero point 0). */
#define CTG_QUANT_MAX_CHANNELS 1024 /* per-channel weight scales at most (one scale: any width) */
typedef struct ctg_quantization {
  double input_scale, output_scale;  /* float32 values */
  int input_zero_point, output_zero_point;
  int channels;                      /* weight scales: 1 (per tensor) or out_channels */
  float weight_scales[CTG_QUANT_MAX_CHANNELS];
  /* derived: per weight scale, TFLite's QuantizeMultiplier of input_scale * weight_scale /
   * output_scale (a Q31 multiplier; shift > 0 shifts left, < 0 right) */
  int32_t multiplier[CTG_QUANT_MAX_CHANNELS];
  int32_t shift[CTG_QUANT_MAX_CHANNELS];
  int act_min, act_max;              /* derived: the output's clamp (CalculateActivationRangeQuantized) */
} ctg_quantization;

typedef enum ctg_role { CTG_INPUT, CTG_WEIGHT, CTG_BIAS, CTG_OUTPUT } ctg_role;

/* Element types: PyTorch's float32, float64, complex64 and complex128; int8 (a layer's dtype:
 * TFLite's quantized layer) and int32 (an int8 layer's bias); float16 and bfloat16 (IEEE half
 * and the brain float, held as their 16-bit patterns: sums in float32, each output rounded once
 * to nearest even). */
typedef enum ctg_dtype {
  CTG_FLOAT32, CTG_FLOAT64, CTG_COMPLEX64, CTG_COMPLEX128, CTG_INT8, CTG_INT32, CTG_FLOAT16, CTG_BFLOAT16
} ctg_dtype;
/* Bytes per element (4, 8, 8, 16, 1, 4, 2, 2) and the spec's name ("float32", ...). */
size_t ctg_dtype_size(ctg_dtype dtype);
const char *ctg_dtype_name(ctg_dtype dtype);

typedef struct ctg_spec ctg_spec; /* a validated layer spec (opaque) */

/* Reads a spec file (a Lua chunk returning a table), runs it sandboxed, validates it. */
int ctg_spec_from_file(const char *path, ctg_spec **out, ctg_error *err);
/* Same, from Lua source text; chunkname names it in messages (NULL: "spec"). */
int ctg_spec_from_string(const char *source, const char *chunkname, ctg_spec **out, ctg_error *err);
/* A layer described in C, field for field PyTorch's ConvTranspose2d(...) plus the input shape.
 * ctg_layer_init fills PyTorch's defaults; ctg_spec_from_layer validates it by exactly the rules
 * (and with the messages) of a spec file. Pairs are {height, width}. */
typedef struct ctg_layer {
  int in_channels, out_channels;   /* required */
  int kernel_size[2];              /* required */
  int stride[2];                   /* default {1, 1} */
  int padding[2];                  /* default {0, 0}: top and left (and bottom and right) */
  int padding_end[2];              /* bottom and right for asymmetric padding (which PyTorch cannot
                                    * express; ONNX's pads); {-1, -1} (ctg_layer_init): as padding */
  int output_padding[2];           /* default {0, 0} */
  int dilation[2];                 /* default {1, 1} */
  int groups;                      /* default 1 */
  int bias;                        /* default 1 (PyTorch's bias=True) */
  const char *padding_mode;        /* NULL: "zeros" (the only mode PyTorch allows here) */
  int input_rank;                  /* 4: input_shape is (N, C, H, W); 3: unbatched (C, H, W) */
  int input_shape[4];              /* required */
  int output_size[2];              /* forward(output_size=(H, W)); {0, 0}: not given */
  const char *dtype;               /* NULL: "float32" */
  const char *name;                /* NULL: a name made from the layer's sizes */
  const char *unroll;              /* NULL: "auto" */
  int threads;                     /* 0: 1 */
  const char *activation;          /* NULL: none; "relu", "leaky_relu", "tanh", "sigmoid", "clamp" */
  double activation_args[2];       /* leaky_relu: {slope} (0.01 is PyTorch's default); clamp: {min, max} */
  const char *memory_format;       /* NULL: "contiguous"; "channels_last": input and output NHWC */
  const ctg_quantization *quantization; /* dtype "int8": the scales, zero points and weight scales
                                         * (channels of them); its derived fields are ignored */
  const char *tflite_padding;      /* NULL; or "same" / "valid": TFLite's padding from output_size
                                    * (then padding and output_padding are ignored) */
} ctg_layer;

void ctg_layer_init(ctg_layer *layer);
int ctg_spec_from_layer(const ctg_layer *layer, ctg_spec **out, ctg_error *err);
/* Frees a spec; NULL is fine. */
void ctg_spec_free(ctg_spec *spec);

/* Every call below takes NULL only where its comment says so; a NULL elsewhere gets CTG_ERR_ARG
 * (or, from a call that returns a value, NULL or 0), never a crash. err may always be NULL. */

/* One of the layer's tensors as it lies in memory. */
typedef struct ctg_tensor_info {
  ctg_dtype dtype;     /* the layer's dtype; an int8 layer's bias is CTG_INT32 */
  int ndim;            /* 4 (N, ...), 3 for an unbatched layer's input and output, 1 for the
                        * bias, 0 for an absent bias */
  int64_t shape[4];    /* input (N, Cin, H, W), output (N, Cout, Hout, Wout), both (N, H, W, C)
                        * for a channels_last layer; weight (Cin, Cout/groups, KH, KW), an int8
                        * layer's (Cout, KH, KW, Cin/groups); bias (Cout) */
  size_t numel, bytes; /* elements and bytes of the whole tensor (the spec's N images) */
} ctg_tensor_info;
/* Fills *out for one of spec's tensors. */
int ctg_spec_tensor(const ctg_spec *spec, ctg_role role, ctg_tensor_info *out, ctg_error *err);

/* --- generated kernels ------------------------------------------------------------- */

typedef enum ctg_target { CTG_TARGET_C, CTG_TARGET_CUDA } ctg_target;

/* Which code a C kernel file holds. PORTABLE: the vector code of every ISA profile, each under
 * the compiler's own macros (__AVX512F__; __AVX2__ and __FMA__; __aarch64__), with C99 code as
 * the fallback in the same file; AVX512, AVX2, NEON: that profile's vector code alone (GCC or
 * Clang; compile with -mavx512f, -mavx2 -mfma, or for AArch64); SCALAR: the C99 code alone. */
typedef enum ctg_isa { CTG_ISA_PORTABLE, CTG_ISA_AVX512, CTG_ISA_SCALAR, CTG_ISA_AVX2, CTG_ISA_NEON } ctg_isa;

/* What to generate. Every C kernel offers NAME_pack, NAME_run_packed and NAME_run (see the
 * header it comes with). With weight set, the weights (and bias) are baked into the code as
 * `static const` arrays (packed where the code reads them packed), exact-zero weights are
 * skipped where the code is unrolled, and `int NAME_run(const float *input, float *output)` is
 * the whole API (firmware; float32 and int8 layers: int8_t in and out for int8). */
typedef struct ctg_gen_options {
  ctg_target target;
  const void *weight;   /* NULL: the kernel takes weights at run time; else of the layer's dtype
                         * (float32 or int8) */
  const void *bias;     /* with weight: the layer's bias (float32, int32 for int8), required when it has one */
  ctg_isa isa;          /* C only; 0 is CTG_ISA_PORTABLE */
} ctg_gen_options;

/* Generates a layer's kernel source: *source the .c, *header (when header is not NULL) the .h.
 * options NULL: C, weights at run time. Both texts are freed with ctg_free. */
int ctg_generate(const ctg_spec *spec, const ctg_gen_options *options, char **source, char **header,
                 ctg_error *err);
/* Writes DIR/NAME.c and DIR/NAME.h, each atomically, both or neither; when written is not
 * NULL it receives a one-line description of what was written. */
int ctg_generate_to_dir(const ctg_spec *spec, const ctg_gen_options *options, const char *dir,
                        char *written, size_t written_cap, ctg_error *err);

typedef enum ctg_backend {
  CTG_BACKEND_INTERP, /* the reference interpreter, wrapped as a kernel */
  CTG_BACKEND_TCC,    /* generated C compiled in memory by libtcc (milliseconds) */
  CTG_BACKEND_CC,     /* generated C built by the system compiler ($CC), cached on disk */
  CTG_BACKEND_NVRTC,  /* generated CUDA through NVRTC, launched with the CUDA driver */
  CTG_BACKEND_AUTO    /* tiered: usable at once through tcc (the interpreter in a build without
                         libtcc) while cc builds in a background thread; calls switch to cc
                         atomically when it is in. A cc kernel already in the disk cache is
                         loaded at once, with no earlier tier. */
} ctg_backend;

typedef struct ctg_options {
  ctg_backend backend;
  const char *arch;     /* nvrtc: "sm_XX" (a CUBIN) or "compute_XX" (PTX the driver compiles) to
                         * build for; NULL: the device's own (PTX for the newest arch NVRTC knows
                         * when NVRTC is older than the device) */
  const char *cc_flags; /* cc: compiler flags; NULL: -O3 -march=native -shared -fPIC */
  int threads;          /* cc: CPU threads (OpenMP); 0: the spec's `threads` */
  int device;           /* nvrtc: the CUDA device ordinal (0: the first GPU) */
} ctg_options;

typedef struct ctg_kernel ctg_kernel; /* a compiled kernel for one layer (opaque) */

/* Compiles spec's kernel; options NULL means the tcc backend. The kernel keeps no reference to
 * spec. Compiled code lives in an in-memory cache: the same normalized layer with the same
 * options gets the code already compiled (or being compiled, by another thread) in
 * microseconds, shared and reference-counted; each call returns its own handle, so weights
 * bound to one handle never affect another. Thread-safe. */
int ctg_compile(const ctg_spec *spec, const ctg_options *options, ctg_kernel **out, ctg_error *err);
/* The backend that runs the kernel's calls now: for CTG_BACKEND_AUTO, the early tier until the
 * background build is in; otherwise the backend compiled. */
ctg_backend ctg_kernel_tier(const ctg_kernel *k);
/* Blocks until the kernel's final tier is in (returns at once unless the backend is auto), then
 * packs bound weights for it. Returns CTG_OK, or the background build's error: the kernel then
 * keeps running on its early tier, correctly. */
int ctg_kernel_wait(ctg_kernel *k, ctg_error *err);
/* Binds weights (and bias) to the kernel once: code that reads packed weights gets them packed
 * here, not per call. The kernel keeps its own copies: the caller's buffers may be freed or
 * reused as soon as this returns. Memory held per handle: one copy of the weights and bias as
 * PyTorch stores them (while a tier reads them that way, or an auto kernel has not switched
 * yet), plus one packed copy (about the weights' size) once a tier that packs runs. The
 * compiled code itself is shared by every handle of the layer: tcc and cc hold their machine
 * code (tens to hundreds of KiB), the interpreter none.
 * Not concurrently with runs of the same kernel. */
int ctg_kernel_bind_weights(ctg_kernel *k, const void *weight, const void *bias, ctg_error *err);
/* Runs n images (n >= 0, whatever the spec's N: one compiled kernel serves any batch): input is
 * (n, Cin, H, W) and output (n, Cout, Hout, Wout) (NHWC for channels_last; for an unbatched spec,
 * n (C, H, W) images one after another). weight and bias are this call's weights, or both NULL
 * to run on the weights ctg_kernel_bind_weights bound (only activations then). The same
 * semantics as the interpreter; safe from many threads at once. Inputs, weights and outputs
 * need no particular alignment (element alignment only); the output must not overlap the
 * inputs. On an nvrtc kernel these are host pointers: see below. */
int ctg_kernel_run(const ctg_kernel *k, int n, const void *input, const void *weight, const void *bias,
                   void *output, ctg_error *err);
/* --- on a GPU (the nvrtc backend) ---
 * A kernel compiled with CTG_BACKEND_NVRTC lives on one CUDA device (ctg_options.device) and
 * uses its primary context (the one the CUDA runtime and PyTorch use), made current on the
 * calling thread by every call: any thread may call. What each call costs:
 *  - ctg_compile: NVRTC's compile (or a disk-cache hit) and a module load; no device memory.
 *  - ctg_kernel_bind_weights: allocates device memory for the weights and bias and copies them
 *    there (synchronously), once; freed by the next bind or ctg_kernel_free.
 *  - ctg_kernel_run_device: enqueues the kernels on stream (a CUstream as void *; NULL is the
 *    legacy default stream) on device pointers, and returns: no allocation, no copy, no synchronize. The caller orders them with its own work, keeps
 *    the buffers alive until the stream has run them, and sees a fault at its next
 *    synchronize. n images of the layer's shape, any n >= 0; weights as for ctg_kernel_run.
 *  - ctg_kernel_run: host pointers: allocates device memory for the input and output (and the
 *    weights, when given), copies in, runs on a stream of its own, waits for that stream only
 *    (never the whole device), copies out and frees.
 * Launches are sliced to the device's grid limits for any layer and batch. Device memory that
 * cannot be had is CTG_ERR_ALLOC, with the size. A fault that poisons the device's context (an
 * illegal address) is reported once, naming the kernel, as CTG_ERR_INTERNAL; every later call
 * on that device is CTG_ERR_UNAVAILABLE, saying why. A CPU kernel's device calls are
 * CTG_ERR_ARG. */
int ctg_kernel_run_device(const ctg_kernel *k, int n, const void *input, const void *weight, const void *bias,
                          void *output, void *stream, ctg_error *err);
/* Frees a handle (and its bound weights); NULL is fine. The last handle of some compiled code
 * frees the code too, first waiting for its background build if one still runs. */
void ctg_kernel_free(ctg_kernel *k);
/* "interp", "tcc", "cc", "nvrtc", "auto"; and back (CTG_ERR_ARG for an unknown name). */
const char *ctg_backend_name(ctg_backend backend);
int ctg_backend_from_name(const char *name, ctg_backend *out, ctg_error *err);

/* Frees memory the library handed out (ctg_generate's texts, ...). */
void ctg_free(void *p);
/* A short name for a status ("spec error", ...). */
const char *ctg_status_string(int status);

#ifdef __cplusplus
}
#endif

#endif /* CONVTGEN_H */
