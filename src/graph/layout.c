/*
 * layout.c - the shallow size model.
 *
 * HotSpot lays out an instance as a header, then the fields of each class
 * from java.lang.Object down.  Two algorithms exist:
 *   classic (JDK <= 14, classFileParser "FieldsAllocationStyle=1"): each
 *     class starts where its superclass's fields end, rounded up to the
 *     reference size; longs/doubles first (aligned to 8, a 4-byte gap
 *     before them filled by one int, shorts, bytes or one reference), then
 *     ints/floats, shorts/chars, bytes/booleans, then references.
 *   JDK 15+ (FieldLayoutBuilder): fields of a class, largest first and
 *     references after primitives, each take the first free, naturally
 *     aligned slot anywhere in the object, including holes left by the
 *     superclass and the header's tail.
 * The object size is the end of the last field rounded up to the object
 * alignment.  Arrays are a header (with the length) then the elements.
 *
 * Which header, reference size and algorithm applies is not written in the
 * dump, so every candidate is computed, and the object ids (addresses) of
 * neighbouring objects decide: a candidate that makes some object overlap
 * its successor is wrong (see hs_layout_choose).
 */
#include <stdlib.h>
#include <string.h>

#include "dump_int.h"

const hs_cand hs_cands[HS_NCAND] = {
	/* name, idsize, header, ref, abase, abase_long, abase_ref, new, oop_align */
	{ "64-bit, compressed oops, JDK 15+ field layout", 8, 12, 4, 16, 16, 16, 1, 4 },
	{ "64-bit, compressed oops, classic field layout (JDK 6-14)", 8, 12, 4, 16, 16, 16, 0, 4 },
	{ "64-bit, uncompressed oops, compressed class pointers, JDK 15+ field layout",
	  8, 12, 8, 16, 16, 16, 1, 8 },
	{ "64-bit, uncompressed oops, classic field layout (JDK 6-14)", 8, 16, 8, 24, 24, 24, 0, 8 },
	/* -XX:-UseCompressedClassPointers of JDK 15+: a 16-byte header, the
	 * array length in 4 more bytes, the elements from 24 (JDK 17's
	 * arrayOopDesc rounds its header to 8) */
	{ "64-bit, compressed oops, uncompressed class pointers, JDK 15+ field layout",
	  8, 16, 4, 24, 24, 24, 1, 4 },
	{ "64-bit, uncompressed oops, uncompressed class pointers, JDK 15+ field layout",
	  8, 16, 8, 24, 24, 24, 1, 8 },
	{ "32-bit", 4, 8, 4, 12, 16, 12, 0, 4 },
};

static unsigned align_up(unsigned v, unsigned a) { return (v + a - 1) / a * a; }

/*
 * JDK 6 and older: java.lang.Class is an ordinary instance with three
 * hidden references (klass, array_klass, resolved_constructor: the
 * "fake oop fields" of javaClasses.hpp), and static fields live in the
 * permanent generation, not in the class object.  JDK 7 moved them into
 * the mirror (InstanceMirrorKlass) and added java.lang.ClassValue, whose
 * map java.lang.Class holds in its field classValueMap: a dump whose
 * java.lang.Class lacks it, without java.lang.Module, is of JDK 6 or older.
 */
static int is_pre_jdk7(const struct hs_dump *d, const hs_class *jlc)
{
	unsigned i;
	if (d->has_module || !jlc || !jlc->has_dump)
		return 0;
	for (i = 0; i < jlc->nfields; i++) {
		const char *fn = hs_dump_string(d, jlc->fields[i].name_id);
		if (fn && strcmp(fn, "classValueMap") == 0)
			return 0;
	}
	return 1;
}

/*
 * JDK 5 and older: a dump of JDK 6 or older (is_pre_jdk7) whose
 * java.lang.Thread lacks the field parkBlocker, which JDK 6 added for
 * LockSupport.getBlocker.  Such a JVM had no compressed oops (JDK 6
 * update 14 brought them), and its java.lang.Class two hidden references,
 * klass and array_klass (JDK 6 added resolved_constructor).  Decided once
 * the scan has read every CLASS_DUMP; java.lang.Class's sizes, when an
 * instance of it made the scan compute them earlier, are computed again.
 */
