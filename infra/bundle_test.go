package main

import (
	"debug/elf"
	"path/filepath"
	"testing"
)

// TestGoBuild builds the webhook function with the real bundler: a
// static linux/arm64 executable named bootstrap (what provided.al2023
// runs), without Docker.
func TestGoBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a function (-short)")
	}
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := GoBuild(root)("./"+functionsModule+"/webhook", out); err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(filepath.Join(out, "bootstrap"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 || f.Class != elf.ELFCLASS64 {
		t.Errorf("bootstrap is %v %v, want 64-bit arm64", f.Class, f.Machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("bootstrap is dynamically linked (CGO_ENABLED must be 0)")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("bootstrap links %v", libs)
	}
}

// TestBundlerFailure: a failing build says so instead of handing over to
// Docker silently.
func TestBundlerFailure(t *testing.T) {
	b := &goBundler{build: func(string, string) error { return errBuild }, pkg: "./x"}
	dir := t.TempDir()
	if ok := b.TryBundle(&dir, nil); ok == nil || *ok {
		t.Error("TryBundle reported success for a failed build")
	}
}

var errBuild = &buildError{}

type buildError struct{}

func (*buildError) Error() string { return "build failed" }
