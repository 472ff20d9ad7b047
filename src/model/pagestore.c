/*
 * pagestore.c - the byte store: the contents of handed-out pages, part of
 * the machine's core state.  Sparse: a pfn-keyed hash (open addressing,
 * linear probing, backward-shift deletion) of 4 KiB buffers, one per page
 * that has been written; buddy_free_pages() drops a freed block's buffers
 * (memstore_drop()).  It calls nothing above core: what an access may do is
 * memstore.c's business.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "memstore_impl.h"

#define PAGE_SIZE 4096u

/* ---- the store ---------------------------------------------------------------------- */

struct memstore *mem_state(struct machine *m)
{
	if (!m->mem) {
		m->mem = calloc(1, sizeof *m->mem);
		if (m->mem) {
			m->mem->kasan = -1;
			m->mem->init_on_alloc = -1;
		}
	}
	return m->mem;
}

static size_t slot_hash(uint64_t pfn, size_t cap)
{
	return (size_t)((pfn * 0x9e3779b97f4a7c15ull) >> 21) & (cap - 1);
}

/* the slot holding pfn, or the empty slot where it would go */
static size_t slot_find(const struct memstore *ms, uint64_t pfn)
{
	size_t h = slot_hash(pfn, ms->cap);
	while (ms->slot[h].buf && ms->slot[h].pfn != pfn)
		h = (h + 1) & (ms->cap - 1);
	return h;
}

uint8_t *pagestore_find(const struct machine *m, uint64_t pfn)
{
	const struct memstore *ms = m->mem;
	if (!ms || !ms->count)
		return NULL;
	return ms->slot[slot_find(ms, pfn)].buf;
}

static int grow(struct memstore *ms)
{
	size_t nc = ms->cap ? ms->cap * 2 : 64;
	struct mem_slot *ns = calloc(nc, sizeof *ns);
	if (!ns)
		return -ENOMEM;
	struct memstore old = *ms;
	ms->slot = ns;
	ms->cap = nc;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slot[i].buf)
			ms->slot[slot_find(ms, old.slot[i].pfn)] = old.slot[i];
	free(old.slot);
	return 0;
}

/* the buffer of pfn, made (filled with `fresh`) if the page has none */
uint8_t *pagestore_get(struct machine *m, uint64_t pfn, uint8_t fresh)
{
	uint8_t *b = pagestore_find(m, pfn);
	if (b)
		return b;
	struct memstore *ms = mem_state(m);
	if (!ms || ((ms->count + 1) * 4 > ms->cap * 3 && grow(ms)))
		return NULL;
	b = malloc(PAGE_SIZE);
	if (!b)
		return NULL;
	memset(b, fresh, PAGE_SIZE);
	size_t h = slot_find(ms, pfn);
	ms->slot[h] = (struct mem_slot){ pfn, b };
	ms->count++;
	return b;
}

/* remove slot i, shifting later members of its probe run back */
static void slot_delete(struct memstore *ms, size_t i)
{
	free(ms->slot[i].buf);
	ms->slot[i].buf = NULL;
	ms->count--;
	size_t mask = ms->cap - 1;
	for (size_t j = (i + 1) & mask; ms->slot[j].buf; j = (j + 1) & mask) {
		size_t h = slot_hash(ms->slot[j].pfn, ms->cap);
		/* j may move to i unless its home lies cyclically in (i, j] */
		bool stays = i <= j ? (h > i && h <= j) : (h > i || h <= j);
		if (stays)
			continue;
		ms->slot[i] = ms->slot[j];
		ms->slot[j].buf = NULL;
		i = j;
	}
}

void memstore_drop(struct machine *m, uint64_t pfn, unsigned order)
{
	struct memstore *ms = m->mem;
	if (!ms || !ms->count)
		return;
	uint64_t n = 1ull << order;
	if (n <= ms->count) {
		for (uint64_t p = pfn; p < pfn + n; p++) {
			size_t h = slot_find(ms, p);
			if (ms->slot[h].buf)
				slot_delete(ms, h);
		}
		return;
	}
	/* fewer stored pages than freed ones: look at each stored page (a
	 * deletion may shift a later one into this slot: look again) */
	for (size_t i = 0; i < ms->cap && ms->count; ) {
		if (ms->slot[i].buf && ms->slot[i].pfn >= pfn && ms->slot[i].pfn < pfn + n)
			slot_delete(ms, i);
		else
			i++;
	}
}

int memstore_migrate(struct machine *m, uint64_t from, uint64_t to, unsigned order)
{
	struct memstore *ms = m->mem;
	if (!ms || !ms->count)
		return 0;
	uint64_t n = 1ull << order;
	/* make every buffer first, so that a failure changes nothing */
	for (uint64_t i = 0; i < n; i++)
		if (pagestore_find(m, from + i) && !pagestore_get(m, to + i, 0))
			return -ENOMEM;
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *b = pagestore_find(m, from + i);
		if (b)
			memcpy(pagestore_find(m, to + i), b, PAGE_SIZE);
	}
	memstore_drop(m, from, order);
	return 0;
}

size_t memstore_nr_pages(const struct machine *m)
{
	return m->mem ? m->mem->count : 0;
}

size_t memstore_host_bytes(const struct machine *m)
{
	const struct memstore *ms = m->mem;
	if (!ms)
		return 0;
	return sizeof *ms + ms->cap * sizeof *ms->slot + ms->count * (size_t)PAGE_SIZE;
}

void memstore_destroy(struct machine *m)
{
	struct memstore *ms = m->mem;
	if (!ms)
		return;
	for (size_t i = 0; i < ms->cap; i++)
		free(ms->slot[i].buf);
	free(ms->slot);
	free(ms);
	m->mem = NULL;
}

