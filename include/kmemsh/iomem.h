/*
 * iomem.h - device memory: the busy rules of the resource tree behind
 * /proc/iomem (request_mem_region/release_mem_region, kernel/resource.c)
 * and the register files of the simulated devices that MMIO reaches
 * (mmio_read/mmio_write, what a load or store at a device's physical
 * address returns or does).
 *
 * The tree itself lives in memmap (memmap.h); this module owns its
 * IORESOURCE_BUSY flags and the devices.  State: m->iomem, made by
 * iomem_init() at boot and freed by iomem_destroy().
 */
#ifndef KMEMSH_IOMEM_H
#define KMEMSH_IOMEM_H

#include <stdbool.h>
#include <stdint.h>

#include "kmemsh/machine.h"

/* include/linux/ioport.h */
#define IORESOURCE_MEM          0x00000200ul
#define IORESOURCE_SYSRAM       0x01000000ul
#define IORESOURCE_BUSY         0x80000000ul
#define IORESOURCE_SYSTEM_RAM   (IORESOURCE_MEM | IORESOURCE_SYSRAM)

/*
 * Set the flags of the boot tree as the kernel's resources carry them
 * (e820 entries below 1 MiB and System RAM, ACPI, ROMs, the APICs, HPET,
 * a driver's region inside a PCI BAR: busy; PCI windows, BARs and
 * "Reserved" above 1 MiB: not), and attach a register file to each device
 * the machine has (found by resource name).  0 or -ENOMEM.
 */
int iomem_init(struct machine *m);
void iomem_destroy(struct machine *m);

/*
 * request_mem_region(start, n, name): __request_region(&iomem_resource,
 * ...).  Walks down from the root: a non-busy resource that contains the
 * range is descended into, and the new busy resource is inserted there.
 * 0 with *out the new resource; -EBUSY with *conflict the resource it ran
 * into (busy, or overlapping without containing the range); -EINVAL for
 * n 0 or a wrapping range (the kernel's end < start test).
 */
int iomem_request_mem_region(struct machine *m, uint64_t start, uint64_t n, const char *name,
			     const struct resource **out, const struct resource **conflict);
/*
 * release_mem_region(start, n): __release_region().  Finds the busy
 * resource with exactly this range (descending into non-busy ones) and
 * frees it; its children, if any, are given to its parent.  -ENOENT when
 * there is none, after the kernel's "Trying to free nonexistent resource"
 * warning in dmesg.
 */
int iomem_release_mem_region(struct machine *m, uint64_t start, uint64_t n);

/* A simulated device: a register file at [base, base + size). */
struct mmio_device;
/* The device whose window holds phys, or NULL; its name and window. */
const struct mmio_device *iomem_device_at(const struct machine *m, uint64_t phys);
const char *iomem_device_name(const struct mmio_device *d);
uint64_t iomem_device_base(const struct mmio_device *d);
uint64_t iomem_device_size(const struct mmio_device *d);
/* The name of the register at phys ("GCAP_ID"; "memory" in a memory window
 * such as VGA's), or NULL: none there. */
const char *iomem_reg_name(const struct machine *m, uint64_t phys);

/*
 * A load or store of size 1, 2, 4 or 8 bytes at physical address phys,
 * as the bus delivers it.  Where no device decodes the address, or a
 * device has no register at that offset, a read gives all ones (an
 * absent device: the bus master aborts) and a write goes nowhere.  Bits
 * of a read-only register are not changed by writes; some registers have
 * side effects (IOAPIC IOWIN reaches the register IOREGSEL selects,
 * HPET GINTR_STA and e1000 ICR clear bits).  0, or -EINVAL for a bad
 * size.
 */
int mmio_read(struct machine *m, uint64_t phys, unsigned size, uint64_t *val);
int mmio_write(struct machine *m, uint64_t phys, unsigned size, uint64_t val);

/* What a device-memory step did, as values (a step_result's io member). */
enum io_op {
	IO_REQUEST,             /* request_mem_region: start..end, under parent, or the conflict */
	IO_RELEASE,             /* release_mem_region: start..end */
	IO_MMIO,                /* readX/writeX: phys, size, the register (reg) of device (dev) */
	IO_IOREMAP,             /* ioremap: phys range start..end mapped at va (area va..va_end), pcm */
	IO_IOUNMAP,             /* iounmap: the same */
};

struct io_result {
	enum io_op op;
	uint64_t start, end;            /* inclusive physical range */
	uint64_t phys;                  /* IO_MMIO: the address reached */
	uint64_t va, va_end;            /* IO_IOREMAP: the area [va, va_end) including the guard */
	unsigned size;                  /* IO_MMIO: bytes */
	uint64_t len;                   /* memcpy_fromio/toio, memset_io: bytes (0: one access) */
	uint64_t val;                   /* IO_MMIO: the value loaded or stored */
	unsigned pcm, req;              /* IO_IOREMAP: the cache mode mapped and the one asked for */
	bool direct;                    /* 2.6.32 ISA range: the direct map, no area */
	bool write;
	const char *name;               /* the resource's name, the parent's, or the conflict's */
	const char *dev, *reg;          /* IO_MMIO: NULL where nothing answers */
	uint64_t dev_off;
};

#endif
