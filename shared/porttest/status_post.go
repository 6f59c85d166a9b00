package porttest

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// StatusStore runs the conformance suite of wagate.StatusStore.
func StatusStore(t *testing.T, open func(t *testing.T) wagate.StatusStore) {
	t.Run("Insert", func(t *testing.T) { statusInsert(t, open) })
	t.Run("List", func(t *testing.T) { statusList(t, open) })
	t.Run("MarkViewed", func(t *testing.T) {
		st := open(t)
		insertStatus(t, st, newStatus("s1", "A", at(0)))
		must(t, st.MarkStatusViewed(t.Context(), "s1", "A"))
		got, err := st.FindStatus(t.Context(), "s1", "A")
		must(t, err)
		if !got.Viewed {
			t.Fatal("Viewed = false after MarkStatusViewed")
		}
	})
	t.Run("Delete", func(t *testing.T) {
		st := open(t)
		insertStatus(t, st, newStatus("s1", "A", at(0)))
		insertStatus(t, st, newStatus("s2", "A", at(0)))
		must(t, st.DeleteStatus(t.Context(), "s1", "A"))
		_, err := st.FindStatus(t.Context(), "s1", "A")
		wantCode(t, err, wagate.ENOTFOUND)
		_, err = st.FindStatus(t.Context(), "s2", "A")
		must(t, err)
		wantCode(t, st.DeleteStatus(t.Context(), "s1", "A"), wagate.ENOTFOUND)
	})
	t.Run("DeleteExpired", func(t *testing.T) {
		st := open(t)
		for i, id := range []string{"old1", "old2", "fresh"} {
			insertStatus(t, st, newStatus("s1", id, at(i*3600)))
		}
		insertStatus(t, st, newStatus("s2", "old3", at(0)))
		n, err := st.DeleteExpiredStatuses(t.Context(), at(3600).Add(wagate.StatusTTL+time.Second))
		must(t, err)
		if n != 3 {
			t.Fatalf("DeleteExpiredStatuses = %d, want 3", n)
		}
		for _, id := range []string{"old1", "old2"} {
			_, err := st.FindStatus(t.Context(), "s1", id)
			wantCode(t, err, wagate.ENOTFOUND)
		}
		_, err = st.FindStatus(t.Context(), "s1", "fresh")
		must(t, err)
	})
}

func statusInsert(t *testing.T, open func(t *testing.T) wagate.StatusStore) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		p := newStatus("s1", "A", time.Date(2025, 3, 10, 13, 14, 15, 123_000_000, time.FixedZone("CET", 3600)))
		p.FromMe, p.Viewed = true, true
		got := insertStatus(t, st, p)
		if got.ID <= 0 {
			t.Fatalf("ID = %d, want > 0", got.ID)
		}
		compareStatus(t, got, p)
		for _, key := range []string{"A", strconv.FormatInt(got.ID, 10)} {
			found, err := st.FindStatus(t.Context(), "s1", key)
			must(t, err)
			compareStatus(t, found, got)
		}
	})

	t.Run("Idempotent", func(t *testing.T) {
		st := open(t)
		first := insertStatus(t, st, newStatus("s1", "A", at(0)))
		again := newStatus("s1", "A", at(10))
		again.Body = "second"
		got, created, err := st.InsertStatus(t.Context(), again)
		must(t, err)
		if created {
			t.Fatal("second InsertStatus with the same WhatsApp id: created = true")
		}
		compareStatus(t, got, first)
		insertStatus(t, st, newStatus("s2", "A", at(0)))
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		got := insertStatus(t, st, newStatus("s1", "A", at(0)))
		for _, key := range [][2]string{{"s1", "B"}, {"s2", "A"}, {"s1", strconv.FormatInt(got.ID+1000, 10)}, {"s2", strconv.FormatInt(got.ID, 10)}} {
			_, err := st.FindStatus(t.Context(), key[0], key[1])
			wantCode(t, err, wagate.ENOTFOUND)
		}
	})
}

func statusList(t *testing.T, open func(t *testing.T) wagate.StatusStore) {
	st := open(t)
	for i := range 5 { // A0 … A4, an hour apart
		insertStatus(t, st, newStatus("s1", "A"+strconv.Itoa(i), at(i*3600)))
	}
	insertStatus(t, st, newStatus("s2", "B", at(4*3600)))
	now := at(2 * 3600).Add(wagate.StatusTTL) // A0, A1 and A2 have expired
	for _, tc := range []struct {
		name          string
		activeOnly    bool
		offset, limit int
		want          []string
		total         int
	}{
		{"All", false, 0, 10, []string{"A4", "A3", "A2", "A1", "A0"}, 5},
		{"Page", false, 1, 2, []string{"A3", "A2"}, 5},
		{"ActiveOnly", true, 0, 10, []string{"A4", "A3"}, 2},
		{"ActivePage", true, 1, 10, []string{"A3"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, total, err := st.ListStatuses(t.Context(), "s1", tc.activeOnly, now, tc.offset, tc.limit)
			must(t, err)
			var ids []string
			for _, p := range list {
				ids = append(ids, p.WhatsAppID)
			}
			if !sameStrings(ids, tc.want) || total != tc.total {
				t.Fatalf("ListStatuses(active %v, %d, %d) = %v, total %d; want %v, total %d",
					tc.activeOnly, tc.offset, tc.limit, ids, total, tc.want, tc.total)
			}
		})
	}
}

// newStatus returns an image status with every field but ID set.
func newStatus(sessionID, waID string, ts time.Time) *wagate.StatusPost {
	return &wagate.StatusPost{
		SessionID: sessionID, WhatsAppID: waID,
		SenderJID: "34600000001@s.whatsapp.net", SenderLID: "987654321@lid", SenderName: "Ana",
		Type: wagate.TypeImage, Body: "status of " + waID,
		Media:     &wagate.Media{BlobKey: "media/" + waID, Mimetype: "image/jpeg", Size: 42, Width: 10, Height: 20, Caption: "c"},
		Timestamp: ts, ExpiresAt: ts.Add(wagate.StatusTTL),
	}
}

func insertStatus(t *testing.T, st wagate.StatusStore, p *wagate.StatusPost) *wagate.StatusPost {
	t.Helper()
	got, created, err := st.InsertStatus(t.Context(), p)
	must(t, err)
	if !created {
		t.Fatalf("InsertStatus(%q): created = false, want true", p.WhatsAppID)
	}
	return got
}

// compareStatus fails t unless got matches want (times within tolerance;
// want.ID compared when set).
func compareStatus(t *testing.T, got, want *wagate.StatusPost) {
	t.Helper()
	g, w := *got, *want
	if w.ID != 0 && g.ID != w.ID {
		t.Errorf("status %q: ID = %d, want %d", w.WhatsAppID, g.ID, w.ID)
	}
	if !sameTime(g.Timestamp, w.Timestamp) || !sameTime(g.ExpiresAt, w.ExpiresAt) {
		t.Errorf("status %q: Timestamp %v, ExpiresAt %v; want %v, %v", w.WhatsAppID, g.Timestamp, g.ExpiresAt, w.Timestamp, w.ExpiresAt)
	}
	g.ID, w.ID = 0, 0
	g.Timestamp, g.ExpiresAt, w.Timestamp, w.ExpiresAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("status %q:\n got  %+v (media %+v)\n want %+v (media %+v)", w.WhatsAppID, g, g.Media, w, w.Media)
	}
}
