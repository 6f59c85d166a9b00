package fetch

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	wagate "github.com/wagate/wagate/shared"
)

// TestDialGuard bypasses CheckURL (as a DNS name that resolves to a
// refused address would) to show that the dialled address is checked.
func TestDialGuard(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	byName := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)

	f := New(Options{})
	resp, err := f.client.Get(byName)
	if err == nil {
		resp.Body.Close()
		t.Fatal("connected to loopback through a name")
	}
	if wagate.ErrorCode(failure("localhost", err)) != wagate.EINVALID {
		t.Fatalf("dial error %v is not the guard's", err)
	}

	resp, err = New(Options{AllowLoopback: true}).client.Get(byName)
	if err != nil {
		t.Fatalf("AllowLoopback: %v", err)
	}
	resp.Body.Close()
}
