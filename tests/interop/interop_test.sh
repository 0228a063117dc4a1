#!/usr/bin/env bash
# The 'interop' suite: winipsec on a Linux gateway against a peer that behaves
# as Windows Server 2003 does, over real IKEv1 and userspace ESP.
#
#   198.51.100.1/24 [gw] 192.0.2.10 ---- veth ---- 192.0.2.20 [win] 203.0.113.1/24
#
# Both namespaces run their own charon through tests/ike/charon_lab.sh with
# kernel-libipsec (this kernel has no ESP; 5.9.8's libipsec is tunnel-only,
# always UDP-encapsulated, and never triggers on traffic, so gw initiates with
# `apply --initiate`). "win" is configured by hand from the Windows
# specification (windows-2003-*.swanctl.conf here), never from winipsec's
# output. charon retransmits quickly here (3 tries in ~4 s instead of 165 s)
# so that the negative cases end fast.
#
# Usage: interop_test.sh WINIPSEC SOURCE_ROOT. Skips (77) without root,
# strongSwan, jq or python3. CHARON_LAB_KEEP=1 keeps the charon logs.
winipsec=${1:?usage: interop_test.sh WINIPSEC SOURCE_ROOT}
root=${2:?usage: interop_test.sh WINIPSEC SOURCE_ROOT}
here=$root/tests/interop
examples=$root/policies/examples
. "$root/tests/ike/charon_lab.sh"

if ! why=$(charon_lab_check); then
    echo "skipped: $why"
    exit 77
fi
for tool in jq python3 swanctl; do
    command -v $tool > /dev/null || { echo "skipped: the interop lab needs $tool"; exit 77; }
done
if [ ! -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ]; then
    echo "skipped: kernel-libipsec missing (apt-get install libcharon-extra-plugins)"
    exit 77
fi

tmp=$(mktemp -d)
trap 'charon_lab_cleanup; rm -rf "$tmp"' EXIT
trap 'exit 143' TERM INT # meson's timeout: still clean up
ns_gw=iop-gw-$$ ns_win=iop-win-$$
charon_lab_netns "$ns_gw" && charon_lab_netns "$ns_win" || exit 1
charon_lab_link "$ns_gw" 192.0.2.10/24 "$ns_win" 192.0.2.20/24 || exit 1
# The protected LANs' own addresses sit on lo (this kernel has no dummy
# interfaces), as a gateway's LAN address on its LAN port.
charon_lab_addr "$ns_gw" 198.51.100.1/24 && charon_lab_addr "$ns_win" 203.0.113.1/24 || exit 1
cat > "$tmp/retransmit.conf" << 'EOF'
    retransmit_tries = 2
    retransmit_timeout = 1.0
    retransmit_base = 1.4
EOF
charon_lab_start gw "$ns_gw" --libipsec --conf "$tmp/retransmit.conf" || exit 1
charon_lab_start win "$ns_win" --libipsec --conf "$tmp/retransmit.conf" || exit 1
gw_uri=$(charon_lab_uri gw)

passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok: $what"
    else
        failed=$((failed + 1))
        echo "FAILED: $what"
    fi
}
contains() { grep -qF -- "$2" <<< "$1"; }

# The Windows end: exactly the connections and keys of FILE.
win_load() {
    charon_lab_swanctl win --load-conns --file "$1" > "$tmp/win-load.out" 2>&1 &&
        charon_lab_swanctl win --load-creds --clear --file "$1" >> "$tmp/win-load.out" 2>&1 ||
        { cat "$tmp/win-load.out"; return 1; }
}
# A variant of the Windows end's configuration: sed EXPRESSION on FILE.
win_variant() { sed "$2" "$1" > "$tmp/win-variant.conf" && echo "$tmp/win-variant.conf"; }

# Every SA down on both ends and nothing of winipsec's left on gw, so that
# each case negotiates from scratch.
reset_lab() {
    local name
    for name in gw win; do
        charon_lab_swanctl $name --list-sas 2> /dev/null | sed -n 's/^\([^ :]*\): #.*/\1/p' | sort -u |
            while read -r ike; do charon_lab_swanctl $name --terminate --ike "$ike" --force > /dev/null 2>&1; done
    done
    ip netns exec "$ns_gw" "$winipsec" flush --vici "$gw_uri" > /dev/null
}

# winipsec on gw: apply ARGS... --initiate; output in $out, status in $rc.
gw_apply() {
    out=$(ip netns exec "$ns_gw" "$winipsec" apply "$@" --vici "$gw_uri" --ipsec-stack libipsec --initiate 2>&1)
    rc=$?
    echo "$out" | sed 's/^/    | /'
}
# Packets winipsec's table accepted as protected because libipsec handed them
# back on its TUN device (they carry no secpath).
tun_accepted() {
    ip netns exec "$ns_gw" nft list chain inet winipsec input |
        awk '/iifname "ipsec0"/ { for (i = 1; i < NF; i++) if ($i == "packets") n += $(i + 1) } END { print n + 0 }'
}
gw_show_json() { ip netns exec "$ns_gw" "$winipsec" show --vici "$gw_uri" --json; }
# Established winipsec IKE SAs / installed children as winipsec show reports them.
ike_up() { [ "$(gw_show_json | jq '[.ike.ike_sas[] | select(.state == "ESTABLISHED" and .version == 1)] | length')" -ge 1 ]; }
no_ike_up() { ! ike_up; }
child_installed() {
    [ "$(gw_show_json | jq --arg c "$1" '[.ike.ike_sas[].child_sas[] | select(.name == $c and .state == "INSTALLED")] | length')" -ge 1 ]
}
no_child_installed() { [ "$(gw_show_json | jq '[.ike.ike_sas[].child_sas[]] | length')" -eq 0 ]; }
counter() { gw_show_json | jq --arg c "$1" "[.ike.ike_sas[].child_sas[] | select(.name == \$c) | .$2] | add // 0"; }
win_child_installed() { charon_lab_swanctl win --list-sas 2> /dev/null | grep -q "INSTALLED, TUNNEL"; }
gw_conns() { charon_lab_swanctl gw --list-conns 2> /dev/null | sed -n 's/^\([^ :]*\): IKEv.*/\1/p'; }

ping_through() { ip netns exec "$ns_gw" ping -c 3 -i 0.2 -W 2 -I 198.51.100.1 203.0.113.1 > /dev/null; }
udp_through() { # a datagram from 198.51.100.1 arrives at 203.0.113.1:5353 intact
    ip netns exec "$ns_win" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("203.0.113.1", 5353)); s.settimeout(5)
data, peer = s.recvfrom(100)
sys.exit(0 if data == b"winipsec interop" and peer[0] == "198.51.100.1" else 1)' &
    local receiver=$!
    sleep 0.5
    ip netns exec "$ns_gw" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.51.100.1", 0))
for _ in range(3): s.sendto(b"winipsec interop", ("203.0.113.1", 5353))'
    wait $receiver
}

# Traffic between the LANs goes through the CHILD_SA: it arrives, and the
# SA's counters move on both directions.
check_traffic() {
    local child=$1 out_before in_before tun_before
    out_before=$(counter "$child" packets_out)
    in_before=$(counter "$child" packets_in)
    tun_before=$(tun_accepted)
    check "$2: ping 198.51.100.1 -> 203.0.113.1 through the tunnel" ping_through
    check "$2: UDP 198.51.100.1 -> 203.0.113.1:5353 arrives" udp_through
    check "$2: the CHILD_SA counted >= 6 packets out and >= 3 in" \
        test $(($(counter "$child" packets_out) - out_before)) -ge 6 -a $(($(counter "$child" packets_in) - in_before)) -ge 3
    check "$2: winipsec's table let the replies in as protected (iifname ipsec0 counted >= 3)" \
        test $(($(tun_accepted) - tun_before)) -ge 3
}

site_child=winipsec-HQ-Branch-HQ_to_Branch-f1

