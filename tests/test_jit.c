/* test_jit.c: specialization at load time (runtime/kernel/kernel.c, runtime/core/spec.c): specs built in C,
 * the in-memory cache of compiled code shared by many threads, the tiered auto backend (switch
 * under concurrent calls, a failed background build), and bound against per-call weights. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "testutil.h"

static ctg_spec *spec_of_layer(const ctg_layer *layer) {
  ctg_spec *spec;
  ctg_error err;
  tu_assert_ok(ctg_spec_from_layer(layer, &spec, &err), &err);
  return spec;
}

static void assert_same_params(const ctg_spec *a, const ctg_spec *b) {
  char ka[1024], kb[1024];
  ctg__params_key(ka, sizeof ka, ctg_spec_params(a));
  ctg__params_key(kb, sizeof kb, ctg_spec_params(b));
  assert_string_equal(ka, kb);
}

/* Random layer data, and the interpreter's output on it. */
typedef struct data {
  size_t nx, nw, nb, ny;
  float *x, *w, *b, *want;
} data;

static data make_data(const ctg_params *p, uint64_t seed) {
  data d;
  d.nx = ctg_params_numel(p, CTG_INPUT), d.nw = ctg_params_numel(p, CTG_WEIGHT);
  d.nb = ctg_params_numel(p, CTG_BIAS), d.ny = ctg_params_numel(p, CTG_OUTPUT);
  d.x = malloc(d.nx * 4 + 4), d.w = malloc(d.nw * 4 + 4), d.b = malloc(d.nb * 4 + 4), d.want = malloc(d.ny * 4 + 4);
  ctg__random_fill(d.x, d.nx, &seed);
  ctg__random_fill(d.w, d.nw, &seed);
  ctg__random_fill(d.b, d.nb, &seed);
  assert_int_equal(ctg_reference(p, d.x, d.w, d.b, d.want, NULL), CTG_OK);
  return d;
}

static void free_data(data *d) { free(d->x), free(d->w), free(d->b), free(d->want); }

/* Every output within float rounding of the interpreter's (the terms are at most 1 in size). */
static int matches(const data *d, const float *y, int terms) {
  for (size_t i = 0; i < d->ny; i++)
    if (!(fabsf(y[i] - d->want[i]) <= 1e-6f * (float)terms + 1e-6f * fabsf(d->want[i]))) return 0;
  return 1;
}

/* --- specs built in C ------------------------------------------------------------------ */

static void test_layer_specs_match_file_specs(void **state) {
  (void)state;
  /* PyTorch's documented non-square example */
  ctg_layer l;
  ctg_layer_init(&l);
  l.in_channels = 16, l.out_channels = 33;
  l.kernel_size[0] = 3, l.kernel_size[1] = 5;
  l.stride[0] = 2, l.stride[1] = 1;
  l.padding[0] = 4, l.padding[1] = 2;
  l.input_rank = 4;
  int shape[4] = { 20, 16, 50, 100 };
  memcpy(l.input_shape, shape, sizeof shape);
  ctg_spec *a = spec_of_layer(&l);
  ctg_spec *b = tu_spec("return {in_channels = 16, out_channels = 33, kernel_size = {3, 5}, stride = {2, 1}, "
                        "padding = {4, 2}, input_shape = {20, 16, 50, 100}}");
  assert_same_params(a, b);
  assert_int_equal(ctg_spec_params(a)->out_h, 93);
  assert_int_equal(ctg_spec_params(a)->out_w, 100);
  assert_int_equal(ctg_spec_params(a)->bias, 1);
  ctg_spec_free(a), ctg_spec_free(b);

  /* output_size resolved to output_padding, as forward(output_size=) does */
  ctg_layer_init(&l);
  l.in_channels = l.out_channels = 16;
  l.kernel_size[0] = l.kernel_size[1] = 3;
  l.stride[0] = l.stride[1] = 2;
  l.padding[0] = l.padding[1] = 1;
  l.input_rank = 4;
  int shape2[4] = { 1, 16, 6, 6 };
  memcpy(l.input_shape, shape2, sizeof shape2);
  l.output_size[0] = l.output_size[1] = 12;
  a = spec_of_layer(&l);
  b = tu_spec("return {in_channels = 16, out_channels = 16, kernel_size = 3, stride = 2, padding = 1, "
              "input_shape = {1, 16, 6, 6}, output_size = {12, 12}}");
  assert_same_params(a, b);
  assert_int_equal(ctg_spec_params(a)->output_padding[0], 1);
  ctg_spec_free(a), ctg_spec_free(b);

  /* unbatched, groups, dilation, no bias, and convtgen's own keys */
  ctg_layer_init(&l);
  l.in_channels = 6, l.out_channels = 4, l.groups = 2, l.bias = 0;
  l.kernel_size[0] = l.kernel_size[1] = 3;
  l.dilation[0] = 2, l.dilation[1] = 1;
  l.output_padding[0] = 1;
  l.stride[0] = 2;
  l.input_rank = 3;
  l.input_shape[0] = 6, l.input_shape[1] = 5, l.input_shape[2] = 7;
  l.name = "my_layer", l.unroll = "none", l.threads = 2, l.dtype = "float32", l.padding_mode = "zeros";
  a = spec_of_layer(&l);
  b = tu_spec("return {in_channels = 6, out_channels = 4, groups = 2, bias = false, kernel_size = 3, "
              "dilation = {2, 1}, output_padding = {1, 0}, stride = {2, 1}, input_shape = {6, 5, 7}, "
              "name = 'my_layer', unroll = 'none', threads = 2, dtype = 'float32', padding_mode = 'zeros'}");
  assert_same_params(a, b);
  ctg_spec_free(a), ctg_spec_free(b);

  /* asymmetric padding: padding is the beginning, padding_end the end */
  l.padding[0] = 1, l.padding[1] = 0, l.padding_end[0] = 2, l.padding_end[1] = 1;
  a = spec_of_layer(&l);
  b = tu_spec("return {in_channels = 6, out_channels = 4, groups = 2, bias = false, kernel_size = 3, "
              "dilation = {2, 1}, output_padding = {1, 0}, stride = {2, 1}, input_shape = {6, 5, 7}, "
              "padding = {1, 0, 2, 1}, name = 'my_layer', unroll = 'none', threads = 2}");
  assert_same_params(a, b);
  assert_int_equal(ctg_spec_params(a)->padding_end[0], 2);
  assert_int_equal(ctg_spec_params(a)->out_h, (5 - 1) * 2 - 1 - 2 + 2 * 2 + 1 + 1);
  ctg_spec_free(a), ctg_spec_free(b);
}

/* A bad layer gets the message a spec file with the same values gets. */
static void test_bad_layers_get_the_spec_messages(void **state) {
  (void)state;
  ctg_layer good;
  ctg_layer_init(&good);
  good.in_channels = 4, good.out_channels = 6;
  good.kernel_size[0] = good.kernel_size[1] = 3;
  good.input_rank = 4;
  good.input_shape[0] = 1, good.input_shape[1] = 4, good.input_shape[2] = 5, good.input_shape[3] = 5;
  const char *base = "in_channels = 4, out_channels = 6, kernel_size = 3, input_shape = {1, 4, 5, 5}";

  for (int i = 0; i < 10; i++) {
    ctg_layer l = good;
    char file[512];
    const char *extra = "";
    switch (i) {
      case 0: l.groups = 4, extra = "groups = 4"; break;
      case 1: l.stride[1] = 0, extra = "stride = {1, 0}"; break;
      case 2: l.padding[0] = -1, extra = "padding = {-1, 0}"; break;
      case 3: l.output_padding[0] = 1, extra = "output_padding = {1, 0}"; break;
      case 4: l.padding_mode = "reflect", extra = "padding_mode = 'reflect'"; break;
      case 5: l.input_shape[1] = 5, extra = "input_shape = {1, 5, 5, 5}"; break;
      case 6: l.name = "for", extra = "name = 'for'"; break;
      case 7: l.dtype = "half", extra = "dtype = 'half'"; break;
      case 8: l.output_size[0] = l.output_size[1] = 9, extra = "output_size = {9, 9}"; break;
      case 9: l.padding_end[0] = 0, l.padding_end[1] = -2, extra = "padding = {0, 0, 0, -2}"; break;
    }
    /* a later key in the table replaces the base's */
    snprintf(file, sizeof file, "return (function() local t = {%s}; for k, v in pairs({%s}) do t[k] = v end; return t end)()",
             base, extra);
    ctg_spec *spec = NULL;
    ctg_error from_layer, from_file;
    assert_int_equal(ctg_spec_from_layer(&l, &spec, &from_layer), CTG_ERR_SPEC);
    assert_null(spec);
    assert_int_equal(ctg_spec_from_string(file, "t.lua", &spec, &from_file), CTG_ERR_SPEC);
    assert_true(strncmp(from_layer.message, "layer: ", 7) == 0);
    assert_true(strncmp(from_file.message, "t.lua: ", 7) == 0);
    assert_string_equal(from_layer.message + 7, from_file.message + 7);
  }

  ctg_layer l = good;
  l.input_rank = 0; /* never set */
  ctg_spec *spec = NULL;
  ctg_error err;
  assert_int_equal(ctg_spec_from_layer(&l, &spec, &err), CTG_ERR_SPEC);
  assert_string_equal(err.message, "layer: input_shape: is required ({N, C, H, W} or {C, H, W})");
  l.input_rank = 5;
  assert_int_equal(ctg_spec_from_layer(&l, &spec, &err), CTG_ERR_SPEC);
  assert_contains(err.message, "input_rank");
  ctg_layer_init(&l); /* nothing set: the first required key is named */
  assert_int_equal(ctg_spec_from_layer(&l, &spec, &err), CTG_ERR_SPEC);
  assert_string_equal(err.message, "layer: in_channels: must be a positive integer, got 0");
  assert_int_equal(ctg_spec_from_layer(NULL, &spec, &err), CTG_ERR_ARG);
}

/* --- the in-memory cache --------------------------------------------------------------- */

static void test_cache_hit_shares_the_compiled_code(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {name = 'shared', in_channels = 8, out_channels = 8, kernel_size = 4, "
                           "stride = 2, padding = 1, input_shape = {1, 8, 6, 6}}");
  ctg_options tcc = { CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
  ctg_kernel *k1, *k2, *k3, *k4;
  ctg_error err;
  assert_int_equal(ctg_compile(spec, &tcc, &k1, &err), CTG_OK);
  assert_int_equal(ctg_compile(spec, &tcc, &k2, &err), CTG_OK);
  assert_ptr_not_equal(k1, k2);                                  /* a handle each ... */
  assert_ptr_equal(ctg_kernel_source(k1), ctg_kernel_source(k2)); /* ... on one compiled code */
  printf("  first compile %.3f ms, second %.4f ms\n", ctg_kernel_compile_ms(k1), ctg_kernel_compile_ms(k2));
  assert_true(ctg_kernel_compile_ms(k2) < ctg_kernel_compile_ms(k1) / 10);
  assert_true(ctg_kernel_tier_ms(k2, CTG_BACKEND_TCC) >= ctg_kernel_compile_ms(k2));

  /* other options are other code */
  ctg_options threads = { CTG_BACKEND_TCC, NULL, NULL, 2, 0 };
  assert_int_equal(ctg_compile(spec, &threads, &k3, &err), CTG_OK);
  assert_ptr_not_equal(ctg_kernel_source(k1), ctg_kernel_source(k3));

  /* the code lives while a handle does; the last one frees it, and a new compile builds anew */
  ctg_kernel_free(k1);
  ctg_check_result r;
  assert_int_equal(ctg_check(k2, 1, &r, &err), CTG_OK);
  assert_true(r.passed);
  ctg_kernel_free(k2);
  assert_int_equal(ctg_compile(spec, &tcc, &k4, &err), CTG_OK);
  assert_true(ctg_kernel_compile_ms(k4) > ctg_kernel_compile_ms(k3) / 100);
  assert_int_equal(ctg_check(k4, 2, &r, &err), CTG_OK);
  assert_true(r.passed);
  ctg_kernel_free(k3), ctg_kernel_free(k4);
  ctg_spec_free(spec);
}

/* Two handles on one code keep their own weights: two same-shaped layers of one model. */
static void test_handles_keep_their_own_weights(void **state) {
  (void)state;
  ctg_spec *spec = tu_spec("return {name = 'twins', in_channels = 5, out_channels = 7, kernel_size = 3, "
                           "stride = 2, input_shape = {2, 5, 4, 6}}");
  const ctg_params *p = ctg_spec_params(spec);
  data d1 = make_data(p, 1), d2 = make_data(p, 2);
  ctg_kernel *a, *b;
  ctg_error err;
  assert_int_equal(ctg_compile(spec, NULL, &a, &err), CTG_OK);
  assert_int_equal(ctg_compile(spec, NULL, &b, &err), CTG_OK);
  assert_ptr_equal(ctg_kernel_source(a), ctg_kernel_source(b));
  assert_int_equal(ctg_kernel_bind_weights(a, d1.w, d1.b, &err), CTG_OK);
  assert_int_equal(ctg_kernel_bind_weights(b, d2.w, d2.b, &err), CTG_OK);
  float *y = malloc(d1.ny * 4);
  assert_int_equal(ctg_kernel_run(a, ctg_kernel_params(a)->batch, d1.x, NULL, NULL, y, &err), CTG_OK);
  assert_true(matches(&d1, y, 5 * 9));
  assert_int_equal(ctg_kernel_run(b, ctg_kernel_params(b)->batch, d2.x, NULL, NULL, y, &err), CTG_OK);
  assert_true(matches(&d2, y, 5 * 9));
  free(y);
  free_data(&d1), free_data(&d2);
  ctg_kernel_free(a), ctg_kernel_free(b);
  ctg_spec_free(spec);
}

/* 8 threads compile overlapping sets of layers at once: every kernel is right, and each layer
 * was compiled once, its code shared by every thread that asked for it. */
#define POOL 6
#define PER_THREAD 4
static ctg_spec *pool[POOL];
typedef struct worker {
  int id, ok;
  ctg_kernel *kernels[PER_THREAD];
  int which[PER_THREAD];
} worker;

static void *compile_worker(void *arg) {
  worker *w = arg;
  w->ok = 1;
  ctg_options auto_opts = { CTG_BACKEND_TCC, NULL, NULL, 0, 0 };
  for (int i = 0; i < PER_THREAD; i++) {
    int s = (w->id + i) % POOL;
    ctg_check_result r;
    w->which[i] = s;
    w->ok &= ctg_compile(pool[s], &auto_opts, &w->kernels[i], NULL) == CTG_OK &&
             ctg_check(w->kernels[i], (uint64_t)w->id, &r, NULL) == CTG_OK && r.passed;
  }
  return NULL;
}

static void test_eight_threads_compile_overlapping_layers(void **state) {
  (void)state;
  for (int s = 0; s < POOL; s++) {
    char src[400];
    snprintf(src, sizeof src, "return {name = 'pool%d', in_channels = %d, out_channels = %d, kernel_size = %d, "
             "stride = %d, padding = 1, input_shape = {1, %d, 5, 4}}", s, 3 + s, 2 + s, 3 + s % 2, 1 + s % 3, 3 + s);
    pool[s] = tu_spec(src);
  }
  worker w[8];
  pthread_t t[8];
  for (int i = 0; i < 8; i++) {
    w[i].id = i;
    assert_int_equal(pthread_create(&t[i], NULL, compile_worker, &w[i]), 0);
  }
  for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
  const char *code_of[POOL] = { 0 };
  for (int i = 0; i < 8; i++) {
    assert_true(w[i].ok);
    for (int j = 0; j < PER_THREAD; j++) {
      const char *src = ctg_kernel_source(w[i].kernels[j]);
      int s = w[i].which[j];
      if (!code_of[s]) code_of[s] = src;
      assert_ptr_equal(code_of[s], src); /* one compiled code per layer */
    }
  }
  for (int s = 0; s < POOL; s++)
    for (int u = s + 1; u < POOL; u++) assert_ptr_not_equal(code_of[s], code_of[u]);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < PER_THREAD; j++) ctg_kernel_free(w[i].kernels[j]);
  for (int s = 0; s < POOL; s++) ctg_spec_free(pool[s]);
}

/* A failed build is reported to every thread that waited for it, and not kept: a later compile
 * tries again. */
static void test_failed_build_is_not_cached(void **state) {
  (void)state;
  char *cache = tu_use_cache("fail-cache");
  ctg_spec *spec = tu_spec("return {name = 'nobuild', in_channels = 2, out_channels = 2, kernel_size = 2, "
                           "input_shape = {1, 2, 3, 3}}");
  ctg_options bad = { CTG_BACKEND_CC, NULL, "-shared -fPIC --no-such-flag-for-convtgen", 0, 0 };
  ctg_kernel *k = NULL;
  ctg_error err;
  for (int i = 0; i < 2; i++) {
    assert_int_not_equal(ctg_compile(spec, &bad, &k, &err), CTG_OK);
    assert_null(k);
    assert_contains(err.message, "--no-such-flag-for-convtgen");
  }
  ctg_spec_free(spec);
  free(cache);
}

/* --- tiers ----------------------------------------------------------------------------- */

typedef struct caller {
  ctg_kernel *k;
  const data *d;
  int terms;
  volatile int *stop;
  int wrong, errors;
  long on_early, on_final;
} caller;

static long cc_calls; /* calls that ran wholly on the cc tier, all callers */

static void *call_repeatedly(void *arg) {
  caller *c = arg;
  float *y = malloc(c->d->ny * 4);
  while (!__atomic_load_n(c->stop, __ATOMIC_ACQUIRE)) {
    ctg_backend before = ctg_kernel_tier(c->k);
    for (size_t i = 0; i < c->d->ny; i++) y[i] = NAN;
    if (ctg_kernel_run(c->k, ctg_kernel_params(c->k)->batch, c->d->x, NULL, NULL, y, NULL) != CTG_OK) c->errors++;
    ctg_backend after = ctg_kernel_tier(c->k);
    if (!matches(c->d, y, c->terms)) c->wrong++;
    if (after == CTG_BACKEND_TCC) c->on_early++;
    if (before == CTG_BACKEND_CC) {
      c->on_final++;
      __atomic_add_fetch(&cc_calls, 1, __ATOMIC_RELAXED);
    }
  }
  free(y);
  return NULL;
}

static void test_tier_switch_under_concurrent_calls(void **state) {
  (void)state;
  char *cache = tu_use_cache("tier-cache");
  ctg_spec *spec = tu_spec("return {name = 'tiered', in_channels = 32, out_channels = 24, kernel_size = 4, "
                           "stride = 2, padding = 1, input_shape = {1, 32, 6, 6}}");
  const ctg_params *p = ctg_spec_params(spec);
  data d = make_data(p, 7);
  ctg_options opts = { CTG_BACKEND_AUTO, NULL, NULL, 0, 0 };
  ctg_kernel *k;
  ctg_error err;
  assert_int_equal(ctg_compile(spec, &opts, &k, &err), CTG_OK);
  assert_int_equal(ctg_kernel_tier(k), CTG_BACKEND_TCC); /* usable at once */
  assert_true(ctg_kernel_tier_ms(k, CTG_BACKEND_TCC) >= 0);
  assert_int_equal(ctg_kernel_bind_weights(k, d.w, d.b, &err), CTG_OK);

  volatile int stop = 0;
  caller c[4];
  pthread_t t[4];
  for (int i = 0; i < 4; i++) {
    c[i] = (caller){ k, &d, 32 * 4, &stop, 0, 0, 0, 0 };
    assert_int_equal(pthread_create(&t[i], NULL, call_repeatedly, &c[i]), 0);
  }
  assert_int_equal(ctg_kernel_wait(k, &err), CTG_OK);
  assert_int_equal(ctg_kernel_tier(k), CTG_BACKEND_CC);
  while (__atomic_load_n(&cc_calls, __ATOMIC_RELAXED) < 40) nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
  __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
  long early = 0, final = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(c[i].errors, 0);
    assert_int_equal(c[i].wrong, 0);
    early += c[i].on_early, final += c[i].on_final;
  }
  printf("  tcc tier %.1f ms, cc tier %.0f ms in the background; %ld calls on tcc, %ld on cc, all correct\n",
         ctg_kernel_tier_ms(k, CTG_BACKEND_TCC), ctg_kernel_tier_ms(k, CTG_BACKEND_CC), early, final);
  assert_true(early > 0);
  assert_true(final >= 40);
  assert_true(ctg_kernel_tier_ms(k, CTG_BACKEND_CC) > 0);
  ctg_kernel_free(k);

  /* seen before: the cc tier comes straight from the disk cache, with no early tier */
  assert_int_equal(ctg_compile(spec, &opts, &k, &err), CTG_OK);
  assert_int_equal(ctg_kernel_tier(k), CTG_BACKEND_CC);
  assert_true(ctg_kernel_tier_ms(k, CTG_BACKEND_TCC) < 0);
  assert_int_equal(ctg_kernel_wait(k, &err), CTG_OK);
  ctg_check_result r;
  assert_int_equal(ctg_check(k, 3, &r, &err), CTG_OK);
  assert_true(r.passed);
  ctg_kernel_free(k);
  free_data(&d);
  ctg_spec_free(spec);
  free(cache);
}

static void test_background_failure_keeps_the_early_tier(void **state) {
  (void)state;
  char *cache = tu_use_cache("bgfail-cache");
  ctg_spec *spec = tu_spec("return {name = 'bgfail', in_channels = 6, out_channels = 5, kernel_size = {3, 2}, "
                           "stride = 2, input_shape = {2, 6, 4, 5}}");
  data d = make_data(ctg_spec_params(spec), 3);
  ctg_options opts = { CTG_BACKEND_AUTO, NULL, "-shared -fPIC --no-such-flag-for-convtgen", 0, 0 };
  ctg_kernel *k;
  ctg_error err;
  assert_int_equal(ctg_compile(spec, &opts, &k, &err), CTG_OK);
  assert_int_equal(ctg_kernel_bind_weights(k, d.w, d.b, &err), CTG_OK);
  assert_int_not_equal(ctg_kernel_wait(k, &err), CTG_OK);
  assert_contains(err.message, "backend 'cc'");
  assert_contains(err.message, "--no-such-flag-for-convtgen");
  ctg_error again;
  assert_int_equal(ctg_kernel_wait(k, &again), err.status); /* the error stays retrievable */
  assert_string_equal(again.message, err.message);
  assert_int_equal(ctg_kernel_tier(k), CTG_BACKEND_TCC);
  assert_true(ctg_kernel_tier_ms(k, CTG_BACKEND_CC) < 0);
  float *y = malloc(d.ny * 4);
  assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, d.x, NULL, NULL, y, &err), CTG_OK);
  assert_true(matches(&d, y, 6 * 6));
  free(y);
  ctg_kernel_free(k);
  free_data(&d);
  ctg_spec_free(spec);
  free(cache);
}

/* ctg_kernel_run on bound weights gives exactly what ctg_kernel_forward gives, every backend. */
static void test_bound_weights_match_per_call_weights(void **state) {
  (void)state;
  char *cache = tu_use_cache("bound-cache");
  const char *layers[] = {
    "return {name = 'bound_packed', in_channels = 16, out_channels = 32, kernel_size = 4, stride = 2, "
    "padding = 1, input_shape = {2, 16, 5, 5}}",
    "return {name = 'bound_small', in_channels = 3, out_channels = 2, kernel_size = 3, stride = 2, "
    "output_padding = 1, input_shape = {3, 7, 5}}",
  };
  ctg_backend backends[] = { CTG_BACKEND_INTERP, CTG_BACKEND_TCC, CTG_BACKEND_CC, CTG_BACKEND_AUTO };
  for (int l = 0; l < 2; l++) {
    ctg_spec *spec = tu_spec(layers[l]);
    data d = make_data(ctg_spec_params(spec), (uint64_t)l + 20);
    float *y1 = malloc(d.ny * 4), *y2 = malloc(d.ny * 4);
    for (int b = 0; b < 4; b++) {
      ctg_options opts = { backends[b], NULL, NULL, 0, 0 };
      ctg_kernel *k;
      ctg_error err;
      assert_int_equal(ctg_compile(spec, &opts, &k, &err), CTG_OK);
      if (backends[b] == CTG_BACKEND_AUTO) assert_int_equal(ctg_kernel_wait(k, &err), CTG_OK);
      assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, d.x, d.w, d.b, y1, &err), CTG_OK);
      assert_int_equal(ctg_kernel_bind_weights(k, d.w, d.b, &err), CTG_OK);
      assert_int_equal(ctg_kernel_run(k, ctg_kernel_params(k)->batch, d.x, NULL, NULL, y2, &err), CTG_OK);
      assert_memory_equal(y1, y2, d.ny * 4);
      assert_true(matches(&d, y2, 16 * 4));
      ctg_kernel_free(k);
    }
    free(y1), free(y2);
    free_data(&d);
    ctg_spec_free(spec);
  }
  free(cache);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_layer_specs_match_file_specs),
    cmocka_unit_test(test_bad_layers_get_the_spec_messages),
    cmocka_unit_test(test_cache_hit_shares_the_compiled_code),
    cmocka_unit_test(test_handles_keep_their_own_weights),
    cmocka_unit_test(test_eight_threads_compile_overlapping_layers),
    cmocka_unit_test(test_failed_build_is_not_cached),
    cmocka_unit_test(test_tier_switch_under_concurrent_calls),
    cmocka_unit_test(test_background_failure_keeps_the_early_tier),
    cmocka_unit_test(test_bound_weights_match_per_call_weights),
  };
  return cmocka_run_group_tests(tests, tu_setup_dir, tu_teardown_dir);
}
