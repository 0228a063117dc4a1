# lab_lib.sh - what every lab scenario shares, sourced INSIDE the lab VM
# (the kernel there has ESP). A scenario script is run by lab_guest.sh as
#   bash scenarios/NAME.sh
# with LAB_WINIPSEC, LAB_PROBE (tests/tools/packet_probe) and LAB_RESULT (a
# directory that comes back to the host) in the environment. It sources this
# file, which builds the topology:
#
#   namespace  address (dev eth0)  role
#   gw         192.0.2.1/24        winipsec apply + charon (kernel-netlink)
#   win        192.0.2.2/24        charon configured by hand as the Windows host
#   other      192.0.2.3/24        a host without IPsec
#   wire       bridge br0          tcpdump sees every packet between them
#
# Capturing on the bridge in a namespace of its own shows the packets as they
# cross the wire: an endpoint's own interface would also show the decrypted
# inner packets the kernel re-injects there.
#
# Checks print "ok - WHAT" or "not ok - WHAT" and finish prints the closing
# "N passed, N failed" line; the scenario's exit status is 0 only when every
# check passed.
set -u

lab_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab_policies=$lab_here/policies
lab_win_confs=$lab_here/win
winipsec=$LAB_WINIPSEC
probe=$LAB_PROBE
result=$LAB_RESULT
mkdir -p "$result"

# The charon harness of the ike suite; its state lives on the VM's /tmp (the
# VICI socket cannot live on the 9p share), the logs are copied to $result.
export CHARON_LAB_DIR=/tmp/lab-charons
. "$lab_here/../ike/charon_lab.sh"

