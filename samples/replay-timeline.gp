# Plot the timeline that `replay TRACE --timeline FILE.csv` writes:
#
#   kmemsh --arch x86_64 --mem 4G --cpus 2 \
#          replay tests/data/kmem-x86_64-6.18-head20k.txt.gz --timeline replay.csv
#   gnuplot -e "csv='replay.csv'" samples/replay-timeline.gp    # writes replay.png
#
# Columns: seconds (trace time), free_kb, live_objects, live_bytes, slab_kb,
# unusable_order9 (mm/vmstat.c unusable_free_index() at pageblock order, all
# zones: the share of free memory in blocks too small for a pageblock).
if (!exists("csv")) csv = 'replay.csv'
if (!exists("png")) png = 'replay.png'
set datafile separator ','
set terminal pngcairo size 1000,700
set output png
set multiplot layout 2,1 title 'kmemsh replay: ' . csv

set xlabel 'trace time (s)'
set ylabel 'KiB'
set y2label 'live objects'
set y2tics
set ytics nomirror
plot csv using 1:2 with lines title 'free', \
     csv using 1:5 with lines title 'slab (model)', \
     csv using 1:3 axes x1y2 with lines title 'live traced objects'
set ylabel 'unusable free index'
unset y2label
unset y2tics
set yrange [0:*]
plot csv using 1:6 with lines title 'unusable index at pageblock order'
unset multiplot
