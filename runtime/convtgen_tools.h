/* convtgen_tools.h: libconvtgen's second header, for tools built on the library (convtgen's own
 * CLI and tests among them): the normalized layer's fields, the reference interpreter,
 * BatchNorm folding, ONNX import, .npy files, ctg_check, kernel cache administration, a
 * kernel's build facts and benchmark suites. An inference program needs only convtgen.h. The same rules hold: status
 * codes, messages in the caller's ctg_error, nothing printed. */
#ifndef CONVTGEN_TOOLS_H
#define CONVTGEN_TOOLS_H

#include "convtgen.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A layer after normalization: every default filled in, output_size resolved to
 * output_padding, every size computed. Index 0 of a pair is height, 1 is width. The fields are
 * generator/schema.lua's NORMALIZED list, in its order (quant: its QUANTIZATION list). */
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
  char dtype[16];        /* "float32", "float64", "complex64", "complex128", "float16" or "bfloat16" */
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

/* The layer's dtype. */
ctg_dtype ctg_params_dtype(const ctg_params *p);
/* The dtype of one of the layer's tensors: the layer's, but an int8 layer's bias is int32. */
ctg_dtype ctg_params_tensor_dtype(const ctg_params *p, ctg_role role);

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
 * sqrt(var + eps) + beta. Every array is of the layer's dtype (float32, float64, or float16 /
 * bfloat16 with each folded value rounded once; complex is CTG_ERR_ARG); gamma, beta, mean and var have out_channels elements, as PyTorch's
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

/* Bytes of one tensor of the layer, in its dtype (0 for an absent bias). */
size_t ctg_params_bytes(const ctg_params *p, ctg_role role);

/* --- a compiled kernel's build facts, and the machine's --- */
/* Milliseconds it took to build one tier of the kernel's code (generate, compile, load; a cache
 * hit counts its lookup); negative when that tier was not built, or is not built yet. */
double ctg_kernel_tier_ms(const ctg_kernel *k, ctg_backend tier);
/* The generated source the kernel was compiled from (NULL for the interpreter). */
const char *ctg_kernel_source(const ctg_kernel *k);
/* The layer the kernel computes. */
const ctg_params *ctg_kernel_params(const ctg_kernel *k);
/* Milliseconds ctg_compile took for this handle: until the kernel was usable. */
double ctg_kernel_compile_ms(const ctg_kernel *k);
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

/* Loads a little-endian, C-order .npy (format 1.0 to 3.0) of float32, float64, complex64,
 * complex128, int8, int32 or float16 ('<f4', '<f8', '<c8', '<c16', '|i1', '<i4', '<f2'), or
 * bfloat16's bits ('<u2' or '<i2'; written as '<u2'). */
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

/* Times reps runs of an nvrtc kernel on its bound weights, device-resident (input uploaded once;
 * CUDA events on a stream of its own): ms[i] per run. CTG_ERR_ARG for a CPU kernel. */
int ctg_kernel_time_device(const ctg_kernel *k, const void *input, int reps, double *ms, ctg_error *err);
/* 1 when the cc tier's compiler ($CC, else cc) runs here. */
int ctg_cc_available(void);
/* 1 when the CUDA libraries the nvrtc backend loads (or would load) are convtgen's CPU double
 * (tools/cuda_double, $CONVTGEN_CUDA_DOUBLE=1): its times are not a GPU's. */
int ctg_cuda_is_cpu_double(void);
/* in as one line of printable text into out: control bytes written \n, \t or \xNN, cut at cap
 * (never inside an escape). Every library message goes through it; so should a tool's. */
void ctg_one_line(char *out, size_t cap, const char *in);

/* Benchmark suites in the TSV format of bench/layers.tsv (name n cin h w cout kh kw sh sw ph pw
 * oph opw dh dw groups bias per row). */
typedef struct ctg_suite_layer {
  char name[64];
  ctg_layer layer; /* the row as a layer (layer.name points at name); ctg_spec_from_layer validates it */
} ctg_suite_layer;

/* Reads a suite file; *layers is freed with free(). Lines starting with # are comments. */
int ctg_suite_load(const char *path, ctg_suite_layer **layers, size_t *count, ctg_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CONVTGEN_TOOLS_H */
