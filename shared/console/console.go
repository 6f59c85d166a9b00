// Package console serves wagate's web console: a page to link numbers and
// watch their traffic. It is a handful of static files (plain HTML, CSS and
// JavaScript modules, no build step) embedded in the binary. The files are
// public; the page asks for the API key and sends it on every API call.
package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// Prefix is the path the console is served under.
const Prefix = "/console/"

// Response headers. Every asset is revalidated on each load (no-cache with
// a content ETag: a 304 costs nothing, and a new binary is never mixed with
// stale modules); the policy allows only the console's own files, its
// calls to the API and the QR code's data: URL.
const (
	cacheControl  = "no-cache"
	contentPolicy = "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

//go:embed static
var static embed.FS

// contentTypes are the types of the files the console is made of.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
}

type asset struct {
	body        []byte
	contentType string
	etag        string
}

// Handler serves the console under Prefix: the page at Prefix itself, its
// files next to it, 404 for anything else. Register it for "GET /console/".
// The files are read (and their ETags computed) at the first request: a
// runtime nobody opens the console on keeps no copy of them.
func Handler() http.Handler {
	assets := sync.OnceValue(load)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		name := strings.TrimPrefix(r.URL.Path, Prefix)
		if name == "" {
			name = "index.html"
		}
		a, ok := assets()[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", cacheControl)
		h.Set("ETag", a.etag)
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
	})
}

// load reads the embedded files. They are checked in and embedded at build
// time, so a failure here is a broken build: it panics.
func load() map[string]asset {
	entries, err := fs.ReadDir(static, "static")
	if err != nil {
		panic("console: read embedded files: " + err.Error())
	}
	assets := make(map[string]asset, len(entries))
	for _, e := range entries {
		ct, known := contentTypes[path.Ext(e.Name())]
		if e.IsDir() || !known {
			continue
		}
		body, err := static.ReadFile("static/" + e.Name())
		if err != nil {
			panic("console: read " + e.Name() + ": " + err.Error())
		}
		sum := sha256.Sum256(body)
		assets[e.Name()] = asset{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return assets
}
