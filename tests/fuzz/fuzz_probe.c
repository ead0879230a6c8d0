/* libFuzzer entry point of the fuzz_probe harness (fuzz_probe.h says what it does). */
#include "tests/fuzz/fuzz_probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_probe_one(data, size);
}
