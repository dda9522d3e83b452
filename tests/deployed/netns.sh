#!/usr/bin/env bash
# The deployed test host: network namespace cm-deployed with veth cmdep0 (10.77.0.1, this side) and cmdep1
# (10.77.0.2, the host's side), and /etc/netns/cm-deployed/resolv.conf. `up` creates them and remembers what it created; `down` removes only that.
# Traffic goes only to 10.77.0.2, inside the namespace this script made; nothing leaves the machine.
set -euo pipefail
NS=cm-deployed
STATE=${CM_DEPLOYED_STATE:-${CM_DEPLOYED_DIR:-/tmp/cm-deployed}.state}
case "${1:-}" in
  up)
    if ip netns list | grep -qw "$NS"; then echo "netns $NS already exists: not mine, refusing to touch it" >&2; exit 1; fi
    ip netns add "$NS"; echo netns >> "$STATE"
    ip link add cmdep0 type veth peer name cmdep1; echo veth >> "$STATE"
    ip link set cmdep1 netns "$NS"
    ip addr add 10.77.0.1/24 dev cmdep0; ip link set cmdep0 up
    ip netns exec "$NS" ip addr add 10.77.0.2/24 dev cmdep1
    ip netns exec "$NS" ip link set cmdep1 up
    ip netns exec "$NS" ip link set lo up
    # The namespace's resolver is the dnsmasq host.sh starts on 10.77.0.2: `ip netns exec` mounts this over /etc/resolv.conf.
    [ -d /etc/netns ] || { mkdir /etc/netns; echo etcdir >> "$STATE"; }
    mkdir "/etc/netns/$NS"; echo etc >> "$STATE"; echo "nameserver 10.77.0.2" > "/etc/netns/$NS/resolv.conf"
    ;;
  down)
    [ -f "$STATE" ] || exit 0
    if grep -qx veth "$STATE"; then ip link del cmdep0 2>/dev/null || true; fi
    if grep -qx netns "$STATE"; then ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del "$NS" 2>/dev/null || true; fi
    if grep -qx etc "$STATE"; then rm -rf "/etc/netns/$NS"; fi
    if grep -qx etcdir "$STATE"; then rmdir /etc/netns 2>/dev/null || true; fi
    rm -f "$STATE"
    ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
