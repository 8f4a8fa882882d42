# lanesim com-pulse plot: the equalized pulse response of each COM package case from `lanesim com --pulse FILE`
# (prepared as columns t_ui v1 v2 ...; t = 0 the case's sampling point t_s, '?' where a case has no sample), the
# UI-spaced samples (cursor, ISI) marked.
# Standalone: gnuplot -e "in='pulse.dat'; n=2; ids='1 2'; out='pulse.png'" plots/com_pulse.gp
# Variables: in, n (cases), ids (their package case numbers), out, term, ttl, xmin and xmax (UI range). docs/plots.md.
if (!exists("in")) in = 'com_pulse.dat'
if (!exists("n")) n = 1
if (!exists("ids")) ids = '1'
if (!exists("out")) out = 'com_pulse.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,600 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,600 font 'Sans,11' background rgb 'white' }
set output out
if (exists("ttl")) { set title ttl noenhanced } else { set title 'COM: equalized pulse response' }
if (exists("xmin") && exists("xmax")) { set xrange [xmin:xmax] }
set datafile missing '?'
set xlabel 'time from the sampling point t_s (UI)' noenhanced
set ylabel 'pulse response (mV)'
set grid
set key below
set xzeroaxis lt -1
plot for [i=1:n] in using 1:(column(i+1)*1e3) with lines lw 2 lc i title sprintf('package case %s', word(ids, i)), \
     for [i=1:n] in using 1:(abs($1 - floor($1 + 0.5)) < 1e-4 ? column(i+1)*1e3 : 1/0) with points pt 7 ps 0.7 lc i notitle
