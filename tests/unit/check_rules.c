/*
 * check_rules.c - heap rules (src/analysis/rules.c): the class name
 * patterns, parsing, and evaluation against summaries built by hand.
 *
 * The summaries here are literal structs with figures chosen for the test
 * (no dump): each expected outcome follows from those figures and the
 * grammar in rules.h, worked out in the comments.  The summaries are
 * never released (their strings are literals).
 */
#include <check.h>
#include <string.h>

#include "heapscan/rules.h"
#include "unit.h"

static hs_sum_class thread_sub(void)
{
	static char *supers[] = { "java.lang.Thread" };
	hs_sum_class c = { "com.x.Worker", 4, 96, 4096, supers, 1 };
	return c;
}

START_TEST(test_rules_glob)
{
	ck_assert_int_eq(hs_glob_match("java.util.*", "java.util.HashMap"), 1);
	ck_assert_int_eq(hs_glob_match("java.util.*", "java.lang.String"), 0);
	ck_assert_int_eq(hs_glob_match("*", ""), 1);
	ck_assert_int_eq(hs_glob_match("Foo?", "Foo1"), 1);
	ck_assert_int_eq(hs_glob_match("Foo?", "Foo"), 0);
	ck_assert_int_eq(hs_glob_match("Foo?", "Foo12"), 0);
	/* backtracking: the first 'b' is not the one that works */
	ck_assert_int_eq(hs_glob_match("a*bc", "abxbc"), 1);
	ck_assert_int_eq(hs_glob_match("a*b*c", "aXbY"), 0);
	/* '[' is no bracket expression: array class names */
	ck_assert_int_eq(hs_glob_match("[I", "[I"), 1);
	ck_assert_int_eq(hs_glob_match("[I", "I"), 0);
	/* the loader suffix of a class several loaders define: ignored by a
	 * pattern that does not name a loader, matched by one that does */
	ck_assert_int_eq(hs_glob_match("a.Foo", "a.Foo (loader app)"), 1);
	ck_assert_int_eq(hs_glob_match("*Foo", "a.Foo (loader app)"), 1);
	ck_assert_int_eq(hs_glob_match("a.Foo (loader app)", "a.Foo (loader app)"), 1);
	ck_assert_int_eq(hs_glob_match("a.Foo (loader web)", "a.Foo (loader app)"), 0);
}
END_TEST

START_TEST(test_rules_class_in)
{
	hs_sum_class c = thread_sub();
	ck_assert_int_eq(hs_rules_class_in("com.x.*", &c), 1);
	ck_assert_int_eq(hs_rules_class_in("java.lang.Thread", &c), 0);
	/* PATTERN+: the class or one of its superclasses */
	ck_assert_int_eq(hs_rules_class_in("java.lang.Thread+", &c), 1);
	ck_assert_int_eq(hs_rules_class_in("com.x.Worker+", &c), 1);
	ck_assert_int_eq(hs_rules_class_in("java.lang.Runnable+", &c), 0);
	/* every class is an Object, though no super record says it */
	ck_assert_int_eq(hs_rules_class_in("java.lang.Object+", &c), 1);
}
END_TEST

/* now: 3000 reachable bytes; classes com.a.A (10 instances, 100 B shallow,
 * 500 retained) and com.a.B (5, 50, 200), and the pattern com.a.* computed
 * from a dump (together they retain 600: A's and B's sets overlap by 100) */
static hs_summary now_summary(hs_sum_class *cls, hs_sum_set *pat)
{
	hs_summary s;
	memset(&s, 0, sizeof(s));
	memset(cls, 0, 2 * sizeof(*cls));
	cls[0].name = "com.a.A";
	cls[0].instances = 10;
	cls[0].shallow = 100;
	cls[0].retained = 500;
	cls[1].name = "com.a.B";
	cls[1].instances = 5;
	cls[1].shallow = 50;
	cls[1].retained = 200;
	memset(pat, 0, sizeof(*pat));
	pat->name = "com.a.*";
	pat->retained = 600;
	s.classes = cls;
	s.nclasses = 2;
	s.patterns = pat;
	s.npatterns = 1;
	s.reachable_bytes = 3000;
	s.version = 2;
	s.knows_loaded = s.knows_supers = 1;
	return s;
}

/* Parse one rule and evaluate it; the result's ok, or -1 on an error. */
static int eval(const char *line, const hs_summary *now, const hs_summary *base, hs_rule_result *res)
{
	hs_rules rs = { 0 };
	hs_error err;
	int rc;
	ck_assert_msg(hs_rules_add(&rs, line, "test", &err) == 0, "%s: %s", line, err.msg);
	ck_assert_uint_eq(rs.n, 1);
	rc = hs_rules_eval(&rs.r[0], now, base, res, &err);
	hs_rules_release(&rs);
	return rc < 0 ? -1 : res->ok;
}

START_TEST(test_rules_eval_heap)
{
	hs_sum_class cls[2];
	hs_sum_set pat;
	hs_summary now = now_summary(cls, &pat);
	hs_rule_result r;
	/* 3000 bytes against 2 KB = 2048 and 3 KB = 3072 */
	ck_assert_int_eq(eval("heap <= 2KB", &now, NULL, &r), 0);
	ck_assert(r.measured == 3000);
	ck_assert_int_eq(eval("heap <= 3KB", &now, NULL, &r), 1);
	ck_assert_int_eq(eval("heap <= 3000", &now, NULL, &r), 1);
	ck_assert_int_eq(eval("heap <= 2999B", &now, NULL, &r), 0);
}
END_TEST

START_TEST(test_rules_eval_class)
{
	hs_sum_class cls[2];
	hs_sum_set pat;
	hs_summary now = now_summary(cls, &pat);
	hs_rule_result r;
	/* one class: its own row */
	ck_assert_int_eq(eval("com.a.A count <= 9", &now, NULL, &r), 0);
	ck_assert(r.measured == 10);
	ck_assert_int_eq(eval("com.a.A shallow <= 100", &now, NULL, &r), 1);
	ck_assert_int_eq(eval("class com.a.A <= 499", &now, NULL, &r), 0);
	ck_assert(r.measured == 500);
	/* two classes: counts and shallow bytes add up (15, 150); the
	 * retained size is the pattern's own (600), not 500 + 200 */
	ck_assert_int_eq(eval("com.a.* count <= 14", &now, NULL, &r), 0);
	ck_assert(r.measured == 15);
	ck_assert_int_eq(eval("com.a.* shallow <= 150", &now, NULL, &r), 1);
	ck_assert_int_eq(eval("com.a.* <= 600", &now, NULL, &r), 1);
	ck_assert(r.measured == 600);
	ck_assert_int_eq(eval("com.a.* retained <= 599", &now, NULL, &r), 0);
}
END_TEST

START_TEST(test_rules_eval_no_class)
{
	hs_sum_class cls[2];
	hs_sum_set pat;
	hs_summary now = now_summary(cls, &pat);
	hs_rule_result r;
	/* a pattern no class matches would hold for ever: an error ... */
	ck_assert_int_eq(eval("org.none.* <= 1MB", &now, NULL, &r), 0);
	ck_assert_int_eq(r.no_class, 1);
	ck_assert_int_eq(r.absent, 0);
	/* ... unless the rule says it may */
	ck_assert_int_eq(eval("optional org.none.* <= 1MB", &now, NULL, &r), 1);
	ck_assert_int_eq(r.absent, 1);
	ck_assert_int_eq(r.no_class, 0);
}
END_TEST

START_TEST(test_rules_eval_growth)
{
	hs_sum_class cls[2], bcls[2];
	hs_sum_set pat, bpat;
	hs_summary now = now_summary(cls, &pat), base = now_summary(bcls, &bpat);
	hs_rule_result r;
	/* base: 2500 bytes, com.a.* retaining 400; now 3000 and 600 */
	base.reachable_bytes = 2500;
	bpat.retained = 400;
	/* +500 bytes is +20% */
	ck_assert_int_eq(eval("total +19%", &now, &base, &r), 0);
	ck_assert(r.measured > 19.99 && r.measured < 20.01);
	ck_assert_int_eq(eval("total +20%", &now, &base, &r), 1);
	ck_assert_int_eq(eval("total +499B", &now, &base, &r), 0);
	ck_assert(r.measured == 500);
	/* the classes: 400 -> 600, +200 bytes, +50% */
	ck_assert_int_eq(eval("class com.a.* +50%", &now, &base, &r), 1);
	ck_assert(r.measured > 49.99 && r.measured < 50.01);
	ck_assert_int_eq(eval("class com.a.* +199B", &now, &base, &r), 0);
	/* from nothing, any percentage is exceeded */
	bpat.retained = 0;
	ck_assert_int_eq(eval("class com.a.* +1000%", &now, &base, &r), 0);
	ck_assert_int_eq(r.from_zero, 1);
	/* without a baseline, growth rules are skipped and hold */
	ck_assert_int_eq(eval("total +1%", &now, NULL, &r), 1);
	ck_assert_int_eq(r.skipped, 1);
}
END_TEST

