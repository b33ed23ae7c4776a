/* convtgen.h: the whole public API of libconvtgen, ConvTranspose2d kernels specialized per layer.
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

#define CTG_VERSION "0.1.0"

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

/* A layer after normalization: every default filled in, output_size resolved to
 * output_padding, every size computed. Index 0 of a pair is height, 1 is width. */
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

typedef struct ctg_params {
  int in_channels, out_channels, groups;
  int kernel[2], stride[2], padding[2], output_padding[2], dilation[2];
  int padding_end[2];    /* bottom and right padding: padding's own values unless asymmetric */
  int bias;              /* 1 when the layer adds a bias */
  int batched;           /* 0 when the input is unbatched (Cin, H, W) */
  int batch;             /* N; 1 when unbatched; 0 is valid (empty output) */
  int in_h, in_w, out_h, out_w;
  int threads;           /* CPU threads of the cc tier (OpenMP) */
  double flops;          /* 2 * N * Cin * (Cout/groups) * KH * KW * H * W, as benchmarks count them */
  char dtype[16];        /* "float32", "float64", "complex64" or "complex128" */
  char unroll[8];        /* "none", "taps", "auto" or "full" */
  char name[64];         /* C identifier used for generated symbols */
  char activation[12];   /* fused into each output's store: "none", "relu", "leaky_relu", "tanh",
                          * "sigmoid" or "clamp" */
  double activation_a;   /* leaky_relu: the negative slope; clamp: min (may be -inf) */
  double activation_b;   /* clamp: max (may be +inf) */
  char memory_format[16]; /* "contiguous" (input and output NCHW) or "channels_last" (NHWC) */
  char tflite_padding[8]; /* "same" or "valid" when the spec gave TFLite's padding (resolved into
                          * padding, padding_end and output_padding above), else "" */
  ctg_quantization quant; /* dtype int8 only (all zero otherwise) */
} ctg_params;

typedef enum ctg_role { CTG_INPUT, CTG_WEIGHT, CTG_BIAS, CTG_OUTPUT } ctg_role;

/* Element types: PyTorch's float32, float64, complex64 and complex128; int8 (a layer's dtype:
 * TFLite's quantized layer) and int32 (an int8 layer's bias). */
typedef enum ctg_dtype { CTG_FLOAT32, CTG_FLOAT64, CTG_COMPLEX64, CTG_COMPLEX128, CTG_INT8, CTG_INT32 } ctg_dtype;
/* The layer's dtype. */
ctg_dtype ctg_params_dtype(const ctg_params *p);
/* The dtype of one of the layer's tensors: the layer's, but an int8 layer's bias is int32. */
ctg_dtype ctg_params_tensor_dtype(const ctg_params *p, ctg_role role);
/* Bytes per element (4, 8, 8, 16, 1, 4) and the spec's name ("float32", ...). */
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

/* The normalized parameters; valid as long as the spec (NULL for a NULL spec). */
const ctg_params *ctg_spec_params(const ctg_spec *spec);
/* A human-readable summary (shapes, FLOPs); *text is freed with ctg_free. */
int ctg_spec_describe(const ctg_spec *spec, char **text, ctg_error *err);

/* 1 when the layer's input and output are channels_last (N, H, W, C) in memory. */
int ctg_params_channels_last(const ctg_params *p);
/* Shape of one tensor of the layer as it lies in memory (input and output (N, H, W, C) for a
 * channels_last layer); returns its number of dimensions (0 for an absent bias). */
int ctg_params_shape(const ctg_params *p, ctg_role role, int64_t shape[4]);
/* Number of elements of one tensor of the layer (0 for an absent bias, or a NULL p). */
size_t ctg_params_numel(const ctg_params *p, ctg_role role);

/* The reference interpreter: a generic, obviously-correct ConvTranspose2d (the oracle).
 * bias is ignored when p->bias is 0 and required otherwise. */
int ctg_reference(const ctg_params *p, const void *input, const void *weight,
                  const void *bias, void *output, ctg_error *err);

/* Folds the BatchNorm2d that follows the layer (eval mode: y = (x - mean) / sqrt(var + eps) *
 * gamma + beta, per output channel) into its weights and bias, computed in double:
 * weight_out = weight * gamma / sqrt(var + eps), bias_out = (bias - mean) * gamma /
 * sqrt(var + eps) + beta. Every array is of the layer's dtype (float32 or float64; complex is
 * CTG_ERR_ARG); gamma, beta, mean and var have out_channels elements, as PyTorch's
 * BatchNorm2d(out_channels) stores them. bias is read only when p->bias is set (a layer
 * without bias folds as if it were zero); bias_out is always written, so compile the folded
 * layer with bias = true. The outputs may be the inputs (in place). */
