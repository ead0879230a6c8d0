/* libFuzzer entry point of the fuzz_font harness (fuzz_font.h says what it does). */
#include "tests/fuzz/fuzz_font.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_font_one(data, size);
}
