rem Spec windows-ipsec.md E11: conflicting filters of different specificity (C, B, A).
netsh ipsec static add policy name="Nested"
netsh ipsec static add filter filterlist="A" srcaddr=me dstaddr=10.0.0.0 dstmask=255.0.0.0
netsh ipsec static add filter filterlist="B" srcaddr=me dstaddr=10.0.0.53
netsh ipsec static add filter filterlist="C" srcaddr=me dstaddr=10.0.0.53 protocol=TCP dstport=23
netsh ipsec static add filteraction name="Require ESP" action=negotiate qmsecmethods="ESP[3DES,SHA1] ESP[3DES,MD5]"
netsh ipsec static add filteraction name="Permit" action=permit
netsh ipsec static add filteraction name="Block" action=block
netsh ipsec static add rule name="A" policy="Nested" filterlist="A" filteraction="Require ESP" rootca="CN=Corp Root CA, O=Example certmap:yes excludecaname:no" kerberos=yes
netsh ipsec static add rule name="B" policy="Nested" filterlist="B" filteraction="Permit"
netsh ipsec static add rule name="C" policy="Nested" filterlist="C" filteraction="Block"
netsh ipsec static set policy name="Nested" assign=yes
