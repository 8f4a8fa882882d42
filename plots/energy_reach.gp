# lanesim energy-reach plot: energy per bit versus reach, one colour per architecture, one marker shape
# per lane rate; filled: the lane end to end (both host SerDes), open: the module / optical engine alone.
# No text sits in the plot, so nothing can overlap. Reads the gnuplot-ready file `lanesim plot
# energy-reach STUDY.csv` writes: index ilane the lane points, index imod the module points, both
# "reach_m pj_per_bit pointtype architecture_number"; a row with no reach is at x = xfail, the
# "no reach" column at the left edge. When anymc, index imc the reaches Monte Carlo limited (the
# statistical reach was refuted), boxed; when anyun, index iun those it did not check, in an open
# diamond: both "reach_m pj_per_bit architecture_number" (the lane point, the module one without).
# Variables: in, out, term, ttl, n, names (gnuplot words), anylane, anymod (1: that index has points),
# ilane, imod, nr, rnames (the rates' legend words), rpts (their point types), anyfail, xfail, xlo, xhi, xt (the x tics),
# anymc, imc, anyun, iun.
# docs/plots.md.
if (!exists("in")) in = 'energy_reach.dat'
if (!exists("out")) out = 'energy_reach.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,680 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,680 font 'Sans,11' background rgb 'white' }
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
if (!exists("nr")) nr = 0
if (!exists("anyfail")) anyfail = 0
if (!exists("anylane")) anylane = 1
if (!exists("anymod")) anymod = 1
if (!exists("ilane")) ilane = 0
if (!exists("imod")) imod = 1
if (!exists("anymc")) anymc = 0
if (!exists("anyun")) anyun = 0
set logscale x
set format x '%g'
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
if (exists("xlo") && exists("xhi")) { set xrange [xlo:xhi] }
if (exists("xt")) { eval 'set xtics ' . xt }
if (anyfail) { set arrow from xfail*sqrt(10), graph 0 to xfail*sqrt(10), graph 1 nohead dt 2 lc rgb 'gray50' }
set xlabel 'reach (m)'
set ylabel 'energy per bit (pJ/bit)'
set grid
# the legend in two columns (five rows at least): the architectures, the rates, then the marker words
ne = n + nr + 2 + anymc + anyun + anyfail
set key below vertical maxrows (ne > 10 ? int((ne + 1) / 2) : 5) noenhanced spacing 1.1 width 2
pl = anylane ? ", in index ilane using 1:2:3:4 with points pt variable lc variable ps 1.5 notitle" : ''
pl = pl . (anymod ? ", in index imod using 1:2:3:4 with points pt variable lc variable ps 1.5 notitle" : '')
pl = pl . (anymc ? ", in index imc using 1:2:3 with points pt 4 ps 3 lw 2 lc variable notitle, 1/0 with points pt 4 ps 3 lw 2 lc rgb 'gray40' title 'boxed: Monte Carlo-limited reach'" : '')
pl = pl . (anyun ? ", in index iun using 1:2:3 with points pt 12 ps 3.4 lw 2 lc variable notitle, 1/0 with points pt 12 ps 3.4 lw 2 lc rgb 'gray40' title 'reach not checked by Monte Carlo'" : '')
pl = pl . (anyfail ? ", 1/0 with points pt 7 ps 0 lc rgb 'white' title 'no reach (fails at the shortest length)'" : '')
plot for [i=1:n] 1/0 with points pt 5 ps 1.5 lc i title word(names, i), \
     for [j=1:nr] 1/0 with points pt int(word(rpts, j)) ps 1.5 lc rgb 'black' title word(rnames, j), \
     1/0 with points pt 7 ps 1.5 lc rgb 'gray40' title 'filled: lane end to end', \
     1/0 with points pt 6 ps 1.5 lc rgb 'gray40' title 'open: module / optical engine' @pl
