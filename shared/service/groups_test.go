package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

const testGroup = "120363000000000001@g.us"

// groupAnswers plays a connector that knows one group.
func groupAnswers(c events.Command) (any, error, bool) {
	g := events.GroupPayload{JID: testGroup, Subject: "Equipo", Participants: []events.GroupMemberPayload{{JID: "34600000001@s.whatsapp.net", IsAdmin: true}}}
	switch c.Type {
	case events.CmdGroupCreate:
		return events.GroupCreateResult{Group: g, Participants: []events.ParticipantResult{{JID: "34600000002@s.whatsapp.net", Status: "invite_sent", Code: 403}}}, nil, false
	case events.CmdGroupInfo, events.CmdGroupUpdate:
		if strings.Contains(string(c.Payload), "120363000000000009") {
			return nil, wagate.Errorf(wagate.EFORBIDDEN, "not an admin"), false
		}
		return events.GroupResult{Group: g}, nil, false
	case events.CmdGroupParticipants:
		return events.GroupParticipantsResult{GroupJID: testGroup, Action: "add", Participants: []events.ParticipantResult{{JID: "34600000002@s.whatsapp.net", Status: "ok", Code: 200}}}, nil, false
	case events.CmdGroupInviteCode:
		return events.GroupInviteCodeResult{GroupJID: testGroup, Code: "AbCdEfGhIjKlMnOpQrStUv"}, nil, false
	case events.CmdGroupJoin:
		return events.GroupJoinResult{GroupJID: testGroup, Group: &g}, nil, false
	case events.CmdGroupList:
		return nil, nil, true // never answers: the request stays pending
	}
	return nil, wagate.Errorf(wagate.ENOTSUPPORTED, "unexpected %s", c.Type), false
}

func TestGroups_Validation(t *testing.T) {
	d := newDirectory(t, groupAnswers)
	ctx := context.Background()
	long := strings.Repeat("x", wagate.MaxGroupSubject+1)
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"ErrNoSession", func() error {
			_, _, err := d.gs.Create(ctx, "nope", service.CreateGroupInput{Subject: "a", Participants: []string{"34600000002"}})
			return err
		}, wagate.ENOSESSION},
		{"ErrNotConnected", func() error {
			_, _, err := d.gs.Create(ctx, "down", service.CreateGroupInput{Subject: "a", Participants: []string{"34600000002"}})
			return err
		}, wagate.ENOTCONNECTED},
		{"ErrSubjectTooLong", func() error {
			_, _, err := d.gs.Create(ctx, "up", service.CreateGroupInput{Subject: long, Participants: []string{"34600000002"}})
			return err
		}, wagate.EINVALID},
		{"ErrNoSubject", func() error {
			_, _, err := d.gs.Create(ctx, "up", service.CreateGroupInput{Participants: []string{"34600000002"}})
			return err
		}, wagate.EINVALID},
		{"ErrNoParticipants", func() error { _, _, err := d.gs.Create(ctx, "up", service.CreateGroupInput{Subject: "a"}); return err }, wagate.EINVALID},
		{"ErrGroupAsParticipant", func() error {
			_, _, err := d.gs.Create(ctx, "up", service.CreateGroupInput{Subject: "a", Participants: []string{testGroup}})
			return err
		}, wagate.EINVALID},
		{"ErrBadGroupID", func() error { _, _, err := d.gs.Get(ctx, "up", "34600000002@s.whatsapp.net"); return err }, wagate.EINVALID},
		{"ErrNothingToUpdate", func() error { _, _, err := d.gs.Update(ctx, "up", testGroup, wagate.GroupUpdate{}); return err }, wagate.EINVALID},
		{"ErrBadAction", func() error {
			_, _, err := d.gs.Participants(ctx, "up", testGroup, "explode", []string{"34600000002"})
			return err
		}, wagate.EINVALID},
		{"ErrBadInviteCode", func() error { _, _, err := d.gs.Join(ctx, "up", "not a code!"); return err }, wagate.EINVALID},
		{"ErrForeignLink", func() error { _, _, err := d.gs.Join(ctx, "up", "https://example.com/AbCdEfGhIj"); return err }, wagate.EINVALID},
		{"ErrStoredGroupUnknownWhileDown", func() error { _, _, err := d.gs.Get(ctx, "down", testGroup); return err }, wagate.ENOTCONNECTED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErrCode(t, tt.call(), tt.code) })
	}
	if got := d.commands(); len(got) != 0 {
		t.Fatalf("refused requests reached the connector: %v", got)
	}
}

