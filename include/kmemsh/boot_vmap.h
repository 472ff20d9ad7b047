/*
 * boot_vmap.h - the vmap areas an x86 kernel leaves in the vmalloc space
 * while it boots (boot_vmap.c): each CPU's IRQ stack on x86_64 6.x
 * (irq_init_percpu_irqstack(); on i386 6.x the same function allocates
 * pages instead), the ACPI tables acpi_early_init() keeps mapped (6.x) and
 * the HPET's registers (hpet_enable()).  boot.c calls them where the
 * kernel does; --from machines get none of them (the real machine's
 * vmallocinfo says what it had).
 */
#ifndef KMEMSH_BOOT_VMAP_H
#define KMEMSH_BOOT_VMAP_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

/*
 * irq_init_percpu_irqstack(cpu), 6.x: x86_64 (arch/x86/kernel/irq_64.c)
 * vmap()s the IRQ_STACK_SIZE / PAGE_SIZE = 4 pages of the CPU's
 * irq_stack_backing_store, VM_MAP (needs setup_per_cpu_areas()'s
 * m->boot.pcpu_unit); i386 (irq_32.c) takes the hard and the soft IRQ
 * stack as two order-1 blocks of THREADINFO_GFP.  0 (also on 2.6.32, or
 * without the percpu units), or -errno with m->err.
 */
int boot_vmap_irq_init_percpu_irqstack(struct machine *m, unsigned cpu);

/* the physical start of the firmware's ACPI tables (QEMU's layout at the
 * start of the e820 reserved range right after the top of the RAM below
 * 4 GiB), 0 when the map has no such range */
uint64_t boot_vmap_acpi_tables_base(const struct machine *m);

/* setup_arch() → acpi_boot_table_init(): the table header lines and the
 * "Reserving ... table memory" lines (6.x; nothing without tables) */
void boot_vmap_acpi_table_init(struct machine *m);

/*
 * acpi_early_init() → acpi_reallocate_root_table(): each table verified
 * and left mapped by acpi_os_map_iomem(), a kzalloc()ed struct
 * acpi_ioremap and an ioremap_cache() of its pages unless an earlier
 * mapping covers it (6.x).  0, or -errno with m->err.
 */
int boot_vmap_acpi_early_init(struct machine *m);

/* hpet_address: the start of the firmware's "HPET N" resource (its ACPI
 * HPET table, acpi_parse_hpet()), 0 when there is none or the command
 * line disables it (nohpet, hpet=disable: is_hpet_capable() is false) */
uint64_t boot_vmap_hpet_address(const struct machine *m);

/*
 * hpet_enable() → hpet_set_mapping(): ioremap (UC-) of HPET_MMAP_SIZE =
 * 1024 bytes at hpet_address, one page and its guard.  0 also when there
 * is no HPET, or -errno with m->err.
 */
int boot_vmap_hpet_enable(struct machine *m);

#endif
