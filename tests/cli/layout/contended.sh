# @Contended padding on a synthetic JDK 17-like dump (mkdump contended):
# a field group (ForkJoinPool's ctl; WorkQueue's, ints, aligned to 4), a
# @Contended class (CounterCell), subclasses padded again at each level
# (FjpSub, FjpSubSub), and a Thread with JDK 21's fields, not padded: its
# threadLocalRandom* fields lost @Contended there.  Each object sits at the
# JVM's size for it from the previous one, so the sizes must fit exactly.
"$MKDUMP" contended d.hprof || exit 1
"$HS" info d.hprof | grep '^Object layout'
"$HS" histogram --top 0 --quiet --csv d.hprof
