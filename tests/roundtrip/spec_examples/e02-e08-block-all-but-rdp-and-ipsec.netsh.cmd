rem Spec windows-ipsec.md E2 (block everything except RDP) with E8 (ESP and AH through the block-all).
netsh ipsec static add policy name="Lockdown"
netsh ipsec static add filter filterlist="All" srcaddr=any dstaddr=me
netsh ipsec static add filter filterlist="RDP" srcaddr=any dstaddr=me protocol=TCP dstport=3389
netsh ipsec static add filteraction name="Block" action=block
netsh ipsec static add filteraction name="Permit" action=permit
netsh ipsec static add rule name="r1" policy="Lockdown" filterlist="All" filteraction="Block"
netsh ipsec static add rule name="r2" policy="Lockdown" filterlist="RDP" filteraction="Permit"
netsh ipsec static add filter filterlist="IPsecPass" srcaddr=any dstaddr=me protocol=50
netsh ipsec static add filter filterlist="IPsecPass" srcaddr=any dstaddr=me protocol=51
netsh ipsec static add rule name="pass-ipsec" policy="Lockdown" filterlist="IPsecPass" filteraction="Permit"
netsh ipsec static set policy name="Lockdown" assign=yes
