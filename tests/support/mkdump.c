/*
 * mkdump.c - writes the synthetic dumps the CLI tests use, each byte of
 * them known: `mkdump NAME FILE [N]`.  Offsets quoted below are what the
 * tests expect heapscan to report.  N scales the dumps below that take it
 * (the tests use small ones; issue 14's figures came from large ones).
 *
 *   small        a valid dump: 3 classes, 5 instances, 2 arrays, roots
 *   empty        0 bytes
 *   not-hprof    text
 *   bad-version  "JAVA PROFILE 9.9"
 *   idsize5      identifier size 5: offset 19
 *   bad-subtag   sub-record tag 0x42 at offset 40 (header 31 + record 9)
 *   truncated    "small" cut in the middle of its last INSTANCE_DUMP
 *   cut-in-heap  "small" cut 3 bytes into its HEAP_DUMP record's body,
 *                inside the first CLASS_DUMP (offset 233): a heap dump
 *                without an object
 *   cut-before-heap "small" cut inside its last LOAD_CLASS record (offset
 *                191), before any heap dump
 *   ends-before-heap "small" without its HEAP_DUMP record: whole records,
 *                no heap dump (the file ends at offset 224)
 *   huge-length  a HEAP_DUMP record claiming 0xfffffff0 bytes, 10 present:
 *                a root, then an INSTANCE_DUMP cut at offset 49
 *   big-instance an INSTANCE_DUMP claiming 17 MiB of fields: over the limit
 *   two-dumps    two heap dumps: 2 and 3 instances of Node
 *   android      HPROF 1.0.3 with Android roots, HEAP_DUMP_INFO and a
 *                primitive array without data
 *   segments     "small" in 7-byte HEAP_DUMP_SEGMENTs (records straddle)
 *   contended    JDK classes with @Contended fields (see contended_heap)
 *   chain        1,000,000 Nodes in one chain from a JNI global root (a
 *                million deep), and an Object[1000] root holding every
 *                1000th: each of those then dominates the 999 after it.
 *                33 MB, for memory-limit tests: the graph needs ~45 MB.
 *   big-array    "small" with a 20 MiB byte[] between its nodes: a pass
 *                skips more than a read-ahead ring holds
 *   roots        "small" plus N times three roots: a JNI global of 0x2000
 *                again, a root with id 0, a Java local of 0x2020 in frame 0
 *                of the thread 0x2030; and the same local in frame 1 once
 *                (N default 1,000)
 *   unknown-classes  4-byte ids: N instances and N object arrays, each of
 *                a class id no record describes (N default 1,000); see
 *                unknown_heap for the cases around them
 *   wide-classes N classes of 65,535 fields each (long, int, short, byte
 *                and reference in turn), one instance of each
 *   referrers    N objects that refer to one target, and to each other in
 *                a chain from a root: the one with the highest id is
 *                nearest the root (N default 1,000)
 *   super-loop   classes whose superclasses loop: A -> B -> A, C -> A, and
 *                D -> D; an instance of each
 *   thread-subclasses  java.lang.Thread and subclasses, as Tomcat's: see
 *                thread_sub_heap
 *   dup-ids      objects whose ids repeat: see dup_heap
 *   unsafe-nocp  JDK 17 without compressed class pointers, its layout
 *                told only by Unsafe's constants (see unsafe_heap)
 *   jdk5-x64     a 64-bit JDK 5 heap (see jdk5_heap)
 *   path-cycles  references looping through an object (see
 *                path_cycles_heap)
 *   weak-paths   objects reached through weak references (see
 *                weak_paths_heap)
 *   unreachable-cycles  objects no root reaches, some in cycles (see
 *                unreachable_cycles_heap)
 *   old-threads  threads named by char[]s, some without thread roots
 *                (see old_threads_heap)
 *   counts       N instances of Item (N default 1,000) in an Object[N]
 *                that a Holder's field "items" holds, the Holder held by a
 *                JNI global root; and one more Item no root reaches.  With
 *                the 4 class objects: N + 6 reachable objects, 1 not
 *   hostile-names  classes named with quotes, commas, a newline, a TAB,
 *                a CR, control bytes, backslashes, invalid UTF-8 and
 *                modified UTF-8 (HOSTILE below); class i (from 0) has i + 1
 *                instances, each held by a JNI global root
 *   html-names   the same with names that are markup: </script><img ...>,
 *                <!--, &amp;, U+2028 (HTML_HOSTILE below)
 *   odd-names    text that must not reach output raw (see odd_heap): a
 *                class named ODD_CLASS, 3 of its instances in a chain, a
 *                thread named by a UTF-16 String with a newline, an ESC, a
 *                quote, a comma and a lone surrogate, whose stack has a
 *                frame of a method named ODD_METHOD
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hprof_writer.h"

enum { S_OBJECT = 1, S_NODE, S_NEXT, S_BYTES, S_HEAPNAME, S_OBJARR };
enum { OBJECT = 0x1000, NODE = 0x1008, BYTES = 0x1010 };

static void classes(hw *w)
{
	hw_ifield f[1] = { { S_NEXT, HW_T_OBJECT } };
	hw_class_spec c;
	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_NODE, "Node");
	hw_string(w, S_NEXT, "next");
	hw_string(w, S_BYTES, "[B");
	hw_load_class(w, 1, OBJECT, S_OBJECT);
	hw_load_class(w, 2, NODE, S_NODE);
	hw_load_class(w, 3, BYTES, S_BYTES);
	memset(&c, 0, sizeof(c));
	c.id = OBJECT;
	hw_class_dump(w, &c);
	c.id = NODE;
	c.super_id = OBJECT;
	c.nfields = 1;
	c.fields = f;
	hw_class_dump(w, &c);
	memset(&c, 0, sizeof(c));
	c.id = BYTES;
	c.super_id = OBJECT;
	hw_class_dump(w, &c);
	hw_root_sticky_class(w, OBJECT);
	hw_root_sticky_class(w, NODE);
	hw_root_sticky_class(w, BYTES);
}

static void node(hw *w, uint64_t id, uint64_t next)
{
	hw_buf b;
	hw_buf_init(&b, hw_idsize(w));
	hw_buf_id(&b, next);
	hw_instance(w, id, NODE, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
}

static void small_heap(hw *w)
{
	classes(w);
	node(w, 0x2000, 0x2010);
	node(w, 0x2010, 0x2020);
	node(w, 0x2020, 0);
	hw_root_jni_global(w, 0x2000, 0x1);
	node(w, 0x2030, 0);   /* unreachable */
	hw_prim_array(w, 0x2040, HW_T_BYTE, 100);
	hw_root_jni_global(w, 0x2040, 0x2);
	{
		uint64_t e[2] = { 0x2030, 0 };
		(void)e;
	}
	node(w, 0x2050, 0x2040);
	hw_root_jni_global(w, 0x2050, 0x3);
	hw_prim_array(w, 0x2060, HW_T_INT, 10);
}

