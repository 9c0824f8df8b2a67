/*
 * check_html.c - the escaping of the HTML report (render-html.c): dump
 * strings as HTML text (hs_html_text, hs_html_lines) and JSON documents
 * inside <script type="application/json"> (hs_html_script_json), with
 * class names and String values that try to close the element, open a
 * comment, inject a tag or break a line of JavaScript.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/result.h"
#include "unit.h"

static const char *const HOSTILE[] = {
	"</script><img src=x onerror=alert(1)>",
	"</SCRIPT >",
	"<!--<script>",
	"a&amp;b\"c'd",
	"</style><b>bold</b>",
	"Sep\xe2\x80\xa8Line\xe2\x80\xa9",
	"Bad\xff\xfeUTF\xc3",
	"Esc\x1b[31m\n",
};
#define NHOSTILE (sizeof(HOSTILE) / sizeof(HOSTILE[0]))

static char *html(const char *s)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(hs_html_text(f, s), 0);
	fclose(f);
	return p;
}

/* The JSON document of a result holding @p s, escaped for a script. */
static char *script_json(const char *s, char **raw)
{
	hs_result *r = hs_res_new("histogram");
	char *p = NULL, *q = NULL;
	size_t n = 0, m = 0;
	FILE *f;
	hs_node *row = hs_res_row(hs_res_table(hs_res_root(r), "classes", (const char *const[]){ "class", NULL }));
	hs_res_str(row, "class", s);
	ck_assert_int_eq(hs_res_error(r, NULL), 0);
	f = open_memstream(&p, &n);
	hs_render_json(r, f);
	fclose(f);
	f = open_memstream(&q, &m);
	ck_assert_int_eq(hs_html_script_json(f, p, n), 0);
	fclose(f);
	hs_res_free(r);
	*raw = p;
	return q;
}

/* Text holds none of the characters that make markup. */
START_TEST(test_html_text_hostile)
{
	unsigned i;
	for (i = 0; i < NHOSTILE; i++) {
		char *e = html(HOSTILE[i]);
		ck_assert_msg(!strpbrk(e, "<>\"'"), "%s: markup left in %s", HOSTILE[i], e);
		ck_assert_msg(!strchr(e, '\x1b') && !strchr(e, '\n'), "control byte left in %s", e);
		free(e);
	}
}
END_TEST

START_TEST(test_html_text_exact)
{
	char *e = html("</script><img src=x onerror=alert(1)>");
	ck_assert_str_eq(e, "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
	free(e);
	e = html("a&amp;b\"c'd");
	ck_assert_str_eq(e, "a&amp;amp;b&quot;c&#39;d");
	free(e);
	e = html(NULL);
	ck_assert_str_eq(e, "");
	free(e);
	e = html("Bad\xff");   /* not UTF-8: the text output's escape */
	ck_assert_str_eq(e, "Bad\\xff");
	free(e);
}
END_TEST

START_TEST(test_html_lines_keep_newlines)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	const char *s = "Suspect 1: <b>\n  held by </pre>\n";
	ck_assert_int_eq(hs_html_lines(f, s, strlen(s)), 0);
	fclose(f);
	ck_assert_str_eq(p, "Suspect 1: &lt;b&gt;\n  held by &lt;/pre&gt;\n");
	free(p);
}
END_TEST

/* No '<', '>', '&' or line separator is left inside the script element,
 * and each escape is one JSON reads back as the character it was. */
START_TEST(test_html_script_json_hostile)
{
	unsigned i;
	for (i = 0; i < NHOSTILE; i++) {
		char *raw, *e = script_json(HOSTILE[i], &raw);
		ck_assert_msg(!strpbrk(e, "<>&"), "%s: left in %s", HOSTILE[i], e);
		ck_assert_msg(!strstr(e, "\xe2\x80\xa8") && !strstr(e, "\xe2\x80\xa9"), "line separator left in %s", e);
		ck_assert_msg(strstr(e, "\"command\": \"histogram\"") || strstr(e, "\"command\":\"histogram\""),
			      "the document changed: %s", e);
		free(raw);
		free(e);
	}
}
END_TEST

START_TEST(test_html_script_json_exact)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	const char *s = "{\"class\": \"</script><!--&\xe2\x80\xa8\xe2\x80\xa9\xe2\x82\xac\"}";
	ck_assert_int_eq(hs_html_script_json(f, s, strlen(s)), 0);
	fclose(f);
	/* the euro sign (E2 82 AC) is no separator: kept */
	ck_assert_str_eq(p, "{\"class\": \"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029\xe2\x82\xac\"}");
	free(p);
}
END_TEST

/* A separator cut at the end of the buffer is copied as it is. */
START_TEST(test_html_script_json_truncated)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	ck_assert_int_eq(hs_html_script_json(f, "x\xe2\x80", 3), 0);
	fclose(f);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(memcmp(p, "x\xe2\x80", 3), 0);
	free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("html");
	TCase *core = tcase_create("core"), *malformed = tcase_create("malformed");
	tcase_add_test(core, test_html_text_exact);
	tcase_add_test(core, test_html_lines_keep_newlines);
	tcase_add_test(core, test_html_script_json_exact);
	tcase_add_test(malformed, test_html_text_hostile);
	tcase_add_test(malformed, test_html_script_json_hostile);
	tcase_add_test(malformed, test_html_script_json_truncated);
	suite_add_tcase(s, core);
	suite_add_tcase(s, malformed);
	return tu_run(s);
}
