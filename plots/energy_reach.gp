# lanesim energy-reach plot: energy per bit versus reach, one point series per architecture, each point
# labelled with its lane rate. Reads the gnuplot-ready file `lanesim plot energy-reach STUDY.csv` writes:
# index 0 the lane end to end (both host SerDes; filled), index 1 the module / optical engine alone (open),
# both "reach_m pj_per_bit architecture_number", index 2 the labels "reach_m pj_per_bit rate"; when anymc,
# index 3 the reaches Monte Carlo limited (the statistical reach was refuted), when anyun, index iun those
# it did not check, "reach_m pj_per_bit architecture_number".
# Variables: in, out, term, ttl, n, names (gnuplot words), anylane, anymod (1: that index has points),
# anymc, anyun, iun.
# docs/plots.md.
if (!exists("in")) in = 'energy_reach.dat'
if (!exists("out")) out = 'energy_reach.png'
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
if (!exists("names")) names = ''
set datafile missing '?'
set logscale x
set format x '%g'
set yrange [0:*]
set offsets graph 0.05, graph 0.12, graph 0.08, 0
set xlabel 'reach (m)'
set ylabel 'energy per bit (pJ/bit)'
set grid
set key below noenhanced
if (!exists("anylane")) anylane = 1
if (!exists("anymod")) anymod = 1
pl = anylane ? ", in index 0 using 1:2:3 with points pt 7 ps 1.4 lc variable notitle" : ''
pl = pl . (anymod ? ", in index 1 using 1:2:3 with points pt 6 ps 1.4 lc variable notitle" : '')
if (!exists("anymc")) anymc = 0
if (!exists("anyun")) anyun = 0
pl = pl . (anymc ? ", in index 3 using 1:2:3 with points pt 4 ps 2.6 lw 2 lc variable notitle, 1/0 with points pt 4 ps 2.6 lw 2 lc rgb 'black' title 'Monte Carlo-limited reach'" : '')
pl = pl . (anyun ? ", in index iun using 1:2:3 with points pt 12 ps 2.6 lw 2 lc variable notitle, 1/0 with points pt 12 ps 2.6 lw 2 lc rgb 'black' title 'reach not checked by Monte Carlo'" : '')
plot for [i=1:n] 1/0 with points pt 5 ps 1.4 lc i title word(names, i), \
     1/0 with points pt 7 lc rgb 'black' title 'lane end to end', \
     1/0 with points pt 6 lc rgb 'black' title 'module / optical engine', \
     in index 2 using 1:2:3 with labels left offset 0.9,0.5 font ',9' notitle @pl
