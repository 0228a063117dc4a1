rem gw's policy before a reload: ESP with the Windows host, and the discard port (UDP 9) blocked
rem inside it. The lab's scenario 8 applies this, then reload-after.netsh.bat while traffic flows.
netsh ipsec static add policy name="Lab reload" activatedefaultrule=no
netsh ipsec static add filterlist name="Windows host"
netsh ipsec static add filter filterlist="Windows host" srcaddr=me dstaddr=192.0.2.2 protocol=any mirrored=yes
netsh ipsec static add filterlist name="Blocked"
netsh ipsec static add filter filterlist="Blocked" srcaddr=me dstaddr=192.0.2.2 protocol=udp srcport=9 mirrored=yes
netsh ipsec static add filteraction name="Require ESP 3DES" action=negotiate qmsecmethods="ESP[3DES,SHA1]" inpass=no soft=no
netsh ipsec static add filteraction name="Block" action=block
netsh ipsec static add rule name="Windows host" policy="Lab reload" filterlist="Windows host" filteraction="Require ESP 3DES" psk="lab-only-key-7"
netsh ipsec static add rule name="Blocked" policy="Lab reload" filterlist="Blocked" filteraction="Block"
netsh ipsec static set policy name="Lab reload" assign=yes
