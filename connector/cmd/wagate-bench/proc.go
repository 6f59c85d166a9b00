package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Limits for child processes.
const (
	stopGrace   = 3 * time.Second // SIGTERM → SIGKILL
	logTailSize = 2048            // bytes of a child's log shown when it fails
)

// procSpec says how to start a child. build receives the child's own fresh
// temp dir and a free port and returns its arguments and the environment
// variables to add to the parent's (filtered) environment.
type procSpec struct {
	name  string
	path  string
	build func(dir string, port int) (args, env []string)
}

// child is a process started by the bench, with a temp dir that holds its
// data and its combined stdout/stderr log. Every child is registered until
// it is stopped, so killAll can end it however the bench ends.
type child struct {
	name    string
	cmd     *exec.Cmd
	dir     string
	logPath string
	port    int
	started time.Time     // just before exec
	done    chan struct{} // closed once the process has exited
	waitErr error         // valid after done
	stopped sync.Once
}

var children = struct {
	mu  sync.Mutex
	set map[*child]struct{}
}{set: map[*child]struct{}{}}

// startChild creates a temp dir, picks a free port and execs the child.
func startChild(spec procSpec) (*child, error) {
	dir, err := os.MkdirTemp("", "wagate-bench-"+spec.name+"-")
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", spec.name, err)
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", spec.name, err)
	}
	logPath := filepath.Join(dir, spec.name+".log")
	logf, err := os.Create(logPath)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", spec.name, err)
	}
	defer logf.Close() // the child has its own copy of the descriptor
	args, env := spec.build(dir, port)
	cmd := exec.Command(spec.path, args...)
	cmd.Env = append(childEnviron(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = sysProcAttr()
	c := &child{name: spec.name, cmd: cmd, dir: dir, logPath: logPath, port: port, done: make(chan struct{})}
	c.started = time.Now()
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", spec.name, err)
	}
	children.mu.Lock()
	children.set[c] = struct{}{}
	children.mu.Unlock()
	go func() {
		c.waitErr = cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

// baseURL is where the child listens.
func (c *child) baseURL() string { return "http://127.0.0.1:" + strconv.Itoa(c.port) }

// exited reports whether the process has ended.
func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// exitError says how the child ended, with the tail of its log.
func (c *child) exitError() error {
	return fmt.Errorf("%s exited early (%v); log tail:\n%s", c.name, c.waitErr, c.logTail())
}

// logTail returns the last logTailSize bytes of the child's log.
func (c *child) logTail() string {
	b, err := os.ReadFile(c.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(b) > logTailSize {
		b = b[len(b)-logTailSize:]
	}
	return string(b)
}

// stop ends the child (SIGTERM, then SIGKILL after stopGrace), waits for it
// and removes its temp dir. Safe to call more than once.
func (c *child) stop() {
	c.stopped.Do(func() {
		if !c.exited() {
			_ = c.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-c.done:
			case <-time.After(stopGrace):
				_ = c.cmd.Process.Kill()
				<-c.done
			}
		}
		os.RemoveAll(c.dir)
		children.mu.Lock()
		delete(children.set, c)
		children.mu.Unlock()
	})
}

// crash SIGKILLs the child (no shutdown at all) and waits for it to end;
// its temp dir stays until stop.
func (c *child) crash() {
	if !c.exited() {
		_ = c.cmd.Process.Kill()
	}
	<-c.done
}

// killAll stops every child still running.
func killAll() {
	children.mu.Lock()
	list := make([]*child, 0, len(children.set))
	for c := range children.set {
		list = append(list, c)
	}
	children.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range list {
		wg.Go(c.stop)
	}
	wg.Wait()
}

// rssKiB reads the child's resident set size (VmRSS) from /proc.
func (c *child) rssKiB() (int64, error) {
	m, err := c.memory()
	return m.rss, err
}

// memory reads the child's resident memory from /proc.
func (c *child) memory() (residentKiB, error) {
	if c.exited() {
		return residentKiB{}, c.exitError()
	}
	return readMemory(c.cmd.Process.Pid)
}

// residentKiB is a process's resident set (VmRSS) and its two parts:
// anonymous memory (heap, stacks) and pages mapped from files (the
// executable's code and read-only data).
type residentKiB struct{ rss, anon, file int64 }

// readRSSKiB parses the VmRSS line of /proc/<pid>/status.
func readRSSKiB(pid int) (int64, error) {
	m, err := readMemory(pid)
	return m.rss, err
}

// readMemory parses /proc/<pid>/status.
func readMemory(pid int) (residentKiB, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return residentKiB{}, fmt.Errorf("read rss: %w", err)
	}
	var m residentKiB
	for _, f := range []struct {
		name string
		to   *int64
	}{{"VmRSS", &m.rss}, {"RssAnon", &m.anon}, {"RssFile", &m.file}} {
		if *f.to, err = parseStatusKiB(b, f.name); err != nil {
			return residentKiB{}, err
		}
	}
	return m, nil
}

// parseStatusKiB finds "<name>:   1234 kB" in the contents of a status
// file.
func parseStatusKiB(status []byte, name string) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), name+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("read %s: unexpected line %q", name, sc.Text())
		}
		return strconv.ParseInt(f[0], 10, 64)
	}
	return 0, fmt.Errorf("read %s: no such line in /proc/<pid>/status", name)
}

// freePort asks the kernel for a free TCP port on the loopback interface.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// childEnviron is the parent's environment without the variables the bench
// sets itself or that would change what is measured (GOMAXPROCS, webhooks).
func childEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "PORT" || k == "GOMAXPROCS" || strings.HasPrefix(k, "WAGATE_") || strings.HasPrefix(k, "FRAPPE_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
