package topology

import "syscall"

// sysProcAttr kills the child when the process that started it dies (a
// test binary that times out or panics leaves no bootstrap behind).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