echo "== site-to-site: gw applies its own netsh policy"
reset_lab
win_load "$here/windows-2003-branch.swanctl.conf" || exit 1
gw_apply "$examples/site-to-site-psk.gw.netsh.bat" --me 192.0.2.10
check "apply --initiate exits 0" test "$rc" -eq 0
check "apply --initiate says the child is up" contains "$out" "initiate $site_child: up 198.51.100.0/24 === 203.0.113.0/24"
check "an IKEv1 SA is established (winipsec show --json)" ike_up
check "the CHILD_SA is installed (winipsec show --json)" child_installed "$site_child"
check "the Windows end has the CHILD_SA installed" win_child_installed
check "the IKE SA uses the Windows default 3DES-SHA1-MODP1024" \
    test "$(gw_show_json | jq -r '.ike.ike_sas[0].proposal')" = "3DES_CBC-HMAC_SHA1_96-MODP_1024"
check_traffic "$site_child" "site-to-site"
show=$(ip netns exec "$ns_gw" "$winipsec" show --vici "$gw_uri")
check "winipsec show lists the IKE SA and the CHILD_SA" \
    contains "$show" "$site_child INSTALLED TUNNEL ESP"
gw_apply "$examples/site-to-site-psk.gw.netsh.bat" --me 192.0.2.10
check "applying again leaves the child up and does not initiate it again" \
    contains "$out" "initiate $site_child: up (already)"

echo "== re-apply with a changed policy: the stale connection is unloaded"
sed 's/rule name="HQ to Branch"/rule name="HQ to Branch v2"/' "$examples/site-to-site-psk.gw.netsh.bat" > "$tmp/gw-v2.netsh.bat"
gw_apply "$tmp/gw-v2.netsh.bat" --me 192.0.2.10
check "the renamed rule's child comes up" contains "$out" "initiate winipsec-HQ-Branch-HQ_to_Branch_v2-f1: up"
check "apply reports one connection unloaded" contains "$out" "1 connections and 1 keys unloaded"
conns=$(gw_conns)
check "charon holds only the new connection (list-conns)" test "$conns" = "winipsec-HQ-Branch-HQ_to_Branch_v2"
# unload-conn in charon 5.9.8 leaves the connection's SAs up; winipsec
# terminates them, so a dropped rule does not keep its tunnel.
stale_sa_gone() { ! charon_lab_swanctl gw --list-sas 2> /dev/null | grep -q '^winipsec-HQ-Branch-HQ_to_Branch:'; }
check "the unloaded connection's IKE SA is gone" stale_sa_gone

echo "== counterpart mode: gw imports the Windows host's own export"
reset_lab
check "flush unloaded every winipsec connection" test -z "$(gw_conns)"
# Only the outside address: the tunnel endpoints tie the Windows rules to us.
gw_apply "$examples/site-to-site-psk.windows.netsh.bat" --as-peer-of 192.0.2.20 --me 192.0.2.10
counterpart_child=winipsec-Branch-HQ-HQ_to_Branch-f1
check "apply --as-peer-of --initiate exits 0" test "$rc" -eq 0
check "the counterpart child is up" contains "$out" "initiate $counterpart_child: up 198.51.100.0/24 === 203.0.113.0/24"
check "an IKEv1 SA is established" ike_up
check "the Windows end has the CHILD_SA installed" win_child_installed
check_traffic "$counterpart_child" "counterpart"

echo "== negative: pre-shared key mismatch"
reset_lab
win_load "$(win_variant "$here/windows-2003-branch.swanctl.conf" 's/secret = "branch-office-key"/secret = "not-the-same-key"/')" || exit 1
gw_apply "$examples/site-to-site-psk.gw.netsh.bat" --me 192.0.2.10
check "apply --initiate exits 3" test "$rc" -eq 3
check "the cause is named: pre-shared key mismatch" contains "$out" "initiate $site_child: failed: pre-shared key mismatch"
check "the line names the Windows filter" contains "$out" "(Windows filter at $examples/site-to-site-psk.gw.netsh.bat:"
check "no IKE SA is established" no_ike_up
check "no CHILD_SA exists" no_child_installed

