/* libFuzzer entry point of the fuzz_jpeg_dc harness (fuzz_jpeg_dc.h says what it does). */
#include "tests/fuzz/fuzz_jpeg_dc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_jpeg_dc_one(data, size);
}