lab_passed=0
lab_failed=0
lab_t0=$EPOCHREALTIME
lab_elapsed() { awk -v a="$lab_t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
lab_capture_pid=

declare -A lab_addr=([gw]=192.0.2.1 [win]=192.0.2.2 [other]=192.0.2.3)

note() { echo "# $*"; }

# check WHAT COMMAND... : passes when COMMAND succeeds. Its output goes to
# $result/commands.log; a failure also shows the output's last lines.
check() {
    local what=$1 out rc
    shift
    out=$("$@" 2>&1)
    rc=$?
    printf '== %s (at %s s)\n$ %s\n%s\n(exit %s)\n' "$what" "$(lab_elapsed)" "$*" "$out" "$rc" >> "$result/commands.log"
    if [ $rc -eq 0 ]; then
        lab_passed=$((lab_passed + 1))
        echo "ok - $what"
    else
        lab_failed=$((lab_failed + 1))
        echo "not ok - $what (exit $rc)"
        [ -n "$out" ] && tail -n 8 <<< "$out" | sed 's/^/#   /'
    fi
    return $rc
}

expect() { # expect WHAT ACTUAL WANTED
    if [ "$2" = "$3" ]; then
        lab_passed=$((lab_passed + 1))
        echo "ok - $1 ($2)"
    else
        lab_failed=$((lab_failed + 1))
        echo "not ok - $1 (got '$2', want '$3')"
    fi
}

expect_at_least() { # expect_at_least WHAT ACTUAL MINIMUM
    if [ "${2:-0}" -ge "$3" ] 2> /dev/null; then
        lab_passed=$((lab_passed + 1))
        echo "ok - $1 ($2 >= $3)"
    else
        lab_failed=$((lab_failed + 1))
        echo "not ok - $1 (got '$2', want at least $3)"
    fi
}

finish() {
    echo "$lab_passed passed, $lab_failed failed"
    [ "$lab_failed" -eq 0 ]
}

in_ns() { # in_ns NS COMMAND...
    local ns=$1
    shift
    ip netns exec "$ns" "$@"
}

# On any exit, a failed start included: the evidence first, then the charons
# and namespaces go.
lab_cleanup() {
    lab_save_logs
    # Both charons shut down at once (each takes a second when emulated).
    local pid
    for pid in "${CHARON_LAB_PIDS[@]}"; do kill -TERM "$pid" 2> /dev/null; done
    charon_lab_cleanup > /dev/null
}
trap lab_cleanup EXIT

lab_topology() {
    charon_lab_netns wire || return 1
    ip -n wire link add br0 type bridge && ip -n wire link set br0 up
    local host
    for host in gw win other; do
        charon_lab_netns $host || return 1
        ip -n $host link add eth0 type veth peer name "to-$host" netns wire &&
            ip -n $host addr add "${lab_addr[$host]}/24" dev eth0 &&
            ip -n $host link set eth0 up &&
            ip -n wire link set "to-$host" master br0 &&
            ip -n wire link set "to-$host" up || return 1
    done
}

# charon for gw and win, each in its namespace, kernel-netlink (kernel ESP).
lab_charons() {
    echo "== topology ready (at $(lab_elapsed) s)" >> "$result/commands.log"
    charon_lab_start gw gw "$@" || return 1
    charon_lab_start win win "$@" || return 1
    echo "== charons ready (at $(lab_elapsed) s)" >> "$result/commands.log"
}

gw_uri() { charon_lab_uri gw; }

# winipsec in gw, talking to gw's charon; prints winipsec's output.
gw_winipsec() {
    local verb=$1
    shift
    in_ns gw "$winipsec" "$verb" --vici "$(gw_uri)" "$@"
}

# Load a hand-written Windows-side configuration into win's charon.
win_load() { # win_load CONF (a file in tests/lab/win/)
    charon_lab_swanctl win --load-all --file "$lab_win_confs/$1"
}

win_swanctl() { charon_lab_swanctl win "$@"; }
gw_swanctl() { charon_lab_swanctl gw "$@"; }

# tcpdump on the wire, everything, into $result/wire.txt.
lab_capture_start() {
    : > "$result/wire.txt"
    ip netns exec wire tcpdump -n -l -i br0 -Z root > "$result/wire.txt" 2> "$result/tcpdump.err" &
    lab_capture_pid=$!
    local i
    for i in $(seq 50); do
        grep -q 'listening on' "$result/tcpdump.err" 2> /dev/null && return 0
        sleep 0.1
    done
    echo "# tcpdump did not start: $(cat "$result/tcpdump.err")"
    return 1
}

lab_capture_stop() {
    [ -n "$lab_capture_pid" ] || return 0
    sleep 0.3 # the last packets reach the file
    kill -INT "$lab_capture_pid" 2> /dev/null
    wait "$lab_capture_pid" 2> /dev/null
    lab_capture_pid=
}

# Lines of the capture matching an extended regex; 0 when none.
wire_count() { grep -cE -- "$1" "$result/wire.txt"; }

# udp FROM TO PORT [TRIES [ADDRESS]]: one datagram per try (1 s to arrive)
# until one arrives; prints the try it arrived on, or "lost". The first
# packet of a flow that triggers IKE is dropped by the kernel while the SA is
# negotiated (larval state), so a flow that must come up takes TRIES > 1.
# ADDRESS: send to this address of TO instead of its wire address.
udp() {
    local from=$1 to=$2 port=$3 tries=${4:-1} address=${5:-${lab_addr[$2]}} i
    for i in $(seq "$tries"); do
        in_ns "$to" "$probe" recv udp "$port" 1000 &
        local waiter=$!
        sleep 0.1
        in_ns "$from" "$probe" send udp "$address" "$port" > /dev/null 2>&1
        if wait $waiter; then
            echo "$i"
            return 0
        fi
    done
    echo lost
    return 1
}

# tcp FROM TO PORT [TIMEOUT_MS]: prints connected or failed.
tcp() {
    local from=$1 to=$2 port=$3 timeout=${4:-3000}
    in_ns "$to" "$probe" accept tcp "$port" $((timeout + 500)) > /dev/null 2>&1 &
    local waiter=$!
    sleep 0.1
    if in_ns "$from" "$probe" connect tcp "${lab_addr[$to]}" "$port" "$timeout" > /dev/null 2>&1; then
        echo connected
    else
        echo failed
    fi
    kill $waiter 2> /dev/null
    wait $waiter 2> /dev/null
}

# ping_received FROM ADDRESS COUNT INTERVAL: echo replies received. The
# source address is given (-I): without it iputils' ping first connects a
# UDP socket to port 1025 of the target to learn its source address, and
# that connect() alone makes the kernel send an ACQUIRE when a negotiate
# policy covers UDP (seen in permit_and_block_inside_negotiate).
ping_received() {
    in_ns "$1" ping -n -q -c "$3" -i "$4" -W 1 -I "${lab_addr[$1]}" "$2" 2> /dev/null |
        sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# Packets counted by the rules of gw's nft table whose text has PATTERN,
# added up (one filter list can become several rules: e.g. a TCP and a UDP
# port filter of one list are two shape classes).
gw_counter() {
    in_ns gw "$winipsec" show --counters | grep -F -- "$1" |
        sed -n 's/.*packets \([0-9]*\) bytes.*/\1/p' | awk '{ n += $1 } END { print n + 0 }'
}

# ESP SAs in a namespace's kernel, with their mode ("transport"/"tunnel").
esp_states() { # esp_states NS MODE
    in_ns "$1" ip xfrm state | grep -c "proto esp .* mode $2"
}

lab_save_logs() {
    lab_capture_stop
    local name
    for name in gw win; do
        [ -f "$CHARON_LAB_DIR/$name/charon.log" ] && cp "$CHARON_LAB_DIR/$name/charon.log" "$result/$name-charon.log"
    done
    for name in gw win other; do
        ip netns list | grep -qw $name || continue
        {
            echo "== ip xfrm state"
            in_ns $name ip -s xfrm state
            echo "== ip xfrm policy"
            in_ns $name ip xfrm policy
        } > "$result/$name-xfrm.txt" 2>&1
    done
    in_ns gw nft list ruleset > "$result/gw-nft.txt" 2>&1
}

charon_lab_check > /dev/null || {
    echo "# $(charon_lab_check)"
    exit 77
}
lab_topology || {
    echo "not ok - the lab topology could not be built"
    exit 1
}
