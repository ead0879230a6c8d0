/* libFuzzer entry point of the fuzz_template harness (fuzz_template.h says what it does). */
#include "tests/fuzz/fuzz_template.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return fuzz_template_init(argc, argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_template_one(data, size);
}
