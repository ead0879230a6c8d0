# The benchmark (SPEC §9, issue 8), included by the Makefile:
#   include tests/bench/bench.mk
#
#   make bench        generate the inputs (once) into $(BENCH_DIR), then measure
#                     licpack against img2pdf + zip -0 in the same run; prints
#                     the table and writes $(BENCH_DIR)/results.md
#   make deps-bench   install the Debian packages the benchmark needs (as root)
#
# BENCH_DIR (default bench/, which .gitignore lists) may also come from the
# environment. BENCH_ROUNDS and BENCH_RUNS (environment) set how many
# alternating rounds, and runs per command per round, make each median;
# see tests/bench/bench.sh.
BENCH_DIR ?= bench
BENCH_DEBS := hyperfine img2pdf zip time python3 libheif-examples

.PHONY: bench bench-heic deps-bench

deps-bench:
	@sh tests/deps.sh $(BENCH_DEBS)

# The input generator: scanned-looking pages, deterministic (tests/bench/gen.c).
build/bench/gen: tests/bench/gen.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(WARN) -O2 $(shell pkg-config --cflags libpng libjpeg) \
		-o $@ $< $(shell pkg-config --libs libpng libjpeg)

bench: deps-bench licpack build/bench/gen build/tools/mkconvert
	@BENCH_DIR='$(BENCH_DIR)' sh tests/bench/bench.sh
	@BENCH_DIR='$(BENCH_DIR)' sh tests/bench/bench_heic.sh

# The HEIC row alone (issue 14): converting 6 phone photos against
# heif-convert + img2pdf (tests/bench/bench_heic.sh)
bench-heic: deps-bench licpack build/bench/gen build/tools/mkconvert
	@BENCH_DIR='$(BENCH_DIR)' sh tests/bench/bench_heic.sh
