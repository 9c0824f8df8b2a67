/*
 * render-json.c - a result (result.h) as a JSON document: pretty-printed,
 * two spaces per level, an object or list that holds only values on one
 * line (so a table's rows are one line each).  The walk follows the
 * nodes' parent links, without recursion, so a deep tree cannot exhaust
 * the stack.
 */
#include <inttypes.h>
#include <math.h>

#include "heapscan/format.h"
#include "heapscan/result.h"

/* Whether @p n holds only values (one line). */
static int flat(const hs_node *n)
{
	const hs_node *c;
	for (c = hs_node_first(n); c; c = hs_node_next(c))
		if (hs_node_is_container(c))
			return 0;
	return 1;
}

static void real(FILE *f, double v, int pct)
{
	if (!isfinite(v))
		fputs("null", f);
	else if (pct)
		fprintf(f, "%.4f", v);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(f, "%.1f", v);
	else
		fprintf(f, "%.10g", v);
}

static void value(FILE *f, const hs_node *n)
{
	if (hs_node_is_null(n)) {
		fputs("null", f);
		return;
	}
	switch (hs_node_kind(n)) {
	case HS_K_TEXT: hs_json_string(f, hs_node_str(n)); break;
	case HS_K_ID: fprintf(f, "\"0x%" PRIx64 "\"", hs_node_u64(n)); break;
	case HS_K_BOOL: fputs(hs_node_u64(n) ? "true" : "false", f); break;
	case HS_K_PCT: real(f, hs_node_real(n), 1); break;
	case HS_K_REAL: real(f, hs_node_real(n), 0); break;
	case HS_K_DELTA: fprintf(f, "%" PRId64, hs_node_i64(n)); break;
	case HS_K_INT:
		if (hs_node_signed(n))
			fprintf(f, "%" PRId64, hs_node_i64(n));
		else
			fprintf(f, "%" PRIu64, hs_node_u64(n));
		break;
	default: fprintf(f, "%" PRIu64, hs_node_u64(n)); break;
	}
}

static void newline(FILE *f, int depth)
{
	fputc('\n', f);
	while (depth-- > 0)
		fputs("  ", f);
}

int hs_render_json(const hs_result *r, FILE *f)
{
	const hs_node *root = hs_res_root((hs_result *)r), *n;
	int d = 1;         /* the depth of n's container's contents */
	int one_at = 0;    /* the depth from which everything is on one line, 0: none */

	fputc('{', f);
	n = hs_node_first(root);
	while (n) {
		const hs_node *p = hs_node_parent(n);
		if (n != hs_node_first(p))
			fputc(',', f);
		if (!one_at)
			newline(f, d);
		if (hs_node_field(n) && hs_node_kind(p) == HS_K_OBJECT) {
			hs_json_string(f, hs_node_field(n)->key);
			fputs(one_at ? ":" : ": ", f);
		}
		if (hs_node_is_container(n)) {
			fputc(hs_node_kind(n) == HS_K_OBJECT ? '{' : '[', f);
			if (hs_node_first(n)) {
				d++;
				if (!one_at && flat(n))
					one_at = d;
				n = hs_node_first(n);
				continue;
			}
			fputc(hs_node_kind(n) == HS_K_OBJECT ? '}' : ']', f);
		} else {
			value(f, n);
		}
		/* up while this was the last child, closing containers */
		while (!hs_node_next(n)) {
			n = hs_node_parent(n);
			if (n == root) {
				n = NULL;
				break;
			}
			if (!one_at)
				newline(f, d - 1);
			fputc(hs_node_kind(n) == HS_K_OBJECT ? '}' : ']', f);
			if (one_at == d)
				one_at = 0;
			d--;
		}
		if (n)
			n = hs_node_next(n);
	}
	if (hs_node_first(root))
		fputc('\n', f);
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}
