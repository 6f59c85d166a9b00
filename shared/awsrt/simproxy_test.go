package awsrt

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWithSim(t *testing.T) {
	var simGot []string
	sim := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		simGot = append(simGot, r.Method+" "+r.URL.Path+" key="+r.Header.Get("X-API-Key"))
		_, _ = io.WriteString(w, `{"success":true}`)
	}))
	defer sim.Close()
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "api "+r.URL.Path) })
	serve := func(simURL, path string) *httptest.ResponseRecorder {
		rt := &Runtime{Config: Config{SimURL: simURL}, Log: slog.New(slog.DiscardHandler)}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader("{}"))
		req.Header.Set("X-API-Key", "k1")
		rec := httptest.NewRecorder()
		rt.withSim(api).ServeHTTP(rec, req)
		return rec
	}

	t.Run("Forwarded", func(t *testing.T) {
		rec := serve(sim.URL, "/api/_sim/sessions/demo/scan")
		if rec.Code != http.StatusOK || len(simGot) != 1 || simGot[0] != "POST /api/_sim/sessions/demo/scan key=k1" {
			t.Fatalf("answer %d %s, sim got %v; want the request forwarded with its key", rec.Code, rec.Body, simGot)
		}
	})
	t.Run("OtherRoutes", func(t *testing.T) {
		if rec := serve(sim.URL, "/api/sessions"); rec.Body.String() != "api /api/sessions" {
			t.Fatalf("answer %q, want the API's", rec.Body)
		}
	})
	t.Run("NotConfigured", func(t *testing.T) {
		if rec := serve("", "/api/_sim/sessions/demo/scan"); rec.Body.String() != "api /api/_sim/sessions/demo/scan" {
			t.Fatalf("answer %q, want the API's (its 404)", rec.Body)
		}
	})
	t.Run("Unreachable", func(t *testing.T) {
		rec := serve("http://127.0.0.1:1", "/api/_sim/sessions/demo/scan")
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"code":"SERVICE_UNAVAILABLE"`) {
			t.Fatalf("answer %d %s, want 503 SERVICE_UNAVAILABLE", rec.Code, rec.Body)
		}
	})
	t.Run("BadURL", func(t *testing.T) {
		if _, err := LoadConfig(func(k string) string { return map[string]string{"WAGATE_SIM_URL": "localhost:8085"}[k] }); err == nil {
			t.Fatal("LoadConfig accepted WAGATE_SIM_URL without a scheme")
		}
	})
}
