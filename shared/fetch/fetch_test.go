package fetch_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/fetch"
)

// mustServe starts a loopback server that is closed with the test.
func mustServe(tb testing.TB, h http.HandlerFunc) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}

func serveBytes(n int, chunked bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		body := bytes.Repeat([]byte{'x'}, n)
		if chunked {
			w.Write(body[:n/2])
			w.(http.Flusher).Flush()
			w.Write(body[n/2:])
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.Write(body)
	}
}

func TestGetLoopback(t *testing.T) {
	srv := mustServe(t, serveBytes(10, false))

	t.Run("ErrRefusedByDefault", func(t *testing.T) {
		_, _, err := fetch.New(fetch.Options{}).Get(context.Background(), srv.URL+"/a.jpg")
		if wagate.ErrorCode(err) != wagate.EINVALID || !strings.Contains(wagate.ErrorMessage(err), "private or local") {
			t.Fatalf("Get = %v; want refused", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		body, ct, err := fetch.New(fetch.Options{AllowLoopback: true}).Get(context.Background(), srv.URL+"/a.jpg")
		if err != nil || len(body) != 10 || ct != "image/jpeg" {
			t.Fatalf("Get = %d bytes, %q, %v", len(body), ct, err)
		}
	})
	t.Run("ErrPrivateIsNotLoopback", func(t *testing.T) {
		_, _, err := fetch.New(fetch.Options{AllowPrivate: true}).Get(context.Background(), srv.URL)
		if wagate.ErrorCode(err) != wagate.EINVALID {
			t.Fatalf("Get = %v; want refused", err)
		}
	})
}

func TestGetRedirects(t *testing.T) {
	f := fetch.New(fetch.Options{AllowLoopback: true, MaxRedirects: 2})
	final := mustServe(t, serveBytes(3, false))
	for _, tc := range []struct{ name, target string }{
		{"ErrPrivate", "http://10.0.0.1/a.jpg"},
		{"ErrMetadata", "http://169.254.169.254/latest/meta-data/"},
		{"ErrMappedMetadata", "http://[::ffff:169.254.169.254]/"},
		{"ErrScheme", "file:///etc/passwd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mustServe(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, tc.target, http.StatusFound)
			})
			_, _, err := f.Get(context.Background(), srv.URL)
			if wagate.ErrorCode(err) != wagate.EINVALID {
				t.Fatalf("Get = %v; want VALIDATION_ERROR", err)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		hops := 0
		var srv *httptest.Server
		srv = mustServe(t, func(w http.ResponseWriter, r *http.Request) {
			if hops++; hops <= 2 {
				http.Redirect(w, r, srv.URL+"/next", http.StatusFound)
				return
			}
			http.Redirect(w, r, final.URL, http.StatusFound)
		})
		if _, _, err := f.Get(context.Background(), srv.URL); wagate.ErrorCode(err) != wagate.EINVALID {
			t.Fatalf("3 redirects with MaxRedirects 2: %v", err)
		}
		hops = 1
		if body, _, err := f.Get(context.Background(), srv.URL); err != nil || len(body) != 3 {
			t.Fatalf("2 redirects with MaxRedirects 2: %d bytes, %v", len(body), err)
		}
	})
	t.Run("ErrLoop", func(t *testing.T) {
		var srv *httptest.Server
		srv = mustServe(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, srv.URL, http.StatusFound)
		})
		_, _, err := f.Get(context.Background(), srv.URL)
		if wagate.ErrorCode(err) != wagate.EINVALID || !strings.Contains(wagate.ErrorMessage(err), "redirected more than 2") {
			t.Fatalf("Get = %v", err)
		}
	})
}

func TestGetSizeCap(t *testing.T) {
	f := fetch.New(fetch.Options{AllowLoopback: true, MaxBytes: 1000})
	for _, tc := range []struct {
		name    string
		n       int
		chunked bool
		ok      bool
	}{
		{"AtLimit", 1000, false, true},
		{"AtLimitChunked", 1000, true, true},
		{"ErrOver", 1001, false, false},
		{"ErrOverChunked", 1001, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mustServe(t, serveBytes(tc.n, tc.chunked))
			body, _, err := f.Get(context.Background(), srv.URL)
			if tc.ok && (err != nil || len(body) != tc.n) {
				t.Fatalf("Get = %d bytes, %v", len(body), err)
			}
			if !tc.ok && (wagate.ErrorCode(err) != wagate.ETOOLARGE || body != nil) {
				t.Fatalf("Get = %d bytes, %v; want PAYLOAD_TOO_LARGE", len(body), err)
			}
		})
	}
}

func TestGetTimeout(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
	}{
		{"ErrHeaders", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}},
		{"ErrBody", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mustServe(t, tc.h)
			f := fetch.New(fetch.Options{AllowLoopback: true, Timeout: 100 * time.Millisecond})
			start := time.Now()
			_, _, err := f.Get(context.Background(), srv.URL)
			if err == nil || wagate.ErrorCode(err) != wagate.EINTERNAL || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Get = %v; want an internal deadline error", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("Get took %v", d)
			}
		})
	}
}

func TestGetStatus(t *testing.T) {
	f := fetch.New(fetch.Options{AllowLoopback: true})
	for _, tc := range []struct {
		status int
		code   string
	}{
		{http.StatusNotFound, wagate.EINVALID},
		{http.StatusForbidden, wagate.EINVALID},
		{http.StatusTooManyRequests, wagate.EINTERNAL},
		{http.StatusServiceUnavailable, wagate.EINTERNAL},
		{http.StatusNoContent, ""},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			srv := mustServe(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tc.status) })
			_, _, err := f.Get(context.Background(), srv.URL+"/x?token=secret")
			if got := wagate.ErrorCode(err); got != tc.code {
				t.Fatalf("Get = %v; want code %q", err, tc.code)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Fatalf("error leaks the query: %v", err)
			}
		})
	}
}

func TestGetBadURL(t *testing.T) {
	f := fetch.New(fetch.Options{AllowLoopback: true, AllowPrivate: true})
	for _, raw := range []string{"", "ftp://example.com/a", "file:///etc/passwd", "http://169.254.169.254/", "example.com/a.jpg"} {
		if _, _, err := f.Get(context.Background(), raw); wagate.ErrorCode(err) != wagate.EINVALID {
			t.Errorf("Get(%q) = %v; want VALIDATION_ERROR", raw, err)
		}
	}
}
