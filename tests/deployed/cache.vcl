vcl 4.1;
# A CDN's edge cache in front of the API. It passes API traffic (the app's answers depend on Origin), but answers one
# path itself with an HTML block page, as a WAF or CDN rule does: that page never reaches the app.
backend api { .host = "10.77.0.2"; .port = "8080"; }
sub vcl_recv {
  if (req.url ~ "^/blocked") { return (synth(403, "Forbidden")); }
  return (pass);
}
sub vcl_synth {
  set resp.http.Content-Type = "text/html; charset=utf-8";
  synthetic({"<!doctype html><html><body><h1>Access denied</h1><p>Request blocked by the edge's web application firewall.</p></body></html>"});
  return (deliver);
}
