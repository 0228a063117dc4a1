rem gw (192.0.2.1) joins its LAN 198.51.100.0/24 to the Windows host's LAN 203.0.113.0/24 through an
rem ESP tunnel: one rule per direction, each naming the tunnel endpoint the traffic goes to (spec
rem §8.6, E12). The lab's scenario 6.
netsh ipsec static add policy name="Lab tunnel" activatedefaultrule=no
netsh ipsec static add filterlist name="To branch"
netsh ipsec static add filter filterlist="To branch" srcaddr=198.51.100.0 srcmask=24 dstaddr=203.0.113.0 dstmask=24 protocol=any mirrored=no
netsh ipsec static add filterlist name="From branch"
netsh ipsec static add filter filterlist="From branch" srcaddr=203.0.113.0 srcmask=24 dstaddr=198.51.100.0 dstmask=24 protocol=any mirrored=no
netsh ipsec static add filteraction name="Require ESP 3DES" action=negotiate qmsecmethods="ESP[3DES,SHA1]" inpass=no soft=no
netsh ipsec static add rule name="To branch" policy="Lab tunnel" filterlist="To branch" filteraction="Require ESP 3DES" tunnel=192.0.2.2 psk="lab-only-key-7"
netsh ipsec static add rule name="From branch" policy="Lab tunnel" filterlist="From branch" filteraction="Require ESP 3DES" tunnel=192.0.2.1 psk="lab-only-key-7"
netsh ipsec static set policy name="Lab tunnel" assign=yes
