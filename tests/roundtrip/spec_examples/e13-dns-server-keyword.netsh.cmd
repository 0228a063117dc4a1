rem Spec windows-ipsec.md E13: DNS server keyword (WS2003+), with a permit action.
netsh ipsec static add policy name="Infra"
netsh ipsec static add filter filterlist="Infra" srcaddr=DNS dstaddr=me protocol=UDP srcport=53
netsh ipsec static add filter filterlist="Infra" srcaddr=me dstaddr=GATEWAY
netsh ipsec static add filteraction name="Permit" action=permit
netsh ipsec static add rule name="Infra" policy="Infra" filterlist="Infra" filteraction="Permit"
netsh ipsec static set policy name="Infra" assign=yes
