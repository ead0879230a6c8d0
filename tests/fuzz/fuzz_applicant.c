/* libFuzzer entry point of the fuzz_applicant harness (fuzz_applicant.h says what it does). */
#include "tests/fuzz/fuzz_applicant.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_applicant_one(data, size);
}
