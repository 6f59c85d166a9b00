package porttest

import (
	"fmt"
	"slices"
	"testing"

	wagate "github.com/wagate/wagate/shared"
)

// listSeed is the session s1 of the ListMessages tests, one message per
// second; session s2 holds two more messages that no s1 filter may return.
var listSeed = []msgSpec{
	{id: "m01", chat: "c1", sec: 1},
	{id: "m02", chat: "c1", sec: 2, fromMe: true},
	{id: "m03", chat: "c2", sec: 3, typ: wagate.TypeImage},
	{id: "m04", chat: "c1", sec: 4, typ: wagate.TypeImage, fromMe: true},
	{id: "m05", chat: "c2", sec: 5},
	{id: "m06", chat: "c3", sec: 6, typ: wagate.TypeAudio, history: true},
	{id: "m07", chat: "c1", sec: 7},
	{id: "m08", chat: "c2", sec: 8, typ: wagate.TypeImage, fromMe: true},
	{id: "m09", chat: "c1", sec: 9, fromMe: true},
	{id: "m10", chat: "c3", sec: 10, seen: true},
	{id: "m11", chat: "c1", sec: 11, typ: wagate.TypeImage},
	{id: "m12", chat: "c2", sec: 12, fromMe: true},
}

func messageList(t *testing.T, open func(t *testing.T) wagate.MessageStore) {
	yes, no := true, false
	for _, tc := range []struct {
		name string
		f    wagate.MessageFilter
	}{
		{"All", wagate.MessageFilter{}},
		{"Chat", wagate.MessageFilter{ChatID: "c1"}},
		{"ChatUnknown", wagate.MessageFilter{ChatID: "c9"}},
		{"Type", wagate.MessageFilter{Type: wagate.TypeImage}},
		{"TypeNone", wagate.MessageFilter{Type: wagate.TypeLocation}},
		{"FromMe", wagate.MessageFilter{FromMe: &yes}},
		{"NotFromMe", wagate.MessageFilter{FromMe: &no}},
		{"Since", wagate.MessageFilter{Since: at(5)}},
		{"Until", wagate.MessageFilter{Until: at(5)}},
		{"Range", wagate.MessageFilter{Since: at(4), Until: at(9)}},
		{"RangeEmpty", wagate.MessageFilter{Since: at(100)}},
		{"ChatType", wagate.MessageFilter{ChatID: "c1", Type: wagate.TypeText}},
		{"ChatFromMe", wagate.MessageFilter{ChatID: "c2", FromMe: &yes}},
		{"TypeNotFromMe", wagate.MessageFilter{Type: wagate.TypeText, FromMe: &no}},
		{"ChatRange", wagate.MessageFilter{ChatID: "c1", Since: at(2), Until: at(9)}},
		{"TypeRange", wagate.MessageFilter{Type: wagate.TypeImage, Until: at(8)}},
		{"Everything", wagate.MessageFilter{ChatID: "c1", Type: wagate.TypeImage, FromMe: &no, Since: at(1), Until: at(11)}},
		{"Limit", wagate.MessageFilter{Limit: 5}},
		{"Offset", wagate.MessageFilter{Offset: 5, Limit: 5}},
		{"LastPage", wagate.MessageFilter{Offset: 10, Limit: 5}},
		{"OffsetPastEnd", wagate.MessageFilter{Offset: 20, Limit: 5}},
		{"ChatPage", wagate.MessageFilter{ChatID: "c1", Offset: 1, Limit: 2}},
		{"TypePage", wagate.MessageFilter{Type: wagate.TypeText, Offset: 2, Limit: 2}},
		{"FromMePage", wagate.MessageFilter{FromMe: &yes, Offset: 1, Limit: 2}},
		{"CombinedPage", wagate.MessageFilter{ChatID: "c1", FromMe: &no, Offset: 1, Limit: 1}},
		{"RangePage", wagate.MessageFilter{Since: at(3), Offset: 2, Limit: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			stored := seedList(t, st)
			f := tc.f
			f.SessionID = "s1"
			if f.Limit == 0 {
				f.Limit = 100
			}
			want, wantTotal := expectedPage(listSeed, f)
			got, total, err := st.ListMessages(t.Context(), f)
			must(t, err)
			if ids := waIDs(got); !sameStrings(ids, want) || total != wantTotal {
				t.Fatalf("ListMessages(%+v) = %v, total %d; want %v, total %d", f, ids, total, want, wantTotal)
			}
			for _, m := range got {
				compareMessage(t, m, stored[m.WhatsAppID])
			}
		})
	}

	t.Run("PagesCoverAll", func(t *testing.T) {
		st := open(t)
		const n = 30
		for i := range n {
			// pairs of messages share a timestamp
			insert(t, st, newMsg(msgSpec{session: "s1", id: fmt.Sprintf("p%02d", i), chat: fmt.Sprint("c", i%3), sec: i / 2}))
		}
		var all []*wagate.Message
		for offset := 0; offset < n+7; offset += 7 {
			page, total, err := st.ListMessages(t.Context(), wagate.MessageFilter{SessionID: "s1", Offset: offset, Limit: 7})
			must(t, err)
			if total != n {
				t.Fatalf("page at %d: total %d, want %d", offset, total, n)
			}
			all = append(all, page...)
		}
		ids := waIDs(all)
		if len(ids) != n {
			t.Fatalf("pages returned %d messages, want %d: %v", len(ids), n, ids)
		}
		slices.Sort(ids)
		if !sameStrings(slices.Compact(ids), numberedf("p%02d", n)) {
			t.Fatalf("pages returned %v, want each message once", ids)
		}
		for i := 1; i < len(all); i++ {
			if all[i].Timestamp.After(all[i-1].Timestamp) {
				t.Fatalf("%s (%v) listed after %s (%v): want newest first",
					all[i].WhatsAppID, all[i].Timestamp, all[i-1].WhatsAppID, all[i-1].Timestamp)
			}
		}
	})

	t.Run("TotalsFollowInserts", func(t *testing.T) {
		st := open(t)
		seedList(t, st)
		insert(t, st, newMsg(msgSpec{session: "s1", id: "new", chat: "c3", sec: 50, typ: wagate.TypeImage, fromMe: true}))
		for _, f := range []wagate.MessageFilter{
			{}, {ChatID: "c3"}, {Type: wagate.TypeImage}, {FromMe: &yes}, {ChatID: "c3", Type: wagate.TypeImage},
		} {
			f.SessionID, f.Limit = "s1", 1
			_, wantTotal := expectedPage(append(slices.Clone(listSeed), msgSpec{id: "new", chat: "c3", sec: 50, typ: wagate.TypeImage, fromMe: true}), f)
			_, total, err := st.ListMessages(t.Context(), f)
			must(t, err)
			if total != wantTotal {
				t.Errorf("ListMessages(%+v) total = %d, want %d", f, total, wantTotal)
			}
		}
	})
}

