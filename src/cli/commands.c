/*
 * commands.c - the command table: every command's name, argument synopsis,
 * summary, arity, handler, argument completion and sub-table, in one
 * place.  Dispatch and its arity checks, help, tab completion,
 * --list-commands and tests/check-commands.sh (the man page's list) all
 * read it; the handlers live in cmd_*.c, one file per subsystem.
 */
#include <stdio.h>

#include "cmd_int.h"

/* Sorted by name: help and completion list them in this order.
 * { name, args, summary, min args, max args (-1: any), handler, completion, sub-table } */
const struct cmd cmd_table[] = {
	{ "__free_page", "PAGE", "free one page given its struct page pointer", 1, 1, cmd_free_pages_page, "v", NULL },
	{ "__free_pages", "PAGE ORDER", "free 2^ORDER pages given the struct page pointer", 2, 2, cmd_free_pages_page, "vo", NULL },
	{ "__get_free_page", "GFP", "allocate one page, return its kernel virtual address", 1, 1, cmd_get_free_page, "g", NULL },
	{ "__get_free_pages", "GFP ORDER", "allocate 2^ORDER pages, return the kernel virtual address", 2, 2, cmd_get_free_pages, "go", NULL },
	{ "__pa", "ADDR", "the physical address of a direct-mapped address (virt_to_phys)", 1, 1, cmd_virt_to_phys, "v", NULL },
	{ "__va", "PHYS", "the direct-map address of a physical address (phys_to_virt)", 1, 1, cmd_phys_to_virt, "-", NULL },
	{ "alloc_page", "GFP", "allocate one page, return its struct page pointer", 1, 1, cmd_alloc_page, "g", NULL },
	{ "alloc_pages", "GFP ORDER", "allocate 2^ORDER contiguous pages, return the struct page pointer", 2, 2, cmd_alloc_pages, "go", NULL },
	{ "cat", "FILE", "print a /proc file of the model (/proc/buddyinfo, /proc/zoneinfo ...)", 1, 1, cmd_cat, "f", NULL },
	{ "check", "", "run the invariant checker over the whole model", 0, 0, cmd_check, "-", NULL },
	{ "context", "[irq|softirq|process]", "show the task's context, or run in hardirq, softirq or process context", 0, 1, cmd_context, "-", NULL },
	{ "cpu", "[N]", "show or switch the current CPU (per-CPU slabs and array caches)", 0, 1, cmd_cpu, "-", NULL },
	{ "dmesg", "[-c|-C]", "print the kernel log (-c: print and clear, -C: clear)", 0, 1, cmd_dmesg, "-", NULL },
	{ "dump", "ADDR [LEN]", "hex dump of handed-out memory, as print_hex_dump() prints it (LEN defaults to 64)", 1, 2, cmd_dump, "v-", NULL },
	{ "echo", "[WORD|$VAR]...", "print words and variables", 0, -1, cmd_echo, "v", NULL },
	{ "exit", "", "leave kmemsh", 0, 0, cmd_quit, "-", NULL },
	{ "free_page", "ADDR", "free one page given its kernel virtual address", 1, 1, cmd_free_pages, "v", NULL },
	{ "free_pages", "ADDR ORDER", "free 2^ORDER pages given the kernel virtual address", 2, 2, cmd_free_pages, "vo", NULL },
	{ "get_zeroed_page", "GFP", "allocate one zeroed page, return its kernel virtual address", 1, 1, cmd_get_zeroed_page, "g", NULL },
	{ "help", "[COMMAND [SUBCOMMAND]]", "list the commands, or describe one", 0, 2, cmd_help, "cs", NULL },
	{ "kcalloc", "N SIZE [GFP]", "allocate a zeroed array of N objects of SIZE bytes", 2, 3, cmd_kcalloc, "--g", NULL },
	{ "kfree", "ADDR", "free memory from kmalloc and friends", 1, 1, cmd_kfree, "v", NULL },
	{ "kmalloc", "SIZE [GFP]", "allocate SIZE bytes from the kmalloc caches (GFP defaults to GFP_KERNEL)", 1, 2, cmd_kmalloc, "-g", NULL },
	{ "kmalloc_array", "N SIZE [GFP]", "allocate an array of N objects of SIZE bytes", 2, 3, cmd_kcalloc, "--g", NULL },
	{ "kmap", "PAGE", "map a page at a PKMAP slot (HighMem), or page_address(); may sleep", 1, 1, cmd_kmap, "v", NULL },
	{ "kmap_atomic", "PAGE [KM_TYPE]", "map a page at this CPU's fixmap kmap slot, preemption off (2.6.32: KM_TYPE)", 1, 2, cmd_kmap_atomic, "v-", NULL },
	{ "kmap_local_page", "PAGE", "map a page at the next kmap_local slot of this CPU (6.13)", 1, 1, cmd_kmap_atomic, "v", NULL },
	{ "kmem_cache_alloc", "CACHE [GFP]", "allocate an object from a cache", 1, 2, cmd_kmem_cache_alloc, "kg", NULL },
	{ "kmem_cache_create", "NAME SIZE [ALIGN] [SLAB_FLAGS]...", "create a cache of SIZE-byte objects", 2, 8, cmd_kmem_cache_create, "--", NULL },
	{ "kmem_cache_destroy", "CACHE", "destroy a cache (it must be empty)", 1, 1, cmd_kmem_cache_shrink_destroy, "k", NULL },
	{ "kmem_cache_free", "CACHE ADDR", "free an object back to its cache", 2, 2, cmd_kmem_cache_free, "kv", NULL },
	{ "kmem_cache_shrink", "CACHE", "give a cache's empty slabs back to the buddy allocator", 1, 1, cmd_kmem_cache_shrink_destroy, "k", NULL },
	{ "kmem_cache_zalloc", "CACHE [GFP]", "allocate a zeroed object from a cache", 1, 2, cmd_kmem_cache_alloc, "kg", NULL },
	{ "krealloc", "ADDR SIZE [GFP]", "resize a kmalloc object (same object if it still fits)", 2, 3, cmd_krealloc, "v-g", NULL },
	{ "ksize", "ADDR", "the usable size of a kmalloc object", 1, 1, cmd_ksize, "v", NULL },
	{ "kunmap", "PAGE", "drop a kmap() of a page (pkmap_count--)", 1, 1, cmd_kmap, "v", NULL },
	{ "kunmap_atomic", "ADDR [KM_TYPE]", "unmap a kmap_atomic() address, preemption back on", 1, 2, cmd_kunmap_atomic, "v-", NULL },
	{ "kunmap_local", "ADDR", "unmap the top kmap_local slot (6.13; in stack order)", 1, 1, cmd_kunmap_atomic, "v", NULL },
	{ "kzalloc", "SIZE [GFP]", "kmalloc with __GFP_ZERO", 1, 2, cmd_kmalloc, "-g", NULL },
	{ "local_irq_disable", "", "disable interrupts on this CPU", 0, 0, cmd_context_call, "-", NULL },
	{ "local_irq_enable", "", "enable interrupts on this CPU", 0, 0, cmd_context_call, "-", NULL },
	{ "memset", "ADDR C N", "write byte C into N bytes of handed-out memory (slab overflows and use-after-free too)", 3, 3, cmd_memset, "v--", NULL },
	{ "page_address", "PAGE", "the kernel virtual address of a page (NULL for highmem not kmapped)", 1, 1, cmd_page_address, "v", NULL },
	{ "page_to_pfn", "PAGE", "the page frame number of a struct page pointer", 1, 1, cmd_page_to_pfn, "v", NULL },
	{ "pfn_to_page", "PFN", "the struct page pointer of a page frame number", 1, 1, cmd_pfn_to_page, "v", NULL },
	{ "pfn_to_virt", "PFN", "the direct-map address of a page frame number", 1, 1, cmd_pfn_to_virt, "v", NULL },
	{ "phys_to_virt", "PHYS", "the direct-map address of a physical address (__va)", 1, 1, cmd_phys_to_virt, "-", NULL },
	{ "preempt_disable", "", "raise preempt_count: atomic context", 0, 0, cmd_context_call, "-", NULL },
	{ "preempt_enable", "", "lower preempt_count", 0, 0, cmd_context_call, "-", NULL },
	{ "quit", "", "leave kmemsh", 0, 0, cmd_quit, "-", NULL },
	{ "rcu_read_lock", "", "enter an RCU read-side critical section", 0, 0, cmd_context_call, "-", NULL },
	{ "rcu_read_unlock", "", "leave an RCU read-side critical section", 0, 0, cmd_context_call, "-", NULL },
	{ "read", "ADDR [SIZE]", "load SIZE (1, 2, 4, 8; default: a word) bytes of handed-out memory, little-endian", 1, 2, cmd_read, "v-", NULL },
	{ "reset", "", "boot a fresh machine with the same options; clear variables", 0, 0, cmd_reset, "-", NULL },
	{ "set", "[SETTING [on|off]]", "show or change a setting: show, explain, check, keep_going, json, color, slub_debug", 0, 2, cmd_set, "t", NULL },
	{ "show", "WHAT [ARGS]", "show a view of the model (help show lists them)", 1, 3, cmd_show, "s", show_table },
	{ "source", "FILE", "run the commands in FILE", 1, 1, cmd_source, "f", NULL },
	{ "spin_lock", "NAME", "take a spinlock: preemption off", 1, 1, cmd_spin_lock, "-", NULL },
	{ "spin_lock_irqsave", "NAME", "take a spinlock with interrupts off, saving the flags", 1, 1, cmd_spin_lock, "-", NULL },
	{ "spin_unlock", "NAME", "release a spinlock", 1, 1, cmd_spin_lock, "-", NULL },
	{ "spin_unlock_irqrestore", "NAME", "release a spinlock and restore the saved interrupt flag", 1, 1, cmd_spin_lock, "-", NULL },
	{ "sysctl", "[-w] NAME[=VALUE]... | -a", "read or write vm.min_free_kbytes, vm.watermark_scale_factor, vm.lowmem_reserve_ratio", 1, 8, cmd_sysctl, "y", NULL },
	{ "virt_addr_valid", "ADDR", "whether an address is a valid direct-map (or image) address", 1, 1, cmd_virt_addr_valid, "v", NULL },
	{ "virt_to_page", "ADDR", "the struct page pointer of a direct-mapped address", 1, 1, cmd_virt_to_page, "v", NULL },
	{ "virt_to_phys", "ADDR", "the physical address of a direct-mapped address (__pa)", 1, 1, cmd_virt_to_phys, "v", NULL },
	{ "walk", "ADDR", "walk the kernel page tables for ADDR: each level's index, table, entry and flags", 1, 1, cmd_walk, "v", NULL },
	{ "whatis", "ADDR | pfn PFN", "what an address, struct page pointer or pfn is", 1, 2, cmd_whatis, "v", NULL },
	{ "write", "ADDR VALUE [SIZE]", "store VALUE in SIZE (1, 2, 4, 8; default: a word) bytes, little-endian", 2, 3, cmd_write, "v--", NULL },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, NULL },
};

