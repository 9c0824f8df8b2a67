/*
 * check_format.c - the escaping of untrusted text (format.h): text, the
 * escaping printf, JSON strings, CSV records and table cells, on control
 * characters, bytes that are not UTF-8 and Java's modified UTF-8.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heapscan/format.h"
#include "unit.h"

/* what hs_text_escape() makes of @p in, and that escaping it again keeps it */
static void esc(const char *in, const char *want)
{
	char *e = hs_text_escape(in), *e2;
	ck_assert_ptr_nonnull(e);
	ck_assert_msg(strcmp(e, want) == 0, "escape: got '%s', want '%s'", e, want);
	e2 = hs_text_escape(e);
	ck_assert_ptr_nonnull(e2);
	ck_assert_msg(strcmp(e2, e) == 0, "escaping twice: '%s' then '%s'", e, e2);
	free(e);
	free(e2);
}

START_TEST(test_text_escape)
{
	esc("", "");
	esc("java.lang.String", "java.lang.String");
	esc("a\nb\tc\rd", "a\\nb\\tc\\rd");
	esc("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
	esc("bell\a del\x7f", "bell\\x07 del\\x7f");
	esc("back\\slash \\n", "back\\slash \\n");   /* kept: escaping twice is a no-op */
	esc("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* not UTF-8: each byte */
	esc("x\xffy", "x\\xffy");
	esc("\x80", "\\x80");
	esc("\xc0\xaf", "\\xc0\\xaf");              /* overlong '/' */
	esc("\xe0\x80\xaf", "\\xe0\\x80\\xaf");      /* overlong, 3 bytes */
	esc("\xe2\x82", "\\xe2\\x82");              /* cut short */
	esc("\xe2\x82x", "\\xe2\\x82x");
	esc("\xed\xa0\x80", "\\xed\\xa0\\x80");      /* a surrogate on its own */
	esc("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");   /* beyond U+10FFFF */
	esc("\xf8\x88\x80\x80\x80", "\\xf8\\x88\\x80\\x80\\x80");
	/* modified UTF-8: U+0000 and a surrogate pair */
	esc("a\xc0\x80z", "a\\x00z");
	esc("\xed\xa0\xbd\xed\xb8\x80", "\xf0\x9f\x98\x80");
	/* C1 controls, line separators, bidirectional controls */
	esc("\xc2\x85 \xc2\x9b", "\\u0085 \\u009b");
	esc("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029");
	esc("\xe2\x80\xae" "evil", "\\u202eevil");
	esc("\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069");
	esc("\xc2\xa0\xc2\xff", "\xc2\xa0\\xc2\\xff");   /* NBSP is kept */
	{
		char *e = hs_text_escape(NULL);
		ck_assert_str_eq(e, "");
		free(e);
	}
}
END_TEST

static const char *volatile none;   /* NULL, unknown to the compiler */

START_TEST(test_fmt_printf)
{
	char buf[256];
	int n;
	n = hs_fmt_snprintf(buf, sizeof(buf), "[%s] [%5s] [%-5s|] [%.3s] [%c%c]", "a\nb", "x", "y", "ab\ncd", 'q', 27);
	ck_assert_str_eq(buf, "[a\\nb] [    x] [y    |] [ab\\n] [q\\x1b]");
	ck_assert_int_eq(n, (int)strlen(buf));
	hs_fmt_snprintf(buf, sizeof(buf), "%d %5u %-3i| %llu %llx %lld %zu %02x %5.1f %.4g %% %*s| %-*s|",
			-42, 7u, 3, 18446744073709551615ull, 255ull, -9ll, (size_t)12, 10, 2.25, 0.5, 4, "ab", 3, "c");
	ck_assert_str_eq(buf, "-42     7 3  | 18446744073709551615 ff -9 12 0a   2.2 0.5 %   ab| c  |");
	hs_fmt_snprintf(buf, sizeof(buf), "%.*s|%s", 2, "\xff\xfe\xfd", none);
	ck_assert_str_eq(buf, "\\xff\\xfe|(null)");
	/* the format itself is not escaped; a short buffer gets the start */
	hs_fmt_snprintf(buf, sizeof(buf), "\r\033[K%s", "\t");
	ck_assert_str_eq(buf, "\r\033[K\\t");
	n = hs_fmt_snprintf(buf, 5, "%s", "abcdefgh");
	ck_assert_int_eq(n, 8);
	ck_assert_str_eq(buf, "abcd");
}
END_TEST

/* What @p emit writes to a FILE. */
static char *capture(void (*emit)(FILE *, const void *), const void *arg)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	ck_assert_ptr_nonnull(f);
	emit(f, arg);
	ck_assert_int_eq(fclose(f), 0);
	return p;
}

static void emit_json(FILE *f, const void *arg)
{
	hs_json j;
	hs_json_init(&j, f);
	j.pretty = 0;
	hs_json_begin_obj(&j, NULL);
	hs_json_str(&j, "v", arg);
	hs_json_end_obj(&j);
}

static void json(const char *in, const char *want)
{
	char *got = capture(emit_json, in);
	char w[512];
	snprintf(w, sizeof(w), "{\"v\":\"%s\"}", want);
	ck_assert_msg(strcmp(got, w) == 0, "json: got %s, want %s", got, w);
	free(got);
}

START_TEST(test_json_strings)
{
	json("plain", "plain");
	json("q\"b\\s/", "q\\\"b\\\\s/");
	json("a\nb\tc\rd\be\ff", "a\\nb\\tc\\rd\\u0008e\\u000cf");
	json("\x1b[0m\x7f", "\\u001b[0m\\u007f");
	json("x\xffy\x80", "x\\ufffdy\\ufffd");
	json("\xe2\x82", "\\ufffd\\ufffd");
	json("caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80");
	json("\xc0\x80", "\\u0000");
	json("\xed\xa0\xbd\xed\xb8\x80", "\xf0\x9f\x98\x80");
	json("\xed\xb8\x80", "\\ufffd\\ufffd\\ufffd");
	json("\xc2\x85\xe2\x80\xa8\xe2\x80\xae", "\\u0085\\u2028\\u202e");
}
END_TEST

static void emit_csv(FILE *f, const void *arg)
{
	hs_csv_row(f, arg, 4);
}

START_TEST(test_csv_rows)
{
	const char *cells[4] = { "plain", "a,b", "say \"hi\"", "two\nlines\x1b\xff" };
	char *got = capture(emit_csv, cells);
	ck_assert_str_eq(got, "plain,\"a,b\",\"say \"\"hi\"\"\",two\\nlines\\x1b\\xff\n");
	free(got);
}
END_TEST

static void emit_table(FILE *f, const void *arg)
{
	static const char *cols[] = { "N", "Class", "Id", NULL };
	static const enum hs_align al[] = { HS_RIGHT, HS_LEFT, HS_LEFT };
	const char *const *cells = arg;
	hs_table *t = hs_table_new(cols, al);
	ck_assert_int_eq(hs_table_addf(t, "%d\t%s\t%s", 1, cells[0], "0x10"), 0);
	ck_assert_int_eq(hs_table_add(t, cells + 1), 0);
	hs_table_print(t, f);
	hs_table_free(t);
}

START_TEST(test_table_cells)
{
	/* a TAB inside an argument of addf stays in its cell; add escapes too */
	const char *cells[4] = { "A\tB\nC", "2", "D\xff", "0x20" };
	char *got = capture(emit_table, cells);
	ck_assert_str_eq(got,
			 "N  Class    Id\n"
			 "1  A\\tB\\nC  0x10\n"
			 "2  D\\xff    0x20\n");
	free(got);
}
END_TEST

START_TEST(test_counts)
{
	char b[64];
	/* the singular for 1 only; separators every three digits */
	ck_assert_str_eq(hs_fmt_counted(b, sizeof(b), 0, "object", "objects"), "0 objects");
	ck_assert_str_eq(hs_fmt_counted(b, sizeof(b), 1, "object", "objects"), "1 object");
	ck_assert_str_eq(hs_fmt_counted(b, sizeof(b), 2, "object", "objects"), "2 objects");
	ck_assert_str_eq(hs_fmt_counted(b, sizeof(b), 999, "class", "classes"), "999 classes");
	ck_assert_str_eq(hs_fmt_counted(b, sizeof(b), 1000, "class", "classes"), "1,000 classes");
	ck_assert_str_eq(hs_fmt_counted(b, sizeof(b), 2345, "entry", "entries"), "2,345 entries");
	ck_assert_str_eq(hs_fmt_counted(b, sizeof(b), 1234567, "rule", "rules"), "1,234,567 rules");
	ck_assert_str_eq(hs_fmt_counted(b, sizeof(b), UINT64_MAX, "byte", "bytes"),
			 "18,446,744,073,709,551,615 bytes");
	/* a buffer too small cuts the text, terminated */
	ck_assert_str_eq(hs_fmt_counted(b, 8, 1234567, "rule", "rules"), "1,234,5");
	/* changes: a sign but for 0, the singular for +1 and -1 */
	ck_assert_str_eq(hs_fmt_delta(b, sizeof(b), 0, NULL, NULL), "0");
	ck_assert_str_eq(hs_fmt_delta(b, sizeof(b), 2990, NULL, NULL), "+2,990");
	ck_assert_str_eq(hs_fmt_delta(b, sizeof(b), -1000, NULL, NULL), "-1,000");
	ck_assert_str_eq(hs_fmt_delta(b, sizeof(b), 1, "object", "objects"), "+1 object");
	ck_assert_str_eq(hs_fmt_delta(b, sizeof(b), -1, "object", "objects"), "-1 object");
	ck_assert_str_eq(hs_fmt_delta(b, sizeof(b), 0, "object", "objects"), "0 objects");
	ck_assert_str_eq(hs_fmt_delta(b, sizeof(b), -12345, "byte", "bytes"), "-12,345 bytes");
	ck_assert_str_eq(hs_fmt_delta(b, sizeof(b), INT64_MIN, NULL, NULL), "-9,223,372,036,854,775,808");
	ck_assert_str_eq(hs_fmt_delta(b, sizeof(b), INT64_MAX, NULL, NULL), "+9,223,372,036,854,775,807");
}
END_TEST

static void emit_whole(FILE *f, const void *arg)
{
	hs_json j;
	hs_json_init(&j, f);
	j.pretty = 0;
	hs_json_begin_obj(&j, NULL);
	hs_json_whole(&j, "v", *(const double *)arg);
	hs_json_end_obj(&j);
}

static void whole(double v, const char *want)
{
	char *got = capture(emit_whole, &v);
	char w[128];
	snprintf(w, sizeof(w), "{\"v\":%s}", want);
	ck_assert_msg(strcmp(got, w) == 0, "json whole: got %s, want %s", got, w);
	free(got);
}

START_TEST(test_json_whole)
{
	/* integers, never 1453104.0000 or 1.8e+19 */
	whole(0, "0");
	whole(-0.0, "0");
	whole(1453104, "1453104");
	whole(-5085400, "-5085400");
	whole(1073741824, "1073741824");
	whole(18446744073709551616.0, "18446744073709551616");
	whole(2.6, "3");
	whole(NAN, "null");
	whole(INFINITY, "null");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("escape");
	tcase_add_test(tc, test_text_escape);
	tcase_add_test(tc, test_fmt_printf);
	tcase_add_test(tc, test_json_strings);
	tcase_add_test(tc, test_csv_rows);
	tcase_add_test(tc, test_table_cells);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_json_whole);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
