/*
 * slab_debug.c - slab memory contents and SLUB's debug checks.
 *
 * The model gives bytes only to slab memory, and only where something can
 * be seen in them: a slab of a debug cache (slub_debug, SLAB_RED_ZONE,
 * SLAB_POISON, SLAB_STORE_USER) gets its bytes when it is created, as the
 * kernel poisons and red-zones it then; any other slab gets them when the
 * user first writes into it with memset.  Until then its contents are
 * implied: zeros, and the free pointers of its free objects.
 *
 * What the allocator writes follows 6.13 mm/slub.c: setup_slab_debug()
 * fills a new slab with POISON_INUSE, init_object() red-zones and poisons
 * an object on every allocation and free, set_track() and set_orig_size()
 * fill the metadata after it, set_freepointer() links free objects.
 * check_object() runs with SLAB_CONSISTENCY_CHECKS (slub_debug=F) on
 * allocation (val SLUB_RED_INACTIVE: use-after-free writes, poison) and on
 * free (val SLUB_RED_ACTIVE: red zones, the kmalloc red zone, padding),
 * reports each damaged region with check_bytes_and_report(), repairs it
 * (restore_bytes()) and prints print_trailer() once.
 *
 * Free pointers are stored as plain addresses: with
 * CONFIG_SLAB_FREELIST_HARDENED the kernel stores them XOR a per-cache
 * random value and the byte-swapped address of the pointer itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/i18n.h"
#include "slab_impl.h"

#define POISON_INUSE 0x5a
#define POISON_FREE 0x6b
#define POISON_END 0xa5
#define SLUB_RED_INACTIVE 0xbb
#define SLUB_RED_ACTIVE 0xcc
#define PAGE_SIZE 4096u
#define MODEL_HZ 1000u                  /* jiffies per second of the modelled clock */

enum { TRACK_ALLOC, TRACK_FREE };

/* ---- layout ---------------------------------------------------------------------- */

static unsigned ptr_size(const struct machine *m)
{
	return m->arch->bits / 8;
}

static size_t slab_bytes(const struct slab *s)
{
	return (size_t)PAGE_SIZE << s->order;
}

/* offset of object idx from the slab's first byte (fixup_red_left() applied) */
static size_t obj_off(const struct slab *s, unsigned idx)
{
	return s->base + (size_t)idx * s->size;
}

/* kmem_cache_debug(): SLUB takes its debug paths (6.13: no cpu slabs) */
bool slub_debug_cache(const struct machine *m, const struct kmem_cache *c)
{
	return m->slab->impl == SLAB_IMPL_SLUB && m->kp->kv != KV_2_6_32 &&
	       (c->flags & (SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F | SLAB_DEBUG_FREE_F));
}

/* __OBJECT_POISON: SLAB_POISON without a constructor or RCU freeing */
static bool object_poison(const struct kmem_cache *c)
{
	return (c->flags & SLAB_POISON_F) && !(c->flags & (SLAB_CTOR_F | SLAB_TYPESAFE_BY_RCU_F));
}

/* slub_debug_orig_size(): kmalloc caches with SLAB_STORE_USER keep the request
 * (6.2 "mm/slub: enable debugging memory wasting of kmalloc", in 6.1.192) */
static bool orig_size_kept(const struct machine *m, const struct kmem_cache *c)
{
	return m->kp->kv != KV_2_6_32 && (c->flags & SLAB_STORE_USER_F) && (c->flags & SLAB_KMALLOC_F);
}

/* get_info_end(): the end of the object and its free pointer */
static unsigned info_end(const struct machine *m, const struct kmem_cache *c)
{
	return c->g.offset >= c->g.inuse ? c->g.inuse + ptr_size(m) : c->g.inuse;
}

static unsigned track_bytes(const struct machine *m)
{
	return slub_track_size(m->kp->kv == KV_2_6_32, ptr_size(m));
}

/* check_pad_bytes(): where the padding after the metadata starts */
static unsigned pad_start(const struct machine *m, const struct kmem_cache *c)
{
	unsigned off = info_end(m, c);
	if (c->flags & SLAB_STORE_USER_F) {
		off += 2 * track_bytes(m);
		if (orig_size_kept(m, c))
			off += 4;
	}
	return off;
}

/* size_from_object(): the slot size counted from the object's start */
static unsigned size_from_object(const struct kmem_cache *c)
{
	return c->g.size - c->g.red_left_pad;
}

static const struct kmem_cache *cache_of(const struct machine *m, const struct slab *s)
{
	return &m->slab->caches[s->cache];
}

/* the address of object 0 */
static uint64_t s_obj_base(const struct slab *s)
{
	return s->vaddr + s->base;
}

/* ---- what the allocator writes ----------------------------------------------------- */

/* set_freepointer(): the free pointer of object idx from the model's freelist */
void slab_mem_set_fp(struct machine *m, const struct slab *s, unsigned idx)
{
	if (!s->mem || m->slab->impl != SLAB_IMPL_SLUB)
		return;
	const struct kmem_cache *c = cache_of(m, s);
	uint64_t next = s->fp[idx] == SLAB_NONE ? 0 : slab_object_addr(m, s, s->fp[idx]);
	slab_put_le(s->mem + obj_off(s, idx) + c->g.offset, next, ptr_size(m));
}

static uint64_t get_fp(const struct machine *m, const struct slab *s, unsigned idx)
{
	const struct kmem_cache *c = cache_of(m, s);
	if (!s->mem)
		return s->fp[idx] == SLAB_NONE ? 0 : slab_object_addr(m, s, s->fp[idx]);
	return slab_get_le(s->mem + obj_off(s, idx) + c->g.offset, ptr_size(m));
}

static unsigned get_orig_size(const struct machine *m, const struct slab *s, unsigned idx)
{
	const struct kmem_cache *c = cache_of(m, s);
	if (!orig_size_kept(m, c) || !s->mem)
		return c->g.object_size;
	return (unsigned)slab_get_le(s->mem + obj_off(s, idx) + info_end(m, c) + 2 * track_bytes(m), 4);
}

/* set_orig_size(): kept after the two tracks, only by kmalloc caches with
 * SLAB_STORE_USER (slub_debug_orig_size()) */
static void set_orig_size(struct machine *m, struct slab *s, unsigned idx, size_t size)
{
	const struct kmem_cache *c = cache_of(m, s);
	if (!s->mem || !slub_debug_cache(m, c) || !orig_size_kept(m, c))
		return;
	slab_put_le(s->mem + obj_off(s, idx) + info_end(m, c) + 2 * track_bytes(m), size, 4);
}

/* skip_orig_size_check(), which ksize() calls: the caller may use the
 * whole object from now on */
void slub_skip_orig_size_check(struct machine *m, struct slab *s, unsigned idx)
{
	set_orig_size(m, s, idx, cache_of(m, s)->g.object_size);
}

/* init_object() */
static void init_object(struct machine *m, struct slab *s, unsigned idx, uint8_t val)
{
	const struct kmem_cache *c = cache_of(m, s);
	uint8_t *p = s->mem + obj_off(s, idx);
	unsigned poison_size = c->g.object_size;
	if (c->flags & SLAB_RED_ZONE_F) {
		memset(p - c->g.red_left_pad, val, c->g.red_left_pad);
		if (orig_size_kept(m, c) && val == SLUB_RED_ACTIVE)
			poison_size = get_orig_size(m, s, idx);
	}
	if (object_poison(c) && poison_size) {
		memset(p, POISON_FREE, poison_size - 1);
		p[poison_size - 1] = POISON_END;
	}
	if (c->flags & SLAB_RED_ZONE_F)
		memset(p + poison_size, val, c->g.inuse - poison_size);
}

static uint64_t jiffies(const struct machine *m)
{
	/* INITIAL_JIFFIES is -300 s; only differences (age=) are shown */
	return (uint64_t)(uint32_t)(-300 * (int)MODEL_HZ) + m->clock_us / (1000000u / MODEL_HZ);
}

/* the caller recorded in a track: the command that made the call */
static uint64_t caller_addr(const struct machine *m)
{
	return m->arch->bits == 64 ? 0xffffffff81000000ull : 0xc1000000ull;
}

/* set_track(): struct track { addr; [handle;] cpu; pid; when; } */
static void set_track(struct machine *m, struct slab *s, unsigned idx, int which)
{
	const struct kmem_cache *c = cache_of(m, s);
	unsigned ps = ptr_size(m), tb = track_bytes(m);
	uint8_t *t = s->mem + obj_off(s, idx) + info_end(m, c) + (unsigned)which * tb;
	memset(t, 0, tb);
	slab_put_le(t, caller_addr(m), ps);
	unsigned at = ps;
	if (m->kp->kv != KV_2_6_32) {   /* 5.19 on: struct track's depot handle */
		slab_put_le(t + at, 1, 4);   /* a stack depot handle */
		at += 4;
	}
	slab_put_le(t + at, machine_this_cpu(m), 4);
	slab_put_le(t + at + 4, 1, 4);       /* pid */
	slab_put_le(t + tb - ps, jiffies(m), ps);
}

