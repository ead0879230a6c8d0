/* libFuzzer entry point of the fuzz_profile harness (fuzz_profile.h says what it does). */
#include "tests/fuzz/fuzz_profile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return fuzz_profile_init(argc, argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_profile_one(data, size);
}
