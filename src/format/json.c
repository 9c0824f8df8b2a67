/*
 * json.c - a streaming JSON writer: keys and values go straight to the
 * FILE, with the commas and nesting tracked in a small stack (64 deep).
 * Strings come out as valid UTF-8 whatever bytes they hold (format.h).
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "heapscan/format.h"
#include "util.h"

void hs_json_init(hs_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = 1;
	j->pretty = 1;
}

static void indent(hs_json *j)
{
	int i;
	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* A JSON string: valid UTF-8 whatever @p s holds (see format.h). */
void hs_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char u[8];
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	while (*p) {
		uint32_t cp;
		int k;
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') {
			fputc(*p++, f);
			continue;
		}
		k = hs_utf8_next(p, &cp);
		if (k == 0) {   /* not UTF-8: the replacement character */
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		switch (cp) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (hs_text_needs_escape(cp))
				fprintf(f, "\\u%04x", (unsigned)cp);
			else if (k == 6)   /* modified UTF-8's surrogate pair */
				fwrite(u, 1, (size_t)hs_utf8_put(u, cp), f);
			else
				fwrite(p, 1, (size_t)k, f);
		}
		p += k;
	}
	fputc('"', f);
}

static void key(hs_json *j, const char *k)
{
	if (j->depth > 0) {
		if (!j->first[j->depth])
			fputc(',', j->f);
		indent(j);
	}
	j->first[j->depth] = 0;
	if (k) {
		hs_json_string(j->f, k);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void open(hs_json *j, const char *k, char c)
{
	key(j, k);
	fputc(c, j->f);
	if (j->depth < 63)
		j->depth++;
	j->first[j->depth] = 1;
}

static void close_(hs_json *j, char c)
{
	int empty = j->first[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->f);
}

void hs_json_begin_obj(hs_json *j, const char *k) { open(j, k, '{'); }
void hs_json_end_obj(hs_json *j) { close_(j, '}'); }
void hs_json_begin_arr(hs_json *j, const char *k) { open(j, k, '['); }
void hs_json_end_arr(hs_json *j) { close_(j, ']'); }

void hs_json_str(hs_json *j, const char *k, const char *v)
{
	key(j, k);
	if (v)
		hs_json_string(j->f, v);
	else
		fputs("null", j->f);
}

void hs_json_u64(hs_json *j, const char *k, uint64_t v)
{
	key(j, k);
	fprintf(j->f, "%" PRIu64, v);
}

void hs_json_i64(hs_json *j, const char *k, int64_t v)
{
	key(j, k);
	fprintf(j->f, "%" PRId64, v);
}

void hs_json_dbl(hs_json *j, const char *k, double v)
{
	key(j, k);
	fprintf(j->f, "%.4f", v);
}

void hs_json_whole(hs_json *j, const char *k, double v)
{
	key(j, k);
	if (!isfinite(v))
		fputs("null", j->f);
	else if (v > -0.5 && v < 0.5)   /* no "-0" */
		fputc('0', j->f);
	else
		fprintf(j->f, "%.0f", v);
}

void hs_json_bool(hs_json *j, const char *k, int v)
{
	key(j, k);
	fputs(v ? "true" : "false", j->f);
}

void hs_json_hex(hs_json *j, const char *k, uint64_t v)
{
	key(j, k);
	fprintf(j->f, "\"0x%" PRIx64 "\"", v);
}

void hs_json_finish(hs_json *j) { fputc('\n', j->f); }