/*
 * "contended": a JDK 17-like heap (java.lang.Module is loaded) with classes
 * that have @Contended in JDK 17, by their JDK 17 fields, subclasses of
 * them, and a java.lang.Thread with JDK 21's fields, where its
 * threadLocalRandom* fields are not @Contended.  One instance of each,
 * each placed right after the previous one at the JVM's size for it
 * (compressed oops, JDK 15+ layout; measured with
 * tests/support/ContendedProbe.java on OpenJDK 17, reasoned for JDK 21's
 * Thread), so that only that layout fits the addresses:
 *   Thread (JDK 21) 104, ForkJoinPool 336, ForkJoinPool$WorkQueue 304,
 *   FjpSub extends ForkJoinPool { int } 344,
 *   FjpSubSub extends FjpSub { Object } 472,
 *   ConcurrentHashMap$CounterCell 280, then a java.lang.Object.
 */
static const struct { const char *name; int super; const char *fields; unsigned size; }
contended_classes[] = {
	{ "java/lang/Object", -1, "", 16 },
	{ "java/lang/Module", 0, "", 0 },
	{ "java/lang/Thread", 0, "Jeetop Jtid Lname Zinterrupted LcontextClassLoader "
	  "LinheritedAccessControlContext Lholder LthreadLocals LinheritableThreadLocals "
	  "LscopedValueBindings LinterruptLock LparkBlocker LnioBlocker Lcont "
	  "LuncaughtExceptionHandler JthreadLocalRandomSeed IthreadLocalRandomProbe "
	  "IthreadLocalRandomSecondarySeed Lcontainer LheadStackableScopes", 104 },
	{ "java/util/concurrent/ForkJoinPool", 0, "JkeepAlive JstealCount IscanRover "
	  "IthreadIds Ibounds Imode Lqueues LregistrationLock Ltermination "
	  "LworkerNamePrefix Lfactory Lueh Lsaturate Jctl", 336 },
	{ "java/util/concurrent/ForkJoinPool$WorkQueue", 0, "Iphase IstackPred Iconfig "
	  "Ibase Larray Lowner Itop Isource Insteals", 304 },
	{ "FjpSub", 3, "Ia", 344 },
	{ "FjpSubSub", 5, "Lb", 472 },
	{ "java/util/concurrent/ConcurrentHashMap$CounterCell", 0, "Jvalue", 280 },
};

static void contended_heap(hw *w)
{
	enum { NC = sizeof(contended_classes) / sizeof(contended_classes[0]) };
	uint64_t sid = 0x100, addr = 0x100000;
	unsigned bytes[NC], i;
	static const unsigned char zero[512];
	for (i = 0; i < NC; i++) {
		hw_ifield f[32];
		hw_class_spec c;
		const char *p = contended_classes[i].fields;
		int sup = contended_classes[i].super;
		uint16_t n = 0;
		hw_string(w, sid, contended_classes[i].name);
		hw_load_class(w, i + 1, 0x1000 + 8 * i, sid++);
		bytes[i] = sup >= 0 ? bytes[sup] : 0;
		while (*p) {
			size_t len = strcspn(p + 1, " ");
			char fn[64];
			snprintf(fn, sizeof(fn), "%.*s", (int)len, p + 1);
			f[n].type = *p == 'J' ? HW_T_LONG : *p == 'I' ? HW_T_INT
				    : *p == 'Z' ? HW_T_BOOLEAN : HW_T_OBJECT;
			bytes[i] += *p == 'J' || *p == 'L' ? 8 : *p == 'I' ? 4 : 1;
			hw_string(w, sid, fn);
			f[n++].name_id = sid++;
			p += 1 + len;
			p += *p == ' ';
		}
		memset(&c, 0, sizeof(c));
		c.id = 0x1000 + 8 * i;
		c.super_id = sup >= 0 ? 0x1000 + 8 * (uint64_t)sup : 0;
		c.nfields = n;
		c.fields = f;
		hw_class_dump(w, &c);
		hw_root_sticky_class(w, c.id);
	}
	for (i = 2; i < NC; i++) {
		hw_instance(w, addr, 0x1000 + 8 * i, zero, bytes[i]);
		hw_root_jni_global(w, addr, 0x10 + i);
		addr += contended_classes[i].size;
	}
	hw_instance(w, addr, 0x1000, zero, 0);
	hw_root_jni_global(w, addr, 0x10);
}

/* "roots": see the top comment. */
static void roots_heap(hw *w, unsigned long n)
{
	unsigned long i;
	small_heap(w);
	hw_root_thread_object(w, 0x2030, 1, 0);
	for (i = 0; i < n; i++) {
		hw_root_jni_global(w, 0x2000, 0x1);
		hw_root_unknown(w, 0);
		hw_root_java_frame(w, 0x2020, 1, 0);
	}
	hw_root_java_frame(w, 0x2020, 1, 1);
}

/*
 * "unknown-classes": java.lang.Object and a class Known; n instances of
 * class ids 0x40000000 + 8 * i and n object arrays of class ids
 * 0x50000000 + 8 * i, which no record describes; two more instances of
 * the first unknown id; an instance of Late (0x1010, named by LOAD_CLASS)
 * before its CLASS_DUMP, which makes no difference; an instance of
 * 0x1018 before a CLASS_DUMP of that id that no LOAD_CLASS names, which
 * leaves the instance under the unknown class.  Every object is held by a
 * root.
 */
static void unknown_heap(hw *w, unsigned long n)
{
	hw_class_spec c;
	hw_buf b;
	uint64_t id = 0x10000000;
	unsigned long i;

	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_NODE, "Known");
	hw_string(w, S_BYTES, "Late");
	hw_load_class(w, 1, 0x1000, S_OBJECT);
	hw_load_class(w, 2, 0x1008, S_NODE);
	hw_load_class(w, 3, 0x1010, S_BYTES);
	memset(&c, 0, sizeof(c));
	c.id = 0x1000;
	hw_class_dump(w, &c);
	c.id = 0x1008;
	c.super_id = 0x1000;
	hw_class_dump(w, &c);
	hw_buf_init(&b, 4);
	hw_buf_u4(&b, 7);
	hw_instance(w, id, 0x1008, b.p, 4);
	hw_root_unknown(w, id);
	id += 16;
	for (i = 0; i < n; i++) {
		hw_instance(w, id, 0x40000000 + 8 * (uint64_t)i, b.p, 4);
		hw_root_unknown(w, id);
		id += 16;
		hw_obj_array(w, id, 0x50000000 + 8 * (uint64_t)i, 0, NULL);
		hw_root_unknown(w, id);
		id += 16;
	}
	for (i = 0; i < 2; i++) {
		hw_instance(w, id, 0x40000000, b.p, 4);
		hw_root_unknown(w, id);
		id += 16;
	}
	hw_instance(w, id, 0x1010, b.p, 4);
	hw_root_unknown(w, id);
	id += 16;
	hw_instance(w, id, 0x1018, b.p, 4);
	hw_root_unknown(w, id);
	c.id = 0x1010;
	hw_class_dump(w, &c);
	c.id = 0x1018;
	hw_class_dump(w, &c);
	hw_buf_free(&b);
}

