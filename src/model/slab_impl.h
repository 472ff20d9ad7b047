/*
 * slab_impl.h - what slab.c shares with the allocator implementations
 * (slub.c, slab_classic.c).  Internal to src/model.
 */
#ifndef KMEMSH_SLAB_IMPL_H
#define KMEMSH_SLAB_IMPL_H

#include "kmemsh/slab.h"

/* the pfn maps of SLUB/SLAB (slabs, large kmallocs) and SLOB (pages) */
int pfn_map_put(struct pfn_map *pm, uint64_t pfn, uint32_t v);
void pfn_map_free(struct pfn_map *pm);

void slab_log_add(struct machine *m, enum change_kind kind, int cache, uint32_t slab, uint64_t pfn,
		  unsigned order, uint32_t obj, uint64_t addr, int from, int to);
/* a change-log entry, when the log is on (inline: the hot paths skip the call) */
static inline void slab_log(struct machine *m, enum change_kind kind, int cache, uint32_t slab, uint64_t pfn,
			    unsigned order, uint32_t obj, uint64_t addr, int from, int to)
{
	if (m->log.enabled)
		slab_log_add(m, kind, cache, slab, pfn, order, obj, addr, from, to);
}

/*
 * The slab and object index of a direct-map address that is the start of
 * an object on the first page of a slab: the hot path of kfree() and of
 * SLAB's array caches (virt_to_slab() + obj_to_index()).  false for
 * anything else; callers then take the general path.
 */
static inline bool slab_locate_fast(struct machine *m, uint64_t addr, uint32_t *id, unsigned *idx)
{
	uint64_t pfn = 0, off = 0;
	if (machine_vaddr_to_pfn(m, addr, &pfn, &off))
		return false;
	uint32_t v = pfn_map_lookup(&m->slab->map, pfn);
	if (v == SLAB_NONE || (v & 0x80000000u))
		return false;
	const struct slab *s = &m->slab->slabs[v];
	if (off < s->base)
		return false;
	uint32_t rel = (uint32_t)(off - s->base);
	uint32_t i = slab_obj_index(s, rel);
	if (i >= s->objects || rel != i * s->size)
		return false;
	*id = v;
	*idx = i;
	return true;
}
void slab_list_add(struct machine *m, struct slab_list_head *l, uint32_t id, bool tail);
void slab_list_del(struct machine *m, struct slab_list_head *l, uint32_t id);
struct slab_list_head *slab_list_of(struct kmem_cache *c, int list);
void slab_move(struct machine *m, int cache, uint32_t id, int to, bool tail);
uint32_t slab_new(struct machine *m, int cache, gfp_t gfp);
void slab_discard(struct machine *m, uint32_t id);
uint32_t slab_of_addr(const struct machine *m, uint64_t addr);
int slab_cache_new(struct machine *m, const char *name, unsigned size, unsigned align, unsigned flags,
		   bool kmalloc);
int slab_free_object(struct machine *m, int cache, uint64_t addr, const char *fn);
int slab_large_add(struct machine *m, uint64_t pfn, size_t size, unsigned order);

/* SLUB (mm/slub.c) */
int slub_create_kmalloc(struct machine *m);
int slub_kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr);
int slub_alloc(struct machine *m, int cache, gfp_t gfp, uint64_t *addr, size_t requested);
int slub_free(struct machine *m, int cache, uint32_t slab, unsigned idx);
int slub_shrink(struct machine *m, int cache);
void slub_drain(struct machine *m, int cache);
void slub_report_invalid(struct machine *m, int cache, uint32_t slab, uint64_t addr);

/* little-endian words in slab memory (both modelled arches are x86) */
static inline void slab_put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t slab_get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* memory contents and SLUB's debug checks (slab_debug.c) */
bool slub_debug_cache(const struct machine *m, const struct kmem_cache *c);
int slab_mem_create(struct machine *m, struct slab *s);
void slab_mem_set_fp(struct machine *m, const struct slab *s, unsigned idx);
void slab_mem_on_alloc(struct machine *m, struct slab *s, unsigned idx, size_t requested, gfp_t gfp);
void slab_mem_on_free(struct machine *m, struct slab *s, unsigned idx);
void slab_mem_on_krealloc(struct machine *m, struct slab *s, unsigned idx, size_t size, gfp_t gfp);
void slab_mem_copy(struct machine *m, uint64_t dst, uint64_t src);
void slub_skip_orig_size_check(struct machine *m, struct slab *s, unsigned idx);
bool slub_check_alloc(struct machine *m, struct slab *s, unsigned idx);
bool slub_check_free(struct machine *m, struct slab *s, unsigned idx);
bool slub_check_free_slab(struct machine *m, struct slab *s);
void slub_check_discard(struct machine *m, struct slab *s);
void slub_slab_bug(struct machine *m, const char *cache, const char *reason);
void slub_print_trailer(struct machine *m, const struct slab *s, unsigned idx);

/* SLAB (mm/slab.c, 2.6.32) with CONFIG_DEBUG_SLAB (slab_classic_debug.c) */
bool slab_classic_debug(const struct kmem_cache *c);
void slab_classic_debug_init(struct machine *m, struct slab *s);
void slab_classic_debug_alloc(struct machine *m, struct slab *s, unsigned idx, gfp_t gfp);
void slab_classic_debug_free(struct machine *m, struct slab *s, unsigned idx);
void slab_classic_debug_double_free(struct machine *m, struct slab *s, unsigned idx);
void slab_classic_debug_destroy(struct machine *m, struct slab *s);

/* SLAB (mm/slab.c, 2.6.32) */
int slab_classic_create_kmalloc(struct machine *m);
int slab_classic_cache_init(struct machine *m, int cache);
int slab_classic_kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr);
int slab_classic_alloc(struct machine *m, int cache, gfp_t gfp, uint64_t *addr, size_t requested);
int slab_classic_free(struct machine *m, int cache, uint32_t slab, unsigned idx);
int slab_classic_shrink(struct machine *m, int cache);
void slab_classic_drain(struct machine *m, int cache);

/* SLOB (mm/slob.c, 2.6.32) */
int slob_setup(struct machine *m);
void slob_teardown(struct machine *m);
int slob_kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr);
int slob_free_addr(struct machine *m, uint64_t addr, int cache);
int slob_ksize(struct machine *m, uint64_t addr, size_t *size);
int slob_cache_created(struct machine *m, int cache);
void slob_cache_destroyed(struct machine *m, int cache);
int slob_cache_alloc(struct machine *m, int cache, gfp_t gfp, uint64_t *addr);
bool slob_object_info(const struct machine *m, uint64_t addr, struct object_info *oi);
bool slob_owns(const struct machine *m, uint64_t addr);

int slob_check(struct machine *m);
unsigned slob_list_pages(const struct machine *m, int list, uint64_t *pfns, unsigned *units, unsigned max);

#endif
