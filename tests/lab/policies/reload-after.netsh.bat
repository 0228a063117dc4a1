rem gw's policy after the reload of scenario 8: the same, and telnet (TCP 23) blocked as well.
rem The negotiate rule and its SA must not notice.
netsh ipsec static add policy name="Lab reload" activatedefaultrule=no
netsh ipsec static add filterlist name="Windows host"
netsh ipsec static add filter filterlist="Windows host" srcaddr=me dstaddr=192.0.2.2 protocol=any mirrored=yes
netsh ipsec static add filterlist name="Blocked"
netsh ipsec static add filter filterlist="Blocked" srcaddr=me dstaddr=192.0.2.2 protocol=udp srcport=9 mirrored=yes
netsh ipsec static add filter filterlist="Blocked" srcaddr=me dstaddr=192.0.2.2 protocol=tcp dstport=23 mirrored=yes
netsh ipsec static add filteraction name="Require ESP 3DES" action=negotiate qmsecmethods="ESP[3DES,SHA1]" inpass=no soft=no
netsh ipsec static add filteraction name="Block" action=block
netsh ipsec static add rule name="Windows host" policy="Lab reload" filterlist="Windows host" filteraction="Require ESP 3DES" psk="lab-only-key-7"
netsh ipsec static add rule name="Blocked" policy="Lab reload" filterlist="Blocked" filteraction="Block"
netsh ipsec static set policy name="Lab reload" assign=yes
