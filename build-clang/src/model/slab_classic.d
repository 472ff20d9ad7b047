build-clang/src/model/slab_classic.o: src/model/slab_classic.c \
  include/kmemsh/buddy.h include/kmemsh/machine.h include/kmemsh/gfp.h \
  include/kmemsh/profile.h include/kmemsh/layout.h \
  include/kmemsh/memmap.h include/kmemsh/bitops.h src/model/slab_impl.h \
  include/kmemsh/slab.h include/kmemsh/slab_geometry.h

include/kmemsh/buddy.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/bitops.h:

src/model/slab_impl.h:

include/kmemsh/slab.h:

include/kmemsh/slab_geometry.h:
