/* libFuzzer entry point of the fuzz_normalise harness (fuzz_normalise.h says what it does). */
#include "tests/fuzz/fuzz_normalise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_normalise_one(data, size);
}
