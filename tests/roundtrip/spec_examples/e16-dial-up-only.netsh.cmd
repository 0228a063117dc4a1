rem Spec windows-ipsec.md E16: a dial-up-only rule.
netsh ipsec static add policy name="P" mmpfs=yes pollinginterval=60
netsh ipsec static add filter filterlist="All" srcaddr=me dstaddr=any
netsh ipsec static add filteraction name="ReqESP" action=negotiate qmsecmethods="AH[MD5]+ESP[DES,None]:1000k/900s"
netsh ipsec static add rule name="RAS" policy="P" filterlist="All" filteraction="ReqESP" conntype=dialup
netsh ipsec static add rule name="LAN (inactive)" policy="P" filterlist="All" filteraction="ReqESP" conntype=lan activate=no
netsh ipsec static set policy name="P" assign=yes
