/*
 * ioview.c - the notes of device-memory steps: where a requested region
 * went in the resource tree or what it ran into, which device register an
 * MMIO access reached, what an ioremap mapped and with which cache mode.
 */
#include <stdio.h>

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
	case IO_MMIO:
		if (io->dev && io->reg)
			snprintf(buf, len, "%s %s (+%#llx), phys %#llx", io->dev, io->reg, (ull)io->dev_off, (ull)io->phys);
		else if (io->dev)
			snprintf(buf, len, "%s +%#llx, phys %#llx: no register there%s", io->dev, (ull)io->dev_off,
				 (ull)io->phys, io->write ? ", the write goes nowhere" : ", all ones");
		else
			snprintf(buf, len, "phys %#llx: no device answers%s", (ull)io->phys,
				 io->write ? ", the write goes nowhere" : ", all ones (master abort)");
		break;
	case IO_IOREMAP:
	case IO_IOUNMAP:
		snprintf(buf, len, "phys %#llx-%#llx %s, area %#llx-%#llx (%llu pages + guard page)%s",
			 (ull)io->start, (ull)io->end, ioremap_pcm_name(io->pcm), (ull)io->va, (ull)io->va_end,
			 (ull)((io->va_end - io->va) >> 12) - 1,
			 io->op == IO_IOREMAP ? "; no page allocated for it" : "");
		break;
	}
}
