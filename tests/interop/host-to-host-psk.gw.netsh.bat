@echo off
rem Transport mode between the lab's two hosts: everything between the Linux
rem gateway (me, 192.0.2.10) and 192.0.2.20 negotiates ESP with a pre-shared
rem key. kernel-libipsec carries tunnel mode only and this kernel has no ESP,
rem so the interop lab checks that this loads into charon and how far IKE gets.
netsh ipsec static add policy name="Hosts" mmsecmethods="3DES-SHA1-2 3DES-MD5-2" activatedefaultrule=no
netsh ipsec static add filterlist name="Peer"
netsh ipsec static add filter filterlist="Peer" srcaddr=me dstaddr=192.0.2.20 protocol=ANY mirrored=yes
netsh ipsec static add filteraction name="Require 3DES" action=negotiate qmsecmethods="ESP[3DES,SHA1] ESP[3DES,MD5]"
netsh ipsec static add rule name="Peer" policy="Hosts" filterlist="Peer" filteraction="Require 3DES" kerberos=no psk="host-key"
netsh ipsec static set policy name="Hosts" assign=yes
