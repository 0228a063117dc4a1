rem KB 813878: block Code Red / Nimda, inbound TCP 80 only.
ipseccmd -w REG -p "Block TCP 80 Filter" -r "Block Inbound TCP 80 Rule" -f *=0:80:TCP -n BLOCK -x
