/*
 * iomem.c - device memory: which resources are busy, request_mem_region()
 * and release_mem_region(), and the register files MMIO reaches.
 *
 * kernel/resource.c (6.13; 2.6.32 is the same algorithm): a driver claims
 * its registers with request_mem_region(), which is __request_region()
 * under iomem_resource.  It walks down the tree: __request_resource()
 * puts the new range among the children of `parent` unless it overlaps
 * one; an overlapped child that is not IORESOURCE_BUSY (a PCI window, a
 * BAR) becomes the new parent and the walk goes on; a busy one, or the
 * parent itself when the range does not fit inside it, is a conflict and
 * the request returns NULL (-EBUSY).  The kernel prints nothing for it:
 * the driver says "can't reserve" in its own words.  __release_region()
 * walks down the same way to the busy resource with exactly that range.
 *
 * The boot tree's flags follow the code that inserts each resource
 * (arch/x86/kernel/e820.c do_mark_busy(), probe_roms.c, apic.c, io_apic.c,
 * hpet.c, pci): see busy_by_name().
 *
 * Devices: register files with the reset values of QEMU's default PC
 * devices (hw/timer/hpet.c, hw/intc/apic.c, hw/intc/ioapic.c,
 * hw/net/e1000.c) and the VGA memory window; see the tables below.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/i18n.h"
#include "kmemsh/iomem.h"

#define MiB (1024ull * 1024)

/* ---- busy flags of the boot tree ---------------------------------------------- */

static bool is_pci_device_name(const char *n)
{
	/* "0000:00:03.0": domain:bus:slot.function */
	return strlen(n) == 12 && n[4] == ':' && n[7] == ':' && n[10] == '.';
}

static bool busy_by_name(const struct resource *r)
{
	const char *n = r->name;
	if (!strncmp(n, "PCI Bus", 7) || is_pci_device_name(n))
		return false;                   /* windows and BARs: drivers claim inside them */
	if (r->parent && r->parent->name && is_pci_device_name(r->parent->name))
		return true;                    /* a driver's pci_request_regions() */
	if (r->start < MiB)
		return true;                    /* do_mark_busy(): everything below 1 MiB */
	if (!strcmp(n, "Reserved") || !strcmp(n, "reserved") || !strcmp(n, "Soft Reserved") ||
	    !strncmp(n, "Persistent Memory", 17))
		return false;                   /* e820__reserve_resources_late(), not busy */
	return true;                            /* RAM, ACPI, ROMs, APICs, HPET, MMCONFIG ... */
}

static void mark_tree(struct resource *r)
{
	for (; r; r = r->sibling) {
		r->flags = IORESOURCE_MEM;
		if (!strcmp(r->name, "System RAM") || !strncmp(r->name, "Kernel ", 7))
			r->flags = IORESOURCE_SYSTEM_RAM;
		if (busy_by_name(r))
			r->flags |= IORESOURCE_BUSY;
		mark_tree(r->child);
	}
}

/* ---- register files ------------------------------------------------------------- */

enum reg_kind {
	REG_RW,         /* bits in wmask take the written value */
	REG_RO,         /* writes ignored */
	REG_WO,         /* reads give 0, writes do their effect (none kept) */
	REG_W1C,        /* writing 1 clears a bit */
	REG_RC,         /* reading clears it */
};

struct reg_def {
	uint32_t off;
	uint8_t width;          /* bytes */
	uint8_t kind;
	uint64_t reset, wmask;
	const char *name;
};

/* HPET (IA-PC HPET spec 1.0a; QEMU hw/timer/hpet.c): 3 timers, 64-bit
 * counter, legacy replacement capable, vendor 0x8086, period 10 ns. */
static const struct reg_def hpet_regs[] = {
	{ 0x000, 8, REG_RO, 0x009896808086a201ull, 0, "GCAP_ID" },
	{ 0x010, 8, REG_RW, 0, 0x3, "GEN_CONF" },
	{ 0x020, 8, REG_W1C, 0, 0x7, "GINTR_STA" },
	{ 0x0f0, 8, REG_RW, 0, ~0ull, "MAIN_CNT" },
	{ 0x100, 8, REG_RW, 0x30, 0x4f4e, "T0_CONF" },
	{ 0x108, 8, REG_RW, ~0ull, ~0ull, "T0_CMP" },
	{ 0x120, 8, REG_RW, 0x30, 0x4f4e, "T1_CONF" },
	{ 0x128, 8, REG_RW, ~0ull, ~0ull, "T1_CMP" },
	{ 0x140, 8, REG_RW, 0x30, 0x4f4e, "T2_CONF" },
	{ 0x148, 8, REG_RW, ~0ull, ~0ull, "T2_CMP" },
	{ 0, 0, 0, 0, 0, NULL },
};

