build-clang/src/model/slab_debug.o: src/model/slab_debug.c \
  src/model/slab_impl.h include/kmemsh/slab.h include/kmemsh/gfp.h \
  include/kmemsh/profile.h include/kmemsh/machine.h \
  include/kmemsh/layout.h include/kmemsh/memmap.h \
  include/kmemsh/slab_geometry.h

src/model/slab_impl.h:

include/kmemsh/slab.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/machine.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/slab_geometry.h:
