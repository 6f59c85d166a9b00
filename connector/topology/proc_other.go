//go:build !linux

package topology

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }
