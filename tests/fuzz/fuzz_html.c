/* libFuzzer entry point of the fuzz_html harness (fuzz_html.h says what it does). */
#include "tests/fuzz/fuzz_html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_html_one(data, size);
}
