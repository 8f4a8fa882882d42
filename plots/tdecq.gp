# lanesim tdecq plot: the equalized eye of a TDECQ measurement from `lanesim tdecq ... --dump FILE`
# (rows t_ui power_w over 2 UI, eye centres at 0.5 and 1.5 UI), the two histogram windows (0.04 UI wide
# at 0.45 and 0.55 UI, IEEE 802.3 cl. 121.8.5.3) shaded, the three decision thresholds drawn.
# Standalone: gnuplot -e "in='eye.dat'; out='tdecq.png'; th1=..; th2=..; th3=..; wl=0.45; wr=0.55; ww=0.04" plots/tdecq.gp
# Variables: in, out, term, ttl, th1..th3 (mW), wl, wr, ww (UI). docs/plots.md, docs/tdecq.md.
if (!exists("in")) in = 'tdecq.dat'
if (!exists("out")) out = 'tdecq.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,600 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,600 font 'Sans,11' background rgb 'white' }
set output out
if (exists("ttl")) { set title ttl noenhanced }
if (!exists("wl")) wl = 0.45
if (!exists("wr")) wr = 0.55
if (!exists("ww")) ww = 0.04
set xrange [0:2]
set xlabel 'time (UI; eye centres at 0.5 and 1.5)'
set ylabel 'equalized optical power (mW)'
set grid
set key below
do for [c in "0 1"] {
    set object rectangle from first wl - ww/2 + c, graph 0 to first wl + ww/2 + c, graph 1 fc rgb '#ffbf00' fs transparent solid 0.35 noborder behind
    set object rectangle from first wr - ww/2 + c, graph 0 to first wr + ww/2 + c, graph 1 fc rgb '#ffbf00' fs transparent solid 0.35 noborder behind
}
if (exists("th1")) { set arrow from graph 0, first th1 to graph 1, first th1 nohead lw 1.5 lc rgb '#d62728' dt 2 front }
if (exists("th2")) { set arrow from graph 0, first th2 to graph 1, first th2 nohead lw 1.5 lc rgb '#d62728' dt 2 front }
if (exists("th3")) { set arrow from graph 0, first th3 to graph 1, first th3 nohead lw 1.5 lc rgb '#d62728' dt 2 front }
plot in using 1:($2*1e3) with dots lc rgb '#1f77b480' title 'equalized waveform', \
     NaN with lines lw 1.5 lc rgb '#d62728' dt 2 title 'thresholds', \
     NaN with boxes fs solid 0.35 lc rgb '#ffbf00' title 'histogram windows'
