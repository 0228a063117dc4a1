@echo off
rem Site-to-site tunnel, branch side, as the Windows Server 2003 gateway
rem 192.0.2.20 (protecting 203.0.113.0/24) holds it: its own rule pair towards HQ
rem 192.0.2.10 (198.51.100.0/24), same key and offers as site-to-site-psk.gw.
rem Feed it to the Linux HQ gateway in counterpart mode:
rem   winipsec apply site-to-site-psk.windows.netsh.bat --as-peer-of 192.0.2.20 --initiate
netsh ipsec static add policy name="Branch-HQ" description="Tunnel to headquarters" mmsecmethods="3DES-SHA1-2 3DES-MD5-2" mmlifetime=480 activatedefaultrule=no
netsh ipsec static add filterlist name="Branch to HQ"
netsh ipsec static add filterlist name="HQ to Branch"
netsh ipsec static add filter filterlist="Branch to HQ" srcaddr=203.0.113.0 srcmask=255.255.255.0 dstaddr=198.51.100.0 dstmask=255.255.255.0 protocol=ANY mirrored=no
netsh ipsec static add filter filterlist="HQ to Branch" srcaddr=198.51.100.0 srcmask=255.255.255.0 dstaddr=203.0.113.0 dstmask=255.255.255.0 protocol=ANY mirrored=no
netsh ipsec static add filteraction name="Require 3DES" action=negotiate qmsecmethods="ESP[3DES,SHA1]:100000k/3600s ESP[3DES,MD5]"
netsh ipsec static add rule name="Branch to HQ" policy="Branch-HQ" filterlist="Branch to HQ" filteraction="Require 3DES" tunnel=192.0.2.10 kerberos=no psk="branch-office-key"
netsh ipsec static add rule name="HQ to Branch" policy="Branch-HQ" filterlist="HQ to Branch" filteraction="Require 3DES" tunnel=192.0.2.20 kerberos=no psk="branch-office-key"
netsh ipsec static set policy name="Branch-HQ" assign=yes
