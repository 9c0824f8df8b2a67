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
	{ "32-bit", 4, 8, 4, 12, 16, 12, 0, 4 },
};

static unsigned align_up(unsigned v, unsigned a) { return (v + a - 1) / a * a; }

static unsigned field_size(int type, const hs_cand *c)
{
	return type == HS_T_OBJECT ? c->ref : hs_type_size(type, 8);
}

/* Classic layout of class ci on top of its superclass's end. */
static void classic(hs_class *k, hs_class_acc *a, const hs_class_acc *sa, const hs_cand *c,
		    unsigned ki)
{
	unsigned start = sa ? sa->end_old[ki] : c->header;
	unsigned nd = 0, nw = 0, ns = 0, nb = 0, no = 0, pos, i;

	for (i = 0; i < k->nfields; i++) {
		switch (field_size(k->fields[i].type, c) | (k->fields[i].type == HS_T_OBJECT ? 0x100 : 0)) {
		case 8: nd++; break;
		case 4: nw++; break;
		case 2: ns++; break;
		case 1: nb++; break;
		default: no++; break;
		}
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
	a->cand_size[ki] = pos;
	a->end_old[ki] = align_up(pos, c->oop_align);
}

/* JDK 15+ layout: first fit into an occupancy map copied from the super. */
static int newlayout(hs_class *k, hs_class_acc *a, const hs_class_acc *sa, const hs_cand *c,
		     unsigned ki)
{
	unsigned cap = (sa ? sa->occ_len[ki] : c->header) + 16u * k->nfields + 16;
	uint8_t *occ = calloc(cap, 1);
	unsigned end = sa ? sa->occ_len[ki] : c->header, pass, sz, i;

	if (!occ)
		return -1;
	if (sa)
		memcpy(occ, sa->occ[ki], sa->occ_len[ki]);
	else
		memset(occ, 1, c->header);
	/* primitives largest first, then references */
	for (pass = 0; pass < 2; pass++) {
		for (sz = 8; sz >= 1; sz /= 2) {
			for (i = 0; i < k->nfields; i++) {
				int isref = k->fields[i].type == HS_T_OBJECT;
				unsigned fs = field_size(k->fields[i].type, c), o;
				if ((pass == 0) == isref || fs != sz)
					continue;
				for (o = 0;; o += fs) {
					unsigned j;
					for (j = 0; j < fs && !occ[o + j]; j++)
						;
					if (j == fs)
						break;
				}
				memset(occ + o, 1, fs);
				if (o + fs > end)
					end = o + fs;
			}
		}
	}
	a->occ[ki] = occ;
	a->occ_len[ki] = end;
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
		unsigned c;

		a->sizes_done = 1;
		if (!kl->has_dump || kl->kind != HS_CLASS_INSTANCE)
			continue;
		if (sa && sa->cand_size[0] == 0 && sa->cand_size[HS_NCAND - 1] == 0)
			continue; /* superclass unknown */
		for (c = 0; c < HS_NCAND; c++) {
			if (hs_cands[c].idsize != d->info.idsize)
				continue;
			if (hs_cands[c].new_layout) {
				if (newlayout(kl, a, sa, &hs_cands[c], c) < 0)
					a->cand_size[c] = 0;
			} else {
				classic(kl, a, sa, &hs_cands[c], c);
			}
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
void hs_layout_choose(struct hs_dump *d, const uint64_t *violations, uint64_t pairs,
		      uint64_t id_or)
{
	unsigned align = 8, c, best = HS_NCAND;
	uint64_t best_v = UINT64_MAX, best_total = 0;
	uint32_t i;

	if (d->info.idsize == 8 && id_or != 0 && d->info.instances + d->info.obj_arrays +
	    d->info.prim_arrays >= 64) {
		while (align < 256 && (id_or & (align * 2 - 1)) == 0)
			align *= 2;
	}
	for (c = 0; c < HS_NCAND; c++) {
		uint64_t total = 0;
		if (hs_cands[c].idsize != d->info.idsize)
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
