rem The WINDOWS host's own export (192.0.2.2): it requires ESP[3DES,SHA1] for everything with gw
rem 192.0.2.1. gw applies it as the Windows host's counterpart (winipsec apply --as-peer-of
rem 192.0.2.2). The lab's scenario 7.
netsh ipsec static add policy name="Secure gateway" description="exported on the Windows host" activatedefaultrule=no
netsh ipsec static add filterlist name="Gateway"
netsh ipsec static add filter filterlist="Gateway" srcaddr=me dstaddr=192.0.2.1 protocol=any mirrored=yes
netsh ipsec static add filteraction name="Require ESP 3DES" action=negotiate qmsecmethods="ESP[3DES,SHA1]" inpass=no soft=no
netsh ipsec static add rule name="Gateway" policy="Secure gateway" filterlist="Gateway" filteraction="Require ESP 3DES" psk="lab-only-key-7"
netsh ipsec static set policy name="Secure gateway" assign=yes
