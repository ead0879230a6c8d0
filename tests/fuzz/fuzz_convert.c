/* libFuzzer entry point of the fuzz_convert harness (fuzz_convert.h says what it does). */
#include "tests/fuzz/fuzz_convert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_convert_one(data, size);
}
