/*
 * gfp.c - GFP ("get free pages") flags.
 *
 * A gfp_t says where an allocation may come from (the zone modifiers in
 * the low four bits), how hard the allocator may try (may it sleep, start
 * I/O, dip into reserves) and what the pages will be (movable,
 * reclaimable, zeroed, compound).  Names, values and print order come from
 * the kernel profile's tables.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/gfp.h"
#include "kmemsh/i18n.h"

static const struct gfp_name *find(const struct gfp_name *t, const char *s, size_t n)
{
	for (const struct gfp_name *g = t; g->name; g++)
		if (strlen(g->name) == n && memcmp(g->name, s, n) == 0)
			return g;
	return NULL;
}

/* The names a program writes, then the names the kernel prints (2.6.32's
 * trace table says GFP_ZERO for __GFP_ZERO): whatever kmemsh prints reads
 * back. */
static const struct gfp_name *lookup(const struct kernel_profile *kp, const char *s, size_t n)
{
	const struct gfp_name *g = find(kp->gfp_names, s, n);
	return g ? g : find(kp->gfp_print, s, n);
}

static int parse_number(const char *s, size_t n, uint64_t *out)
{
	char buf[32];
	char *end;

	if (n == 0 || n >= sizeof buf)
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!isdigit((unsigned char)buf[0]))
		return -EINVAL;
	/* decimal, or hex with 0x (no octal: 010 is ten, as everywhere else) */
	int base = 10;
	const char *digits = buf;
	if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		base = 16;
		digits = buf + 2;
	}
	if (!isxdigit((unsigned char)digits[0]))
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(digits, &end, base);
	if (*end || errno)
		return -EINVAL;
	*out = v;
	return 0;
}

int gfp_parse(const struct kernel_profile *kp, const char *text, gfp_t *out, size_t *bad_off)
{
	const char *p = text;
	gfp_t gfp = 0;
	int any = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *start = p;
		while (*p && *p != '|' && *p != ' ' && *p != '\t')
			p++;
		size_t n = (size_t)(p - start);
		while (*p == ' ' || *p == '\t')
			p++;
		if (n == 0) {
			if (bad_off)
				*bad_off = (size_t)(start - text);
			return -EINVAL;
		}
		const struct gfp_name *g = lookup(kp, start, n);
		uint64_t v;
		if (g) {
			gfp |= g->value;
		} else if (parse_number(start, n, &v) == 0) {
			if (v & ~(uint64_t)kp->gfp_bits_mask) {
				if (bad_off)
					*bad_off = (size_t)(start - text);
				return -ERANGE;
			}
			gfp |= (gfp_t)v;
		} else {
			if (bad_off)
				*bad_off = (size_t)(start - text);
			return -EINVAL;
		}
		any = 1;
		if (*p == '|') {
			p++;
			continue;
		}
		if (*p) {
			if (bad_off)
				*bad_off = (size_t)(p - text);
			return -EINVAL;
		}
		break;
	}
	if (!any)
		return -EINVAL;
	*out = gfp;
	return 0;
}

/* Append s to buf as snprintf would at buf + *pos: clamped, NUL-terminated,
 * and *pos counts what would have been written. */
static void emit_str(char *buf, size_t len, size_t *pos, const char *s)
{
	size_t n = strlen(s);
	if (*pos < len) {
		size_t room = len - *pos - 1, k = n < room ? n : room;
		memcpy(buf + *pos, s, k);
		buf[*pos + k] = '\0';
	}
	*pos += n;
}

/* lib/vsprintf.c: format_flags() — names first-match, then the rest in hex.
 * 2.6.32's show_gfp_flags() prints "GFP_NOWAIT" for 0; %pGg prints "".
 * Returns the length of the whole text, as snprintf does (a result line
 * formats one at every allocation step, hence no printf per name). */
int gfp_format(const struct kernel_profile *kp, gfp_t gfp, char *buf, size_t len)
{
	size_t pos = 0;

	if (len)
		buf[0] = '\0';
	if (gfp == 0) {
		if (kp->kv == KV_2_6_32)
			emit_str(buf, len, &pos, "GFP_NOWAIT");
		return (int)pos;
	}
	for (const struct gfp_name *g = kp->gfp_print; gfp && g->name; g++) {
		if (g->value == 0 || (gfp & g->value) != g->value)
			continue;
		gfp &= ~g->value;
		emit_str(buf, len, &pos, g->name);
		if (gfp)
			emit_str(buf, len, &pos, "|");
	}
	if (gfp) {
		char hex[16];
		snprintf(hex, sizeof hex, "%#x", gfp);
		emit_str(buf, len, &pos, hex);
	}
	return (int)pos;
}

/*
 * include/linux/gfp.h: GFP_ZONE_TABLE / GFP_ZONE_BAD (2.6.31 and later).
 * Indexed by the four zone-modifier bits DMA(1) HIGHMEM(2) DMA32(4)
 * MOVABLE(8).  -1 = bad combination; OPT zones fall back to Normal.
 */
int gfp_zone(const struct kernel_profile *kp, gfp_t gfp, bool has_dma32, bool has_highmem)
{
	static const signed char table[16] = {
		[0x0] = ZK_NORMAL, [0x1] = ZK_DMA, [0x2] = ZK_HIGHMEM, [0x3] = -1,
		[0x4] = ZK_DMA32, [0x5] = -1, [0x6] = -1, [0x7] = -1,
		[0x8] = ZK_NORMAL, [0x9] = ZK_DMA, [0xa] = ZK_MOVABLE, [0xb] = -1,
		[0xc] = ZK_DMA32, [0xd] = -1, [0xe] = -1, [0xf] = -1,
	};
	unsigned bits = 0;

	if (gfp & kp->gfp_dma)
		bits |= 1;
	if (gfp & kp->gfp_highmem)
		bits |= 2;
	if (gfp & kp->gfp_dma32)
		bits |= 4;
	if (gfp & kp->gfp_movable)
		bits |= 8;
	int z = table[bits];
	if (z == ZK_DMA32 && !has_dma32)
		z = ZK_NORMAL;
	if (z == ZK_HIGHMEM && !has_highmem)
		z = ZK_NORMAL;
	return z;
}

/*
 * 6.13 gfp_migratetype(): (gfp & (__GFP_RECLAIMABLE|__GFP_MOVABLE)) >> 3.
 * 2.6.32 allocflags_to_migratetype(): (MOVABLE != 0) << 1 | (RECLAIMABLE != 0).
 */
int gfp_migratetype(const struct kernel_profile *kp, gfp_t gfp)
{
	if (kp->kv == KV_2_6_32)
		return (((gfp & kp->gfp_movable) != 0) << 1) | ((gfp & kp->gfp_reclaimable) != 0);
	return (int)((gfp & (kp->gfp_reclaimable | kp->gfp_movable)) >> 3);
}

bool gfp_allow_blocking(const struct kernel_profile *kp, gfp_t gfp)
{
	return (gfp & kp->gfp_wait) != 0;
}

const char *gfp_name_at(const struct kernel_profile *kp, size_t i)
{
	for (const struct gfp_name *g = kp->gfp_names; g->name; g++, i--)
		if (i == 0)
			return g->name;
	for (const struct gfp_name *g = kp->gfp_print; g->name; g++) {
		if (find(kp->gfp_names, g->name, strlen(g->name)))
			continue;
		if (i-- == 0)
			return g->name;
	}
	return NULL;
}

/*
 * Names of the other modelled kernel, and what this one calls the idea.
 * 2.6.32 include/linux/gfp.h against 6.13 include/linux/gfp_types.h:
 * __GFP_WAIT became __GFP_DIRECT_RECLAIM (with __GFP_KSWAPD_RECLAIM split
 * off), __GFP_REPEAT became __GFP_RETRY_MAYFAIL, __GFP_COLD, GFP_TEMPORARY
 * and GFP_IOFS went away; 6.13 added accounting, THP and tag flags.
 */
static const struct gfp_rename {
	enum kernel_version kv;         /* the profile that lacks the name */
	const char *name, *hint;
} renames[] = {
	{ KV_6_13, "__GFP_WAIT", N_("2.6.32's __GFP_WAIT is __GFP_DIRECT_RECLAIM (may sleep) in 6.13") },
	{ KV_6_13, "GFP_WAIT", N_("2.6.32's __GFP_WAIT is __GFP_DIRECT_RECLAIM (may sleep) in 6.13") },
	{ KV_6_13, "__GFP_REPEAT", N_("2.6.32's __GFP_REPEAT is __GFP_RETRY_MAYFAIL in 6.13") },
	{ KV_6_13, "GFP_REPEAT", N_("2.6.32's __GFP_REPEAT is __GFP_RETRY_MAYFAIL in 6.13") },
	{ KV_6_13, "__GFP_COLD", N_("2.6.32's __GFP_COLD is gone in 6.13 (the pcp lists have no cold end)") },
	{ KV_6_13, "GFP_COLD", N_("2.6.32's __GFP_COLD is gone in 6.13 (the pcp lists have no cold end)") },
	{ KV_6_13, "GFP_TEMPORARY", N_("2.6.32's GFP_TEMPORARY is gone in 6.13: write GFP_KERNEL|__GFP_RECLAIMABLE") },
	{ KV_6_13, "GFP_IOFS", N_("2.6.32's GFP_IOFS is gone in 6.13: write __GFP_IO|__GFP_FS") },
	{ KV_6_13, "GFP_HIGH", N_("2.6.32's trace name GFP_HIGH is __GFP_HIGH") },
	{ KV_6_13, "GFP_IO", N_("2.6.32's trace name GFP_IO is __GFP_IO") },
	{ KV_6_13, "GFP_NOWARN", N_("2.6.32's trace name GFP_NOWARN is __GFP_NOWARN") },
	{ KV_6_13, "GFP_NOFAIL", N_("2.6.32's trace name GFP_NOFAIL is __GFP_NOFAIL") },
	{ KV_6_13, "GFP_NORETRY", N_("2.6.32's trace name GFP_NORETRY is __GFP_NORETRY") },
	{ KV_6_13, "GFP_COMP", N_("2.6.32's trace name GFP_COMP is __GFP_COMP") },
	{ KV_6_13, "GFP_ZERO", N_("2.6.32's trace name GFP_ZERO is __GFP_ZERO") },
	{ KV_6_13, "GFP_NOMEMALLOC", N_("2.6.32's trace name GFP_NOMEMALLOC is __GFP_NOMEMALLOC") },
	{ KV_6_13, "GFP_HARDWALL", N_("2.6.32's trace name GFP_HARDWALL is __GFP_HARDWALL") },
	{ KV_6_13, "GFP_THISNODE", N_("2.6.32's trace name GFP_THISNODE is __GFP_THISNODE") },
	{ KV_6_13, "GFP_RECLAIMABLE", N_("2.6.32's trace name GFP_RECLAIMABLE is __GFP_RECLAIMABLE") },
	{ KV_6_13, "GFP_MOVABLE", N_("2.6.32's trace name GFP_MOVABLE is __GFP_MOVABLE") },
	/* 6.3 "mm/page_alloc: remove __GFP_ATOMIC" (6.1 has it, 0x200) */
	{ KV_6_13, "__GFP_ATOMIC", N_("6.1's __GFP_ATOMIC was removed in 6.3: GFP_ATOMIC is __GFP_HIGH|__GFP_KSWAPD_RECLAIM in 6.13") },
	{ KV_2_6_32, "__GFP_DIRECT_RECLAIM", N_("6.13's __GFP_DIRECT_RECLAIM is __GFP_WAIT in 2.6.32") },
	{ KV_2_6_32, "__GFP_RECLAIM", N_("6.13's __GFP_RECLAIM is __GFP_WAIT in 2.6.32 (kswapd is woken anyway)") },
	{ KV_2_6_32, "__GFP_KSWAPD_RECLAIM", N_("2.6.32 has no __GFP_KSWAPD_RECLAIM: every allocation may wake kswapd") },
	{ KV_2_6_32, "__GFP_RETRY_MAYFAIL", N_("6.13's __GFP_RETRY_MAYFAIL is __GFP_REPEAT in 2.6.32") },
	{ KV_2_6_32, "GFP_KERNEL_ACCOUNT", N_("2.6.32 has no memory cgroup accounting: write GFP_KERNEL") },
	{ KV_2_6_32, "__GFP_ACCOUNT", N_("2.6.32 has no memory cgroup accounting (no __GFP_ACCOUNT)") },
	{ KV_2_6_32, "__GFP_WRITE", N_("2.6.32 has no __GFP_WRITE (dirty-page spreading came later)") },
	{ KV_2_6_32, "__GFP_MEMALLOC", N_("2.6.32 has no __GFP_MEMALLOC (only PF_MEMALLOC tasks use the reserves)") },
	{ KV_2_6_32, "__GFP_ZEROTAGS", N_("2.6.32 has no __GFP_ZEROTAGS (no memory tagging)") },
	{ KV_2_6_32, "GFP_TRANSHUGE", N_("2.6.32 has no transparent huge pages (no GFP_TRANSHUGE)") },
	{ KV_2_6_32, "GFP_TRANSHUGE_LIGHT", N_("2.6.32 has no transparent huge pages (no GFP_TRANSHUGE_LIGHT)") },
};

const char *gfp_other_kernel_hint(const struct kernel_profile *kp, const char *word)
{
	for (size_t i = 0; i < sizeof renames / sizeof renames[0]; i++)
		if (renames[i].hint && (renames[i].kv == KV_2_6_32) == (kp->kv == KV_2_6_32) &&
		    (renames[i].kv != KV_6_13 || kp->kv == KV_6_13 || strcmp(renames[i].name, "__GFP_ATOMIC")) &&
		    strcmp(renames[i].name, word) == 0)
			return _(renames[i].hint);
	return NULL;
}

/* "GFP_WAIT" and "GFP_NOWAIT", "__GFP_FS" and "GFP_NOFS": one is the
 * other with NO, the opposite request; never offer one for the other. */
static const char *stem(const char *s)
{
	while (*s == '_')
		s++;
	if (strncmp(s, "GFP_", 4) == 0)
		s += 4;
	return s;
}

bool gfp_names_opposite(const char *a, const char *b)
{
	const char *x = stem(a), *y = stem(b);
	return (strncmp(x, "NO", 2) == 0 && strcmp(x + 2, y) == 0) ||
	       (strncmp(y, "NO", 2) == 0 && strcmp(y + 2, x) == 0);
}

/*
 * 2.6.32 mm/page_alloc.c gfp_to_alloc_flags(): __GFP_HIGH sets ALLOC_HIGH
 * (min -= min / 2), no __GFP_WAIT sets ALLOC_HARDER (min -= min / 4, after
 * ALLOC_HIGH); __alloc_pages_slowpath() wakes kswapd unconditionally.
 * 6.13 gfp_to_alloc_flags(): __GFP_HIGH is ALLOC_MIN_RESERVE (min / 2);
 * no __GFP_DIRECT_RECLAIM without __GFP_NOMEMALLOC is ALLOC_NON_BLOCK
 * (another min / 4, only with ALLOC_MIN_RESERVE in __zone_watermark_ok())
 * and, for order > 0, ALLOC_HIGHATOMIC; __gfp_pfmemalloc_flags():
 * __GFP_MEMALLOC without __GFP_NOMEMALLOC is ALLOC_NO_WATERMARKS.
 */
void gfp_reserves(const struct kernel_profile *kp, gfp_t gfp, struct gfp_reserves *r)
{
	bool high = (gfp & kp->gfp_high) != 0;
	bool nomem = (gfp & kp->gfp_nomemalloc) != 0;
	bool harder;

	r->may_sleep = gfp_allow_blocking(kp, gfp);
	if (kp->kv == KV_2_6_32) {
		r->wakes_kswapd = true;
		harder = !r->may_sleep;
		r->highatomic = false;
		r->no_watermarks = false;
	} else {
		r->wakes_kswapd = (gfp & kp->gfp_kswapd) != 0;
		bool non_block = !r->may_sleep && !nomem;
		harder = high && non_block;
		/* 6.1.192 gfp_to_alloc_flags(): "if (order > 0 && (alloc_flags &
		 * ALLOC_MIN_RESERVE)) alloc_flags |= ALLOC_HIGHATOMIC" */
		r->highatomic = non_block && (kp->kv != KV_6_1 || high);
		r->no_watermarks = kp->gfp_memalloc && (gfp & kp->gfp_memalloc) && !nomem;
	}
	/* min - min/2 = 1/2; then - (1/2)/4 = 3/8; min - min/4 = 3/4 */
	r->min_num = 1;
	r->min_den = 1;
	if (high) {
		r->min_den = 2;
		if (harder) {
			r->min_num = 3;
			r->min_den = 8;
		}
	} else if (harder) {
		r->min_num = 3;
		r->min_den = 4;
	}
}
