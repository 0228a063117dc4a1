rem Spec windows-ipsec.md E1: secure a web server for one subnet.
netsh ipsec static add policy name="Web"
netsh ipsec static add filterlist name="HTTP-LAN"
netsh ipsec static add filter filterlist="HTTP-LAN" srcaddr=me dstaddr=10.1.0.0 dstmask=255.255.0.0 protocol=TCP srcport=80 dstport=0 mirrored=yes
netsh ipsec static add filteraction name="ReqESP" action=negotiate qmsecmethods="ESP[3DES,SHA1]:100000k/3600s"
netsh ipsec static add rule name="SecHTTP" policy="Web" filterlist="HTTP-LAN" filteraction="ReqESP" psk="s3cret"
netsh ipsec static set policy name="Web" assign=yes
