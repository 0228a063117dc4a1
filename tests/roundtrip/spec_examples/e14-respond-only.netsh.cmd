rem Spec windows-ipsec.md E14: "Client (Respond Only)": only the default response rule is active.
netsh ipsec static add policy name="Client (Respond Only)" activatedefaultrule=yes
netsh ipsec static set defaultrule policy="Client (Respond Only)" qmpfs=yes qmsecmethods="ESP[3DES,SHA1] AH[SHA1]" psk="respond"
netsh ipsec static set policy name="Client (Respond Only)" assign=yes