/* `show WHAT` (and `cat /proc/...`): the sub-table of show, sorted too */
const struct cmd show_table[] = {
	{ "buddyinfo", "", "/proc/buddyinfo: free blocks per zone and order", 0, 0, cmd_show_buddyinfo, "-", NULL },
	{ "context", "", "the task's context: preempt_count, interrupts, RCU, locks held", 0, 0, cmd_show_context, "-", NULL },
	{ "free_area", "ZONE [ORDER]", "the free blocks of a zone, per order and migratetype", 1, 2, cmd_show_free_area, "zo", NULL },
	{ "iomem", "", "/proc/iomem: the physical address map", 0, 0, cmd_show_iomem, "-", NULL },
	{ "kmap", "", "the PKMAP slots in use and each CPU's kmap_atomic/kmap_local slots", 0, 0, cmd_show_kmap, "-", NULL },
	{ "layout", "", "the kernel's virtual address map: table, picture, sizes", 0, 0, cmd_show_layout, "-", NULL },
	{ "machine", "", "the simulated machine: arch, kernel, memory layout", 0, 0, cmd_show_machine, "-", NULL },
	{ "meminfo", "", "/proc/meminfo", 0, 0, cmd_show_meminfo, "-", NULL },
	{ "object", "ADDR", "what is at a kernel address: cache, slab, object, free or allocated", 1, 1, cmd_show_object, "v", NULL },
	{ "page", "PFN|PAGE", "one page: zone, state, block, migratetype, addresses", 1, 1, cmd_show_page, "v", NULL },
	{ "pagetypeinfo", "", "/proc/pagetypeinfo: free blocks per migratetype", 0, 0, cmd_show_pagetypeinfo, "-", NULL },
	{ "pgtable", "[START [END]]", "the kernel page tables as ptdump prints them (debugfs page_tables)", 0, 2, cmd_show_pgtable, "vv", NULL },
	{ "slab", "CACHE", "a cache: geometry, per-CPU state, lists, every slab's object map", 1, 1, cmd_show_slab, "k", NULL },
	{ "slabinfo", "", "/proc/slabinfo (version 2.1)", 0, 0, cmd_show_slabinfo, "-", NULL },
	{ "vars", "", "the session's variables", 0, 0, cmd_show_vars, "-", NULL },
	{ "zoneinfo", "", "/proc/zoneinfo: watermarks, protection, counters", 0, 0, cmd_show_zoneinfo, "-", NULL },
	{ "zones", "", "a picture of each zone: free, allocated, reserved", 0, 0, cmd_show_zones, "-", NULL },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, NULL },
};

void cli_list_commands(FILE *f)
{
	for (const struct cmd *c = cmd_table; c->name; c++)
		fprintf(f, "%s%s%s\t%s\n", c->name, *c->args ? " " : "", c->args, c->summary);
}
