# lanesim power plot: stacked bars of the electrical power per part, one bar per architecture. Reads the
# gnuplot-ready file `lanesim plot power POWER.csv` writes from the long CSV architecture,part,mw: a header
# row (architecture, the parts, total), then one row per architecture (mW).
# Variables: in, out, term, ttl, n (parts). docs/plots.md.
if (!exists("in")) in = 'power.dat'
if (!exists("out")) out = 'power.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,600 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,600 font 'Sans,11' background rgb 'white' }
set output out
set linetype 1 lc rgb '#1f77b4'
set linetype 2 lc rgb '#d62728'
set linetype 3 lc rgb '#2ca02c'
set linetype 4 lc rgb '#ff7f0e'
set linetype 5 lc rgb '#9467bd'
set linetype 6 lc rgb '#8c564b'
set linetype 7 lc rgb '#e377c2'
set linetype 8 lc rgb '#17becf'
set linetype cycle 8
if (exists("ttl")) { set title ttl noenhanced }
if (!exists("n")) n = 1
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border rgb 'gray30'
set boxwidth 0.6
set key outside right noenhanced autotitle columnheader
set xtics noenhanced nomirror rotate by -30 left
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set ylabel 'electrical power (mW)'
set grid ytics
plot for [i=2:n+1] in using i:xtic(1), \
     in using 0:(column(n+2)):(sprintf('%.0f', column(n+2))) with labels offset 0,0.8 notitle
