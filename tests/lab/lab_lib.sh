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
#
# Every command the lab runs costs the emulated guest ~25-60 ms (a dynamic
# exec under TCG), hundreds per scenario, so the helpers here wait with
# shell builtins (lab_nap, /proc reads) rather than `sleep`, `seq` and
# `grep` loops, and batch their `ip` commands.
set -u

lab_here=$(cd "${BASH_SOURCE[0]%/*}" && pwd)
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
lab_t0=${EPOCHREALTIME/./}
lab_elapsed() { # seconds since the scenario started, one decimal
    local tenths=$(((${EPOCHREALTIME/./} - lab_t0) / 100000))
    echo "$((tenths / 10)).$((tenths % 10))"
}
lab_capture_pid=

# lab_nap SECONDS: sleep without starting a process - read times out on a
# pipe that this shell holds open for writing, so nothing ever arrives.
exec {lab_nap_fd}<> <(:)
lab_nap() { read -r -t "$1" -u "$lab_nap_fd" _; return 0; }

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

lab_namespaces=(wire gw win other)

# On any exit, a failed start included: the evidence first, then the charons
# and namespaces go.
lab_cleanup() {
    lab_save_logs
    lab_stop_charons
    ip -force -batch - <<< "$(printf 'netns delete %s\n' "${lab_namespaces[@]}")" 2> /dev/null
    charon_lab_cleanup > /dev/null
}
trap lab_cleanup EXIT

# One `ip -batch` per namespace instead of an `ip` per link and address.
lab_topology() {
    ip -batch - <<< "$(printf 'netns add %s\n' "${lab_namespaces[@]}")" || return 1
    local host
    {
        echo "link set lo up"
        echo "link add br0 type bridge"
        echo "link set br0 up"
        for host in gw win other; do
            echo "link add to-$host type veth peer name eth0 netns $host"
            echo "link set to-$host master br0"
            echo "link set to-$host up"
        done
    } | ip -n wire -batch - || return 1
    for host in gw win other; do
        printf '%s\n' "link set lo up" "addr add ${lab_addr[$host]}/24 dev eth0" "link set eth0 up" |
            ip -n $host -batch - || return 1
    done
}

# lab_charon_launch NAME: start charon NAME in namespace NAME as
# charon_lab_start does (its strongswan.conf, its private /run), without
# waiting for it.
lab_charon_launch() {
    local name=$1 dir=$CHARON_LAB_DIR/$1
    rm -rf "$dir" && mkdir -p "$dir" || return 1
    charon_lab_write_conf "$dir" "$CHARON_LAB_BASE_PLUGINS kernel-netlink socket-default vici" ""
    ip netns exec "$name" unshare -m --propagation private sh -c \
        "mount -t tmpfs -o mode=755 charon-lab-$name /run && exec env STRONGSWAN_CONF=$dir/strongswan.conf $CHARON_LAB_CHARON" \
        > "$dir/charon.out" 2>&1 &
    CHARON_LAB_PIDS[$name]=$!
}

# 0 when charon NAME listens on its VICI socket: its namespace's
# /proc/net/unix lists the socket with the listening flag (00010000). Read by
# the shell; charon_lab_start's `swanctl --stats` costs ~0.5 s emulated.
lab_charon_listens() {
    local sock=$CHARON_LAB_DIR/$1/charon.vici num refs proto flags rest
    while read -r num refs proto flags rest; do
        [ "$flags" = 00010000 ] && [ "${rest##* }" = "$sock" ] && return 0
    done < "/proc/${CHARON_LAB_PIDS[$1]}/net/unix" 2> /dev/null
    return 1
}

# charon for gw and win, each in its namespace, kernel-netlink (kernel ESP).
# Both start at once: most of a start-up (~1-2 s) is loading plugins over
# 9p, which the other one's start overlaps.
lab_charons() {
    echo "== topology ready (at $(lab_elapsed) s)" >> "$result/commands.log"
    lab_charon_launch gw && lab_charon_launch win || return 1
    local name i ready
    for ((i = 0; i < 200; i++)); do
        ready=0
        for name in gw win; do
            if lab_charon_listens "$name"; then
                ready=$((ready + 1))
            elif ! kill -0 "${CHARON_LAB_PIDS[$name]}" 2> /dev/null; then
                echo "charon lab: charon '$name' exited during start-up:"
                tail -n 20 "$CHARON_LAB_DIR/$name/charon.out" "$CHARON_LAB_DIR/$name/charon.log" 2> /dev/null
                return 1
            fi
        done
        [ $ready = 2 ] && break
        lab_nap 0.05
    done
    if [ $ready != 2 ]; then
        echo "charon lab: the charons did not listen on their VICI sockets within 10 s"
        return 1
    fi
    echo "== charons ready (at $(lab_elapsed) s)" >> "$result/commands.log"
}

# Both charons shut down at once (each takes about a second emulated), given
# 5 s before SIGKILL as charon_lab_stop does; they are this shell's children.
lab_stop_charons() {
    local name pid i
    for pid in "${CHARON_LAB_PIDS[@]}"; do kill -TERM "$pid" 2> /dev/null; done
    for name in "${!CHARON_LAB_PIDS[@]}"; do
        pid=${CHARON_LAB_PIDS[$name]}
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2> /dev/null || break
            lab_nap 0.05
        done
        kill -0 "$pid" 2> /dev/null && kill -KILL "$pid"
        wait "$pid" 2> /dev/null
        unset "CHARON_LAB_PIDS[$name]"
    done
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
    : > "$result/tcpdump.err"
    ip netns exec wire tcpdump -n -l -i br0 -Z root > "$result/wire.txt" 2> "$result/tcpdump.err" &
    lab_capture_pid=$!
    local i line
    for ((i = 0; i < 100; i++)); do
        while read -r line; do
            [[ $line == "listening on"* ]] && return 0
        done < "$result/tcpdump.err"
        lab_nap 0.05
    done
    echo "# tcpdump did not start: $(< "$result/tcpdump.err")"
    return 1
}

lab_capture_stop() {
    [ -n "$lab_capture_pid" ] || return 0
    lab_nap 0.3 # the last packets reach the file
    kill -INT "$lab_capture_pid" 2> /dev/null
    wait "$lab_capture_pid" 2> /dev/null
    lab_capture_pid=
}

# Lines of the capture matching an extended regex; 0 when none.
wire_count() { grep -cE -- "$1" "$result/wire.txt"; }

# lab_bound PID udp|tcp PORT: wait (up to 5 s) until process PID, a
# packet_probe receiver started by `ip netns exec` (which keeps the pid), has
# bound PORT in its namespace - listening, for TCP. packet_probe binds IPv6
# (dual-stack), so /proc/PID/net/udp6 or tcp6 shows it; before `ip netns
# exec` has entered the namespace, those files are the other namespace's.
# 1 when the process ended first.
lab_bound() {
    local pid=$1 proto=$2 port i sl local remote state rest
    printf -v port '%04X' "$3"
    for ((i = 0; i < 500; i++)); do
        while read -r sl local remote state rest; do
            [ "${local##*:}" = "$port" ] && { [ "$proto" = udp ] || [ "$state" = 0A ]; } && return 0
        done < "/proc/$pid/net/${proto}6" 2> /dev/null
        kill -0 "$pid" 2> /dev/null || return 1
        lab_nap 0.01
    done
    return 1
}

# udp FROM TO PORT [TRIES [ADDRESS]]: prints the number of datagrams sent
# until one arrived, or "lost". TRIES 1 (the default): one datagram, 1 s to
# arrive. A flow that must first bring up IKE takes TRIES > 1: the kernel
# drops its first packet while the SA is negotiated (larval state), so a
# datagram leaves every 0.2 s until one arrives, for up to TRIES seconds -
# IKE takes ~0.5 s emulated, and one datagram a second wasted most of one.
# ADDRESS: send to this address of TO instead of its wire address. The first
# datagram leaves once the receiver is bound (lab_bound), not after a guess.
udp() {
    local from=$1 to=$2 port=$3 tries=${4:-1} address=${5:-${lab_addr[$2]}} sent waiter
    ip netns exec "$to" "$probe" recv udp "$port" $((tries * 1000)) &
    waiter=$!
    lab_bound $waiter udp "$port"
    for ((sent = 1; ; sent++)); do
        in_ns "$from" "$probe" send udp "$address" "$port" > /dev/null 2>&1
        ((tries > 1 && sent < tries * 5)) || break
        lab_nap 0.2
        kill -0 $waiter 2> /dev/null || break
    done
    if wait $waiter; then
        echo "$sent"
        return 0
    fi
    echo lost
    return 1
}

# tcp FROM TO PORT [TIMEOUT_MS]: prints connected or failed.
tcp() {
    local from=$1 to=$2 port=$3 timeout=${4:-3000} waiter
    ip netns exec "$to" "$probe" accept tcp "$port" $((timeout + 500)) > /dev/null 2>&1 &
    waiter=$!
    lab_bound $waiter tcp "$port"
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
    local line n=0
    while read -r line; do
        [[ $line == *"$1"* && $line =~ packets\ ([0-9]+)\ bytes ]] && n=$((n + BASH_REMATCH[1]))
    done < <(in_ns gw "$winipsec" show --counters)
    echo $n
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
        [ -e "/run/netns/$name" ] || continue
        {
            echo "== ip xfrm state"
            ip -n $name -s xfrm state
            echo "== ip xfrm policy"
            ip -n $name xfrm policy
            # The kernel's IPsec drop counters, read through the namespace's
            # charon: e.g. XfrmAcquireError counts ESP that arrived for an SPI
            # charon had only reserved (ALLOCSPI), its SA not yet installed.
            local pid=${CHARON_LAB_PIDS[$name]:-} counter value
            if [ -n "$pid" ] && [ -r "/proc/$pid/net/xfrm_stat" ]; then
                echo "== /proc/net/xfrm_stat, counters above 0"
                while read -r counter value; do
                    [ "$value" != 0 ] && echo "$counter $value"
                done < "/proc/$pid/net/xfrm_stat"
            fi
        } > "$result/$name-xfrm.txt" 2>&1
    done
    [ -e /run/netns/gw ] && in_ns gw nft list ruleset > "$result/gw-nft.txt" 2>&1
}

charon_lab_check > /dev/null || {
    echo "# $(charon_lab_check)"
    exit 77
}
lab_topology || {
    echo "not ok - the lab topology could not be built"
    exit 1
}
