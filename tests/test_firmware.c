/* test_firmware.c: baked-weight kernels cross-compiled for a Cortex-M4F and run under QEMU
 * (mps2-an386, semihosting); every output compared with the host interpreter's. int8 kernels
 * also on a Cortex-M3 (mps2-an385, no DSP extension), compared exactly.
 * Each image is left in build/firmware/ for bench/firmware_report.sh to measure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"

#ifndef CTG_FIRMWARE_DIR
#define CTG_FIRMWARE_DIR "build/firmware"
#endif

#define ARM_FLAGS "-std=c99 -Wall -Wextra -Werror -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os"
/* what the issue promises the generated kernel compiles under, exactly */
#define KERNEL_FLAGS ARM_FLAGS " -Wpedantic -ffreestanding -nostdlib -fstack-usage"

typedef struct fw_layer {
  const char *what;
  const char *spec;
} fw_layer;

static const fw_layer LAYERS[] = {
  { "tiny_mcu (public suite)", "return {name = 'tiny_mcu', in_channels = 8, out_channels = 4, kernel_size = 3, "
    "stride = 2, padding = 1, output_padding = 1, input_shape = {1, 8, 8, 8}, unroll = '%s'}" },
  { "depthwise", "return {name = 'fw_depthwise', in_channels = 16, out_channels = 16, groups = 16, kernel_size = 4, "
    "stride = 2, padding = 1, input_shape = {1, 16, 8, 8}, unroll = '%s'}" },
  { "dilated", "return {name = 'fw_dilated', in_channels = 8, out_channels = 8, kernel_size = 3, dilation = 2, "
    "padding = 2, input_shape = {1, 8, 8, 8}, unroll = '%s'}" },
  { "output_padding", "return {name = 'fw_outpad', in_channels = 4, out_channels = 6, kernel_size = 5, stride = 3, "
    "padding = 1, output_padding = 2, input_shape = {1, 4, 6, 6}, unroll = '%s'}" },
  { "autoencoder decoder 16->16", "return {name = 'fw_decoder16', in_channels = 16, out_channels = 16, "
    "kernel_size = 4, stride = 2, padding = 1, bias = false, input_shape = {1, 16, 8, 8}, unroll = '%s'}" },
  { "fused tanh (no libm)", "return {name = 'fw_tanh', in_channels = 8, out_channels = 3, kernel_size = 4, stride = 2, "
    "padding = 1, input_shape = {1, 8, 8, 8}, activation = 'tanh', unroll = '%s'}" },
  { "fused leaky_relu", "return {name = 'fw_leaky', in_channels = 4, out_channels = 4, kernel_size = 3, stride = 2, "
    "input_shape = {1, 4, 6, 6}, activation = {'leaky_relu', 0.2}, unroll = '%s'}" },
  { "tiny_mcu channels_last (NHWC)", "return {name = 'fw_tiny_nhwc', in_channels = 8, "
    "out_channels = 4, kernel_size = 3, stride = 2, padding = 1, output_padding = 1, input_shape = {1, 8, 8, 8}, "
    "memory_format = 'channels_last', unroll = '%s'}" },
};
static const char *const UNROLLS[] = { "none", "taps", "full" };

