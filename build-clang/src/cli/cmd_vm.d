build-clang/src/cli/cmd_vm.o: src/cli/cmd_vm.c include/kmemsh/memstore.h \
  include/kmemsh/gfp.h include/kmemsh/profile.h include/kmemsh/machine.h \
  include/kmemsh/layout.h include/kmemsh/memmap.h \
  include/kmemsh/memview.h include/kmemsh/view.h include/kmemsh/buddy.h \
  include/kmemsh/pgtable.h include/kmemsh/slab.h \
  include/kmemsh/slab_geometry.h include/kmemsh/physaddr.h \
  include/kmemsh/whatis.h src/cli/cmd_int.h include/kmemsh/cli.h

include/kmemsh/memstore.h:

include/kmemsh/gfp.h:

include/kmemsh/profile.h:

include/kmemsh/machine.h:

include/kmemsh/layout.h:

include/kmemsh/memmap.h:

include/kmemsh/memview.h:

include/kmemsh/view.h:

include/kmemsh/buddy.h:

include/kmemsh/pgtable.h:

include/kmemsh/slab.h:

include/kmemsh/slab_geometry.h:

include/kmemsh/physaddr.h:

include/kmemsh/whatis.h:

src/cli/cmd_int.h:

include/kmemsh/cli.h:
