/*
 * check_diff.c - comparing two summaries (src/analysis/diff.c), on
 * summaries made by hand: the expected rows, their order and the thread
 * name patterns follow from the figures below, worked out in comments.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "heapscan/diff.h"
#include "unit.h"

static const hs_diff_row *find(const hs_diff *d, const char *name)
{
	uint32_t i;
	for (i = 0; i < d->nrows; i++)
		if (!strcmp(d->rows[i].name, name))
			return &d->rows[i];
	return NULL;
}

START_TEST(test_diff_rows)
{
	/* base: A 10/100/500, B 5/50/200, C 1/8/8; now: A 12/120/900,
	 * B unchanged, C gone, D new 3/30/30 */
	hs_sum_class bc[3] = { { "a.A", 10, 100, 500, NULL, 0 }, { "a.B", 5, 50, 200, NULL, 0 },
			       { "a.C", 1, 8, 8, NULL, 0 } };
	hs_sum_class nc[3] = { { "a.B", 5, 50, 200, NULL, 0 }, { "a.D", 3, 30, 30, NULL, 0 },
			       { "a.A", 12, 120, 900, NULL, 0 } };
	hs_summary base, now;
	hs_diff d;
	hs_error err;
	const hs_diff_row *r;
	memset(&base, 0, sizeof(base));
	memset(&now, 0, sizeof(now));
	base.classes = bc;
	base.nclasses = 3;
	base.reachable_bytes = 1000;
	base.reachable_objects = 16;
	base.threads_total = 2;
	now.classes = nc;
	now.nclasses = 3;
	now.reachable_bytes = 1500;
	now.reachable_objects = 20;
	now.threads_total = 5;
	ck_assert_int_eq(hs_diff_compute(&d, &base, &now, &err), 0);
	ck_assert_int_eq(d.d_reachable, 500);
	ck_assert_int_eq(d.d_objects, 4);
	ck_assert_int_eq(d.d_threads, 3);
	/* one row per name of either side */
	ck_assert_uint_eq(d.nrows, 4);
	/* by retained growth, largest first: A +400, D +30, B 0, C -8 */
	ck_assert_str_eq(d.rows[0].name, "a.A");
	ck_assert_str_eq(d.rows[1].name, "a.D");
	ck_assert_str_eq(d.rows[2].name, "a.B");
	ck_assert_str_eq(d.rows[3].name, "a.C");
	r = find(&d, "a.A");
	ck_assert_int_eq(r->d_count, 2);
	ck_assert_int_eq(r->d_shallow, 20);
	ck_assert_int_eq(r->d_retained, 400);
	ck_assert_uint_eq(r->base_retained, 500);
	ck_assert_uint_eq(r->new_retained, 900);
	r = find(&d, "a.D");   /* new: nothing in the base */
	ck_assert_uint_eq(r->base_count, 0);
	ck_assert_int_eq(r->d_count, 3);
	r = find(&d, "a.C");   /* gone: nothing now */
	ck_assert_uint_eq(r->new_count, 0);
	ck_assert_int_eq(r->d_retained, -8);
	hs_diff_release(&d);
}
END_TEST

START_TEST(test_diff_ties_and_loaders)
{
	/* equal retained growth: more shallow growth first, then by name;
	 * a name two loaders define in the base is matched to its first row */
	hs_sum_class bc[3] = { { "x.Dup", 1, 10, 10, NULL, 0 }, { "x.Dup", 1, 20, 20, NULL, 0 },
			       { "x.Q", 1, 10, 10, NULL, 0 } };
	hs_sum_class nc[3] = { { "x.Dup", 1, 10, 15, NULL, 0 }, { "x.Q", 1, 12, 15, NULL, 0 },
			       { "x.P", 1, 5, 5, NULL, 0 } };
	hs_summary base, now;
	hs_diff d;
	hs_error err;
	memset(&base, 0, sizeof(base));
	memset(&now, 0, sizeof(now));
	base.classes = bc;
	base.nclasses = 3;
	now.classes = nc;
	now.nclasses = 3;
	ck_assert_int_eq(hs_diff_compute(&d, &base, &now, &err), 0);
	/* Dup: 10 -> 15 (+5, shallow +0), Q: 10 -> 15 (+5, shallow +2),
	 * P: 0 -> 5 (+5, shallow +5): P, Q, Dup */
	ck_assert_uint_eq(d.nrows, 3);
	ck_assert_str_eq(d.rows[0].name, "x.P");
	ck_assert_str_eq(d.rows[1].name, "x.Q");
	ck_assert_str_eq(d.rows[2].name, "x.Dup");
	ck_assert_uint_eq(d.rows[2].base_retained, 10);
	hs_diff_release(&d);
}
END_TEST

