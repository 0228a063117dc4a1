@echo off
rem KB 813878, "How to block specific network protocols and ports by using IPSec":
rem block SQL Slammer (UDP 1434) in both directions with two one-way filters.
rem `*=0` is any -> me (inbound), `0=*` is me -> any (outbound); -x assigns the policy.
IPSeccmd.exe -w REG -p "Block UDP 1434 Filter" -r "Block Inbound UDP 1434 Rule" -f *=0:1434:UDP -n BLOCK -x
IPSeccmd.exe -w REG -p "Block UDP 1434 Filter" -r "Block Outbound UDP 1434 Rule" -f 0=*:1434:UDP -n BLOCK
