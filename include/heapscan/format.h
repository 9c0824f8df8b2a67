/*
 * format.h - output: aligned text tables, JSON and CSV writers.
 *
 * These consume finished results only; they know nothing of dumps.  All
 * writers print to a FILE* given by the caller (the CLI passes stdout).
 */
#ifndef HEAPSCAN_FORMAT_H
#define HEAPSCAN_FORMAT_H

#include <stdint.h>
#include <stdio.h>

/* ---- text tables ---- */
typedef struct hs_table hs_table;

enum hs_align { HS_LEFT, HS_RIGHT };

/** New table; @p cols NULL-terminated headers, @p aligns one per column. */
hs_table *hs_table_new(const char *const *cols, const enum hs_align *aligns);
/** Append a row of strings (copied); n must equal the number of columns. */
int hs_table_add(hs_table *t, const char *const *cells);
/** A row of the form printf, cells separated by '\t'. */
int hs_table_addf(hs_table *t, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
/** Add a separator line (dashes) before the next row. */
void hs_table_rule(hs_table *t);
void hs_table_print(const hs_table *t, FILE *f);
void hs_table_free(hs_table *t);

/* ---- number formatting (into caller's buffer) ---- */
/** 1234567 -> "1,234,567" */
char *hs_fmt_count(char *buf, size_t n, uint64_t v);
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
void hs_json_str(hs_json *j, const char *key, const char *v);   /* NULL -> null */
void hs_json_u64(hs_json *j, const char *key, uint64_t v);
void hs_json_i64(hs_json *j, const char *key, int64_t v);
void hs_json_dbl(hs_json *j, const char *key, double v);
void hs_json_bool(hs_json *j, const char *key, int v);
void hs_json_hex(hs_json *j, const char *key, uint64_t v);      /* "0x1234" */
void hs_json_finish(hs_json *j);                                /* newline */

/* ---- CSV (RFC 4180 quoting) ---- */
void hs_csv_row(FILE *f, const char *const *cells, int n);

#endif
