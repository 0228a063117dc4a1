rem gw (192.0.2.1) secures all traffic with the Windows host 192.0.2.2: ESP[3DES,SHA1], transport
rem mode, pre-shared key; Windows' default main mode offers. The lab's scenarios 1, 2 and 9.
netsh ipsec static add policy name="Lab peer" description="gw side of the interop lab" activatedefaultrule=no
netsh ipsec static add filterlist name="Windows host"
netsh ipsec static add filter filterlist="Windows host" srcaddr=me dstaddr=192.0.2.2 protocol=any mirrored=yes
netsh ipsec static add filteraction name="Require ESP 3DES" action=negotiate qmsecmethods="ESP[3DES,SHA1]" inpass=no soft=no
netsh ipsec static add rule name="Windows host" policy="Lab peer" filterlist="Windows host" filteraction="Require ESP 3DES" psk="lab-only-key-7"
netsh ipsec static set policy name="Lab peer" assign=yes
