/*
 * render-junit.c - the result of `heapscan check` (result.h) as a JUnit
 * XML report, for the CI servers that show test results: one testsuite,
 * one testcase per row of the table "rules" (named by its "rule"), with a
 * failure element when its "status" is violated, an error when it is
 * error (a pattern matching no class), skipped when skipped; the row's
 * "message" says why, after the dump ("dump"), the rule and its "origin".
 */
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "heapscan/result.h"

/* Text in XML 1.0: escaped as text first (format.h), which leaves valid
 * UTF-8 without control characters, then the markup characters. */
static void xml(FILE *f, const char *s)
{
	char *e = hs_text_escape(s ? s : ""), *p;
	for (p = e ? e : "?"; *p; p++)
		switch (*p) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*p, f);
		}
	free(e);
}

static const char *str(const hs_node *row, const char *key)
{
	const hs_node *n = hs_node_get(row, key);
	return n && !hs_node_is_null(n) ? hs_node_str(n) : "";
}

static int is(const hs_node *row, const char *status)
{
	return strcmp(str(row, "status"), status) == 0;
}

/* "DUMP: RULE (ORIGIN): MESSAGE" */
static void body(FILE *f, const char *dump, const hs_node *row)
{
	xml(f, dump);
	fputs(": ", f);
	xml(f, str(row, "rule"));
	fputs(" (", f);
	xml(f, str(row, "origin"));
	fputs("): ", f);
	xml(f, str(row, "message"));
}

int hs_render_junit(const hs_result *r, FILE *f)
{
	const hs_node *root = hs_res_root((hs_result *)r);
	const hs_node *rules = hs_node_get(root, "rules"), *row;
	const char *dump = str(root, "dump");
	unsigned tests = 0, failures = 0, errors = 0, skipped = 0;

	for (row = rules ? hs_node_first(rules) : NULL; row; row = hs_node_next(row)) {
		tests++;
		failures += is(row, "violated");
		errors += is(row, "error");
		skipped += is(row, "skipped");
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuite name=\"heapscan check\" tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\">\n",
		tests, failures, errors, skipped);
	for (row = rules ? hs_node_first(rules) : NULL; row; row = hs_node_next(row)) {
		fputs("  <testcase classname=\"heapscan.check\" name=\"", f);
		xml(f, str(row, "rule"));
		fputs("\">", f);
		if (is(row, "skipped")) {
			fputs("\n    <skipped message=\"", f);
			xml(f, str(row, "message"));
			fputs("\"/>\n  ", f);
		} else if (is(row, "error")) {
			fputs("\n    <error type=\"no-class\" message=\"matches no class\">", f);
			body(f, dump, row);
			fputs("</error>\n  ", f);
		} else if (is(row, "violated")) {
			fputs("\n    <failure type=\"violation\" message=\"", f);
			xml(f, str(row, "message"));
			fputs("\">", f);
			body(f, dump, row);
			fputs("</failure>\n  ", f);
		}
		fputs("</testcase>\n", f);
	}
	fputs("</testsuite>\n", f);
	return ferror(f) ? -1 : 0;
}
