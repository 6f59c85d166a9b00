package porttest

import (
	"reflect"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// ContactStore runs the conformance suite of wagate.ContactStore.
func ContactStore(t *testing.T, open func(t *testing.T) wagate.ContactStore) {
	t.Run("UpsertAndFind", func(t *testing.T) { contactUpsert(t, open(t)) })
	t.Run("Profile", func(t *testing.T) { contactProfile(t, open(t)) })
	t.Run("LIDMerges", func(t *testing.T) { contactLID(t, open(t)) })
	t.Run("List", func(t *testing.T) { contactList(t, open(t)) })
	t.Run("Stats", func(t *testing.T) {
		st := open(t)
		upsertContacts(t, st, "s1", newContact("34600000001", "Ana"), newContact("34600000002", ""), newContact("34600000003", "Carla"))
		must(t, st.SetContactProfile(t.Context(), "s1", "34600000002@s.whatsapp.net", wagate.ContactProfile{PictureURL: "https://pp/2.jpg", PictureID: "2"}))
		upsertContacts(t, st, "s2", newContact("34600000009", "Zoe"))
		got, err := st.ContactStats(t.Context(), "s1")
		must(t, err)
		want := wagate.ContactStats{Total: 3, Users: 3, WAContacts: 3, WithNames: 2, WithProfilePics: 1}
		if *got != want {
			t.Fatalf("ContactStats = %+v, want %+v", *got, want)
		}
	})
	t.Run("DeleteSession", func(t *testing.T) {
		st := open(t)
		upsertContacts(t, st, "s1", newContact("34600000001", "Ana"))
		upsertContacts(t, st, "s2", newContact("34600000001", "Ana"))
		must(t, st.DeleteSessionContacts(t.Context(), "s1"))
		_, err := st.FindContact(t.Context(), "s1", "34600000001")
		wantCode(t, err, wagate.ENOTFOUND)
		_, err = st.FindContact(t.Context(), "s2", "34600000001")
		must(t, err)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		st := open(t)
		wantCode(t, st.UpsertContacts(t.Context(), "s1", []*wagate.Contact{{Name: "no jid"}}), wagate.EINVALID)
	})
}

func contactUpsert(t *testing.T, st wagate.ContactStore) {
	ana := newContact("34600000001", "Ana García")
	ana.LID, ana.FirstName, ana.PushName, ana.BusinessName = "111@lid", "Ana", "Anita", "Ana SL"
	upsertContacts(t, st, "s1", ana)
	for _, key := range []string{"34600000001@s.whatsapp.net", "111@lid", "34600000001"} {
		got, err := st.FindContact(t.Context(), "s1", key)
		must(t, err)
		compareContact(t, got, ana)
	}
	_, err := st.FindContact(t.Context(), "s2", "34600000001")
	wantCode(t, err, wagate.ENOTFOUND)
	upsertContacts(t, st, "s1", &wagate.Contact{JID: "34600000006@s.whatsapp.net", PushName: "Eva"})
	if eva, err := st.FindContact(t.Context(), "s1", "34600000006"); err != nil || eva.Phone != "34600000006" {
		t.Fatalf("a contact given without Phone is found by its number: %+v, %v", eva, err)
	}

	// a second upsert replaces the names (also with empty ones)
	again := newContact("34600000001", "Ana G.")
	again.LID = "111@lid"
	upsertContacts(t, st, "s1", again)
	got, err := st.FindContact(t.Context(), "s1", "34600000001")
	must(t, err)
	compareContact(t, got, again)
}

func contactProfile(t *testing.T, st wagate.ContactStore) {
	ana := newContact("34600000001", "Ana")
	upsertContacts(t, st, "s1", ana)
	at := time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)
	p := wagate.ContactProfile{About: "busy", PictureID: "p1", PictureURL: "https://pp/1.jpg", BusinessName: "Ana SL",
		Business: &wagate.BusinessProfile{Email: "a@example.com", Categories: []string{"Shop"}}, FetchedAt: at}
	must(t, st.SetContactProfile(t.Context(), "s1", ana.JID, p))
	got, err := st.FindContact(t.Context(), "s1", ana.JID)
	must(t, err)
	if got.Name != "Ana" || got.About != "busy" || got.PictureURL != p.PictureURL || got.BusinessName != "Ana SL" ||
		!reflect.DeepEqual(got.Business, p.Business) || !sameTime(got.ProfileAt, at) {
		t.Fatalf("after SetContactProfile: %+v (business %+v)", got, got.Business)
	}

	// an address-book upsert keeps the profile
	upsertContacts(t, st, "s1", newContact("34600000001", "Ana B"))
	got, _ = st.FindContact(t.Context(), "s1", ana.JID)
	if got.Name != "Ana B" || got.About != "busy" || got.PictureURL != p.PictureURL {
		t.Fatalf("upsert lost the profile: %+v", got)
	}

	// a picture change clears the URL and marks the profile stale
	must(t, st.SetContactPicture(t.Context(), "s1", ana.JID, "p2"))
	got, _ = st.FindContact(t.Context(), "s1", ana.JID)
	if got.PictureID != "p2" || got.PictureURL != "" || !got.ProfileAt.IsZero() {
		t.Fatalf("after SetContactPicture: %+v", got)
	}
	must(t, st.SetContactPicture(t.Context(), "s1", "34699999999@s.whatsapp.net", "x"))
	if _, err := st.FindContact(t.Context(), "s1", "34699999999"); wagate.ErrorCode(err) != wagate.ENOTFOUND {
		t.Fatalf("SetContactPicture created a contact: %v", err)
	}

	// a look-up of an unknown user creates it
	must(t, st.SetContactProfile(t.Context(), "s1", "34600000005@s.whatsapp.net", wagate.ContactProfile{About: "hi", FetchedAt: at}))
	got, err = st.FindContact(t.Context(), "s1", "34600000005")
	must(t, err)
	if !got.IsWAContact || got.About != "hi" || got.Phone != "34600000005" {
		t.Fatalf("looked-up contact: %+v", got)
	}
}

