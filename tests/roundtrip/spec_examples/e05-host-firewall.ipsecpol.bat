rem Spec windows-ipsec.md E5: block everything, permit HTTP and HTTPS mirrored.
ipsecpol -w REG -p "HostFW" -r "Default block" -f 0+* -n BLOCK
ipsecpol -w REG -p "HostFW" -r "Web" -f 0:80+*::TCP 0:443+*::TCP -n PASS
ipsecpol -w REG -p "HostFW" -x
