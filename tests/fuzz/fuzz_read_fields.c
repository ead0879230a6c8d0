/* libFuzzer entry point of the fuzz_read_fields harness (fuzz_read_fields.h says what it does). */
#include "tests/fuzz/fuzz_read_fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_fields_one(data, size);
}
