# lanesim bathtub plot: BER versus sampling phase from `lanesim run --mode stat --dump bathtub=FILE`
# (columns phase_ui ber). Zero BER (below 1e-300) is not drawn.
# Standalone: gnuplot -e "in='bathtub.dat'; out='bathtub.png'" plots/bathtub.gp
# Variables: in, out, term, ttl, target (a BER line), ymin (lower BER limit, default 1e-20). docs/plots.md.
if (!exists("in")) in = 'bathtub.dat'
if (!exists("out")) out = 'bathtub.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,600 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,600 font 'Sans,11' background rgb 'white' }
set output out
if (exists("ttl")) { set title ttl noenhanced }
if (!exists("ymin")) ymin = 1e-20
set logscale y
set format y '10^{%L}'
set yrange [ymin:1]
set xrange [-0.5:0.5]
set xlabel 'sampling phase (UI)'
set ylabel 'BER'
set grid
set key below
tl = exists("target") ? sprintf(", %.10g with lines dt 2 lw 1.5 lc rgb 'red' title 'target %.1e'", target, target) : ''
plot in using 1:($2 > 0 ? $2 : 1/0) with linespoints lw 2 pt 7 ps 0.5 lc rgb '#1f77b4' title 'BER at the fixed thresholds (statistical analysis)' @tl
