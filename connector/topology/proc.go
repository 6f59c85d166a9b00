package topology

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Proc is a child process of the topology: a function's bootstrap or the
// connector. Its stdout and stderr (JSON logs, EMF lines) go to a log file.
type Proc struct {
	Name    string
	Started time.Time // just before exec

	cmd  *exec.Cmd
	done chan struct{}
	err  error
	log  *os.File
}

// startProc starts path with exactly env (nothing inherited), output
// appended to logPath.
func startProc(name, path string, env []string, logPath string) (*Proc, error) {
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = sysProcAttr()
	p := &Proc{Name: name, cmd: cmd, done: make(chan struct{}), log: f}
	p.Started = time.Now()
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

// PID returns the process id.
func (p *Proc) PID() int { return p.cmd.Process.Pid }

// Exited reports whether the process has ended, and how.
func (p *Proc) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// Kill ends the process at once (SIGKILL: what Lambda does to an instance)
// and waits for it.
func (p *Proc) Kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// Stop asks the process to stop (SIGTERM) and kills it when it has not
// exited within grace. It returns an error when it had to be killed.
func (p *Proc) Stop(grace time.Duration) error {
	if exited, _ := p.Exited(); exited {
		return nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		var exit *exec.ExitError
		if p.err != nil && !errors.As(p.err, &exit) {
			return p.err
		}
		return nil
	case <-time.After(grace):
		p.Kill()
		return fmt.Errorf("%s did not stop within %v of SIGTERM: killed", p.Name, grace)
	}
}

// procs is a set of running children, stopped together.
type procs struct {
	mu   sync.Mutex
	list []*Proc
}

func (s *procs) add(p *Proc) {
	s.mu.Lock()
	s.list = append(s.list, p)
	s.mu.Unlock()
}

// killAll kills every child still running.
func (s *procs) killAll() {
	s.mu.Lock()
	list := s.list
	s.list = nil
	s.mu.Unlock()
	for _, p := range list {
		if exited, _ := p.Exited(); !exited {
			p.Kill()
		}
	}
}

// tail returns the last n bytes of the file at path.
func tail(path string, n int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > n {
		_, _ = f.Seek(st.Size()-n, io.SeekStart)
	}
	b, _ := io.ReadAll(f)
	return string(b)
}
