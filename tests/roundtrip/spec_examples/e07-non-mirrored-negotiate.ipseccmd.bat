rem Spec windows-ipsec.md E7: a non-mirrored negotiate filter (reported).
ipseccmd -w REG -p "P" -r "R" -f 0=10.1.1.5 -n ESP[3DES,MD5] -x