void hs_layout_detect_jdk5(struct hs_dump *d)
{
	uint32_t i, jlc = HS_NONE, thr = HS_NONE;
	unsigned j, c;
	for (i = 0; i < d->nclasses; i++) {
		const hs_class *k = &d->classes[i];
		if (!k->has_dump || !k->name)
			continue;
		if (strcmp(k->name, "java.lang.Class") == 0 && jlc == HS_NONE)
			jlc = i;
		else if (strcmp(k->name, "java.lang.Thread") == 0 && thr == HS_NONE)
			thr = i;
	}
	d->jdk5 = 0;
	if (jlc == HS_NONE || thr == HS_NONE || !is_pre_jdk7(d, &d->classes[jlc]))
		return;
	for (j = 0; j < d->classes[thr].nfields; j++) {
		const char *fn = hs_dump_string(d, d->classes[thr].fields[j].name_id);
		if (fn && strcmp(fn, "parkBlocker") == 0)
			return;
	}
	d->jdk5 = 1;
	if (d->acc[jlc].sizes_done) {
		hs_class_acc *a = &d->acc[jlc];
		for (c = 0; c < HS_NCAND; c++) {
			free(a->occ[c]);
			a->occ[c] = NULL;
			a->cand_size[c] = a->end_old[c] = a->occ_len[c] = 0;
		}
		a->sizes_done = 0;
	}
}

/*
 * Fields the JVM adds to some JDK classes that a heap dump does not list
 * (javaClasses.hpp, *_INJECTED_FIELDS).  'P' is a native pointer (8 bytes
 * on 64-bit, 4 on 32-bit), 'I' an int, 'L' a reference.  jdk: 9 for JDK 9
 * and later (the dump has java.lang.Module), 8 for older, 6 for JDK 6
 * (is_pre_jdk7, not JDK 5), 5 for JDK 5 and older (d->jdk5), 0 for all.  Other classes of older JDKs are left as
 * the dump describes them: the reference dumps of JDK 5 and 6 match jmap
 * without additions.
 */
static const struct { const char *cls; int jdk; const char *types; } injected[] = {
	{ "java.lang.Class", 9, "PPIILLL" },
	{ "java.lang.Class", 6, "LLL" },
	{ "java.lang.Class", 5, "LL" },
	{ "java.lang.ClassLoader", 9, "P" },
	{ "java.lang.invoke.MemberName", 9, "P" },
	{ "java.lang.invoke.ResolvedMethodName", 9, "PL" },
	{ "java.lang.Module", 9, "P" },
	{ "java.lang.invoke.MethodHandleNatives$CallSiteContext", 9, "PP" },
};

/*
 * @Contended (sun.misc.Contended in JDK 8, jdk.internal.vm.annotation.
 * Contended since JDK 9) pads fields against false sharing by
 * ContendedPaddingWidth, 128 bytes unless the JVM was told otherwise.  A
 * dump carries no annotations, so the JDK classes that have some are
 * listed here, each with every instance field its class declares in one
 * JDK release: an entry applies only to a class of the dump with exactly
 * those fields, so a release that changed the class (and maybe its
 * annotations: JDK 21's Thread has the fields of the "tlr" group without
 * @Contended) is laid out as an ordinary class.
 *
 * fields: the names, space-separated, in declaration order; a '*' marks
 * the fields of the class's contended group (one at most: no JDK class
 * has two).  whole: the class itself is @Contended.  classic: the entry
 * applies to the classic layout (JDK 8-14) too; only Thread's do, the
 * padding heapscan always gave it, which a JDK 11 dump's addresses
 * confirm.  The JDK 17 and 25 entries were checked against
 * Instrumentation.getObjectSize on OpenJDK 17.0.15 and Temurin 25
 * (tests/support/ContendedProbe.java); JDK 8's Thread is from its source.
 * The classes of JDK 8-16 other than Thread (CounterCell and Striped64$Cell
 * have had the same single field since JDK 8, @Contended all along) are
 * not padded in the classic layout: no dump of such a JVM could show it.
 * Where the padding goes is the business of classic() and newlayout().
 */
#define CONTENDED_PAD 128
static const struct contended {
	const char *cls;
	const char *fields;
	unsigned char whole, classic;
} contended[] = {
	/* JDK 8 */
	{ "java.lang.Thread", "name priority threadQ eetop single_step daemon stillborn target "
	  "group contextClassLoader inheritedAccessControlContext threadLocals "
	  "inheritableThreadLocals stackSize nativeParkEventPointer tid threadStatus "
	  "parkBlocker blocker blockerLock uncaughtExceptionHandler *threadLocalRandomSeed "
	  "*threadLocalRandomProbe *threadLocalRandomSecondarySeed", 0, 1 },
	/* JDK 11 */
	{ "java.lang.Thread", "name priority daemon stillborn eetop target group "
	  "contextClassLoader inheritedAccessControlContext threadLocals "
	  "inheritableThreadLocals stackSize nativeParkEventPointer tid threadStatus "
	  "parkBlocker blocker blockerLock uncaughtExceptionHandler *threadLocalRandomSeed "
	  "*threadLocalRandomProbe *threadLocalRandomSecondarySeed", 0, 1 },
	/* JDK 17 */
	{ "java.lang.Thread", "name priority daemon interrupted stillborn eetop target group "
	  "contextClassLoader inheritedAccessControlContext threadLocals "
	  "inheritableThreadLocals stackSize tid threadStatus parkBlocker blocker "
	  "blockerLock uncaughtExceptionHandler *threadLocalRandomSeed "
	  "*threadLocalRandomProbe *threadLocalRandomSecondarySeed", 0, 0 },
	{ "java.util.concurrent.ForkJoinPool", "keepAlive stealCount scanRover threadIds bounds "
	  "mode queues registrationLock termination workerNamePrefix factory ueh saturate "
	  "*ctl", 0, 0 },
	{ "java.util.concurrent.ForkJoinPool$WorkQueue", "phase stackPred config base array "
	  "owner *top *source *nsteals", 0, 0 },
	{ "java.util.concurrent.Exchanger$Node", "index bound collides hash item match parked",
	  1, 0 },
	/* JDK 17 and 25 */
	{ "java.util.concurrent.ConcurrentHashMap$CounterCell", "value", 1, 0 },
	{ "java.util.concurrent.atomic.Striped64$Cell", "value", 1, 0 },
	{ "java.util.concurrent.SubmissionPublisher$BufferedSubscription", "timeout head tail "
	  "maxCapacity ctl array subscriber onNextHandler executor waiter pendingError next "
	  "nextRetry *demand *waiting", 1, 0 },
	/* JDK 25 */
	{ "java.util.concurrent.ForkJoinPool", "termination saturate factory ueh container "
	  "workerNamePrefix poolName delayScheduler queues runState keepAlive config "
	  "stealCount threadIds *ctl *parallelism", 0, 0 },
	{ "java.util.concurrent.ForkJoinPool$WorkQueue", "owner array base config *top *phase "
	  "*stackPred *source *nsteals *parking", 0, 0 },
	{ "java.util.concurrent.Exchanger$Slot", "entry", 1, 0 },
};

/* Where field fn is in e's list: its position (0, 1, ...), or -1; *grp
 * tells whether it has a '*'. */
static int contended_pos(const struct contended *e, const char *fn, int *grp)
{
	const char *p = e->fields;
	size_t n = strlen(fn);
	int i;
	for (i = 0; *p; i++) {
		int star = *p == '*';
		size_t len = strcspn(p + star, " ");
		if (len == n && strncmp(p + star, fn, n) == 0) {
			*grp = star;
			return i;
		}
		p += star + len;
		p += *p == ' ';
	}
	return -1;
}

