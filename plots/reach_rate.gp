# lanesim reach-rate plot: reach (log) versus lane rate, one line per architecture. Reads the gnuplot-ready
# file `lanesim plot reach-rate STUDY.csv` writes: one block per architecture, columns rate_gbps reach_m
# ('?' where even the shortest length failed, reach_m 0); when anyfail, a last block (index n) of those:
# rate_gbps, ymin, architecture number; when anymc, a block (index imc) of the reaches Monte Carlo limited
# (the statistical reach was refuted; a failure among them at its failure marker), boxed; when anyun, a
# block (index iun) of the reaches Monte Carlo did not check, in an open diamond: both "rate_gbps reach_m
# architecture number".
# Variables: in, out, term, ttl, n, names (gnuplot words), valid (" 1 3": the series with a point), ymin,
# xt (xtics list), xlo and xhi (the x range), anyfail, anymc, imc, anyun, iun. docs/plots.md.
if (!exists("in")) in = 'reach_rate.dat'
if (!exists("out")) out = 'reach_rate.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,640 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,640 font 'Sans,11' background rgb 'white' }
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
if (!exists("anyfail")) anyfail = 0
if (!exists("anymc")) anymc = 0
if (!exists("anyun")) anyun = 0
set datafile missing '?'
set logscale x 2
set logscale y
set format y '%g'
if (exists("ymin")) { set yrange [ymin:*] }
if (exists("xt")) { eval 'set xtics ' . xt }
if (exists("xlo") && exists("xhi")) { set xrange [xlo:xhi] } else { set offsets graph 0.05, graph 0.05, 0, 0 }
set xlabel 'lane rate (Gb/s)'
set ylabel 'reach (m)'
set grid
# the legend in two columns (three rows at least): the architectures, then the markers drawn
ne = n + anyfail + anymc + anyun
set key below vertical maxrows (ne > 6 ? int((ne + 1) / 2) : 3) noenhanced width 2
fl = anyfail ? ", in index n using 1:2:3 with points pt 6 ps 1.8 lw 2 lc variable notitle, 1/0 with points pt 6 ps 1.8 lw 2 lc rgb 'black' title 'no reach (fails at the shortest length)'" : ''
fl = fl . (anymc ? ", in index imc using 1:2:3 with points pt 4 ps 2.6 lw 2 lc variable notitle, 1/0 with points pt 4 ps 2.6 lw 2 lc rgb 'black' title 'boxed: Monte Carlo-limited reach'" : '')
fl = fl . (anyun ? ", in index iun using 1:2:3 with points pt 12 ps 3 lw 2 lc variable notitle, 1/0 with points pt 12 ps 3 lw 2 lc rgb 'black' title 'reach not checked by Monte Carlo'" : '')
# a series with no point to draw (valid does not list it: it failed at every rate) gets its legend entry
if (!exists("valid")) { valid = ''; do for [i=1:n] { valid = valid . sprintf(' %d', i) } }
pl = ''
do for [i=1:n] {
    src = strstrt(valid . ' ', sprintf(' %d ', i)) ? sprintf('in index %d using 1:2', i - 1) : '1/0'
    pl = pl . sprintf('%s%s with linespoints lw 2 pt 7 lc %d title word(names, %d)', i > 1 ? ', ' : '', src, i, i)
}
eval 'plot ' . pl . fl
