build-clang/src/model/slab_geometry.o: src/model/slab_geometry.c \
  include/kmemsh/bitops.h include/kmemsh/slab_geometry.h

include/kmemsh/bitops.h:

include/kmemsh/slab_geometry.h:
