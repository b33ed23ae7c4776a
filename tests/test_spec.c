/* test_spec.c: the spec sandbox, normalization and PyTorch's validation rules (runtime/core/spec.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "spec_cases.h"
#include "testutil.h"

static void test_every_bad_spec_is_rejected_with_its_message(void **state) {
  (void)state;
  for (size_t i = 0; i < N_SPEC_ERRORS; i++) {
    const spec_case *c = &SPEC_ERRORS[i];
    ctg_spec *spec = (ctg_spec *)1;
    ctg_error err;
    clock_t t0 = clock();
    int st = ctg_spec_from_string(c->source, "t.lua", &spec, &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (st != CTG_ERR_SPEC || !strstr(err.message, c->message))
      fprintf(stderr, "rule '%s': status %d, message \"%s\"; expected \"%s\"\n", c->rule, st, err.message,
              c->message);
    assert_int_equal(st, CTG_ERR_SPEC);
    assert_int_equal(err.status, CTG_ERR_SPEC);
    assert_null(spec);
    assert_contains(err.message, c->message);
    assert_true(strncmp(err.message, "t.lua", 5) == 0); /* names the spec */
    assert_null(strchr(err.message, '\n'));                /* one line */
    assert_true(secs < 2.0);                               /* fast, even for the endless loops */
  }
}

static void test_defaults_are_pytorchs(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {in_channels = 16, out_channels = 33, kernel_size = 3, "
                           "input_shape = {20, 16, 50, 100}}");
  const ctg_params *p = ctg_spec_params(spec);
  assert_int_equal(p->stride[0], 1);
  assert_int_equal(p->stride[1], 1);
  assert_int_equal(p->padding[0], 0);
  assert_int_equal(p->output_padding[1], 0);
  assert_int_equal(p->dilation[0], 1);
  assert_int_equal(p->groups, 1);
  assert_int_equal(p->bias, 1);
  assert_int_equal(p->threads, 1);
  assert_string_equal(p->dtype, "float32");
  assert_string_equal(p->unroll, "auto");
  assert_string_equal(p->name, "convt_16x33_k3_s1_p0");
  assert_int_equal(p->out_h, 52);
  assert_int_equal(p->out_w, 102);

  /* ctg_layer_init's numbers come from the same schema (generator/schema.lua): PyTorch's */
  ctg_layer l;
  ctg_layer_init(&l);
  assert_true(l.stride[0] == 1 && l.stride[1] == 1 && l.dilation[0] == 1 && l.dilation[1] == 1);
  assert_true(l.output_padding[0] == 0 && l.padding[0] == 0 && l.padding_end[0] == -1);
  assert_int_equal(l.groups, 1);
  assert_int_equal(l.bias, 1);
  assert_null(l.dtype);
  l.in_channels = 16, l.out_channels = 33, l.kernel_size[0] = l.kernel_size[1] = 3;
  l.input_rank = 4, l.input_shape[0] = 20, l.input_shape[1] = 16, l.input_shape[2] = 50, l.input_shape[3] = 100;
  ctg_spec *from_c;
  ctg_error err;
  tu_assert_ok(ctg_spec_from_layer(&l, &from_c, &err), &err);
  char a[4096], b[4096];
  ctg__params_key(a, sizeof a, p);
  ctg__params_key(b, sizeof b, ctg_spec_params(from_c));
  assert_string_equal(a, b);
  ctg_spec_free(from_c);
  ctg_spec_free(spec);
}

/* The shapes PyTorch's documentation prints for its two examples. */
static void test_documented_shapes(void **state) {
  (void)state;
  ctg_spec *a = tu_spec("return {in_channels = 16, out_channels = 33, kernel_size = 3, stride = 2, "
                        "input_shape = {20, 16, 50, 100}}");
  int64_t shape[4];
  assert_int_equal(ctg_params_shape(ctg_spec_params(a), CTG_OUTPUT, shape), 4);
  assert_int_equal(shape[0], 20);
  assert_int_equal(shape[1], 33);
  assert_int_equal(shape[2], 101);
  assert_int_equal(shape[3], 201);
  ctg_spec_free(a);

  ctg_spec *b = tu_spec("return {in_channels = 16, out_channels = 33, kernel_size = {3, 5}, "
                        "stride = {2, 1}, padding = {4, 2}, input_shape = {20, 16, 50, 100}}");
  const ctg_params *p = ctg_spec_params(b);
  assert_int_equal(p->kernel[0], 3);
  assert_int_equal(p->kernel[1], 5);
  assert_int_equal(p->stride[0], 2);
  assert_int_equal(p->stride[1], 1);
  assert_int_equal(ctg_params_shape(p, CTG_OUTPUT, shape), 4);
  assert_int_equal(shape[2], 93);
  assert_int_equal(shape[3], 100);
  assert_int_equal(ctg_params_shape(p, CTG_WEIGHT, shape), 4);
  assert_int_equal(shape[0], 16);
  assert_int_equal(shape[1], 33);
  assert_int_equal(shape[2], 3);
  assert_int_equal(shape[3], 5);
  assert_int_equal(ctg_params_numel(p, CTG_BIAS), 33);
  ctg_spec_free(b);
}

/* output_size picks output_padding as PyTorch's _output_padding does. */
static void expect_output_size(const char *source, int out_h, int out_w, int op_h, int op_w) {
  ctg_spec *s = tu_spec(source);
  const ctg_params *p = ctg_spec_params(s);
  assert_int_equal(p->out_h, out_h);
  assert_int_equal(p->out_w, out_w);
  assert_int_equal(p->output_padding[0], op_h);
  assert_int_equal(p->output_padding[1], op_w);
  ctg_spec_free(s);
}

static void test_output_size(void **state) {
  (void)state;
  /* the notebook's downsample/upsample pairs: 12x12 -> 6x6 (k3) and 12x12 -> 4x4 (k7) */
  expect_output_size("return {in_channels = 16, out_channels = 16, kernel_size = 3, stride = 2, padding = 1, "
                     "input_shape = {1, 16, 6, 6}, output_size = {1, 16, 12, 12}}", 12, 12, 1, 1);
  expect_output_size("return {in_channels = 16, out_channels = 16, kernel_size = 7, stride = 2, padding = 1, "
                     "input_shape = {1, 16, 4, 4}, output_size = {12, 12}}", 12, 12, 1, 1);
  /* the smallest reachable size gives output_padding 0 */
  expect_output_size("return {in_channels = 16, out_channels = 16, kernel_size = 3, stride = 2, padding = 1, "
                     "input_shape = {1, 16, 6, 6}, output_size = {11, 12}}", 11, 12, 0, 1);
  /* unbatched input with a full (C, H, W) output_size */
  expect_output_size("return {in_channels = 2, out_channels = 3, kernel_size = 3, stride = 3, "
                     "input_shape = {2, 4, 5}, output_size = {3, 12, 17}}", 12, 17, 0, 2);
  /* dilation counts in the reachable range: (5-1)*2 + 2*(3-1) + 1 = 13, up to 14 */
  expect_output_size("return {in_channels = 1, out_channels = 1, kernel_size = 3, stride = 2, dilation = 2, "
                     "input_shape = {1, 1, 5, 5}, output_size = {14, 13}}", 14, 13, 1, 0);
  /* PyTorch ignores the module's output_padding when output_size is given */
  expect_output_size("return {in_channels = 1, out_channels = 1, kernel_size = 3, stride = 2, output_padding = 1, "
                     "input_shape = {1, 1, 5, 5}, output_size = {11, 11}}", 11, 11, 0, 0);
}

static void test_accepts_what_pytorch_accepts(void **state) {
  (void)state;
  /* output_padding may reach dilation - 1 when stride is 1 */
  ctg_spec *s = tu_spec("return {in_channels = 2, out_channels = 2, kernel_size = 3, dilation = 3, "
                        "output_padding = 2, input_shape = {2, 4, 4}}");
  assert_int_equal(ctg_spec_params(s)->output_padding[0], 2);
  assert_int_equal(ctg_spec_params(s)->batched, 0);
  assert_int_equal(ctg_spec_params(s)->batch, 1);
  ctg_spec_free(s);
  /* a batch of zero is valid and gives an empty output */
  s = tu_spec("return {in_channels = 2, out_channels = 2, kernel_size = 3, input_shape = {0, 2, 4, 4}}");
  assert_int_equal(ctg_params_numel(ctg_spec_params(s), CTG_OUTPUT), 0);
  ctg_spec_free(s);
  /* padding larger than the kernel reach shrinks the output, still valid while positive */
  s = tu_spec("return {in_channels = 1, out_channels = 1, kernel_size = 1, padding = 2, "
              "input_shape = {1, 1, 5, 6}}");
  assert_int_equal(ctg_spec_params(s)->out_h, 1);
  assert_int_equal(ctg_spec_params(s)->out_w, 2);
  ctg_spec_free(s);
  /* depthwise, explicit name, bias off, padding_mode zeros, threads, unroll, pairs */
  s = tu_spec("return {in_channels = 8, out_channels = 8, groups = 8, kernel_size = {4, 2}, stride = {2, 1}, "
              "padding = {1, 0}, bias = false, padding_mode = 'zeros', name = 'dw_layer', threads = 1, "
              "unroll = 'full', dtype = 'float32', input_shape = {1, 8, 3, 3}}");
  const ctg_params *p = ctg_spec_params(s);
  assert_int_equal(p->groups, 8);
  assert_int_equal(p->bias, 0);
  assert_string_equal(p->name, "dw_layer");
  assert_string_equal(p->unroll, "full");
  assert_int_equal(p->threads, 1);
  assert_int_equal(ctg_params_numel(p, CTG_BIAS), 0);
  assert_int_equal(ctg_params_numel(p, CTG_WEIGHT), 8 * 1 * 4 * 2);
  ctg_spec_free(s);
}

/* activation: each form normalized to a name and two numbers, in the default name */
static void test_activation_forms(void **state) {
  (void)state;
  static const struct { const char *value, *name; double a, b; } forms[] = {
    { "nil", "none", 0, 0 },
    { "'relu'", "relu", 0, 0 },
    { "{'relu'}", "relu", 0, 0 },
    { "'leaky_relu'", "leaky_relu", 0.01, 0 }, /* PyTorch's default slope */
    { "{'leaky_relu', 0.2}", "leaky_relu", 0.2, 0 },
    { "'tanh'", "tanh", 0, 0 },
    { "'sigmoid'", "sigmoid", 0, 0 },
    { "{'clamp', 0, 6}", "clamp", 0, 6 }, /* ReLU6 */
    { "{'clamp', -math.huge, 1}", "clamp", -INFINITY, 1 },
  };
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    char src[256];
    snprintf(src, sizeof src, "return {in_channels = 2, out_channels = 2, kernel_size = 3, "
             "input_shape = {1, 2, 4, 4}, activation = %s}", forms[i].value);
    ctg_spec *s = tu_spec(src);
    const ctg_params *p = ctg_spec_params(s);
    assert_string_equal(p->activation, forms[i].name);
    assert_true(p->activation_a == forms[i].a && p->activation_b == forms[i].b);
    if (strcmp(forms[i].name, "none") == 0) assert_string_equal(p->name, "convt_2x2_k3_s1_p0");
    else assert_non_null(strstr(p->name, forms[i].name));
    ctg_spec_free(s);
  }
  /* the same through ctg_layer */
  ctg_layer layer;
  ctg_layer_init(&layer);
  layer.in_channels = layer.out_channels = 2;
  layer.kernel_size[0] = layer.kernel_size[1] = 3;
  layer.input_rank = 4;
  layer.input_shape[0] = 1, layer.input_shape[1] = 2, layer.input_shape[2] = layer.input_shape[3] = 4;
  layer.activation = "clamp";
  layer.activation_args[0] = -1, layer.activation_args[1] = 1;
  ctg_spec *s;
  ctg_error err;
  tu_assert_ok(ctg_spec_from_layer(&layer, &s, &err), &err);
  assert_string_equal(ctg_spec_params(s)->activation, "clamp");
  assert_true(ctg_spec_params(s)->activation_a == -1 && ctg_spec_params(s)->activation_b == 1);
  ctg_spec_free(s);
  layer.activation = "swish";
  assert_int_equal(ctg_spec_from_layer(&layer, &s, &err), CTG_ERR_SPEC);
  assert_non_null(strstr(err.message, "layer: activation: unknown activation \"swish\""));
}

