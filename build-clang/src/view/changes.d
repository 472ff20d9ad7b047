build-clang/src/view/changes.o: src/view/changes.c include/kmemsh/slab.h \
  include/kmemsh/gfp.h include/kmemsh/profile.h include/kmemsh/machine.h \
  include/kmemsh/layout.h include/kmemsh/memmap.h \
  include/kmemsh/slab_geometry.h src/view/view_int.h \
  include/kmemsh/view.h include/kmemsh/buddy.h include/kmemsh/memstore.h \
  include/kmemsh/pgtable.h

include/kmemsh/slab.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/machine.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/slab_geometry.h:

src/view/view_int.h:

include/kmemsh/view.h:

include/kmemsh/buddy.h:

include/kmemsh/memstore.h:

include/kmemsh/pgtable.h:
