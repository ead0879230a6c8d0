/* libFuzzer entry point of the fuzz_match harness (fuzz_match.h says what it does). */
#include "tests/fuzz/fuzz_match.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return fuzz_match_init(argc, argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_match_one(data, size);
}
