package waengine_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/waengine"
)

func TestOpenContainer(t *testing.T) {
	ctx := context.Background()
	t.Run("FreshFile", func(t *testing.T) {
		db := mustOpenDB(t)
		start := time.Now()
		if _, err := waengine.OpenContainer(ctx, db); err != nil {
			t.Fatalf("OpenContainer: %v", err)
		}
		t.Logf("OpenContainer on a fresh file took %s", time.Since(start))
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type='table' AND name LIKE 'whatsmeow_%'`).Scan(&n); err != nil {
			t.Fatal(err)
		} else if n < 10 {
			t.Errorf("%d whatsmeow tables, want the full schema", n)
		}
	})
	t.Run("SharedWithOwnTablesAndReopened", func(t *testing.T) {
		db := mustOpenDB(t)
		if _, err := db.Exec(`CREATE TABLE sessions (id INTEGER PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			start := time.Now()
			if _, err := waengine.OpenContainer(ctx, db); err != nil {
				t.Fatalf("OpenContainer #%d: %v", i+1, err)
			}
			t.Logf("OpenContainer #%d took %s", i+1, time.Since(start))
		}
	})
	t.Run("ErrForeignKeysOff", func(t *testing.T) {
		db := mustOpenDSN(t, "file:"+filepath.Join(t.TempDir(), "wa.db")+"?_pragma=journal_mode(WAL)")
		_, err := waengine.OpenContainer(ctx, db)
		if err == nil || !strings.Contains(err.Error(), "foreign keys") {
			t.Fatalf("err = %v, want foreign keys error", err)
		}
	})
}

func BenchmarkOpenContainerFresh(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := mustOpenDB(b)
		b.StartTimer()
		if _, err := waengine.OpenContainer(context.Background(), db); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenContainerExisting: the cost on every later start.
func BenchmarkOpenContainerExisting(b *testing.B) {
	db := mustOpenDB(b)
	if _, err := waengine.OpenContainer(context.Background(), db); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := waengine.OpenContainer(context.Background(), db); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenContainerFreshOpenDB: fresh file whose connection is
// already open (as when wagate's own tables were created first).
func BenchmarkOpenContainerFreshOpenDB(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		db := mustOpenDB(b)
		if err := db.Ping(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := waengine.OpenContainer(context.Background(), db); err != nil {
			b.Fatal(err)
		}
	}
}
