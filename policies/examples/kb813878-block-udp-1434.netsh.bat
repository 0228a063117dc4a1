@echo off
rem The KB 813878 Slammer block written for netsh (Windows Server 2003 and later):
rem two one-way (mirrored=no) filters, inbound to UDP 1434 and outbound to UDP 1434.
netsh ipsec static add policy name="Block UDP 1434 Filter" description="KB 813878" activatedefaultrule=no
netsh ipsec static add filteraction name="Block" action=block
netsh ipsec static add filterlist name="Inbound UDP 1434"
netsh ipsec static add filter filterlist="Inbound UDP 1434" srcaddr=any dstaddr=me protocol=UDP dstport=1434 mirrored=no
netsh ipsec static add filterlist name="Outbound UDP 1434"
netsh ipsec static add filter filterlist="Outbound UDP 1434" srcaddr=me dstaddr=any protocol=UDP dstport=1434 mirrored=no
netsh ipsec static add rule name="Block Inbound UDP 1434 Rule" policy="Block UDP 1434 Filter" filterlist="Inbound UDP 1434" filteraction="Block"
netsh ipsec static add rule name="Block Outbound UDP 1434 Rule" policy="Block UDP 1434 Filter" filterlist="Outbound UDP 1434" filteraction="Block"
netsh ipsec static set policy name="Block UDP 1434 Filter" assign=yes
