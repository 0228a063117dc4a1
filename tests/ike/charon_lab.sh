# charon_lab.sh - throw-away strongSwan charon daemons in network namespaces.
# Source it from bash (it sets no shell options of its own):
#
#   . tests/ike/charon_lab.sh
#   charon_lab_check || exit 77                  # root, charon, vici plugin, ip
#   trap charon_lab_cleanup EXIT
#   charon_lab_netns wl-gw-$$                    # a namespace with lo up
#   charon_lab_netns wl-win-$$
#   charon_lab_link wl-gw-$$ 192.0.2.1/24 wl-win-$$ 192.0.2.2/24
#   charon_lab_addr wl-gw-$$ 198.51.100.1/32     # e.g. an inner subnet on lo
#   charon_lab_start gw wl-gw-$$ --libipsec      # waits for its VICI socket
#   charon_lab_start win wl-win-$$ --libipsec
#   winipsec apply ... --vici "$(charon_lab_uri gw)"
#   charon_lab_swanctl win --load-all --file my-swanctl.conf
#
# Functions (all return non-zero and print the reason on failure):
#   charon_lab_check                 0 when the lab can run here; else prints
#                                    why (callers skip: exit 77)
#   charon_lab_netns NS              create namespace NS, loopback up
#   charon_lab_link NS_A ADDR_A NS_B ADDR_B
#                                    veth pair between two namespaces, each end
#                                    up with its ADDR (CIDR); names are derived
#                                    from the namespaces (<= 15 characters)
#   charon_lab_addr NS ADDR [DEV]    add ADDR (CIDR) to DEV (default lo) in NS
#   charon_lab_start NAME NS [--libipsec] [--plugins "p1 p2"] [--conf FILE]
#                                    start charon NAME in NS with its own
#                                    strongswan.conf (only the plugins listed,
#                                    nothing from /etc/strongswan.d), its own
#                                    VICI socket and log, and a private /run
#                                    (unshare -m + tmpfs) so pid files of
#                                    several charons never collide; waits until
#                                    the socket answers. --libipsec loads
#                                    kernel-libipsec (userspace ESP, tunnel mode
#                                    only, UDP-encapsulated, no acquires in
#                                    5.9.8: initiate explicitly); --plugins adds
#                                    plugins; --conf appends FILE's text inside
#                                    charon { } (options such as retransmits).
#   charon_lab_uri NAME              unix:// URI of NAME's VICI socket
#   charon_lab_log NAME              path of NAME's charon log
#   charon_lab_pid NAME              pid of NAME's charon
#   charon_lab_swanctl NAME ARGS...  swanctl against NAME's socket, with a
#                                    minimal plugin list (fast)
#   charon_lab_stop NAME             SIGTERM, up to 5 s, then SIGKILL
#   charon_lab_cleanup               stop every charon and delete every
#                                    namespace this shell created; the lab
#                                    directory is removed unless
#                                    CHARON_LAB_KEEP=1 (logs for debugging)
#
# Settings (environment): CHARON_LAB_DIR (default /tmp/charon-lab.$$), one
# sub-directory per NAME holding strongswan.conf, charon.vici, charon.log and
# charon.out; CHARON_LAB_CHARON (default /usr/lib/ipsec/charon).
#
# Use documentation addresses only (192.0.2.0/24, 198.51.100.0/24,
# 203.0.113.0/24, 2001:db8::/32).

: "${CHARON_LAB_DIR:=/tmp/charon-lab.$$}"
: "${CHARON_LAB_CHARON:=/usr/lib/ipsec/charon}"
declare -gA CHARON_LAB_PIDS=()
declare -ga CHARON_LAB_NAMESPACES=()

# The plugins every lab charon loads: crypto for the Windows proposals (3DES,
# AES, SHA-1/2, MODP through openssl), PSK and certificate parsing, the
# kernel interface, sockets and VICI.
CHARON_LAB_BASE_PLUGINS="random nonce openssl pem pkcs1 x509 pubkey kdf hmac sha1 sha2 aes gcm"

charon_lab_check() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "charon lab: needs root (network namespaces, charon)"
        return 1
    fi
    if [ ! -x "$CHARON_LAB_CHARON" ]; then
        echo "charon lab: $CHARON_LAB_CHARON missing (apt-get install strongswan-charon)"
        return 1
    fi
    if [ ! -e /usr/lib/ipsec/plugins/libstrongswan-vici.so ]; then
        echo "charon lab: the vici plugin is missing (apt-get install strongswan-swanctl)"
        return 1
    fi
    if ! command -v ip > /dev/null || ! command -v unshare > /dev/null; then
        echo "charon lab: needs ip (iproute2) and unshare (util-linux)"
        return 1
    fi
    return 0
}

charon_lab_netns() {
    local ns=$1
    ip netns add "$ns" || return 1
    CHARON_LAB_NAMESPACES+=("$ns")
    ip -n "$ns" link set lo up
}

charon_lab_link() {
    local ns_a=$1 addr_a=$2 ns_b=$3 addr_b=$4
    # veth names are per namespace, so short fixed names cannot collide with
    # another lab's; the peer is created straight inside its namespace.
    ip -n "$ns_a" link add lab0 type veth peer name lab0 netns "$ns_b" || return 1
    ip -n "$ns_a" addr add "$addr_a" dev lab0 && ip -n "$ns_a" link set lab0 up &&
        ip -n "$ns_b" addr add "$addr_b" dev lab0 && ip -n "$ns_b" link set lab0 up
}

charon_lab_addr() {
    local ns=$1 addr=$2 dev=${3:-lo}
    ip -n "$ns" addr add "$addr" dev "$dev"
}

charon_lab_uri() { echo "unix://$CHARON_LAB_DIR/$1/charon.vici"; }
charon_lab_log() { echo "$CHARON_LAB_DIR/$1/charon.log"; }
charon_lab_pid() { echo "${CHARON_LAB_PIDS[$1]:-}"; }

charon_lab_swanctl() {
    local name=$1
    shift
    STRONGSWAN_CONF=$CHARON_LAB_DIR/$name/strongswan.conf swanctl "$@" --uri "$(charon_lab_uri "$name")"
}

charon_lab_write_conf() {
    local dir=$1 plugins=$2 extra=$3
    {
        echo "# charon lab instance: nothing from /etc/strongswan.d is included"
        echo "charon {"
        echo "    load = $plugins"
        echo "    install_routes = no"
        echo "    install_virtual_ip = no"
        echo "    plugins {"
        echo "        vici {"
        echo "            socket = unix://$dir/charon.vici"
        echo "        }"
        echo "    }"
        echo "    filelog {"
        echo "        lab {"
        echo "            path = $dir/charon.log"
        echo "            time_format = %T"
        echo "            default = 1"
        echo "            ike = 2"
        echo "            cfg = 2"
        echo "            knl = 2"
        echo "            flush_line = yes"
        echo "        }"
        echo "    }"
        [ -n "$extra" ] && cat "$extra"
        echo "}"
        echo "# swanctl loads every plugin it knows without this (slow)"
        echo "swanctl {"
        echo "    load = pem pkcs1 x509 pubkey openssl random"
        echo "}"
    } > "$dir/strongswan.conf"
}

charon_lab_start() {
    local name=$1 ns=$2
    shift 2
    local libipsec=no plugins_extra="" conf_extra=""
    while [ $# -gt 0 ]; do
        case $1 in
            --libipsec) libipsec=yes ;;
            --plugins) plugins_extra=$2; shift ;;
            --conf) conf_extra=$2; shift ;;
            *) echo "charon_lab_start: unknown option $1"; return 1 ;;
        esac
        shift
    done
    local dir=$CHARON_LAB_DIR/$name
    rm -rf "$dir" && mkdir -p "$dir" || return 1
    # kernel-libipsec must come before kernel-netlink: the first kernel-ipsec
    # provider registered wins, and netlink stays the network back end.
    local kernel="kernel-netlink"
    [ $libipsec = yes ] && kernel="kernel-libipsec kernel-netlink"
    charon_lab_write_conf "$dir" "$CHARON_LAB_BASE_PLUGINS $plugins_extra $kernel socket-default vici" "$conf_extra"

    # ip netns exec and unshare exec in place, so $! ends up as charon's pid.
    ip netns exec "$ns" unshare -m --propagation private sh -c \
        "mount -t tmpfs -o mode=755 charon-lab-$name /run && exec env STRONGSWAN_CONF=$dir/strongswan.conf $CHARON_LAB_CHARON" \
        > "$dir/charon.out" 2>&1 &
    CHARON_LAB_PIDS[$name]=$!

    local i
    for i in $(seq 100); do
        if [ -S "$dir/charon.vici" ]; then
            # The socket file appears at bind(); a stats call proves charon
            # listens and answers.
            charon_lab_swanctl "$name" --stats > /dev/null 2>&1 && return 0
        fi
        if ! kill -0 "${CHARON_LAB_PIDS[$name]}" 2> /dev/null; then
            echo "charon lab: charon '$name' exited during start-up:"
            tail -n 20 "$dir/charon.out" "$dir/charon.log" 2> /dev/null
            unset "CHARON_LAB_PIDS[$name]"
            return 1
        fi
        sleep 0.1
    done
    echo "charon lab: charon '$name' did not answer on $dir/charon.vici within 10 s"
    charon_lab_stop "$name"
    return 1
}

charon_lab_stop() {
    local name=$1 pid=${CHARON_LAB_PIDS[$1]:-}
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2> /dev/null
    local i
    for i in $(seq 50); do
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    unset "CHARON_LAB_PIDS[$name]"
    return 0
}

charon_lab_cleanup() {
    local name ns
    for name in "${!CHARON_LAB_PIDS[@]}"; do charon_lab_stop "$name"; done
    for ns in "${CHARON_LAB_NAMESPACES[@]}"; do ip netns del "$ns" 2> /dev/null; done
    CHARON_LAB_NAMESPACES=()
    if [ "${CHARON_LAB_KEEP:-0}" = 1 ]; then
        echo "charon lab: kept $CHARON_LAB_DIR"
    else
        rm -rf "$CHARON_LAB_DIR"
    fi
}
