/*
 * boot_caches.c - the named slab caches a booted 6.x kernel has made by the
 * time its init runs: mm_struct, task_struct, vm_area_struct, anon_vma,
 * dentry, inode_cache, filp, buffer_head, radix_tree_node, sighand_cache,
 * kernfs_node_cache, the network and filesystem caches, ... each made
 * with kmem_cache_create() in the kernel's order, so that SLUB merges them
 * as the kernel does (slab.c slab_cache_create_mergeable(), 6.1
 * mm/slab_common.c find_mergeable()).
 *
 * The rows are data from real kernels, not computed: Debian 12's 6.1
 * amd64 and 686 kernels booted with 2 CPUs (tests/data/snapshots/
 * amd64-6.1-4G-2cpu and i386-6.1-1G-2cpu, from
 * /work/shared/reference/real-kernels), written by
 * tests/data/gen-boot-caches.py, whose header says how each field is read
 * (order from proc/slabinfo read upwards; object_size, align,
 * hwcache_align and reclaim_account from sys/kernel/slab; a merged name
 * has the size of the cache it merged into and follows it).  The geometry
 * (size, order, objects per slab) is not in the rows: the model's SLUB
 * computes it, and test_boot_caches compares it with those kernels'
 * slabinfo.
 *
 * Used by the 6.x profile with SLUB: its own struct sizes would differ by
 * a few bytes here and there (6.13's against Debian 6.1's), and no real
 * 6.13 kernel's files are at hand; the kmalloc caches, vmap_area,
 * kmem_cache and kmem_cache_node are made elsewhere (slab_init(),
 * vmalloc_init()).  The caches are made empty: how many objects a real
 * machine holds after boot depends on its workload and devices.
 */
#include <errno.h>

#include "kmemsh/machine.h"
#include "kmemsh/slab.h"

#include "kmemsh/boot_caches.h"

#define B_HW SLAB_HWCACHE_ALIGN_F
#define B_RECLAIM SLAB_RECLAIM_ACCOUNT_F
#define B_ACCOUNT SLAB_ACCOUNT_F
#define B_DMA SLAB_CACHE_DMA_F
#define B_CTOR SLAB_CTOR_F
#define B_NOMERGE SLAB_NOMERGE_F

/* name, object size, align, SLAB_* flags (the cache it merged into, on
 * the real kernel, in a comment) */
