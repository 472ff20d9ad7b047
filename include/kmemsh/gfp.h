/*
 * gfp.h - GFP flags: parsing, printing, and what they mean for the page
 * allocator (which zone, which migratetype, may it sleep).
 */
#ifndef KMEMSH_GFP_H
#define KMEMSH_GFP_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "kmemsh/profile.h"

typedef uint32_t gfp_t;

/*
 * Parse "GFP_KERNEL|__GFP_ZERO", "0xcc0", "GFP_ATOMIC|0x200".  Returns 0 or
 * -EINVAL; on error *bad_off is the byte offset of the offending name in
 * text (so the caller can point at it).
 */
int gfp_parse(const struct kernel_profile *kp, const char *text, gfp_t *out, size_t *bad_off);

/*
 * Print flags as the kernel prints them: the ordered name table, first
 * matching mask wins, remaining bits in hex, joined with '|'.  Returns the
 * length that would have been written (snprintf style).  0 prints "0x0".
 */
int gfp_format(const struct kernel_profile *kp, gfp_t gfp, char *buf, size_t len);

/* gfp_zone(): the highest zone kind the flags allow, or -1 for a
 * GFP_ZONE_BAD combination.  has_dma32/has_highmem say which optional
 * zones the machine configures (OPT_ZONE_* fall back to Normal). */
int gfp_zone(const struct kernel_profile *kp, gfp_t gfp, bool has_dma32, bool has_highmem);

/* gfp_migratetype() / allocflags_to_migratetype(). */
int gfp_migratetype(const struct kernel_profile *kp, gfp_t gfp);

/* gfpflags_allow_blocking(): may the allocation sleep? */
bool gfp_allow_blocking(const struct kernel_profile *kp, gfp_t gfp);

/* Iterate over all names it accepts (for completion and suggestions),
 * the printed forms included: returns NULL past the end. */
const char *gfp_name_at(const struct kernel_profile *kp, size_t i);

/* A name this kernel lacks but the other modelled one has: what this
 * kernel calls it, in a sentence; NULL for any other word. */
const char *gfp_other_kernel_hint(const struct kernel_profile *kp, const char *word);

/* Is one name the other with NO (GFP_WAIT / GFP_NOWAIT)? */
bool gfp_names_opposite(const char *a, const char *b);

/*
 * What the flags let the page allocator's slow path do, as
 * gfp_to_alloc_flags() and __zone_watermark_ok() / zone_watermark_ok()
 * decide it (the rules buddy.c applies): how far below the min watermark
 * it may go (the part of min that still has to stay free, num/den), the
 * MIGRATE_HIGHATOMIC reserve, no watermarks at all.
 */
struct gfp_reserves {
	bool may_sleep;                 /* gfpflags_allow_blocking() */
	bool wakes_kswapd;              /* 6.13 __GFP_KSWAPD_RECLAIM; 2.6.32 always */
	unsigned min_num, min_den;      /* 1/1, 1/2 (ALLOC_HIGH), 3/4 or 3/8 (ALLOC_HARDER) */
	bool highatomic;                /* may take the highatomic reserve (order > 0) */
	bool no_watermarks;             /* __GFP_MEMALLOC without __GFP_NOMEMALLOC */
};
void gfp_reserves(const struct kernel_profile *kp, gfp_t gfp, struct gfp_reserves *r);

#endif
