# lanesim statistical eye plot: BER map over one UI of `lanesim run --mode stat --dump stateye=FILE` (columns
# t_ui v_volts ber, one block per phase), log10 BER as a heat map, the eye BER's contour, the openings marked.
# Standalone: gnuplot -e "in='stateye.dat'; out='stateye.png'" plots/stateye.gp   (out: .png or .svg)
# Variables: in, out, term (pngcairo|svg), ttl (title), target (the contour's BER), marks and haveop (as
# eye.gp), ylab; all but in optional. docs/plots.md, docs/eye.md.
if (!exists("in")) in = 'stateye.dat'
if (!exists("out")) out = 'stateye.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,650 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,650 font 'Sans,11' background rgb 'white' }
set output out
if (exists("ttl")) { set title ttl noenhanced }
set xlabel 'time from the decision instant (UI)'
if (exists("ylab")) { set ylabel ylab } else { set ylabel 'slicer input, equalized (mV)' }
set cblabel 'log_{10} BER'
set xrange [-0.5:0.5]
set autoscale yfix
set cbrange [-15:0]
set palette defined (0 '#30123b', 0.2 '#4686fb', 0.4 '#1be5b5', 0.6 '#a4fc3c', 0.8 '#fb8022', 1 '#7a0403')
set key below noenhanced
set tics out
set style textbox opaque fillcolor rgb 'white' noborder margins 2,1
lb(b) = b > 1e-15 ? log10(b) : -15
ml = ''
if (exists("marks")) {
    ml = ", marks index 0 using 1:($2*1e3):3:($4*1e3) with vectors nohead dt 2 lw 1.5 lc rgb 'gray85' title 'decision thresholds'"
    if (exists("haveop") && haveop) {
        ml = ml . ", marks index 2 using 1:($2*1e3):3:($4*1e3) with vectors heads size screen 0.008,90 lw 2.5 lc rgb 'white' title 'eye openings at the contour BER'"
    }
    ml = ml . ", marks index 1 using ($1 > -0.5 ? $1 : -0.47):($2*1e3):3 with labels left boxed offset 0,0.9 font ',10' notitle"
}
plot in using 1:($2*1e3):(lb($3)) with image notitle @ml
