rem gw (192.0.2.1) requires ESP[3DES,SHA1] from every host of its subnet 192.0.2.0/24, transport
rem mode, pre-shared key; ICMP stays in clear (permit) and telnet is blocked outright. The lab's
rem scenarios 3 and 4: "other" (192.0.2.3) speaks no IPsec, the Windows host 192.0.2.2 does.
netsh ipsec static add policy name="Lab subnet" description="gw side of the interop lab" activatedefaultrule=no
netsh ipsec static add filterlist name="Lab subnet"
netsh ipsec static add filter filterlist="Lab subnet" srcaddr=me dstaddr=192.0.2.0 dstmask=255.255.255.0 protocol=any mirrored=yes
netsh ipsec static add filterlist name="ICMP"
netsh ipsec static add filter filterlist="ICMP" srcaddr=me dstaddr=192.0.2.0 dstmask=255.255.255.0 protocol=icmp mirrored=yes
netsh ipsec static add filterlist name="Telnet"
netsh ipsec static add filter filterlist="Telnet" srcaddr=me dstaddr=192.0.2.0 dstmask=255.255.255.0 protocol=tcp dstport=23 mirrored=yes
netsh ipsec static add filteraction name="Require ESP 3DES" action=negotiate qmsecmethods="ESP[3DES,SHA1]" inpass=no soft=no
netsh ipsec static add filteraction name="Permit" action=permit
netsh ipsec static add filteraction name="Block" action=block
netsh ipsec static add rule name="Lab subnet" policy="Lab subnet" filterlist="Lab subnet" filteraction="Require ESP 3DES" psk="lab-only-key-7"
netsh ipsec static add rule name="ICMP in clear" policy="Lab subnet" filterlist="ICMP" filteraction="Permit"
netsh ipsec static add rule name="No telnet" policy="Lab subnet" filterlist="Telnet" filteraction="Block"
netsh ipsec static set policy name="Lab subnet" assign=yes
