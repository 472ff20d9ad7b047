/*
 * boot_caches.h - the named caches a booted 6.x kernel has (boot_caches.c).
 * The rows are data (see boot_caches.c for where each comes from).
 */
#ifndef KMEMSH_BOOT_CACHES_H
#define KMEMSH_BOOT_CACHES_H

#include <stddef.h>

struct machine;

struct boot_cache {
	const char *name;
	unsigned size, align, flags;    /* kmem_cache_create()'s size, align and SLAB_* flags */
};

/* the rows for m's profile and architecture, in creation order (NULL, 0
 * for 2.6.32) */
const struct boot_cache *boot_caches_table(const struct machine *m, size_t *n);
/* kmem_cache_create() each, merging as SLUB does; after the kmalloc caches
 * and vmap_area.  Nothing without SLUB.  0 or -errno with m->err */
int boot_caches_create(struct machine *m);

#endif
