# lanesim eye plot: 2-UI density heat map of `lanesim run --dump eye=FILE` (columns t_ui v_volts hits,
# one block per time column), with the sub-eye openings marked when `marks` names a file of them.
# Standalone: gnuplot -e "in='eye.dat'; out='eye.png'" plots/eye.gp   (out: .png or .svg)
# Variables: in, out, term (pngcairo|svg), ttl (title), marks (a file: index 0 threshold lines x y dx dy,
# index 1 labels x y "text", index 2 opening vectors x y dx dy), haveop (1: index 2 has vectors), ylab (the
# y axis: slicer or receiver input); all but in optional. docs/plots.md.
if (!exists("in")) in = 'eye.dat'
if (!exists("out")) out = 'eye.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,650 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,650 font 'Sans,11' background rgb 'white' }
set output out
if (exists("ttl")) { set title ttl noenhanced }
set xlabel 'time from the decision instant (UI)'
if (exists("ylab")) { set ylabel ylab } else { set ylabel 'slicer input (mV)' }
set cblabel '1 + log_{10} hits'
set xrange [-1:1]
set autoscale yfix
set cbrange [0:*]
set palette defined (0 'white', 0.0001 '#30123b', 0.15 '#4686fb', 0.35 '#1be5b5', 0.55 '#a4fc3c', 0.75 '#fb8022', 1 '#7a0403')
set key below noenhanced
set tics out
set style textbox opaque fillcolor rgb 'white' noborder margins 2,1
ml = ''
if (exists("marks")) {
    ml = ", marks index 0 using 1:($2*1e3):3:($4*1e3) with vectors nohead dt 2 lw 1.5 lc rgb 'gray35' title 'decision thresholds'"
    if (exists("haveop") && haveop) {
        ml = ml . ", marks index 2 using 1:($2*1e3):3:($4*1e3) with vectors heads size screen 0.008,90 lw 2.5 lc rgb 'black' title 'eye openings at the contour BER: height at t = 0, width through the centre'"
    }
    ml = ml . ", marks index 1 using 1:($2*1e3):3 with labels left boxed offset 0,0.9 font ',10' notitle"
}
plot in using 1:($2*1e3):($3 > 0 ? 1 + log10($3) : 0) with image notitle @ml
