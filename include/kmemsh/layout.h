/*
 * layout.h - the kernel's virtual address map, computed as each modelled
 * kernel computes it.
 *
 * i386 2.6.32: arch/x86/include/asm/pgtable_32_types.h (MAXMEM,
 * VMALLOC_START/END), highmem.h (PKMAP_BASE), fixmap.h (enum
 * fixed_addresses); i386 6.13: pgtable_32_areas.h (cpu_entry_area, LDT,
 * PKMAP_BASE); x86_64: Documentation/arch/x86/x86_64/mm.rst,
 * pgtable_64_types.h, arch/x86/mm/kaslr.c (kernel_randomize_memory()).
 *
 * layout_compute() is pure: it reads the parameters and fills a struct
 * kernel_layout; boot keeps the result in struct machine.  Regions cover
 * the whole address space in ascending order, holes included, so any
 * address falls in exactly one region.
 */
#ifndef KMEMSH_LAYOUT_H
#define KMEMSH_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmemsh/profile.h"

struct machine;

enum vm_region_kind {
	VR_USER,        /* user space (per mm; the kernel maps none of it) */
	VR_HOLE,        /* unused hole or guard (VMALLOC_OFFSET gap, guard holes) */
	VR_NONCANONICAL,/* x86_64 non-canonical hole */
	VR_DIRECT,      /* direct map: PAGE_OFFSET .. high_memory (lowmem / all RAM) */
	VR_DIRECT_SPARE,/* x86_64: reserved for the direct map, beyond RAM */
	VR_LDT,         /* LDT remap for PTI */
	VR_VMALLOC,     /* VMALLOC_START .. VMALLOC_END (vmalloc, ioremap) */
	VR_VMEMMAP,     /* virtual memory map (struct page array) */
	VR_KASAN,       /* KASAN shadow */
	VR_CPU_ENTRY,   /* cpu_entry_area */
	VR_ESPFIX,      /* %esp fixup stacks */
	VR_EFI,         /* EFI runtime services */
	VR_KERNEL_TEXT, /* x86_64: kernel text mapping (__START_KERNEL_map) */
	VR_MODULES,     /* x86_64: module mapping space */
	VR_PKMAP,       /* i386: persistent kmap area */
	VR_FIXMAP,      /* fixmap (FIXADDR_START .. FIXADDR_TOP) */
	VR_VSYSCALL,    /* x86_64: legacy vsyscall page */
};

struct vm_region {
	uint64_t start, last;           /* [start, last]: last is inclusive */
	enum vm_region_kind kind;
	const char *what;               /* "vmalloc/ioremap space", mm.rst wording */
};

#define LAYOUT_MAX_REGIONS 40

/*
 * The build configuration behind the numbers: the fixmap, the kmap slots and
 * the i386 cpu_entry_area are sized by compile-time constants (NR_CPUS is
 * CONFIG_NR_CPUS, not the machine's possible CPUs), so each (arch, kernel)
 * pair names the distribution kernel it follows.  The values and where they
 * come from are in layout.c.
 */
struct layout_kconfig {
	const char *name;               /* "Debian 12 linux-image-686 (6.1)" */
	unsigned nr_cpus;               /* CONFIG_NR_CPUS */
	unsigned km_type_nr;            /* kmap_atomic slots per CPU: KM_TYPE_NR (2.6.32), KM_MAX_IDX (6.x) */
	unsigned max_io_apics;          /* MAX_IO_APICS (apicdef.h) */
	unsigned cea_pages_per_cpu;     /* i386 6.x: DIV_ROUND_UP(sizeof(struct cpu_entry_area), PAGE_SIZE) */
	bool x86_local_apic;            /* FIX_APIC_BASE */
	bool x86_io_apic;               /* FIX_IO_APIC_BASE_0..END */
	bool pci_mmconfig;              /* FIX_PCIE_MCFG (x86_32) */
	bool paravirt;                  /* FIX_PARAVIRT_BOOTMAP: PARAVIRT (2.6.32), PARAVIRT_XXL (6.x) */
	bool ohci1394_dma_init;         /* FIX_OHCI1394_BASE */
	bool acpi_apei_ghes;            /* FIX_APEI_GHES_IRQ/NMI (6.x) */
	bool intel_txt;                 /* FIX_TBOOT_BASE */
	bool vsyscall_emulation;        /* 6.x x86_64 VSYSCALL_PAGE */
	bool randomize_base;            /* x86_64 KERNEL_IMAGE_SIZE 1 GiB instead of 512 MiB */
	unsigned randomize_memory_padding_tb; /* CONFIG_RANDOMIZE_MEMORY_PHYSICAL_PADDING */
};

struct layout_params {
	const struct arch_profile *arch;
	enum kernel_version kv;
	unsigned ncpus;                 /* possible CPUs */
	uint64_t max_pfn;               /* end of RAM (pfn) */
	uint64_t vmalloc_size;          /* vmalloc= (i386): 0 = the default */
	bool kaslr;                     /* x86_64: randomise the three bases */
	bool kasan;                     /* built with CONFIG_KASAN: the shadow is in use */
	uint64_t kaslr_seed;
};

struct kernel_layout {
	unsigned va_bits;               /* 32, 48, 57 */
	uint64_t task_size;             /* TASK_SIZE(_MAX) */
	uint64_t page_offset;           /* PAGE_OFFSET / page_offset_base */
	uint64_t max_low_pfn;           /* end of lowmem (pfn); max_pfn on x86_64 */
	uint64_t high_memory;           /* __va(max_low_pfn << PAGE_SHIFT) */
	uint64_t maxmem;                /* x86_32 MAXMEM (bytes); 0 on x86_64 */
	uint64_t vmalloc_reserve;       /* x86_32 __VMALLOC_RESERVE */
	uint64_t vmalloc_start, vmalloc_end;    /* [start, end) */
	uint64_t pkmap_base;            /* 0 without HIGHMEM */
	unsigned last_pkmap;            /* LAST_PKMAP */
	uint64_t fixaddr_start, fixaddr_top;    /* [FIXADDR_START, FIXADDR_TOP) permanent */
	uint64_t fixaddr_tot_start;     /* incl. the boot-time (btmap) slots */
	unsigned end_of_permanent_fixed;        /* __end_of_permanent_fixed_addresses */
	unsigned end_of_fixed;          /* __end_of_fixed_addresses */
	unsigned fix_kmap_begin, fix_kmap_end;  /* kmap_atomic / kmap_local slots (index) */
	uint64_t cpu_entry_area_base;   /* 0 if the kernel has none (2.6.32) */
	uint64_t cpu_entry_area_size;
	uint64_t ldt_base;              /* LDT_BASE_ADDR, 0 if none */
	uint64_t vmemmap_base;          /* 0: FLATMEM mem_map inside the direct map */
	uint64_t start_kernel_map;      /* x86_64 __START_KERNEL_map, 0 on i386 */
	uint64_t kernel_image_size;     /* x86_64 KERNEL_IMAGE_SIZE */
	uint64_t modules_vaddr, modules_end;    /* [vaddr, end); on i386 inside vmalloc */
	bool kaslr;
	uint64_t kaslr_seed;
	const struct layout_kconfig *kconfig;   /* the build the numbers follow */
	uint64_t direct_map_size;       /* x86_64: bytes reserved for the direct map (KASLR: size_tb << 40) */
	uint64_t vmemmap_size;          /* x86_64: bytes reserved for vmemmap */
	struct vm_region region[LAYOUT_MAX_REGIONS];
	int nregions;
};

/* The kernel image as linked, physical addresses (for the 2.6.32
 * "virtual kernel memory layout" block and the text mapping). */
struct kimage {
	uint64_t text, etext;           /* _text, _etext */
	uint64_t rodata, erodata;       /* __start_rodata, __end_rodata (== etext if none) */
	uint64_t sdata, edata;          /* _sdata, _edata */
	uint64_t init_begin, init_end;  /* __init_begin, __init_end */
	uint64_t bss, ebss;             /* __bss_start, __bss_stop */
	uint64_t brk_end;               /* _brk_end: end of the image */
};

/* 0, or -EINVAL with err set (e.g. vmalloc= too large, a bad combination). */
int layout_compute(const struct layout_params *p, struct kernel_layout *out, char *err, size_t errlen);

/* The region holding va (never NULL: regions cover the address space). */
const struct vm_region *layout_region_of(const struct kernel_layout *l, uint64_t va);

/* __fix_to_virt(idx) = FIXADDR_TOP - (idx << PAGE_SHIFT) */
uint64_t layout_fix_to_virt(const struct kernel_layout *l, unsigned idx);

/* Short name of a kind: "direct map", "vmalloc", ... */
const char *layout_kind_name(enum vm_region_kind k);

/* 2.6.32 i386 mem_init(): the "virtual kernel memory layout:" block into
 * dmesg (nothing for other profiles: 6.x no longer prints it). */
void layout_boot_messages(struct machine *m, const struct kernel_layout *l, const struct kimage *img);

#endif
