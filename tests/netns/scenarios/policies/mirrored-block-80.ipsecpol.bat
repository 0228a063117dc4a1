rem `+` is mirrored: any:* -> me:80 and its mirror me:80 -> any:*.
ipsecpol -w REG -p "Mirrored" -r "Web" -f *+0:80:TCP -n BLOCK -x
