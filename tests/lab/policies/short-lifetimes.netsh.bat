rem gw (192.0.2.1) and the Windows host with lifetimes far below Windows' minimums, so that SAs are
rem replaced while traffic flows: quick mode every ~18 s, main mode every ~54 s. The lab's scenario 9.
netsh ipsec static add policy name="Lab short lifetimes" mmlifetime=1 activatedefaultrule=no
netsh ipsec static add filterlist name="Windows host"
netsh ipsec static add filter filterlist="Windows host" srcaddr=me dstaddr=192.0.2.2 protocol=any mirrored=yes
netsh ipsec static add filteraction name="ESP, 20 s" action=negotiate qmsecmethods="ESP[3DES,SHA1]:100000k/20s" inpass=no soft=no
netsh ipsec static add rule name="Windows host" policy="Lab short lifetimes" filterlist="Windows host" filteraction="ESP, 20 s" psk="lab-only-key-7"
netsh ipsec static set policy name="Lab short lifetimes" assign=yes