START_TEST(test_diff_threads)
{
	/* worker-1, worker-2 -> worker-1..3 and main: the pattern worker-*
	 * grows by one, main appears */
	hs_sum_thread bt[2] = { { "worker-1", 0, 0, "", 0, -1 }, { "worker-2", 0, 0, "", 0, -1 } };
	hs_sum_thread nt[4] = { { "worker-1", 0, 0, "", 0, -1 }, { "main", 0, 0, "", 0, -1 },
				{ "worker-2", 0, 0, "", 0, -1 }, { "worker-3", 0, 0, "", 0, -1 } };
	hs_summary base, now;
	hs_diff d;
	hs_error err;
	uint32_t i, w = 2, m = 2;
	memset(&base, 0, sizeof(base));
	memset(&now, 0, sizeof(now));
	base.threads = bt;
	base.nthreads = 2;
	now.threads = nt;
	now.nthreads = 4;
	ck_assert_int_eq(hs_diff_compute(&d, &base, &now, &err), 0);
	ck_assert_uint_eq(d.nthreads, 2);
	for (i = 0; i < d.nthreads; i++) {
		if (!strcmp(d.threads[i].pattern, "worker-*"))
			w = i;
		else if (!strcmp(d.threads[i].pattern, "main"))
			m = i;
	}
	ck_assert_uint_lt(w, 2);
	ck_assert_uint_lt(m, 2);
	ck_assert_int_eq(d.threads[w].base, 2);
	ck_assert_int_eq(d.threads[w].now, 3);
	ck_assert_int_eq(d.threads[w].delta, 1);
	ck_assert_int_eq(d.threads[m].base, 0);
	ck_assert_int_eq(d.threads[m].delta, 1);
	hs_diff_release(&d);
}
END_TEST

START_TEST(test_diff_limits)
{
	/* saturated rather than overflowed */
	ck_assert_int_eq(hs_delta(UINT64_MAX, 0), INT64_MAX);
	ck_assert_int_eq(hs_delta(0, UINT64_MAX), INT64_MIN);
	ck_assert_int_eq(hs_delta((uint64_t)INT64_MAX + 1, 1), INT64_MAX);
	ck_assert_int_eq(hs_delta(5, 7), -2);
	ck_assert_uint_eq(hs_abs64(INT64_MIN), (uint64_t)1 << 63);
	ck_assert_uint_eq(hs_abs64(-3), 3);
	/* the noise floor: both the bytes and the percentage */
	ck_assert_int_eq(hs_diff_grown(100, 200, 1.0, 64 << 10), 0);   /* +100 B */
	ck_assert_int_eq(hs_diff_grown(1 << 20, (1 << 20) + (64 << 10), 1.0, 64 << 10), 1);  /* +6.25% */
	ck_assert_int_eq(hs_diff_grown(100u << 20, (100u << 20) + (64 << 10), 1.0, 64 << 10), 0);  /* +0.06% */
	ck_assert_int_eq(hs_diff_grown(0, 1, 50.0, 0), 1);   /* from nothing */
	ck_assert_int_eq(hs_diff_grown(7, 7, 0, 0), 0);
	ck_assert_int_eq(hs_diff_grown(8, 7, 0, 0), 0);
}
END_TEST

static Suite *diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_diff_rows);
	tcase_add_test(tc, test_diff_ties_and_loaders);
	tcase_add_test(tc, test_diff_threads);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_diff_limits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(diff_suite());
}
