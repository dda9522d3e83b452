#!/usr/bin/env bash
# Debian's packages the deployed test host needs (CI runs as root): iproute2, varnish, dnsmasq-base, openssl, curl.
set -euo pipefail
need=()
for pair in ip:iproute2 varnishd:varnish dnsmasq:dnsmasq-base openssl:openssl curl:curl; do command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}"); done
[ ${#need[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
