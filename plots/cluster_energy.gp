# lanesim cluster-energy plot: energy per bit versus reach, one point per architecture of the study at the
# cluster's lane rate, each tier's link length range shaded and named (a link of a tier is served by an
# architecture whose point lies right of it). Reads the file `lanesim plot cluster-energy CLUSTER_ENERGY.csv`
# writes: "reach_m pj_per_bit name" rows.
# Variables: in, out, term, ttl, rects (the shaded ranges, gnuplot commands), na (points), xlo, xhi,
# noreach (the architectures with no reach, named in the legend). docs/cluster.md, docs/plots.md.
if (!exists("in")) in = 'cluster_energy.dat'
if (!exists("out")) out = 'cluster_energy.png'
if (!exists("term")) term = (strlen(out) > 3 && out[strlen(out)-2:] eq 'svg') ? 'svg' : 'pngcairo'
if (term eq 'svg') { set terminal svg size 900,620 dynamic font 'Sans,12' background rgb 'white' } else { set terminal pngcairo size 900,620 font 'Sans,11' background rgb 'white' }
set output out
if (exists("ttl")) { set title ttl noenhanced } else { set title 'energy per bit vs reach; shaded: the tiers'' link lengths' }
if (!exists("rects")) rects = ''
if (!exists("na")) na = 0
if (!exists("noreach")) noreach = ''
eval rects
set logscale x
set format x '%g'
if (exists("xlo") && exists("xhi")) { set xrange [xlo:xhi] }
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set xlabel 'reach (m)'
set ylabel 'energy per bit (pJ/bit)'
set grid
set key below noenhanced
nr = strlen(noreach) > 0 ? "no reach: " . noreach : ''
if (na > 0) {
  plot in using 1:2 with points pt 7 ps 1.6 lc rgb '#d62728' title 'architecture (reach, pJ/bit)', \
       in using 1:2:3 with labels rotate by 35 left offset 0.6,0.6 noenhanced notitle, \
       1/0 with points pt 7 ps 0 lc rgb 'white' title nr
} else {
  plot 1/0 with points pt 7 ps 0 lc rgb 'white' title nr
}
