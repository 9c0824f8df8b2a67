/*
 * check_stacks.c - threads by their top frames (src/analysis/stacks.c) on
 * a synthetic dump whose stacks are known:
 *
 *   T1, T2, T3  Thread.run <- Service.run <- Service.handle <- Pool.borrow
 *               <- LockSupport.park <- Unsafe.park (T3 at another line of
 *               Pool.borrow: the same method, the same group)
 *   T4          the same but Service.handleOther: another group
 *   T5          an idle pool worker: ThreadPoolExecutor.getTask <- ... park
 *   T6          Object.wait in Service.run
 *   T7          SocketDispatcher.read0 in Service.call
 *   T8          no frames
 *
 * Frames are listed top of the stack first, as the dump has them.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapscan/dump.h"
#include "heapscan/stacks.h"
#include "hprof_writer.h"
#include "unit.h"

enum { C_OBJ = 1, C_THR, C_UNSAFE, C_LS, C_POOL, C_SVC, C_TPE, C_SOCK };   /* class serials */
enum { S_OBJ = 1, S_THR, S_UNSAFE, S_LS, S_POOL, S_SVC, S_TPE, S_SOCK,
       M_PARK, M_BORROW, M_HANDLE, M_OTHER, M_RUN, M_GETTASK, M_WAIT, M_READ0, M_CALL, SIG, SRC };
enum { OBJECT = 0x1000, THREAD = 0x1008, T0 = 0x3000 };

static char path[256];

/* a trace of n frames (method, class serial, line), for thread serial t */
static void trace(hw *w, uint32_t t, const int (*f)[3], uint32_t n)
{
	uint64_t ids[16];
	uint32_t i;
	for (i = 0; i < n; i++) {
		ids[i] = 0x10000u * t + i;
		hw_frame(w, ids[i], (uint64_t)f[i][0], SIG, SRC, (uint32_t)f[i][1], f[i][2]);
	}
	hw_trace(w, t, t, n, ids);
}

static void make(void)
{
	static const char *names[] = { NULL, "java/lang/Object", "java/lang/Thread", "jdk/internal/misc/Unsafe",
		"java/util/concurrent/locks/LockSupport", "com/example/Pool", "com/example/Service",
		"java/util/concurrent/ThreadPoolExecutor", "sun/nio/ch/SocketDispatcher", "park", "borrow",
		"handle", "handleOther", "run", "getTask", "wait", "read0", "call", "()V", "X.java" };
	static const int waiting[][3] = { { M_PARK, C_UNSAFE, -3 }, { M_PARK, C_LS, 211 }, { M_BORROW, C_POOL, 10 },
		{ M_HANDLE, C_SVC, 20 }, { M_RUN, C_SVC, 30 }, { M_RUN, C_THR, 840 } };
	static const int waiting3[][3] = { { M_PARK, C_UNSAFE, -3 }, { M_PARK, C_LS, 211 }, { M_BORROW, C_POOL, 11 },
		{ M_HANDLE, C_SVC, 20 }, { M_RUN, C_SVC, 30 }, { M_RUN, C_THR, 840 } };
	static const int other[][3] = { { M_PARK, C_UNSAFE, -3 }, { M_PARK, C_LS, 211 }, { M_BORROW, C_POOL, 10 },
		{ M_OTHER, C_SVC, 25 }, { M_RUN, C_SVC, 30 }, { M_RUN, C_THR, 840 } };
	static const int idle[][3] = { { M_PARK, C_UNSAFE, -3 }, { M_PARK, C_LS, 211 }, { M_GETTASK, C_TPE, 1062 },
		{ M_RUN, C_THR, 840 } };
	static const int monitor[][3] = { { M_WAIT, C_OBJ, -3 }, { M_RUN, C_SVC, 40 }, { M_RUN, C_THR, 840 } };
	static const int socket[][3] = { { M_READ0, C_SOCK, -3 }, { M_CALL, C_SVC, 50 }, { M_RUN, C_SVC, 51 } };
	hw *w = hw_new(NULL, 8);
	hw_class_spec c;
	uint32_t i;
	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		hw_string(w, i, names[i]);
	hw_load_class(w, C_OBJ, OBJECT, S_OBJ);
	hw_load_class(w, C_THR, THREAD, S_THR);
	for (i = C_UNSAFE; i <= C_SOCK; i++)
		hw_load_class(w, i, 0x1000 + 8u * i, i);
	trace(w, 1, waiting, 6);
	trace(w, 2, waiting, 6);
	trace(w, 3, waiting3, 6);
	trace(w, 4, other, 6);
	trace(w, 5, idle, 4);
	trace(w, 6, monitor, 3);
	trace(w, 7, socket, 3);
	hw_trace(w, 8, 8, 0, NULL);
	memset(&c, 0, sizeof(c));
	c.id = OBJECT;
	hw_class_dump(w, &c);
	c.id = THREAD;
	c.super_id = OBJECT;
	hw_class_dump(w, &c);
	for (i = C_UNSAFE; i <= C_SOCK; i++) {   /* frames name classes that have a record */
		c.id = 0x1000 + 8u * i;
		hw_class_dump(w, &c);
	}
	for (i = 1; i <= 8; i++) {
		hw_instance(w, T0 + 0x10u * i, THREAD, NULL, 0);
		hw_root_thread_object(w, T0 + 0x10u * i, i, i);
	}
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	snprintf(path, sizeof(path), "%s/heapscan-check-stacks-%ld.hprof", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid());
	ck_assert_int_eq(hw_write_file(w, path), 0);
	hw_free(w);
}