static void test_spec_can_compute(void **state) {
  (void)state;
  /* a spec is a program: locals, arithmetic, string and math functions all work */
  ctg_spec *s = tu_spec("local c = 2 * 8\nlocal k = math.max(2, 3)\n"
                        "return {in_channels = c, out_channels = c // 2, kernel_size = k, "
                        "name = string.format('layer_%d', c), input_shape = {1, c, 4, 4}}");
  assert_int_equal(ctg_spec_params(s)->in_channels, 16);
  assert_int_equal(ctg_spec_params(s)->out_channels, 8);
  assert_string_equal(ctg_spec_params(s)->name, "layer_16");
  ctg_spec_free(s);
}

static void test_derived_names_are_identifiers(void **state) {
  (void)state;
  ctg_spec *s = tu_spec("return {in_channels = 4, out_channels = 8, kernel_size = {3, 5}, stride = {2, 1}, "
                        "padding = {4, 2}, output_padding = {1, 0}, dilation = 2, groups = 2, "
                        "input_shape = {1, 4, 9, 9}}");
  assert_string_equal(ctg_spec_params(s)->name, "convt_4x8_k3x5_s2x1_p4x2_op1x0_d2_g2");
  ctg_spec_free(s);
}

static void test_spec_files(void **state) {
  (void)state;
  char *dir = tu_mkdtemp();
  char *path = tu_write(dir, "layer.lua", "return {in_channels = 3, out_channels = 5, kernel_size = 2, "
                        "input_shape = {3, 4, 4}}", (size_t)-1);
  ctg_spec *spec;
  ctg_error err;
  assert_int_equal(ctg_spec_from_file(path, &spec, &err), CTG_OK);
  assert_int_equal(ctg_spec_params(spec)->out_h, 5);
  char *text;
  assert_int_equal(ctg_spec_describe(spec, &text, &err), CTG_OK);
  assert_contains(text, "output          (5, 5, 5)");
  assert_contains(text, "weight          (3, 5, 2, 2)");
  assert_contains(text, "flops           1,920 ");  /* 2*3*5*2*2*4*4 */
  ctg_free(text);
  ctg_spec_free(spec);

  char *missing = tu_path(dir, "missing.lua");
  assert_int_equal(ctg_spec_from_file(missing, &spec, &err), CTG_ERR_IO);
  assert_contains(err.message, "missing.lua: cannot open spec");
  assert_int_equal(ctg_spec_from_file(dir, &spec, &err), CTG_ERR_IO);
  assert_contains(err.message, "cannot read spec");

  char *bad = tu_write(dir, "bad.lua", "return {in_channels = 3}", (size_t)-1);
  assert_int_equal(ctg_spec_from_file(bad, &spec, &err), CTG_ERR_SPEC);
  assert_contains(err.message, "bad.lua: out_channels: is required");

  char *big = malloc((2u << 20) + 1);
  memset(big, ' ', 2u << 20);
  big[2u << 20] = '\0';
  char *bigpath = tu_write(dir, "big.lua", big, (size_t)-1);
  assert_int_equal(ctg_spec_from_file(bigpath, &spec, &err), CTG_ERR_SPEC);
  assert_contains(err.message, "spec file is larger than 1024 KiB");

  free(big);
  free(bigpath);
  free(bad);
  free(missing);
  free(path);
  tu_rmtree(dir);
  free(dir);
}

/* Every field of ctg_params crosses to Lua and back (CTG__PARAMS_FIELDS lists them all): a layer
 * with no field zero, pushed and read back, is the same bytes; its FLOPs are the benchmark count;
 * the cache key changes with every field the code depends on. */
