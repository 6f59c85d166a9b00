package topology

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// The packages of the aws runtime's binaries, relative to the repository
// root.
const (
	PkgAPI       = "./functions/api"
	PkgWebhook   = "./functions/webhook"
	PkgConnector = "./connector/cmd/connector"
)

// Binaries are the paths of the built binaries.
type Binaries struct {
	API, Webhook, Connector string
}

// Target is what to build for.
type Target struct {
	GOOS, GOARCH string // "" = the host's
	// Strip drops the symbol table and DWARF (-ldflags='-s -w'), as the
	// Lambda assets are built.
	Strip bool
}

// BuildHost builds the api and webhook functions and the connector for
// this machine into dir, the way the Lambda assets are built
// (CGO_ENABLED=0, -tags lambda.norpc, -trimpath) but for the host OS, so
// they run as host processes under the emulator's Runtime API.
func BuildHost(ctx context.Context, dir string) (Binaries, error) {
	if err := Build(ctx, dir, Target{}, PkgAPI, PkgWebhook, PkgConnector); err != nil {
		return Binaries{}, err
	}
	return Binaries{
		API: filepath.Join(dir, exe("api")), Webhook: filepath.Join(dir, exe("webhook")),
		Connector: filepath.Join(dir, exe("connector")),
	}, nil
}

// Build builds pkgs (relative to the repository root) into dir, each
// binary named after its package's directory.
func Build(ctx context.Context, dir string, t Target, pkgs ...string) error {
	root, err := RepoRoot()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	args := []string{"build", "-trimpath", "-tags", "lambda.norpc"}
	if t.Strip {
		args = append(args, "-ldflags=-s -w")
	}
	args = append(args, "-o", dir+string(filepath.Separator))
	cmd := exec.CommandContext(ctx, goTool(), append(args, pkgs...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if t.GOOS != "" {
		cmd.Env = append(cmd.Env, "GOOS="+t.GOOS)
	}
	if t.GOARCH != "" {
		cmd.Env = append(cmd.Env, "GOARCH="+t.GOARCH)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(cmd.Args[1:], " "), err, out.Bytes())
	}
	return nil
}

// RepoRoot returns the repository root: the directory of the go.work file
// that the working directory belongs to.
func RepoRoot() (string, error) {
	out, err := exec.Command(goTool(), "env", "GOWORK").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOWORK: %w", err)
	}
	work := strings.TrimSpace(string(out))
	if work == "" || work == "off" {
		return "", fmt.Errorf("not inside the wagate workspace (no go.work): run from the repository")
	}
	return filepath.Dir(work), nil
}

// goTool returns the go command: $GOROOT/bin/go when the go command set
// GOROOT (go test, go run), else the one on PATH.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", exe("go")); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func exe(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}