// seedList stores listSeed in s1 and two messages in s2; it returns the
// stored s1 messages by WhatsApp id.
func seedList(t *testing.T, st wagate.MessageStore) map[string]*wagate.Message {
	t.Helper()
	stored := map[string]*wagate.Message{}
	for _, spec := range listSeed {
		spec.session = "s1"
		stored[spec.id] = insert(t, st, newMsg(spec))
	}
	for _, spec := range []msgSpec{{id: "x1", chat: "c1", sec: 3}, {id: "m05", chat: "c2", sec: 6}} {
		spec.session = "s2"
		insert(t, st, newMsg(spec))
	}
	return stored
}

// expectedPage applies f to specs the way ListMessages must: the WhatsApp
// ids of the page, newest first, and the number that match.
func expectedPage(specs []msgSpec, f wagate.MessageFilter) ([]string, int) {
	var match []msgSpec
	for _, s := range specs {
		m := newMsg(s)
		switch {
		case f.ChatID != "" && m.ChatID != f.ChatID,
			f.Type != "" && m.Type != f.Type,
			f.FromMe != nil && m.FromMe != *f.FromMe,
			!f.Since.IsZero() && m.Timestamp.Before(f.Since),
			!f.Until.IsZero() && m.Timestamp.After(f.Until):
			continue
		}
		match = append(match, s)
	}
	slices.SortFunc(match, func(a, b msgSpec) int { return b.sec - a.sec })
	var ids []string
	for i := f.Offset; i < len(match) && i < f.Offset+f.Limit; i++ {
		ids = append(ids, match[i].id)
	}
	return ids, len(match)
}

// numberedf returns fmt.Sprintf(format, i) for i in [0, n).
func numberedf(format string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf(format, i)
	}
	return ids
}
