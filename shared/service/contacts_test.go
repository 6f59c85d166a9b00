package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// contactAnswers plays a connector: numbers ending in 404 are not on
// WhatsApp, 429 is rate-limited, anything else is a user who is "busy".
func contactAnswers(c events.Command) (any, error, bool) {
	switch c.Type {
	case events.CmdContactCheck:
		var p events.ContactCheckPayload
		_ = jsonOf(c, &p)
		var out events.ContactCheckResult
		for _, ph := range p.Phones {
			out.Results = append(out.Results, events.PhoneCheckResult{Phone: ph, JID: ph + "@s.whatsapp.net", Exists: ph[len(ph)-3:] != "404"})
		}
		return out, nil, false
	case events.CmdContactInfo:
		var p events.ContactInfoPayload
		_ = jsonOf(c, &p)
		switch user := strings.TrimSuffix(p.JID, "@s.whatsapp.net"); {
		case strings.HasSuffix(user, "404"):
			return nil, wagate.Errorf(wagate.ENOTFOUND, "not on WhatsApp"), false
		case strings.HasSuffix(user, "429"):
			return nil, wagate.Errorf(wagate.ERATELIMIT, "slow down"), false
		}
		return events.ContactInfoResult{JID: p.JID, About: "busy", PictureURL: "https://pp/1.jpg", FetchedAt: time.Now()}, nil, false
	}
	return nil, wagate.Errorf(wagate.ENOTSUPPORTED, "unexpected %s", c.Type), false
}

func TestContacts(t *testing.T) {
	d := newDirectory(t, contactAnswers)
	ctx := context.Background()
	stale := time.Now().Add(-30 * time.Hour)
	for _, s := range []string{"up", "down"} {
		if err := d.contacts.UpsertContacts(ctx, s, []*wagate.Contact{
			{JID: "34600000101@s.whatsapp.net", Name: "Ana", IsWAContact: true},
			{JID: "34600000429@s.whatsapp.net", PushName: "Slow", IsWAContact: true},
		}); err != nil {
			t.Fatal(err)
		}
		_ = d.contacts.SetContactProfile(ctx, s, "34600000429@s.whatsapp.net", wagate.ContactProfile{About: "old", FetchedAt: stale})
	}

	t.Run("ListAndStats", func(t *testing.T) {
		list, total, err := d.cs.List(ctx, "up", "an", 1, 10)
		if err != nil || total != 1 || list[0].Name != "Ana" {
			t.Fatalf("list = %v, %d, %v", list, total, err)
		}
		st, err := d.cs.Stats(ctx, "up")
		if err != nil || st.Total != 2 || st.WithNames != 1 {
			t.Fatalf("stats = %+v, %v", st, err)
		}
		_, _, err = d.cs.List(ctx, "nope", "", 1, 10)
		wantErrCode(t, err, wagate.ENOSESSION)
	})

	t.Run("Search", func(t *testing.T) {
		known, _, err := d.cs.Search(ctx, "down", "+34 600 000 101")
		if err != nil || !known.Exists || known.Contact.Name != "Ana" {
			t.Fatalf("known contact = %+v, %v", known, err)
		}
		fresh, _, err := d.cs.Search(ctx, "up", "34600000777")
		if err != nil || !fresh.Exists || fresh.Contact.JID != "34600000777@s.whatsapp.net" {
			t.Fatalf("checked number = %+v, %v", fresh, err)
		}
		missing, _, err := d.cs.Search(ctx, "up", "34600000404")
		if err != nil || missing.Exists || missing.Contact != nil {
			t.Fatalf("number not on WhatsApp = %+v, %v", missing, err)
		}
		_, _, err = d.cs.Search(ctx, "down", "34600000777")
		wantErrCode(t, err, wagate.ENOTCONNECTED)
		_, _, err = d.cs.Search(ctx, "up", "12ab")
		wantErrCode(t, err, wagate.EINVALID)
	})

	t.Run("Info", func(t *testing.T) {
		before := len(d.commands())
		first, _, err := d.cs.Info(ctx, "up", "34600000101")
		if err != nil || first.Contact.About != "busy" || first.Stale {
			t.Fatalf("info = %+v, %v", first, err)
		}
		// the connector caches profiles (this fake does not: do it here)
		if err := d.contacts.SetContactProfile(ctx, "up", "34600000101@s.whatsapp.net", wagate.ContactProfile{About: "busy", FetchedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		again, _, err := d.cs.Info(ctx, "up", "34600000101@s.whatsapp.net")
		if err != nil || again.Contact.About != "busy" || again.Contact.Name != "Ana" {
			t.Fatalf("cached info = %+v, %v", again, err)
		}
		if n := len(d.commands()) - before; n != 1 {
			t.Fatalf("%d look-ups for two info requests within the TTL, want 1", n)
		}
		limited, _, err := d.cs.Info(ctx, "up", "34600000429")
		if err != nil || !limited.Stale || limited.Contact.About != "old" {
			t.Fatalf("rate-limited info of a stored contact = %+v, %v", limited, err)
		}
		down, _, err := d.cs.Info(ctx, "down", "34600000429")
		if err != nil || !down.Stale {
			t.Fatalf("info while disconnected = %+v, %v", down, err)
		}
		_, _, err = d.cs.Info(ctx, "up", "34600000404")
		wantErrCode(t, err, wagate.ENOTFOUND)
		_, _, err = d.cs.Info(ctx, "down", "34600000777")
		wantErrCode(t, err, wagate.ENOTCONNECTED)
		_, _, err = d.cs.Info(ctx, "up", "120363000000000001@g.us")
		wantErrCode(t, err, wagate.EINVALID)
	})
}

func TestCommands_Request(t *testing.T) {
	d := newDirectory(t, func(c events.Command) (any, error, bool) {
		return map[string]string{"ok": "yes"}, nil, c.SessionID == "slow"
	})
	ctx := context.Background()

	done, err := d.cmds.Request(ctx, "up", events.CmdGroupList, nil)
	if err != nil || done.Status != wagate.CommandDone || string(done.Result) != `{"ok":"yes"}` {
		t.Fatalf("done = %+v, %v", done, err)
	}
	d.cmds.Wait = -1 // answer at once
	at, err := d.cmds.Request(ctx, "up", events.CmdGroupList, nil)
	if err != nil || at.Status != wagate.CommandPending || at.ExpiresAt.Before(time.Now().Add(wagate.CommandResultTTL-time.Minute)) {
		t.Fatalf("answer at once = %+v, %v", at, err)
	}
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if got, _ := d.cmds.Get(ctx, at.ID); got.Status == wagate.CommandDone {
			break
		}
	}
	if got, _ := d.cmds.Get(ctx, at.ID); got.Status != wagate.CommandDone {
		t.Fatalf("read back = %+v", got)
	}
	d.cmds.Wait = 20 * time.Millisecond
	slow, err := d.cmds.Request(ctx, "slow", events.CmdGroupList, nil)
	if err != nil || slow.Status != wagate.CommandPending {
		t.Fatalf("wait ran out = %+v, %v", slow, err)
	}
	if !slices.Contains(d.commands(), events.CmdGroupList) {
		t.Fatal("commands were not queued")
	}
}
