vcl 4.1;

# The shared cache between the engines and the API (servers/shared-cache.ts starts varnishd with this file, the
# backend port filled in). It behaves as a conforming RFC 9111 shared cache configured the way CDNs usually are:
#  - stores GET/HEAD answers with explicit freshness only (varnishd runs with default_ttl 0: no heuristic freshness),
#    and honours no-store, private, no-cache, Set-Cookie and Vary (Vary: * stores nothing) as Varnish's built-in
#    vcl_backend_response does;
#  - keys a stored answer by URL and Host, and by the request headers its Vary names (Varnish does that itself);
#  - ignores Cookie when deciding (it neither stores per cookie nor refuses to store), as a CDN told to "cache
#    everything" does; never stores an answer to a request with Authorization (RFC 9111 §3.5);
#  - says what it did: X-Cache (HIT: a stored answer, MISS: fetched and stored, PASS: fetched, not stored) and
#    X-Cm-Stored-For (the Origin of the request whose answer was stored). The harness's front reads both into the
#    ledger entry and removes X-Cm-Stored-For before the engine sees the answer.

backend api {
    .host = "127.0.0.1";
    .port = "__BACKEND_PORT__";
}

sub vcl_recv {
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    return (hash);
}

sub vcl_backend_response {
    if (bereq.http.Origin) {
        set beresp.http.X-Cm-Stored-For = bereq.http.Origin;
    } else {
        set beresp.http.X-Cm-Stored-For = "(no Origin)";
    }
    # Grace and keep would serve a stale answer while refetching: nothing in RFC 9111 allows that without
    # stale-while-revalidate, so neither is used.
    set beresp.grace = 0s;
    set beresp.keep = 0s;
    # Falls through to the built-in vcl_backend_response: no-store, private, no-cache, Set-Cookie, Vary: * or a TTL
    # of 0 make the answer uncacheable (hit-for-miss).
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } else if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