/* Local APIC in xAPIC mode (SDM vol. 3 table 11-1; QEMU hw/intc/apic.c:
 * version 0x14, 6 LVT entries so max LVT 5). */
static const struct reg_def lapic_regs[] = {
	{ 0x020, 4, REG_RW, 0x00000000, 0xff000000, "ID" },
	{ 0x030, 4, REG_RO, 0x00050014, 0, "VERSION" },
	{ 0x080, 4, REG_RW, 0, 0xff, "TPR" },
	{ 0x0b0, 4, REG_WO, 0, 0, "EOI" },
	{ 0x0d0, 4, REG_RW, 0, 0xff000000, "LDR" },
	{ 0x0e0, 4, REG_RW, 0xffffffff, 0xf0000000, "DFR" },
	{ 0x0f0, 4, REG_RW, 0x000000ff, 0x000013ff, "SVR" },
	{ 0x280, 4, REG_RW, 0, 0, "ESR" },
	{ 0x300, 4, REG_RW, 0, 0x000ccfff, "ICR_LOW" },
	{ 0x310, 4, REG_RW, 0, 0xff000000, "ICR_HIGH" },
	{ 0x320, 4, REG_RW, 0x00010000, 0x000710ff, "LVT_TIMER" },
	{ 0x350, 4, REG_RW, 0x00010000, 0x0001a7ff, "LVT_LINT0" },
	{ 0x360, 4, REG_RW, 0x00010000, 0x0001a7ff, "LVT_LINT1" },
	{ 0x370, 4, REG_RW, 0x00010000, 0x000100ff, "LVT_ERROR" },
	{ 0x380, 4, REG_RW, 0, 0xffffffff, "TMICT" },
	{ 0x390, 4, REG_RO, 0, 0, "TMCCT" },
	{ 0x3e0, 4, REG_RW, 0, 0xb, "TDCR" },
	{ 0, 0, 0, 0, 0, NULL },
};

/* IOAPIC (82093AA): two windows, IOREGSEL selects the register IOWIN
 * reaches (ioapic_regs below); QEMU hw/intc/ioapic.c, 24 pins. */
static const struct reg_def ioapic_regs[] = {
	{ 0x00, 4, REG_RW, 0, 0xff, "IOREGSEL" },
	{ 0x10, 4, REG_RW, 0, 0, "IOWIN" },
	{ 0x40, 4, REG_WO, 0, 0, "EOI" },
	{ 0, 0, 0, 0, 0, NULL },
};
#define IOAPIC_PINS 24
#define IOAPIC_NREGS (0x10 + 2 * IOAPIC_PINS)

/* e1000 (82540EM; QEMU hw/net/e1000.c mac_reg_init, MAC 52:54:00:12:34:56). */
static const struct reg_def e1000_regs[] = {
	{ 0x00000, 4, REG_RW, 0x00140240, 0xfbffffff, "CTRL" },  /* RST (bit 26) self-clears: set_ctrl() */
	/* 0x80000000 | GIO_MASTER_ENABLE 0x80000 | ASDV 0x300 | MTXCKOK 0x400 |
	 * SPEED_1000 0x80 | FD 0x1 | LU 0x2 (mac_reg_init[STATUS]) */
	{ 0x00008, 4, REG_RO, 0x80080783, 0, "STATUS" },
	{ 0x00010, 4, REG_RW, 0x00000110, 0x0000000f, "EECD" },
	{ 0x00014, 4, REG_RW, 0, 0xffffff13, "EERD" },
	{ 0x00018, 4, REG_RW, 0, 0xffffffff, "CTRL_EXT" },
	{ 0x00020, 4, REG_RW, 0, 0xffffffff, "MDIC" },
	{ 0x000c0, 4, REG_RC, 0, 0, "ICR" },
	{ 0x000c8, 4, REG_WO, 0, 0, "ICS" },
	{ 0x000d0, 4, REG_RW, 0, 0x0001f6df, "IMS" },
	{ 0x000d8, 4, REG_WO, 0, 0, "IMC" },
	{ 0x00100, 4, REG_RW, 0, 0xffffffff, "RCTL" },
	{ 0x00400, 4, REG_RW, 0, 0xffffffff, "TCTL" },
	{ 0x02800, 4, REG_RW, 0, 0xfffffff0, "RDBAL" },
	{ 0x02804, 4, REG_RW, 0, 0xffffffff, "RDBAH" },
	{ 0x02808, 4, REG_RW, 0, 0x000fff80, "RDLEN" },
	{ 0x02810, 4, REG_RW, 0, 0xffff, "RDH" },
	{ 0x02818, 4, REG_RW, 0, 0xffff, "RDT" },
	{ 0x03800, 4, REG_RW, 0, 0xfffffff0, "TDBAL" },
	{ 0x03804, 4, REG_RW, 0, 0xffffffff, "TDBAH" },
	{ 0x03808, 4, REG_RW, 0, 0x000fff80, "TDLEN" },
	{ 0x03810, 4, REG_RW, 0, 0xffff, "TDH" },
	{ 0x03818, 4, REG_RW, 0, 0xffff, "TDT" },
	{ 0x05400, 4, REG_RW, 0x12005452, 0xffffffff, "RAL0" },
	{ 0x05404, 4, REG_RW, 0x80005634, 0x8003ffff, "RAH0" },
	{ 0, 0, 0, 0, 0, NULL },
};

