/*
 * cmd_int.h - what the command handlers share (not part of cli.h).
 *
 * The handlers live in one file per subsystem, grouped as the kernel
 * groups its memory code: cmd_pages.c (the page allocator), cmd_slab.c
 * (the slab layer), cmd_vm.c (the address space), cmd_views.c (show, cat, sysctl, dmesg, check) and
 * cmd_session.c (the shell's own commands).  commands.c holds the one
 * command table that names them.  A new subsystem is a new cmd_*.c file,
 * one line below declaring its handlers, and its rows in the table.
 *
 * A handler parses its arguments (arg_* in cli.h), calls one model
 * function and describes the call in the struct step_result it is given;
 * it prints nothing itself unless the command's purpose is to show a view,
 * and then through a view_* function.
 */
#ifndef KMEMSH_CMD_INT_H
#define KMEMSH_CMD_INT_H

#include <stdbool.h>

#include "kmemsh/cli.h"

/* A handler, as the table's rows name them (cmd_fn points to one). */
typedef int cmd_handler(struct session *s, int argc, char **argv, struct step_result *r);

/* cmd_pages.c */
cmd_handler cmd_set_mempolicy;
cmd_handler cmd_alloc_pages, cmd_alloc_node, cmd_alloc_pages_node, cmd_alloc_page, cmd_get_free_pages, cmd_get_free_page, cmd_get_zeroed_page,
	cmd_free_pages, cmd_free_pages_page, cmd_page_address, cmd_page_to_pfn, cmd_pfn_to_page;
/* cmd_slab.c */
cmd_handler cmd_kmalloc, cmd_kcalloc, cmd_krealloc, cmd_kfree, cmd_ksize,
	cmd_kmem_cache_create, cmd_kmem_cache_alloc, cmd_kmem_cache_free, cmd_kmem_cache_shrink_destroy, cmd_cpu;
/* cmd_vm.c: the address space and memory contents */
cmd_handler cmd_virt_to_phys, cmd_phys_to_virt, cmd_pfn_to_virt, cmd_virt_to_page, cmd_virt_addr_valid,
	cmd_walk, cmd_whatis, cmd_read, cmd_write, cmd_memset, cmd_dump;
/* cmd_vmalloc.c: vmalloc, vmap and kvmalloc */
cmd_handler cmd_vmalloc, cmd___vmalloc, cmd_vfree, cmd_vunmap, cmd_vmap, cmd_kvmalloc, cmd_kvfree,
	cmd_vmalloc_to_page, cmd_is_vmalloc_addr, cmd_vm_unmap_aliases;
/* cmd_io.c: device memory */
cmd_handler cmd_request_mem_region, cmd_release_mem_region, cmd_ioremap, cmd_iounmap, cmd_mmio,
	cmd_memcpy_io, cmd_memset_io;
/* -1 with the error reported when [addr, addr + len) meets an ioremap
 * mapping: plain loads and stores do not reach device registers */
int cmd_refuse_iomem(struct session *s, uint64_t addr, uint64_t len, const char *what);
/* cmd_highmem.c: kmap and the task's context */
cmd_handler cmd_kmap, cmd_kmap_atomic, cmd_kunmap_atomic, cmd_show_kmap, cmd_spin_lock, cmd_mutex, cmd_memalloc_noreclaim, cmd_current_flags, cmd_context_call,
	cmd_context, cmd_show_context;
/* cmd_views.c, and the `show` sub-table's handlers */
cmd_handler cmd_show, cmd_cat, cmd_sysctl, cmd_dmesg, cmd_check;
/* a ZONE argument: a populated zone's index, or -1 after saying which zones there are */
int cmd_populated_zone(struct session *s, const char *name);
cmd_handler cmd_show_buddyinfo, cmd_show_free_area, cmd_show_iomem, cmd_show_machine, cmd_show_meminfo, cmd_show_vmstat,
	cmd_show_object, cmd_show_page, cmd_show_pagetypeinfo, cmd_show_slab, cmd_show_slabinfo, cmd_show_vars,
	cmd_show_zoneinfo, cmd_show_zones, cmd_show_layout, cmd_show_pgtable, cmd_show_vmallocinfo, cmd_show_vmap;
cmd_handler cmd_show_extfrag;
/* cmd_frag.c: fragment a zone, repeat a command */
cmd_handler cmd_fragment, cmd_repeat;
/* cmd_pressure.c: memory users, drop_caches, swap, kswapd */
cmd_handler cmd_shrinkable, cmd_pagecache, cmd_task, cmd_anon, cmd_exit, cmd_drop_caches, cmd_swapon,
	cmd_swapoff, cmd_kswapd, cmd_show_reclaim, cmd_vmstat_update;
cmd_handler cmd_fragment, cmd_repeat, cmd_compact, cmd_show_compaction, cmd_show_numa, cmd_show_thp;
cmd_handler cmd_show_pcp;
int cmd_compact_zone(struct session *s, int z);
/* a write to /proc/sys/vm/NAME (echo VALUE > FILE): sysctl -w NAME=VALUE */
int cmd_sysctl_write(struct session *s, const char *name, const char *value);
/* run argv as a statement of its own (session.c; for repeat) */
int session_run_words(struct session *s, int argc, char *const *argv);
/* cmd_replay.c: trace replay */
cmd_handler cmd_replay;
/* cmd_session.c */
cmd_handler cmd_set, cmd_echo, cmd_source, cmd_reset, cmd_quit;
/* cmd_help.c: help that teaches, and gfp MASK */
cmd_handler cmd_help, cmd_gfp;

/* Run argv[0] from table (cmd_table, or a sub-table such as show_table):
 * arity checked, then the handler (session.c). */
int cmd_dispatch(struct session *s, const struct cmd *table, int argc, char **argv, struct step_result *r);

/* Will this step's result be printed?  The runner's own test; a handler
 * asks it only to skip looking up details that just the view needs. */
static inline bool cmd_shown(const struct session *s)
{
	return s->show && !s->quiet;
}

/* The slab layer's arguments (cmd_slab.c): -1 with the error reported
 * when the machine has no slab allocator, or no live cache has the name. */
int cmd_need_slab(struct session *s);
int cmd_cache_arg(struct session *s, int idx, const char *name);

/* a node argument (cmd_pages.c): a node number or NUMA_NO_NODE (-1) */
int cmd_arg_nid(struct session *s, int idx, const char *text, int *nid);

#endif