static const struct boot_cache amd64_6_1[] = {
	{ "dmaengine-unmap-2", 64, 8, 0 }, /* :0000064 */
	{ "fanotify_path_event", 64, 8, 0 }, /* :0000064 */
	{ "iommu_iova", 64, 8, 0 }, /* :0000064 */
	{ "ksm_rmap_item", 64, 8, 0 }, /* :0000064 */
	{ "ksm_stable_node", 64, 8, 0 }, /* :0000064 */
	{ "zswap_entry", 64, 8, 0 }, /* :0000064 */
	{ "mm_struct", 1096, 64, B_HW | B_NOMERGE },
	{ "task_group", 640, 64, 0 }, /* :0000640 */
	{ "dio", 640, 64, 0 }, /* :0000640 */
	{ "radix_tree_node", 576, 8, B_RECLAIM | B_CTOR },
	{ "maple_node", 256, 256, 0 }, /* :0000256 */
	{ "biovec-16", 256, 256, 0 }, /* :0000256 */
	{ "key_jar", 256, 256, 0 }, /* :0000256 */
	{ "pool_workqueue", 256, 256, 0 }, /* :0000256 */
	{ "sgpool-8", 256, 256, 0 }, /* :0000256 */
	{ "ftrace_event_field", 56, 8, 0 }, /* :0000056 */
	{ "Acpi-Parse", 56, 8, 0 }, /* :0000056 */
	{ "file_lock_ctx", 56, 8, 0 }, /* :0000056 */
	{ "trace_event_file", 96, 8, 0 }, /* :0000096 */
	{ "perf_event", 1248, 8, 0 }, /* :0001248 */
	{ "numa_policy", 272, 8, 0 }, /* :0000272 */
	{ "shared_policy_node", 48, 8, 0 }, /* :0000048 */
	{ "Acpi-Namespace", 48, 8, 0 }, /* :0000048 */
	{ "ksm_mm_slot", 48, 8, 0 }, /* :0000048 */
	{ "Acpi-State", 80, 8, 0 }, /* :0000080 */
	{ "Acpi-ParseExt", 80, 8, 0 }, /* :0000080 */
	{ "audit_tree_mark", 80, 8, 0 }, /* :0000080 */
	{ "Acpi-Operand", 72, 8, 0 }, /* :0000072 */
	{ "fanotify_fid_event", 72, 8, 0 }, /* :0000072 */
	{ "fanotify_perm_event", 72, 8, 0 }, /* :0000072 */
	{ "pid", 128, 64, B_ACCOUNT | B_HW }, /* :A-0000128 */
	{ "eventpoll_epi", 128, 64, B_ACCOUNT | B_HW }, /* :A-0000128 */
	{ "fib6_nodes", 128, 64, B_ACCOUNT | B_HW }, /* :A-0000128 */
	{ "task_delay_info", 128, 64, B_ACCOUNT | B_HW }, /* :A-0000128 */
	{ "tcp_bind_bucket", 128, 64, B_ACCOUNT | B_HW }, /* :A-0000128 */
	{ "anon_vma", 96, 8, B_CTOR },
	{ "anon_vma_chain", 64, 8, B_ACCOUNT }, /* :A-0000064 */
	{ "eventpoll_pwq", 64, 8, B_ACCOUNT }, /* :A-0000064 */
	{ "fs_cache", 64, 8, B_ACCOUNT }, /* :A-0000064 */
	{ "tcp_bind2_bucket", 64, 8, B_ACCOUNT }, /* :A-0000064 */
	{ "cred_jar", 176, 64, B_ACCOUNT | B_HW }, /* :A-0000192 */
	{ "task_struct", 6208, 64, B_NOMERGE },
	{ "sighand_cache", 2080, 64, B_HW | B_NOMERGE },
	{ "signal_cache", 1152, 64, B_ACCOUNT | B_HW }, /* :A-0001152 */
	{ "UDP", 1152, 64, B_ACCOUNT | B_HW }, /* :A-0001152 */
	{ "UDP-Lite", 1152, 64, B_ACCOUNT | B_HW }, /* :A-0001152 */
	{ "files_cache", 704, 64, B_ACCOUNT | B_HW }, /* :A-0000704 */
	{ "vm_area_struct", 152, 8, B_ACCOUNT }, /* :A-0000152 */
	{ "nsproxy", 72, 8, B_ACCOUNT }, /* :A-0000072 */
	{ "fsnotify_mark", 72, 8, B_ACCOUNT }, /* :A-0000072 */
	{ "uts_namespace", 432, 8, B_NOMERGE },
	{ "lsm_file_cache", 24, 8, 0 }, /* :0000024 */
	{ "audit_buffer", 24, 8, 0 }, /* :0000024 */
	{ "lsm_inode_cache", 32, 8, 0 }, /* :0000032 */
	{ "fsnotify_mark_connector", 32, 8, 0 }, /* :0000032 */
	{ "iint_cache", 120, 8, B_CTOR },
	{ "net_namespace", 4480, 64, B_ACCOUNT }, /* :A-0004480 */
	{ "names_cache", 4096, 64, B_HW | B_NOMERGE },
	{ "dentry", 192, 8, B_RECLAIM | B_NOMERGE },
	{ "inode_cache", 632, 8, B_RECLAIM | B_CTOR },
	{ "filp", 256, 64, B_ACCOUNT | B_HW }, /* :A-0000256 */
	{ "io_kiocb", 256, 64, B_ACCOUNT | B_HW }, /* :A-0000256 */
	{ "ip6_dst_cache", 256, 64, B_ACCOUNT | B_HW }, /* :A-0000256 */
	{ "posix_timers_cache", 256, 64, B_ACCOUNT | B_HW }, /* :A-0000256 */
	{ "mnt_cache", 320, 64, B_ACCOUNT | B_HW }, /* :A-0000320 */
	{ "kernfs_node_cache", 128, 8, 0 }, /* :0000128 */
	{ "btree_node", 128, 8, 0 }, /* :0000128 */
	{ "kernfs_iattrs_cache", 88, 8, 0 }, /* :0000088 */
	{ "blkdev_ioc", 88, 8, 0 }, /* :0000088 */
	{ "shmem_inode_cache", 776, 8, B_CTOR },
	{ "bdev_cache", 1560, 64, B_RECLAIM | B_HW | B_NOMERGE },
	{ "sigqueue", 80, 8, B_ACCOUNT }, /* :A-0000080 */
	{ "dnotify_mark", 80, 8, B_ACCOUNT }, /* :A-0000080 */
	{ "inotify_inode_mark", 80, 8, B_ACCOUNT }, /* :A-0000080 */
	{ "seq_file", 120, 8, B_ACCOUNT }, /* :A-0000120 */
	{ "proc_inode_cache", 704, 8, B_RECLAIM | B_CTOR },
	{ "pde_opener", 40, 8, B_ACCOUNT }, /* :A-0000040 */
	{ "proc_dir_entry", 192, 8, B_NOMERGE },
	{ "taskstats", 416, 8, 0 }, /* :0000416 */
	{ "buffer_head", 104, 8, B_RECLAIM }, /* :a-0000104 */
	{ "file_lock_cache", 216, 8, 0 }, /* :0000216 */
	{ "skbuff_head_cache", 232, 64, B_HW | B_NOMERGE },
	{ "skbuff_fclone_cache", 512, 64, B_HW }, /* :0000512 */
	{ "sgpool-16", 512, 64, B_HW }, /* :0000512 */
	{ "skbuff_ext_cache", 184, 64, B_HW }, /* :0000192 */
	{ "aio_kiocb", 184, 64, B_HW }, /* :0000192 */
	{ "bio_integrity_payload", 184, 64, B_HW }, /* :0000192 */
	{ "dmaengine-unmap-16", 184, 64, B_HW }, /* :0000192 */
	{ "inet_peer_cache", 184, 64, B_HW }, /* :0000192 */
	{ "ip6_mrt_cache", 184, 64, B_HW }, /* :0000192 */
	{ "ip_dst_cache", 184, 64, B_HW }, /* :0000192 */
	{ "ip_mrt_cache", 184, 64, B_HW }, /* :0000192 */
	{ "uid_cache", 184, 64, B_HW }, /* :0000192 */
	{ "sock_inode_cache", 768, 64, B_RECLAIM | B_HW | B_CTOR },
	{ "dmaengine-unmap-128", 1056, 64, B_HW }, /* :0001088 */
	{ "dmaengine-unmap-256", 2080, 64, B_HW }, /* :0002112 */
	{ "user_namespace", 624, 8, B_ACCOUNT }, /* :A-0000624 */
	{ "khugepaged_mm_slot", 112, 8, 0 }, /* :0000112 */
	{ "biovec-64", 1024, 64, B_HW }, /* :0001024 */
	{ "sgpool-32", 1024, 64, B_HW }, /* :0001024 */
	{ "biovec-128", 2048, 64, B_HW }, /* :0002048 */
	{ "sgpool-64", 2048, 64, B_HW }, /* :0002048 */
	{ "biovec-max", 4096, 64, B_HW }, /* :0004096 */
	{ "sgpool-128", 4096, 64, B_HW }, /* :0004096 */
	{ "bio-192", 192, 64, B_HW | B_CTOR },
	{ "request_queue", 936, 8, 0 }, /* :0000936 */
	{ "request_queue_srcu", 1328, 8, 0 }, /* :0001328 */
	{ "dax_cache", 776, 64, B_RECLAIM | B_HW | B_NOMERGE },
	{ "ep_head", 16, 8, B_ACCOUNT }, /* :A-0000016 */
	{ "bio-256", 256, 64, B_HW | B_CTOR },
	{ "dquot", 208, 64, B_RECLAIM | B_HW }, /* :a-0000256 */
	{ "hugetlbfs_inode_cache", 656, 8, B_CTOR },
	{ "TCP", 2240, 64, B_HW | B_CTOR },
	{ "request_sock_TCP", 304, 8, B_CTOR },
	{ "tw_sock_TCP", 264, 8, B_CTOR },
	{ "RAW", 1000, 64, B_HW | B_NOMERGE },
	{ "PING", 1024, 64, B_ACCOUNT | B_HW }, /* :A-0001024 */
	{ "UNIX", 1024, 64, B_ACCOUNT | B_HW }, /* :A-0001024 */
	{ "UNIX-STREAM", 1024, 64, B_ACCOUNT | B_HW }, /* :A-0001024 */
	{ "ip_fib_alias", 56, 8, B_ACCOUNT }, /* :A-0000056 */
	{ "ip_fib_trie", 48, 8, B_ACCOUNT }, /* :A-0000048 */
	{ "fasync_cache", 48, 8, B_ACCOUNT }, /* :A-0000048 */
	{ "xfrm_state", 736, 64, B_HW }, /* :0000768 */
	{ "xfrm_dst_cache", 304, 64, B_HW }, /* :0000320 */
	{ "request_sock_subflow_v4", 376, 8, B_CTOR },
	{ "MPTCP", 1912, 64, B_HW | B_NOMERGE },
	{ "ip4-frags", 200, 8, 0 }, /* :0000200 */
	{ "pid_namespace", 136, 8, B_ACCOUNT }, /* :A-0000136 */
	{ "dnotify_struct", 32, 8, B_ACCOUNT }, /* :A-0000032 */
	{ "userfaultfd_ctx_cache", 128, 64, B_HW | B_CTOR },
	{ "kioctx", 576, 64, B_HW }, /* :0000576 */
	{ "mqueue_inode_cache", 952, 64, B_HW | B_NOMERGE },
	{ "TCPv6", 2400, 64, B_HW | B_NOMERGE },
	{ "request_sock_TCPv6", 304, 8, B_CTOR },
	{ "tw_sock_TCPv6", 264, 8, B_CTOR },
	{ "UDPv6", 1344, 64, B_ACCOUNT | B_HW }, /* :A-0001344 */
	{ "UDPLITEv6", 1344, 64, B_ACCOUNT | B_HW }, /* :A-0001344 */
	{ "RAWv6", 1200, 64, B_HW | B_NOMERGE },
	{ "PINGv6", 1200, 64, B_ACCOUNT | B_HW }, /* :A-0001216 */
	{ "ip6-frags", 184, 8, 0 }, /* :0000184 */
	{ "request_sock_subflow_v6", 376, 8, B_CTOR },
	{ "MPTCPv6", 2072, 64, B_HW | B_NOMERGE },
	{ "fscrypt_info", 128, 8, B_RECLAIM }, /* :a-0000128 */
	{ "fsverity_info", 256, 8, B_RECLAIM | B_NOMERGE },
};

