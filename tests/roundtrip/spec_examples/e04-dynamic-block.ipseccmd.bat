rem Spec windows-ipsec.md E4: a dynamic (volatile) block of inbound TCP 80.
ipseccmd -f [*=0:80:TCP]
