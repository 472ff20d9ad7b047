/*
 * memstore_impl.h - what memstore.c shares with kasan.c.  Internal to
 * src/model.
 */
#ifndef KMEMSH_MEMSTORE_IMPL_H
#define KMEMSH_MEMSTORE_IMPL_H

#include "kmemsh/memstore.h"

/* one stored page; buf NULL = empty slot */
struct mem_slot {
	uint64_t pfn;
	uint8_t *buf;
};

struct memstore {
	struct mem_slot *slot;          /* open addressing, linear probing */
	size_t cap, count;
	int8_t kasan;                   /* -1: the kernel's default */
	int8_t init_on_alloc;           /* -1: the kernel's default */
	bool multi_shot;                /* kasan_multi_shot */
	bool reported;                  /* KASAN_BIT_REPORTED */
};

/* pagestore.c: the store's state, made on first use (NULL: out of host
 * memory); a page's buffer if stored; a page's buffer, made (filled with
 * `fresh`) on first use (NULL: out of host memory) */
struct memstore *mem_state(struct machine *m);
uint8_t *pagestore_find(const struct machine *m, uint64_t pfn);
uint8_t *pagestore_get(struct machine *m, uint64_t pfn, uint8_t fresh);

/* what addr is: fills kind and the fields that describe it */
void mem_classify(const struct machine *m, uint64_t addr, struct mem_access_result *r);

/*
 * KASAN (kasan.c).  kasan_check(): is any byte of [addr, addr + len)
 * poisoned?  If so, and reports are not yet suppressed, write the report
 * into dmesg; r (the classification of addr) gets kasan_bug and
 * kasan_reported.  Returns true when KASAN caught the access.
 */
bool kasan_enabled(const struct machine *m);
bool kasan_check(struct machine *m, uint64_t addr, size_t len, bool write, struct mem_access_result *r);

#endif
