/* libFuzzer entry point of the fuzz_read_input harness (fuzz_read_input.h says what it does). */
#include "tests/fuzz/fuzz_read_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_input_one(data, size);
}
