package localrt

import (
	"io"
	"net"
	"net/http"
	"testing"
)

// TestStackListenerServesHTTP: connections accepted through the listener
// keep net/http working, report their remote address and keep the
// methods net/http looks for.
func TestStackListenerServesHTTP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sl := stackListener{ln}
	remote := make(chan string, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		remote <- r.RemoteAddr
		_, _ = io.WriteString(w, "ok")
	})}
	go func() { _ = srv.Serve(sl) }()
	defer srv.Close()

	res, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "ok" {
		t.Fatalf("body %q", body)
	}
	if got := <-remote; got == "" {
		t.Fatal("no remote address")
	}
}

func TestStackConnGrowsOnceAndKeepsTCPMethods(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err == nil {
			defer c.Close()
			_, _ = io.Copy(io.Discard, c)
		}
	}()
	c, err := stackListener{ln}.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sc, ok := c.(*stackConn)
	if !ok {
		t.Fatalf("accepted %T, want *stackConn", c)
	}
	if _, ok := c.(io.ReaderFrom); !ok {
		t.Fatal("lost ReadFrom (sendfile)")
	}
	if _, ok := c.(interface{ CloseWrite() error }); !ok {
		t.Fatal("lost CloseWrite")
	}
	if sc.grown.Load() {
		t.Fatal("grown before the first call")
	}
	if c.RemoteAddr().String() != sc.TCPConn.RemoteAddr().String() {
		t.Fatal("remote address changed")
	}
	if !sc.grown.Load() {
		t.Fatal("not grown at the first call")
	}
	_ = c.RemoteAddr() // a second call does not grow again (and must not fail)
}
