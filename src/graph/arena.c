/*
 * arena.c - bump allocation of many small, long-lived pieces (names,
 * field tables) that are freed all at once with the dump.
 */
#include <stdlib.h>
#include <string.h>

#include "dump_int.h"

#define ARENA_CHUNK (256u << 10)

struct hs_arena_chunk {
	struct hs_arena_chunk *next;
	size_t cap;
	max_align_t data[];
};

void *hs_arena_alloc(hs_arena *a, size_t n)
{
	void *p;
	n = (n + 15) & ~(size_t)15;
	if (!a->head || a->used + n > a->cap) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		struct hs_arena_chunk *c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = a->head;
		c->cap = cap;
		a->head = c;
		a->used = 0;
		a->cap = cap;
		a->total += cap;
	}
	p = (char *)a->head->data + a->used;
	a->used += n;
	return p;
}

char *hs_arena_strndup(hs_arena *a, const char *s, size_t n)
{
	char *p = hs_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void hs_arena_release(hs_arena *a)
{
	struct hs_arena_chunk *c = a->head;
	while (c) {
		struct hs_arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	memset(a, 0, sizeof(*a));
}
