package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

const apiKey = "e2e-test-key"

// binPath is the wagate binary built once for the whole test run.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wagate-e2e-bin")
	if err != nil {
		panic(err)
	}
	binPath = filepath.Join(dir, "wagate")
	build := exec.Command("go", "build", "-o", binPath, "github.com/wagate/wagate/connector/cmd/wagate")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build wagate:", err)
		os.Exit(1)
	}
	code := m.Run()
	if code == 0 {
		code = validateRecorded() // openapi_test.go
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is one running wagate process on a data dir that outlives it.
type proc struct {
	t       *testing.T
	dataDir string
	port    int
	env     []string
	cmd     *exec.Cmd
	out     *bytes.Buffer
}

// startWagate starts wagate (sim engine) on a fresh data dir.
func startWagate(t *testing.T, env ...string) *proc {
	t.Helper()
	p := &proc{t: t, dataDir: t.TempDir(), port: freePort(t), env: env}
	p.start()
	t.Cleanup(func() { p.kill() })
	return p
}

func (p *proc) start() {
	p.t.Helper()
	p.out = &bytes.Buffer{}
	p.cmd = exec.Command(binPath)
	p.cmd.Env = append(os.Environ(),
		"WAGATE_ENGINE=sim", "WAGATE_API_KEY="+apiKey,
		fmt.Sprintf("PORT=%d", p.port), "WAGATE_DATA_DIR="+p.dataDir)
	p.cmd.Env = append(p.cmd.Env, p.env...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		p.t.Fatalf("start wagate: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(p.url("/health")); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.t.Fatalf("wagate did not answer /health; output:\n%s", p.out)
}

// kill ends the process with SIGKILL (a crash: nothing is flushed).
func (p *proc) kill() {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	_ = p.cmd.Wait()
	p.cmd = nil
}

// crashRestart SIGKILLs the process and starts it again on the same data.
func (p *proc) crashRestart() {
	p.t.Helper()
	p.kill()
	p.start()
}

// stop ends the process with SIGTERM and returns its exit error.
func (p *proc) stop() error {
	if p.cmd == nil {
		return nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	err := p.cmd.Wait()
	p.cmd = nil
	return err
}

func (p *proc) url(path string) string { return fmt.Sprintf("http://127.0.0.1:%d%s", p.port, path) }

// reply is a decoded API answer.
type reply struct {
	Status int
	Body   map[string]any
	Raw    []byte
}

// data returns body.data as a map.
func (r reply) data() map[string]any {
	d, _ := r.Body["data"].(map[string]any)
	return d
}

// do sends a request with the API key (key "" sends none).
func (p *proc) do(method, path, key string, body any) reply {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, p.url(path), rd)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("X-API-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	record(p.t.Name(), req, resp, raw) // checked against openapi.json after the run
	r := reply{Status: resp.StatusCode, Raw: raw}
	if err := json.Unmarshal(raw, &r.Body); err != nil {
		p.t.Fatalf("%s %s: answer is not JSON (%d): %s", method, path, resp.StatusCode, raw)
	}
	return r
}

func (p *proc) api(method, path string, body any) reply {
	p.t.Helper()
	return p.do(method, path, apiKey, body)
}

// waitStatus polls the status route until the session reports want.
func (p *proc) waitStatus(id, want string) map[string]any {
	p.t.Helper()
	var last reply
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		last = p.api("GET", "/api/sessions/"+id+"/status", nil)
		if last.Status == 200 && last.data()["status"] == want {
			return last.data()
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.t.Fatalf("session %s never became %s; last answer %d %s\noutput:\n%s", id, want, last.Status, last.Raw, tail(p.out.String(), 3000))
	return nil
}

func expectStatus(t *testing.T, r reply, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("HTTP %d, want %d: %s", r.Status, want, r.Raw)
	}
}

func expectError(t *testing.T, r reply, status int, code string) {
	t.Helper()
	expectStatus(t, r, status)
	if r.Body["success"] != false || r.Body["code"] != code || r.Body["message"] == "" || r.Body["error"] != r.Body["message"] {
		t.Fatalf("want error envelope with code %s: %s", code, r.Raw)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
