/*
 * slab_classic_debug.c - SLAB built with CONFIG_DEBUG_SLAB (2.6.32
 * mm/slab.c with DEBUG, STATS and FORCED_DEBUG; no DEBUG_PAGEALLOC).
 *
 * A slot is [red zone 1][object][red zone 2][...][last user]: 64-bit red
 * zone words around the object hold RED_ACTIVE while it is allocated and
 * RED_INACTIVE while it is free, the last word of the slot the caller of
 * the last allocation or free, and a free object is poisoned with
 * POISON_FREE (0x6b, the last byte POISON_END 0xa5), a newly allocated
 * one with POISON_INUSE (0x5a ... 0xa5).
 *
 * cache_free_debugcheck() checks the red zones when an object is freed
 * and reports with slab_error(), then frees it anyway; when the object is
 * handed out again cache_alloc_debugcheck_after() checks its poison
 * ("Slab corruption") and red zones.  The reports repair nothing: the
 * kernel re-poisons and re-marks the object and goes on.
 */
#include <stdio.h>
#include <string.h>

#include "slab_impl.h"

#define RED_INACTIVE 0x09F911029D74E35BULL
#define RED_ACTIVE 0xD84156C5635688C0ULL
#define POISON_INUSE 0x5a
#define POISON_FREE 0x6b
#define POISON_END 0xa5

static const struct kmem_cache *cache_of(const struct machine *m, const struct slab *s)
{
	return &m->slab->caches[s->cache];
}

static unsigned word(const struct machine *m)
{
	return m->arch->bits / 8;
}

/* offset of slot idx (the kernel's objp) from the slab's first byte */
static size_t slot_off(const struct kmem_cache *c, const struct slab *s, unsigned idx)
{
	return s->base - c->g.red_left_pad + (size_t)idx * s->size;
}

/* dbg_redzone1(), dbg_redzone2(), dbg_userword(): offsets in the slot */
static size_t redzone1(const struct kmem_cache *c)
{
	return c->g.red_left_pad - 8;
}

static size_t redzone2(const struct machine *m, const struct kmem_cache *c)
{
	unsigned redzone_align = word(m) > 8 ? word(m) : 8;
	if (c->g.debug_flags & SLAB_STORE_USER_F)
		return c->g.size - 8 - redzone_align;
	return c->g.size - 8;
}

static size_t userword(const struct machine *m, const struct kmem_cache *c)
{
	return c->g.size - word(m);
}

/* the caller recorded as the last user: the command that made the call */
static uint64_t caller(const struct machine *m)
{
	return m->arch->bits == 64 ? 0xffffffff81000000ull : 0xc1000000ull;
}

bool slab_classic_debug(const struct kmem_cache *c)
{
	return c->g.debug_flags != 0;
}

/* poison_obj() */
static void poison_obj(const struct kmem_cache *c, uint8_t *objp, uint8_t val)
{
	uint8_t *p = objp + c->g.red_left_pad;
	memset(p, val, c->g.object_size);
	p[c->g.object_size - 1] = POISON_END;
}

/* cache_init_objs(): every object of a new slab free, poisoned, red-zoned */
void slab_classic_debug_init(struct machine *m, struct slab *s)
{
	const struct kmem_cache *c = cache_of(m, s);
	memset(s->mem, 0, (size_t)4096 << s->order);
	for (unsigned i = 0; i < s->objects; i++) {
		uint8_t *objp = s->mem + slot_off(c, s, i);
		if (c->g.debug_flags & SLAB_STORE_USER_F)
			slab_put_le(objp + userword(m, c), 0, word(m));
		if (c->g.debug_flags & SLAB_RED_ZONE_F) {
			slab_put_le(objp + redzone1(c), RED_INACTIVE, 8);
			slab_put_le(objp + redzone2(m, c), RED_INACTIVE, 8);
		}
		if (c->g.debug_flags & SLAB_POISON_F)
			poison_obj(c, objp, POISON_FREE);
	}
}

/* slab_error(): "slab error in FUNCTION(): cache `NAME': MSG" + dump_stack() */
static void slab_error(struct machine *m, const char *fn, const struct kmem_cache *c, const char *msg)
{
	dmesg_printf(m, "slab error in %s(): cache `%s': %s", fn, c->name, msg);
	dmesg_printf(m, "Pid: 1, comm: kmemsh %s 2.6.32 #1", machine_print_tainted(m));
}