/* The entry for class k: one whose field names are exactly k's. */
static const struct contended *contended_entry(const struct hs_dump *d, const hs_class *k)
{
	size_t e;
	for (e = 0; k->name && k->has_dump && e < sizeof(contended) / sizeof(contended[0]); e++) {
		const char *p = contended[e].fields;
		unsigned n = 1, i;
		int grp;
		if (strcmp(k->name, contended[e].cls) != 0)
			continue;
		while ((p = strchr(p, ' ')) != NULL) {
			n++;
			p++;
		}
		if (n != k->nfields)
			continue;
		for (i = 0; i < k->nfields; i++) {
			const char *fn = hs_dump_string(d, k->fields[i].name_id);
			if (!fn || contended_pos(&contended[e], fn, &grp) < 0)
				break;
		}
		if (i == k->nfields)
			return &contended[e];
	}
	return NULL;
}

/* Whether a superclass of class ci (not ci itself) is @Contended or has
 * contended fields: the JDK 15+ layout then pads after its fields again
 * (see newlayout). */
static int super_contended(const struct hs_dump *d, uint32_t ci)
{
	unsigned depth = 0;
	uint32_t k = d->classes[ci].super;
	for (; k != HS_NONE && depth < 256; k = d->classes[k].super, depth++)
		if (contended_entry(d, &d->classes[k]))
			return 1;
	return 0;
}

/* The fields the layout places: declared ones plus injected ones.  grp
 * marks the contended group; ord is a group field's position in the
 * declaration (the classic layout places the group in that order). */
struct lf { uint8_t type, grp; unsigned size; int ord; };

static unsigned layout_fields(const struct hs_dump *d, const hs_class *k, const hs_cand *c,
			      const struct contended *ct, struct lf *out)
{
	unsigned n = 0, i, j;
	for (i = 0; i < k->nfields; i++) {
		const char *fn = hs_dump_string(d, k->fields[i].name_id);
		int grp = 0;
		out[n].ord = ct && fn ? contended_pos(ct, fn, &grp) : -1;
		out[n].grp = (uint8_t)grp;
		out[n].type = k->fields[i].type;
		out[n++].size = k->fields[i].type == HS_T_OBJECT ? c->ref : hs_type_size(k->fields[i].type, 8);
	}
	for (i = 0; k->name && i < sizeof(injected) / sizeof(injected[0]); i++) {
		if (strcmp(k->name, injected[i].cls) != 0)
			continue;
		if (injected[i].jdk == 9 && !d->has_module)
			continue;
		if (injected[i].jdk == 8 && d->has_module)
			continue;
		if (injected[i].jdk == 6 && (d->jdk5 || !is_pre_jdk7(d, k)))
			continue;
		if (injected[i].jdk == 5 && !d->jdk5)
			continue;
		for (j = 0; injected[i].types[j]; j++) {
			char t = injected[i].types[j];
			out[n].type = t == 'L' ? HS_T_OBJECT : t == 'I' ? HS_T_INT : HS_T_LONG;
			out[n].grp = 0;
			out[n].ord = -1;
			out[n++].size = t == 'L' ? c->ref : t == 'I' ? 4 : (c->idsize == 8 ? 8 : 4);
		}
	}
	return n;
}

#define MAX_INJECTED 8


/*
 * Classic layout of class ci on top of its superclass's end
 * (classFileParser's layout_fields, JDK 8-14, for @Contended): a
 * @Contended class starts 128 bytes further; the contended group comes
 * after all the other fields and 128 bytes, in declaration order, each
 * field at its natural alignment, then 128 bytes; a @Contended class has
 * another 128 bytes at the end.  Subclasses start after all of it.
 */
static void classic(const struct lf *f, unsigned nf, int whole, hs_class_acc *a,
		    const hs_class_acc *sa, const hs_cand *c, unsigned ki)
{
	unsigned start = sa ? sa->end_old[ki] : c->header;
	unsigned nd = 0, nw = 0, ns = 0, nb = 0, no = 0, ng = 0, pos, i;

	if (whole)
		start += CONTENDED_PAD;
	for (i = 0; i < nf; i++) {
		if (f[i].grp)
			ng++;
		else if (f[i].type == HS_T_OBJECT)
			no++;
		else if (f[i].size == 8)
			nd++;
		else if (f[i].size == 4)
			nw++;
		else if (f[i].size == 2)
			ns++;
		else
			nb++;
	}
	pos = start;
	if (nd > 0) {
		unsigned dstart = align_up(start, 8);
		if (dstart != start) {
			unsigned gap = dstart - start;
			if (nw > 0 && gap >= 4) { nw--; gap -= 4; }
			while (gap >= 2 && ns > 0) { ns--; gap -= 2; }
			while (gap > 0 && nb > 0) { nb--; gap--; }
			if (gap >= c->ref && no > 0) { no--; gap -= c->ref; }
		}
		pos = dstart + nd * 8;
	}
	pos += nw * 4 + ns * 2 + nb;
	if (no > 0)
		pos = align_up(pos, c->oop_align) + no * c->ref;
	if (ng > 0) {
		int ord;
		pos += CONTENDED_PAD;
		for (ord = 0; ng > 0; ord++) {
			for (i = 0; i < nf && !(f[i].grp && f[i].ord == ord); i++)
				;
			if (i == nf)
				continue;
			pos = align_up(pos, f[i].size) + f[i].size;
			ng--;
		}
		pos += CONTENDED_PAD;
	}
	if (whole)
		pos += CONTENDED_PAD;
	a->cand_size[ki] = pos;
	a->end_old[ki] = align_up(pos, c->oop_align);
}

/* Places the fields with grp == g, primitives largest first, then
 * references: each in the first free, naturally aligned slot, or with
 * append after the end only.  *end and *last: the end of the layout
 * (padding included) and of its last field.
 *
 * First fit in linear time: bytes only ever become occupied, so the first
 * free slot of a size never moves back; from[] keeps, per size (1, 2, 4,
 * 8), where the search for the next one resumes, and each size's search
 * crosses the map once in all (a class of 65,535 fields would otherwise
 * rescan it from 0 for each field). */
static void place(const struct lf *f, unsigned nf, int g, int append, uint8_t *occ,
		  unsigned *end, unsigned *last)
{
	unsigned pass, sz, i, from[9] = { 0 };
	for (pass = 0; pass < 2; pass++) {
		for (sz = 8; sz >= 1; sz /= 2) {
			for (i = 0; i < nf; i++) {
				int isref = f[i].type == HS_T_OBJECT;
				unsigned fs = f[i].size, o;
				if (f[i].grp != g || (pass == 0) == isref || fs != sz)
					continue;
				if (append) {
					o = align_up(*end, fs);
				} else {
					for (o = from[fs];; o += fs) {
						unsigned j;
						for (j = 0; j < fs && !occ[o + j]; j++)
							;
						if (j == fs)
							break;
					}
					from[fs] = o + fs;
				}
				memset(occ + o, 1, fs);
				if (o + fs > *end)
					*end = o + fs;
				if (o + fs > *last)
					*last = o + fs;
			}
		}
	}
}

/*
 * JDK 15+ layout: first fit into an occupancy map copied from the super
 * (occ_len: the end of the super's last field).  @Contended
 * (FieldLayoutBuilder::compute_regular_layout): a @Contended class puts
 * 128 bytes after its superclass's fields, then its own fields, never in
 * a hole before; the contended group comes after all the other fields and
 * 128 bytes; then 128 bytes at the end.  A subclass of a class with
 * either, at any depth, starts 128 bytes after its superclass's last
 * field and fills no hole (FieldLayout::fill_holes): a Thread subclass of
 * a Thread subclass pads twice.
 */
static int newlayout(const struct lf *f, unsigned nf, int whole, int sup_ctd, hs_class_acc *a,
		     const hs_class_acc *sa, const hs_cand *c, unsigned ki)
{
	unsigned base = sa ? sa->occ_len[ki] : c->header;
	unsigned cap = base + 16u * nf + 4 * CONTENDED_PAD + 64;
	uint8_t *occ = calloc(cap, 1);
	unsigned end = base, last = base, i, ng = 0;
	int append = 0;

	if (!occ)
		return -1;
	if (sa)
		memcpy(occ, sa->occ[ki], sa->occ_len[ki]);
	else
		memset(occ, 1, c->header);
	for (i = 0; i < nf; i++)
		ng += f[i].grp;
	if (sup_ctd) {
		end += CONTENDED_PAD;
		append = 1;
	}
	if (whole) {
		end += CONTENDED_PAD;
		append = 1;
	}
	place(f, nf, 0, append, occ, &end, &last);
	if (ng) {
		end += CONTENDED_PAD;
		place(f, nf, 1, 1, occ, &end, &last);
	}
	if (whole || ng)
		end += CONTENDED_PAD;
	a->occ[ki] = occ;
	a->occ_len[ki] = last;
	a->cand_size[ki] = end;
	return 0;
}

/*
 * Compute the per-candidate instance sizes of class ci (and of its
 * superclasses first, without recursion).  Classes whose chain has a class
 * without a CLASS_DUMP keep size 0 (unknown).
 */
void hs_layout_class_sizes(struct hs_dump *d, uint32_t ci)
{
	uint32_t chain[256], n = 0, i;
	uint32_t k = ci;

	while (k != HS_NONE && !d->acc[k].sizes_done) {
		if (n == sizeof(chain) / sizeof(chain[0]))
			return; /* absurdly deep hierarchy: leave unknown */
		chain[n++] = k;
		if (!d->classes[k].has_dump)
			break;
		k = d->classes[k].super;
	}
	for (i = n; i-- > 0;) {
		hs_class *kl = &d->classes[chain[i]];
		hs_class_acc *a = &d->acc[chain[i]];
		const hs_class_acc *sa = kl->super != HS_NONE ? &d->acc[kl->super] : NULL;
		const struct contended *ct;
		int sup_ctd;
		unsigned c;

		a->sizes_done = 1;
		if (!kl->has_dump || kl->kind != HS_CLASS_INSTANCE)
			continue;
		if (sa && sa->cand_size[0] == 0 && sa->cand_size[HS_NCAND - 1] == 0)
			continue; /* superclass unknown */
		ct = contended_entry(d, kl);
		sup_ctd = super_contended(d, chain[i]);
		for (c = 0; c < HS_NCAND; c++) {
			struct lf stackf[64], *f = stackf;
			const struct contended *cc = ct;
			unsigned nf;
			if (hs_cands[c].idsize != d->info.idsize)
				continue;
			if (kl->nfields + MAX_INJECTED > 64) {
				f = malloc(sizeof(*f) * (kl->nfields + MAX_INJECTED));
				if (!f)
					continue;
			}
			if (cc && !hs_cands[c].new_layout && !cc->classic)
				cc = NULL;
			nf = layout_fields(d, kl, &hs_cands[c], cc, f);
			if (hs_cands[c].new_layout) {
				if (newlayout(f, nf, cc && cc->whole, sup_ctd, a, sa, &hs_cands[c], c) < 0)
					a->cand_size[c] = 0;
			} else {
				classic(f, nf, cc && cc->whole, a, sa, &hs_cands[c], c);
			}
			if (f != stackf)
				free(f);
		}
	}
}

uint64_t hs_layout_array_size(const hs_cand *c, unsigned align, int elem_type, uint64_t length)
{
	unsigned base, es;
	if (elem_type == HS_T_OBJECT) {
		base = c->abase_ref;
		es = c->ref;
	} else {
		es = hs_type_size(elem_type, 8);
		base = es == 8 ? c->abase_long : c->abase;
	}
	return (base + length * es + align - 1) / align * align;
}

/*
 * Choose the layout.  violations[c] counts neighbouring objects that
 * candidate c would make overlap.  Among the candidates with the fewest
 * violations, the one giving the largest total heap wins: a smaller layout
 * never overlaps, so "largest without overlap" is the tightest fit the
 * addresses allow.  The alignment is the largest power of two (8 to 256)
 * dividing every object id.
 */
/*
 * What the JVM itself wrote into the dump about its layout: Unsafe
 * (jdk.internal.misc.Unsafe of JDK 9+, sun.misc.Unsafe of JDK 7 and 8)
 * keeps arrayBaseOffset() and arrayIndexScale() of each array type in
 * static fields (ARRAY_INT_BASE_OFFSET = 16 with compressed class
 * pointers, 24 without in JDK 17; ARRAY_OBJECT_INDEX_SCALE = 4 with
 * compressed oops, 8 without), and a heap dump has the values of static
 * fields.  Sets ok[c] for the candidates these values allow; returns 0
 * (all allowed) when the dump lacks them or no candidate fits them.
 */
