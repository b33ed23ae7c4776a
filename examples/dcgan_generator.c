/* dcgan_generator.c: a DCGAN generator whose five ConvTranspose2d layers are specialized by
 * convtgen while the model loads.
 *
 * The layers are the public suite's dcgan_g1..g5 (latent 100 -> 512x4x4 -> 256x8x8 -> 128x16x16
 * -> 64x32x32 -> 3x64x64), ReLU after the first four, Tanh after the last. BatchNorm is folded
 * into the weights and biases by examples/dcgan_weights.py, which writes the .npy files this
 * program loads. Each layer is described in C (ctg_layer), compiled with the tiered `auto`
 * backend (tcc at once, the system compiler in the background) and given its weights once.
 * The program runs the batch at once on the early tier, waits for the final tier, times the
 * steady state, and checks every layer against the interpreter.
 *
 * usage: dcgan_generator WEIGHTS_DIR [--threads N] [--runs N] [--cc-flags FLAGS]
 * (--cc-flags replaces the cc tier's -O3 -march=native -shared -fPIC, e.g. for valgrind,
 * which does not know AVX-512)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "convtgen.h"
#include "convtgen_tools.h" /* .npy files, the interpreter and tier timings: a tool's extras */

#define LAYERS 5

static const struct {
  const char *name;
  int cin, cout, stride, padding, in_hw, bias;
} ARCH[LAYERS] = {
  { "dcgan_g1", 100, 512, 1, 0, 1, 1 },
  { "dcgan_g2", 512, 256, 2, 1, 4, 1 },
  { "dcgan_g3", 256, 128, 2, 1, 8, 1 },
  { "dcgan_g4", 128, 64, 2, 1, 16, 1 },
  { "dcgan_g5", 64, 3, 2, 1, 32, 0 },
};

typedef struct layer {
  ctg_spec *spec;
  ctg_kernel *kernel;
  ctg_tensor weight, bias;
  float *in, *out; /* this layer's activations: out is the next layer's in */
  size_t out_numel;
  int batch;
} layer;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int fail(const char *what, const ctg_error *err) {
  fprintf(stderr, "dcgan_generator: %s: %s\n", what, err->message);
  return 1;
}

/* One forward pass of the generator on bound weights; the activation after each layer is kept. */
static int forward(layer *net, ctg_error *err) {
  for (int i = 0; i < LAYERS; i++) {
    int st = ctg_kernel_run(net[i].kernel, net[i].batch, net[i].in, NULL, NULL, net[i].out, err);
    if (st != CTG_OK) return st;
    float *y = net[i].out;
    if (i < LAYERS - 1)
      for (size_t j = 0; j < net[i].out_numel; j++) y[j] = y[j] > 0 ? y[j] : 0;
    else
      for (size_t j = 0; j < net[i].out_numel; j++) y[j] = tanhf(y[j]);
  }
  return CTG_OK;
}

static const char *tier_names(layer *net, char *buf, size_t cap) {
  buf[0] = '\0';
  for (int i = 0; i < LAYERS; i++) {
    size_t n = strlen(buf);
    snprintf(buf + n, cap - n, "%s%s", i ? " " : "", ctg_backend_name(ctg_kernel_tier(net[i].kernel)));
  }
  return buf;
}

