@echo off
rem Site-to-site tunnel, HQ side: the Linux gateway 192.0.2.10 protecting
rem 198.51.100.0/24, towards the branch office (Windows Server 2003, 192.0.2.20,
rem protecting 203.0.113.0/24); pre-shared key. Windows needs one rule per
rem direction, each with a non-mirrored filter list and the tunnel endpoint the
rem traffic goes to (spec 8.6, E12). Used by the interop lab (tests/interop):
rem   winipsec apply site-to-site-psk.gw.netsh.bat --me 192.0.2.10 --initiate
netsh ipsec static add policy name="HQ-Branch" description="Tunnel to the branch office" mmsecmethods="3DES-SHA1-2 3DES-MD5-2" mmlifetime=480 activatedefaultrule=no
netsh ipsec static add filterlist name="HQ to Branch"
netsh ipsec static add filterlist name="Branch to HQ"
netsh ipsec static add filter filterlist="HQ to Branch" srcaddr=198.51.100.0 srcmask=255.255.255.0 dstaddr=203.0.113.0 dstmask=255.255.255.0 protocol=ANY mirrored=no
netsh ipsec static add filter filterlist="Branch to HQ" srcaddr=203.0.113.0 srcmask=255.255.255.0 dstaddr=198.51.100.0 dstmask=255.255.255.0 protocol=ANY mirrored=no
netsh ipsec static add filteraction name="Require 3DES" action=negotiate qmsecmethods="ESP[3DES,SHA1]:100000k/3600s ESP[3DES,MD5]"
netsh ipsec static add rule name="HQ to Branch" policy="HQ-Branch" filterlist="HQ to Branch" filteraction="Require 3DES" tunnel=192.0.2.20 kerberos=no psk="branch-office-key"
netsh ipsec static add rule name="Branch to HQ" policy="HQ-Branch" filterlist="Branch to HQ" filteraction="Require 3DES" tunnel=192.0.2.10 kerberos=no psk="branch-office-key"
netsh ipsec static set policy name="HQ-Branch" assign=yes
