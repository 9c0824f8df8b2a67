/*
 * table.c - aligned text tables and human-readable numbers.
 *
 * A table buffers its rows (strings) so column widths can be measured
 * before printing.  Width is counted in UTF-8 code points; cells are
 * escaped as they are added (format.h), so they are valid UTF-8 without
 * control characters.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "util.h"

struct hs_table {
	int ncols;
	char **cells;       /* rows * ncols */
	int *rule_before;   /* per row */
	int nrows, cap;
	int pending_rule;
	char **cols;          /* copies of the headers */
	enum hs_align *aligns;
};

hs_table *hs_table_new(const char *const *cols, const enum hs_align *aligns)
{
	hs_table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	while (cols[t->ncols])
		t->ncols++;
	t->cols = calloc((size_t)t->ncols + 1, sizeof(char *));
	if (!t->cols) {
		free(t);
		return NULL;
	}
	{
		int i;
		for (i = 0; i < t->ncols; i++)
			t->cols[i] = strdup(cols[i]);
	}
	t->aligns = malloc(sizeof(*t->aligns) * (size_t)t->ncols);
	if (!t->aligns) {
		free(t);
		return NULL;
	}
	memcpy(t->aligns, aligns, sizeof(*t->aligns) * (size_t)t->ncols);
	return t;
}

int hs_table_add(hs_table *t, const char *const *cells)
{
	int i;
	char **row;
	if (t->nrows == t->cap) {
		int cap = t->cap ? t->cap * 2 : 64;
		char **nc = realloc(t->cells, sizeof(char *) * (size_t)cap * (size_t)t->ncols);
		int *nr;
		if (!nc)
			return -1;
		t->cells = nc;
		nr = realloc(t->rule_before, sizeof(int) * (size_t)cap);
		if (!nr)
			return -1;
		t->rule_before = nr;
		t->cap = cap;
	}
	/* escaped here: a cell is one line whatever it holds (format.h) */
	row = t->cells + (size_t)t->nrows * (size_t)t->ncols;
	for (i = 0; i < t->ncols; i++)
		if (!(row[i] = hs_text_escape(cells[i]))) {
			while (i-- > 0)
				free(row[i]);
			return -1;
		}
	t->rule_before[t->nrows] = t->pending_rule;
	t->pending_rule = 0;
	t->nrows++;
	return 0;
}

int hs_table_addf(hs_table *t, const char *fmt, ...)
{
	char buf[4096], *cells[64], *p, *big = NULL;
	int n = 0, rc, len;
	va_list ap;
	/* the arguments escaped: a TAB in one is \t, not a cell break */
	va_start(ap, fmt);
	len = hs_fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0)
		return -1;
	p = buf;
	if ((size_t)len >= sizeof(buf)) {
		if (!(big = malloc((size_t)len + 1)))
			return -1;
		va_start(ap, fmt);
		hs_fmt_vsnprintf(big, (size_t)len + 1, fmt, ap);
		va_end(ap);
		p = big;
	}
	while (n < t->ncols && n < 64) {
		cells[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	while (n < t->ncols)
		cells[n++] = "";
	rc = hs_table_add(t, (const char *const *)cells);
	free(big);
	return rc;
}

void hs_table_rule(hs_table *t) { t->pending_rule = 1; }

void hs_table_print(const hs_table *t, FILE *f) { hs_table_print_at(t, f, 0); }

void hs_table_print_at(const hs_table *t, FILE *f, int indent)
{
	int *w = calloc((size_t)t->ncols, sizeof(int)), i, r, total = 0;
	if (!w)
		return;
	for (i = 0; i < t->ncols; i++)
		w[i] = hs_utf8_chars(t->cols[i]);
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			int l = hs_utf8_chars(t->cells[r * t->ncols + i]);
			if (l > w[i])
				w[i] = l;
		}
	for (i = 0; i < t->ncols; i++)
		total += w[i] + (i ? 2 : 0);
	for (r = -1; r < t->nrows; r++) {
		if (r >= 0 && t->rule_before[r]) {
			fprintf(f, "%*s", indent, "");
			for (i = 0; i < total; i++)
				fputc('-', f);
			fputc('\n', f);
		}
		fprintf(f, "%*s", indent, "");
		for (i = 0; i < t->ncols; i++) {
			const char *c = r < 0 ? t->cols[i] : t->cells[r * t->ncols + i];
			int pad = w[i] - hs_utf8_chars(c), last = i == t->ncols - 1;
			if (i)
				fputs("  ", f);
			if (t->aligns[i] == HS_RIGHT)
				fprintf(f, "%*s%s", pad, "", c);
			else if (last)
				fputs(c, f);
			else
				fprintf(f, "%s%*s", c, pad, "");
		}
		fputc('\n', f);
	}
	free(w);
}

void hs_table_free(hs_table *t)
{
	int i;
	if (!t)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->cols);
	free(t->rule_before);
	free(t->aligns);
	free(t);
}

char *hs_fmt_count(char *buf, size_t n, uint64_t v)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v), i, o = 0;
	for (i = 0; i < len && (size_t)o + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

char *hs_fmt_counted(char *buf, size_t n, uint64_t v, const char *one, const char *many)
{
	char t[32];
	snprintf(buf, n, "%s %s", hs_fmt_count(t, sizeof(t), v), v == 1 ? one : many);
	return buf;
}

char *hs_fmt_delta(char *buf, size_t n, int64_t v, const char *one, const char *many)
{
	char t[32];
	/* the magnitude without the overflow of -INT64_MIN */
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	hs_fmt_count(t, sizeof(t), m);
	if (one)
		snprintf(buf, n, "%s%s %s", v > 0 ? "+" : v < 0 ? "-" : "", t, m == 1 ? one : many);
	else
		snprintf(buf, n, "%s%s", v > 0 ? "+" : v < 0 ? "-" : "", t);
	return buf;
}

char *hs_fmt_bytes(char *buf, size_t n, uint64_t v)
{
	static const char *u[] = { "B", "KB", "MB", "GB", "TB", "PB" };
	double d = (double)v;
	int i = 0;
	if (v < 1024) {
		snprintf(buf, n, "%llu B", (unsigned long long)v);
		return buf;
	}
	while (d >= 1024 && i < 5) {
		d /= 1024;
		i++;
	}
	snprintf(buf, n, d < 10 ? "%.2f %s" : d < 100 ? "%.1f %s" : "%.0f %s", d, u[i]);
	return buf;
}

uint64_t hs_fmt_clamp(double v)
{
	if (!(v > 0))
		return 0;
	if (v >= 18446744073709551616.0)
		return UINT64_MAX;
	return (uint64_t)v;
}

char *hs_fmt_pct(char *buf, size_t n, uint64_t part, uint64_t whole)
{
	snprintf(buf, n, "%.1f%%", whole ? 100.0 * (double)part / (double)whole : 0.0);
	return buf;
}
