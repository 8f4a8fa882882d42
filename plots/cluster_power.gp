# lanesim cluster-power plot: the interconnect power of a cluster (MW), one stacked bar per policy, one
# colour per tier (scale-up, then the scale-out tiers), the total above each bar. Reads the file `lanesim
# plot cluster-power CLUSTER_POWER.csv` writes from the long CSV policy,tier,power_w: a header row (policy,
# the tiers, total), then one row per policy (MW).
# Variables: in, out, term, ttl, n (tiers), slant (1: slanted names). docs/cluster.md, docs/plots.md.
if (!exists("in")) in = 'cluster_power.dat'
if (!exists("out")) out = 'cluster_power.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 1000,600 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 1000,600 font 'Sans,11' background rgb 'white' }
set output out
if (exists("ttl")) { set title ttl noenhanced } else { set title 'cluster interconnect power by tier, per policy' }
if (!exists("n")) n = 1
if (!exists("slant")) slant = 0
colours = '#8c564b #1f77b4 #2ca02c #ff7f0e #9467bd #e377c2'
set style data histograms
set style histogram rowstacked
set style fill solid 0.9 border rgb 'gray30'
set boxwidth 0.6
set key outside right top vertical invert noenhanced autotitle columnheader samplen 2 spacing 1.2
if (slant) { set xtics noenhanced nomirror rotate by -30 left } else { set xtics noenhanced nomirror }
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set ylabel 'interconnect power (MW)'
set grid ytics
plot for [i=2:n+1] in using i:xtic(1) lc rgb word(colours, (i-2) % 6 + 1), \
     in using 0:(column(n+2)):(sprintf('%.3g MW', column(n+2))) with labels offset 0,0.8 notitle