static void test_params_round_trip(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {in_channels = 6, out_channels = 9, groups = 3, kernel_size = {3, 2}, "
                           "stride = {2, 3}, padding = {1, 2}, output_padding = {1, 2}, dilation = {2, 3}, "
                           "input_shape = {2, 6, 5, 7}, dtype = 'complex64', unroll = 'taps', threads = 3, name = 'rt'}");
  const ctg_params *p = ctg_spec_params(spec);
  assert_true(p->flops == 2.0 * 2 * 6 * 3 * 3 * 2 * 5 * 7);
  ctg_error err;
  lua_State *L = ctg__lua_generator(&err);
  assert_non_null(L);
  ctg__params_push(L, p);
  ctg_params back;
  tu_assert_ok(ctg__params_from_lua(L, -1, &back, &err), &err);
  ctg__lua_close(L);
  assert_memory_equal(&back, p, sizeof back);
  char key[1024], other[1024];
  ctg__params_key(key, sizeof key, p);
  int *ints[] = { &back.in_channels, &back.out_channels, &back.groups, &back.kernel[1], &back.stride[0],
                  &back.padding[1], &back.output_padding[0], &back.dilation[1], &back.bias, &back.batched,
                  &back.batch, &back.in_h, &back.in_w, &back.out_h, &back.out_w, &back.threads };
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    (*ints[i])++;
    ctg__params_key(other, sizeof other, &back);
    assert_string_not_equal(key, other);
    (*ints[i])--;
  }
  back.unroll[0] = 'x';
  ctg__params_key(other, sizeof other, &back);
  assert_string_not_equal(key, other);
  back = *p;
  back.activation_a = 1e-17; /* the code depends on the activation's numbers */
  ctg__params_key(other, sizeof other, &back);
  assert_string_not_equal(key, other);
  ctg_spec_free(spec);
}

static void test_api_misuse(void **state) {
  (void)state;
  ctg_spec *spec;
  ctg_error err;
  assert_int_equal(ctg_spec_from_string(NULL, NULL, &spec, &err), CTG_ERR_ARG);
  assert_int_equal(ctg_spec_from_file(NULL, &spec, NULL), CTG_ERR_ARG); /* err may be NULL */
  assert_int_equal(ctg_spec_describe(NULL, NULL, &err), CTG_ERR_ARG);
  assert_null(ctg_spec_params(NULL));
  ctg_spec_free(NULL);
  assert_string_equal(ctg_status_string(CTG_ERR_SPEC), "invalid spec");
}

/* generator/spec.lua's activations (names and parameter counts) are internal.h's
 * CTG__ACTIVATION_LIST, in its order: the interpreter's enum and the spec's names agree. */
static int lua_activations(lua_State *L, void *ud) {
  char *buf = ud;
  lua_getglobal(L, "require");
  lua_pushliteral(L, "spec");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "ACTIVATION_LIST");
  buf[0] = 0;
  for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
    lua_rawgeti(L, -1, i);
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -2, 2);
    char one[64];
    snprintf(one, sizeof one, "%s%s %d", i > 1 ? ", " : "", lua_tostring(L, -2), (int)lua_tointeger(L, -1));
    strcat(buf, one);
    lua_pop(L, 3);
  }
  return CTG_OK;
}

static void test_activations_match_the_runtime(void **state) {
  (void)state;
  char lua[512], c[512] = "";
  ctg_error err;
  lua_State *L = ctg__lua_generator(&err);
  assert_non_null(L);
  tu_assert_ok(ctg__lua_protected(L, lua_activations, lua, CTG_ERR_INTERNAL, &err), &err);
  ctg__lua_close(L);
  for (int a = 0; a < CTG__ACT_UNKNOWN; a++) {
    char one[64];
    snprintf(one, sizeof one, "%s%s %d", a ? ", " : "", ctg__activation_name((ctg__act)a),
             ctg__activation_args(ctg__activation_name((ctg__act)a)));
    strcat(c, one);
  }
  assert_string_equal(lua, c);
  assert_string_equal(c, "none 0, relu 0, leaky_relu 1, tanh 0, sigmoid 0, clamp 2");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_bad_spec_is_rejected_with_its_message),
    cmocka_unit_test(test_defaults_are_pytorchs),
    cmocka_unit_test(test_activations_match_the_runtime),
    cmocka_unit_test(test_documented_shapes),
    cmocka_unit_test(test_output_size),
    cmocka_unit_test(test_accepts_what_pytorch_accepts),
    cmocka_unit_test(test_activation_forms),
    cmocka_unit_test(test_spec_can_compute),
    cmocka_unit_test(test_derived_names_are_identifiers),
    cmocka_unit_test(test_spec_files),
    cmocka_unit_test(test_params_round_trip),
    cmocka_unit_test(test_api_misuse),
  };
  return cmocka_run_group_tests_name("spec", tests, NULL, NULL);
}
