# licpack — build, test, demo, install.
#   make            build ./licpack
#   make deps       install the Debian packages it needs (as root)
#   make demo       build, then run licpack on the bundled sample
#   make test       install what is missing, build, run every test (also under ASan+UBSan)
#   make install    PREFIX=/usr/local DESTDIR=   (make uninstall with the same)
#   make man        bring the man page's FINDING CODES section up to date
#   make check-man  the man page renders without warnings and is up to date
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
DOCDIR ?= $(PREFIX)/share/doc/licpack
DESTDIR ?=

CC ?= cc
PKGS := libzip libpng libcjson libjpeg libcrypto fontconfig freetype2 libqpdf harfbuzz-subset
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Not -lqpdf: packet/qpdf_lazy.c loads libqpdf when a PDF is first met (by
# the soname in build/qpdf_soname.h), so that a start does not pay for it;
# nor -ltesseract -llept (packet/read.c, the same way).
PKG_LIBS = $(shell pkg-config --libs $(filter-out libqpdf tesseract lept,$(PKGS)) 2>/dev/null) -lhpdf -lm -pthread -ldl
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 $(WARN) $(CFLAGS) -I. -Ibuild $(PKG_CFLAGS) -MMD -MP
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Debian packages: to build, and (TEST_DEBS) to run the tests.
BUILD_DEBS := gcc make pkg-config libhpdf-dev libzip-dev libpng-dev libcjson-dev \
	libjpeg62-turbo-dev libssl-dev libfontconfig-dev libqpdf-dev libharfbuzz-dev fonts-wqy-microhei \
	libpoppler-glib-dev
TEST_DEBS := libcmocka-dev poppler-utils qpdf unzip p7zip-full python3 valgrind libreoffice-calc-nogui \
	libjpeg-turbo-progs groff-base man-db zsh strace ghostscript chromium tidy
# Unicode normalisation: a name packet.json assigns in NFC matches the same
# name written NFD on disk (macOS), packet/normalise.c's same_name()
BUILD_DEBS += libutf8proc-dev
PKGS += libutf8proc
# Converting what clients send (packet/convert*.c): HEIC/HEIF, WebP, TIFF,
# BMP (stb_image), GIF; zlib for the PDF of a multi-page TIFF's bilevel pages
BUILD_DEBS += libheif-dev libwebp-dev libtiff-dev libgif-dev libstb-dev zlib1g-dev
PKGS += libheif libwebp libwebpdemux libtiff-4 libgif stb zlib
# The converted packet's tests convert a .docx with LibreOffice (Writer; Calc
# is above); their images are written through the libraries above
# (tests/tools/mkconvert.c)
TEST_DEBS += libreoffice-writer-nogui
# mkconvert writes WebP with an EXIF chunk through libwebpmux (the tool only)
build/tools/mkconvert: PKG_LIBS += -lwebpmux
# the serif typeface tests/tools/mkdoc renders documents in (issue 12)
TEST_DEBS += fonts-arphic-uming
# Reading the scans (packet/read*.c): libtesseract's C API, the Chinese and
# English language data and the orientation data (osd, in tesseract-ocr).
BUILD_DEBS += libtesseract-dev tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng
PKGS += tesseract lept
# Not -ltesseract either: packet/read.c loads it with a reader (dlopen, by
# the soname in build/tesseract_soname.h); its headers only.
# $(call soname_h,PKG,LIB,MACRO,DEB): the recipe writing into $@
# "#define MACRO" and the soname of PKG's LIB.so (from the Debian package
# DEB), the library the headers belong to.
define soname_h
@mkdir -p build
@lib="$$(pkg-config --variable=libdir $(1))/$(2).so"; \
soname=$$(objdump -p "$$lib" 2>/dev/null | sed -n 's/^ *SONAME *//p'); \
if [ -z "$$soname" ]; then echo "licpack: cannot read the soname of $$lib (is $(4) installed?)" >&2; exit 1; fi; \
printf '#define $(3) "%s"\n' "$$soname" > $@
endef
build/tesseract_soname.h:
	$(call soname_h,tesseract,libtesseract,LICPACK_TESS_SONAME,libtesseract-dev)
build/rel/packet/read.o build/san/packet/read.o build/fuzz/packet/read.o: build/tesseract_soname.h

LIB_SRC := $(sort $(wildcard packet/*.c pdf/*.c)) build/templates_data.c build/profiles_data.c
CMD_SRC := $(sort $(wildcard cmd/*.c))
TEMPLATES := $(sort $(wildcard templates/*.json))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_SUPPORT := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))

obj = $(patsubst %.c,build/$(1)/%.o,$(patsubst build/%,%,$(2)))
LIB_OBJ := $(call obj,rel,$(LIB_SRC))
CMD_OBJ := $(call obj,rel,$(CMD_SRC))
LIB_OBJ_SAN := $(call obj,san,$(LIB_SRC))
CMD_OBJ_SAN := $(call obj,san,$(CMD_SRC))
UNIT_BIN := $(patsubst tests/unit/%.c,build/rel/tests/%,$(UNIT_SRC))
UNIT_BIN_SAN := $(patsubst tests/unit/%.c,build/san/tests/%,$(UNIT_SRC))
# Helper programs the tests run (fixture generators): tests/tools/NAME.c -> build/tools/NAME
TOOL_BIN := $(patsubst tests/tools/%.c,build/tools/%,$(wildcard tests/tools/*.c))

.PHONY: templates-table all deps deps-test demo test test-unit test-e2e test-san test-valgrind test-build install uninstall \
	man check-man clean screenshot
all: licpack

licpack: $(CMD_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter-out %.h,$^) $(PKG_LIBS)

build/licpack-san: $(CMD_OBJ_SAN) $(LIB_OBJ_SAN)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

# The templates are compiled into the binary (templates/embed.c writes a C array).
build/embed: templates/embed.c
	@mkdir -p build
	$(CC) -std=c11 $(WARN) -O1 -o $@ $<
build/templates_data.c: build/embed $(TEMPLATES)
	build/embed $(TEMPLATES) > $@.tmp && mv $@.tmp $@
# The portal profiles (packet/upload_profile.h), compiled in the same way.
PROFILES := $(sort $(wildcard profiles/*.json))
build/profiles_data.c: build/embed $(PROFILES)
	build/embed -s builtin_profiles $(PROFILES) > $@.tmp && mv $@.tmp $@

# The soname of the libqpdf that the headers belong to, for dlopen().
build/qpdf_soname.h:
	$(call soname_h,libqpdf,libqpdf,LICPACK_QPDF_SONAME,libqpdf-dev)
build/rel/packet/qpdf_lazy.o build/san/packet/qpdf_lazy.o build/fuzz/packet/qpdf_lazy.o: build/qpdf_soname.h

# pdf/pdf_thumb.c loads poppler-glib when report.html first renders a PDF
# page (dlopen, as libqpdf): its headers only, no -lpoppler-glib.
POPPLER_CFLAGS = $(shell pkg-config --cflags poppler-glib 2>/dev/null)
build/rel/pdf/pdf_thumb.o build/san/pdf/pdf_thumb.o: ALL_CFLAGS += $(POPPLER_CFLAGS)
build/fuzz/pdf/pdf_thumb.o: FUZZ_CFLAGS += $(POPPLER_CFLAGS)

build/rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
build/rel/%.o: build/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
build/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -c -o $@ $<
build/san/%.o: build/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -c -o $@ $<

build/rel/tests/%: tests/unit/%.c $(LIB_OBJ) $(call obj,rel,$(UNIT_SUPPORT))
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter-out %.h,$^) $(PKG_LIBS) $(CMOCKA_LIBS)
build/san/tests/%: tests/unit/%.c $(LIB_OBJ_SAN) $(call obj,san,$(UNIT_SUPPORT))
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $(filter-out %.h,$^) $(PKG_LIBS) $(CMOCKA_LIBS)

build/tools/%: tests/tools/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter-out %.h,$^) $(PKG_LIBS)

deps:
	@sh tests/deps.sh $(BUILD_DEBS)
deps-test:
	@sh tests/deps.sh $(BUILD_DEBS) $(TEST_DEBS)

demo: deps
	@$(MAKE) --no-print-directory licpack
	@sh samples/demo.sh

# Every test: each fuzz target for a few seconds, then the unit tests and
# end-to-end cases, then the same under ASan+UBSan.
# The builds run on every CPU (make -j): one at a time they took 107 s here,
# 55 s on two CPUs.
JOBS := $(shell nproc 2>/dev/null || echo 2)
test: deps-test
	@$(MAKE) --no-print-directory -j$(JOBS) test-build
	@$(MAKE) --no-print-directory fuzz-short
	@sh tests/run.sh

test-build: licpack build/licpack-san $(UNIT_BIN) $(UNIT_BIN_SAN) $(TOOL_BIN) $(FUZZ_BIN)

test-unit: licpack $(UNIT_BIN) $(TOOL_BIN)
	@sh tests/run.sh --unit-only

test-valgrind: deps-test
	@$(MAKE) --no-print-directory licpack $(UNIT_BIN) $(TOOL_BIN)
	@sh tests/run.sh --valgrind

# The templates x materials table in templates/README.md, made from the JSON
# (make test checks that it is current).
templates-table: licpack
	@sh templates/table.sh

# The man page (cmd/licpack.1) is written by hand but for its FINDING CODES
# section, made from the table in packet/finding.c; tests/e2e/manpage.sh
# checks both.
man: licpack
	@sh cmd/mancodes.sh ./licpack cmd/licpack.1

check-man: licpack
	@sh cmd/mancodes.sh --check ./licpack cmd/licpack.1
	@out=$$(groff -ww -man -Tutf8 cmd/licpack.1 2>&1 >/dev/null); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi

install: licpack
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 licpack $(DESTDIR)$(BINDIR)/licpack
	install -m 0644 cmd/licpack.1 $(DESTDIR)$(MANDIR)/man1/licpack.1
	install -m 0644 cmd/completion/licpack.bash $(DESTDIR)$(BASHCOMPDIR)/licpack
	install -m 0644 cmd/completion/_licpack $(DESTDIR)$(ZSHCOMPDIR)/_licpack
	install -m 0644 templates/README.md $(DESTDIR)$(DOCDIR)/templates.md

# Removes what install wrote, and the doc folder that is licpack's own; the
# shared folders (bin, man1, completions) stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/licpack $(DESTDIR)$(MANDIR)/man1/licpack.1 \
		$(DESTDIR)$(BASHCOMPDIR)/licpack $(DESTDIR)$(ZSHCOMPDIR)/_licpack \
		$(DESTDIR)$(DOCDIR)/templates.md
	rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true

# docs/report.png, the README's picture of a report: the incomplete
# sample's report.html in headless Chromium (make deps-test installs it).
screenshot: licpack
	@mkdir -p build/shot docs
	@./licpack check samples/icp-renewal-incomplete --format html --lang en --today 2026-06-01 \
		> build/shot/report.html; test $$? -le 1
	@chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --no-first-run \
		--disable-background-networking --disable-component-update --window-size=900,1300 \
		--screenshot="$(CURDIR)/docs/report.png" "file://$(CURDIR)/build/shot/report.html" >/dev/null 2>&1
	@echo docs/report.png

# Reading accuracy (issue 12), not part of `make test`: documents rendered by
# tests/tools/mkdoc, read by tesseract, parsed by packet/read_fields.c
# (tests/read/accuracy.sh says how; N=, DPI=, PSM=, KEEP=DIR).
.PHONY: read-accuracy
read-accuracy: build/tools/mkdoc build/tools/readfields
	@sh tests/read/accuracy.sh

clean:
	rm -rf build licpack tests/out

include tests/bench/bench.mk
include tests/fuzz/fuzz.mk

-include $(shell find build -name '*.d' 2>/dev/null)
