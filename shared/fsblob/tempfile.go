package fsblob

import (
	"context"
	"fmt"
	"io"
	"os"
)

// writeTemp copies r into a new temporary file in dir, syncs and closes it,
// and returns its path and size. On error no file is left behind.
func writeTemp(dir string, r io.Reader) (path string, n int64, err error) {
	f, err := os.CreateTemp(dir, tempPattern)
	if err != nil {
		return "", 0, fmt.Errorf("create temporary file: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if n, err = io.Copy(f, r); err != nil {
		return "", 0, fmt.Errorf("write: %w", err)
	}
	if err = f.Sync(); err != nil {
		return "", 0, fmt.Errorf("sync: %w", err)
	}
	if err = f.Close(); err != nil {
		return "", 0, fmt.Errorf("close: %w", err)
	}
	return f.Name(), n, nil
}

// ctxReader stops a copy once ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
