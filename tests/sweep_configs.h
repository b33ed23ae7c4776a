/* sweep_configs.h: the differential sweep's layers, shared by the tcc sweep, the CUDA tests and the
 * ahead-of-time tests. */
#ifndef CTG_SWEEP_CONFIGS_H
#define CTG_SWEEP_CONFIGS_H

#include <stddef.h>

typedef struct config {
  int n;          /* batch; 0 = unbatched */
  int cin, cout, groups, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, h, w, bias;
  int use_output_size;
  const char *unroll;
  int asymmetric; /* padding {ph, pw, peh, pew} (top, left, bottom, right); 0: {ph, pw} */
  int peh, pew;
  int act;        /* index into SWEEP_ACTIVATIONS: 0 none */
  int channels_last; /* memory_format = "channels_last": input and output NHWC */
} config;

extern const char *const SWEEP_UNROLLS[4];
/* The activation key's value for each config.act (spec text; "nil" for none). */
#define SWEEP_ACTIVATION_COUNT 6
extern const char *const SWEEP_ACTIVATIONS[SWEEP_ACTIVATION_COUNT];

/* The i-th random layer of the sweep (deterministic): kernels 1-7, strides 1-4, dilations
 * 1-3, every legal padding and output_padding, groups and depthwise, batch or unbatched. */
void sweep_random_config(config *c, int i);
/* The layer as a spec (Lua source). */
void sweep_spec_text(const config *c, char *buf, size_t cap);

/* Specs (Lua source, each named) that take each vector shape on every ISA profile, float32
 * and float64: test_aot and test_arm build them. */
extern const char *const VECTOR_SHAPE_LAYERS[];
extern const size_t VECTOR_SHAPE_LAYER_COUNT;

#endif