/* "wide-classes": see the top comment. */
static void wide_heap(hw *w, unsigned long n)
{
	static const uint8_t types[5] = { HW_T_LONG, HW_T_INT, HW_T_SHORT, HW_T_BYTE, HW_T_OBJECT };
	enum { NF = 65535 };
	hw_ifield *f = calloc(NF, sizeof(*f));
	unsigned char *zero;
	hw_class_spec c;
	unsigned long i;
	size_t bytes = 0;
	unsigned k;

	if (!f)
		abort();
	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_NEXT, "f");
	hw_load_class(w, 1, 0x1000, S_OBJECT);
	memset(&c, 0, sizeof(c));
	c.id = 0x1000;
	hw_class_dump(w, &c);
	for (k = 0; k < NF; k++) {
		f[k].name_id = S_NEXT;
		f[k].type = types[k % 5];
		bytes += hw_type_size(w, types[k % 5]);
	}
	zero = calloc(bytes, 1);
	if (!zero)
		abort();
	for (i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Wide%lu", i);
		hw_string(w, 0x100 + i, name);
		hw_load_class(w, 10 + (uint32_t)i, 0x2000 + 8 * (uint64_t)i, 0x100 + i);
		c.id = 0x2000 + 8 * (uint64_t)i;
		c.super_id = 0x1000;
		c.nfields = NF;
		c.fields = f;
		hw_class_dump(w, &c);
		hw_instance(w, 0x10000000 + 0x100000 * (uint64_t)i, c.id, zero, (uint32_t)bytes);
		hw_root_unknown(w, 0x10000000 + 0x100000 * (uint64_t)i);
	}
	free(zero);
	free(f);
}

/* "referrers": Ref { Ref next; Object target } objects 0x10000 + 16 * i,
 * each with target 0x8000; the root holds the last, whose next is the one
 * before, down to the first. */
static void referrers_heap(hw *w, unsigned long n)
{
	hw_ifield f[2] = { { S_NEXT, HW_T_OBJECT }, { S_BYTES, HW_T_OBJECT } };
	hw_class_spec c;
	unsigned long i;

	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_NODE, "Ref");
	hw_string(w, S_NEXT, "next");
	hw_string(w, S_BYTES, "target");
	hw_load_class(w, 1, OBJECT, S_OBJECT);
	hw_load_class(w, 2, NODE, S_NODE);
	memset(&c, 0, sizeof(c));
	c.id = OBJECT;
	hw_class_dump(w, &c);
	c.id = NODE;
	c.super_id = OBJECT;
	c.nfields = 2;
	c.fields = f;
	hw_class_dump(w, &c);
	hw_root_sticky_class(w, OBJECT);
	hw_root_sticky_class(w, NODE);
	hw_instance(w, 0x8000, OBJECT, NULL, 0);
	for (i = 0; i < n; i++) {
		hw_buf b;
		hw_buf_init(&b, hw_idsize(w));
		hw_buf_id(&b, i ? 0x10000 + 16 * (uint64_t)(i - 1) : 0);
		hw_buf_id(&b, 0x8000);
		hw_instance(w, 0x10000 + 16 * (uint64_t)i, NODE, b.p, (uint32_t)b.len);
		hw_buf_free(&b);
	}
	if (n)
		hw_root_jni_global(w, 0x10000 + 16 * (uint64_t)(n - 1), 0x1);
}

/* "counts": classes Object 0x1000, Item 0x1008, Holder 0x1010 { Object
 * items } and Object[] 0x1018; Items 0x10000 + 16 i (i < N) in the
 * Object[] 0x8000, held by the Holder 0x7000, held by a JNI global root;
 * the Item 0x9000 is unreachable. */
static void counts_heap(hw *w, unsigned long n)
{
	enum { S_OBJ = 1, S_ITEM, S_HOLDER, S_ITEMS, S_OARR };
	hw_ifield f[1] = { { S_ITEMS, HW_T_OBJECT } };
	hw_class_spec c;
	uint64_t *elems = calloc(n + 1, sizeof(uint64_t));
	unsigned long i;
	hw_buf b;

	if (!elems)
		exit(1);
	hw_string(w, S_OBJ, "java/lang/Object");
	hw_string(w, S_ITEM, "Item");
	hw_string(w, S_HOLDER, "Holder");
	hw_string(w, S_ITEMS, "items");
	hw_string(w, S_OARR, "[Ljava/lang/Object;");
	hw_load_class(w, 1, 0x1000, S_OBJ);
	hw_load_class(w, 2, 0x1008, S_ITEM);
	hw_load_class(w, 3, 0x1010, S_HOLDER);
	hw_load_class(w, 4, 0x1018, S_OARR);
	memset(&c, 0, sizeof(c));
	c.id = 0x1000;
	hw_class_dump(w, &c);
	c.super_id = 0x1000;
	c.id = 0x1008;
	hw_class_dump(w, &c);
	c.id = 0x1018;
	hw_class_dump(w, &c);
	c.id = 0x1010;
	c.nfields = 1;
	c.fields = f;
	hw_class_dump(w, &c);
	for (i = 0; i < 4; i++)
		hw_root_sticky_class(w, 0x1000 + 8 * i);
	for (i = 0; i < n; i++) {
		elems[i] = 0x10000 + 16 * (uint64_t)i;
		hw_instance(w, elems[i], 0x1008, NULL, 0);
	}
	hw_obj_array(w, 0x8000, 0x1018, (uint32_t)n, elems);
	hw_buf_init(&b, hw_idsize(w));
	hw_buf_id(&b, 0x8000);
	hw_instance(w, 0x7000, 0x1010, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_root_jni_global(w, 0x7000, 0x1);
	hw_instance(w, 0x9000, 0x1008, NULL, 0);
	free(elems);
}

/* "hostile-names": class i at 0x1100 + 8 i, its instances at 0x10000 +
 * 0x1000 i + 16 k.  The names as bytes (tests/cli/output/hostile-names.sh
 * has the same list). */
static const char *const HOSTILE[] = {
	"Q\"uote\"d",
	"Com,ma,",
	"New\nLine",
	"Tab\tStop",
	"C\rR\x01\x02\x1f\x7f",
	"Back\\slash\\n\\",
	"Bad\xff\xfeUTF\xc3",
	"Sep\xe2\x80\xa8" "Bidi\xe2\x80\xae\xc2\x85",
	"Nul\xc0\x80Mod",
	"\",\"\n\",\"",
	"caf\xc3\xa9\xf0\x9f\x98\x80",
};

/* "html-names": the same with names that would be markup in a page
 * (tests/cli/report/hostile.sh and tests/unit/check_html.c). */
static const char *const HTML_HOSTILE[] = {
	"</script><img src=x onerror=alert(1)>",
	"<!--<script>",
	"a&amp;b\"c'd",
	"Sep\xe2\x80\xa8" "Line",
	"</style><b>bold</b>",
};

static void names_heap(hw *w, const char *const *names, uint64_t n)
{
	hw_class_spec c;
	uint64_t i, k;

	hw_string(w, 1, "java/lang/Object");
	hw_load_class(w, 1, 0x1000, 1);
	memset(&c, 0, sizeof(c));
	c.id = 0x1000;
	hw_class_dump(w, &c);
	hw_root_sticky_class(w, 0x1000);
	for (i = 0; i < n; i++) {
		hw_string(w, 2 + i, names[i]);
		hw_load_class(w, (uint32_t)(2 + i), 0x1100 + 8 * i, 2 + i);
		c.id = 0x1100 + 8 * i;
		c.super_id = 0x1000;
		hw_class_dump(w, &c);
		hw_root_sticky_class(w, c.id);
		for (k = 0; k <= i; k++) {
			hw_instance(w, 0x10000 + 0x1000 * i + 16 * k, c.id, NULL, 0);
			hw_root_jni_global(w, 0x10000 + 0x1000 * i + 16 * k, 0x1);
		}
	}
}

/* "super-loop": A { int a } extends B { long b } extends A; C { int c }
 * extends A; D { short d } extends D.  Each instance has its classes'
 * fields once. */
static void super_loop_heap(hw *w)
{
	static const struct { const char *name; uint64_t id, super; uint8_t type; } k[] = {
		{ "A", 0x1100, 0x1108, HW_T_INT }, { "B", 0x1108, 0x1100, HW_T_LONG },
		{ "C", 0x1110, 0x1100, HW_T_INT }, { "D", 0x1118, 0x1118, HW_T_SHORT } };
	static const unsigned char zero[16];
	unsigned i;
	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_NEXT, "f");
	hw_load_class(w, 1, OBJECT, S_OBJECT);
	for (i = 0; i < 4; i++) {
		hw_ifield f = { S_NEXT, k[i].type };
		hw_class_spec c;
		hw_string(w, 0x100 + i, k[i].name);
		hw_load_class(w, 2 + i, k[i].id, 0x100 + i);
		memset(&c, 0, sizeof(c));
		c.id = k[i].id;
		c.super_id = k[i].super;
		c.nfields = 1;
		c.fields = &f;
		hw_class_dump(w, &c);
		hw_root_sticky_class(w, k[i].id);
	}
	hw_instance(w, 0x2000, 0x1100, zero, 12);
	hw_instance(w, 0x2100, 0x1108, zero, 12);
	hw_instance(w, 0x2200, 0x1110, zero, 16);
	hw_instance(w, 0x2300, 0x1118, zero, 2);
	for (i = 0; i < 4; i++)
		hw_root_unknown(w, 0x2000 + 0x100 * i);
}