/* setup_slab_debug() + setup_object_debug() of every object, and the
 * free pointers: the bytes of a new slab of a debug cache */
void slub_debug_new_slab(struct machine *m, struct slab *s)
{
	const struct kmem_cache *c = cache_of(m, s);
	memset(s->mem, (c->flags & SLAB_POISON_F) ? POISON_INUSE : 0, slab_bytes(s));
	for (unsigned i = 0; i < s->objects; i++) {
		init_object(m, s, i, SLUB_RED_INACTIVE);
		if (c->flags & SLAB_STORE_USER_F)   /* init_tracking() */
			memset(s->mem + obj_off(s, i) + info_end(m, c), 0, 2 * track_bytes(m));
		slab_mem_set_fp(m, s, i);
	}
}

/* the implied contents of a slab that has no bytes yet */
static void render_plain(struct machine *m, const struct slab *s, uint8_t *buf)
{
	memset(buf, 0, slab_bytes(s));
	if (m->slab->impl != SLAB_IMPL_SLUB)
		return;
	const struct kmem_cache *c = cache_of(m, s);
	for (unsigned i = 0; i < s->objects; i++)
		if (!s->req[i]) {
			uint64_t next = s->fp[i] == SLAB_NONE ? 0 : slab_object_addr(m, s, s->fp[i]);
			slab_put_le(buf + obj_off(s, i) + c->g.offset, next, ptr_size(m));
		}
}

/* the bytes of a new slab of a debug cache, as its allocator writes them */
int slab_mem_create(struct machine *m, struct slab *s)
{
	s->mem = malloc(slab_bytes(s));
	if (!s->mem)
		return -ENOMEM;
	m->slab->ops->debug_new_slab(m, s);
	return 0;
}

static int materialize(struct machine *m, struct slab *s)
{
	if (s->mem)
		return 0;
	s->mem = malloc(slab_bytes(s));
	if (!s->mem)
		return -ENOMEM;
	render_plain(m, s, s->mem);
	return 0;
}

/* after an allocation: __GFP_ZERO, and for SLUB's debug caches
 * alloc_debug_processing()'s set_orig_size() + init_object() and
 * set_track() */
void slab_mem_on_alloc(struct machine *m, struct slab *s, unsigned idx, size_t requested, gfp_t gfp)
{
	if (!s->mem)
		return;
	const struct kmem_cache *c = cache_of(m, s);
	unsigned zero = c->g.object_size;
	if (slub_debug_cache(m, c)) {
		unsigned o = (unsigned)(requested && requested < c->g.object_size ? requested : c->g.object_size);
		/* slab_post_alloc_hook(): a kmalloc cache with SLAB_STORE_USER or
		 * SLAB_RED_ZONE zeroes only the requested bytes */
		if ((c->flags & SLAB_KMALLOC_F) && (c->flags & (SLAB_STORE_USER_F | SLAB_RED_ZONE_F)))
			zero = o;
		set_orig_size(m, s, idx, o);
		init_object(m, s, idx, SLUB_RED_ACTIVE);
		if (c->flags & SLAB_STORE_USER_F)
			set_track(m, s, idx, TRACK_ALLOC);
	}
	if (gfp & m->kp->gfp_zero)
		memset(s->mem + obj_off(s, idx), 0, zero);
}

/* __do_krealloc() in place (6.13): the new request becomes orig_size and,
 * with red zones, the rest of the object kmalloc red zone again */
void slab_mem_on_krealloc(struct machine *m, struct slab *s, unsigned idx, size_t size, gfp_t gfp)
{
	const struct kmem_cache *c = cache_of(m, s);
	if (!s->mem || m->kp->kv != KV_6_13 || size > c->g.object_size)
		return;
	uint8_t *p = s->mem + obj_off(s, idx);
	/* want_init_on_alloc(): zero the spare memory */
	if (gfp & m->kp->gfp_zero) {
		size_t orig = get_orig_size(m, s, idx), ks = c->g.object_size;
		if (orig && orig < size)
			memset(p + orig, 0, size - orig);
		else
			memset(p + size, 0, ks - size);
	}
	if (!slub_debug_cache(m, c) || !orig_size_kept(m, c))
		return;
	set_orig_size(m, s, idx, size);
	if ((c->flags & SLAB_RED_ZONE_F) && size < c->g.object_size)
		memset(p + size, SLUB_RED_ACTIVE, c->g.object_size - size);
}

