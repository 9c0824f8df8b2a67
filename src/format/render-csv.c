/*
 * render-csv.c - one table of a result (result.h) as CSV: a header of the
 * column names (the JSON field names), one record per row, values as in
 * JSON (plain integers, percentages with four decimals, ids as 0x...),
 * quoted by hs_csv_row().  A tree's rows come depth first, each with its
 * depth (0 for the top rows) in a first column "depth".
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/result.h"

/* The first table among the root's fields, or the one named @p key. */
static const hs_node *find_table(const hs_result *r, const char *key)
{
	const hs_node *c;
	for (c = hs_node_first(hs_res_root((hs_result *)r)); c; c = hs_node_next(c))
		if (hs_node_cols(c) && (!key || strcmp(hs_node_field(c)->key, key) == 0))
			return c;
	return NULL;
}

static const char *cell(const hs_node *n, char *buf, size_t size)
{
	if (!n || hs_node_is_null(n))
		return "";
	switch (hs_node_kind(n)) {
	case HS_K_TEXT: return hs_node_str(n);
	case HS_K_ID: snprintf(buf, size, "0x%" PRIx64, hs_node_u64(n)); break;
	case HS_K_BOOL: return hs_node_u64(n) ? "true" : "false";
	case HS_K_PCT: snprintf(buf, size, "%.4f", hs_node_real(n)); break;
	case HS_K_REAL: snprintf(buf, size, "%.10g", hs_node_real(n)); break;
	case HS_K_DELTA: snprintf(buf, size, "%" PRId64, hs_node_i64(n)); break;
	case HS_K_INT:
		if (hs_node_signed(n))
			snprintf(buf, size, "%" PRId64, hs_node_i64(n));
		else
			snprintf(buf, size, "%" PRIu64, hs_node_u64(n));
		break;
	case HS_K_OBJECT: case HS_K_LIST: return "";
	default: snprintf(buf, size, "%" PRIu64, hs_node_u64(n)); break;
	}
	return buf;
}

int hs_render_csv(const hs_result *r, const char *key, FILE *f)
{
	const hs_node *t = find_table(r, key), *row;
	const char *const *cols;
	const char *cells[33];
	char bufs[33][40], dbuf[16];
	int n = 0, tree = 0, depth = 0, i;

	if (!t)
		return 0;
	cols = hs_node_cols(t);
	tree = hs_table_is_tree(t);
	if (tree)
		cells[n++] = "depth";
	for (i = 0; cols[i] && n < 33; i++)
		cells[n++] = cols[i];
	hs_csv_row(f, cells, n);
	for (row = hs_node_first(t); row; row = hs_table_next_row(t, row, &depth)) {
		n = 0;
		if (tree) {
			snprintf(dbuf, sizeof(dbuf), "%d", depth);
			cells[n++] = dbuf;
		}
		for (i = 0; cols[i] && n < 33; i++, n++)
			cells[n] = cell(hs_node_get(row, cols[i]), bufs[n], sizeof(bufs[n]));
		hs_csv_row(f, cells, n);
	}
	return ferror(f) ? -1 : 0;
}
