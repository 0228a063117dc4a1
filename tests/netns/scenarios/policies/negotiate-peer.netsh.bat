rem Require ESP for everything between me and the peer 192.0.2.1.
netsh ipsec static add policy name="Secure peer" activatedefaultrule=no
netsh ipsec static add filteraction name="Require ESP" action=negotiate qmsecmethods="ESP[3DES,SHA1]"
netsh ipsec static add filter filterlist="Peer" srcaddr=me dstaddr=192.0.2.1
netsh ipsec static add rule name="secure" policy="Secure peer" filterlist="Peer" filteraction="Require ESP" psk="lab-only-key"
netsh ipsec static set policy name="Secure peer" assign=yes
