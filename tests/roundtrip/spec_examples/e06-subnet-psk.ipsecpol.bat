rem Spec windows-ipsec.md E6: all traffic with 10.1.0.0/16 ESP 3DES/SHA-1, PSK.
ipsecpol -w REG -p "Corp" -r "LAN" -f 0+10.1.0.0/255.255.0.0 -n ESP[3DES,SHA] -a PRESHARE:"k3y" -1s 3DES-SHA-2 -x
