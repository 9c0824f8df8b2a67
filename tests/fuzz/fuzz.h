/*
 * fuzz.h - what the fuzz targets (tests/fuzz/fuzz-*.c) share.
 *
 * Each target defines LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize);
 * linked with -fsanitize=fuzzer it is a libFuzzer program, linked with
 * replay.c a program that runs the inputs given on its command line once
 * each (`make check` replays tests/fuzz/regressions/ that way, with any
 * compiler).
 *
 * Every library call's error return is accepted, as long as it is one of
 * the codes error.h documents and comes with a message; a crash, a leak, a
 * sanitizer report, a hang or a broken invariant (hs_fuzz_fail()) is a
 * finding.
 */
#ifndef HS_FUZZ_H
#define HS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "heapscan/error.h"
#include "heapscan/snapshot.h"

/* Bigger inputs are skipped: the targets look for bugs, not for the
 * limits of memory (run them with -max_len at most this). */
#define HS_FUZZ_MAX_INPUT (4u << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/**
 * A private folder for this process's files, removed at exit: in
 * $HS_FUZZ_TMPDIR, else in /dev/shm (in memory: the snapshot each input
 * writes would otherwise be flushed to the disk, which takes longer than
 * the rest of a run; under /dev, hs_outfile writes it in place), else in
 * $TMPDIR or /tmp.  Aborts when it cannot be made.
 */
const char *hs_fuzz_dir(void);

/**
 * A file that holds exactly these bytes, readable by path until the next
 * call with the same @p slot (0 to 3): a memfd where the system has them
 * (no disk I/O), else a file in hs_fuzz_dir().
 */
const char *hs_fuzz_file(int slot, const uint8_t *data, size_t size);

/** Report a broken invariant and abort (a finding). */
void hs_fuzz_fail(const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 1, 2), noreturn))
#endif
	;

/** Accept @p rc if it is 0 or an error code of error.h set with a
 *  message in @p err; anything else is a finding (hs_fuzz_fail()). */
void hs_fuzz_check(int rc, const hs_error *err, const char *call);

/**
 * Write @p s as a snapshot in hs_fuzz_dir() and read it back into
 * @p back (to release): what a snapshot keeps must come back the same
 * (hs_fuzz_fail() otherwise).  Returns the read's status; an error of
 * the write or the read is a finding, since @p s is whole.
 */
int hs_fuzz_roundtrip(const hs_summary *s, hs_summary *back);

/** Evaluate rules of every kind (and a few malformed ones) on @p now
 *  against @p base (may be NULL); errors are accepted. */
void hs_fuzz_rules(const hs_summary *now, const hs_summary *base);

#endif