START_TEST(test_rules_snapshot_prefix)
{
	/* a snapshot knows no pattern sets, only prefix rows: "com.a.*" gets
	 * the exact figure of the prefix "com.a." (here 650); a pattern that
	 * is no prefix cannot be answered */
	hs_sum_class cls[2];
	hs_sum_set pat, pre = { "com.a.", 650, 15, 150, 2 };
	hs_summary now = now_summary(cls, &pat);
	hs_rule_result r;
	hs_rules rs = { 0 };
	hs_error err;
	now.patterns = NULL;
	now.npatterns = 0;
	now.prefixes = &pre;
	now.nprefixes = 1;
	now.from_snapshot = 1;
	now.source = "base.hss";
	ck_assert_int_eq(eval("com.a.* <= 650", &now, NULL, &r), 1);
	ck_assert(r.measured == 650);
	ck_assert_int_eq(hs_rules_add(&rs, "com.?.* <= 1MB", "test", &err), 0);
	ck_assert_int_lt(hs_rules_eval(&rs.r[0], &now, NULL, &r, &err), 0);
	ck_assert_int_eq(err.code, HS_EUSAGE);
	hs_rules_release(&rs);
}
END_TEST

START_TEST(test_rules_limits)
{
	hs_rules rs = { 0 };
	hs_error err;
	/* sizes below 2^64 bytes: 2^24 TB is 2^64 */
	ck_assert_int_eq(hs_rules_add(&rs, "heap <= 16777215TB", "test", &err), 0);
	ck_assert_int_lt(hs_rules_add(&rs, "heap <= 16777216TB", "test", &err), 0);
	/* counts below 2^64 */
	ck_assert_int_eq(hs_rules_add(&rs, "threads <= 18446744073709551615", "test", &err), 0);
	ck_assert_int_lt(hs_rules_add(&rs, "threads <= 18446744073709551616", "test", &err), 0);
	/* suspect limits from 0.1% to 100% */
	ck_assert_int_eq(hs_rules_add(&rs, "suspect <= 0.1%", "test", &err), 0);
	ck_assert_int_lt(hs_rules_add(&rs, "suspect <= 0.05%", "test", &err), 0);
	ck_assert_int_lt(hs_rules_add(&rs, "suspect <= 101%", "test", &err), 0);
	ck_assert_uint_eq(rs.n, 3);
	hs_rules_release(&rs);
}
END_TEST

START_TEST(test_rules_malformed)
{
	static const char *bad[] = {
		"heap <= lots",        /* no number */
		"heap <= 0x10",        /* no hexadecimal */
		"heap <= 1e6",         /* no exponent */
		"total +10",           /* growth needs a unit or '%' */
		"threads <= -1",
		"heap <= 1EB",         /* no unit beyond TB */
		"heap <=",
	};
	unsigned i;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hs_rules rs = { 0 };
		hs_error err;
		hs_error_clear(&err);
		ck_assert_msg(hs_rules_add(&rs, bad[i], "rules.txt:1", &err) < 0, "accepted '%s'", bad[i]);
		ck_assert_msg(err.msg[0] != '\0', "no message for '%s'", bad[i]);
		ck_assert_uint_eq(rs.n, 0);
		hs_rules_release(&rs);
	}
}
END_TEST

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_rules_glob);
	tcase_add_test(tc, test_rules_class_in);
	tcase_add_test(tc, test_rules_eval_heap);
	tcase_add_test(tc, test_rules_eval_class);
	tcase_add_test(tc, test_rules_eval_no_class);
	tcase_add_test(tc, test_rules_eval_growth);
	tcase_add_test(tc, test_rules_snapshot_prefix);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_rules_limits);
	suite_add_tcase(s, tc);
	tc = tcase_create("malformed");
	tcase_add_test(tc, test_rules_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(rules_suite());
}