enum dev_kind { DEV_REGS, DEV_IOAPIC, DEV_RAM };

struct dev_def {
	const char *resource;           /* the resource name that says the device is there */
	uint64_t fixed_base;            /* or a fixed window (0: the resource's start) */
	uint64_t size;                  /* window decoded */
	enum dev_kind kind;
	const struct reg_def *regs;
	const char *name;
};

static const struct dev_def dev_defs[] = {
	{ "e1000", 0, 0x20000, DEV_REGS, e1000_regs, "e1000 (82540EM) BAR 0" },
	{ "IOAPIC 0", 0, 0x1000, DEV_IOAPIC, ioapic_regs, "IOAPIC 0" },
	{ "HPET 0", 0, 0x400, DEV_REGS, hpet_regs, "HPET 0" },
	{ "Local APIC", 0, 0x1000, DEV_REGS, lapic_regs, "Local APIC" },
	{ NULL, 0xa0000, 0x20000, DEV_RAM, NULL, "VGA memory window" },
};
#define NR_DEV_DEFS (sizeof dev_defs / sizeof dev_defs[0])

struct mmio_device {
	const struct dev_def *def;
	uint64_t base;
	uint64_t *val;                  /* per register */
	uint32_t ioapic[IOAPIC_NREGS];  /* DEV_IOAPIC: the indirect registers */
	uint8_t *ram;                   /* DEV_RAM: the window's bytes, on first write */
};

struct iomem_state {
	struct mmio_device dev[NR_DEV_DEFS];
	unsigned ndev;
};

static size_t nregs(const struct reg_def *r)
{
	size_t n = 0;
	while (r && r[n].name)
		n++;
	return n;
}

static void ioapic_reset(struct mmio_device *d)
{
	memset(d->ioapic, 0, sizeof d->ioapic);
	d->ioapic[0x00] = 0;                            /* IOAPICID: ID 0 */
	d->ioapic[0x01] = ((IOAPIC_PINS - 1) << 16) | 0x20;   /* IOAPICVER: 0x00170020 */
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++)
		d->ioapic[0x10 + 2 * pin] = 0x00010000; /* masked */
}

static const struct resource *find_named(const struct resource *r, const char *name)
{
	for (; r; r = r->sibling) {
		if (!strcmp(r->name, name))
			return r;
		const struct resource *c = find_named(r->child, name);
		if (c)
			return c;
	}
	return NULL;
}

int iomem_init(struct machine *m)
{
	mark_tree(m->memmap.root.child);
	struct iomem_state *st = calloc(1, sizeof *st);
	if (!st)
		return -ENOMEM;
	m->iomem = st;
	for (size_t i = 0; i < NR_DEV_DEFS; i++) {
		const struct dev_def *dd = &dev_defs[i];
		uint64_t base = dd->fixed_base;
		if (dd->resource) {
			const struct resource *r = find_named(m->memmap.root.child, dd->resource);
			if (!r)
				continue;
			base = r->start;
		} else if (memmap_pfn_is_ram(&m->memmap, base >> 12)) {
			continue;
		}
		struct mmio_device *d = &st->dev[st->ndev];
		d->def = dd;
		d->base = base;
		size_t n = nregs(dd->regs);
		if (n) {
			d->val = calloc(n, sizeof *d->val);
			if (!d->val)
				return -ENOMEM;
			for (size_t k = 0; k < n; k++)
				d->val[k] = dd->regs[k].reset;
		}
		if (dd->kind == DEV_IOAPIC)
			ioapic_reset(d);
		st->ndev++;
	}
	return 0;
}

