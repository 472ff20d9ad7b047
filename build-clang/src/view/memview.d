build-clang/src/view/memview.o: src/view/memview.c include/kmemsh/gfp.h \
  include/kmemsh/profile.h include/kmemsh/memview.h \
  include/kmemsh/memstore.h include/kmemsh/machine.h \
  include/kmemsh/layout.h include/kmemsh/memmap.h include/kmemsh/view.h \
  include/kmemsh/buddy.h include/kmemsh/pgtable.h include/kmemsh/slab.h \
  include/kmemsh/slab_geometry.h src/view/view_int.h

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/memview.h:

include/kmemsh/memstore.h:

include/kmemsh/machine.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/view.h:

include/kmemsh/buddy.h:

include/kmemsh/pgtable.h:

include/kmemsh/slab.h:

include/kmemsh/slab_geometry.h:

src/view/view_int.h:
