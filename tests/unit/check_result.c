/*
 * check_result.c - the result model (result.h) and its renderers: the
 * exact JSON, CSV and text of small hand-built results (a table with a
 * total row, a tree, hostile strings), the checks on field names and
 * kinds, and the field list's order (it is binary-searched).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/result.h"
#include "unit.h"

typedef int (*render_fn)(const hs_result *, FILE *);

static char *render(const hs_result *r, int how, const char *table)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	ck_assert_ptr_nonnull(f);
	if (how == 0)
		hs_render_json(r, f);
	else if (how == 1)
		hs_render_csv(r, table, f);
	else
		hs_render_text(r, NULL, f);
	fclose(f);
	return p;
}

static void same(char *got, const char *want)
{
	ck_assert_msg(strcmp(got, want) == 0, "got:\n%s\nwant:\n%s", got, want);
	free(got);
}

/* A histogram-like result: two rows with hostile class names, a total. */
static hs_result *sample(void)
{
	static const char *const cols[] = { "class", "instances", "shallow", NULL };
	hs_result *r = hs_res_new("histogram");
	hs_node *root = hs_res_root(r), *t, *row;
	hs_res_str(root, "dump", "a.hprof");
	t = hs_res_table(root, "classes", cols);
	row = hs_res_row(t);
	hs_res_str(row, "class", "Q\"uote,comma");
	hs_res_u64(row, "instances", 1234567);
	hs_res_u64(row, "shallow", 16);
	row = hs_res_row(t);
	hs_res_str(row, "class", "</script>\n\x1b[2J\xff");
	hs_res_u64(row, "instances", 1);
	hs_res_u64(row, "shallow", 0);
	row = hs_res_total(t);
	hs_res_str(row, "class", "Total");
	hs_res_u64(row, "instances", 1234568);
	hs_res_u64(root, "classes_total", 2);
	return r;
}

START_TEST(test_json)
{
	hs_result *r = sample();
	ck_assert_int_eq(hs_res_error(r, NULL), 0);
	same(render(r, 0, NULL),
	     "{\n"
	     "  \"schema\": 2,\n"
	     "  \"command\": \"histogram\",\n"
	     "  \"dump\": \"a.hprof\",\n"
	     "  \"classes\": [\n"
	     "    {\"class\":\"Q\\\"uote,comma\",\"instances\":1234567,\"shallow\":16},\n"
	     "    {\"class\":\"</script>\\n\\u001b[2J\\ufffd\",\"instances\":1,\"shallow\":0}\n"
	     "  ],\n"
	     "  \"classes_total\": 2\n"
	     "}\n");
	hs_res_free(r);
}
END_TEST

START_TEST(test_csv_and_text)
{
	hs_result *r = sample();
	same(render(r, 1, "classes"),
	     "class,instances,shallow\n"
	     "\"Q\"\"uote,comma\",1234567,16\n"
	     "</script>\\n\\x1b[2J\\xff,1,0\n");
	same(render(r, 1, "nothing"), "");
	same(render(r, 2, NULL),
	     "Dump:    a.hprof\n"
	     "Classes: 2\n"
	     "\n"
	     "Classes:\n"
	     "  Class                   Instances  Shallow\n"
	     "  Q\"uote,comma            1,234,567       16\n"
	     "  </script>\\n\\x1b[2J\\xff          1        0\n"
	     "  ------------------------------------------\n"
	     "  Total                   1,234,568         \n");
	hs_res_free(r);
}
END_TEST

/* A tree: CSV depth first with its depth, text indented, JSON nested. */
START_TEST(test_tree)
{
	static const char *const cols[] = { "class", "retained", NULL };
	hs_result *r = hs_res_new("dominators");
	hs_node *t = hs_res_table(hs_res_root(r), "objects", cols), *a, *b, *c;
	a = hs_res_row(t);
	hs_res_str(a, "class", "A");
	hs_res_u64(a, "retained", 30);
	b = hs_res_row(hs_res_children(a));
	hs_res_str(b, "class", "B");
	hs_res_u64(b, "retained", 20);
	c = hs_res_row(hs_res_children(b));
	hs_res_str(c, "class", "C");
	hs_res_u64(c, "retained", 10);
	c = hs_res_row(t);
	hs_res_str(c, "class", "D");
	hs_res_u64(c, "retained", 5);
	ck_assert_int_eq(hs_res_error(r, NULL), 0);
	same(render(r, 1, NULL), "depth,class,retained\n0,A,30\n1,B,20\n2,C,10\n0,D,5\n");
	same(render(r, 0, NULL),
	     "{\n"
	     "  \"schema\": 2,\n"
	     "  \"command\": \"dominators\",\n"
	     "  \"objects\": [\n"
	     "    {\n"
	     "      \"class\": \"A\",\n"
	     "      \"retained\": 30,\n"
	     "      \"children\": [\n"
	     "        {\n"
	     "          \"class\": \"B\",\n"
	     "          \"retained\": 20,\n"
	     "          \"children\": [\n"
	     "            {\"class\":\"C\",\"retained\":10}\n"
	     "          ]\n"
	     "        }\n"
	     "      ]\n"
	     "    },\n"
	     "    {\"class\":\"D\",\"retained\":5}\n"
	     "  ]\n"
	     "}\n");
	same(render(r, 2, NULL),
	     "\nObjects:\n"
	     "  Class  Retained\n"
	     "  A            30\n"
	     "    B          20\n"
	     "      C        10\n"
	     "  D             5\n");
	hs_res_free(r);
}
END_TEST

/* Kinds: percentages, ids, deltas, booleans, null. */
START_TEST(test_kinds)
{
	hs_result *r = hs_res_new("info");
	hs_node *o = hs_res_root(r);
	hs_res_pct(o, "retained_pct", 1, 3);
	hs_res_u64(o, "id", 0xfd5c68c0);
	hs_res_i64(o, "delta_instances", -1234);
	hs_res_null(o, "label");
	ck_assert_int_eq(hs_res_error(r, NULL), 0);
	same(render(r, 0, NULL),
	     "{\n  \"schema\": 2,\n  \"command\": \"info\",\n  \"retained_pct\": 33.3333,\n"
	     "  \"id\": \"0xfd5c68c0\",\n  \"delta_instances\": -1234,\n  \"label\": null\n}\n");
	same(render(r, 2, NULL),
	     "Retained %:  33.3%\nId:          0xfd5c68c0\nΔ instances: -1,234\nDetails:     \n");
	hs_res_free(r);
}
END_TEST

/* An undocumented name or a value of the wrong kind fails the result. */
START_TEST(test_checks)
{
	hs_error err;
	hs_result *r = hs_res_new("x");
	memset(&err, 0, sizeof(err));
	ck_assert_ptr_null(hs_res_u64(hs_res_root(r), "no_such_field", 1));
	ck_assert_int_eq(hs_res_error(r, &err), HS_EINTERNAL);
	ck_assert_msg(strstr(err.msg, "no_such_field") != NULL, "%s", err.msg);
	/* later calls do nothing */
	ck_assert_ptr_null(hs_res_u64(hs_res_root(r), "retained", 1));
	hs_res_free(r);

	r = hs_res_new("x");
	ck_assert_ptr_null(hs_res_str(hs_res_root(r), "retained", "1 MB"));
	ck_assert_int_eq(hs_res_error(r, NULL), HS_EINTERNAL);
	hs_res_free(r);

	r = hs_res_new("x");
	ck_assert_ptr_null(hs_res_row(hs_res_list(hs_res_root(r), "classes")));
	ck_assert_int_eq(hs_res_error(r, NULL), HS_EINTERNAL);
	hs_res_free(r);
}
END_TEST

START_TEST(test_field_list)
{
	int n, i;
	const hs_rfield *f = hs_rfield_all(&n);
	ck_assert_int_gt(n, 10);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_eq(hs_rfield_find(f[i].key), &f[i]);
		ck_assert_msg(f[i].heading[0] && f[i].doc[0], "%s: heading and doc", f[i].key);
		if (i)
			ck_assert_msg(strcmp(f[i - 1].key, f[i].key) < 0, "fields.c: %s before %s", f[i - 1].key, f[i].key);
	}
	ck_assert_ptr_null(hs_rfield_find("zzz"));
	ck_assert_ptr_null(hs_rfield_find(""));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("result");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_csv_and_text);
	tcase_add_test(tc, test_tree);
	tcase_add_test(tc, test_kinds);
	tcase_add_test(tc, test_checks);
	tcase_add_test(tc, test_field_list);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
