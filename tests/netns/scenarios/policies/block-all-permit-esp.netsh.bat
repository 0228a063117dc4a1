rem Spec example E8: ESP (protocol 50) permitted through a block-all.
netsh ipsec static add policy name="Lockdown" activatedefaultrule=no
netsh ipsec static add filteraction name="Block" action=block
netsh ipsec static add filteraction name="Permit" action=permit
netsh ipsec static add filter filterlist="All" srcaddr=any dstaddr=me
netsh ipsec static add filter filterlist="IPsecPass" srcaddr=any dstaddr=me protocol=50
netsh ipsec static add rule name="lock" policy="Lockdown" filterlist="All" filteraction="Block"
netsh ipsec static add rule name="pass-esp" policy="Lockdown" filterlist="IPsecPass" filteraction="Permit"
netsh ipsec static set policy name="Lockdown" assign=yes
