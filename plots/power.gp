# lanesim power plot: stacked bars of the electrical power per lane, one bar per architecture, the parts
# summed into groups (host SerDes TX and RX, retimer / DSP, driver, laser and TEC, TIA, control and DC-DC),
# each group in its own colour, the total above each bar. Reads the gnuplot-ready file `lanesim plot
# power POWER.csv` writes from the long CSV architecture,part,mw: a header row (architecture, the groups,
# total), then one row per architecture (mW).
# Variables: in, out, term, ttl, n (groups), colours (their "#rrggbb" words), slant (1: slanted names).
# docs/plots.md.
if (!exists("in")) in = 'power.dat'
if (!exists("out")) out = 'power.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 1000,600 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 1000,600 font 'Sans,11' background rgb 'white' }
set output out
if (exists("ttl")) { set title ttl noenhanced }
if (!exists("n")) n = 1
if (!exists("colours")) colours = ''
if (!exists("slant")) slant = 0
set style data histograms
set style histogram rowstacked
set style fill solid 0.9 border rgb 'gray30'
set boxwidth 0.6
set key outside right top vertical invert noenhanced autotitle columnheader samplen 2 spacing 1.2
if (slant) { set xtics noenhanced nomirror rotate by -30 left } else { set xtics noenhanced nomirror }
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set ylabel 'electrical power per lane (mW)'
set grid ytics
plot for [i=2:n+1] in using i:xtic(1) lc rgb (i-1 <= words(colours) ? word(colours, i-1) : 'gray60'), \
     in using 0:(column(n+2)):(sprintf('%.0f mW', column(n+2))) with labels offset 0,0.8 notitle