void iomem_destroy(struct machine *m)
{
	struct iomem_state *st = m->iomem;
	if (!st)
		return;
	for (unsigned i = 0; i < st->ndev; i++) {
		free(st->dev[i].val);
		free(st->dev[i].ram);
	}
	free(st);
	m->iomem = NULL;
}

/* ---- request_mem_region / release_mem_region ------------------------------------ */

/* __request_resource(): NULL when inserted, else what it ran into (root
 * itself when new does not fit inside it) */
static struct resource *request_resource(struct resource *root, struct resource *new)
{
	if (new->end < new->start || new->start < root->start || new->end > root->end)
		return root;
	struct resource **p = &root->child;
	for (;;) {
		struct resource *tmp = *p;
		if (!tmp || tmp->start > new->end) {
			new->sibling = tmp;
			*p = new;
			new->parent = root;
			return NULL;
		}
		p = &tmp->sibling;
		if (tmp->end < new->start)
			continue;
		return tmp;
	}
}

int iomem_request_mem_region(struct machine *m, uint64_t start, uint64_t n, const char *name,
			     const struct resource **out, const struct resource **conflict)
{
	*out = *conflict = NULL;
	if (!n || start + n - 1 < start) {
		model_err(m, "the range ends before it starts (end = start + n - 1 wraps)");
		return -EINVAL;
	}
	struct resource *res = calloc(1, sizeof *res);
	if (!res || !(res->name = strdup(name))) {
		free(res);
		model_err(m, "out of memory");
		return -ENOMEM;
	}
	res->start = start;
	res->end = start + n - 1;
	res->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	struct resource *parent = &m->memmap.root;
	for (;;) {
		struct resource *c = request_resource(parent, res);
		if (!c) {
			*out = res;
			return 0;
		}
		if (c != parent && !(c->flags & IORESOURCE_BUSY)) {
			parent = c;
			continue;
		}
		*conflict = c;
		model_err(m, "%s \"%s\" [mem %#010llx-%#010llx]",
			 c == parent ? _("overlaps but does not fit inside") : _("conflicts with busy"), c->name,
			 (unsigned long long)c->start, (unsigned long long)c->end);
		free(res->name);
		free(res);
		return -EBUSY;
	}
}

int iomem_release_mem_region(struct machine *m, uint64_t start, uint64_t n)
{
	uint64_t end = start + n - 1;
	struct resource *parent = &m->memmap.root;
	struct resource **p = &parent->child;
	for (;;) {
		struct resource *res = *p;
		if (!res)
			break;
		if (res->start <= start && res->end >= end) {
			if (!(res->flags & IORESOURCE_BUSY)) {
				p = &res->child;
				continue;
			}
			if (res->start != start || res->end != end)
				break;
			*p = res->sibling;
			if (res->child) {       /* a boot resource's children stay in the tree */
				struct resource *c = res->child, *last = NULL;
				for (; c; c = c->sibling) {
					c->parent = res->parent;
					last = c;
				}
				last->sibling = *p;
				*p = res->child;
			}
			free(res->name);
			free(res);
			return 0;
		}
		p = &res->sibling;
	}
	if (m->kp->kv == KV_2_6_32) {
		dmesg_printf(m, "Trying to free nonexistent resource <%016llx-%016llx>",
			     (unsigned long long)start, (unsigned long long)end);
	} else {
		int w = m->arch->bits == 32 && !m->arch->pae ? 8 : 16;   /* %pa: sizeof(phys_addr_t) */
		dmesg_printf(m, "resource: Trying to free nonexistent resource <0x%0*llx-0x%0*llx>",
			     w, (unsigned long long)start, w, (unsigned long long)end);
	}
	model_err(m, "no busy resource [mem %#010llx-%#010llx] to release",
		 (unsigned long long)start, (unsigned long long)end);
	return -ENOENT;
}

/* ---- the devices --------------------------------------------------------------------- */

static struct mmio_device *device_at(const struct machine *m, uint64_t phys)
{
	struct iomem_state *st = m->iomem;
	if (!st)
		return NULL;
	for (unsigned i = 0; i < st->ndev; i++) {
		struct mmio_device *d = &st->dev[i];
		if (phys >= d->base && phys - d->base < d->def->size)
			return d;
	}
	return NULL;
}

const struct mmio_device *iomem_device_at(const struct machine *m, uint64_t phys)
{
	return device_at(m, phys);
}

const char *iomem_device_name(const struct mmio_device *d) { return d->def->name; }
uint64_t iomem_device_base(const struct mmio_device *d) { return d->base; }
uint64_t iomem_device_size(const struct mmio_device *d) { return d->def->size; }

/* the register holding [off, off + size), or -1 */
static int reg_index(const struct mmio_device *d, uint64_t off, unsigned size)
{
	const struct reg_def *r = d->def->regs;
	for (int i = 0; r && r[i].name; i++)
		if (off >= r[i].off && off + size <= r[i].off + r[i].width)
			return i;
	return -1;
}

const char *iomem_reg_name(const struct machine *m, uint64_t phys)
{
	const struct mmio_device *d = device_at(m, phys);
	if (d && d->def->kind == DEV_RAM)
		return "memory";
	if (!d || !d->def->regs)
		return NULL;
	int i = reg_index(d, phys - d->base, 1);
	return i < 0 ? NULL : d->def->regs[i].name;
}

static uint64_t size_mask(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static bool bad_size(unsigned size)
{
	return size != 1 && size != 2 && size != 4 && size != 8;
}

int mmio_read(struct machine *m, uint64_t phys, unsigned size, uint64_t *val)
{
	if (bad_size(size))
		return -EINVAL;
	*val = size_mask(size);                 /* nobody answers: all ones */
	struct mmio_device *d = device_at(m, phys);
	if (!d || phys + size - 1 - d->base >= d->def->size)
		return 0;
	uint64_t off = phys - d->base;
	if (d->def->kind == DEV_RAM) {
		uint64_t v = 0;
		for (unsigned i = 0; i < size && d->ram; i++)
			v |= (uint64_t)d->ram[off + i] << (8 * i);
		*val = v;
		return 0;
	}
	int i = reg_index(d, off, size);
	if (i < 0)
		return 0;
	const struct reg_def *r = &d->def->regs[i];
	uint64_t cur = d->val[i];
	if (d->def->kind == DEV_IOAPIC && r->off == 0x10) {
		uint32_t sel = (uint32_t)d->val[0] & 0xff;
		cur = sel < IOAPIC_NREGS ? d->ioapic[sel] : 0xffffffffu;
	}
	if (r->kind == REG_WO)
		cur = 0;
	*val = (cur >> (8 * (off - r->off))) & size_mask(size);
	if (r->kind == REG_RC)
		d->val[i] = 0;
	return 0;
}

int mmio_write(struct machine *m, uint64_t phys, unsigned size, uint64_t val)
{
	if (bad_size(size))
		return -EINVAL;
	struct mmio_device *d = device_at(m, phys);
	if (!d || phys + size - 1 - d->base >= d->def->size)
		return 0;
	uint64_t off = phys - d->base;
	if (d->def->kind == DEV_RAM) {
		if (!d->ram && !(d->ram = calloc(1, d->def->size)))
			return -ENOMEM;
		for (unsigned i = 0; i < size; i++)
			d->ram[off + i] = (uint8_t)(val >> (8 * i));
		return 0;
	}
	int i = reg_index(d, off, size);
	if (i < 0)
		return 0;
	const struct reg_def *r = &d->def->regs[i];
	unsigned shift = 8 * (unsigned)(off - r->off);
	uint64_t bits = (val & size_mask(size)) << shift, lanes = size_mask(size) << shift;
	if (d->def->kind == DEV_IOAPIC && r->off == 0x10) {
		uint32_t sel = (uint32_t)d->val[0] & 0xff, wm = 0;
		if (sel == 0x00)
			wm = 0x0f000000;
		else if (sel >= 0x10 && sel < IOAPIC_NREGS)
			wm = sel & 1 ? 0xff000000u : 0x0001afffu;   /* RTE: not the status bits 12, 14 */
		wm &= (uint32_t)lanes;
		if (sel < IOAPIC_NREGS)
			d->ioapic[sel] = (d->ioapic[sel] & ~wm) | ((uint32_t)bits & wm);
		return 0;
	}
	switch (r->kind) {
	case REG_RW:
		d->val[i] = (d->val[i] & ~(r->wmask & lanes)) | (bits & r->wmask & lanes);
		break;
	case REG_W1C:
		d->val[i] &= ~(bits & r->wmask);
		break;
	default:                                /* RO, WO, RC: nothing kept */
		break;
	}
	return 0;
}
