// An API in Go with rs/cors 1.7.0 (Debian's golang-github-rs-cors-dev), as cors-matrix checks it. Built offline
// against /usr/share/gocode (build.mjs); cors-matrix runs it with PORT set to a free port, and it listens on
// 127.0.0.1 only.
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/rs/cors"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	})
	mux.HandleFunc("/api/orders", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"orders":[]}`))
	})

	// Flawed on purpose (declared as findings): the wildcard trusts every subdomain of example.com — staging, a
	// forgotten preview, any host a subdomain takeover gives an attacker — with credentials. The fix: list the origins
	// the app is served from.
	c := cors.New(cors.Options{
		AllowedOrigins:   []string{"https://*.example.com"},
		AllowedMethods:   []string{http.MethodGet, http.MethodPut},
		AllowedHeaders:   []string{"Content-Type", "X-Request-Id"},
		AllowCredentials: true,
		MaxAge:           600,
	})

	addr := "127.0.0.1:" + os.Getenv("PORT")
	log.Printf("listening on http://%s", addr)
	log.Fatal(http.ListenAndServe(addr, c.Handler(mux)))
}
