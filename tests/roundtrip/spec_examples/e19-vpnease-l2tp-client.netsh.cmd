rem Spec windows-ipsec.md E19 / §3.7 (VPNease L2TP client policy), as netsh commands.
netsh ipsec static add policy name="VPNease" activatedefaultrule=no
netsh ipsec static add filter filterlist="L2TP" srcaddr=any dstaddr=203.0.113.10 protocol=UDP srcport=1701 dstport=0 mirrored=yes
netsh ipsec static add filteraction name="L2TP ESP" action=negotiate qmsecmethods="ESP[3DES,MD5]:300s"
netsh ipsec static add rule name="L2TP" policy="VPNease" filterlist="L2TP" filteraction="L2TP ESP" psk="secret"
netsh ipsec static set policy name="VPNease" assign=yes
