/*
 * fuzz-dump-mutator.c - libFuzzer's custom mutator for fuzz-dump: the
 * structure-aware mutations of hprof_mutate.c, so that most mutants are
 * well-formed dumps that reach the graph and the analyses, with
 * libFuzzer's own byte mutations (LLVMFuzzerMutate) for the bytes of
 * strings and objects, and now and then for a whole input.
 *
 * HS_FUZZ_RAW=1 uses LLVMFuzzerMutate alone: with HS_FUZZ_STATS=1, the
 * baseline to compare the share of mutants that reach the graph with.
 */
#include <stdlib.h>
#include <string.h>

#include "hprof_mutate.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

/* fuzz-dump.c */
extern int hs_fuzz_mutant;
extern const char *hs_fuzz_mutation;

static int raw_only = -1;

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	if (raw_only < 0)
		raw_only = getenv("HS_FUZZ_RAW") && strcmp(getenv("HS_FUZZ_RAW"), "0");
	hs_fuzz_mutant = 1;
	if (raw_only) {
		hs_fuzz_mutation = "raw (libFuzzer)";
		return LLVMFuzzerMutate(data, size, max_size);
	}
	return hm_mutate_bytes(data, size, max_size, seed, LLVMFuzzerMutate, &hs_fuzz_mutation);
}