static int unsafe_allows(const struct hs_dump *d, int *ok)
{
	uint32_t i;
	for (i = 0; i < d->nclasses; i++) {
		const hs_class *k = &d->classes[i];
		long ibase = -1, obase = -1, oscale = -1;
		unsigned j, c, n = 0;
		if (!k->has_dump || !k->name || (strcmp(k->name, "jdk.internal.misc.Unsafe") != 0 &&
						 strcmp(k->name, "sun.misc.Unsafe") != 0))
			continue;
		for (j = 0; j < k->nstatics; j++) {
			const char *fn = hs_dump_string(d, k->statics[j].name_id);
			long v = (long)(int32_t)(uint32_t)k->statics[j].value;
			if (!fn || k->statics[j].type != HS_T_INT)
				continue;
			if (strcmp(fn, "ARRAY_INT_BASE_OFFSET") == 0)
				ibase = v;
			else if (strcmp(fn, "ARRAY_OBJECT_BASE_OFFSET") == 0)
				obase = v;
			else if (strcmp(fn, "ARRAY_OBJECT_INDEX_SCALE") == 0)
				oscale = v;
		}
		if (ibase <= 0 || obase <= 0 || oscale <= 0)
			continue;
		for (c = 0; c < HS_NCAND; c++) {
			ok[c] = hs_cands[c].idsize == d->info.idsize && hs_cands[c].abase == (unsigned)ibase &&
				hs_cands[c].abase_ref == (unsigned)obase && hs_cands[c].ref == (unsigned)oscale;
			n += (unsigned)ok[c];
		}
		if (n)
			return 1;
	}
	return 0;
}

void hs_layout_choose(struct hs_dump *d, const uint64_t *violations, uint64_t pairs,
		      uint64_t id_or)
{
	unsigned align = 8, c, best = HS_NCAND;
	uint64_t best_v = UINT64_MAX, best_total = 0;
	uint32_t i;
	int ok[HS_NCAND];

	for (c = 0; c < HS_NCAND; c++)
		ok[c] = 1;
	if (!unsafe_allows(d, ok) && d->jdk5 && d->info.idsize == 8) {
		/* compressed oops came with JDK 6 update 14 */
		for (c = 0; c < HS_NCAND; c++)
			ok[c] = hs_cands[c].ref == 8;
	}

	if (d->info.idsize == 8 && id_or != 0 && d->info.instances + d->info.obj_arrays +
	    d->info.prim_arrays >= 64) {
		while (align < 256 && (id_or & (align * 2 - 1)) == 0)
			align *= 2;
	}
	for (c = 0; c < HS_NCAND; c++) {
		uint64_t total = 0;
		if (hs_cands[c].idsize != d->info.idsize || !ok[c])
			continue;
		for (i = 0; i < d->nclasses; i++) {
			const hs_class *k = &d->classes[i];
			const hs_class_acc *a = &d->acc[i];
			if (k->kind == HS_CLASS_INSTANCE)
				total += k->instances * align_up(a->cand_size[c], align);
			else
				total += a->sum_len * (k->kind == HS_CLASS_OBJ_ARRAY ? hs_cands[c].ref
						       : hs_type_size(k->elem_type, 8));
		}
		total += (uint64_t)hs_cands[c].header; /* tie-break: header size */
		if (violations[c] < best_v || (violations[c] == best_v && total > best_total)) {
			best = c;
			best_v = violations[c];
			best_total = total;
		}
	}
	if (best == HS_NCAND)
		best = HS_NCAND - 1;
	d->info.layout.name = hs_cands[best].name;
	d->info.layout.header = hs_cands[best].header;
	d->info.layout.ref = hs_cands[best].ref;
	d->info.layout.array_header = hs_cands[best].abase;
	d->info.layout.array_header_long = hs_cands[best].abase_long;
	d->info.layout.array_header_ref = hs_cands[best].abase_ref;
	d->info.layout.align = align;
	d->info.layout.compressed_refs = hs_cands[best].ref == 4 && d->info.idsize == 8;
	d->info.layout.new_field_layout = (int)hs_cands[best].new_layout;
	d->info.layout.evidence_pairs = pairs;

	/* final sizes */
	d->info.shallow_total = 0;
	for (i = 0; i < d->nclasses; i++) {
		hs_class *k = &d->classes[i];
		hs_class_acc *a = &d->acc[i];
		if (k->kind == HS_CLASS_INSTANCE) {
			unsigned raw = a->cand_size[best];
			if (raw == 0) /* unknown layout: header + dump field bytes */
				raw = hs_cands[best].header + k->dump_size;
			k->inst_size = align_up(raw, align);
			k->shallow = k->instances * k->inst_size;
		} else {
			unsigned es = k->kind == HS_CLASS_OBJ_ARRAY ? hs_cands[best].ref
				      : hs_type_size(k->elem_type, 8);
			unsigned base = k->kind == HS_CLASS_OBJ_ARRAY ? hs_cands[best].abase_ref
					: (es == 8 ? hs_cands[best].abase_long : hs_cands[best].abase);
			uint64_t s = (uint64_t)k->instances * base + a->sum_len * es;
			unsigned m;
			/* padding per length class mod 64 (align <= 64 exactly) */
			if (a->mod) {
				for (m = 0; m < 64; m++) {
					unsigned unal = (base + m * es) % align;
					if (unal && a->mod[m])
						s += (uint64_t)a->mod[m] * (align - unal);
				}
			}
			k->shallow = s;
		}
		d->info.shallow_total += k->shallow;
	}
}