/*
 * "thread-subclasses": java.lang.Thread { int x }; TaskThread extends
 * Thread; pool.Worker extends TaskThread; pool.Idle extends Thread, with
 * no instance; Unrelated extends java.lang.Object.  Instances, each held
 * by a root: 2 Threads, 5 TaskThreads, 3 pool.Workers and 4 Unrelated.
 * 7 of the threads are live (a ROOT_THREAD_OBJECT each: the 2 Threads,
 * 3 TaskThreads and 2 Workers); the 3 others are not started (a JNI
 * global holds them).  So: 2 java.lang.Thread, 10 with subclasses, 8
 * TaskThread+, 7 live threads.
 */
static void thread_sub_heap(hw *w)
{
	static const struct { const char *name; uint64_t id, super; int n, live; } k[] = {
		{ "java/lang/Thread", 0x1100, OBJECT, 2, 2 }, { "TaskThread", 0x1108, 0x1100, 5, 3 },
		{ "pool/Worker", 0x1110, 0x1108, 3, 2 }, { "pool/Idle", 0x1118, 0x1100, 0, 0 },
		{ "Unrelated", 0x1120, OBJECT, 4, 0 } };
	static const unsigned char zero[16];
	uint64_t id = 0x10000;
	uint32_t serial = 1;
	unsigned i;
	int j;
	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_NEXT, "x");
	hw_load_class(w, 1, OBJECT, S_OBJECT);
	{
		hw_class_spec c;
		memset(&c, 0, sizeof(c));
		c.id = OBJECT;
		hw_class_dump(w, &c);
		hw_root_sticky_class(w, OBJECT);
	}
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		hw_ifield f = { S_NEXT, HW_T_INT };
		hw_class_spec c;
		hw_string(w, 0x100 + i, k[i].name);
		hw_load_class(w, 2 + i, k[i].id, 0x100 + i);
		memset(&c, 0, sizeof(c));
		c.id = k[i].id;
		c.super_id = k[i].super;
		c.nfields = i == 0;   /* Thread's one int field, which subclasses inherit */
		c.fields = &f;
		hw_class_dump(w, &c);
		hw_root_sticky_class(w, k[i].id);
	}
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		for (j = 0; j < k[i].n; j++, id += 0x100) {
			hw_instance(w, id, k[i].id, zero, 4);
			if (j < k[i].live)
				hw_root_thread_object(w, id, serial++, 0);
			else
				hw_root_jni_global(w, id, id + 1);
		}
}

/* "dup-ids": "small", then records whose ids are taken: an instance of
 * Node at 0x2000 again (next 0x2030, which no one else holds), a byte[]
 * at 0x2040 again, an object array (of a class no record describes) at
 * 0x2010, and a Node at the id of class Node.  The first record of each
 * id is the object. */
static void dup_heap(hw *w)
{
	uint64_t e[1] = { 0x2030 };
	small_heap(w);
	node(w, 0x2000, 0x2030);
	hw_prim_array(w, 0x2040, HW_T_BYTE, 5000);
	hw_obj_array(w, 0x2010, 0x1018, 1, e);
	node(w, NODE, 0x2030);
}

/*
 * "odd-names": JDK 9+ Strings (byte[] value, byte coder).  The class name
 * holds a newline, a TAB, an ESC, quotes, a comma and a byte that is not
 * UTF-8 (0xff); the thread's name, a UTF-16 String, a newline, an ESC
 * sequence, quotes, a comma, a lone surrogate (what a Java String has in
 * place of a byte that is not UTF-8) and U+00FF.
 */
