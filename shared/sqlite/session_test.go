package sqlite_test

import (
	"fmt"
	"sync"
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/sqlite"
)

// TestSessionStoreSharedCache checks that two stores of one DB see each
// other's writes, under concurrent reads and writes (run with -race).
func TestSessionStoreSharedCache(t *testing.T) {
	db := MustOpenDB(t)
	a, b := sqlite.NewSessionStore(db), sqlite.NewSessionStore(db)
	must(t, a.CreateSession(t.Context(), &wagate.Session{SessionID: "s1"}))
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 50 {
				name := fmt.Sprintf("w%d-%d", i, j)
				if _, err := a.UpdateSession(t.Context(), "s1", wagate.SessionUpdate{Name: &name}); err != nil {
					t.Error(err)
				}
			}
		})
		wg.Go(func() {
			for range 200 {
				if _, err := b.FindSession(t.Context(), "s1"); err != nil {
					t.Error(err)
				}
				if _, _, err := b.ListSessions(t.Context(), wagate.SessionFilter{}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	last := "final"
	_, err := a.UpdateSession(t.Context(), "s1", wagate.SessionUpdate{Name: &last})
	must(t, err)
	got, err := b.FindSession(t.Context(), "s1")
	must(t, err)
	if got.Name != "final" {
		t.Fatalf("other store reads Name %q, want final", got.Name)
	}
}

// BenchmarkFindSession measures the read the status route makes on every
// request.
func BenchmarkFindSession(b *testing.B) {
	st := sqlite.NewSessionStore(MustOpenDB(b))
	for i := range 100 {
		must(b, st.CreateSession(b.Context(), &wagate.Session{SessionID: fmt.Sprintf("s%d", i), Webhook: wagate.WebhookConfig{Events: []string{"message"}}}))
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := st.FindSession(b.Context(), "s42"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
