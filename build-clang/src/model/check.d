build-clang/src/model/check.o: src/model/check.c include/kmemsh/buddy.h \
  include/kmemsh/machine.h include/kmemsh/gfp.h include/kmemsh/profile.h \
  include/kmemsh/layout.h include/kmemsh/memmap.h \
  include/kmemsh/pgtable.h include/kmemsh/memstore.h \
  include/kmemsh/slab.h include/kmemsh/slab_geometry.h

include/kmemsh/buddy.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/pgtable.h:

include/kmemsh/memstore.h:

include/kmemsh/slab.h:

include/kmemsh/slab_geometry.h:
