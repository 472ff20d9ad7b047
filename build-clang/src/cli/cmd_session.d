build-clang/src/cli/cmd_session.o: src/cli/cmd_session.c \
  src/cli/cmd_int.h include/kmemsh/cli.h include/kmemsh/machine.h \
  include/kmemsh/gfp.h include/kmemsh/profile.h include/kmemsh/layout.h \
  include/kmemsh/memmap.h include/kmemsh/view.h include/kmemsh/buddy.h \
  include/kmemsh/memstore.h include/kmemsh/pgtable.h \
  include/kmemsh/slab.h include/kmemsh/slab_geometry.h

src/cli/cmd_int.h:

include/kmemsh/cli.h:

include/kmemsh/machine.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/view.h:

include/kmemsh/buddy.h:

include/kmemsh/memstore.h:

include/kmemsh/pgtable.h:

include/kmemsh/slab.h:

include/kmemsh/slab_geometry.h:
