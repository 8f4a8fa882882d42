# lanesim sweep plot (kind ber-length): a metric (BER, reach, ...) versus the first swept key, one line per
# value of the other swept keys. Reads the gnuplot-ready file `lanesim plot ber-length CSV` writes from a
# sweep CSV: one block per line (index i-1), columns x y y_lo y_hi ('?' = none); when anyub, a last block
# (index n) of the points with no errors: x, the 95 % upper bound of y, line number.
# Variables: in, out, term, ttl, n (lines), names (their titles, gnuplot words), valid (" 1 3": the lines
# with a point; the others get their legend entry only), xl and yl (axis labels),
# logx, logy, ci (1: error bars from y_lo..y_hi), anyub (1: some upper bounds), target (a line), xlo and xhi
# (the x range, when all points share one x), ylo and yhi (likewise for y). docs/plots.md.
if (!exists("in")) in = 'sweep.dat'
if (!exists("out")) out = 'sweep.png'
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
if (!exists("names")) names = 'BER'
if (!exists("xl")) xl = 'link length (m)'
if (!exists("yl")) yl = 'BER'
if (!exists("logx")) logx = 0
if (!exists("logy")) logy = 1
if (!exists("ci")) ci = 0
if (!exists("anyub")) anyub = 0
set datafile missing '?'
set xlabel xl noenhanced
set ylabel yl noenhanced
if (logy) { set logscale y; set format y '10^{%L}' }
set autoscale xfix
if (logx) { set logscale x } else { set offsets graph 0.03, graph 0.03, 0, 0 }
if (exists("xlo") && exists("xhi")) { set xrange [xlo:xhi] }
if (exists("ylo") && exists("yhi")) { set yrange [ylo:yhi] }
set grid
set key below noenhanced
el = ''
if (!exists("valid")) { valid = ''; do for [i=1:n] { valid = valid . sprintf(' %d', i) } }
pl = ''
do for [i=1:n] {
    ok = strstrt(valid . ' ', sprintf(' %d ', i)) > 0
    src = ok ? sprintf('in index %d using 1:2', i - 1) : '1/0'
    pl = pl . sprintf('%s%s with linespoints lw 2 lc %d pt 7 ps 0.8 title word(names, %d)', i > 1 ? ', ' : '', src, i, i)
    if (ci && ok) { el = el . sprintf(", in index %d using 1:2:3:4 with yerrorbars lc %d pt 7 ps 0.5 notitle", i - 1, i) }
}
ul = anyub ? ", in index n using 1:2:3 with points lc variable pt 11 ps 1.3 notitle, 1/0 with points pt 11 lc rgb 'black' title 'no errors: 95 % upper bound'" : ''
tl = exists("target") ? sprintf(", %.10g with lines dt 2 lw 1.5 lc rgb 'red' title 'target %.1e'", target, target) : ''
eval 'plot ' . pl . el . ul . tl
