package porttest

import (
	"reflect"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// GroupStore runs the conformance suite of wagate.GroupStore.
func GroupStore(t *testing.T, open func(t *testing.T) wagate.GroupStore) {
	t.Run("UpsertAndFind", func(t *testing.T) {
		st := open(t)
		g := newGroup("1", "Familia")
		upsertGroups(t, st, "s1", g)
		compareGroup(t, findGroup(t, st, "s1", g.JID), g)
		_, err := st.FindGroup(t.Context(), "s2", g.JID)
		wantCode(t, err, wagate.ENOTFOUND)

		// a change replaces the record; an unknown invite code keeps the stored one
		g2 := newGroup("1", "Familia 2")
		g2.InviteCode, g2.Participants = "", g2.Participants[:1]
		upsertGroups(t, st, "s1", g2)
		want := *g2
		want.InviteCode = g.InviteCode
		compareGroup(t, findGroup(t, st, "s1", g.JID), &want)
	})

	t.Run("ListAndReplace", func(t *testing.T) {
		st := open(t)
		upsertGroups(t, st, "s1", newGroup("3", "charlie"), newGroup("1", "Alpha"), newGroup("2", "bravo"))
		upsertGroups(t, st, "s2", newGroup("9", "other"))
		for _, tc := range []struct {
			name          string
			offset, limit int
			want          []string
		}{
			{"All", 0, 10, []string{"1", "2", "3"}},
			{"Page", 1, 1, []string{"2"}},
			{"PastEnd", 3, 10, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, total, err := st.ListGroups(t.Context(), "s1", tc.offset, tc.limit)
				must(t, err)
				if ids := groupIDs(list); !sameStrings(ids, groupJIDs(tc.want...)) || total != 3 {
					t.Fatalf("ListGroups(%d, %d) = %v, total %d; want %v, total 3", tc.offset, tc.limit, ids, total, tc.want)
				}
			})
		}
		must(t, st.ReplaceGroups(t.Context(), "s1", []*wagate.Group{newGroup("2", "bravo"), newGroup("4", "delta")}))
		list, total, err := st.ListGroups(t.Context(), "s1", 0, 10)
		must(t, err)
		if ids := groupIDs(list); !sameStrings(ids, groupJIDs("2", "4")) || total != 2 {
			t.Fatalf("after ReplaceGroups: %v, total %d", ids, total)
		}
		if _, n, _ := st.ListGroups(t.Context(), "s2", 0, 10); n != 1 {
			t.Fatalf("ReplaceGroups of s1 touched s2: %d groups", n)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		st := open(t)
		upsertGroups(t, st, "s1", newGroup("1", "a"), newGroup("2", "b"))
		upsertGroups(t, st, "s2", newGroup("1", "a"))
		must(t, st.DeleteGroup(t.Context(), "s1", groupJIDs("1")[0]))
		wantCode(t, st.DeleteGroup(t.Context(), "s1", groupJIDs("1")[0]), wagate.ENOTFOUND)
		must(t, st.DeleteSessionGroups(t.Context(), "s1"))
		if _, n, _ := st.ListGroups(t.Context(), "s1", 0, 10); n != 0 {
			t.Fatalf("%d groups left after DeleteSessionGroups", n)
		}
		findGroup(t, st, "s2", groupJIDs("1")[0])
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		st := open(t)
		wantCode(t, st.UpsertGroups(t.Context(), "s1", []*wagate.Group{{Subject: "no jid"}}), wagate.EINVALID)
	})
}

func newGroup(id, subject string) *wagate.Group {
	return &wagate.Group{
		JID: groupJIDs(id)[0], Subject: subject, Description: "about " + subject,
		OwnerJID: "34600000001@s.whatsapp.net", CreatedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Announce: true, Locked: true, InviteCode: "Code" + id,
		Participants: []wagate.GroupParticipant{
			{JID: "34600000001@s.whatsapp.net", LID: "111@lid", Phone: "34600000001", IsAdmin: true, IsSuperAdmin: true},
			{JID: "222@lid", LID: "222@lid"},
		},
	}
}

func groupJIDs(ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "12036300000000000" + id + "@g.us"
	}
	return out
}

func groupIDs(gs []*wagate.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.JID)
	}
	return out
}

func upsertGroups(t *testing.T, st wagate.GroupStore, sessionID string, gs ...*wagate.Group) {
	t.Helper()
	must(t, st.UpsertGroups(t.Context(), sessionID, gs))
}

func findGroup(t *testing.T, st wagate.GroupStore, sessionID, jid string) *wagate.Group {
	t.Helper()
	g, err := st.FindGroup(t.Context(), sessionID, jid)
	must(t, err)
	return g
}

// compareGroup compares everything but SessionID and UpdatedAt.
func compareGroup(t *testing.T, got, want *wagate.Group) {
	t.Helper()
	g, w := *got, *want
	if !sameTime(g.CreatedAt, w.CreatedAt) {
		t.Errorf("group %s: CreatedAt %v, want %v", w.JID, g.CreatedAt, w.CreatedAt)
	}
	g.SessionID, w.SessionID, g.UpdatedAt, w.UpdatedAt, g.CreatedAt, w.CreatedAt = "", "", time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("group %s:\n got  %+v\n want %+v", w.JID, g, w)
	}
}