int ctg_fold_batchnorm(const ctg_params *p, const void *weight, const void *bias, const void *gamma,
                       const void *beta, const void *mean, const void *var, double eps, void *weight_out,
                       void *bias_out, ctg_error *err);

/* Imports an ONNX model (`convtgen import`): for every ConvTranspose node in graph order, a spec
 * DIR/NAME.lua and its weights DIR/NAME_weight.npy (and DIR/NAME_bias.npy), with a following
 * BatchNormalization folded into them and a following Relu, LeakyRelu, Tanh, Sigmoid or Clip
 * fused as the spec's activation (each when nothing else reads the tensor between), plus
 * DIR/manifest.tsv (node, files, input and output tensor, what was fused). A symbolic batch
 * takes batch (negative: 1). Every node is validated before anything is written; a failure
 * leaves no file of this import behind. *report (when not NULL) gets one line per node written,
 * freed with ctg_free. */
int ctg_onnx_import(const char *model, const char *dir, int batch, char **report, ctg_error *err);

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
/* Milliseconds it took to build one tier of the kernel's code (generate, compile, load; a cache
 * hit counts its lookup); negative when that tier was not built, or is not built yet. */
double ctg_kernel_tier_ms(const ctg_kernel *k, ctg_backend tier);
/* Runs the kernel; the same contract as ctg_reference. Safe from many threads at once. Inputs,
 * weights and outputs need no particular alignment (element alignment only); the output must
 * not overlap the inputs. */
int ctg_kernel_forward(const ctg_kernel *k, const void *input, const void *weight,
                       const void *bias, void *output, ctg_error *err);
/* Binds weights (and bias) to the kernel once: code that reads packed weights gets them packed
 * here, not per call. The kernel keeps its own copies: the caller's buffers may be freed or
 * reused as soon as this returns. Memory held per handle: one copy of the weights and bias as
 * PyTorch stores them (while a tier reads them that way, or an auto kernel has not switched
 * yet), plus one packed copy (about the weights' size) once a tier that packs runs. The
 * compiled code itself is shared by every handle of the layer: tcc and cc hold their machine
 * code (tens to hundreds of KiB), the interpreter none.
 * Not concurrently with runs of the same kernel. */
int ctg_kernel_bind_weights(ctg_kernel *k, const void *weight, const void *bias, ctg_error *err);
/* Runs the kernel on bound weights: only activations. Safe from many threads at once. */
int ctg_kernel_run(const ctg_kernel *k, const void *input, void *output, ctg_error *err);
/* ctg_kernel_forward and ctg_kernel_run on a batch of n images (n >= 0) whatever the spec's N:
 * one compiled kernel serves any batch. input is (n, Cin, H, W) and output (n, Cout, Hout, Wout);
 * for an unbatched spec, n (C, H, W) images one after another. */
int ctg_kernel_forward_batch(const ctg_kernel *k, int n, const void *input, const void *weight,
                             const void *bias, void *output, ctg_error *err);
int ctg_kernel_run_batch(const ctg_kernel *k, int n, const void *input, void *output, ctg_error *err);
/* --- on a GPU (the nvrtc backend) ---
 * A kernel compiled with CTG_BACKEND_NVRTC lives on one CUDA device (ctg_options.device) and
 * uses its primary context (the one the CUDA runtime and PyTorch use), made current on the
 * calling thread by every call: any thread may call. What each call costs:
 *  - ctg_compile: NVRTC's compile (or a disk-cache hit) and a module load; no device memory.
 *  - ctg_kernel_bind_weights: allocates device memory for the weights and bias and copies them
 *    there (synchronously), once; freed by the next bind or ctg_kernel_free.
 *  - ctg_kernel_run_device, ctg_kernel_forward_device: enqueue the kernels on stream (a
 *    CUstream as void *; NULL is the legacy default stream) on device pointers, and return:
 *    no allocation, no copy, no synchronize. The caller orders them with its own work, keeps
 *    the buffers alive until the stream has run them, and sees a fault at its next
 *    synchronize. n images of the layer's shape, any n >= 0.
 *  - ctg_kernel_run, ctg_kernel_forward (and _batch): host pointers: allocate device memory for
 *    the input and output (and the weights, for forward), copy in, run on a stream of their
 *    own, wait for that stream only (never the whole device), copy out and free.
 * Launches are sliced to the device's grid limits for any layer and batch. Device memory that
 * cannot be had is CTG_ERR_ALLOC, with the size. A fault that poisons the device's context (an
 * illegal address) is reported once, naming the kernel, as CTG_ERR_INTERNAL; every later call
 * on that device is CTG_ERR_UNAVAILABLE, saying why. A CPU kernel's device calls are
 * CTG_ERR_ARG. */
