build-clang/src/model/whatis.o: src/model/whatis.c \
  include/kmemsh/layout.h include/kmemsh/profile.h \
  include/kmemsh/machine.h include/kmemsh/gfp.h include/kmemsh/memmap.h \
  include/kmemsh/whatis.h include/kmemsh/buddy.h \
  include/kmemsh/pgtable.h include/kmemsh/slab.h \
  include/kmemsh/slab_geometry.h

include/kmemsh/layout.h:

include/kmemsh/profile.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/memmap.h:

include/kmemsh/whatis.h:

include/kmemsh/buddy.h:

include/kmemsh/pgtable.h:

include/kmemsh/slab.h:

include/kmemsh/slab_geometry.h:
