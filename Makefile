# convtgen: one hand-written makefile. `make`, `make test`, `make test-asan`, `make demo`,
# `make install PREFIX=/usr/local DESTDIR=`.  Missing Debian packages are installed first
# (tools/ensure-deps.sh), so each target works as the first command on a fresh machine.

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
CFLAGS  ?= -O2 -g
SAN     ?=

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wold-style-definition -Wpointer-arith -Wcast-qual -Wwrite-strings -Wvla \
       -Wformat=2 -Wundef -Wno-format-nonliteral

ifneq ($(SAN),)
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

# Deferred (=) on purpose: pkg-config runs only after ensure-deps has installed it.
DEP_CFLAGS = $(shell pkg-config --cflags lua5.4)
DEP_LIBS   = -ltcc $(shell pkg-config --libs lua5.4 libprotobuf-c) -lm -ldl -lpthread
SO_LIBS    = $(shell pkg-config --libs lua5.4 libprotobuf-c) -lm -ldl -lpthread
# The ONNX schema Debian's libonnx-dev installs; protoc-c compiles it at build time.
ONNX_PROTO ?= /usr/include/onnx/onnx.proto
TEST_LIBS  = $(shell pkg-config --libs cmocka)

ALL_CFLAGS = -std=c99 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $(SANFLAGS) -fPIC \
             -Iruntime -I$(BUILD)/gen $(DEP_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

# runtime/ by job, each folder calling only those above it: core (spec -> plan -> source, and
# the interpreter), store (the disk cache), backends, kernel (handles, shared code, tiers),
# tools (check, .npy, ONNX, BatchNorm folding, benchmark suites). The CLI (cli/) is outside the library.
CORE_SRC     = runtime/core/error.c runtime/core/machine.c runtime/core/files.c runtime/core/sha256.c \
               runtime/core/params.c runtime/core/spec.c runtime/core/lua_host.c runtime/core/generate.c \
               runtime/core/reference.c runtime/core/half.c
STORE_SRC    = runtime/store/cache.c
BACKENDS_SRC = runtime/backends/backends.c runtime/backends/backend_interp.c runtime/backends/backend_native.c \
               runtime/backends/backend_cc.c runtime/backends/backend_nvrtc.c
KERNEL_SRC   = runtime/kernel/kernel.c runtime/kernel/code_cache.c runtime/kernel/tiers.c
TOOLS_SRC    = runtime/tools/check.c runtime/tools/npy.c runtime/tools/onnx.c runtime/tools/batchnorm.c \
               runtime/tools/suite.c
LIB_SRC  = $(CORE_SRC) $(STORE_SRC) $(BACKENDS_SRC) $(KERNEL_SRC) $(TOOLS_SRC)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o $(BUILD)/gen/onnx.pb-c.o
# Debian's libtcc.a is not PIC: only the static library and the programs carry libtcc.
STATIC_OBJ = $(LIB_OBJ) $(BUILD)/runtime/backends/backend_tcc.o
SHARED_OBJ = $(LIB_OBJ) $(BUILD)/runtime/backends/backend_tcc_nolibtcc.o
EMBEDDED = $(sort $(wildcard generator/*.lua generator/shapes/*.lua)) $(sort $(wildcard templates/*.in))
TESTS    = test_spec test_reference test_npy test_cli test_kernel test_jit test_dtype test_generate test_aot test_sweep test_cc test_hostile test_onnx test_int8 test_cuda test_cuda_double test_docs test_layout
TEST_BIN = $(TESTS:%=$(BUILD)/tests/%)
DEPS_OK  = $(BUILD)/.deps-ok
SCHEMA_H = $(BUILD)/gen/spec_schema.h
CUDA_DOUBLE_DIR = $(BUILD)/cuda_double
CUDA_DOUBLE = $(CUDA_DOUBLE_DIR)/libcuda.so.1 $(CUDA_DOUBLE_DIR)/libnvrtc.so.12


.PHONY: all gpu-libs test onnx-models tflm-cases test-asan fuzz fuzz-deps test-firmware test-arm firmware-report bench onednn3 demo example example-valgrind golden install uninstall clean deps
all: $(BUILD)/libconvtgen.a $(BUILD)/libconvtgen.so $(BUILD)/convtgen $(CUDA_DOUBLE)

deps: $(DEPS_OK)
$(DEPS_OK): tools/ensure-deps.sh
	@mkdir -p $(@D)
	@sh tools/ensure-deps.sh
	@touch $@

$(BUILD)/%.o: %.c | $(DEPS_OK) $(SCHEMA_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# generator/schema.lua's keys and fields as the C lists internal.h includes (SCHEMA_H)
$(BUILD)/schema_h: tools/schema_h.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) -std=c99 -O1 $(WARN) $(DEP_CFLAGS) $< $(shell pkg-config --libs lua5.4) -lm -o $@

$(SCHEMA_H): $(BUILD)/schema_h generator/schema.lua
	@mkdir -p $(@D)
	$(BUILD)/schema_h generator/schema.lua $@

$(BUILD)/embed: tools/embed.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) -std=c99 -O1 $(WARN) $< -o $@

$(BUILD)/gen/embedded.c: $(BUILD)/embed $(EMBEDDED)
	@mkdir -p $(@D)
	$(BUILD)/embed $@ $(EMBEDDED)

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c | $(SCHEMA_H)
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

# The schema comes with libonnx-dev, so it exists only once ensure-deps has run (make -j on a
# fresh machine would otherwise look for it first).
$(ONNX_PROTO): | $(DEPS_OK)
	@test -f $@ || { echo "convtgen: $@ is missing (Debian's libonnx-dev installs it)" >&2; exit 1; }

$(BUILD)/gen/onnx.pb-c.c $(BUILD)/gen/onnx.pb-c.h &: $(ONNX_PROTO) | $(DEPS_OK)
	@mkdir -p $(@D)
	protoc-c --proto_path=$(dir $(ONNX_PROTO)) --c_out=$(BUILD)/gen $(notdir $(ONNX_PROTO))

# protoc-c's output is not ours: compiled without the project's warnings
$(BUILD)/gen/onnx.pb-c.o: $(BUILD)/gen/onnx.pb-c.c
	$(CC) -std=c99 $(CFLAGS) $(SANFLAGS) -fPIC $(shell pkg-config --cflags libprotobuf-c) -c $< -o $@

$(BUILD)/runtime/tools/onnx.o: runtime/tools/onnx.c $(BUILD)/gen/onnx.pb-c.h | $(DEPS_OK) $(SCHEMA_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -isystem $(BUILD)/gen $(shell pkg-config --cflags libprotobuf-c) -c $< -o $@

# The CPU double of the CUDA driver and NVRTC (tools/cuda_double): what the nvrtc backend loads
# with CONVTGEN_CUDA_DOUBLE=1, named as the real libraries. Never sanitized: it switches stacks
# and catches a kernel's faults, and only runs generated code.
$(CUDA_DOUBLE_DIR)/libcuda.so.1: tools/cuda_double/cuda_double.c tools/cuda_double/cuda_double.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) -std=c99 $(WARN) -Wno-missing-prototypes -O2 -g -fPIC -shared -fvisibility=hidden -Wl,-soname,libcuda.so.1 $< -ldl -lpthread -o $@
$(CUDA_DOUBLE_DIR)/libnvrtc.so.12: tools/cuda_double/nvrtc_double.c tools/cuda_double/cuda_double.h | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) -std=c99 $(WARN) -Wno-missing-prototypes -O2 -g -fPIC -shared -fvisibility=hidden -Wl,-soname,libnvrtc.so.12 $< -o $@

$(BUILD)/runtime/backends/backend_nvrtc.o: runtime/backends/backend_nvrtc.c | $(DEPS_OK) $(SCHEMA_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DCTG_CUDA_DOUBLE_DIR='"$(abspath $(CUDA_DOUBLE_DIR))"' -c $< -o $@

$(BUILD)/runtime/backends/backend_tcc.o: runtime/backends/backend_tcc.c | $(DEPS_OK) $(SCHEMA_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DCTG_HAVE_LIBTCC -c $< -o $@

$(BUILD)/runtime/backends/backend_tcc_nolibtcc.o: runtime/backends/backend_tcc.c | $(DEPS_OK) $(SCHEMA_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libconvtgen.a: $(STATIC_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libconvtgen.so: $(SHARED_OBJ)
	$(CC) -shared $(ALL_LDFLAGS) -Wl,-soname,libconvtgen.so.1 $^ $(SO_LIBS) -o $@

$(BUILD)/convtgen: $(BUILD)/cli/cli.o $(BUILD)/libconvtgen.a
	$(CC) $(ALL_LDFLAGS) $^ $(DEP_LIBS) -o $@

# --- tests ------------------------------------------------------------------------------
$(BUILD)/tests/%.o: tests/%.c | $(DEPS_OK) $(SCHEMA_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -DCTG_TEST_CLI='"$(abspath $(BUILD))/convtgen"' \
	  -DCTG_TEST_ROOT='"$(abspath .)"' -DCTG_FIRMWARE_DIR='"$(abspath $(BUILD))/firmware"' \
	  -DCTG_ONNX_DIR='"$(abspath $(BUILD))/onnx-models"' -DCTG_TFLM_DIR='"$(abspath $(BUILD))/tflm-cases"' \
	  -c $< -o $@

# test_onnx builds hostile models itself, with the schema's protobuf-c code
$(BUILD)/tests/test_onnx.o: tests/test_onnx.c $(BUILD)/gen/onnx.pb-c.h | $(DEPS_OK) $(SCHEMA_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -isystem $(BUILD)/gen $(shell pkg-config --cflags libprotobuf-c) \
	  -DCTG_TEST_ROOT='"$(abspath .)"' -DCTG_ONNX_DIR='"$(abspath $(BUILD))/onnx-models"' -c $< -o $@

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/testutil.o $(BUILD)/tests/sweep_configs.o \
                  $(BUILD)/libconvtgen.a
	$(CC) $(ALL_LDFLAGS) $^ $(TEST_LIBS) $(DEP_LIBS) -o $@

# Under the sanitizers, LeakSanitizer's exit-time scan crashes on a dynamic-TLS entry that
# libnvrtc leaves behind ("DTLS ... at 0x...e02", "Tracer caught signal 11"): test_cuda keeps
# AddressSanitizer and UBSan but runs without the leak scan. Every other suite keeps it.
CUDA_TEST_ENV = $(if $(SAN),ASAN_OPTIONS=detect_leaks=0)

# test_onnx's oracle: ONNX Runtime and the onnx helper from PyPI in a virtual environment under
# build/ (over Debian's numpy and PyTorch, which exports the DCGAN model), made when missing.
ONNX_TEST_PACKAGES = python3-venv python3-numpy python3-torch
# The oracles' virtual environments live outside the checkout, made once and reused by every
# build folder (build/, build/asan/) and every clone: installing them is minutes of PyPI.
VENVS ?= $(if $(HOME),$(HOME)/.cache/convtgen-venvs,$(abspath $(BUILD)))
ONNX_VENV = $(VENVS)/onnx-venv
$(ONNX_VENV)/.ok:
	@CONVTGEN_EXTRA_PACKAGES="$(ONNX_TEST_PACKAGES)" sh tools/ensure-deps.sh
	/usr/bin/python3 -m venv --system-site-packages $(ONNX_VENV)
	$(ONNX_VENV)/bin/pip install -q --disable-pip-version-check "numpy<2" "onnx>=1.14" "onnxruntime>=1.13"
	@touch $@
$(BUILD)/onnx-models/models.tsv: tests/onnx/make_models.py examples/dcgan_export.py $(ONNX_VENV)/.ok
	@rm -rf $(@D) $(@D).tmp
	$(ONNX_VENV)/bin/python tests/onnx/make_models.py $(@D).tmp
	$(ONNX_VENV)/bin/python examples/dcgan_export.py $(@D).tmp/dcgan
	@mv $(@D).tmp $(@D)
onnx-models: $(BUILD)/onnx-models/models.tsv

# test_int8's oracle: TensorFlow Lite Micro's own interpreter (PyPI tflite-micro, which ships
# TFLite's flatbuffer schema) in a virtual environment under build/, made when missing; 1,000
# random int8 layers and TFLM's outputs for them.
TFLM_VENV = $(VENVS)/tflm-venv
TFLM_CASES = 1000
$(TFLM_VENV)/.ok:
	@CONVTGEN_EXTRA_PACKAGES="python3-venv python3-numpy" sh tools/ensure-deps.sh
	/usr/bin/python3 -m venv --system-site-packages $(TFLM_VENV)
	$(TFLM_VENV)/bin/pip install -q --disable-pip-version-check "numpy<2" tflite-micro flatbuffers
	@touch $@
$(BUILD)/tflm-cases/cases.tsv: tests/tflm/make_cases.py tests/tflm/tflm_model.py $(TFLM_VENV)/.ok
	@rm -rf $(@D) $(@D).tmp
	$(TFLM_VENV)/bin/python tests/tflm/make_cases.py $(@D).tmp $(TFLM_CASES) 16
	@mv $(@D).tmp $(@D)
tflm-cases: $(BUILD)/tflm-cases/cases.tsv

# The suites run TEST_JOBS at a time (tests/run_suites.sh), each with a fresh kernel cache under a
# private folder in /tmp: the cache is used only on a way no other user can change
# (docs/library.md), which a checkout's own folders may not be. The user's own is never touched.
TEST_JOBS ?= 2
test: all $(TEST_BIN) $(CUDA_DOUBLE) $(BUILD)/examples/demo_data onnx-models tflm-cases
	@caches=$$(mktemp -d /tmp/convtgen-test-caches.XXXXXX); \
	 CUDA_TEST_ENV="$(CUDA_TEST_ENV)" sh tests/run_suites.sh "$$caches" $(TEST_JOBS) $(TEST_BIN); failed=$$?; \
	 rm -rf "$$caches"; \
	 if [ $$failed -ne 0 ]; then echo "make test: FAILED"; exit 1; fi; echo "make test: all suites passed"

# The committed generated code that test_generate compares against: review its diff, then update.
GOLDEN = tiny_mcu tiny_mcu_small dcgan_g2
golden: $(BUILD)/convtgen
	@mkdir -p tests/golden
	@for g in $(GOLDEN); do $(BUILD)/convtgen gen examples/$$g.lua -o tests/golden || exit 1; done
	@$(BUILD)/convtgen gen examples/tiny_mcu.lua --target cuda -o tests/golden

# Firmware: baked-weight kernels cross-compiled for a Cortex-M4F and run under QEMU.
FIRMWARE_PACKAGES = gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
test-firmware: all $(BUILD)/tests/test_firmware
	@CONVTGEN_EXTRA_PACKAGES="$(FIRMWARE_PACKAGES)" sh tools/ensure-deps.sh
	$(BUILD)/tests/test_firmware

# The NEON kernels on AArch64 without ARM hardware: cross-compiled and run under qemu-aarch64.
ARM_PACKAGES = gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
test-arm: all $(BUILD)/tests/test_arm
	@CONVTGEN_EXTRA_PACKAGES="$(ARM_PACKAGES)" sh tools/ensure-deps.sh
	$(BUILD)/tests/test_arm

# Flash, stack and exact instruction counts of the images test-firmware left in build/firmware.
firmware-report: test-firmware
	sh bench/firmware_report.sh $(BUILD)/firmware bench/results/firmware.md

# The public suite through interp, tcc and cc, and oneDNN and PyTorch where installed.
# the anchors make bench measures against: oneDNN 2.x and XNNPACK (Debian's), and oneDNN 3.x
# from PyPI (onednn, onednn-devel: about 2 GB with its SYCL runtime) in a virtual environment
# outside the clone, installed once by `make onednn3` and reused
BENCH_PACKAGES = libdnnl-dev libxnnpack-dev libpthreadpool-dev python3-venv
ONEDNN3_VENV ?= $(HOME)/.cache/convtgen-bench/onednn3
onednn3:
	@CONVTGEN_EXTRA_PACKAGES="python3-venv" sh tools/ensure-deps.sh
	@test -f $(ONEDNN3_VENV)/include/oneapi/dnnl/dnnl.h || { \
	  echo "onednn3: installing PyPI onednn and onednn-devel into $(ONEDNN3_VENV)"; \
	  /usr/bin/python3 -m venv $(ONEDNN3_VENV) && $(ONEDNN3_VENV)/bin/pip install --quiet onednn onednn-devel; }
bench: all onednn3
	@CONVTGEN_EXTRA_PACKAGES="$(BENCH_PACKAGES)" sh tools/ensure-deps.sh
	ONEDNN3_VENV=$(ONEDNN3_VENV) sh bench/run.sh $(BUILD)/convtgen

test-asan:
	$(MAKE) BUILD=build/asan SAN=1 CFLAGS="-O1 -g" test

# What a lent GPU machine lacks of ours (tools/gpu_check.sh): the shared libraries the CLI and the
# CUDA suites load, unpacked from Debian's packages into build/gpu-libs (carried with build/).
GPU_LIB_PACKAGES = liblua5.4-0 libprotobuf-c1 libcmocka0
gpu-libs: $(BUILD)/gpu-libs/.ok
$(BUILD)/gpu-libs/.ok:
	@rm -rf $(@D) && mkdir -p $(@D)/deb
	cd $(@D)/deb && apt-get download $(GPU_LIB_PACKAGES)
	for d in $(@D)/deb/*.deb; do dpkg -x $$d $(@D)/root || exit 1; done
	cp -a $(@D)/root/usr/lib/x86_64-linux-gnu/*.so* $(@D)/
	rm -rf $(@D)/deb $(@D)/root
	@touch $@

# --- demo: a documented PyTorch layer planned, generated, JIT-compiled and checked ---------
DEMO = $(BUILD)/demo
demo: all $(BUILD)/examples/demo_data
	@mkdir -p $(DEMO)
	@echo '$$ convtgen info examples/seed_3x5.lua'
	@$(BUILD)/convtgen info examples/seed_3x5.lua
	@echo
	@echo '$$ convtgen check examples/seed_3x5.lua --backend tcc'
	@$(BUILD)/convtgen check examples/seed_3x5.lua --backend tcc
	@echo
	@echo '$$ convtgen gen examples/seed_3x5.lua --target c -o $(DEMO)'
	@$(BUILD)/convtgen gen examples/seed_3x5.lua --target c -o $(DEMO)
	@$(BUILD)/examples/demo_data write $(DEMO)
	@echo
	@echo '$$ convtgen run examples/pytorch_doc.lua --input x.npy --weight w.npy --bias b.npy --output y.npy --backend tcc'
	@$(BUILD)/convtgen run examples/pytorch_doc.lua --input $(DEMO)/x.npy --weight $(DEMO)/w.npy \
	   --bias $(DEMO)/b.npy --output $(DEMO)/y.npy --backend tcc
	@$(BUILD)/examples/demo_data show $(DEMO)/y.npy
	@$(BUILD)/examples/demo_data write-complex $(DEMO)
	@echo
	@echo '$$ convtgen run examples/complex_tutorial.lua --input cx.npy --weight cw.npy --bias cb.npy --output cy.npy --backend tcc'
	@$(BUILD)/convtgen run examples/complex_tutorial.lua --input $(DEMO)/cx.npy --weight $(DEMO)/cw.npy \
	   --bias $(DEMO)/cb.npy --output $(DEMO)/cy.npy --backend tcc
	@$(BUILD)/examples/demo_data show-complex $(DEMO)/cy.npy

$(BUILD)/examples/%: $(BUILD)/examples/%.o $(BUILD)/libconvtgen.a
	$(CC) $(ALL_LDFLAGS) $^ $(DEP_LIBS) -o $@

# --- example: a DCGAN generator specialized at load time through the C API -----------------
# Run twice on an empty kernel cache: the first load shows the tiers (tcc at once, cc in the
# background), the second shows a model seen before (cc straight from the disk cache).
EXAMPLE = $(BUILD)/example
example: all $(BUILD)/examples/dcgan_generator $(BUILD)/examples/load_time
	@CONVTGEN_EXTRA_PACKAGES=python3 sh tools/ensure-deps.sh
	@echo '$$ load_time    # the README'"'"'s load-time example'
	@CONVTGEN_CACHE_DIR=$(abspath $(EXAMPLE))/cache $(BUILD)/examples/load_time
	@rm -rf $(EXAMPLE)/cache
	@python3 examples/dcgan_weights.py $(EXAMPLE)/weights --batch 8
	@echo '$$ dcgan_generator weights    # first run: empty kernel cache'
	@CONVTGEN_CACHE_DIR=$(abspath $(EXAMPLE))/cache $(BUILD)/examples/dcgan_generator $(EXAMPLE)/weights
	@echo '$$ dcgan_generator weights    # second run: the kernels are in the disk cache'
	@CONVTGEN_CACHE_DIR=$(abspath $(EXAMPLE))/cache $(BUILD)/examples/dcgan_generator $(EXAMPLE)/weights

# The example under valgrind's memcheck, leaks included (batch 1, two runs; the cc tier built
# without -march=native, since valgrind does not know AVX-512).
example-valgrind: all $(BUILD)/examples/dcgan_generator
	@CONVTGEN_EXTRA_PACKAGES="python3 valgrind" sh tools/ensure-deps.sh
	@rm -rf $(EXAMPLE)/valgrind-cache
	@python3 examples/dcgan_weights.py $(EXAMPLE)/weights1 --batch 1
	CONVTGEN_CACHE_DIR=$(abspath $(EXAMPLE))/valgrind-cache valgrind -q --leak-check=full \
	  --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
	  --error-exitcode=3 $(BUILD)/examples/dcgan_generator $(EXAMPLE)/weights1 --runs 2 \
	  --cc-flags "-O2 -shared -fPIC"
	@echo "example-valgrind: no errors, no leaks"

# --- fuzzing: libFuzzer on the spec loader, the .npy reader, the generator, the ONNX importer -
# clang, -fsanitize=fuzzer,address,undefined; the library is compiled with the same sanitizers
# and coverage. Lua is Debian's system library, not instrumented: what is fuzzed is our C (the
# sandbox, the copy out of it, the readers) and the generator's Lua run by it; coverage of
# Lua's own parser would steer inputs towards Lua's grammar, which is not ours to harden.
# Each fuzzer runs FUZZ_SECONDS on the committed seed corpus (fuzz/corpus; the spec fuzzer also
# starts from examples/*.lua) with its dictionary;
# any crash, leak, timeout (10 s) or memory blow-up (2 GiB) fails the target.
FUZZ_SECONDS ?= 60
FUZZ_BUILD = build/fuzz
FUZZ_CFLAGS = -std=c99 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer \
              -fsanitize=address,undefined -fno-sanitize-recover=undefined -Iruntime $(DEP_CFLAGS) -MMD -MP \
              -isystem $(BUILD)/gen
FUZZ_LIB_SRC = $(LIB_SRC) runtime/backends/backend_tcc.c
FUZZERS = fuzz_spec fuzz_npy fuzz_layer fuzz_onnx

$(FUZZ_BUILD)/lib/%.o: %.c $(BUILD)/gen/onnx.pb-c.h | $(DEPS_OK) $(SCHEMA_H)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

# protoc-c's parser is what a hostile model meets first: instrumented too
$(FUZZ_BUILD)/lib/onnx.pb-c.o: $(BUILD)/gen/onnx.pb-c.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -w -c $< -o $@

$(FUZZ_BUILD)/lib/embedded.o: $(BUILD)/gen/embedded.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Wno-overlength-strings -c $< -o $@

$(FUZZ_BUILD)/%: fuzz/%.c $(FUZZ_LIB_SRC:%.c=$(FUZZ_BUILD)/lib/%.o) $(FUZZ_BUILD)/lib/embedded.o \
                 $(FUZZ_BUILD)/lib/onnx.pb-c.o
	@# the headers its .d file lists are prerequisites too: only sources and objects go to clang
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(filter %.c %.o,$^) $(SO_LIBS) -o $@

fuzz-deps:
	@CONVTGEN_EXTRA_PACKAGES="clang libclang-rt-14-dev" sh tools/ensure-deps.sh

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZERS:%=$(FUZZ_BUILD)/%)
	@for f in $(FUZZERS); do kind=$${f#fuzz_}; corpus=$(FUZZ_BUILD)/corpus-$$kind; \
	  mkdir -p $$corpus; cp fuzz/corpus/$$kind/* $$corpus/; [ $$kind = spec ] && cp examples/*.lua $$corpus/; \
	  echo "== $$f: $(FUZZ_SECONDS) s on fuzz/corpus/$$kind with fuzz/$$kind.dict"; \
	  $(FUZZ_BUILD)/$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
	    -dict=fuzz/$$kind.dict -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/crash-$$kind- \
	    $$corpus 2> $(FUZZ_BUILD)/$$f.log || { tail -40 $(FUZZ_BUILD)/$$f.log; echo "make fuzz: $$f FAILED"; exit 1; }; \
	  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|cov: " $(FUZZ_BUILD)/$$f.log | tail -3; done
	@echo "make fuzz: no crash, leak or timeout"

# --- install ----------------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/convtgen $(DESTDIR)$(PREFIX)/bin/convtgen
	install -m 644 $(BUILD)/libconvtgen.a $(DESTDIR)$(PREFIX)/lib/libconvtgen.a
	install -m 755 $(BUILD)/libconvtgen.so $(DESTDIR)$(PREFIX)/lib/libconvtgen.so.1
	ln -sf libconvtgen.so.1 $(DESTDIR)$(PREFIX)/lib/libconvtgen.so
	install -m 644 runtime/convtgen.h runtime/convtgen_tools.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define CTG_VERSION "\(.*\)"/\1/p' runtime/convtgen.h)|g' \
	    convtgen.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/convtgen.pc
	# what the README's Firmware section uses: QEMU's Cortex-M4F start-up code and memory map, the example spec
	install -d $(DESTDIR)$(PREFIX)/share/convtgen/firmware $(DESTDIR)$(PREFIX)/share/convtgen/examples
	install -m 644 tests/firmware/startup.c tests/firmware/mps2-an386.ld $(DESTDIR)$(PREFIX)/share/convtgen/firmware/
	install -m 644 examples/tiny_mcu.lua examples/tiny_mcu_int8.lua $(DESTDIR)$(PREFIX)/share/convtgen/examples/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/convtgen $(DESTDIR)$(PREFIX)/lib/libconvtgen.a \
	      $(DESTDIR)$(PREFIX)/lib/libconvtgen.so $(DESTDIR)$(PREFIX)/lib/libconvtgen.so.1 \
	      $(DESTDIR)$(PREFIX)/include/convtgen.h $(DESTDIR)$(PREFIX)/include/convtgen_tools.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/convtgen.pc
	rm -rf $(DESTDIR)$(PREFIX)/share/convtgen

clean:
	rm -rf build

.SECONDARY:
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
