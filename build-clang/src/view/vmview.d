build-clang/src/view/vmview.o: src/view/vmview.c include/kmemsh/layout.h \
  include/kmemsh/profile.h include/kmemsh/pgtable.h \
  include/kmemsh/whatis.h include/kmemsh/buddy.h \
  include/kmemsh/machine.h include/kmemsh/gfp.h include/kmemsh/memmap.h \
  include/kmemsh/slab.h include/kmemsh/slab_geometry.h \
  src/view/view_int.h include/kmemsh/view.h include/kmemsh/memstore.h

include/kmemsh/layout.h:

include/kmemsh/profile.h:

include/kmemsh/pgtable.h:

include/kmemsh/whatis.h:

include/kmemsh/buddy.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/memmap.h:

include/kmemsh/slab.h:

include/kmemsh/slab_geometry.h:

src/view/view_int.h:

include/kmemsh/view.h:

include/kmemsh/memstore.h:
