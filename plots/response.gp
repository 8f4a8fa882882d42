# lanesim response plot: channel and equalizer responses from `lanesim run --dump response=FILE`
# (columns f_ghz channel_db ctle_db channel_ctle_db equalized_db s21_db; '?' = not available).
# Standalone: gnuplot -e "in='response.dat'; out='response.png'" plots/response.gp
# Variables: in, out, term, ttl, nyq (Nyquist frequency, GHz), ymin (dB), s21 (1: draw column 6). docs/plots.md.
if (!exists("in")) in = 'response.dat'
if (!exists("out")) out = 'response.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,600 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,600 font 'Sans,11' background rgb 'white' }
set output out
if (exists("ttl")) { set title ttl noenhanced }
if (exists("ymin")) { set yrange [ymin:*] }
if (exists("nyq")) { set arrow from nyq, graph 0 to nyq, graph 1 nohead dt 3 lc rgb 'gray40'; set label 'Nyquist' at nyq, graph 0.96 left offset 0.5,0 }
if (!exists("s21")) s21 = 1
set datafile missing '?'
set autoscale xfix
set xlabel 'frequency (GHz)'
set ylabel 'gain (dB)'
set grid
set key below
sl = s21 ? ", in using 1:6 with lines dt 2 lw 1.5 lc rgb 'black' title 'passive channel S21 (insertion loss)'" : ''
plot in using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'channel: TX output to sampler, without the CTLE', \
     in using 1:3 with lines lw 2 lc rgb '#ff7f0e' title 'CTLE', \
     in using 1:4 with lines lw 2 lc rgb '#2ca02c' title 'channel + CTLE', \
     in using 1:5 with lines lw 2 lc rgb '#d62728' title 'channel + CTLE + RX FFE' @sl
