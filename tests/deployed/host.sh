#!/usr/bin/env bash
# Sets up (up) or removes (down) the deployed test host: the namespace (netns.sh), a private CA and certificates, the
# app, varnish and dnsmasq inside it. Everything lives in $CM_DEPLOYED_DIR and in the namespace; `down` ends only the
# processes whose pid files `up` wrote, then the namespace netns.sh recorded.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DIR=${CM_DEPLOYED_DIR:-/tmp/cm-deployed}
NS=cm-deployed
run() { ip netns exec "$NS" "$@"; }
# A certificate for $2 signed by the test CA, valid from $3 to $4 (openssl ca, which takes dates; x509 -days cannot expire one).
issue() {
  local name=$1 cn=$2
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$cn" -keyout "$DIR/$name.key" -out "$DIR/$name.csr" 2>/dev/null
  openssl ca -batch -config "$DIR/ca.cnf" -notext -startdate "$3" -enddate "$4" -in "$DIR/$name.csr" -out "$DIR/$name.crt" \
    -extfile <(printf 'subjectAltName=DNS:%s\n' "$cn") 2>/dev/null
}
case "${1:-}" in
  up)
    for tool in ip varnishd dnsmasq openssl curl; do command -v "$tool" >/dev/null || { echo "missing $tool: run tests/deployed/setup-packages.sh" >&2; exit 1; }; done
    mkdir -p "$DIR/ca"; : > "$DIR/upstream.log"; : > "$DIR/ca/index.txt"; echo 01 > "$DIR/ca/serial"
    "$HERE/netns.sh" up
    printf '[ca]\ndefault_ca=test\n[test]\ndir=%s/ca\ndatabase=$dir/index.txt\nserial=$dir/serial\nnew_certs_dir=$dir\ncertificate=%s/ca.crt\nprivate_key=%s/ca.key\ndefault_md=sha256\npolicy=any\nunique_subject=no\n[any]\ncommonName=supplied\n' "$DIR" "$DIR" "$DIR" > "$DIR/ca.cnf"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=cors-matrix deployed-test CA" -keyout "$DIR/ca.key" -out "$DIR/ca.crt" 2>/dev/null
    now=$(date -u +%Y%m%d%H%M%SZ); later=$(date -u -d '+2 days' +%Y%m%d%H%M%SZ)
    issue api api.deployed.test "$now" "$later"
    issue wrong other.deployed.test "$now" "$later"
    issue expired api.deployed.test 20250101000000Z 20250102000000Z
    run varnishd -a 10.77.0.2:6081 -f "$HERE/cache.vcl" -n "$DIR/varnish" -P "$DIR/varnish.pid" -s malloc,16m
    run dnsmasq --no-resolv --no-hosts --listen-address=10.77.0.2 --bind-interfaces --local=/deployed.test/ \
      --address=/api.deployed.test/10.77.0.2 --pid-file="$DIR/dnsmasq.pid"
    run node "$HERE/host.mjs" "$DIR" "$DIR/upstream.log" > "$DIR/host.out" 2>&1 &
    echo $! > "$DIR/host.pid"
    for _ in $(seq 100); do curl -sf --cacert "$DIR/ca.crt" --resolve api.deployed.test:443:10.77.0.2 https://api.deployed.test/health >/dev/null && break; sleep 0.2; done
    curl -sf --cacert "$DIR/ca.crt" --resolve api.deployed.test:443:10.77.0.2 https://api.deployed.test/health >/dev/null || { echo "the test host did not answer; its output:" >&2; cat "$DIR/host.out" >&2; exit 1; }
    : > "$DIR/upstream.log"
    ;;
  down)
    for f in host varnish dnsmasq; do if [ -f "$DIR/$f.pid" ]; then kill "$(cat "$DIR/$f.pid")" 2>/dev/null || true; rm -f "$DIR/$f.pid"; fi; done
    "$HERE/netns.sh" down
    ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