static hs_dump *open_dump(void)
{
	hs_dump *d = NULL;
	hs_open_opts o;
	hs_error err;
	make();
	memset(&o, 0, sizeof(o));
	hs_error_clear(&err);
	ck_assert_msg(hs_dump_open(&d, path, &o, &err) == 0, "%s", err.msg);
	return d;
}

/* the thread of serial s: its index in hs_dump_threads() */
static uint32_t thread_ix(const hs_dump *d, uint32_t s)
{
	uint32_t nt, i;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	for (i = 0; i < nt; i++)
		if (th[i].serial == s)
			return i;
	ck_abort_msg("no thread %u", s);
	return 0;
}

static const uint64_t *frames_of(const hs_dump *d, uint32_t s, uint32_t *n)
{
	uint32_t nt;
	const hs_thread_info *th = hs_dump_threads(d, &nt);
	return hs_dump_trace(d, th[thread_ix(d, s)].trace_serial, n);
}

START_TEST(test_stacks_key)
{
	hs_dump *d = open_dump();
	uint32_t n;
	const uint64_t *f = frames_of(d, 1, &n);
	char *t;
	ck_assert_uint_eq(n, 6);
	/* through the second frame outside the JDK: Service.handle */
	ck_assert_uint_eq(hs_stack_key_len(d, f, n), 4);
	t = hs_frames_text(d, f, 4, 0);
	ck_assert_str_eq(t, "Service.handle -> Pool.borrow -> LockSupport.park -> Unsafe.park");
	free(t);
	t = hs_frames_text(d, f, 2, 1);
	ck_assert_str_eq(t, "java.util.concurrent.locks.LockSupport.park -> jdk.internal.misc.Unsafe.park");
	free(t);
	/* the idle worker has no frame outside the JDK: all of its stack */
	f = frames_of(d, 5, &n);
	ck_assert_uint_eq(hs_stack_key_len(d, f, n), 4);
	ck_assert(hs_frame_is_jdk(d, f[0]));
	f = frames_of(d, 1, &n);
	ck_assert(!hs_frame_is_jdk(d, f[2]));
	/* the same method at another line */
	{
		uint32_t n3;
		const uint64_t *f3 = frames_of(d, 3, &n3);
		ck_assert(hs_frames_same(d, f[2], f3[2]));
		ck_assert(!hs_frames_same(d, f[2], f3[3]));
	}
	hs_dump_free(d);
	unlink(path);
}
END_TEST

START_TEST(test_stacks_groups)
{
	hs_dump *d = open_dump();
	hs_stack_group *g = NULL;
	uint32_t ng = 0, i, k, total = 0;
	hs_error err;
	hs_error_clear(&err);
	ck_assert_int_eq(hs_stack_groups(d, &g, &ng, &err), 0);
	/* T1-T3, T4, T5, T6, T7; T8 has no frames */
	ck_assert_uint_eq(ng, 5);
	ck_assert_uint_eq(g[0].n, 3);
	ck_assert_uint_eq(g[0].nframes, 4);
	for (k = 0; k < 3; k++) {
		uint32_t s = hs_dump_threads(d, &i)[g[0].threads[k]].serial;
		ck_assert(s >= 1 && s <= 3);
	}
	for (k = 1; k < ng; k++)
		ck_assert_uint_eq(g[k].n, 1);
	for (k = 0; k < ng; k++)
		total += g[k].n;
	ck_assert_uint_eq(total, 7);
	hs_stack_groups_free(g, ng);
	hs_dump_free(d);
	unlink(path);
}
END_TEST

START_TEST(test_stacks_wait_kind)
{
	hs_dump *d = open_dump();
	uint32_t n;
	const uint64_t *f;
	const char *k;
	f = frames_of(d, 1, &n);
	k = hs_stack_wait_kind(d, f, n);
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k, "park");
	f = frames_of(d, 5, &n);   /* idle in getTask: no wait for something */
	ck_assert_ptr_null(hs_stack_wait_kind(d, f, n));
	f = frames_of(d, 6, &n);
	k = hs_stack_wait_kind(d, f, n);
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k, "monitor");
	f = frames_of(d, 7, &n);
	k = hs_stack_wait_kind(d, f, n);
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k, "socket");
	f = frames_of(d, 8, &n);
	ck_assert_ptr_null(hs_stack_wait_kind(d, f, n));
	hs_dump_free(d);
	unlink(path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("stacks");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_stacks_key);
	tcase_add_test(tc, test_stacks_groups);
	tcase_add_test(tc, test_stacks_wait_kind);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
