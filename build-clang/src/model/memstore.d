build-clang/src/model/memstore.o: src/model/memstore.c \
  include/kmemsh/buddy.h include/kmemsh/machine.h include/kmemsh/gfp.h \
  include/kmemsh/profile.h include/kmemsh/layout.h \
  include/kmemsh/memmap.h include/kmemsh/slab.h \
  include/kmemsh/slab_geometry.h src/model/memstore_impl.h \
  include/kmemsh/memstore.h

include/kmemsh/buddy.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/slab.h:

include/kmemsh/slab_geometry.h:

src/model/memstore_impl.h:

include/kmemsh/memstore.h:
