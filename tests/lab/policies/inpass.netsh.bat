rem gw (192.0.2.1) asks the Windows host 192.0.2.2 for ESP but accepts its clear traffic (inpass,
rem Windows' "accept unsecured communication, but always respond using IPsec"): what gw sends
rem back leaves protected. The lab's scenario 5.
netsh ipsec static add policy name="Lab inpass" activatedefaultrule=no
netsh ipsec static add filterlist name="Windows host"
netsh ipsec static add filter filterlist="Windows host" srcaddr=me dstaddr=192.0.2.2 protocol=any mirrored=yes
netsh ipsec static add filteraction name="Accept clear, answer with ESP" action=negotiate qmsecmethods="ESP[3DES,SHA1]" inpass=yes soft=no
netsh ipsec static add rule name="Windows host" policy="Lab inpass" filterlist="Windows host" filteraction="Accept clear, answer with ESP" psk="lab-only-key-7"
netsh ipsec static set policy name="Lab inpass" assign=yes