#define ODD_CLASS "Evil\nFAIL: x\t\x1b[31m\"q\",c\xffX"
#define ODD_METHOD "run\n\x1b[2J"
static void odd_heap(hw *w)
{
	enum { S_OBJ = 1, S_STR, S_BARR, S_THR, S_ODD, S_VALUE, S_CODER, S_NAME, S_NXT, S_RUN, S_SIG, S_SRC };
	enum { C_OBJ = 0x1000, C_STR = 0x1008, C_BARR = 0x1010, C_THR = 0x1018, C_ODD = 0x1020,
	       T1 = 0x3000, NAME = 0x3010, NAME_VALUE = 0x3030, O1 = 0x3100, O2 = 0x3110, O3 = 0x3120 };
	static const char *const names[] = { NULL, "java/lang/Object", "java/lang/String", "[B",
		"java/lang/Thread", ODD_CLASS, "value", "coder", "name", "next", ODD_METHOD, "()V",
		"Odd\x1b.java" };
	static const uint16_t tname[] = { 'w', '-', '1', '\n', 0x1b, '[', '2', 'J', '"', 'q', '"', ',',
		0xdc00, 0xff };
	hw_ifield sf[2] = { { S_VALUE, HW_T_OBJECT }, { S_CODER, HW_T_BYTE } };
	hw_ifield tf[1] = { { S_NAME, HW_T_OBJECT } };
	hw_ifield of[1] = { { S_NXT, HW_T_OBJECT } };
	uint64_t classes[] = { C_OBJ, C_STR, C_BARR, C_THR, C_ODD };
	uint64_t cname[] = { S_OBJ, S_STR, S_BARR, S_THR, S_ODD };
	unsigned char bytes[sizeof(tname)];
	uint64_t frame = 0x900;
	hw_class_spec c;
	hw_buf b;
	unsigned i;

	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		hw_string(w, i, names[i]);
	for (i = 0; i < 5; i++)
		hw_load_class(w, i + 1, classes[i], cname[i]);
	hw_frame(w, frame, S_RUN, S_SIG, S_SRC, 5, 7);
	hw_trace(w, 1, 1, 1, &frame);
	for (i = 0; i < 5; i++) {
		memset(&c, 0, sizeof(c));
		c.id = classes[i];
		c.super_id = i ? C_OBJ : 0;
		if (classes[i] == C_STR) {
			c.nfields = 2;
			c.fields = sf;
		} else if (classes[i] == C_THR) {
			c.nfields = 1;
			c.fields = tf;
		} else if (classes[i] == C_ODD) {
			c.nfields = 1;
			c.fields = of;
		}
		hw_class_dump(w, &c);
		hw_root_sticky_class(w, classes[i]);
	}
	/* the thread, its name (UTF-16, little-endian as the JVM writes it) */
	hw_buf_init(&b, hw_idsize(w));
	hw_buf_id(&b, NAME);
	hw_instance(w, T1, C_THR, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_root_thread_object(w, T1, 1, 1);
	hw_buf_init(&b, hw_idsize(w));
	hw_buf_id(&b, NAME_VALUE);
	hw_buf_u1(&b, 1);
	hw_instance(w, NAME, C_STR, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	for (i = 0; i < sizeof(tname) / sizeof(tname[0]); i++) {
		bytes[2 * i] = (unsigned char)(tname[i] & 0xff);
		bytes[2 * i + 1] = (unsigned char)(tname[i] >> 8);
	}
	hw_prim_array_data(w, NAME_VALUE, HW_T_BYTE, sizeof(bytes), bytes);
	/* three instances of the odd class in a chain, held by the thread's stack */
	hw_root_java_frame(w, O1, 1, 0);
	hw_buf_init(&b, hw_idsize(w));
	hw_buf_id(&b, O2);
	hw_instance(w, O1, C_ODD, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_buf_init(&b, hw_idsize(w));
	hw_buf_id(&b, O3);
	hw_instance(w, O2, C_ODD, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_buf_init(&b, hw_idsize(w));
	hw_buf_id(&b, 0);
	hw_instance(w, O3, C_ODD, b.p, (uint32_t)b.len);
	hw_buf_free(&b);
}

/*
 * Classes from a table, for the dumps below: class i has id CLS(i), its
 * superclass the entry 'super' (-1: none), its instance fields 'fields'
 * and its static fields 'statics', each a type letter (J long, I int,
 * S short, C char, B byte, Z boolean, L reference) then the name, space
 * separated; a static has "=VALUE" after its name.  Strings get ids from
 * 0x100 up, each class a LOAD_CLASS (serial i + 1) and a sticky root.
 */
#define CLS(i) (0x1000 + 8 * (uint64_t)(i))
struct scls { const char *name; int super; const char *fields, *statics; };

static uint8_t letter_type(char c)
{
	switch (c) {
	case 'J': return HW_T_LONG;
	case 'I': return HW_T_INT;
	case 'S': return HW_T_SHORT;
	case 'C': return HW_T_CHAR;
	case 'B': return HW_T_BYTE;
	case 'Z': return HW_T_BOOLEAN;
	default: return HW_T_OBJECT;
	}
}

static void table_classes(hw *w, const struct scls *t, unsigned n)
{
	uint64_t sid = 0x100;
	unsigned i;
	for (i = 0; i < n; i++) {
		hw_ifield f[64];
		hw_static st[32];
		hw_class_spec c;
		uint16_t nf = 0, ns = 0;
		const char *p;
		hw_string(w, sid, t[i].name);
		hw_load_class(w, i + 1, CLS(i), sid++);
		for (p = t[i].fields; p && *p;) {
			size_t len = strcspn(p + 1, " ");
			char fn[64];
			snprintf(fn, sizeof(fn), "%.*s", (int)len, p + 1);
			f[nf].type = letter_type(*p);
			hw_string(w, sid, fn);
			f[nf++].name_id = sid++;
			p += 1 + len;
			p += *p == ' ';
		}
		for (p = t[i].statics; p && *p;) {
			size_t len = strcspn(p + 1, "=");
			char fn[64];
			snprintf(fn, sizeof(fn), "%.*s", (int)len, p + 1);
			st[ns].type = letter_type(*p);
			hw_string(w, sid, fn);
			st[ns].name_id = sid++;
			st[ns++].value = strtoull(p + 2 + len, (char **)&p, 0);
			p += *p == ' ';
		}
		memset(&c, 0, sizeof(c));
		c.id = CLS(i);
		c.super_id = t[i].super >= 0 ? CLS(t[i].super) : 0;
		c.nfields = nf;
		c.fields = f;
		c.nstatics = ns;
		c.statics = st;
		hw_class_dump(w, &c);
		hw_root_sticky_class(w, c.id);
	}
}

/*
 * "unsafe-nocp": a JDK 17 heap of -XX:-UseCompressedClassPointers with
 * compressed oops as its Unsafe tells it (ARRAY_INT_BASE_OFFSET and
 * ARRAY_OBJECT_BASE_OFFSET 24, ARRAY_OBJECT_INDEX_SCALE 4), whose objects
 * are far apart: the addresses decide nothing.  10 P { int x; Object r }
 * (16-byte header + 4 + 4: 24 bytes) and 10 Object[2] (24 + 2 * 4: 32).
 */
static void unsafe_heap(hw *w)
{
	static const struct scls t[] = {
		{ "java/lang/Object", -1, "", "" },
		{ "java/lang/Module", 0, "", "" },
		{ "jdk/internal/misc/Unsafe", 0, "", "IADDRESS_SIZE=8 IARRAY_OBJECT_INDEX_SCALE=4 "
		  "IARRAY_INT_INDEX_SCALE=4 IARRAY_OBJECT_BASE_OFFSET=24 IARRAY_INT_BASE_OFFSET=24 "
		  "IARRAY_BYTE_BASE_OFFSET=24 IINVALID_FIELD_OFFSET=0xffffffff" },
		{ "P", 0, "Ix Lr", "" },
		{ "[Ljava/lang/Object;", 0, "", "" },
	};
	unsigned i;
	table_classes(w, t, 5);
	for (i = 0; i < 10; i++) {
		uint64_t p = 0x100000 + 0x2000 * (uint64_t)i, e[2] = { p, 0 };
		hw_buf b;
		hw_buf_init(&b, hw_idsize(w));
		hw_buf_u4(&b, i);
		hw_buf_id(&b, 0);
		hw_instance(w, p, CLS(3), b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		hw_obj_array(w, p + 0x1000, CLS(4), 2, e);
		hw_root_jni_global(w, p + 0x1000, 0x10 + i);
	}
}

/*
 * "jdk5-x64": a 64-bit heap of JDK 5 (no java.lang.Module; java.lang.Class
 * without JDK 7's classValueMap; java.lang.Thread without JDK 6's
 * parkBlocker), with the classes' JDK 5 fields (from MAT's JDK 5 dump).
 * JDK 5 had no compressed oops: a String (char[] value; int offset,
 * count, hash) is 16 + 3 * 4, 8 + 8 = 40 bytes; a class object, a
 * java.lang.Class of 2 ints, 17 declared and 2 hidden references (klass,
 * array_klass), 16 + 8 + 19 * 8 = 176 (JDK 6's third, resolved_constructor,
 * would make it 184).  Three Strings 40 bytes apart, then a char[4]
 * (24 + 8 = 32) and a Thread named by it, "main", far from them.
 */
static void jdk5_heap(hw *w)
{
	static const struct scls t[] = {
		{ "java/lang/Object", -1, "", "" },
		{ "java/lang/Class", 0, "LannotationType LdeclaredAnnotations Lannotations "
		  "LenumConstantDirectory LenumConstants LgenericInfo IlastRedefinedCount "
		  "IclassRedefinedCount LdeclaredPublicMethods LdeclaredPublicFields "
		  "LpublicConstructors LdeclaredConstructors LpublicMethods LdeclaredMethods "
		  "LpublicFields LdeclaredFields Lname LnewInstanceCallerCache LcachedConstructor", "" },
		{ "java/lang/Thread", 0, "LuncaughtExceptionHandler LblockerLock Lblocker "
		  "IthreadStatus Jtid JstackSize LinheritableThreadLocals LthreadLocals "
		  "LinheritedAccessControlContext LcontextClassLoader Lgroup Ltarget Zstillborn "
		  "Zdaemon Zsingle_step Zstarted Jeetop LthreadQ Ipriority Lname", "" },
		{ "java/lang/String", 0, "Ihash Icount Ioffset Lvalue", "" },
		{ "[C", 0, "", "" },
	};
	static const unsigned char mainname[8] = { 0, 'm', 0, 'a', 0, 'i', 0, 'n' };
	unsigned i;
	hw_buf b;
	table_classes(w, t, 5);
	for (i = 0; i < 3; i++) {
		hw_buf_init(&b, hw_idsize(w));
		hw_buf_u4(&b, 0);
		hw_buf_u4(&b, 4);
		hw_buf_u4(&b, 0);
		hw_buf_id(&b, 0x200000);
		hw_instance(w, 0x100000 + 40 * (uint64_t)i, CLS(3), b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		hw_root_jni_global(w, 0x100000 + 40 * (uint64_t)i, 0x10 + i);
	}
	hw_prim_array_data(w, 0x200000, HW_T_CHAR, 4, mainname);
	hw_buf_init(&b, hw_idsize(w));
	for (i = 0; i < 3; i++)
		hw_buf_id(&b, 0);
	hw_buf_u4(&b, 5);
	hw_buf_u8(&b, 1);
	hw_buf_u8(&b, 0);
	for (i = 0; i < 6; i++)
		hw_buf_id(&b, 0);
	for (i = 0; i < 4; i++)
		hw_buf_u1(&b, 0);
	hw_buf_u8(&b, 0);
	hw_buf_id(&b, 0);
	hw_buf_u4(&b, 5);
	hw_buf_id(&b, 0x200000);
	hw_instance(w, 0x300000, CLS(2), b.p, (uint32_t)b.len);
	hw_buf_free(&b);
	hw_root_thread_object(w, 0x300000, 1, 1);
}

/*
 * "old-threads": threads of JDK 8 and older, each Thread.name a char[]
 * (UTF-16 in the dump).  Thread objects:
 *   0x3000 "main"                 a thread root (serial 1)
 *   0x3100 "worker-1", 0x3200 "worker-2"  Worker extends Thread, thread
 *                                  roots (serials 2 and 3)
 *   0x3300 "C1 CompilerThread0"   no thread root, held by a JNI global
 *   0x3400 "pool-shutdown-hook"   no thread root, held by main's target
 *   0x3500 "gone"                 no root, nothing refers to it
 *   0x3600                        no root, name null, held by a JNI global
 */
static void old_threads_heap(hw *w)
{
	static const struct scls t[] = {
		{ "java/lang/Object", -1, "", "" },
		{ "java/lang/Thread", 0, "Lname Zdaemon Ltarget", "" },
		{ "Worker", 1, "Iid", "" },
		{ "[C", 0, "", "" },
	};
	static const struct { uint64_t id; int cls; const char *name; int root, daemon; uint64_t target; }
	th[] = {
		{ 0x3000, 1, "main", 1, 0, 0x3400 },
		{ 0x3100, 2, "worker-1", 2, 0, 0 },
		{ 0x3200, 2, "worker-2", 3, 0, 0 },
		{ 0x3300, 1, "C1 CompilerThread0", 0, 1, 0 },
		{ 0x3400, 1, "pool-shutdown-hook", 0, 0, 0 },
		{ 0x3500, 1, "gone", 0, 0, 0 },
		{ 0x3600, 1, NULL, 0, 0, 0 },
	};
	unsigned i, k;
	table_classes(w, t, 4);
	for (i = 0; i < sizeof(th) / sizeof(th[0]); i++) {
		uint64_t name = th[i].name ? th[i].id + 0x80 : 0;
		hw_buf b;
		hw_buf_init(&b, hw_idsize(w));
		if (th[i].cls == 2)
			hw_buf_u4(&b, i);
		hw_buf_id(&b, name);
		hw_buf_u1(&b, (uint8_t)th[i].daemon);
		hw_buf_id(&b, th[i].target);
		hw_instance(w, th[i].id, CLS(th[i].cls), b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		if (name) {
			unsigned char u[64];
			size_t len = strlen(th[i].name);
			for (k = 0; k < len; k++) {
				u[2 * k] = 0;
				u[2 * k + 1] = (unsigned char)th[i].name[k];
			}
			hw_prim_array_data(w, name, HW_T_CHAR, (uint32_t)len, u);
		}
		if (th[i].root) {
			hw_trace(w, th[i].root, th[i].root, 0, NULL);
			hw_root_thread_object(w, th[i].id, th[i].root, th[i].root);
		}
	}
	hw_root_jni_global(w, 0x3300, 0x10);
	hw_root_jni_global(w, 0x3600, 0x11);
}

/*
 * "weak-paths": a WeakReference (extends java.lang.ref.Reference, field
 * referent) on a short path, a strong one longer:
 *   JNI global -> W 0x5000 (WeakReference) .referent -> T 0x5100
 *   JNI global -> A 0x5010 .a -> B 0x5020 .a -> C 0x5030 .a -> T
 *   JNI global -> W2 0x5040 (WeakReference) .referent -> U 0x5110
 *   JNI global -> S 0x5050 (SoftKeep extends WeakReference, Node keep)
 *                .referent -> V 0x5120, .keep -> V
 * Strong paths: T through A B C (its referrers: C, and S's for V); U none;
 * V through S.keep.  With weak references: T through W, U through W2.
 */
static void weak_paths_heap(hw *w)
{
	static const struct scls t[] = {
		{ "java/lang/Object", -1, "", "" },
		{ "java/lang/ref/Reference", 0, "Lreferent", "" },
		{ "java/lang/ref/WeakReference", 1, "", "" },
		{ "Node", 0, "La", "" },
		{ "SoftKeep", 2, "Lkeep", "" },
	};
	static const struct { uint64_t id; int cls; uint64_t f1, f2; int root; } o[] = {
		{ 0x5000, 2, 0x5100, 0, 1 }, { 0x5010, 3, 0x5020, 0, 1 }, { 0x5020, 3, 0x5030, 0, 0 },
		{ 0x5030, 3, 0x5100, 0, 0 }, { 0x5040, 2, 0x5110, 0, 1 }, { 0x5050, 4, 0x5120, 0x5120, 1 },
		{ 0x5100, 0, 0, 0, 0 }, { 0x5110, 0, 0, 0, 0 }, { 0x5120, 0, 0, 0, 0 },
	};
	unsigned i;
	table_classes(w, t, 5);
	for (i = 0; i < sizeof(o) / sizeof(o[0]); i++) {
		hw_buf b;
		hw_buf_init(&b, hw_idsize(w));
		if (o[i].cls)
			hw_buf_id(&b, o[i].f1);   /* referent, or Node.a */
		if (o[i].cls == 4)
			hw_buf_id(&b, o[i].f2);   /* SoftKeep.keep, after its superclasses' */
		hw_instance(w, o[i].id, CLS(o[i].cls), b.p, (uint32_t)b.len);
		hw_buf_free(&b);
		if (o[i].root)
			hw_root_jni_global(w, o[i].id, 0x10 + i);
	}
}

/*
 * "path-cycles": Nodes (Node a, Node b) whose references loop through the
 * object T = 0x4030:
 *   JNI global -> R 0x4000 .a -> A 0x4010 .a -> T
 *   JNI global -> R2 0x4040 .a -> E 0x4050 .a -> B 0x4020 .a -> C 0x4060 .a -> T
 *   T .a -> B, T .b -> D 0x4070; D .a -> T; C .b -> C
 * T's referrers: A, C and D.  D is reached only through T: a path through
 * it passes through T twice (R A T D T).  Loop-free paths to T: R A T and
 * R2 E B C T, nothing else.
 */
static void path_cycles_heap(hw *w)
{
	static const struct scls t[] = {
		{ "java/lang/Object", -1, "", "" },
		{ "Node", 0, "La Lb", "" },
	};
	static const uint64_t n[][3] = {
		{ 0x4000, 0x4010, 0 }, { 0x4010, 0x4030, 0 }, { 0x4020, 0x4060, 0 },
		{ 0x4030, 0x4020, 0x4070 }, { 0x4040, 0x4050, 0 }, { 0x4050, 0x4020, 0 },
		{ 0x4060, 0x4030, 0x4060 }, { 0x4070, 0x4030, 0 },
	};
	unsigned i;
	table_classes(w, t, 2);
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		hw_buf b;
		hw_buf_init(&b, hw_idsize(w));
		hw_buf_id(&b, n[i][1]);
		hw_buf_id(&b, n[i][2]);
		hw_instance(w, n[i][0], CLS(1), b.p, (uint32_t)b.len);
		hw_buf_free(&b);
	}
	hw_root_jni_global(w, 0x4000, 0x10);
	hw_root_jni_global(w, 0x4040, 0x11);
}

/*
 * "unreachable-cycles": 4-byte ids (a 32-bit JVM: Node { Node a, b } is
 * 8 + 4 + 4 = 16 bytes, a byte[100] 12 + 100 = 112).  G 0x050, held by a
 * JNI global, and objects no root reaches:
 *   L 0x120 -> X 0x100 <-> Y 0x110       L: nothing unreached refers to it
 *   P 0x200 <-> Q 0x210, P -> B 0x220 (byte[100])
 *   R1 0x500 <-> R2 0x510, R2 -> S1 0x400 <-> S2 0x410
 * Pseudo-roots as MAT chooses them: L first (no unreached object refers to
 * it), retaining L, X, Y: 48 bytes; then for the cycles left, one object of
 * each that nothing else left refers to: P (P, Q, B: 144 bytes) and R1
 * (R1, R2, S1, S2: 64 bytes); S1's cycle is entered from R2, so it is
 * none.  (The lowest unreached object first gives X 32, L 16, S1 32, R1 32.)
 */
static void unreachable_cycles_heap(hw *w)
{
	static const struct scls t[] = {
		{ "java/lang/Object", -1, "", "" },
		{ "Node", 0, "La Lb", "" },
	};
	static const uint64_t n[][3] = {
		{ 0x050, 0, 0 },
		{ 0x100, 0x110, 0 }, { 0x110, 0x100, 0 }, { 0x120, 0x100, 0 },
		{ 0x200, 0x210, 0x220 }, { 0x210, 0x200, 0 },
		{ 0x400, 0x410, 0 }, { 0x410, 0x400, 0 },
		{ 0x500, 0x510, 0 }, { 0x510, 0x500, 0x400 },
	};
	unsigned i;
	table_classes(w, t, 2);
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		hw_buf b;
		hw_buf_init(&b, hw_idsize(w));
		hw_buf_id(&b, n[i][1]);
		hw_buf_id(&b, n[i][2]);
		hw_instance(w, n[i][0], CLS(1), b.p, (uint32_t)b.len);
		hw_buf_free(&b);
	}
	hw_prim_array(w, 0x220, HW_T_BYTE, 100);
	hw_root_jni_global(w, 0x050, 0x10);
}

int main(int argc, char **argv)
{
	hw *w = NULL;
	const char *name;
	unsigned long n = 1000;
	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: mkdump NAME FILE [N]\n");
		return 2;
	}
	name = argv[1];
	if (argc == 4)
		n = strtoul(argv[3], NULL, 10);
	if (!strcmp(name, "small") || !strcmp(name, "truncated") || !strcmp(name, "segments") ||
	    !strncmp(name, "cut-", 4) || !strcmp(name, "ends-before-heap")) {
		size_t heap;
		w = hw_new(NULL, 8);
		small_heap(w);
		if (!strcmp(name, "segments")) {
			heap = hw_heap_dump_flush(w, 7);
		} else {
			heap = hw_heap_dump_flush(w, HW_ONE_RECORD);
		}
		if (!strcmp(name, "truncated"))
			hw_truncate(w, hw_len(w) - 60);  /* inside the INSTANCE_DUMP of 0x2050 */
		else if (!strcmp(name, "cut-in-heap"))
			hw_truncate(w, heap + 9 + 3);
		else if (!strcmp(name, "cut-before-heap"))
			hw_truncate(w, heap - 5);
		else if (!strcmp(name, "ends-before-heap"))
			hw_truncate(w, heap);
	} else if (!strcmp(name, "empty")) {
		w = hw_new_empty(8);
	} else if (!strcmp(name, "not-hprof")) {
		w = hw_new_empty(8);
		hw_raw(w, "this is not a heap dump, just text\n", 35);
	} else if (!strcmp(name, "bad-version")) {
		w = hw_new("JAVA PROFILE 9.9", 8);
	} else if (!strcmp(name, "idsize5")) {
		w = hw_new(NULL, 5);
	} else if (!strcmp(name, "bad-subtag")) {
		w = hw_new(NULL, 8);
		hw_heap_raw(w, "\x42\0\0\0\0", 5);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "huge-length")) {
		w = hw_new(NULL, 8);
		hw_record_header(w, 0x0c, 0xfffffff0u);
		hw_raw(w, "\xff\0\0\0\0\0\0\x20\0\x21", 10);  /* a root, then a cut INSTANCE_DUMP at 49 */
	} else if (!strcmp(name, "big-instance")) {
		w = hw_new(NULL, 8);
		classes(w);
		hw_instance_header(w, 0x2000, NODE, 17u << 20);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "two-dumps")) {
		w = hw_new(NULL, 8);
		classes(w);
		node(w, 0x2000, 0);
		node(w, 0x2010, 0);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
		classes(w);
		node(w, 0x3000, 0);
		node(w, 0x3010, 0);
		node(w, 0x3020, 0);
		hw_heap_dump_flush(w, 64);
	} else if (!strcmp(name, "android")) {
		w = hw_new("JAVA PROFILE 1.0.3", 4);
		hw_string(w, S_HEAPNAME, "app");
		classes(w);
		hw_heap_dump_info(w, 0x41, S_HEAPNAME);
		node(w, 0x2000, 0x2008);
		node(w, 0x2008, 0);
		hw_root_id(w, 0x89, 0x2000);
		hw_root_id(w, 0x8a, 0x2008);
		hw_root_id(w, 0x8b, 0x2000);
		hw_root_id(w, 0x8c, 0x2000);
		hw_root_id(w, 0x8d, 0x2000);
		hw_root_id(w, 0x90, 0x2000);
		hw_root_jni_monitor(w, 0x2000, 1, 3);
		hw_prim_array_nodata(w, 0x2010, HW_T_BYTE, 1000);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "big-array")) {
		w = hw_new(NULL, 8);
		classes(w);
		node(w, 0x2000, 0x2010);
		hw_prim_array(w, 0x2010, HW_T_BYTE, 20u << 20);
		node(w, 0x2020, 0x2000);
		hw_root_jni_global(w, 0x2020, 0x1);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "chain") || !strcmp(name, "chain-string")) {
		/* chain-string: a STRING record a quarter of the way in, which
		 * ends the first heap dump there: the second holds the rest of
		 * the chain (--dump 2) */
		enum { CHAIN = 1000000, EVERY = 1000 };
		int between = !strcmp(name, "chain-string");
		uint64_t *every = malloc(sizeof(uint64_t) * (CHAIN / EVERY));
		uint32_t i;
		w = hw_new(NULL, 8);
		classes(w);
		hw_string(w, S_OBJARR, "[Ljava/lang/Object;");
		hw_load_class(w, 4, 0x1018, S_OBJARR);
		{
			hw_class_spec c;
			memset(&c, 0, sizeof(c));
			c.id = 0x1018;
			c.super_id = OBJECT;
			hw_class_dump(w, &c);
			hw_root_sticky_class(w, 0x1018);
		}
		if (!every)
			return 1;
		for (i = 0; i < CHAIN; i++) {
			uint64_t id = 0x100000 + (uint64_t)i * 16;
			if (between && i == CHAIN / 4) {
				hw_heap_dump_flush_sizes(w, NULL, 0, 0);
				hw_string(w, 0x7777, "between the segments");
			}
			node(w, id, i + 1 < CHAIN ? id + 16 : 0);
			if (i % EVERY == 0)
				every[i / EVERY] = id;
		}
		hw_root_jni_global(w, 0x100000, 0x1);
		hw_obj_array(w, 0x10, 0x1018, CHAIN / EVERY, every);
		hw_root_jni_global(w, 0x10, 0x2);
		free(every);
		hw_heap_dump_flush(w, 1u << 20);
	} else if (!strcmp(name, "odd-names")) {
		w = hw_new(NULL, 8);
		odd_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "contended")) {
		w = hw_new(NULL, 8);
		contended_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "roots")) {
		w = hw_new(NULL, 8);
		roots_heap(w, n);
		hw_heap_dump_flush(w, 1u << 30);
	} else if (!strcmp(name, "unknown-classes")) {
		w = hw_new(NULL, 4);
		unknown_heap(w, n);
		hw_heap_dump_flush(w, 1u << 30);
	} else if (!strcmp(name, "wide-classes")) {
		w = hw_new(NULL, 8);
		wide_heap(w, argc == 4 ? n : 2);
		hw_heap_dump_flush(w, 1u << 30);
	} else if (!strcmp(name, "referrers")) {
		w = hw_new(NULL, 8);
		referrers_heap(w, n);
		hw_heap_dump_flush(w, 1u << 30);
	} else if (!strcmp(name, "counts")) {
		w = hw_new(NULL, 8);
		counts_heap(w, n);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "hostile-names")) {
		w = hw_new(NULL, 8);
		names_heap(w, HOSTILE, sizeof(HOSTILE) / sizeof(HOSTILE[0]));
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "html-names")) {
		w = hw_new(NULL, 8);
		names_heap(w, HTML_HOSTILE, sizeof(HTML_HOSTILE) / sizeof(HTML_HOSTILE[0]));
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "super-loop")) {
		w = hw_new(NULL, 8);
		super_loop_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "unsafe-nocp")) {
		w = hw_new(NULL, 8);
		unsafe_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "jdk5-x64")) {
		w = hw_new("JAVA PROFILE 1.0.1", 8);
		jdk5_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "old-threads")) {
		w = hw_new(NULL, 8);
		old_threads_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "weak-paths")) {
		w = hw_new(NULL, 8);
		weak_paths_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "path-cycles")) {
		w = hw_new(NULL, 8);
		path_cycles_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "unreachable-cycles")) {
		w = hw_new(NULL, 4);
		unreachable_cycles_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "thread-subclasses")) {
		w = hw_new(NULL, 8);
		thread_sub_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else if (!strcmp(name, "dup-ids")) {
		w = hw_new(NULL, 8);
		dup_heap(w);
		hw_heap_dump_flush(w, HW_ONE_RECORD);
	} else {
		fprintf(stderr, "mkdump: unknown dump '%s'\n", name);
		return 2;
	}
	if (hw_write_file(w, argv[2]) != 0) {
		perror(argv[2]);
		return 2;
	}
	hw_free(w);
	return 0;
}
