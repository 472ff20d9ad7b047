/*
 * snapshot.h - a real machine's memory state, as its /proc files show it,
 * loaded into the model (kmemsh --from DIR).
 *
 * A snapshot is the text of a few files kept under the paths they have on a
 * live system (DIR/proc/iomem, DIR/proc/zoneinfo, ...), so DIR may be "/".
 * proc/iomem and proc/zoneinfo are required; every other file is used when
 * present and reported when missing.  Reading the files is the caller's
 * business (src/cli/snapshot_dir.c); this module parses the texts and puts
 * a booted machine into the state they describe.  It never prints: errors
 * come back as "PATH:LINE: message" in err, notes (what was missing, which
 * profile was picked) in the snapshot's notes.
 */
#ifndef KMEMSH_SNAPSHOT_H
#define KMEMSH_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "kmemsh/machine.h"

enum snapshot_file {
	SF_IOMEM,               /* proc/iomem (required) */
	SF_ZONEINFO,            /* proc/zoneinfo (required) */
	SF_BUDDYINFO,           /* proc/buddyinfo */
	SF_PAGETYPEINFO,        /* proc/pagetypeinfo (root only since 5.4) */
	SF_MEMINFO,             /* proc/meminfo */
	SF_SLABINFO,            /* proc/slabinfo (root only) */
	SF_VMALLOCINFO,         /* proc/vmallocinfo (root only) */
	SF_CPUINFO,             /* proc/cpuinfo */
	SF_VERSION,             /* proc/version */
	SF_MIN_FREE_KBYTES,     /* proc/sys/vm/min_free_kbytes */
	SF_WMARK_SCALE,         /* proc/sys/vm/watermark_scale_factor */
	SF_CMDLINE,             /* proc/cmdline (its mem= trims sys/firmware/memmap's RAM) */
	SF_SLAB_SYSFS,          /* sys/kernel/slab: a directory, held as one text (below) */
	SF_FW_MEMMAP,           /* sys/firmware/memmap: a directory, held as one text (below) */
	SF_COUNT
};

/* the path of each file under DIR, "proc/zoneinfo" */
extern const char *const snapshot_paths[SF_COUNT];

/*
 * sys/kernel/slab is a directory: one subdirectory of attribute files per
 * cache SLUB could not merge, or per merged cache under a unique id
 * (":A-0000896"), and a symlink for each name of a merged cache
 * (mm/slub.c sysfs_slab_add(), sysfs_slab_alias()).  The snapshot holds it
 * as one text, a line per entry in name order, as the real kernels' dumps
 * (slab_sysfs.txt) write it:
 *     NAME attr=VALUE attr=VALUE ...     a cache (the attributes read)
 *     NAME -> TARGET                     a merged cache's name
 * VALUE is the attribute file's first word ("objects" reads "3404 N0=3404"
 * on a NUMA kernel).  snapshot_slab_attrs lists the attributes read (NULL
 * ends it); no other file of the directory is read (shrink and validate
 * act when written).
 */
extern const char *const snapshot_slab_attrs[];

/*
 * sys/firmware/memmap is a directory too: one numbered subdirectory per
 * entry of the e820 table the firmware gave (drivers/firmware/memmap.c;
 * arch/x86/kernel/e820.c e820__reserve_resources() adds e820_table_firmware),
 * each with its start, end (inclusive) and type files, readable by every
 * user.  The snapshot holds it as a line per entry in the entries' order:
 *     START END TYPE                     "0x100000 0xbfffffff System RAM"
 * --from builds the physical map from it when proc/iomem's addresses read
 * as zero (a user other than root).
 */

struct snapshot {
	char *dir;                      /* as given; errors name dir/path */
	char *text[SF_COUNT];           /* NULL: missing or unreadable */
	char why[SF_COUNT][48];         /* why a file is missing ("Permission denied") */
	char notes[2048];               /* what the loader did without, one per line (translated) */
	char *iomem_built;              /* the physical map made from sys/firmware/memmap, or NULL */
};

void snapshot_free(struct snapshot *s);

/*
 * The machine a snapshot describes: arch (zone names, the version string),
 * kernel profile (the nearest to proc/version), CPU count (proc/cpuinfo),
 * physical map (cfg->iomem_text points into s).  Fills cfg (cfg->snapshot =
 * s) and appends to s->notes; 0, or -EINVAL with err naming file and line.
 */
int snapshot_configure(struct snapshot *s, struct machine_config *cfg, char *err, size_t errlen);

/*
 * Boot's last step when cfg->snapshot is set (boot.c): zones, watermarks,
 * protection and min_free_kbytes from zoneinfo; the free lists from
 * buddyinfo and pagetypeinfo (each free block at a pfn of RAM the booted
 * model does not hold, inside a pageblock of its type, no two free buddies
 * left unmerged); pageblock types from pagetypeinfo; every other page of
 * the zones in use.  0, or -EINVAL/-ENOMEM with err set and the machine to
 * be destroyed by the caller (nothing half-loaded is ever used).
 */
int snapshot_apply(struct machine *m, const struct snapshot *s, char *err, size_t errlen);

/*
 * The files (src/cli/snapshot_dir.c, the program's side: it reads input).
 * snapshot_read_dir reads each file under dir that is there and readable
 * (buddyinfo and pagetypeinfo read again until two reads of buddyinfo agree,
 * so a live system gives a consistent pair); 0, or -errno with err set when
 * dir cannot be read at all.  snapshot_write_dir copies the files of the
 * running system (from "/", or another dir) into dir, creating it; *copied
 * gets the number written, s the notes on what could not be read.
 */
int snapshot_read_dir(const char *dir, struct snapshot *s, char *err, size_t errlen);
int snapshot_write_dir(const char *from, const char *dir, struct snapshot *s, unsigned *copied,
		       char *err, size_t errlen);
/* 0 when s holds a proc/iomem that --from can build a map from, 1 when
 * its addresses read as zero (a user other than root: kernel/resource.c
 * r_show()) and sys/firmware/memmap gives the map instead; else -EINVAL
 * and err says why (naming the file and line, as --from would).  The one
 * place that rule lives: snapshot_configure() asks it too. */
int snapshot_iomem_loadable(struct snapshot *s, char *err, size_t errlen);

/* true when every line of an iomem text has the range 0-0 (as a user other
 * than root reads /proc/iomem) */
bool snapshot_iomem_zeroed(const char *text);

#endif
