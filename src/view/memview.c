/*
 * memview.c - memory contents as the user sees them: a load's value with
 * the allocation it came from, and hex dumps in lib/hexdump.c's format
 * (slab_hex_line() renders each line).
 */
#include <stdio.h>
#include <string.h>

#include "kmemsh/gfp.h"
#include "kmemsh/memview.h"
#include "kmemsh/slab.h"
#include "view_int.h"

void view_mem_where(const struct machine *m, const struct mem_access_result *r, uint64_t addr, uint64_t len,
		    char *buf, size_t buflen)
{
	char gfp[160];
	buf[0] = '\0';
	switch (r->kind) {
	case MEM_SLAB:
		view_slab_range(m, addr, len, buf, buflen);
		break;
	case MEM_PAGES:
		gfp_format(m->kp, r->gfp, gfp, sizeof gfp);
		snprintf(buf, buflen, "order-%u block at pfn %#llx (%s), +%#llx%s", r->order, (ull)r->block_pfn, gfp,
			 (ull)(addr - r->start), r->zeroed ? "" : "; unwritten bytes read " MEM_PAGE_POISON_STR);
		break;
	case MEM_VMALLOC:
		snprintf(buf, buflen, "vmap area at %#llx, page %llu at pfn %#llx, +%#llx%s", (ull)r->start,
			 (ull)((addr - r->start) >> 12), (ull)r->pfn, (ull)(addr - r->start),
			 r->zeroed ? "" : "; unwritten bytes read " MEM_PAGE_POISON_STR);
		break;
	case MEM_LARGE_KMALLOC:
		snprintf(buf, buflen, "large kmalloc of %llu bytes at %#llx (order-%u block at pfn %#llx), +%#llx",
			 (ull)(r->end - r->start), (ull)r->start, r->order, (ull)r->block_pfn,
			 (ull)(addr - r->start));
		break;
	default:
		break;
	}
}

void view_mem_read(struct out *o, const struct machine *m, uint64_t addr, unsigned size, uint64_t val,
		   const struct mem_access_result *r)
{
	char call[64], result[32], where[512];
	snprintf(call, sizeof call, "*(u%u *)%#llx", size * 8, (ull)addr);
	snprintf(result, sizeof result, "0x%0*llx", (int)size * 2, (ull)val);
	view_mem_where(m, r, addr, size, where, sizeof where);
	if (o->json) {
		out_puts(o, "{\"call\":");
		out_json_str(o, call);
		out_puts(o, ",\"result\":");
		out_json_str(o, result);
		out_printf(o, ",\"kind\":\"number\",\"size\":%u", size);
		if (where[0]) {
			out_puts(o, ",\"note\":");
			out_json_str(o, where);
		}
		out_puts(o, "}\n");
		return;
	}
	out_printf(o, "%s = ", call);
	out_color(o, strcmp(result, "NULL") ? "1;32" : "1;31");     /* a failed allocation in red */
	out_puts(o, result);
	out_reset(o);
	if (where[0])
		out_printf(o, "  [%s]", where);
	out_puts(o, "\n");
}

void view_mem_dump(struct out *o, const struct machine *m, uint64_t addr, const uint8_t *buf, size_t len)
{
	if (o->json) {
		out_printf(o, "{\"addr\":\"%#llx\",\"bytes\":\"", (ull)addr);
		for (size_t i = 0; i < len; i++)
			out_printf(o, "%02x", buf[i]);
		out_puts(o, "\"}\n");
		return;
	}
	char line[160];
	for (size_t i = 0; i < len; i += 16) {
		slab_hex_line(line, sizeof line, "", addr + i, buf + i, len - i < 16 ? len - i : 16, m->arch->bits / 4);
		out_printf(o, "%s\n", line);
	}
}
