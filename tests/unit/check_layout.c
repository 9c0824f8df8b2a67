/*
 * check_layout.c - the JDK 15+ field layout (src/graph/layout.c) against a
 * plain first fit, and on classes of 65,535 fields.
 *
 * The reference places each field by scanning an occupancy map from byte
 * 0, as HotSpot's FieldLayoutBuilder describes it and as layout.c did
 * until issue 14 (quadratic in the field count); layout.c now resumes
 * each size's search where the last one stopped, which must give the same
 * offsets.  Random class hierarchies come from a fixed-seed xorshift, so
 * every run sees the same ones.  The sizes of every candidate layout are
 * read from the dump's internals (dump_int.h): the chosen one alone would
 * hide the others.
 *
 * The "limits" case lays out six classes of 65,535 fields: under a second
 * now, a minute with the old search; the tcase's 20 s timeout fails the
 * test if the quadratic search comes back.
 *
 * The classic layout (JDK 6-14) and array sizes, which the above leaves
 * out, are checked against offsets worked out by hand.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump_int.h"
#include "hprof_writer.h"
#include "unit.h"

static char path[256];

enum { S_OBJECT = 1, S_F, S_NAMES = 0x100 };
enum { OBJECT = 0x1000, FIRST = 0x2000 };

/* the JDK 15+ candidates (hs_cands): compressed and full references */
static const struct { unsigned cand, ref; } newl[] = { { 0, 4 }, { 2, 8 } };
#define HEADER 12

