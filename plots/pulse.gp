# lanesim pulse plot: pulse response of one outer-level symbol from `lanesim run --dump pulse=FILE`
# (columns t_ui volts; t = 0 the sampling instant), the cursors (whole UI from it) marked.
# Standalone: gnuplot -e "in='pulse.dat'; out='pulse.png'" plots/pulse.gp
# Variables: in, out, term, ttl, xmin and xmax (UI range to show). docs/plots.md.
if (!exists("in")) in = 'pulse.dat'
if (!exists("out")) out = 'pulse.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,600 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,600 font 'Sans,11' background rgb 'white' }
set output out
if (exists("ttl")) { set title ttl noenhanced }
if (exists("xmin") && exists("xmax")) { set xrange [xmin:xmax] }
set xlabel 'time from the sampling instant (UI)'
set ylabel 'pulse response (mV)'
set grid
set key below
set xzeroaxis lt -1
plot in using 1:($2*1e3) with lines lw 2 lc rgb '#1f77b4' title 'pulse response', \
     in using 1:(abs($1 - floor($1 + 0.5)) < 1e-4 ? $2*1e3 : 1/0) with points pt 7 ps 0.8 lc rgb '#d62728' title 'cursors (1 UI apart)'
