package failover

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Build builds the connector binary into dir and returns its path.
func Build(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, goTool(), "env", "GOWORK").Output()
	work := strings.TrimSpace(string(out))
	if err != nil || work == "" || work == "off" {
		return "", fmt.Errorf("not inside the wagate workspace (go env GOWORK = %q, %v)", work, err)
	}
	bin := filepath.Join(dir, "connector")
	cmd := exec.CommandContext(ctx, goTool(), "build", "-trimpath", "-o", bin, "./connector/cmd/connector")
	cmd.Dir = filepath.Dir(work)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build connector: %w\n%s", err, log.Bytes())
	}
	return bin, nil
}

// goTool is $GOROOT/bin/go when the go command set GOROOT, else "go".
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Proc is one connector process.
type Proc struct {
	Name    string
	SimPort int
	LogPath string

	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// startProc starts bin with exactly env, output to logPath.
func startProc(name, bin string, env []string, simPort int, logPath string) (*Proc, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = sysProcAttr()
	p := &Proc{Name: name, SimPort: simPort, LogPath: logPath, cmd: cmd, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	return p, nil
}

// PID is the process id.
func (p *Proc) PID() int { return p.cmd.Process.Pid }

// Alive reports whether the process still runs.
func (p *Proc) Alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Kill sends SIGKILL, waits for the process and returns when it was sent.
func (p *Proc) Kill() time.Time {
	at := time.Now()
	_ = p.cmd.Process.Kill()
	<-p.done
	return at
}

// Stop sends SIGTERM and waits up to grace, then kills; it reports a kill.
func (p *Proc) Stop(grace time.Duration) error {
	if !p.Alive() {
		return nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(grace):
		p.Kill()
		return fmt.Errorf("%s did not stop within %v of SIGTERM: killed", p.Name, grace)
	}
}

// LogTail returns the last n bytes of the process's log.
func (p *Proc) LogTail(n int) string {
	b, _ := os.ReadFile(p.LogPath)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
