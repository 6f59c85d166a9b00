package sim_test

import (
	"strings"
	"testing"

	"github.com/wagate/wagate/connector/sim"
	wagate "github.com/wagate/wagate/shared"
)

const (
	adminPhone  = "34600000001"
	memberPhone = "34600000002"
)

func TestGroups(t *testing.T) {
	n := MustOpenNetwork(t, fastOptions())
	admin, ra, _ := pairedSession(t, n, "admin", adminPhone)
	member, rm, _ := pairedSession(t, n, "member", memberPhone)
	ga, gm := admin.(wagate.EngineGroups), member.(wagate.EngineGroups)

	t.Run("ErrSubject", func(t *testing.T) {
		_, _, err := ga.CreateGroup(t.Context(), strings.Repeat("x", 26), nil)
		wantCode(t, err, wagate.EINVALID)
	})

	g, results, err := ga.CreateGroup(t.Context(), "Equipo", []string{
		memberPhone + "@s.whatsapp.net", "34600000403@s.whatsapp.net", "34600000404@s.whatsapp.net", memberPhone + "@s.whatsapp.net",
	})
	wantCode(t, err, "")
	t.Run("Create", func(t *testing.T) {
		want := []wagate.ParticipantStatus{wagate.ParticipantOK, wagate.ParticipantInviteSent, wagate.ParticipantNotOnWhatsApp, wagate.ParticipantAlreadyIn}
		for i, r := range results {
			if r.Status != want[i] {
				t.Errorf("participant %d: %+v, want %s", i, r, want[i])
			}
		}
		if len(g.Participants) != 2 || !g.Participants[0].IsSuperAdmin || g.Participants[1].IsAdmin {
			t.Fatalf("members: %+v", g.Participants)
		}
		// both sessions get the new group, as whatsmeow's JoinedGroup
		for _, r := range []*recorder{ra, rm} {
			if ev := waitFor[wagate.GroupEvent](t, r); ev.Group.JID != g.JID || len(ev.Group.Participants) != 2 {
				t.Fatalf("joined event %+v", ev.Group)
			}
		}
	})

	t.Run("NotAdmin", func(t *testing.T) {
		_, err := gm.UpdateParticipants(t.Context(), g.JID, wagate.ParticipantAdd, []string{"34600000009@s.whatsapp.net"})
		wantCode(t, err, wagate.EFORBIDDEN)
		_, err = gm.InviteCode(t.Context(), g.JID, false)
		wantCode(t, err, wagate.EFORBIDDEN)
		locked := true
		wantCode(t, gm.UpdateGroup(t.Context(), g.JID, wagate.GroupUpdate{Locked: &locked}), wagate.EFORBIDDEN)
		// an unlocked group's subject is anyone's to edit
		subject := "Equipo B"
		wantCode(t, gm.UpdateGroup(t.Context(), g.JID, wagate.GroupUpdate{Subject: &subject}), "")
		wantCode(t, ga.UpdateGroup(t.Context(), g.JID, wagate.GroupUpdate{Locked: &locked}), "")
		wantCode(t, gm.UpdateGroup(t.Context(), g.JID, wagate.GroupUpdate{Subject: &subject}), wagate.EFORBIDDEN)
		ev := waitFor[wagate.GroupChangeEvent](t, ra)
		if ev.Change.Subject == nil || *ev.Change.Subject != subject {
			t.Fatalf("change event %+v", ev)
		}
	})

	t.Run("Participants", func(t *testing.T) {
		rs, err := ga.UpdateParticipants(t.Context(), g.JID, wagate.ParticipantPromote, []string{memberPhone + "@s.whatsapp.net", "34600000009@s.whatsapp.net"})
		wantCode(t, err, "")
		if rs[0].Status != wagate.ParticipantOK || rs[1].Status != wagate.ParticipantNotInGroup {
			t.Fatalf("promote: %+v", rs)
		}
		// an admin who is not the creator cannot remove the creator
		rs, _ = gm.UpdateParticipants(t.Context(), g.JID, wagate.ParticipantRemove, []string{adminPhone + "@s.whatsapp.net"})
		if rs[0].Status != wagate.ParticipantNotAllowed {
			t.Fatalf("remove the creator: %+v", rs)
		}
		rs, _ = ga.UpdateParticipants(t.Context(), g.JID, wagate.ParticipantRemove, []string{memberPhone + "@s.whatsapp.net"})
		if !rs[0].OK() {
			t.Fatalf("remove: %+v", rs)
		}
		for {
			if ev := waitFor[wagate.GroupChangeEvent](t, rm); ev.Change.Left {
				break
			}
		}
		_, err = gm.GroupInfo(t.Context(), g.JID)
		wantCode(t, err, wagate.EFORBIDDEN)
	})

	t.Run("InviteCodes", func(t *testing.T) {
		code, err := ga.InviteCode(t.Context(), g.JID, false)
		wantCode(t, err, "")
		fresh, err := ga.InviteCode(t.Context(), g.JID, true)
		wantCode(t, err, "")
		if len(fresh) != 22 || fresh == code {
			t.Fatalf("reset code %q (old %q)", fresh, code)
		}
		_, err = gm.JoinWithCode(t.Context(), code)
		wantCode(t, err, wagate.ENOTFOUND)
		joined, err := gm.JoinWithCode(t.Context(), fresh)
		if err != nil || joined != g.JID {
			t.Fatalf("join = %q, %v", joined, err)
		}
	})

	t.Run("SeedGroup", func(t *testing.T) {
		jid, err := gm.JoinWithCode(t.Context(), sim.SeedInviteCode)
		if err != nil || jid != sim.SeedGroupJID {
			t.Fatalf("join seed group = %q, %v", jid, err)
		}
		seed, err := gm.GroupInfo(t.Context(), sim.SeedGroupJID)
		wantCode(t, err, "")
		if !seed.Locked || len(seed.Participants) != 4 {
			t.Fatalf("seed group %+v", seed)
		}
		subject := "mine now"
		wantCode(t, gm.UpdateGroup(t.Context(), sim.SeedGroupJID, wagate.GroupUpdate{Subject: &subject}), wagate.EFORBIDDEN)
		groups, err := gm.JoinedGroups(t.Context())
		if err != nil || len(groups) != 2 {
			t.Fatalf("joined groups = %d, %v", len(groups), err)
		}
		_, err = ga.GroupInfo(t.Context(), sim.SeedGroupJID)
		wantCode(t, err, wagate.EFORBIDDEN)
		_, err = ga.GroupInfo(t.Context(), "120363999999999999@g.us")
		wantCode(t, err, wagate.ENOTFOUND)
	})

	t.Run("ErrNotConnected", func(t *testing.T) {
		member.Disconnect()
		_, err := gm.JoinedGroups(t.Context())
		wantCode(t, err, wagate.ENOTCONNECTED)
	})
}
