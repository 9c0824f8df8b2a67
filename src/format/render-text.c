/*
 * render-text.c - a result (result.h) for a person: an object's values as
 * aligned "Heading: value" lines, each table as an aligned table (numbers
 * right-aligned, a tree's first text column indented by depth), a list of
 * objects as numbered blocks, a nested object as an indented block.
 * Every string goes through the text escaping of format.h.
 *
 * Nesting of objects and lists is the command's (a handful of levels);
 * a tree's rows, which can be as deep as the dump, are walked without
 * recursion.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/result.h"
#include "util.h"

#define MAX_COLS 32
#define MAX_NEST 16

const char *hs_node_text(const hs_node *n, char *buf, size_t size)
{
	if (!n || hs_node_is_null(n))
		return "";
	switch (hs_node_kind(n)) {
	case HS_K_TEXT: return hs_node_str(n);
	case HS_K_COUNT: case HS_K_BYTES: return hs_fmt_count(buf, size, hs_node_u64(n));
	case HS_K_DELTA: return hs_fmt_delta(buf, size, hs_node_i64(n), NULL, NULL);
	case HS_K_PCT: snprintf(buf, size, "%.1f%%", hs_node_real(n)); break;
	case HS_K_ID: snprintf(buf, size, "0x%" PRIx64, hs_node_u64(n)); break;
	case HS_K_BOOL: return hs_node_u64(n) ? "yes" : "no";
	case HS_K_REAL: snprintf(buf, size, "%.4g", hs_node_real(n)); break;
	case HS_K_INT:
		if (hs_node_signed(n))
			snprintf(buf, size, "%" PRId64, hs_node_i64(n));
		else
			snprintf(buf, size, "%" PRIu64, hs_node_u64(n));
		break;
	default: return "";
	}
	return buf;
}

static int numeric(enum hs_kind k)
{
	return k == HS_K_COUNT || k == HS_K_BYTES || k == HS_K_DELTA || k == HS_K_PCT ||
	       k == HS_K_REAL || k == HS_K_INT;
}

static void table(const hs_node *t, FILE *f, int indent)
{
	const char *const *cols = hs_node_text_cols(t);
	const char *heads[MAX_COLS + 2], *cells[MAX_COLS + 1];
	enum hs_align al[MAX_COLS + 1];
	char bufs[MAX_COLS + 1][48], *pad = NULL;
	const hs_node *row;
	hs_table *tab;
	int n = 0, i, depth = 0, tree = -1, num = hs_node_numbered(t) ? 1 : 0, rank = 0;

	if (num) {
		heads[0] = "#";
		al[0] = HS_RIGHT;
	}
	for (n = num; cols[n - num] && n < MAX_COLS; n++) {
		const hs_rfield *fd = hs_rfield_find(cols[n - num]);
		heads[n] = fd->heading;
		al[n] = numeric(fd->kind) ? HS_RIGHT : HS_LEFT;
		if (tree < 0 && fd->kind == HS_K_TEXT)
			tree = n;   /* the column a tree indents */
	}
	heads[n] = NULL;
	if (!(tab = hs_table_new(heads, al)))
		return;
	for (row = hs_node_first(t); row; row = hs_table_next_row(t, row, &depth)) {
		if (num)
			snprintf(bufs[0], sizeof(bufs[0]), "%d", ++rank), cells[0] = bufs[0];
		for (i = num; i < n; i++)
			cells[i] = hs_node_text(hs_node_get(row, cols[i - num]), bufs[i], sizeof(bufs[i]));
		if (depth > 0 && tree >= 0) {
			size_t l = strlen(cells[tree]);
			char *p = realloc(pad, (size_t)depth * 2 + l + 1);
			if (p) {
				pad = p;
				memset(pad, ' ', (size_t)depth * 2);
				memcpy(pad + depth * 2, cells[tree], l + 1);
				cells[tree] = pad;
			}
		}
		if (hs_table_add(tab, cells) < 0)
			break;
	}
	if ((row = hs_node_total(t))) {
		hs_table_rule(tab);
		if (num)
			cells[0] = "";
		for (i = num; i < n; i++)
			cells[i] = hs_node_text(hs_node_get(row, cols[i - num]), bufs[i], sizeof(bufs[i]));
		hs_table_add(tab, cells);
	}
	free(pad);
	hs_table_print_at(tab, f, indent);
	hs_table_free(tab);
}

static int skipped(const hs_node *n, const char *const *skip)
{
	const char *key = hs_node_field(n) ? hs_node_field(n)->key : NULL;
	if (!key || strcmp(key, "schema") == 0 || strcmp(key, "command") == 0)
		return key != NULL;
	for (; skip && *skip; skip++)
		if (strcmp(*skip, key) == 0)
			return 1;
	return 0;
}

/* The values of @p o as aligned lines, then its tables, lists and objects. */
static void object(const hs_node *o, const char *const *skip, FILE *f, int indent, int nest)
{
	const hs_node *c, *e;
	char buf[64], bbuf[32];
	int w = 0, i;

	for (c = hs_node_first(o); c; c = hs_node_next(c))
		if (!skipped(c, skip) && !hs_node_is_container(c) && hs_utf8_chars(hs_node_field(c)->heading) > w)
			w = hs_utf8_chars(hs_node_field(c)->heading);
	for (c = hs_node_first(o); c; c = hs_node_next(c)) {
		const char *h;
		if (skipped(c, skip) || hs_node_is_container(c))
			continue;
		h = hs_node_field(c)->heading;
		hs_fmt_printf(f, "%*s%s:%*s %s", indent, "", h, w - hs_utf8_chars(h), "",
			      hs_node_text(c, buf, sizeof(buf)));
		if (hs_node_kind(c) == HS_K_BYTES && !hs_node_is_null(c) && hs_node_u64(c) >= 1024)
			fprintf(f, " (%s)", hs_fmt_bytes(bbuf, sizeof(bbuf), hs_node_u64(c)));
		fputc('\n', f);
	}
	for (c = hs_node_first(o); c; c = hs_node_next(c)) {
		if (skipped(c, skip) || !hs_node_is_container(c))
			continue;
		if (!hs_node_first(c))
			continue;
		fprintf(f, "\n%*s%s:\n", indent, "", hs_node_field(c)->heading);
		if (hs_node_cols(c)) {
			table(c, f, indent + 2);
		} else if (hs_node_kind(c) == HS_K_OBJECT) {
			if (nest < MAX_NEST)
				object(c, NULL, f, indent + 2, nest + 1);
		} else {
			for (e = hs_node_first(c), i = 1; e; e = hs_node_next(e), i++) {
				if (hs_node_kind(e) == HS_K_OBJECT) {
					fprintf(f, "%*s%d.\n", indent + 2, "", i);
					if (nest < MAX_NEST)
						object(e, NULL, f, indent + 5, nest + 1);
				} else if (!hs_node_is_container(e)) {
					hs_fmt_printf(f, "%*s%s\n", indent + 2, "", hs_node_text(e, buf, sizeof(buf)));
				}
			}
		}
	}
}

int hs_render_text(const hs_result *r, const char *const *skip, FILE *f)
{
	object(hs_res_root((hs_result *)r), skip, f, 0, 0);
	return ferror(f) ? -1 : 0;
}

int hs_render_table(const hs_result *r, const char *key, FILE *f)
{
	const hs_node *c = hs_node_get(hs_res_root((hs_result *)r), key);
	if (c && hs_node_cols(c))
		table(c, f, 0);
	return ferror(f) ? -1 : 0;
}
