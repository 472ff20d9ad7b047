/*
 * physaddr.h - translating kernel addresses: __pa/virt_to_phys, __va/
 * phys_to_virt, virt_to_page, pfn_to_virt and virt_addr_valid, as
 * arch/x86/mm/physaddr.c and arch/x86/include/asm/page*.h define them.
 *
 * Only the direct map (and, on x86_64, the kernel text mapping) translates
 * by arithmetic.  The model refuses every other address: where a kernel
 * built with CONFIG_DEBUG_VIRTUAL would BUG (VIRTUAL_BUG_ON), dmesg gets
 * the kernel's report; where the kernel would silently compute a wrong
 * physical address, m->err says which one and why.
 */
#ifndef KMEMSH_PHYSADDR_H
#define KMEMSH_PHYSADDR_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

/* Physical address bits of the modelled CPU (boot_cpu_data.x86_phys_bits). */
#define MODEL_X86_PHYS_BITS 46

/* __pa(va): 0 and *pa, or -EFAULT (m->err set; dmesg has the BUG report
 * when CONFIG_DEBUG_VIRTUAL's checks fire). */
int vm_virt_to_phys(struct machine *m, uint64_t va, uint64_t *pa);

/* __va(pa): 0 and *va, or -EFAULT when pa has no permanent kernel address
 * (HighMem, or beyond the direct map). */
int vm_phys_to_virt(struct machine *m, uint64_t pa, uint64_t *va);

/* virt_to_page(va): the pfn (the struct page is machine_page_ptr(pfn)). */
int vm_virt_to_pfn(struct machine *m, uint64_t va, uint64_t *pfn);

/* virt_addr_valid(va), exactly as __virt_addr_valid() answers it. */
bool vm_virt_addr_valid(const struct machine *m, uint64_t va);

#endif
