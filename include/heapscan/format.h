/*
 * format.h - output: aligned text tables, JSON and CSV writers, and the
 * escaping of untrusted text.
 *
 * These consume finished results only; they know nothing of dumps.  All
 * writers print to a FILE* given by the caller (the CLI passes stdout).
 *
 * Text that comes from a dump (class, field, thread and loader names,
 * strings) or from a user's file (rules, paths, snapshots) may hold any
 * byte.  Every writer here escapes it, so that it cannot break a table
 * row, a CSV record or a JSON document, forge a line of a CI log or drive
 * a terminal:
 *  - text (tables, hs_fmt_printf(), CSV): a control character becomes
 *    \n, \r, \t or \xNN (\x1b), a byte that is not part of valid UTF-8
 *    \xNN (\xff), and the code points that move or break lines in a
 *    terminal or a log viewer (C1 controls U+0080-U+009F, U+2028, U+2029,
 *    the bidirectional controls U+202A-U+202E, U+2066-U+2069) \uNNNN;
 *    everything else is kept, the backslash too, so escaping twice
 *    changes nothing (the escape is for reading, not reversible);
 *  - JSON: the same characters as \uNNNN (or \n, \r, \t, \", \\),
 *    and each byte that is not valid UTF-8 as U+FFFD, so that the output
 *    is always valid UTF-8 and valid JSON.
 * Java's modified UTF-8 (C0 80 for U+0000, a surrogate pair as two 3-byte
 * sequences) is read as the characters it stands for.
 */
#ifndef HEAPSCAN_FORMAT_H
#define HEAPSCAN_FORMAT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- untrusted text ---- */
/** @p s escaped for text output (see above), malloc'd; NULL when out of
 *  memory.  NULL @p s gives "". */
char *hs_text_escape(const char *s);
/** fputs() of @p s escaped. */
void hs_text_put(FILE *f, const char *s);
/** Whether text output escapes code point @p cp (controls, line
 *  separators, bidirectional controls). */
int hs_text_needs_escape(uint32_t cp);
/**
 * printf() whose %s and %c arguments are escaped (see above); the format
 * itself is printed as it is.  Flags, width and precision work as in
 * printf (a width pads the escaped text); %n is refused.  Returns the
 * bytes written or -1 (a write error, out of memory).
 */
int hs_fmt_printf(FILE *f, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
int hs_fmt_vprintf(FILE *f, const char *fmt, va_list ap);
/** snprintf() with the escaping of hs_fmt_printf(). */
int hs_fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 3, 4)))
#endif
	;
int hs_fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

/* ---- text tables ---- */
typedef struct hs_table hs_table;

enum hs_align { HS_LEFT, HS_RIGHT };

/** New table; @p cols NULL-terminated headers, @p aligns one per column. */
hs_table *hs_table_new(const char *const *cols, const enum hs_align *aligns);
/** Append a row of strings (copied, escaped); n must equal the number of
 *  columns.  Returns 0, or -1 when out of memory (no row added). */
int hs_table_add(hs_table *t, const char *const *cells);
/** A row of the form printf, cells separated by the format's '\t's; the
 *  %s arguments are escaped (a TAB in one stays in its cell, as \t). */
int hs_table_addf(hs_table *t, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
/** Add a separator line (dashes) before the next row. */
void hs_table_rule(hs_table *t);
void hs_table_print(const hs_table *t, FILE *f);
/** The table with each line indented by @p indent spaces. */
void hs_table_print_at(const hs_table *t, FILE *f, int indent);
void hs_table_free(hs_table *t);

/* ---- number formatting (into caller's buffer) ---- */
/** 1234567 -> "1,234,567" */
char *hs_fmt_count(char *buf, size_t n, uint64_t v);
/** A count and what it counts, the word singular for 1 and plural for
 *  every other count: (1, "object", "objects") -> "1 object",
 *  (2345, ...) -> "2,345 objects", (0, ...) -> "0 objects".  Every count
 *  in text output goes through this or hs_fmt_delta() (JSON and CSV keep
 *  plain integers). */
char *hs_fmt_counted(char *buf, size_t n, uint64_t v, const char *one, const char *many);
/** A change of a count: "+1,234", "-1", "0"; with words (@p one not NULL)
 *  "+1 object", "-2,345 objects", "0 objects". */
char *hs_fmt_delta(char *buf, size_t n, int64_t v, const char *one, const char *many);
/** bytes -> "1.2 GB" / "523 KB" / "87 B" (1 KB = 1024 B) */
char *hs_fmt_bytes(char *buf, size_t n, uint64_t v);
/** percentage with one decimal */
char *hs_fmt_pct(char *buf, size_t n, uint64_t part, uint64_t whole);
/** A double (a measured value, a limit, a growth) as the uint64_t the
 *  formatters above take: 0 for a negative value or NaN, UINT64_MAX
 *  from 2^64 up (where a cast would be undefined). */
uint64_t hs_fmt_clamp(double v);

/* ---- JSON ---- */
typedef struct hs_json {
	FILE *f;
	int depth;
	int first[64];
	int pretty;
} hs_json;

void hs_json_init(hs_json *j, FILE *f);
void hs_json_begin_obj(hs_json *j, const char *key);   /* key NULL inside arrays */
void hs_json_end_obj(hs_json *j);
void hs_json_begin_arr(hs_json *j, const char *key);
void hs_json_end_arr(hs_json *j);
void hs_json_str(hs_json *j, const char *key, const char *v);   /* NULL -> null; any bytes */
void hs_json_u64(hs_json *j, const char *key, uint64_t v);
void hs_json_i64(hs_json *j, const char *key, int64_t v);
void hs_json_dbl(hs_json *j, const char *key, double v);
/** A whole number held in a double (a byte count, a count), as a JSON
 *  integer: its value rounded, all digits ("18446744073709551616"), never
 *  a fraction or an exponent; NaN and infinities as null. */
void hs_json_whole(hs_json *j, const char *key, double v);
void hs_json_bool(hs_json *j, const char *key, int v);
void hs_json_hex(hs_json *j, const char *key, uint64_t v);      /* "0x1234" */
void hs_json_finish(hs_json *j);                                /* newline */
/** @p s as a JSON string, quoted and escaped (valid UTF-8 whatever the
 *  bytes); NULL as null. */
void hs_json_string(FILE *f, const char *s);

/* ---- CSV (RFC 4180 quoting) ---- */
/** One record: each cell escaped as text (so no record spans lines), then
 *  quoted when it holds a comma or a quote, quotes doubled. */
void hs_csv_row(FILE *f, const char *const *cells, int n);

#endif
