package porttest

import (
	"fmt"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// MediaStore runs the conformance suite of wagate.MediaStore.
func MediaStore(t *testing.T, open func(t *testing.T) wagate.MediaStore) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		f := newMediaFile("s1", "m1", time.Date(2025, 3, 10, 13, 14, 15, 123_000_000, time.FixedZone("CET", 3600)))
		must(t, st.InsertMedia(t.Context(), f))
		got, err := st.FindMedia(t.Context(), "m1")
		must(t, err)
		compareMediaFile(t, got, f)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		_, err := st.FindMedia(t.Context(), "nope")
		wantCode(t, err, wagate.ENOTFOUND)
		wantCode(t, st.DeleteMedia(t.Context(), "nope"), wagate.ENOTFOUND)
	})

	t.Run("List", func(t *testing.T) {
		st := open(t)
		for i := range 5 {
			must(t, st.InsertMedia(t.Context(), newMediaFile("s1", fmt.Sprint("f", i), at(i))))
		}
		must(t, st.InsertMedia(t.Context(), newMediaFile("s2", "g", at(10))))
		for _, tc := range []struct {
			name          string
			offset, limit int
			want          []string
		}{
			{"All", 0, 10, []string{"f4", "f3", "f2", "f1", "f0"}},
			{"Page", 1, 2, []string{"f3", "f2"}},
			{"PastEnd", 5, 2, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, total, err := st.ListMedia(t.Context(), "s1", tc.offset, tc.limit)
				must(t, err)
				var ids []string
				for _, f := range list {
					ids = append(ids, f.ID)
				}
				if !sameStrings(ids, tc.want) || total != 5 {
					t.Fatalf("ListMedia(%d, %d) = %v, total %d; want %v, total 5", tc.offset, tc.limit, ids, total, tc.want)
				}
			})
		}
	})

	t.Run("Delete", func(t *testing.T) {
		st := open(t)
		must(t, st.InsertMedia(t.Context(), newMediaFile("s1", "a", at(0))))
		must(t, st.InsertMedia(t.Context(), newMediaFile("s1", "b", at(1))))
		must(t, st.DeleteMedia(t.Context(), "a"))
		_, err := st.FindMedia(t.Context(), "a")
		wantCode(t, err, wagate.ENOTFOUND)
		wantCode(t, st.DeleteMedia(t.Context(), "a"), wagate.ENOTFOUND)
		list, total, err := st.ListMedia(t.Context(), "s1", 0, 10)
		must(t, err)
		if len(list) != 1 || list[0].ID != "b" || total != 1 {
			t.Fatalf("after delete: ListMedia = %d files, total %d; want only b", len(list), total)
		}
	})
}

func newMediaFile(sessionID, id string, createdAt time.Time) *wagate.MediaFile {
	return &wagate.MediaFile{
		ID: id, SessionID: sessionID, BlobKey: "media/" + sessionID + "/" + id, Filename: id + ".pdf",
		Mimetype: "application/pdf", Size: 1234, Origin: "inbound", MessageID: "3EB0" + id, CreatedAt: createdAt,
	}
}

func compareMediaFile(t *testing.T, got, want *wagate.MediaFile) {
	t.Helper()
	g, w := *got, *want
	if !sameTime(g.CreatedAt, w.CreatedAt) {
		t.Errorf("media %q: CreatedAt = %v, want %v", w.ID, g.CreatedAt, w.CreatedAt)
	}
	g.CreatedAt, w.CreatedAt = time.Time{}, time.Time{}
	if g != w {
		t.Errorf("media %q:\n got  %+v\n want %+v", w.ID, g, w)
	}
}
