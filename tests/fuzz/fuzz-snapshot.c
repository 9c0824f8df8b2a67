/*
 * fuzz-snapshot.c - fuzz target: the snapshot reader.
 *
 * The input is a snapshot file: zstd-compressed text as heapscan writes
 * it, or plain text or gzip, which the reader takes too (plain text lets
 * the fuzzer change the records themselves).  It is read
 * (hs_summary_read); a snapshot that reads is then written and read back,
 * which must give it again (hs_fuzz_roundtrip()), and goes through what
 * `diff` and `check` do with a snapshot: class sets, a diff against its
 * copy and against an empty heap both ways, rules.
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/diff.h"
#include "heapscan/summary.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	hs_fuzz_dir();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const patterns[] = {
		"*", "java.*", "java.lang.String", "*[]", "com.example.*", "?", "java.util.HashMap*",
		"a (loader b)", "Node", ""
	};
	const char *path;
	hs_summary s, back, none;
	hs_sum_set set;
	hs_diff df;
	hs_error err;
	size_t k;
	int rc;

	if (size > HS_FUZZ_MAX_INPUT)
		return 0;
	path = hs_fuzz_file(0, data, size);
	hs_error_clear(&err);
	rc = hs_summary_is_snapshot(path, &err);
	if (rc < 0)
		hs_fuzz_check(rc, &err, "hs_summary_is_snapshot");
	rc = hs_summary_read(&s, path, &err);
	hs_fuzz_check(rc, &err, "hs_summary_read");
	if (rc < 0)
		return 0;
	for (k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
		rc = hs_summary_class_set(&s, patterns[k], &set);
		if (rc != 0 && rc != -1)
			hs_fuzz_fail("hs_summary_class_set returned %d", rc);
		if (set.classes > s.nclasses)
			hs_fuzz_fail("'%s' matches %u classes of %u", patterns[k], set.classes, s.nclasses);
	}
	hs_fuzz_roundtrip(&s, &back);
	rc = hs_diff_compute(&df, &s, &back, &err);
	hs_fuzz_check(rc, &err, "hs_diff_compute");
	if (rc == 0) {
		if (df.d_reachable || df.d_objects || df.d_threads)
			hs_fuzz_fail("a snapshot differs from its copy");
		hs_diff_release(&df);
	}
	/* against an empty heap, both ways: every number is a difference */
	memset(&none, 0, sizeof(none));
	none.version = HS_SNAPSHOT_VERSION;
	none.from_snapshot = 1;
	none.source = (char *)"empty";   /* not released */
	for (k = 0; k < 2; k++) {
		rc = hs_diff_compute(&df, k ? &s : &none, k ? &none : &s, &err);
		hs_fuzz_check(rc, &err, "hs_diff_compute");
		if (rc == 0)
			hs_diff_release(&df);
	}
	hs_fuzz_rules(&s, &back);
	hs_fuzz_rules(&s, &none);
	hs_fuzz_rules(&none, &s);
	hs_fuzz_rules(&s, NULL);
	hs_summary_release(&back);
	hs_summary_release(&s);
	return 0;
}
