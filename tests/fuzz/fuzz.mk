# Fuzz targets: libFuzzer with ASan and UBSan, built by clang.
#
# Included from the Makefile, after its variables (LIB_SRC, PKG_CFLAGS,
# PKG_LIBS, obj) and after its first target:
#     include tests/fuzz/fuzz.mk
#
#   make fuzz             each target for FUZZ_SECONDS (default 60); new inputs
#                         are kept in build/fuzz/corpus/TARGET between runs
#   make fuzz-short       each target for FUZZ_SHORT_SECONDS (default 2; about
#                         20 s in all) from its seeds and regressions only; fails
#                         on any crash, leak, timeout or failed property
#   make fuzz-build       build every target (build/fuzz/fuzz_TARGET)
#   make fuzz FUZZ_TARGETS="probe match"  some of them
#
# The product's sources are compiled again by clang, instrumented for
# coverage, into build/fuzz/ (build/templates_data.c included). Seeds:
# tests/fuzz/seeds/TARGET/ (hand-written), templates/ and tests/data/templates
# for the template target, and for probe the shared corpus itself
# (LICPACK_CORPUS, else ../shared/corpus), read in place. Inputs that once
# crashed a target are kept in tests/fuzz/regressions/TARGET/ and run first
# on every run. tests/fuzz/README.md tells how to reproduce and keep a crash.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SHORT_SECONDS ?= 2
FUZZ_TARGETS ?= probe template applicant normalise match html convert profile read_fields read_input font
FUZZ_ALL := probe template applicant normalise match html convert profile read_fields read_input font

FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -Wall -Wextra -O1 -g \
	-I. -Ibuild $(PKG_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP
LIB_OBJ_FUZZ := $(call obj,fuzz,$(LIB_SRC))
FUZZ_BIN := $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_ALL))

# clang builds them; `make deps-test` installs it with the rest.
TEST_DEBS += clang libclang-rt-14-dev

.PHONY: fuzz fuzz-short fuzz-build
fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh --seconds $(FUZZ_SECONDS) --keep $(FUZZ_TARGETS)

fuzz-short: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh --seconds $(FUZZ_SHORT_SECONDS) $(FUZZ_TARGETS)

$(FUZZ_BIN): build/fuzz/fuzz_%: build/fuzz/tests/fuzz/fuzz_%.o $(LIB_OBJ_FUZZ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<
build/fuzz/%.o: build/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<
