/*
 * ioview.c - the notes of device-memory steps: where a requested region
 * went in the resource tree or what it ran into, which device register an
 * MMIO access reached, what an ioremap mapped and with which cache mode.
 */
#include <stdio.h>
#include <string.h>

#include "kmemsh/ioremap.h"
#include "view_int.h"

typedef unsigned long long ull;

void view_io_note(const struct machine *m, const struct step_result *r, char *buf, size_t len)
{
	(void)m;
	const struct io_result *io = &r->u.io;
	buf[0] = '\0';
	switch (io->op) {
	case IO_REQUEST:
		if (r->reason)
			snprintf(buf, len, "%s", r->reason);
		else
			snprintf(buf, len, "[mem %#010llx-%#010llx] busy, under \"%s\"", (ull)io->start, (ull)io->end,
				 io->name ? io->name : "PCI mem");
		break;
	case IO_RELEASE:
		snprintf(buf, len, "[mem %#010llx-%#010llx] released", (ull)io->start, (ull)io->end);
		break;
	case IO_MMIO: {
		char what[64] = "", where[160];
		if (io->len)
			snprintf(what, sizeof what, "%llu bytes %s ", (ull)io->len, io->write ? "to" : "from");
		else
			snprintf(what, sizeof what, "0x%0*llx %s ", (int)io->size * 2, (ull)io->val,
				 io->write ? "to" : "from");
		if (io->dev && io->reg && !strcmp(io->reg, "memory"))
			snprintf(where, sizeof where, "%s +%#llx (memory)", io->dev, (ull)io->dev_off);
		else if (io->dev && io->reg)
			snprintf(where, sizeof where, "%s %s (+%#llx)", io->dev, io->reg, (ull)io->dev_off);
		else if (io->dev)
			snprintf(where, sizeof where, "%s +%#llx, no register there%s", io->dev, (ull)io->dev_off,
				 io->len ? "" : io->write ? ": the store goes nowhere" : ": all ones");
		else
			snprintf(where, sizeof where, "no device%s", io->write ? ": the store goes nowhere"
				 : ": all ones (master abort)");
		snprintf(buf, len, "%s%s, phys %#llx", what, where, (ull)io->phys);
		break;
	}
	case IO_IOREMAP:
	case IO_IOUNMAP: {
		char mode[64];
		if (io->pcm != io->req)
			snprintf(mode, sizeof mode, "%s (asked %s; %s gave %s)", ioremap_pcm_name(io->pcm),
				 ioremap_pcm_name(io->req), view_old(m) ? "reserve_memtype" : "memtype_reserve",
				 ioremap_pcm_name(io->pcm));
		else
			snprintf(mode, sizeof mode, "%s", ioremap_pcm_name(io->pcm));
		if (io->direct && io->op == IO_IOUNMAP)
			snprintf(buf, len, "phys %#llx-%#llx: the ISA range was never mapped; nothing to undo",
				 (ull)io->start, (ull)io->end);
		else if (io->direct)
			snprintf(buf, len, "phys %#llx-%#llx: the ISA range, always mapped: the direct-map address, "
				 "no area, no pte written", (ull)io->start, (ull)io->end);
		else
			snprintf(buf, len, "phys %#llx-%#llx %s, area %#llx-%#llx (%llu page%s + guard page)%s",
				 (ull)io->start, (ull)io->end, mode, (ull)io->va, (ull)io->va_end,
				 (ull)((io->va_end - io->va) >> 12) - 1, (io->va_end - io->va) >> 12 == 2 ? "" : "s",
				 io->op == IO_IOREMAP ? "; no page allocated for it" : "");
		break;
	}
	}
}