int main(int argc, char **argv) {
  const char *dir = NULL;
  const char *cc_flags = NULL;
  int threads = 1, runs = 20;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--cc-flags") == 0 && i + 1 < argc) cc_flags = argv[++i];
    else if (!dir && argv[i][0] != '-') dir = argv[i];
    else dir = NULL, i = argc;
  }
  if (!dir || threads < 1 || runs < 1) {
    fprintf(stderr, "usage: dcgan_generator WEIGHTS_DIR [--threads N] [--runs N] [--cc-flags FLAGS]\n"
                    "  (make the weights with: python3 examples/dcgan_weights.py WEIGHTS_DIR)\n");
    return 2;
  }
  ctg_error err;
  char path[4096], tiers[64];
  layer net[LAYERS];
  memset(net, 0, sizeof net);
  ctg_tensor z;
  snprintf(path, sizeof path, "%s/z.npy", dir);
  if (ctg_npy_load(path, &z, &err) != CTG_OK) return fail("latent batch", &err);
  if (z.ndim != 4 || z.shape[1] != 100 || z.shape[2] != 1 || z.shape[3] != 1 || z.dtype != CTG_FLOAT32) {
    fprintf(stderr, "dcgan_generator: %s: expected float32 of shape (N, 100, 1, 1)\n", path);
    return 2;
  }
  int batch = (int)z.shape[0];

  /* --- load: describe, specialize and bind each layer ------------------------------------ */
  double t_load = now_ms(), t_weights = 0;
  for (int i = 0; i < LAYERS; i++) {
    layer *l = &net[i];
    double t0 = now_ms();
    snprintf(path, sizeof path, "%s/g%d_weight.npy", dir, i + 1);
    if (ctg_npy_load(path, &l->weight, &err) != CTG_OK) return fail("weights", &err);
    if (ARCH[i].bias) {
      snprintf(path, sizeof path, "%s/g%d_bias.npy", dir, i + 1);
      if (ctg_npy_load(path, &l->bias, &err) != CTG_OK) return fail("bias", &err);
    }
    t_weights += now_ms() - t0;

    ctg_layer spec;
    ctg_layer_init(&spec);
    spec.name = ARCH[i].name;
    spec.in_channels = ARCH[i].cin, spec.out_channels = ARCH[i].cout;
    spec.kernel_size[0] = spec.kernel_size[1] = 4;
    spec.stride[0] = spec.stride[1] = ARCH[i].stride;
    spec.padding[0] = spec.padding[1] = ARCH[i].padding;
    spec.bias = ARCH[i].bias;
    spec.threads = threads;
    spec.input_rank = 4;
    spec.input_shape[0] = batch, spec.input_shape[1] = ARCH[i].cin;
    spec.input_shape[2] = spec.input_shape[3] = ARCH[i].in_hw;
    if (ctg_spec_from_layer(&spec, &l->spec, &err) != CTG_OK) return fail(ARCH[i].name, &err);
    ctg_tensor_info w, b, y;
    ctg_spec_tensor(l->spec, CTG_WEIGHT, &w, NULL);
    ctg_spec_tensor(l->spec, CTG_BIAS, &b, NULL);
    ctg_spec_tensor(l->spec, CTG_OUTPUT, &y, NULL);
    if (l->weight.numel != w.numel || l->weight.dtype != w.dtype || l->bias.numel != b.numel ||
        (b.numel && l->bias.dtype != b.dtype)) {
      fprintf(stderr, "dcgan_generator: %s: the weight files do not fit the layer (float32, PyTorch's shapes)\n", ARCH[i].name);
      return 2;
    }
    ctg_options opts = { CTG_BACKEND_AUTO, NULL, cc_flags, 0, 0 };
    if (ctg_compile(l->spec, &opts, &l->kernel, &err) != CTG_OK) return fail(ARCH[i].name, &err);
    if (ctg_kernel_bind_weights(l->kernel, l->weight.data, l->bias.data, &err) != CTG_OK) return fail(ARCH[i].name, &err);
    l->out_numel = y.numel;
    l->batch = batch;
    l->out = malloc(l->out_numel * sizeof(float));
    if (!l->out) return fprintf(stderr, "dcgan_generator: out of memory\n"), 1;
    l->in = i ? net[i - 1].out : z.data;
  }
  double load_ms = now_ms() - t_load;
  printf("DCGAN generator, batch %d, %d thread%s: 5 ConvTranspose2d layers specialized at load\n", batch, threads,
         threads > 1 ? "s" : "");
  printf("  load: %.1f ms in all (%.1f ms reading weights); layers usable on tiers: %s\n", load_ms, t_weights,
         tier_names(net, tiers, sizeof tiers));

  /* --- first inference: on whatever tier each layer has now -------------------------------- */
  double t0 = now_ms();
  if (forward(net, &err) != CTG_OK) return fail("first inference", &err);
  double first_ms = now_ms() - t0;
  printf("  first inference: %.1f ms (tiers: %s)\n", first_ms, tier_names(net, tiers, sizeof tiers));

  /* --- the final tier --------------------------------------------------------------------- */
  for (int i = 0; i < LAYERS; i++)
    if (ctg_kernel_wait(net[i].kernel, &err) != CTG_OK)
      printf("  %s: the background build failed, the early tier stays: %s\n", ARCH[i].name, err.message);
  double final_ms = now_ms() - t_load;
  printf("  all layers on their final tier %.0f ms after the load began (tiers: %s)\n", final_ms,
         tier_names(net, tiers, sizeof tiers));
  printf("  %-9s %12s %12s\n", "layer", "tcc (ms)", "cc (ms)");
  for (int i = 0; i < LAYERS; i++) {
    double tcc = ctg_kernel_tier_ms(net[i].kernel, CTG_BACKEND_TCC), cc = ctg_kernel_tier_ms(net[i].kernel, CTG_BACKEND_CC);
    char a[32] = "-", b[32] = "-";
    if (tcc >= 0) snprintf(a, sizeof a, "%.1f", tcc);
    if (cc >= 0) snprintf(b, sizeof b, tcc >= 0 ? "%.0f" : "%.2f (cached)", cc);
    printf("  %-9s %12s %12s\n", ARCH[i].name, a, b);
  }

  /* --- steady state ----------------------------------------------------------------------- */
  double *times = malloc((size_t)runs * sizeof *times);
  if (!times) return 1;
  for (int r = 0; r < runs; r++) {
    t0 = now_ms();
    if (forward(net, &err) != CTG_OK) return fail("inference", &err);
    times[r] = now_ms() - t0;
  }
  qsort(times, (size_t)runs, sizeof *times, cmp_double);
  double flops = 0;
  for (int i = 0; i < LAYERS; i++) {
    const ctg_params *p = ctg_spec_params(net[i].spec);
    flops += 2.0 * batch * p->in_channels * p->out_channels * 16 * p->in_h * p->in_w;
  }
  printf("  steady state: median %.2f ms of %d runs (%.1f GFLOP/s), %.3f ms per image\n", times[runs / 2], runs,
         flops / times[runs / 2] / 1e6, times[runs / 2] / batch);
  free(times);

  /* --- layer by layer against the interpreter, on the activations the kernels saw ---------- */
  double worst = 0;
  printf("  %-9s %14s %14s\n", "layer", "max |error|", "max |output|");
  for (int i = 0; i < LAYERS; i++) {
    const ctg_params *p = ctg_spec_params(net[i].spec);
    float *want = malloc(net[i].out_numel * sizeof(float)), *got = malloc(net[i].out_numel * sizeof(float));
    if (!want || !got) return 1;
    if (ctg_kernel_run(net[i].kernel, net[i].batch, net[i].in, NULL, NULL, got, &err) != CTG_OK) return fail("check", &err);
    if (ctg_reference(p, net[i].in, net[i].weight.data, net[i].bias.data, want, &err) != CTG_OK)
      return fail("interpreter", &err);
    double max_err = 0, max_out = 0;
    for (size_t j = 0; j < net[i].out_numel; j++) {
      double e = fabs((double)got[j] - want[j]);
      if (!(e <= max_err)) max_err = e; /* NaN sticks */
      if (fabs(want[j]) > max_out) max_out = fabs(want[j]);
    }
    printf("  %-9s %14.3g %14.3g\n", ARCH[i].name, max_err, max_out);
    if (!(max_err / (max_out > 0 ? max_out : 1) <= worst)) worst = max_err / (max_out > 0 ? max_out : 1);
    free(want), free(got);
  }
  printf("  largest error relative to the layer's largest output: %.3g\n", worst);

  for (int i = 0; i < LAYERS; i++) {
    ctg_kernel_free(net[i].kernel);
    ctg_spec_free(net[i].spec);
    ctg_tensor_free(&net[i].weight);
    ctg_tensor_free(&net[i].bias);
    free(net[i].out);
  }
  ctg_tensor_free(&z);
  return worst < 1e-5 ? 0 : 1;
}