/* __do_krealloc() moving: memcpy(ret, p, orig_size ?: ks) — only when
 * one of the two slabs has contents */
void slab_mem_copy(struct machine *m, uint64_t dst, uint64_t src)
{
	uint32_t ds = slab_of_addr(m, dst), ss = slab_of_addr(m, src);
	if (ds == SLAB_NONE || ss == SLAB_NONE)
		return;
	struct slab *d = &m->slab->slabs[ds];
	const struct slab *sl = &m->slab->slabs[ss];
	if (!d->mem && !sl->mem)
		return;
	const struct kmem_cache *sc = cache_of(m, sl);
	size_t len = sc->g.object_size;
	unsigned sidx = (unsigned)((src - s_obj_base(sl)) / sl->size);
	/* orig_size is slab memory the user may have damaged: never more
	 * than the object, nor more than the destination slab holds */
	if (sl->mem && slub_debug_cache(m, sc) && orig_size_kept(m, sc) && get_orig_size(m, sl, sidx) < len)
		len = get_orig_size(m, sl, sidx);
	size_t room = (size_t)(d->vaddr + slab_bytes(d) - dst);
	if (len > room)
		len = room;
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return;
	if (!slab_read(m, src, buf, len) && !materialize(m, d))
		memcpy(d->mem + (dst - d->vaddr), buf, len);
	free(buf);
}

/* free_debug_processing() after the checks: set_track() + init_object() */
void slab_mem_on_free(struct machine *m, struct slab *s, unsigned idx)
{
	if (!s->mem || !slub_debug_cache(m, cache_of(m, s)))
		return;
	if (cache_of(m, s)->flags & SLAB_STORE_USER_F)
		set_track(m, s, idx, TRACK_FREE);
	init_object(m, s, idx, SLUB_RED_INACTIVE);
}

/* ---- reports ---------------------------------------------------------------------------- */

void slab_hex_line(char *out, size_t outlen, const char *prefix, uint64_t addr, const uint8_t *p, size_t n,
		   unsigned ptr_digits)
{
	/* lib/hexdump.c hex_dump_to_buffer(): groupsize 1, the ASCII column at
	 * rowsize * 2 + rowsize / groupsize + 1 = 49 */
	char line[80];
	size_t lx = 0;
	for (size_t i = 0; i < n; i++)
		lx += (size_t)snprintf(line + lx, sizeof line - lx, i ? " %02x" : "%02x", p[i]);
	while (lx < 49)
		line[lx++] = ' ';
	for (size_t i = 0; i < n; i++)
		line[lx++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	line[lx] = '\0';
	snprintf(out, outlen, "%s%0*llx: %s", prefix, (int)ptr_digits, (unsigned long long)addr, line);
}

/* print_section(): print_hex_dump(KERN_ERR, text, DUMP_PREFIX_ADDRESS, 16, 1, ...) */
static void print_section(struct machine *m, const char *text, uint64_t addr, const uint8_t *p, size_t len)
{
	char line[160];
	for (size_t i = 0; i < len; i += 16) {
		slab_hex_line(line, sizeof line, text, addr + i, p + i, len - i < 16 ? len - i : 16,
			      m->arch->bits / 4);
		dmesg_printf(m, "%s", line);
	}
}

void slub_slab_bug(struct machine *m, const char *cache, const char *reason)
{
	/* mm/slub.c slab_bug() */
	dmesg_printf(m, "=============================================================================");
	dmesg_printf(m, "BUG %s (%s): %s", cache, machine_print_tainted(m), reason);
	dmesg_printf(m, "-----------------------------------------------------------------------------");
	dmesg_printf(m, "%s", "");
}

static void print_track(struct machine *m, const struct slab *s, unsigned idx, int which)
{
	const struct kmem_cache *c = cache_of(m, s);
	unsigned ps = ptr_size(m), tb = track_bytes(m);
	const uint8_t *t = s->mem + obj_off(s, idx) + info_end(m, c) + (unsigned)which * tb;
	if (!slab_get_le(t, ps))
		return;         /* never set */
	unsigned at = ps + (m->kp->kv != KV_2_6_32 ? 4 : 0);
	uint64_t when = slab_get_le(t + tb - ps, ps);
	dmesg_printf(m, "%s in kmemsh_command+0x0/0x0 age=%llu cpu=%u pid=%u", which == TRACK_ALLOC ? "Allocated" : "Freed",
		     (unsigned long long)(jiffies(m) - when), (unsigned)slab_get_le(t + at, 4), (unsigned)slab_get_le(t + at + 4, 4));
}

static void print_slab_info(struct machine *m, const struct slab *s);

/* print_trailer() (the stack dump is not modelled) */
void slub_print_trailer(struct machine *m, const struct slab *s, unsigned idx)
{
	const struct kmem_cache *c = cache_of(m, s);
	uint64_t obj = slab_object_addr(m, s, idx);
	uint64_t start = s->vaddr;
	if (s->mem && (c->flags & SLAB_STORE_USER_F)) {
		print_track(m, s, idx, TRACK_ALLOC);
		print_track(m, s, idx, TRACK_FREE);
	}
	print_slab_info(m, s);
	dmesg_printf(m, "Object 0x%016llx @offset=%llu fp=0x%016llx", (unsigned long long)obj,
		     (unsigned long long)(obj - start), (unsigned long long)get_fp(m, s, idx));
	dmesg_printf(m, "%s", "");
	if (!s->mem)
		return;
	const uint8_t *p = s->mem + obj_off(s, idx);
	size_t off = obj_off(s, idx);
	if (c->flags & SLAB_RED_ZONE_F)
		print_section(m, "Redzone  ", obj - c->g.red_left_pad, p - c->g.red_left_pad, c->g.red_left_pad);
	else if (off > 16)
		print_section(m, "Bytes b4 ", obj - 16, p - 16, 16);
	print_section(m, "Object   ", obj, p, c->g.object_size < PAGE_SIZE ? c->g.object_size : PAGE_SIZE);
	if (c->flags & SLAB_RED_ZONE_F)
		print_section(m, "Redzone  ", obj + c->g.object_size, p + c->g.object_size,
			      c->g.inuse - c->g.object_size);
	unsigned pad = pad_start(m, c);
	if (pad != size_from_object(c))
		print_section(m, "Padding  ", obj + pad, p + pad, size_from_object(c) - pad);
}

/* check_bytes_and_report() (6.11-6.14 form): true if the bytes hold value */
static bool check_bytes(struct machine *m, struct slab *s, const char *what, size_t start, uint8_t value,
			size_t bytes)
{
	const struct kmem_cache *c = cache_of(m, s);
	uint8_t *b = s->mem + start;
	size_t i = 0;
	while (i < bytes && b[i] == value)
		i++;
	if (i == bytes)
		return true;
	size_t end = bytes;
	while (end > i && b[end - 1] == value)
		end--;
	char reason[64];
	snprintf(reason, sizeof reason, "%s overwritten", what);
	slub_slab_bug(m, c->name, reason);
	uint64_t fault = s->vaddr + start + i, last = s->vaddr + start + end - 1;
	dmesg_printf(m, "0x%016llx-0x%016llx @offset=%llu. First byte 0x%x instead of 0x%x", (unsigned long long)fault,
		     (unsigned long long)last, (unsigned long long)(start + i), b[i], value);
	/* restore_bytes() */
	dmesg_printf(m, "FIX %s: Restoring %s 0x%016llx-0x%016llx=0x%x", c->name, what, (unsigned long long)fault,
		     (unsigned long long)last, value);
	memset(b + i, value, end - i);
	return false;
}

/* check_valid_pointer() */
static bool valid_pointer(const struct machine *m, const struct slab *s, uint64_t v)
{
	if (!v)
		return true;
	const struct kmem_cache *c = cache_of(m, s);
	uint64_t slot = v - c->g.red_left_pad;
	return v >= s->vaddr + c->g.red_left_pad && slot < s->vaddr + (uint64_t)s->objects * s->size &&
	       (slot - s->vaddr) % s->size == 0;
}

/* check_object(); val SLUB_RED_ACTIVE (free) or SLUB_RED_INACTIVE (alloc) */
static bool check_object(struct machine *m, struct slab *s, unsigned idx, uint8_t val)
{
	const struct kmem_cache *c = cache_of(m, s);
	size_t p = obj_off(s, idx);
	unsigned osz = c->g.object_size;
	bool ok = true;
	if (c->flags & SLAB_RED_ZONE_F) {
		ok &= check_bytes(m, s, "Left Redzone", p - c->g.red_left_pad, val, c->g.red_left_pad);
		ok &= check_bytes(m, s, "Right Redzone", p + osz, val, c->g.inuse - osz);
		if (orig_size_kept(m, c) && val == SLUB_RED_ACTIVE) {
			unsigned orig = get_orig_size(m, s, idx);
			if (osz > orig)
				ok &= check_bytes(m, s, "kmalloc Redzone", p + orig, val, osz - orig);
		}
	} else if ((c->flags & SLAB_POISON_F) && osz < c->g.inuse) {
		ok &= check_bytes(m, s, "Alignment padding", p + osz, POISON_INUSE, c->g.inuse - osz);
	}
	if (c->flags & SLAB_POISON_F) {
		if (val != SLUB_RED_ACTIVE && object_poison(c)) {
			if (osz > 1)
				ok &= check_bytes(m, s, "Poison", p, POISON_FREE, osz - 1);
			ok &= check_bytes(m, s, "End Poison", p + osz - 1, POISON_END, 1);
		}
		unsigned pad = pad_start(m, c);
		if (pad != size_from_object(c))
			ok &= check_bytes(m, s, "Object padding", p + pad, POISON_INUSE, size_from_object(c) - pad);
	}
	if ((c->g.offset >= c->g.inuse || val != SLUB_RED_ACTIVE) && !valid_pointer(m, s, get_fp(m, s, idx))) {
		/* object_err(): its own banner and trailer, then the pointer
		 * is cleared (in the model the freelist itself is kept) */
		slub_slab_bug(m, c->name, "Freepointer corrupt");
		slub_print_trailer(m, s, idx);
		slab_put_le(s->mem + p + c->g.offset, 0, ptr_size(m));
		ok = false;
	}
	if (!ok) {
		slub_print_trailer(m, s, idx);
		m->taint |= 1ul << TAINT_BAD_PAGE;   /* add_taint(TAINT_BAD_PAGE) */
	}
	return ok;
}

static void print_slab_info(struct machine *m, const struct slab *s)
{
	dmesg_printf(m, "Slab 0x%016llx objects=%u used=%u fp=0x%016llx flags=0x%x(slab|head)",
		     (unsigned long long)machine_page_ptr(m, s->pfn), s->objects, s->inuse,
		     (unsigned long long)(s->freelist == SLAB_NONE ? 0 : slab_object_addr(m, s, s->freelist)), 0x240u);
}

/* slab_err(): the banner and the slab (the stack dump is not modelled) */
static void slab_err(struct machine *m, const struct slab *s, const char *msg)
{
	slub_slab_bug(m, cache_of(m, s)->name, msg);
	print_slab_info(m, s);
	m->taint |= 1ul << TAINT_BAD_PAGE;
}

/* slab_pad_check(): the bytes after the last object hold POISON_INUSE */
static void slab_pad_check(struct machine *m, struct slab *s)
{
	const struct kmem_cache *c = cache_of(m, s);
	if (!(c->flags & SLAB_POISON_F))
		return;
	size_t length = slab_bytes(s), remainder = length % c->g.size;
	if (!remainder)
		return;
	size_t pad = length - remainder, i = pad, end = length;
	while (i < end && s->mem[i] == POISON_INUSE)
		i++;
	if (i == end)
		return;
	while (end > i && s->mem[end - 1] == POISON_INUSE)
		end--;
	char msg[128];
	snprintf(msg, sizeof msg, "Padding overwritten. 0x%016llx-0x%016llx @offset=%zu",
		 (unsigned long long)(s->vaddr + i), (unsigned long long)(s->vaddr + end - 1), i);
	slab_err(m, s, msg);
	print_section(m, "Padding ", s->vaddr + pad, s->mem + pad, remainder);
	dmesg_printf(m, "FIX %s: Restoring slab padding 0x%016llx-0x%016llx=0x%x", c->name,
		     (unsigned long long)(s->vaddr + i), (unsigned long long)(s->vaddr + end - 1), POISON_INUSE);
	memset(s->mem + i, POISON_INUSE, end - i);
}

/* free_consistency_checks(): a pointer that is not an object start */
void slub_report_invalid(struct machine *m, int cache, uint32_t slab, uint64_t addr)
{
	const struct kmem_cache *c = &m->slab->caches[cache];
	if (!(c->flags & SLAB_DEBUG_FREE_F) || slab == SLAB_NONE)
		return;
	char msg[64];
	snprintf(msg, sizeof msg, "Invalid object pointer 0x%016llx", (unsigned long long)addr);
	slab_err(m, &m->slab->slabs[slab], msg);
	dmesg_printf(m, "FIX %s: Object at 0x%016llx not freed", c->name, (unsigned long long)addr);
}

/* check_slab(): a slab given up by "Marking all objects used" is frozen
 * and refuses every later allocation and free */
static bool check_slab(struct machine *m, struct slab *s)
{
	if (s->leaked) {
		slab_err(m, s, "Slab disabled since SLUB metadata consistency check failed");
		return false;
	}
	slab_pad_check(m, s);
	return true;
}

static bool checking(const struct machine *m, const struct slab *s)
{
	return (cache_of(m, s)->flags & SLAB_DEBUG_FREE_F) && s->mem;
}

/* alloc_consistency_checks() */
bool slub_check_alloc(struct machine *m, struct slab *s, unsigned idx)
{
	if (!checking(m, s))
		return true;
	return check_slab(m, s) && check_object(m, s, idx, SLUB_RED_INACTIVE);
}

/* free_debug_processing()'s check_slab() */
bool slub_check_free_slab(struct machine *m, struct slab *s)
{
	return !checking(m, s) || check_slab(m, s);
}

/* free_consistency_checks()'s check_object() */
bool slub_check_free(struct machine *m, struct slab *s, unsigned idx)
{
	return !checking(m, s) || check_object(m, s, idx, SLUB_RED_ACTIVE);
}

/* free_slab(): with consistency checks, the padding and every (free)
 * object are checked before the pages go back */
void slub_check_discard(struct machine *m, struct slab *s)
{
	if (!checking(m, s))
		return;
	slab_pad_check(m, s);
	for (unsigned i = 0; i < s->objects; i++)
		check_object(m, s, i, SLUB_RED_INACTIVE);
}

/* ---- memset and reads --------------------------------------------------------------------- */

/* the slab holding [addr, addr + len), or SLAB_NONE with m->err */
static uint32_t range_slab(struct machine *m, uint64_t addr, size_t len)
{
	if (!m->slab) {
		model_err(m, "no slab allocator on this machine");
		return SLAB_NONE;
	}
	if (len == 0 || len > (1u << 22) || addr + len < addr) {
		model_err(m, "length %zu: expected 1 to 4194304 bytes", len);
		return SLAB_NONE;
	}
	if (m->slab->impl == SLAB_IMPL_SLOB) {
		model_err(m, "memory contents are not modelled under SLOB");
		return SLAB_NONE;
	}
	uint32_t id = slab_of_addr(m, addr);
	if (id == SLAB_NONE) {
		struct object_info oi;
		slab_object_info(m, addr, &oi);
		model_err(m, "%#llx is not in a slab%s (memory contents are modelled for slab "
			 "memory only)", (unsigned long long)addr, oi.large ? _(" but a large kmalloc") : "");
		return SLAB_NONE;
	}
	const struct slab *s = &m->slab->slabs[id];
	if (addr + len > s->vaddr + slab_bytes(s)) {
		model_err(m, "%#llx + %zu runs past the end of the slab at pfn %#llx (%zu bytes "
			 "left in it)", (unsigned long long)addr, len, (unsigned long long)s->pfn,
			 (size_t)(s->vaddr + slab_bytes(s) - addr));
		return SLAB_NONE;
	}
	return id;
}

int slab_memset(struct machine *m, uint64_t addr, int c, size_t len)
{
	m->err[0] = '\0';
	uint32_t id = range_slab(m, addr, len);
	if (id == SLAB_NONE)
		return -EINVAL;
	struct slab *s = &m->slab->slabs[id];
	if (materialize(m, s)) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	memset(s->mem + (addr - s->vaddr), c, len);
	return 0;
}

int slab_read(struct machine *m, uint64_t addr, uint8_t *buf, size_t len)
{
	m->err[0] = '\0';
	uint32_t id = range_slab(m, addr, len);
	if (id == SLAB_NONE)
		return -EINVAL;
	const struct slab *s = &m->slab->slabs[id];
	if (s->mem) {
		memcpy(buf, s->mem + (addr - s->vaddr), len);
		return 0;
	}
	uint8_t *tmp = malloc(slab_bytes(s));
	if (!tmp) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	render_plain(m, s, tmp);
	memcpy(buf, tmp + (addr - s->vaddr), len);
	free(tmp);
	return 0;
}

/* the region of a slot that byte offset `o` from the object's start is in */
static const char *region(const struct machine *m, const struct kmem_cache *c, long o)
{
	unsigned ps = ptr_size(m);
	if (m->slab->impl == SLAB_IMPL_SLAB && c->g.debug_flags) {
		/* CONFIG_DEBUG_SLAB: [red zone 1][object][red zone 2]...[last user] */
		long slot_end = (long)c->g.size - (long)c->g.red_left_pad;
		long rz2 = (long)c->g.size - 8 - (long)((c->g.debug_flags & SLAB_STORE_USER_F) ? (ps > 8 ? ps : 8) : 0) -
			   (long)c->g.red_left_pad;
		if (o < 0)
			return "red zone 1";
		if ((unsigned long)o < c->g.object_size)
			return "object";
		if ((c->g.debug_flags & SLAB_RED_ZONE_F) && o >= rz2 && o < rz2 + 8)
			return "red zone 2";
		if ((c->g.debug_flags & SLAB_STORE_USER_F) && o >= slot_end - (long)ps)
			return "last user";
		return "padding";
	}
	if (o < 0)
		return m->slab->impl == SLAB_IMPL_SLUB ? "left red zone" : "colour/management";
	if ((unsigned long)o < c->g.object_size)
		return "object";
	if (m->slab->impl == SLAB_IMPL_SLUB) {
		if (c->g.offset >= c->g.inuse && (unsigned long)o >= c->g.offset && (unsigned long)o < c->g.offset + ps)
			return "free pointer";
		if ((unsigned long)o < c->g.inuse)
			return (c->flags & SLAB_RED_ZONE_F) ? "right red zone" : "alignment padding";
		unsigned ie = info_end(m, c), tb = track_bytes(m);
		if ((c->flags & SLAB_STORE_USER_F) && (unsigned long)o >= ie && (unsigned long)o < ie + 2 * tb)
			return (unsigned long)o < ie + tb ? "alloc track" : "free track";
		if (orig_size_kept(m, c) && (unsigned long)o >= ie + 2 * tb && (unsigned long)o < ie + 2 * tb + 4)
			return "orig_size";
	}
	return "padding";
}

/* the region of slab s that address a is in; *idx = its object (-1 in
 * the slab's head or tail), *o = the offset from the object's start */
static const char *byte_region(const struct machine *m, const struct slab *s, uint64_t a, long *idx, long *o)
{
	const struct kmem_cache *c = cache_of(m, s);
	long rel = (long)(a - s->vaddr) - (long)(s->base - c->g.red_left_pad);
	*idx = -1;
	*o = 0;
	if (rel < 0 || (unsigned long)rel >= (unsigned long)s->objects * s->size)
		return rel < 0 ? "slab head" : "slab tail";
	*idx = rel / (long)s->size;
	*o = rel % (long)s->size - (long)c->g.red_left_pad;
	/* a free SLUB object keeps its free pointer inside itself (s->offset
	 * in the middle) when nothing forces it outside */
	if (m->slab->impl == SLAB_IMPL_SLUB && !s->req[*idx] && c->g.offset < c->g.inuse && *o >= (long)c->g.offset &&
	    *o < (long)(c->g.offset + ptr_size(m)))
		return "free pointer";
	return region(m, c, *o);
}

int slab_region_span(const struct machine *m, uint64_t addr, uint64_t end, struct slab_span *sp)
{
	uint32_t id = slab_of_addr(m, addr);
	if (id == SLAB_NONE)
		return -EINVAL;
	const struct slab *s = &m->slab->slabs[id];
	uint64_t limit = s->vaddr + slab_bytes(s);
	if (end <= addr || end > limit)
		end = limit;
	long idx, o;
	const char *r = byte_region(m, s, addr, &idx, &o);
	/* extend while the region and the object stay the same */
	uint64_t b = addr + 1;
	for (long idx2, o2; b < end && byte_region(m, s, b, &idx2, &o2) == r && idx2 == idx; b++)
		;
	*sp = (struct slab_span){ .cache = (int)s->cache, .object = idx, .offset = o, .region = r,
				  .allocated = idx >= 0 && s->req[idx], .len = b - addr, .slab_end = limit };
	return 0;
}