/*
 * Size of a class object (a java.lang.Class instance, the "mirror"): the
 * java.lang.Class instance size (with its injected fields, already rounded
 * to the object alignment: InstanceMirrorKlass::offset_of_static_fields),
 * then the class's static fields (not the pseudo-statics HotSpot's dumper
 * adds, named <...>), then rounded up to the object alignment.  JDK 6
 * and older: the java.lang.Class instance alone (see is_pre_jdk7).
 *
 * The static fields are laid out the same way by both field layout
 * algorithms, unlike instance fields: references first, then longs and
 * doubles (aligned to 8), ints and floats, shorts and chars, bytes and
 * booleans, each appended at the end, and no hole is ever filled.  The
 * classic layout does so by construction (classFileParser computes
 * next_static_oop/double/word/short/byte offsets in that order); JDK 15+'s
 * FieldLayoutBuilder puts the static references contiguously first, then
 * adds the primitives largest first, but its static layout's start block
 * is its last block, so FieldLayout::add() always appends.  With an odd
 * number of 4-byte references and a long or double, the 4 bytes after the
 * references stay empty even when an int or smaller field could fill them.
 */
unsigned hs_layout_mirror_size(const struct hs_dump *d, const hs_class *k, unsigned class_size)
{
	const hs_layout *l = &d->info.layout;
	unsigned nd = 0, nw = 0, ns = 0, nb = 0, no = 0, pos, i;
	if (d->java_lang_class != HS_NONE && is_pre_jdk7(d, &d->classes[d->java_lang_class]))
		return align_up(class_size, l->align); /* statics in the permgen */
	for (i = 0; i < k->nstatics; i++) {
		unsigned t = k->statics[i].type;
		const char *fn = hs_dump_string(d, k->statics[i].name_id);
		/* HotSpot writes "<resolved_references>" and "<init_lock>" as
		 * static fields; they live elsewhere, not in the mirror */
		if (fn && fn[0] == '<')
			continue;
		if (t == HS_T_OBJECT)
			no++;
		else if (hs_type_size((int)t, 8) == 8)
			nd++;
		else if (hs_type_size((int)t, 8) == 4)
			nw++;
		else if (hs_type_size((int)t, 8) == 2)
			ns++;
		else
			nb++;
	}
	pos = align_up(class_size, 8) + no * l->ref;
	if (nd)
		pos = align_up(pos, 8) + nd * 8;
	pos += nw * 4 + ns * 2 + nb;
	return align_up(pos, l->align);
}