func contactLID(t *testing.T, st wagate.ContactStore) {
	// known first by LID only (a group member), with a profile
	upsertContacts(t, st, "s1", &wagate.Contact{JID: "222@lid", PushName: "Bruno", IsWAContact: true})
	must(t, st.SetContactProfile(t.Context(), "s1", "222@lid", wagate.ContactProfile{About: "hola", FetchedAt: time.Now()}))
	// then by phone: one contact remains, named by phone, with the profile
	bruno := newContact("34600000002", "")
	bruno.LID, bruno.PushName = "222@lid", "Bruno"
	upsertContacts(t, st, "s1", bruno)
	list, total, err := st.ListContacts(t.Context(), wagate.ContactFilter{SessionID: "s1", Limit: 10})
	must(t, err)
	if total != 1 || len(list) != 1 || list[0].JID != bruno.JID || list[0].LID != "222@lid" || list[0].About != "hola" {
		t.Fatalf("after merging by LID: total %d, %+v", total, list)
	}
	// a later change reported under the LID updates the phone contact
	upsertContacts(t, st, "s1", &wagate.Contact{JID: "222@lid", PushName: "Bruno D", IsWAContact: true})
	list, total, err = st.ListContacts(t.Context(), wagate.ContactFilter{SessionID: "s1", Limit: 10})
	must(t, err)
	if total != 1 || list[0].JID != bruno.JID || list[0].PushName != "Bruno D" {
		t.Fatalf("LID update: total %d, %+v", total, list)
	}
}

func contactList(t *testing.T, st wagate.ContactStore) {
	zoe := newContact("34600000004", "")
	zoe.PushName = "zoe"
	upsertContacts(t, st, "s1", newContact("34600000003", "Carla"), newContact("34600000001", "ana"), zoe,
		newContact("34600000002", "Bruno"), newContact("4915100000000", "_under%"))
	upsertContacts(t, st, "s2", newContact("34600000009", "Ana"))
	for _, tc := range []struct {
		name          string
		search        string
		offset, limit int
		want          []string
		total         int
	}{
		{"All", "", 0, 10, []string{"4915100000000", "34600000001", "34600000002", "34600000003", "34600000004"}, 5},
		{"Page", "", 1, 2, []string{"34600000001", "34600000002"}, 5},
		{"ByName", "BRU", 0, 10, []string{"34600000002"}, 1},
		{"ByPushName", "zo", 0, 10, []string{"34600000004"}, 1},
		{"ByNumber", "+34 600 000 003", 0, 10, []string{"34600000003"}, 1},
		{"ByPartialNumber", "346000", 0, 2, []string{"34600000001", "34600000002"}, 4},
		{"WildcardsAreLiteral", "_u", 0, 10, []string{"4915100000000"}, 1},
		{"NoMatch", "nobody", 0, 10, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, total, err := st.ListContacts(t.Context(), wagate.ContactFilter{SessionID: "s1", Search: tc.search, Offset: tc.offset, Limit: tc.limit})
			must(t, err)
			var phones []string
			for _, c := range list {
				phones = append(phones, c.Phone)
			}
			if !sameStrings(phones, tc.want) || total != tc.total {
				t.Fatalf("ListContacts(%q, %d, %d) = %v, total %d; want %v, total %d", tc.search, tc.offset, tc.limit, phones, total, tc.want, tc.total)
			}
		})
	}
}

func newContact(phone, name string) *wagate.Contact {
	return &wagate.Contact{JID: phone + "@s.whatsapp.net", Phone: phone, Name: name, IsWAContact: true}
}

func upsertContacts(t *testing.T, st wagate.ContactStore, sessionID string, cs ...*wagate.Contact) {
	t.Helper()
	must(t, st.UpsertContacts(t.Context(), sessionID, cs))
}

// compareContact compares the address-book part.
func compareContact(t *testing.T, got, want *wagate.Contact) {
	t.Helper()
	g := [...]any{got.JID, got.LID, got.Phone, got.Name, got.FirstName, got.PushName, got.BusinessName, got.IsWAContact}
	w := [...]any{want.JID, want.LID, want.Phone, want.Name, want.FirstName, want.PushName, want.BusinessName, want.IsWAContact}
	if g != w {
		t.Errorf("contact %s: got %v, want %v", want.JID, g, w)
	}
}
