rem Spec windows-ipsec.md E9: ICMP exemption inside a secured subnet (ambiguous overlap).
netsh ipsec static add policy name="Isolation"
netsh ipsec static add filter filterlist="ICMP" srcaddr=me dstaddr=any protocol=ICMP
netsh ipsec static add filter filterlist="Corp" srcaddr=me dstaddr=10.0.0.0 dstmask=8
netsh ipsec static add filteraction name="Permit" action=permit
netsh ipsec static add filteraction name="Require ESP" action=negotiate qmsecmethods="ESP[3DES,SHA1]"
netsh ipsec static add rule name="ICMP" policy="Isolation" filterlist="ICMP" filteraction="Permit"
netsh ipsec static add rule name="Corp" policy="Isolation" filterlist="Corp" filteraction="Require ESP" kerberos=yes
netsh ipsec static set policy name="Isolation" assign=yes