static const struct boot_cache i686_6_1[] = {
	{ "Acpi-Namespace", 32, 8, 0 }, /* :0000032 */
	{ "Acpi-Parse", 32, 8, 0 }, /* :0000032 */
	{ "dmaengine-unmap-2", 32, 8, 0 }, /* :0000032 */
	{ "file_lock_ctx", 32, 8, 0 }, /* :0000032 */
	{ "iommu_iova", 32, 8, 0 }, /* :0000032 */
	{ "ksm_rmap_item", 32, 8, 0 }, /* :0000032 */
	{ "ksm_stable_node", 32, 8, 0 }, /* :0000032 */
	{ "mm_struct", 564, 32, B_HW | B_NOMERGE },
	{ "task_group", 384, 64, 0 }, /* :0000384 */
	{ "dio", 384, 64, 0 }, /* :0000384 */
	{ "radix_tree_node", 300, 8, B_RECLAIM | B_NOMERGE },
	{ "maple_node", 256, 256, 0 }, /* :0000256 */
	{ "pool_workqueue", 256, 256, 0 }, /* :0000256 */
	{ "ftrace_event_field", 36, 8, 0 }, /* :0000040 */
	{ "fanotify_path_event", 36, 8, 0 }, /* :0000040 */
	{ "zswap_entry", 36, 8, 0 }, /* :0000040 */
	{ "trace_event_file", 56, 8, 0 }, /* :0000056 */
	{ "blkdev_ioc", 56, 8, 0 }, /* :0000056 */
	{ "fanotify_fid_event", 56, 8, 0 }, /* :0000056 */
	{ "khugepaged_mm_slot", 56, 8, 0 }, /* :0000056 */
	{ "perf_event", 848, 8, 0 }, /* :0000848 */
	{ "Acpi-State", 48, 8, 0 }, /* :0000048 */
	{ "Acpi-Operand", 48, 8, 0 }, /* :0000048 */
	{ "Acpi-ParseExt", 48, 8, 0 }, /* :0000048 */
	{ "audit_tree_mark", 48, 8, 0 }, /* :0000048 */
	{ "fanotify_perm_event", 48, 8, 0 }, /* :0000048 */
	{ "pid", 64, 32, B_ACCOUNT | B_HW }, /* :A-0000064 */
	{ "eventpoll_epi", 64, 32, B_ACCOUNT | B_HW }, /* :A-0000064 */
	{ "fib6_nodes", 64, 32, B_ACCOUNT | B_HW }, /* :A-0000064 */
	{ "fs_cache", 64, 32, B_ACCOUNT | B_HW }, /* :A-0000064 */
	{ "tcp_bind2_bucket", 64, 32, B_ACCOUNT | B_HW }, /* :A-0000064 */
	{ "tcp_bind_bucket", 64, 32, B_ACCOUNT | B_HW }, /* :A-0000064 */
	{ "anon_vma", 52, 8, B_NOMERGE },
	{ "anon_vma_chain", 32, 8, B_ACCOUNT }, /* :A-0000032 */
	{ "eventpoll_pwq", 32, 8, B_ACCOUNT }, /* :A-0000032 */
	{ "fasync_cache", 32, 8, B_ACCOUNT }, /* :A-0000032 */
	{ "ip_fib_trie", 32, 8, B_ACCOUNT }, /* :A-0000032 */
	{ "cred_jar", 128, 32, B_ACCOUNT | B_HW }, /* :A-0000128 */
	{ "task_delay_info", 128, 32, B_ACCOUNT | B_HW }, /* :A-0000128 */
	{ "task_struct", 2944, 64, B_NOMERGE },
	{ "sighand_cache", 1300, 32, B_HW | B_NOMERGE },
	{ "signal_cache", 736, 32, B_ACCOUNT | B_HW }, /* :A-0000736 */
	{ "PING", 736, 32, B_ACCOUNT | B_HW }, /* :A-0000736 */
	{ "files_cache", 256, 32, B_ACCOUNT | B_HW }, /* :A-0000256 */
	{ "vm_area_struct", 72, 8, B_ACCOUNT }, /* :A-0000072 */
	{ "seq_file", 72, 8, B_ACCOUNT }, /* :A-0000072 */
	{ "nsproxy", 36, 8, B_ACCOUNT }, /* :A-0000040 */
	{ "ip_fib_alias", 36, 8, B_ACCOUNT }, /* :A-0000040 */
	{ "uts_namespace", 416, 8, B_NOMERGE },
	{ "key_jar", 160, 32, B_HW }, /* :0000160 */
	{ "ip6_mrt_cache", 160, 32, B_HW }, /* :0000160 */
	{ "sgpool-8", 160, 32, B_HW }, /* :0000160 */
	{ "skbuff_ext_cache", 160, 32, B_HW }, /* :0000160 */
	{ "lsm_file_cache", 16, 8, 0 }, /* :0000016 */
	{ "audit_buffer", 16, 8, 0 }, /* :0000016 */
	{ "lsm_inode_cache", 16, 8, 0 }, /* :0000016 */
	{ "iint_cache", 72, 8, B_CTOR },
	{ "net_namespace", 3264, 64, B_ACCOUNT }, /* :A-0003264 */
	{ "names_cache", 4096, 32, B_HW | B_NOMERGE },
	{ "dentry", 128, 8, B_RECLAIM | B_NOMERGE },
	{ "inode_cache", 408, 8, B_RECLAIM | B_CTOR },
	{ "filp", 160, 32, B_ACCOUNT | B_HW }, /* :A-0000160 */
	{ "ip6_dst_cache", 160, 32, B_ACCOUNT | B_HW }, /* :A-0000160 */
	{ "mnt_cache", 168, 32, B_ACCOUNT | B_HW }, /* :A-0000192 */
	{ "io_kiocb", 168, 32, B_ACCOUNT | B_HW }, /* :A-0000192 */
	{ "kernfs_node_cache", 76, 8, 0 }, /* :0000080 */
	{ "kernfs_iattrs_cache", 64, 8, 0 }, /* :0000064 */
	{ "shmem_inode_cache", 480, 8, B_CTOR },
	{ "bdev_cache", 968, 32, B_RECLAIM | B_HW | B_NOMERGE },
	{ "sigqueue", 48, 8, B_ACCOUNT }, /* :A-0000048 */
	{ "dnotify_mark", 48, 8, B_ACCOUNT }, /* :A-0000048 */
	{ "fsnotify_mark", 48, 8, B_ACCOUNT }, /* :A-0000048 */
	{ "inotify_inode_mark", 48, 8, B_ACCOUNT }, /* :A-0000048 */
	{ "proc_inode_cache", 448, 8, B_RECLAIM | B_CTOR },
	{ "pde_opener", 20, 8, B_ACCOUNT }, /* :A-0000024 */
	{ "dnotify_struct", 20, 8, B_ACCOUNT }, /* :A-0000024 */
	{ "proc_dir_entry", 128, 8, B_NOMERGE },
	{ "taskstats", 416, 8, 0 }, /* :0000416 */
	{ "skbuff_fclone_cache", 416, 8, 0 }, /* :0000416 */
	{ "buffer_head", 60, 8, B_RECLAIM }, /* :a-0000064 */
	{ "fsnotify_mark_connector", 24, 8, 0 }, /* :0000024 */
	{ "ksm_mm_slot", 24, 8, 0 }, /* :0000024 */
	{ "file_lock_cache", 128, 8, 0 }, /* :0000128 */
	{ "aio_kiocb", 128, 8, 0 }, /* :0000128 */
	{ "bio_integrity_payload", 128, 8, 0 }, /* :0000128 */
	{ "btree_node", 128, 8, 0 }, /* :0000128 */
	{ "inet_peer_cache", 128, 8, 0 }, /* :0000128 */
	{ "ip6-frags", 128, 8, 0 }, /* :0000128 */
	{ "ip_dst_cache", 128, 8, 0 }, /* :0000128 */
	{ "ip_mrt_cache", 128, 8, 0 }, /* :0000128 */
	{ "skbuff_head_cache", 192, 32, B_HW | B_NOMERGE },
	{ "sock_inode_cache", 576, 32, B_RECLAIM | B_HW | B_CTOR },
	{ "uid_cache", 80, 32, B_HW }, /* :0000096 */
	{ "user_namespace", 412, 8, B_ACCOUNT }, /* :A-0000416 */
	{ "biovec-16", 192, 32, B_HW }, /* :0000192 */
	{ "biovec-64", 768, 32, B_HW }, /* :0000768 */
	{ "biovec-128", 1536, 32, B_HW }, /* :0001536 */
	{ "biovec-max", 3072, 32, B_HW }, /* :0003072 */
	{ "bio-144", 144, 32, B_HW | B_NOMERGE },
	{ "request_queue", 552, 8, 0 }, /* :0000552 */
	{ "request_queue_srcu", 756, 8, 0 }, /* :0000760 */
	{ "sgpool-16", 320, 32, B_HW }, /* :0000320 */
	{ "sgpool-32", 640, 32, B_HW }, /* :0000640 */
	{ "sgpool-64", 1280, 32, B_HW }, /* :0001280 */
	{ "sgpool-128", 2560, 32, B_HW }, /* :0002560 */
	{ "ep_head", 8, 8, B_ACCOUNT }, /* :A-0000008 */
	{ "bio-188", 188, 32, B_HW | B_NOMERGE },
	{ "dquot", 156, 32, B_RECLAIM | B_HW }, /* :a-0000160 */
	{ "hugetlbfs_inode_cache", 416, 8, B_CTOR },
	{ "TCP", 1768, 32, B_HW | B_NOMERGE },
	{ "request_sock_TCP", 232, 8, B_CTOR },
	{ "tw_sock_TCP", 200, 8, B_CTOR },
	{ "UDP", 896, 32, B_ACCOUNT | B_HW }, /* :A-0000896 */
	{ "PINGv6", 896, 32, B_ACCOUNT | B_HW }, /* :A-0000896 */
	{ "UDP-Lite", 896, 32, B_ACCOUNT | B_HW }, /* :A-0000896 */
	{ "RAW", 744, 32, B_HW | B_NOMERGE },
	{ "xfrm_state", 540, 32, B_HW }, /* :0000544 */
	{ "xfrm_dst_cache", 208, 32, B_HW }, /* :0000224 */
	{ "request_sock_subflow_v4", 288, 8, B_CTOR },
	{ "MPTCP", 1440, 32, B_HW | B_CTOR },
	{ "ip4-frags", 136, 8, 0 }, /* :0000136 */
	{ "UNIX", 768, 32, B_ACCOUNT | B_HW }, /* :A-0000768 */
	{ "UNIX-STREAM", 768, 32, B_ACCOUNT | B_HW }, /* :A-0000768 */
	{ "posix_timers_cache", 164, 8, B_ACCOUNT }, /* :A-0000168 */
	{ "pid_namespace", 80, 8, B_ACCOUNT }, /* :A-0000080 */
	{ "userfaultfd_ctx_cache", 76, 32, B_HW | B_NOMERGE },
	{ "kioctx", 448, 64, B_HW }, /* :0000448 */
	{ "mqueue_inode_cache", 608, 32, B_HW | B_CTOR },
	{ "bio-208", 208, 32, B_HW | B_NOMERGE },
	{ "bio-96", 96, 32, B_HW | B_CTOR },
	{ "TCPv6", 1880, 32, B_HW | B_NOMERGE },
	{ "request_sock_TCPv6", 232, 8, B_CTOR },
	{ "tw_sock_TCPv6", 200, 8, B_CTOR },
	{ "UDPv6", 1024, 32, B_ACCOUNT | B_HW }, /* :A-0001024 */
	{ "UDPLITEv6", 1024, 32, B_ACCOUNT | B_HW }, /* :A-0001024 */
	{ "RAWv6", 896, 32, B_HW | B_NOMERGE },
	{ "request_sock_subflow_v6", 288, 8, B_CTOR },
	{ "MPTCPv6", 1552, 32, B_HW | B_NOMERGE },
	{ "fscrypt_info", 96, 8, B_RECLAIM }, /* :a-0000096 */
	{ "fsverity_info", 240, 8, B_RECLAIM | B_NOMERGE },
};

const struct boot_cache *boot_caches_table(const struct machine *m, size_t *n)
{
	if (m->kp->kv == KV_2_6_32) {
		*n = 0;
		return NULL;
	}
	if (m->arch->bits == 64) {
		*n = sizeof amd64_6_1 / sizeof amd64_6_1[0];
		return amd64_6_1;
	}
	*n = sizeof i686_6_1 / sizeof i686_6_1[0];
	return i686_6_1;
}

int boot_caches_create(struct machine *m)
{
	size_t n;
	const struct boot_cache *t = boot_caches_table(m, &n);
	if (!m->slab || m->slab->impl != SLAB_IMPL_SLUB)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int c;
		bool merged;
		int r = slab_cache_create_mergeable(m, t[i].name, t[i].size, t[i].align, t[i].flags | SLAB_PANIC_F,
						    &c, &merged);
		if (r)
			return r;
	}
	return 0;
}