int ctg_kernel_run_device(const ctg_kernel *k, int n, const void *input, void *output, void *stream, ctg_error *err);
int ctg_kernel_forward_device(const ctg_kernel *k, int n, const void *input, const void *weight, const void *bias,
                              void *output, void *stream, ctg_error *err);
/* The generated source the kernel was compiled from (NULL for the interpreter). */
const char *ctg_kernel_source(const ctg_kernel *k);
/* The layer the kernel computes. */
const ctg_params *ctg_kernel_params(const ctg_kernel *k);
/* Milliseconds ctg_compile took for this handle: until the kernel was usable. */
double ctg_kernel_compile_ms(const ctg_kernel *k);
/* Frees a handle (and its bound weights); NULL is fine. The last handle of some compiled code
 * frees the code too, first waiting for its background build if one still runs. */
void ctg_kernel_free(ctg_kernel *k);
/* "interp", "tcc", "cc", "nvrtc", "auto"; and back (CTG_ERR_ARG for an unknown name). */
const char *ctg_backend_name(ctg_backend backend);
int ctg_backend_from_name(const char *name, ctg_backend *out, ctg_error *err);

/* What ctg_check found. Scaled error = |kernel - interpreter| / (sum of |terms| of that output). */
typedef struct ctg_check_result {
  int passed;              /* 1 when every output is within tolerance (NaN never is) */
  double max_scaled_error; /* over all outputs */
  double tolerance;        /* allowed scaled error: grows with sqrt of the terms summed */
  size_t outputs;          /* number of outputs compared */
  size_t worst;            /* flat index of the worst output */
  double got, want;        /* kernel and interpreter values there (real parts for complex) */
  double got_imag, want_imag; /* imaginary parts there (0 unless complex) */
} ctg_check_result;

/* Runs k and the interpreter on random data from seed (never zeros), the kernel's output
 * first poisoned with NaN so an unwritten element fails, and compares them. A mismatch is
 * reported in result->passed, not as an error status. */
int ctg_check(const ctg_kernel *k, uint64_t seed, ctg_check_result *result, ctg_error *err);

/* A tensor read from or written to a .npy file. */
typedef struct ctg_tensor {
  int ndim;
  int64_t shape[8];
  size_t numel;
  ctg_dtype dtype;
  void *data;            /* numel elements of dtype; owned, freed by ctg_tensor_free */
} ctg_tensor;

/* Loads a little-endian, C-order .npy (format 1.0 to 3.0) of float32, float64, complex64 or
 * complex128 ('<f4', '<f8', '<c8', '<c16'). */
int ctg_npy_load(const char *path, ctg_tensor *out, ctg_error *err);
/* Writes a little-endian .npy atomically (temporary file, then rename): complete or not at all. */
int ctg_npy_save(const char *path, ctg_dtype dtype, int ndim, const int64_t *shape, const void *data,
                 ctg_error *err);
/* Frees a tensor's data and clears it. */
void ctg_tensor_free(ctg_tensor *t);

/* The on-disk kernel cache: $CONVTGEN_CACHE_DIR, else $XDG_CACHE_HOME/convtgen, else
 * ~/.cache/convtgen. */
int ctg_cache_directory(char *buf, size_t cap, ctg_error *err);
/* CTG_OK when the cache directory is safe to use (or does not exist yet); else why not: a
 * symlink, another user's, or writable by others. An unsafe cache is never read or written:
 * kernels are then built in a private temporary folder and not kept. */
int ctg_cache_check(ctg_error *err);
/* Lists the cache's entries (one line each into text, when not NULL: path, bytes, age, backend
 * and what the entry is) and counts them; with remove_entries set, deletes them, and the
 * temporary folders of builders that are gone. Other files in the directory are left alone. */
int ctg_cache_scan(int remove_entries, char *text, size_t cap, size_t *count, ctg_error *err); /* count: not NULL */

/* Frees memory the library handed out (ctg_spec_describe's text). */
void ctg_free(void *p);
/* A short name for a status ("spec error", ...). */
const char *ctg_status_string(int status);

#ifdef __cplusplus
}
#endif

#endif /* CONVTGEN_H */
