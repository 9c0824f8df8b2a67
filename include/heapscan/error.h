/*
 * error.h - error values returned by every libheapscan function.
 *
 * Library functions never print and never exit: they fill an hs_error that
 * the caller passes in explicitly (no global "last error", which could
 * reflect an earlier failure) and return its code.  Only src/cli maps codes
 * to messages on stderr and to exit statuses.
 *
 * Messages follow git's style: lowercase, no final period, the problem
 * first, e.g. "truncated INSTANCE_DUMP: need 24 bytes, have 7".  The file
 * name and byte offset are separate fields so the CLI can print
 * "heapscan: FILE: offset 0x3f20: MESSAGE".
 */
#ifndef HEAPSCAN_ERROR_H
#define HEAPSCAN_ERROR_H

#include <stdint.h>

enum hs_code {
	HS_OK      = 0,
	HS_ENOMEM  = -1,  /* allocation failed */
	HS_EIO     = -2,  /* read error, missing file, directory, ... */
	HS_EFORMAT = -3,  /* not an HPROF file, bad tag, inconsistent record */
	HS_ETRUNC  = -4,  /* input ends inside a record */
	HS_ELIMIT  = -5,  /* a length or count beyond what we accept */
	HS_EUSAGE  = -6,  /* bad argument from the caller (bad id, regex) */
	HS_ENOTFOUND = -7, /* an object or class asked for is not in the dump */
	HS_ECHANGED = -8, /* the file changed between two passes over it */
	HS_EINTERNAL = -9 /* the program broke one of its own rules (a bug) */
};

#define HS_NO_OFFSET UINT64_MAX

typedef struct hs_error {
	int      code;      /* 0 ok, else one of enum hs_code */
	uint64_t offset;    /* byte offset in the decompressed dump, or HS_NO_OFFSET */
	uint8_t  tag;       /* HPROF (sub)record tag being parsed, 0 if none */
	char     msg[256];
} hs_error;

/** Reset @p err to "no error". */
void hs_error_clear(hs_error *err);

/**
 * Record an error (printf-style message) and return @p code, so a caller can
 * write `return hs_error_set(err, HS_EFORMAT, off, "bad tag 0x%02x", t);`.
 * A NULL @p err is allowed and ignored.
 */
int hs_error_set(hs_error *err, int code, uint64_t offset, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 4, 5)))
#endif
	;

/**
 * Record running out of memory and return HS_ENOMEM: "out of memory", and
 * when @p doing is not NULL, " " and it ("out of memory fetching labels").
 * The library's one out-of-memory path; it allocates nothing.
 */
int hs_error_oom(hs_error *err, const char *doing);

/**
 * Put the file, and the byte offset when there is one, in front of the
 * message ("app.hprof: offset 40 (0x28): unknown tag 0x42") and clear the
 * offset, for a caller that knows which file the error is about.  A long
 * message is cut to fit.
 */
void hs_error_name_file(hs_error *err, const char *path);

/** Short name of a code: "out of memory", "I/O error", ... */
const char *hs_strerror(int code);

/* Return an error from the current function if cond holds (zstd style). */
#define HS_RETURN_ERROR_IF(cond, err, code, off, ...) \
	do { if (cond) return hs_error_set((err), (code), (off), __VA_ARGS__); } while (0)

/* Propagate a negative status unchanged: the callee has filled err. */
#define HS_FORWARD_IF_ERROR(expr) \
	do { int hs__rc = (expr); if (hs__rc < 0) return hs__rc; } while (0)

#endif
