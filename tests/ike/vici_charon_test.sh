#!/usr/bin/env bash
# The 'ike' suite: starts three charons through charon_lab.sh ("solo" for
# command and error tests; "a" and "b" joined by a veth for the tunnel test),
# runs the doctest binary given as $1 against them, and tears everything
# down. Skips (exit 77) when not root or charon is not installed.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/charon_lab.sh"
if ! why=$(charon_lab_check); then
    echo "skipped: $why"
    exit 77
fi
trap charon_lab_cleanup EXIT
trap 'exit 143' TERM INT  # meson's timeout: still run the cleanup
ns_solo=vici-solo-$$ ns_a=vici-a-$$ ns_b=vici-b-$$
charon_lab_netns "$ns_solo" && charon_lab_netns "$ns_a" && charon_lab_netns "$ns_b" || exit 1
charon_lab_link "$ns_a" 192.0.2.1/24 "$ns_b" 192.0.2.2/24 || exit 1
charon_lab_addr "$ns_a" 198.51.100.1/32 && charon_lab_addr "$ns_b" 203.0.113.1/32 || exit 1
for name in solo a b; do
    ns_var=ns_$name
    charon_lab_start "$name" "${!ns_var}" --libipsec || exit 1
    export "CHARON_LAB_URI_$name=$(charon_lab_uri "$name")" "CHARON_LAB_NS_$name=${!ns_var}"
done

"$1" "${@:2}"
rc=$?
if [ $rc -ne 0 ]; then
    for name in solo a b; do
        echo "---- charon $name log (last 25 lines)"
        tail -n 25 "$(charon_lab_log "$name")"
    done
fi
exit $rc
