/*
 * check_where.c - the `--where` expression language (src/analysis/where.c):
 * expressions that parse and what they select among objects described by
 * hand, errors with their column, and the nesting limit.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/where.h"
#include "unit.h"

/* An object: size, retained, name (text or null), and no other field. */
struct obj {
	double size, retained;
	const char *name;
};

static void lookup(void *ctx, const char *name, hs_wval *out)
{
	const struct obj *o = ctx;
	if (!strcmp(name, "size")) {
		out->kind = HS_WV_NUM;
		out->num = o->size;
	} else if (!strcmp(name, "retained")) {
		out->kind = HS_WV_NUM;
		out->num = o->retained;
	} else if (!strcmp(name, "name")) {
		out->kind = o->name ? HS_WV_TEXT : HS_WV_NULL;
		out->text = o->name;
	} else {
		out->kind = HS_WV_NONE;
	}
}

static int matches(const char *text, const struct obj *o)
{
	hs_where *w;
	hs_error err;
	int m;
	memset(&err, 0, sizeof(err));
	ck_assert_msg(hs_where_parse(&w, text, &err) == 0, "%s: %s", text, err.msg);
	m = hs_where_eval(w, lookup, (void *)o);
	hs_where_free(w);
	return m;
}

START_TEST(test_where_valid)
{
	struct obj big = { 20000, 3 << 20, "http-nio-8080-exec-1" }, small = { 3, 100, NULL };
	ck_assert_int_eq(matches("size > 10000", &big), 1);
	ck_assert_int_eq(matches("size > 10000", &small), 0);
	ck_assert_int_eq(matches("name ~ 'http-nio-*'", &big), 1);
	ck_assert_int_eq(matches("name ~ \"http-nio-*\"", &small), 0);
	ck_assert_int_eq(matches("retained >= 3M and size = 20000", &big), 1);
	ck_assert_int_eq(matches("retained >= 3M and size = 20000", &small), 0);
	ck_assert_int_eq(matches("retained < 1K or name == null", &small), 1);
	ck_assert_int_eq(matches("not (size < 5 or retained > 1G)", &small), 0);
	ck_assert_int_eq(matches("not (size < 5 or retained > 1G)", &big), 1);
	ck_assert_int_eq(matches("((size != 3))", &small), 0);
	ck_assert_int_eq(matches("name = 'http-nio-8080-exec-1'", &big), 1);
	ck_assert_int_eq(matches("name != null", &big), 1);
	ck_assert_int_eq(matches("size >= 2.5", &small), 1);
	/* and binds tighter than or */
	ck_assert_int_eq(matches("size = 3 or size = 1 and retained = 0", &small), 1);
	/* absent fields and mixed kinds make a comparison false */
	ck_assert_int_eq(matches("nosuch = 1", &big), 0);
	ck_assert_int_eq(matches("not nosuch = 1", &big), 1);
	ck_assert_int_eq(matches("name > 5", &big), 0);
	{
		hs_where *w;
		hs_error err;
		uint32_t n;
		const char *const *names;
		ck_assert_int_eq(hs_where_parse(&w, "size > 1 and (size < 9 or name ~ 'a*')", &err), 0);
		names = hs_where_names(w, &n);
		ck_assert_uint_eq(n, 2);
		ck_assert_str_eq(names[0], "size");
		ck_assert_str_eq(names[1], "name");
		hs_where_free(w);
	}
}
END_TEST

/* The error's message for @p text (HS_EUSAGE). */
static void error_is(const char *text, const char *msg)
{
	hs_where *w = (hs_where *)1;
	hs_error err;
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(hs_where_parse(&w, text, &err), HS_EUSAGE);
	ck_assert_ptr_null(w);
	ck_assert_str_eq(err.msg, msg);
}

START_TEST(test_where_invalid)
{
	error_is("", "column 1: expected a field name, a number or a string, found the end");
	error_is("size >", "column 7: expected a field name, a number or a string, found the end");
	error_is("size 10", "column 6: expected a comparison (= != < <= > >= ~), found '1'");
	error_is("size > 10 and", "column 14: expected a field name, a number or a string, found the end");
	error_is("(size > 1", "column 10: expected ')' to close the '(' of column 1");
	error_is("size > 1)", "column 9: expected 'and', 'or' or the end, found ')'");
	error_is("name ~ 'abc", "column 8: unterminated string");
	error_is("size > 10X", "column 10: bad number: unexpected 'X' (suffixes: K, M, G)");
	error_is("size > 1.2.3", "column 11: bad number: unexpected '.' (suffixes: K, M, G)");
	error_is("size > 0x10", "column 9: bad number");
	error_is("name ~ 5", "column 6: ~ takes a pattern in quotes on its right");
	error_is("size > 1 or and", "column 13: expected a field name, a number or a string, found 'and'");
	error_is("size # 1", "column 6: expected a comparison (= != < <= > >= ~), found '#'");
}
END_TEST

START_TEST(test_where_depth)
{
	char buf[1024];
	hs_where *w;
	hs_error err;
	int i, at = 0;
	struct obj o = { 1, 1, "x" };
	/* 64 levels: accepted */
	for (i = 0; i < HS_WHERE_MAX_DEPTH; i++)
		buf[at++] = '(';
	at += sprintf(buf + at, "size = 1");
	for (i = 0; i < HS_WHERE_MAX_DEPTH; i++)
		buf[at++] = ')';
	buf[at] = '\0';
	ck_assert_int_eq(matches(buf, &o), 1);
	/* 65: refused, at the 65th '(' */
	at = 0;
	for (i = 0; i <= HS_WHERE_MAX_DEPTH; i++)
		buf[at++] = '(';
	buf[at] = '\0';
	ck_assert_int_eq(hs_where_parse(&w, buf, &err), HS_EUSAGE);
	ck_assert_str_eq(err.msg, "column 65: nested more than 64 levels deep");
	/* "not" counts as a level too */
	at = 0;
	for (i = 0; i <= HS_WHERE_MAX_DEPTH; i++)
		at += sprintf(buf + at, "not ");
	sprintf(buf + at, "size = 1");
	ck_assert_int_eq(hs_where_parse(&w, buf, &err), HS_EUSAGE);
	ck_assert_str_eq(err.msg, "column 257: nested more than 64 levels deep");
	/* a long text is refused before it is parsed */
	{
		char *big = malloc(HS_WHERE_MAX_LEN + 2);
		memset(big, ' ', HS_WHERE_MAX_LEN + 1);
		big[HS_WHERE_MAX_LEN + 1] = '\0';
		ck_assert_int_eq(hs_where_parse(&w, big, &err), HS_EUSAGE);
		free(big);
	}
}
END_TEST

static Suite *where_suite(void)
{
	Suite *s = suite_create("where");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_where_valid);
	suite_add_tcase(s, tc);
	tc = tcase_create("malformed");
	tcase_add_test(tc, test_where_invalid);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_where_depth);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(where_suite());
}
