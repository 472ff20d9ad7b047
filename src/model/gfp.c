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

static const struct gfp_name *lookup(const struct kernel_profile *kp, const char *s, size_t n)
{
	for (const struct gfp_name *g = kp->gfp_names; g->name; g++)
		if (strlen(g->name) == n && memcmp(g->name, s, n) == 0)
			return g;
	return NULL;
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

/* lib/vsprintf.c: format_flags() — names first-match, then the rest in hex.
 * 2.6.32's show_gfp_flags() prints "GFP_NOWAIT" for 0; %pGg prints "". */
int gfp_format(const struct kernel_profile *kp, gfp_t gfp, char *buf, size_t len)
{
	size_t pos = 0;
	int total = 0;

#define EMIT(...) do { \
		int k_ = snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0, __VA_ARGS__); \
		if (k_ > 0) { pos += (size_t)k_; total += k_; } \
	} while (0)

	if (len)
		buf[0] = '\0';
	if (gfp == 0) {
		if (kp->kv == KV_2_6_32)
			EMIT("GFP_NOWAIT");
		return total;
	}
	for (const struct gfp_name *g = kp->gfp_print; gfp && g->name; g++) {
		if (g->value == 0 || (gfp & g->value) != g->value)
			continue;
		gfp &= ~g->value;
		EMIT("%s%s", g->name, gfp ? "|" : "");
	}
	if (gfp)
		EMIT("%#x", gfp);
#undef EMIT
	return total;
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
	return NULL;
}