static void setup(void)
{
	snprintf(path, sizeof(path), "%s/heapscan-check-layout-%ld.hprof",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
}

static void teardown(void)
{
	unlink(path);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

struct rclass {
	int super;            /* index in the test's list, -1: java.lang.Object */
	unsigned nf;
	uint8_t type[48];
	/* the reference's results, per JDK 15+ candidate */
	uint8_t *occ[2];
	unsigned last[2], size[2];
};

static unsigned type_size(uint8_t t, unsigned ref)
{
	switch (t) {
	case HW_T_OBJECT: return ref;
	case HW_T_LONG: case HW_T_DOUBLE: return 8;
	case HW_T_INT: case HW_T_FLOAT: return 4;
	case HW_T_SHORT: case HW_T_CHAR: return 2;
	default: return 1;
	}
}

/* First fit from byte 0: primitives largest first, then references, each
 * in declaration order. */
static void reference_layout(struct rclass *k, const struct rclass *sup, unsigned v)
{
	unsigned ref = newl[v].ref, base = sup ? sup->last[v] : HEADER;
	unsigned cap = base + 16 * k->nf + 16, end = base, last = base, pass, sz, i;
	uint8_t *occ = calloc(cap, 1);
	ck_assert_ptr_nonnull(occ);
	if (sup)
		memcpy(occ, sup->occ[v], sup->last[v]);
	else
		memset(occ, 1, HEADER);
	for (pass = 0; pass < 2; pass++)
		for (sz = 8; sz >= 1; sz /= 2)
			for (i = 0; i < k->nf; i++) {
				unsigned fs = type_size(k->type[i], ref), o, j;
				if ((k->type[i] == HW_T_OBJECT) != (pass == 1) || fs != sz)
					continue;
				for (o = 0;; o += fs) {
					for (j = 0; j < fs && !occ[o + j]; j++)
						;
					if (j == fs)
						break;
				}
				memset(occ + o, 1, fs);
				if (o + fs > end)
					end = o + fs;
				if (o + fs > last)
					last = o + fs;
			}
	k->occ[v] = occ;
	k->last[v] = last;
	k->size[v] = end;
}

static hs_dump *open_dump(hw *w)
{
	hs_open_opts o;
	hs_error err;
	hs_dump *d = NULL;
	ck_assert_int_eq(hw_write_file(w, path), 0);
	hw_free(w);
	memset(&o, 0, sizeof(o));
	ck_assert_msg(hs_dump_open(&d, path, &o, &err) == 0, "open: %s", err.msg);
	return d;
}

static void object_class(hw *w)
{
	hw_class_spec c;
	hw_string(w, S_OBJECT, "java/lang/Object");
	hw_string(w, S_F, "f");
	hw_load_class(w, 1, OBJECT, S_OBJECT);
	memset(&c, 0, sizeof(c));
	c.id = OBJECT;
	hw_class_dump(w, &c);
}

/* 400 classes per run, each extending java.lang.Object or an earlier
 * one, with up to 48 fields of random types. */
START_TEST(test_layout_first_fit)
{
	static const uint8_t types[] = { HW_T_OBJECT, HW_T_BOOLEAN, HW_T_CHAR, HW_T_FLOAT,
		HW_T_DOUBLE, HW_T_BYTE, HW_T_SHORT, HW_T_INT, HW_T_LONG };
	enum { NCLASS = 400 };
	struct rclass *k = calloc(NCLASS, sizeof(*k));
	hw *w = hw_new(NULL, 8);
	hs_dump *d;
	unsigned i, f, v;

	ck_assert_ptr_nonnull(k);
	object_class(w);
	for (i = 0; i < NCLASS; i++) {
		hw_ifield fields[48];
		hw_class_spec c;
		char name[16];
		k[i].super = i && rnd(4) ? (int)rnd(i) : -1;
		k[i].nf = rnd(_i == 0 ? 8 : 49);   /* few fields: more holes to fill */
		for (f = 0; f < k[i].nf; f++) {
			k[i].type[f] = types[rnd(sizeof(types))];
			fields[f].name_id = S_F;
			fields[f].type = k[i].type[f];
		}
		snprintf(name, sizeof(name), "R%u", i);
		hw_string(w, S_NAMES + i, name);
		hw_load_class(w, 2 + i, FIRST + 8 * i, S_NAMES + i);
		memset(&c, 0, sizeof(c));
		c.id = FIRST + 8 * i;
		c.super_id = k[i].super < 0 ? OBJECT : FIRST + 8 * (uint64_t)k[i].super;
		c.nfields = (uint16_t)k[i].nf;
		c.fields = fields;
		hw_class_dump(w, &c);
		for (v = 0; v < 2; v++)
			reference_layout(&k[i], k[i].super < 0 ? NULL : &k[k[i].super], v);
	}
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	d = open_dump(w);
	for (i = 0; i < NCLASS; i++) {
		uint32_t ci = hs_dump_class_by_id(d, FIRST + 8 * i);
		ck_assert_uint_ne(ci, HS_NONE);
		for (v = 0; v < 2; v++) {
			const hs_class_acc *a = &d->acc[ci];
			ck_assert_msg(a->cand_size[newl[v].cand] == k[i].size[v] &&
				      a->occ_len[newl[v].cand] == k[i].last[v] &&
				      memcmp(a->occ[newl[v].cand], k[i].occ[v], k[i].last[v]) == 0,
				      "class R%u, %u-byte references: size %u, expected %u", i, newl[v].ref,
				      a->cand_size[newl[v].cand], k[i].size[v]);
		}
	}
	for (i = 0; i < NCLASS; i++)
		for (v = 0; v < 2; v++)
			free(k[i].occ[v]);
	free(k);
	hs_dump_free(d);
}
END_TEST

/*
 * Six classes of 65,535 fields, long, int, short, byte and reference in
 * turn (13,107 of each).  JDK 15+: the longs from 16, the first int in
 * the header's 4-byte tail, the others, the shorts and the bytes after
 * the longs (to 196,617), then the references aligned: 249,048 with
 * 4-byte ones, 196,624 + 8 * 13,107 = 301,480 with 8-byte ones.  The
 * classic layout gets the same sizes (the int fills the gap before the
 * longs; with a 16-byte header there is none).
 */
START_TEST(test_layout_wide_classes)
{
	static const uint8_t types[5] = { HW_T_LONG, HW_T_INT, HW_T_SHORT, HW_T_BYTE, HW_T_OBJECT };
	static const unsigned expect[4] = { 249048, 249048, 301480, 301480 };
	enum { NF = 65535, NCLASS = 6 };
	hw_ifield *fields = calloc(NF, sizeof(*fields));
	hw *w = hw_new(NULL, 8);
	hs_dump *d;
	unsigned i, c;

	ck_assert_ptr_nonnull(fields);
	object_class(w);
	for (i = 0; i < NF; i++) {
		fields[i].name_id = S_F;
		fields[i].type = types[i % 5];
	}
	for (i = 0; i < NCLASS; i++) {
		hw_class_spec cs;
		char name[16];
		snprintf(name, sizeof(name), "Wide%u", i);
		hw_string(w, S_NAMES + i, name);
		hw_load_class(w, 2 + i, FIRST + 8 * i, S_NAMES + i);
		memset(&cs, 0, sizeof(cs));
		cs.id = FIRST + 8 * i;
		cs.super_id = OBJECT;
		cs.nfields = NF;
		cs.fields = fields;
		hw_class_dump(w, &cs);
	}
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	free(fields);
	d = open_dump(w);
	for (i = 0; i < NCLASS; i++) {
		uint32_t ci = hs_dump_class_by_id(d, FIRST + 8 * i);
		for (c = 0; c < 4; c++)
			ck_assert_uint_eq(d->acc[ci].cand_size[c], expect[c]);
		ck_assert_uint_eq(d->classes[ci].inst_size, 301480);
	}
	hs_dump_free(d);
}
END_TEST

/*
 * The classic layout (JDK 6-14), worked out by hand from the rules in
 * layout.c.  Base has a byte, a long, an int, a reference and a short;
 * Sub extends it with one int.
 *   12-byte header (candidate 1, compressed oops): the long aligned at 16,
 *   the int in the gap 12..16 before it, then the short 24..26, the byte
 *   26..27, the reference aligned to 4 at 28..32: 32.  Sub starts at 32
 *   (a multiple of the reference size): its int 32..36.
 *   16-byte header (candidate 3, 8-byte references): the long 16..24, the
 *   int 24..28, the short 28..30, the byte 30..31, the reference aligned
 *   to 8 at 32..40: 40; Sub's int 40..44.
 */
START_TEST(test_layout_classic)
{
	hw_ifield bf[5] = { { S_F, HW_T_BYTE }, { S_F, HW_T_LONG }, { S_F, HW_T_INT }, { S_F, HW_T_OBJECT },
			    { S_F, HW_T_SHORT } };
	hw_ifield sf[1] = { { S_F, HW_T_INT } };
	hw *w = hw_new(NULL, 8);
	hw_class_spec c;
	hs_dump *d;
	uint32_t base, sub;

	object_class(w);
	hw_string(w, S_NAMES, "Base");
	hw_string(w, S_NAMES + 1, "Sub");
	hw_load_class(w, 2, FIRST, S_NAMES);
	hw_load_class(w, 3, FIRST + 8, S_NAMES + 1);
	memset(&c, 0, sizeof(c));
	c.id = FIRST;
	c.super_id = OBJECT;
	c.nfields = 5;
	c.fields = bf;
	hw_class_dump(w, &c);
	c.id = FIRST + 8;
	c.super_id = FIRST;
	c.nfields = 1;
	c.fields = sf;
	hw_class_dump(w, &c);
	hw_heap_dump_flush(w, HW_ONE_RECORD);
	d = open_dump(w);
	base = hs_dump_class_by_id(d, FIRST);
	sub = hs_dump_class_by_id(d, FIRST + 8);
	ck_assert_uint_ne(base, HS_NONE);
	ck_assert_uint_ne(sub, HS_NONE);
	ck_assert_uint_eq(d->acc[base].cand_size[1], 32);
	ck_assert_uint_eq(d->acc[sub].cand_size[1], 36);
	ck_assert_uint_eq(d->acc[base].cand_size[3], 40);
	ck_assert_uint_eq(d->acc[sub].cand_size[3], 44);
	hs_dump_free(d);
}
END_TEST

/* Array sizes: the elements from the base offset, the end rounded up to
 * the object alignment. */
START_TEST(test_layout_array_size)
{
	/* name, idsize, header, ref, abase, abase_long, abase_ref, new, oop_align */
	static const hs_cand compressed = { "c", 8, 12, 4, 16, 16, 16, 1, 4 };
	static const hs_cand wide = { "w", 8, 16, 8, 24, 24, 24, 0, 8 };
	ck_assert_uint_eq(hs_layout_array_size(&compressed, 8, HS_T_INT, 3), 32);     /* 16 + 12 -> 32 */
	ck_assert_uint_eq(hs_layout_array_size(&compressed, 8, HS_T_INT, 2), 24);     /* 16 + 8 */
	ck_assert_uint_eq(hs_layout_array_size(&compressed, 8, HS_T_BYTE, 0), 16);
	ck_assert_uint_eq(hs_layout_array_size(&compressed, 8, HS_T_LONG, 1), 24);
	ck_assert_uint_eq(hs_layout_array_size(&compressed, 8, HS_T_OBJECT, 5), 40);  /* 16 + 20 -> 40 */
	ck_assert_uint_eq(hs_layout_array_size(&compressed, 16, HS_T_INT, 1), 32);    /* 20 -> 32 */
	ck_assert_uint_eq(hs_layout_array_size(&wide, 8, HS_T_INT, 3), 40);           /* 24 + 12 -> 40 */
	ck_assert_uint_eq(hs_layout_array_size(&wide, 8, HS_T_OBJECT, 5), 64);        /* 24 + 40 */
	ck_assert_uint_eq(hs_layout_array_size(&wide, 8, HS_T_CHAR, 1), 32);          /* 24 + 2 -> 32 */
	/* the longest int[] there can be: no overflow in 64 bits */
	ck_assert_uint_eq(hs_layout_array_size(&compressed, 8, HS_T_INT, UINT32_MAX),
			  (16 + 4 * (uint64_t)UINT32_MAX + 7) / 8 * 8);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_layout_first_fit, 0, 2);
	tcase_add_test(tc, test_layout_classic);
	tcase_add_test(tc, test_layout_array_size);
	suite_add_tcase(s, tc);
	/* well under a second each; 20 s means a quadratic search is back */
	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_layout_wide_classes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
