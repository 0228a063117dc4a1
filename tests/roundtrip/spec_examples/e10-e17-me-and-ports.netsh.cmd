rem Spec windows-ipsec.md E10 (me on a multi-homed host) and E17 (mirrored with both ports set).
netsh ipsec static add policy name="Ports"
netsh ipsec static add filter filterlist="SMB" srcaddr=me dstaddr=any protocol=TCP srcport=445
netsh ipsec static add filter filterlist="App" srcaddr=me dstaddr=10.0.0.9 protocol=UDP srcport=5000 dstport=6000
netsh ipsec static add filteraction name="Block" action=block
netsh ipsec static add filteraction name="Permit" action=permit
netsh ipsec static add rule name="SMB" policy="Ports" filterlist="SMB" filteraction="Block"
netsh ipsec static add rule name="App" policy="Ports" filterlist="App" filteraction="Permit"
netsh ipsec static set policy name="Ports" assign=yes
