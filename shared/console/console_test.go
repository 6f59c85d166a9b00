package console_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/wagate/wagate/shared/console"
)

func get(t *testing.T, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	console.Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandler(t *testing.T) {
	for name, tc := range map[string]struct {
		path, contentType string
	}{
		"Index":  {"/console/", "text/html; charset=utf-8"},
		"Script": {"/console/app.js", "text/javascript; charset=utf-8"},
		"Module": {"/console/session.js", "text/javascript; charset=utf-8"},
		"Styles": {"/console/app.css", "text/css; charset=utf-8"},
		"Icon":   {"/console/icon.svg", "image/svg+xml"},
	} {
		t.Run(name, func(t *testing.T) {
			res := get(t, tc.path)
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != 200 || len(body) == 0 {
				t.Fatalf("GET %s: %d, %d bytes", tc.path, res.StatusCode, len(body))
			}
			for k, want := range map[string]string{
				"Content-Type":           tc.contentType,
				"Cache-Control":          "no-cache",
				"X-Content-Type-Options": "nosniff",
			} {
				if got := res.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			csp := res.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "img-src 'self' data:", "script-src 'self';"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-") {
				t.Errorf("Content-Security-Policy allows unsafe sources: %q", csp)
			}
			if res.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
		})
	}

	t.Run("NotModified", func(t *testing.T) {
		etag := get(t, "/console/app.js").Header.Get("ETag")
		if res := get(t, "/console/app.js", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
			t.Fatalf("revalidation: %d, want 304", res.StatusCode)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		for _, p := range []string{"/console/nope.js", "/console/static/app.js", "/console/console.go"} {
			if res := get(t, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
			}
		}
	})
}

// TestAssetsSelfContained: no inline script or style, no inline handler,
// nothing loaded from another origin (CDN, fonts), no localStorage.
func TestAssetsSelfContained(t *testing.T) {
	scripts := regexp.MustCompile(`<script[^>]*>([^<]*)</script>`)
	handlers := regexp.MustCompile(`(?i)<[^>]+\son[a-z]+=`)
	external := regexp.MustCompile(`(?i)(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	err := fs.WalkDir(os.DirFS("static"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile("static/" + path)
		if err != nil {
			return err
		}
		s := strings.ReplaceAll(string(b), `xmlns="http://www.w3.org/2000/svg"`, "")
		if strings.HasSuffix(path, ".html") {
			if n := strings.Count(s, "<script"); n != len(scripts.FindAllString(s, -1)) {
				t.Errorf("%s: a <script> tag that is not closed at once", path)
			}
			for _, m := range scripts.FindAllStringSubmatch(s, -1) {
				if !strings.Contains(m[0], " src=") || strings.TrimSpace(m[1]) != "" {
					t.Errorf("%s: inline script %q", path, m[0])
				}
			}
			if m := handlers.FindString(s); m != "" {
				t.Errorf("%s: inline event handler %q", path, m)
			}
			if strings.Contains(s, "<style") || strings.Contains(s, "style=") {
				t.Errorf("%s: inline style", path)
			}
		}
		for _, m := range external.FindAllString(s, -1) {
			if !strings.Contains(m, "example.com") {
				t.Errorf("%s: external reference %q", path, m)
			}
		}
		if strings.Contains(s, "localStorage.") {
			t.Errorf("%s: uses localStorage", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
