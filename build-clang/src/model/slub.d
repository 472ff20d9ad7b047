build-clang/src/model/slub.o: src/model/slub.c include/kmemsh/bitops.h \
  include/kmemsh/buddy.h include/kmemsh/machine.h include/kmemsh/gfp.h \
  include/kmemsh/profile.h include/kmemsh/layout.h \
  include/kmemsh/memmap.h src/model/slab_impl.h include/kmemsh/slab.h \
  include/kmemsh/slab_geometry.h

include/kmemsh/bitops.h:

include/kmemsh/buddy.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

src/model/slab_impl.h:

include/kmemsh/slab.h:

include/kmemsh/slab_geometry.h:
