/*
 * init_mapping.h - the page tables boot builds (arch/x86/mm/init.c,
 * init_32.c, init_64.c, mm/sparse-vmemmap.c) and the image protections
 * applied once the kernel runs (mark_rodata_ro(), free_initmem()).
 * Called by boot only, in the kernel's order, after pgtable_init().
 */
#ifndef KMEMSH_INIT_MAPPING_H
#define KMEMSH_INIT_MAPPING_H

#include <stdint.h>

struct machine;

int init_mem_mapping(struct machine *m);        /* the direct map */
int init_kernel_tables(struct machine *m);      /* image (x86_64), fixmap and pkmap tables */
int init_vmemmap(struct machine *m, uint64_t spfn, uint64_t epfn,
		 uint64_t (*alloc)(struct machine *, uint64_t bytes, void *ctx), void *ctx);
int free_initmem(struct machine *m);
int mark_rodata_ro(struct machine *m);

#endif
