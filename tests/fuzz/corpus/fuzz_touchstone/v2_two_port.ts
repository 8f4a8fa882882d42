! v2
[Version] 2.0
# GHz S RI R 50
[Number of Ports] 2
[Two-Port Data Order] 12_21
[Number of Frequencies] 3
[Reference] 50 50
[Begin Information]
skipped
[End Information]
[Network Data]
0 0.1 0 0.9 0 0.9 0 0.1 0
10 0.1 0 0.7 -0.3 0.7 -0.3 0.1 0
20 0.1 0 0.3 -0.5 0.3 -0.5
 0.1 0
[End]