static int sh(const char *cmd) {
  int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int tools_present(void) {
  return sh("command -v arm-none-eabi-gcc >/dev/null && command -v qemu-system-arm >/dev/null && "
            "arm-none-eabi-gcc -print-file-name=rdimon.specs | grep -q /") == 0;
}

/* Writes values as a C array definition. */
static void c_array(FILE *f, const char *name, const float *v, size_t n) {
  fprintf(f, "static const float %s[%zu] = {", name, n ? n : 1);
  for (size_t i = 0; i < n; i++) fprintf(f, "%s%.9g", i == 0 ? "\n  " : i % 6 ? ", " : ",\n  ", (double)v[i]);
  fprintf(f, "%s\n};\n", n ? "" : "0");
}

static void build_and_run(const fw_layer *layer, int unroll, int index) {
  char src[512];
  snprintf(src, sizeof src, layer->spec, UNROLLS[unroll]);
  ctg_spec *spec;
  ctg_error err;
  assert_int_equal(ctg_spec_from_string(src, "fw.lua", &spec, &err), CTG_OK);
  const ctg_params *p = ctg_spec_params(spec);
  size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
         nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
  float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc(nb * 4 + 4), *want = malloc(ny * 4),
        *mag = malloc(ny * 4), *ax = malloc(nx * 4), *aw = malloc(nw * 4), *ab = malloc(nb * 4 + 4);
  uint64_t rng = 1000 + (uint64_t)index;
  for (size_t i = 0; i < nx; i++) x[i] = tu_rand(&rng);
  for (size_t i = 0; i < nw; i++) w[i] = tu_rand(&rng) > 0.7f ? 0.0f : tu_rand(&rng); /* ~15% pruned */
  for (size_t i = 0; i < nb; i++) b[i] = tu_rand(&rng);
  for (size_t i = 0; i < nx; i++) ax[i] = fabsf(x[i]);
  for (size_t i = 0; i < nw; i++) aw[i] = fabsf(w[i]);
  for (size_t i = 0; i < nb; i++) ab[i] = fabsf(b[i]);
  assert_int_equal(ctg_reference(p, x, w, b, want, NULL), CTG_OK);
  assert_int_equal(ctg_reference(p, ax, aw, ab, mag, NULL), CTG_OK);
  double terms = (double)(p->in_channels / p->groups) * p->kernel[0] * p->kernel[1] + 1;
  double tol = 8.0 * sqrt(terms) * 1.1920929e-7 / 2;

  /* equal-length paths: newlib's start-up reads the image's name, which must not change counts */
  char dir[512];
  snprintf(dir, sizeof dir, "%s/s%du%d", CTG_FIRMWARE_DIR, index / 3, unroll);
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
  assert_int_equal(sh(cmd), 0);
  ctg_gen_options go = { CTG_TARGET_C, w, p->bias ? b : NULL, CTG_ISA_PORTABLE };
  char written[1024];
  assert_int_equal(ctg_generate_to_dir(spec, &go, dir, written, sizeof written, &err), CTG_OK);

  char path[600];
  snprintf(path, sizeof path, "%s/main.c", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "/* test harness: %s, unroll = %s */\n#include <stdio.h>\n#include <string.h>\n#include \"%s.h\"\n",
          layer->what, UNROLLS[unroll], p->name);
  c_array(f, "input", x, nx);
  c_array(f, "expected", want, ny);
  c_array(f, "magnitude", mag, ny);
  fprintf(f, "static float output[%zu];\n"
             "int main(void) {\n"
             "  const unsigned nan_bits = 0x7fc00000u;\n"
             "  for (unsigned i = 0; i < %zu; i++) memcpy(&output[i], &nan_bits, 4);\n"
             "  if (%s_run(input, output) != 0) { printf(\"FAIL: nonzero return\\n\"); return 1; }\n"
             "  for (unsigned i = 0; i < %zu; i++) {\n"
             "    float d = output[i] - expected[i], allowed = %.9gf * magnitude[i];\n"
             "    if (!(d <= allowed && -d <= allowed)) {\n"
             "      printf(\"FAIL at %%u: %%.9g, expected %%.9g\\n\", i, (double)output[i], (double)expected[i]);\n"
             "      return 1;\n"
             "    }\n"
             "  }\n"
             "  printf(\"PASS %%u outputs\\n\", %zuu);\n"
             "  return 0;\n"
             "}\n", ny ? ny : 1, ny, p->name, ny, tol, ny);
  fclose(f);
  snprintf(path, sizeof path, "%s/meta.txt", dir);
  f = fopen(path, "w");
  fprintf(f, "layer=%s\nname=%s\nunroll=%s\nspec=%s\n", layer->what, p->name, UNROLLS[unroll], src);
  fclose(f);

  snprintf(cmd, sizeof cmd,
           "cd %s && arm-none-eabi-gcc " KERNEL_FLAGS " -c %s.c -o kernel.o && "
           "arm-none-eabi-gcc " ARM_FLAGS " -c main.c -o main.o && "
           "arm-none-eabi-gcc " ARM_FLAGS " -c %s/tests/firmware/startup.c -o startup.o && "
           "arm-none-eabi-gcc " ARM_FLAGS " --specs=rdimon.specs -T %s/tests/firmware/mps2-an386.ld "
           "startup.o main.o kernel.o -o fw.elf",
           dir, p->name, CTG_TEST_ROOT, CTG_TEST_ROOT);
  if (sh(cmd) != 0) fprintf(stderr, "failed: %s\n", cmd);
  assert_int_equal(sh(cmd), 0);
  /* a hung image is killed and fails */
  snprintf(cmd, sizeof cmd, "cd %s && timeout 60 qemu-system-arm -M mps2-an386 -nographic -semihosting-config "
           "enable=on,target=native -kernel fw.elf > run.txt 2>&1 && grep -q '^PASS' run.txt", dir);
  int rc = sh(cmd);
  if (rc != 0) {
    snprintf(cmd, sizeof cmd, "cat %s/run.txt >&2", dir);
    sh(cmd);
  }
  assert_int_equal(rc, 0);
  printf("  %-28s unroll %-4s PASS (%zu outputs) %s\n", layer->what, UNROLLS[unroll], ny, dir);
  free(x), free(w), free(b), free(want), free(mag), free(ax), free(aw), free(ab);
  ctg_spec_free(spec);
}

static void test_layers_on_cortex_m4(void **state) {
  (void)state;
  if (!tools_present()) {
    printf("arm-none-eabi-gcc, newlib's rdimon.specs or qemu-system-arm is missing: run make test-firmware\n");
    skip();
  }
  int index = 0;
  for (size_t l = 0; l < sizeof LAYERS / sizeof LAYERS[0]; l++)
    for (int u = 0; u < 3; u++) build_and_run(&LAYERS[l], u, index++);
}

/* --- int8 (TFLite's quantized TRANSPOSE_CONV), on a Cortex-M4 with DSP and a Cortex-M3 without ---- */

typedef struct fw_board {
  const char *machine, *cpu, *flags;
} fw_board;

static const fw_board BOARDS[] = {
  { "mps2-an386", "Cortex-M4", "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16" },
  { "mps2-an385", "Cortex-M3", "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft" },
};

/* The layers, TFLite-style (SAME padding from output_size), per-channel scales. */
#define I8_QUANT(zi, zo) "quantization = {input_scale = 0.05, input_zero_point = " #zi ", output_scale = 0.11, " \
  "output_zero_point = " #zo ", weight_scales = %s}"
static const fw_layer INT8_LAYERS[] = {
  { "int8 tiny_mcu 8->4 k3 s2 SAME", "return {name = 'tiny_mcu_i8', in_channels = 8, out_channels = 4, kernel_size = 3, "
    "stride = 2, padding = 'same', output_size = {16, 16}, input_shape = {1, 8, 8, 8}, dtype = 'int8', "
    I8_QUANT(-3, 5) ", unroll = '%s'}" },
  { "int8 decoder 16->16 k4 s2 p1", "return {name = 'decoder16_i8', in_channels = 16, out_channels = 16, "
    "kernel_size = 4, stride = 2, padding = 1, input_shape = {1, 16, 8, 8}, dtype = 'int8', "
    I8_QUANT(7, -1) ", unroll = '%s'}" },
  { "int8 32->32 k3 s2 SAME", "return {name = 'same32_i8', in_channels = 32, out_channels = 32, kernel_size = 3, "
    "stride = 2, padding = 'same', output_size = {16, 16}, input_shape = {1, 32, 8, 8}, dtype = 'int8', "
    I8_QUANT(-128, 0) ", unroll = '%s'}" },
  { "int8 requantization edges", "return {name = 'edges_i8', in_channels = 4, out_channels = 6, kernel_size = 3, "
    "stride = 2, padding = 1, input_shape = {1, 4, 5, 5}, dtype = 'int8', quantization = {input_scale = 1, "
    "input_zero_point = 0, output_scale = 1, output_zero_point = -20, weight_scales = {0.75, 0.3, 0.2, 0.004, 1.5, 3}}, "
    "unroll = '%s'}" }, /* shifts 0, -1, -2, -7 and left shifts 1 and 2 */
  { "int8 odd channels, relu6, VALID", "return {name = 'odd_i8', in_channels = 5, out_channels = 3, kernel_size = {2, 3}, "
    "stride = {2, 1}, padding = 'valid', output_size = {9, 7}, input_shape = {1, 5, 4, 5}, dtype = 'int8', "
    "activation = {'clamp', 0, 6}, " I8_QUANT(127, -128) ", unroll = '%s'}" },
};

/* Writes int8 values as a C array definition. */
static void c_array_i8(FILE *f, const char *name, const int8_t *v, size_t n) {
  fprintf(f, "static const int8_t %s[%zu] = {", name, n ? n : 1);
  for (size_t i = 0; i < n; i++) fprintf(f, "%s%d", i == 0 ? "\n  " : i % 16 ? ", " : ",\n  ", v[i]);
  fprintf(f, "%s\n};\n", n ? "" : "0");
}

/* The layer's per-channel weight scales, as Lua: deterministic, spread over a decade. */
static void weight_scales(char *out, size_t cap, int cout) {
  size_t used = (size_t)snprintf(out, cap, "{");
  for (int c = 0; c < cout && used < cap; c++)
    used += (size_t)snprintf(out + used, cap - used, "%s%.6g", c ? ", " : "", 0.002 + 0.0007 * (c % 13));
  if (used < cap) snprintf(out + used, cap - used, "}");
}

static void build_and_run_int8(const fw_layer *layer, int unroll, int board, int index) {
  char scales[4096], body[1024], src[8192];
  ctg_error err;
  if (strstr(layer->spec, "weight_scales = %s")) {
    snprintf(body, sizeof body, layer->spec, "%s", UNROLLS[unroll]);
    ctg_spec *probe;
    /* the output channel count decides the scale list; read it from a per-tensor probe */
    snprintf(src, sizeof src, body, "0.004");
    assert_int_equal(ctg_spec_from_string(src, "fw.lua", &probe, &err), CTG_OK);
    weight_scales(scales, sizeof scales, ctg_spec_params(probe)->out_channels);
    ctg_spec_free(probe);
    snprintf(src, sizeof src, body, scales);
  } else { /* the layer names its own scales */
    snprintf(src, sizeof src, layer->spec, UNROLLS[unroll]);
  }
  ctg_spec *spec;
  if (ctg_spec_from_string(src, "fw.lua", &spec, &err) != CTG_OK) fprintf(stderr, "%s\n", err.message);
  assert_int_equal(ctg_spec_from_string(src, "fw.lua", &spec, &err), CTG_OK);
  const ctg_params *p = ctg_spec_params(spec);
  size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT),
         nb = ctg_params_numel(p, CTG_BIAS), ny = ctg_params_numel(p, CTG_OUTPUT);
  int8_t *x = malloc(nx), *w = malloc(nw), *want = malloc(ny);
  int32_t *b = malloc(nb * 4 + 4);
  uint64_t rng = 5000 + (uint64_t)index;
  /* the edges layer's sums stay small, so its outputs land inside int8 and every rounding shows */
  const float mag = strstr(layer->what, "edges") ? 4.0f : 127.5f, bmag = strstr(layer->what, "edges") ? 300.0f : 20000.0f;
  for (size_t i = 0; i < nx; i++) x[i] = (int8_t)(int)(tu_rand(&rng) * mag);
  for (size_t i = 0; i < nw; i++) w[i] = (int8_t)(int)(tu_rand(&rng) * (mag < 127.0f ? mag : 127.0f));
  for (size_t i = 0; i < nb; i++) b[i] = (int32_t)(tu_rand(&rng) * bmag);
  assert_int_equal(ctg_reference(p, x, w, b, want, NULL), CTG_OK);

  char dir[512], cmd[4096], path[600];
  snprintf(dir, sizeof dir, "%s/i%dm%du%d", CTG_FIRMWARE_DIR, index, board, unroll);
  snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
  assert_int_equal(sh(cmd), 0);
  ctg_gen_options go = { CTG_TARGET_C, w, p->bias ? b : NULL, CTG_ISA_PORTABLE };
  char written[1024];
  assert_int_equal(ctg_generate_to_dir(spec, &go, dir, written, sizeof written, &err), CTG_OK);
  snprintf(path, sizeof path, "%s/main.c", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "/* test harness: %s, unroll = %s, %s */\n#include <stdio.h>\n#include \"%s.h\"\n", layer->what,
          UNROLLS[unroll], BOARDS[board].cpu, p->name);
  c_array_i8(f, "input", x, nx);
  c_array_i8(f, "expected", want, ny);
  fprintf(f, "static int8_t output[%zu];\n"
             "int main(void) {\n"
             "  for (unsigned i = 0; i < %zu; i++) output[i] = (int8_t)(expected[i] ^ 0x55);\n"
             "  if (%s_run(input, output) != 0) { printf(\"FAIL: nonzero return\\n\"); return 1; }\n"
             "  for (unsigned i = 0; i < %zu; i++)\n"
             "    if (output[i] != expected[i]) {\n"
             "      printf(\"FAIL at %%u: %%d, expected %%d\\n\", i, output[i], expected[i]);\n"
             "      return 1;\n"
             "    }\n"
             "  printf(\"PASS %%u outputs\\n\", %zuu);\n"
             "  return 0;\n"
             "}\n", ny ? ny : 1, ny, p->name, ny, ny);
  fclose(f);
  snprintf(path, sizeof path, "%s/meta.txt", dir);
  f = fopen(path, "w");
  fprintf(f, "layer=%s\nname=%s\nunroll=%s\nmachine=%s\ncpu=%s\nspec=%s\n", layer->what, p->name, UNROLLS[unroll],
          BOARDS[board].machine, BOARDS[board].cpu, src);
  fclose(f);
  /* -O2 for the image (what the instruction counts are of), -Os for the smallest code */
  snprintf(cmd, sizeof cmd,
           "cd %s && F='-std=c99 -Wall -Wextra -Werror %s' && "
           "arm-none-eabi-gcc $F -O2 -Wpedantic -ffreestanding -nostdlib -fstack-usage -c %s.c -o kernel.o && "
           "arm-none-eabi-gcc $F -Os -Wpedantic -ffreestanding -nostdlib -c %s.c -o kernel_os.o && "
           "arm-none-eabi-gcc $F -O2 -c main.c -o main.o && "
           "arm-none-eabi-gcc $F -O2 -c %s/tests/firmware/startup.c -o startup.o && "
           "arm-none-eabi-gcc $F --specs=rdimon.specs -T %s/tests/firmware/mps2-an386.ld "
           "startup.o main.o kernel.o -o fw.elf && "
           "arm-none-eabi-gcc $F --specs=rdimon.specs -T %s/tests/firmware/mps2-an386.ld "
           "startup.o main.o kernel_os.o -o os.elf",
           dir, BOARDS[board].flags, p->name, p->name, CTG_TEST_ROOT, CTG_TEST_ROOT, CTG_TEST_ROOT);
  if (sh(cmd) != 0) fprintf(stderr, "failed: %s\n", cmd);
  assert_int_equal(sh(cmd), 0);
  /* both images: the -O2 one and the smallest (-Os) */
  snprintf(cmd, sizeof cmd, "cd %s && for e in fw os; do timeout 60 qemu-system-arm -M %s -nographic -semihosting-config "
           "enable=on,target=native -kernel $e.elf > run.txt 2>&1 && grep -q '^PASS' run.txt || exit 1; done",
           dir, BOARDS[board].machine);
  int rc = sh(cmd);
  if (rc != 0) {
    snprintf(cmd, sizeof cmd, "cat %s/run.txt >&2", dir);
    sh(cmd);
  }
  assert_int_equal(rc, 0);
  printf("  %-32s %s unroll %-4s PASS (%zu outputs, bit-exact) %s\n", layer->what, BOARDS[board].cpu, UNROLLS[unroll],
         ny, dir);
  free(x), free(w), free(b), free(want);
  ctg_spec_free(spec);
}

/* Weights at run time on the device: NAME_pack (int16 pairs where the DSP extension is, TFLite's
 * bytes elsewhere) into a static buffer, then NAME_run_packed. 5 input channels per group (a
 * quad and a tail channel), 6 output channels per group (a tile of 4 and one of 2). */
static void test_int8_packed_at_run_time(void **state) {
  (void)state;
  if (!tools_present()) skip();
  for (int board = 0; board < 2; board++) {
    ctg_spec *spec = tu_spec("return {name = 'packed_i8', in_channels = 10, out_channels = 12, kernel_size = {3, 4}, "
                             "stride = 2, padding = 1, groups = 2, input_shape = {2, 10, 5, 4}, dtype = 'int8', "
                             "activation = 'relu', quantization = {input_scale = 0.03, input_zero_point = 11, "
                             "output_scale = 0.2, output_zero_point = -9, weight_scales = {0.01, 0.02, 0.005, 0.03, "
                             "0.004, 0.011, 0.007, 0.02, 0.013, 0.006, 0.009, 0.015}}}");
    const ctg_params *p = ctg_spec_params(spec);
    size_t nx = ctg_params_numel(p, CTG_INPUT), nw = ctg_params_numel(p, CTG_WEIGHT), ny = ctg_params_numel(p, CTG_OUTPUT);
    int8_t *x = malloc(nx), *w = malloc(nw), *want = malloc(ny);
    int32_t b[12];
    uint64_t rng = 99;
    for (size_t i = 0; i < nx; i++) x[i] = (int8_t)(int)(tu_rand(&rng) * 127.5f);
    for (size_t i = 0; i < nw; i++) w[i] = (int8_t)(int)(tu_rand(&rng) * 127.0f);
    for (int i = 0; i < 12; i++) b[i] = (int32_t)(tu_rand(&rng) * 3000.0f);
    assert_int_equal(ctg_reference(p, x, w, b, want, NULL), CTG_OK);
    char dir[512], cmd[4096], path[600];
    snprintf(dir, sizeof dir, "%s/packed%d", CTG_FIRMWARE_DIR, board);
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
    assert_int_equal(sh(cmd), 0);
    ctg_error err;
    assert_int_equal(ctg_generate_to_dir(spec, NULL, dir, NULL, 0, &err), CTG_OK);
    snprintf(path, sizeof path, "%s/main.c", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#include <stdio.h>\n#include \"packed_i8.h\"\n");
    c_array_i8(f, "input", x, nx);
    c_array_i8(f, "weight", w, nw);
    c_array_i8(f, "expected", want, ny);
    fprintf(f, "static const int32_t bias[12] = {");
    for (int i = 0; i < 12; i++) fprintf(f, " %d,", b[i]);
    fprintf(f, " };\n");
    fprintf(f, "static int32_t packed[PACKED_I8_PACKED_SIZE];\nstatic int8_t output[%zu];\n"
               "int main(void) {\n"
               "  packed_i8_pack(weight, bias, packed);\n"
               "  packed_i8_run_packed(input, packed, output);\n"
               "  for (unsigned i = 0; i < %zu; i++)\n"
               "    if (output[i] != expected[i]) { printf(\"FAIL at %%u\\n\", i); return 1; }\n"
               "  printf(\"PASS\\n\");\n  return 0;\n}\n", ny, ny);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "cd %s && F='-std=c99 -Wall -Wextra -Werror -O2 %s' && arm-none-eabi-gcc $F -Wpedantic -c packed_i8.c && "
             "arm-none-eabi-gcc $F -c main.c && arm-none-eabi-gcc $F -c %s/tests/firmware/startup.c && "
             "arm-none-eabi-gcc $F --specs=rdimon.specs -T %s/tests/firmware/mps2-an386.ld startup.o main.o packed_i8.o "
             "-o fw.elf && timeout 60 qemu-system-arm -M %s -nographic -semihosting-config enable=on,target=native "
             "-kernel fw.elf | grep -q '^PASS'", dir, BOARDS[board].flags, CTG_TEST_ROOT, CTG_TEST_ROOT,
             BOARDS[board].machine);
    if (sh(cmd) != 0) fprintf(stderr, "failed: %s\n", cmd);
    assert_int_equal(sh(cmd), 0);
    printf("  int8 weights packed on the device  %s PASS (%zu outputs, bit-exact)\n", BOARDS[board].cpu, ny);
    free(x), free(w), free(want);
    ctg_spec_free(spec);
  }
}

static void test_int8_layers_on_cortex_m4_and_m3(void **state) {
  (void)state;
  if (!tools_present()) {
    printf("arm-none-eabi-gcc, newlib's rdimon.specs or qemu-system-arm is missing: run make test-firmware\n");
    skip();
  }
  for (size_t l = 0; l < sizeof INT8_LAYERS / sizeof INT8_LAYERS[0]; l++)
    for (int board = 0; board < 2; board++)
      for (int u = 0; u < 3; u++) build_and_run_int8(&INT8_LAYERS[l], u, board, (int)l);
}

/* The harness itself must fail on a wrong kernel: an image whose expected values are off. */
static void test_harness_reports_a_mismatch(void **state) {
  (void)state;
  if (!tools_present()) skip();
  char dir[512], cmd[2048];
  snprintf(dir, sizeof dir, "%s/s0u0", CTG_FIRMWARE_DIR);
  snprintf(cmd, sizeof cmd, "cd %s && awk '/^static const float expected/ { print; getline; "
           "sub(/^  [^,]*/, \"  1e9\"); } { print }' main.c > bad.c && grep -q '^  1e9' bad.c && "
           "arm-none-eabi-gcc " ARM_FLAGS " -c bad.c -o bad.o && "
           "arm-none-eabi-gcc " ARM_FLAGS " --specs=rdimon.specs -T %s/tests/firmware/mps2-an386.ld startup.o bad.o "
           "kernel.o -o bad.elf && timeout 60 qemu-system-arm -M mps2-an386 -nographic -semihosting-config "
           "enable=on,target=native -kernel bad.elf | grep -q '^FAIL at 0'", dir, CTG_TEST_ROOT);
  assert_int_equal(sh(cmd), 0);
}

int main(void) {
  /* CTG_TEST_FILTER=test_int8* runs the tests whose names match */
  if (getenv("CTG_TEST_FILTER")) cmocka_set_test_filter(getenv("CTG_TEST_FILTER"));
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_layers_on_cortex_m4),
    cmocka_unit_test(test_harness_reports_a_mismatch),
    cmocka_unit_test(test_int8_layers_on_cortex_m4_and_m3),
    cmocka_unit_test(test_int8_packed_at_run_time),
  };
  return cmocka_run_group_tests_name("firmware", tests, NULL, NULL);
}