func TestGroups_Flow(t *testing.T) {
	d := newDirectory(t, groupAnswers)
	ctx := context.Background()

	created, pending, err := d.gs.Create(ctx, "up", service.CreateGroupInput{Subject: " Equipo ", Participants: []string{"+34 600 000 002", "34600000002@s.whatsapp.net"}})
	if err != nil || pending != nil || created.Group.JID != testGroup || created.Results[0].Status != wagate.ParticipantInviteSent {
		t.Fatalf("create = %+v, %v, %v", created, pending, err)
	}
	g, _, err := d.gs.Get(ctx, "up", "120363000000000001")
	if err != nil || g.Subject != "Equipo" || g.SessionID != "up" {
		t.Fatalf("get by bare id = %+v, %v", g, err)
	}
	name := "Nuevo"
	_, _, err = d.gs.Update(ctx, "up", "120363000000000009@g.us", wagate.GroupUpdate{Subject: &name})
	wantErrCode(t, err, wagate.EFORBIDDEN)
	out, _, err := d.gs.Participants(ctx, "up", testGroup, wagate.ParticipantAdd, []string{"34600000002"})
	if err != nil || !out.Results[0].OK() || out.Action != wagate.ParticipantAdd {
		t.Fatalf("participants = %+v, %v", out, err)
	}
	inv, _, err := d.gs.InviteCode(ctx, "up", testGroup, true)
	if err != nil || inv.Code != "AbCdEfGhIjKlMnOpQrStUv" {
		t.Fatalf("invite = %+v, %v", inv, err)
	}
	joined, _, err := d.gs.Join(ctx, "up", "https://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv?lang=es")
	if err != nil || joined.GroupJID != testGroup || joined.Group == nil {
		t.Fatalf("join = %+v, %v", joined, err)
	}

	// create sends one payload with the participants normalised and deduplicated
	d.mu.Lock()
	first := d.seen[0]
	d.mu.Unlock()
	if !strings.Contains(string(first.Payload), `"participants":["34600000002@s.whatsapp.net"]`) || !strings.Contains(string(first.Payload), `"subject":"Equipo"`) {
		t.Fatalf("create payload %s", first.Payload)
	}

	t.Run("Pending", func(t *testing.T) {
		d.cmds.Wait = 30 * time.Millisecond
		_, _, pending, err := d.gs.List(ctx, "up", 1, 20, true)
		if err != nil || pending == nil || pending.Status != wagate.CommandPending || pending.Type != events.CmdGroupList {
			t.Fatalf("list refresh = %+v, %v", pending, err)
		}
		got, err := d.cmds.Get(ctx, pending.ID)
		if err != nil || got.Status != wagate.CommandPending {
			t.Fatalf("read back = %+v, %v", got, err)
		}
	})
}

func TestInviteCode(t *testing.T) {
	for in, want := range map[string]string{
		"AbCdEfGhIjKlMnOpQrStUv":                             "AbCdEfGhIjKlMnOpQrStUv",
		" https://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv ": "AbCdEfGhIjKlMnOpQrStUv",
		"chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv":           "AbCdEfGhIjKlMnOpQrStUv",
		"https://chat.whatsapp.com/invite/AbCdEf1234?x=1":    "AbCdEf1234",
		"http://www.chat.whatsapp.com/AbCdEf1234/":           "AbCdEf1234",
	} {
		if got, err := service.InviteCode(in); err != nil || got != want {
			t.Errorf("InviteCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "https://chat.whatsapp.com/", "https://evil.example/AbCdEf1234", "AbC dEf1234"} {
		if _, err := service.InviteCode(bad); wagate.ErrorCode(err) != wagate.EINVALID {
			t.Errorf("InviteCode(%q) err = %v, want VALIDATION_ERROR", bad, err)
		}
	}
}