echo "== negative: main mode proposal mismatch (win accepts only aes256-sha256-modp2048)"
reset_lab
win_load "$(win_variant "$here/windows-2003-branch.swanctl.conf" 's/^\( *proposals = \).*/\1aes256-sha256-modp2048/')" || exit 1
gw_apply "$examples/site-to-site-psk.gw.netsh.bat" --me 192.0.2.10
check "apply --initiate exits 3" test "$rc" -eq 3
check "the cause is named: no proposal chosen in main mode, with our offers" \
    contains "$out" "failed: no proposal chosen: 192.0.2.20 accepted none of our main mode proposals (3des-sha1-modp1024, 3des-md5-modp1024)"
check "no CHILD_SA exists" no_child_installed

echo "== negative: quick mode proposal mismatch (win accepts only ESP aes256-sha256)"
reset_lab
win_load "$(win_variant "$here/windows-2003-branch.swanctl.conf" 's/^\( *esp_proposals = \).*/\1aes256-sha256/')" || exit 1
gw_apply "$examples/site-to-site-psk.gw.netsh.bat" --me 192.0.2.10
check "apply --initiate exits 3" test "$rc" -eq 3
check "the cause is named: no proposal chosen in quick mode" \
    contains "$out" "failed: no proposal chosen: main mode succeeded, but 192.0.2.20 accepted none of our quick mode proposals (ESP 3des-sha1, 3des-md5)"
check "no CHILD_SA exists" no_child_installed

echo "== negative: the Windows end protects another subnet"
reset_lab
win_load "$(win_variant "$here/windows-2003-branch.swanctl.conf" 's|^\( *remote_ts = \).*|\110.9.0.0/16|')" || exit 1
gw_apply "$examples/site-to-site-psk.gw.netsh.bat" --me 192.0.2.10
check "the cause is named: traffic selectors unacceptable" \
    contains "$out" "failed: traffic selectors unacceptable: 192.0.2.20 has no quick mode policy for 198.51.100.0/24 === 203.0.113.0/24"

echo "== transport mode: loads, negotiates, cannot be carried by kernel-libipsec"
reset_lab
win_load "$here/windows-2003-host.swanctl.conf" || exit 1
ip netns exec "$ns_gw" "$winipsec" translate --target swanctl --show-secrets --me 192.0.2.10 --no-host-lookups \
    "$here/host-to-host-psk.gw.netsh.bat" > "$tmp/host.swanctl.conf"
swanctl_load() { charon_lab_swanctl gw --load-all --file "$1" > "$tmp/swanctl.out" 2>&1 || { cat "$tmp/swanctl.out"; false; }; }
check "translate --target swanctl output loads with swanctl --load-all" swanctl_load "$tmp/host.swanctl.conf"
check "charon holds the transport connection" contains "$(charon_lab_swanctl gw --list-conns)" "winipsec-Hosts-Peer-f1: TRANSPORT"
echo 'secrets { }' > "$tmp/no-secrets.conf"
swanctl_load "$tmp/no-secrets.conf" # unloads swanctl's key (its connection goes with reset_lab's flush)
reset_lab
gw_apply "$here/host-to-host-psk.gw.netsh.bat" --me 192.0.2.10
check "apply --initiate exits 3: no transport SA on kernel-libipsec" test "$rc" -eq 3
check "the cause is named: the SA could not be installed, tunnel mode only" \
    contains "$out" "initiate winipsec-Hosts-Peer-f1: failed: quick mode succeeded, but charon could not install the transport SA in the kernel: kernel-libipsec carries tunnel mode only"
check "main mode with the Windows end completed" ike_up

echo "interop: $passed passed, $failed failed"
if [ $failed -ne 0 ]; then
    for name in gw win; do
        echo "---- charon $name log (last 30 lines)"
        tail -n 30 "$(charon_lab_log $name)"
    done
    exit 1
fi
exit 0
