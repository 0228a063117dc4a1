netsh ipsec static add policy name="Broken" assign=yes
netsh ipsec static add filter filterlist="All" srcaddr=any dstaddr=me protocl=TCP
netsh ipsec static add rule name="r" policy="Broken" filterlist="All" filteraction="Missing"
