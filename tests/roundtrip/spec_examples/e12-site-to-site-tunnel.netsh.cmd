rem Spec windows-ipsec.md E12: site-to-site tunnel, two non-mirrored rules on gateway GA.
netsh ipsec static add policy name="S2S" mmsecmethods="3DES-SHA1-3 3DES-SHA1-2" mmlifetime=240
netsh ipsec static add filter filterlist="A2B" srcaddr=10.1.0.0 srcmask=16 dstaddr=10.2.0.0 dstmask=16 mirrored=no
netsh ipsec static add filter filterlist="B2A" srcaddr=10.2.0.0 srcmask=16 dstaddr=10.1.0.0 dstmask=16 mirrored=no
netsh ipsec static add filteraction name="ReqESP" action=negotiate qmpfs=yes qmsecmethods="ESP[3DES,SHA1]:50000k ESP[DES,MD5]:600s"
netsh ipsec static add rule name="out" policy="S2S" filterlist="A2B" filteraction="ReqESP" tunnel=203.0.113.2 psk="t"
netsh ipsec static add rule name="in" policy="S2S" filterlist="B2A" filteraction="ReqESP" tunnel=198.51.100.1 psk="t"
netsh ipsec static set policy name="S2S" assign=yes