/* dump_line(): one line of an object, and the single-bit-error hint */
static void dump_line(struct machine *m, const uint8_t *data, unsigned offset, unsigned limit)
{
	char line[128];
	size_t n = (size_t)snprintf(line, sizeof line, "%03x:", offset);
	uint8_t error = 0;
	unsigned bad = 0;
	for (unsigned i = 0; i < limit; i++) {
		if (data[offset + i] != POISON_FREE) {
			error = data[offset + i];
			bad++;
		}
		n += (size_t)snprintf(line + n, sizeof line - n, " %02x", data[offset + i]);
	}
	dmesg_printf(m, "%s", line);
	if (bad == 1) {
		error ^= POISON_FREE;
		if (!(error & (error - 1))) {
			dmesg_printf(m, "Single bit error detected. Probably bad RAM.");
			dmesg_printf(m, "Run memtest86+ or a similar memory test tool.");
		}
	}
}

/* print_objinfo() */
static void print_objinfo(struct machine *m, const struct kmem_cache *c, const uint8_t *objp, unsigned lines)
{
	if (c->g.debug_flags & SLAB_RED_ZONE_F)
		dmesg_printf(m, "Redzone: 0x%llx/0x%llx.", (unsigned long long)slab_get_le(objp + redzone1(c), 8),
			     (unsigned long long)slab_get_le(objp + redzone2(m, c), 8));
	if (c->g.debug_flags & SLAB_STORE_USER_F) {
		uint64_t u = slab_get_le(objp + userword(m, c), word(m));
		/* print_symbol("(%s)"): the symbol of the caller, or its address */
		if (u == caller(m))
			dmesg_printf(m, "Last user: [<%0*llx>](kmemsh_command+0x0/0x0)", (int)word(m) * 2,
				     (unsigned long long)u);
		else
			dmesg_printf(m, "Last user: [<%0*llx>](0x%llx)", (int)word(m) * 2, (unsigned long long)u,
				     (unsigned long long)u);
	}
	const uint8_t *realobj = objp + c->g.red_left_pad;
	unsigned size = c->g.object_size;
	for (unsigned i = 0; i < size && lines; i += 16, lines--)
		dump_line(m, realobj, i, size - i < 16 ? size - i : 16);
}

/* check_poison_obj() */
static void check_poison_obj(struct machine *m, const struct slab *s, unsigned idx)
{
	const struct kmem_cache *c = cache_of(m, s);
	const uint8_t *objp = s->mem + slot_off(c, s, idx);
	const uint8_t *realobj = objp + c->g.red_left_pad;
	int size = (int)c->g.object_size, lines = 0;
	uint64_t start = s->vaddr + slot_off(c, s, idx) + c->g.red_left_pad;
	for (int i = 0; i < size; i++) {
		uint8_t exp = i == size - 1 ? POISON_END : POISON_FREE;
		if (realobj[i] != exp) {
			if (lines == 0) {
				dmesg_printf(m, "Slab corruption: %s start=%0*llx, len=%d", c->name, (int)word(m) * 2,
					     (unsigned long long)start, size);
				print_objinfo(m, c, objp, 0);
			}
			/* the whole line; the loop then skips a byte, as the kernel's does */
			i = (i / 16) * 16;
			int limit = i + 16 > size ? size - i : 16;
			dump_line(m, realobj, (unsigned)i, (unsigned)limit);
			i += 16;
			lines++;
			if (lines > 5)
				break;
		}
	}
	if (!lines)
		return;
	/* the neighbours in the same slab */
	if (idx) {
		dmesg_printf(m, "Prev obj: start=%0*llx, len=%d", (int)word(m) * 2,
			     (unsigned long long)(start - s->size), size);
		print_objinfo(m, c, objp - s->size, 2);
	}
	if (idx + 1 < s->objects) {
		dmesg_printf(m, "Next obj: start=%0*llx, len=%d", (int)word(m) * 2,
			     (unsigned long long)(start + s->size), size);
		print_objinfo(m, c, objp + s->size, 2);
	}
}

/* cache_alloc_debugcheck_after() */
void slab_classic_debug_alloc(struct machine *m, struct slab *s, unsigned idx, gfp_t gfp)
{
	const struct kmem_cache *c = cache_of(m, s);
	uint8_t *objp = s->mem + slot_off(c, s, idx);
	if (c->g.debug_flags & SLAB_POISON_F) {
		check_poison_obj(m, s, idx);
		poison_obj(c, objp, POISON_INUSE);
	}
	if (c->g.debug_flags & SLAB_STORE_USER_F)
		slab_put_le(objp + userword(m, c), caller(m), word(m));
	if (c->g.debug_flags & SLAB_RED_ZONE_F) {
		uint64_t r1 = slab_get_le(objp + redzone1(c), 8), r2 = slab_get_le(objp + redzone2(m, c), 8);
		if (r1 != RED_INACTIVE || r2 != RED_INACTIVE) {
			slab_error(m, "cache_alloc_debugcheck_after", c,
				   "double free, or memory outside object was overwritten");
			dmesg_printf(m, "%0*llx: redzone 1:0x%llx, redzone 2:0x%llx", (int)word(m) * 2,
				     (unsigned long long)(s->vaddr + slot_off(c, s, idx)), (unsigned long long)r1,
				     (unsigned long long)r2);
		}
		slab_put_le(objp + redzone1(c), RED_ACTIVE, 8);
		slab_put_le(objp + redzone2(m, c), RED_ACTIVE, 8);
	}
	if (gfp & m->kp->gfp_zero)
		memset(objp + c->g.red_left_pad, 0, c->g.object_size);
}

/* verify_redzone_free(): true if both words say RED_ACTIVE */
static bool verify_redzone_free(struct machine *m, const struct slab *s, unsigned idx)
{
	const struct kmem_cache *c = cache_of(m, s);
	const uint8_t *objp = s->mem + slot_off(c, s, idx);
	uint64_t r1 = slab_get_le(objp + redzone1(c), 8), r2 = slab_get_le(objp + redzone2(m, c), 8);
	if (r1 == RED_ACTIVE && r2 == RED_ACTIVE)
		return true;
	if (r1 == RED_INACTIVE && r2 == RED_INACTIVE)
		slab_error(m, "verify_redzone_free", c, "double free detected");
	else
		slab_error(m, "verify_redzone_free", c, "memory outside object was overwritten");
	dmesg_printf(m, "%0*llx: redzone 1:0x%llx, redzone 2:0x%llx.", (int)word(m) * 2,
		     (unsigned long long)(s->vaddr + slot_off(c, s, idx)), (unsigned long long)r1,
		     (unsigned long long)r2);
	return false;
}

/* a double free: the red zones say so (the kernel goes on and frees the
 * object twice; the model refuses after the report) */
void slab_classic_debug_double_free(struct machine *m, struct slab *s, unsigned idx)
{
	if (cache_of(m, s)->g.debug_flags & SLAB_RED_ZONE_F)
		verify_redzone_free(m, s, idx);
}

/* cache_free_debugcheck() */
void slab_classic_debug_free(struct machine *m, struct slab *s, unsigned idx)
{
	const struct kmem_cache *c = cache_of(m, s);
	uint8_t *objp = s->mem + slot_off(c, s, idx);
	if (c->g.debug_flags & SLAB_RED_ZONE_F) {
		verify_redzone_free(m, s, idx);
		slab_put_le(objp + redzone1(c), RED_INACTIVE, 8);
		slab_put_le(objp + redzone2(m, c), RED_INACTIVE, 8);
	}
	if (c->g.debug_flags & SLAB_STORE_USER_F)
		slab_put_le(objp + userword(m, c), caller(m), word(m));
	if (c->g.debug_flags & SLAB_POISON_F)
		poison_obj(c, objp, POISON_FREE);
}

/* slab_destroy_debugcheck(): a slab going back to the buddy allocator */
void slab_classic_debug_destroy(struct machine *m, struct slab *s)
{
	const struct kmem_cache *c = cache_of(m, s);
	for (unsigned i = 0; i < s->objects; i++) {
		const uint8_t *objp = s->mem + slot_off(c, s, i);
		if (c->g.debug_flags & SLAB_POISON_F)
			check_poison_obj(m, s, i);
		if (c->g.debug_flags & SLAB_RED_ZONE_F) {
			if (slab_get_le(objp + redzone1(c), 8) != RED_INACTIVE)
				slab_error(m, "slab_destroy_debugcheck", c, "start of a freed object was overwritten");
			if (slab_get_le(objp + redzone2(m, c), 8) != RED_INACTIVE)
				slab_error(m, "slab_destroy_debugcheck", c, "end of a freed object was overwritten");
		}
	}
}
