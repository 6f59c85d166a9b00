package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/wagate/wagate/shared/sqlite"
)

// MustOpenDB opens a fresh database file under tb.TempDir, closed at cleanup.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "wagate.db"))
}

func mustOpenPath(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

func TestOpen(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "wagate.db")
		start := time.Now()
		db := mustOpenPath(t, path)
		t.Logf("fresh database ready in %v", time.Since(start))
		for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "1"} {
			var got string
			if err := db.SQL().QueryRowContext(t.Context(), "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("PRAGMA %s = %q, want %q", pragma, got, want)
			}
		}
	})

	t.Run("MigrationsRunOnce", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "wagate.db")
		db := mustOpenPath(t, path)
		count := func(db *sqlite.DB) (n int) {
			if err := db.SQL().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		first := count(db)
		if first < 3 {
			t.Fatalf("%d migrations recorded, want at least 3", first)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		again := mustOpenPath(t, path)
		if n := count(again); n != first {
			t.Fatalf("%d migrations recorded after reopening, want %d", n, first)
		}
	})

	t.Run("ErrBadPath", func(t *testing.T) {
		if _, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "missing-dir", "x", "wagate.db")); err == nil {
			t.Fatal("Open in a missing directory returned no error")
		}
		if _, err := sqlite.Open(t.Context(), ""); err == nil {
			t.Fatal("Open with an empty path returned no error")
		}
	})

	t.Run("SpecialCharacters", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "odd ?#% name.db")
		db := mustOpenPath(t, path)
		if err := db.SQL().PingContext(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("database file not at the path given: %v", err)
		}
	})
}

// BenchmarkOpen measures how long a fresh database file takes to be ready
// (Close is not counted); it reports the median as open-ms.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		db, err := sqlite.Open(b.Context(), filepath.Join(dir, fmt.Sprintf("db%d", i)))
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		_ = db.Close()
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "open-ms")
}
