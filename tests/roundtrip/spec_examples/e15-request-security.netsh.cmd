rem Spec windows-ipsec.md E15: request security (inpass + soft).
netsh ipsec static add policy name="Request" description="Request security for everyone"
netsh ipsec static add filterlist name="Everyone" description="all traffic of this computer"
netsh ipsec static add filter filterlist="Everyone" srcaddr=me dstaddr=any description="me to anyone"
netsh ipsec static add filteraction name="Request" action=negotiate inpass=yes soft=yes qmsecmethods="ESP[3DES,SHA1] AH[SHA1]"
netsh ipsec static add rule name="Request" policy="Request" filterlist="Everyone" filteraction="Request" description="try IPsec, fall back to clear"
netsh ipsec static set policy name="Request" assign=yes
