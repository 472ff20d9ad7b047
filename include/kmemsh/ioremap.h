/*
 * ioremap.h - mapping device memory into the kernel's address space:
 * ioremap() and its cache-mode variants, iounmap(), the cache modes and
 * their PTE bits, and the memtype reservations that keep two mappings of
 * one physical range from disagreeing (arch/x86/mm/ioremap.c,
 * arch/x86/mm/pat/memtype.c).
 */
#ifndef KMEMSH_IOREMAP_H
#define KMEMSH_IOREMAP_H

#include <stdint.h>

#include "kmemsh/machine.h"

/* arch/x86/include/asm/pgtable_types.h: enum page_cache_mode */
enum page_cache_mode {
	PCM_WB, PCM_WC, PCM_UC_MINUS, PCM_UC, PCM_WT, PCM_WP, NR_PCM
};

/* "WB", "WC", "UC-", "UC", "WT", "WP" */
const char *ioremap_pcm_name(unsigned pcm);

/*
 * cachemode2protval(): the PAT/PCD/PWT bits of a 4 KiB PTE for a cache
 * mode, with the PAT MSR each profile programs (6.13: pat_bp_init()'s
 * full table WB WC UC- UC WB WP UC- WT; 2.6.32: WB WC UC- UC in the first
 * four slots, and no WT or WP: they fall back to UC-).
 */
uint64_t ioremap_cachemode2protval(const struct machine *m, enum page_cache_mode pcm);

#endif
