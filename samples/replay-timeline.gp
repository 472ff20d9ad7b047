# Plot the timeline that `replay TRACE --timeline FILE.csv` writes:
#
#   kmemsh --arch x86_64 --mem 4G --cpus 2 \
#          replay tests/data/kmem-x86_64-6.18-head20k.txt.gz --timeline replay.csv
#   gnuplot -e "csv='replay.csv'" samples/replay-timeline.gp    # writes replay.png
#
# Columns: seconds (trace time), free_kb, live_objects, live_bytes, slab_kb,
# unusable_order9 (mm/vmstat.c unusable_free_index() at pageblock order, all
# zones: the share of free memory in blocks too small for a pageblock).
# Three panels over the seconds since the trace's first event: free memory;
# the model's slab memory with the live traced objects; the unusable index.
# Each panel scales to its own figures, so that a few MiB of slab show next
# to gigabytes of free memory, and a flat line stays off the frame.
if (!exists("csv")) csv = 'replay.csv'
if (!exists("png")) png = 'replay.png'
set datafile separator ','
stats csv using 1 nooutput
t0 = STATS_min
stats csv using 6 nooutput name 'U'
set terminal pngcairo size 1000,900
set output png
set multiplot layout 3,1 title 'kmemsh replay: ' . csv
set offsets 0, 0, graph 0.1, 0
set key top left

set ylabel 'free (KiB)'
set format y '%.0f'
plot csv using ($1 - t0):2 with lines title 'free memory'

set ylabel 'slab (KiB)'
set yrange [0:*]
set y2range [0:*]
set y2label 'live objects'
set y2tics
set ytics nomirror
plot csv using ($1 - t0):5 with lines title 'slab (model)', \
     csv using ($1 - t0):3 axes x1y2 with lines title 'live traced objects'

set ylabel 'unusable free index'
unset y2label
unset y2tics
set ytics mirror
set format y '%g'
set yrange [0:(U_max > 0 ? U_max * 1.1 : 1)]
set key bottom right
set xlabel 'seconds since the first event'
plot csv using ($1 - t0):6 with lines title 'unusable index at pageblock order'
unset multiplot
