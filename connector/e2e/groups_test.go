package e2e_test

import (
	"strings"
	"testing"
	"time"
)

// Simulated network rules the group tests rely on (connector/sim/groups.go):
// numbers ending in 403 refuse being added (an invite is sent), in 404 are
// not on WhatsApp; the network has one group joinable with seedInvite, in
// which a joiner is a plain member of a locked group.
const (
	seedInvite = "SimSeedGroupInvite0001"
	seedGroup  = "120363000000000001@g.us"
)

// eventuallyAPI polls GET path until ok holds for its answer.
func (p *proc) eventuallyAPI(path, what string, ok func(reply) bool) reply {
	p.t.Helper()
	var r reply
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if r = p.api("GET", path, nil); ok(r) {
			return r
		}
	}
	p.t.Fatalf("%s never %s: %s", path, what, r.Raw)
	return r
}

func groupIDs(r reply) []string {
	var out []string
	for _, g := range r.data()["groups"].([]any) {
		out = append(out, g.(map[string]any)["id"].(string))
	}
	return out
}

func TestGroups(t *testing.T) {
	p := startWagate(t, "WAGATE_SEND_RATE=0")
	p.connected("g1", "34600000001")
	p.connected("g2", "34600000002")
	base := "/api/groups/sessions/g1"

	r := p.api("POST", base, map[string]any{"subject": "Equipo", "participants": []string{"34600000002", "34600000403@s.whatsapp.net", "34600000404"}})
	expectStatus(t, r, 201)
	grp := r.data()["group"].(map[string]any)
	gid := grp["id"].(string)
	groupPath := base + "/groups/" + gid

	t.Run("Create", func(t *testing.T) {
		if !strings.HasSuffix(gid, "@g.us") || grp["subject"] != "Equipo" || grp["isAdmin"] != true || grp["size"] != float64(2) {
			t.Fatalf("group: %s", r.Raw)
		}
		want := []string{"ok", "invite_sent", "not_on_whatsapp"}
		for i, x := range r.data()["participants"].([]any) {
			if st := x.(map[string]any)["status"]; st != want[i] {
				t.Fatalf("participant %d: %v, want %s", i, x, want[i])
			}
		}
		for name, body := range map[string]any{
			"subjectTooLong": map[string]any{"subject": strings.Repeat("x", 26), "participants": []string{"34600000002"}},
			"noSubject":      map[string]any{"participants": []string{"34600000002"}},
			"noParticipants": map[string]any{"subject": "x"},
			"badParticipant": map[string]any{"subject": "x", "participants": []string{"not a number"}},
		} {
			t.Run(name, func(t *testing.T) { expectError(t, p.api("POST", base, body), 400, "VALIDATION_ERROR") })
		}
	})

	t.Run("ListAndDetails", func(t *testing.T) {
		list := p.api("GET", base+"?limit=200", nil)
		if ids := groupIDs(list); len(ids) != 1 || ids[0] != gid || list.data()["pagination"].(map[string]any)["limit"] != float64(100) {
			t.Fatalf("list: %s", list.Raw)
		}
		// the member's session learnt the group from WhatsApp's notification
		p.eventuallyAPI("/api/groups/sessions/g2", "listed the group", func(r reply) bool {
			ids := groupIDs(r)
			return len(ids) == 1 && r.data()["groups"].([]any)[0].(map[string]any)["isAdmin"] == false
		})
		expectStatus(t, p.api("GET", base+"?refresh=true", nil), 200)
		d := p.api("GET", groupPath, nil)
		ps := d.data()["group"].(map[string]any)["participants"].([]any)
		if len(ps) != 2 || ps[0].(map[string]any)["admin"] != "superadmin" || ps[1].(map[string]any)["admin"] != nil {
			t.Fatalf("details: %s", d.Raw)
		}
		expectError(t, p.api("GET", base+"/groups/120363999999999999@g.us", nil), 404, "NOT_FOUND")
		expectError(t, p.api("GET", base+"/groups/not-a-group", nil), 400, "VALIDATION_ERROR")
	})

	t.Run("Update", func(t *testing.T) {
		u := p.api("PUT", groupPath, map[string]any{"name": "Equipo Ventas", "description": "Ventas 2026", "announce": true})
		expectStatus(t, u, 200)
		g := u.data()["group"].(map[string]any)
		if g["subject"] != "Equipo Ventas" || g["description"] != "Ventas 2026" || g["announce"] != true || g["locked"] != false {
			t.Fatalf("updated: %s", u.Raw)
		}
		expectError(t, p.api("PUT", groupPath, map[string]any{}), 400, "VALIDATION_ERROR")
		expectError(t, p.api("PUT", groupPath, map[string]any{"subject": strings.Repeat("y", 30)}), 400, "VALIDATION_ERROR")
	})

	t.Run("NotAdmin", func(t *testing.T) {
		member := "/api/groups/sessions/g2/groups/" + gid
		expectError(t, p.api("PUT", member, map[string]any{"locked": true}), 403, "FORBIDDEN")
		expectError(t, p.api("POST", member+"/participants", map[string]any{"participantId": "34600000005"}), 403, "FORBIDDEN")
		expectError(t, p.api("POST", member+"/invite-code", nil), 403, "FORBIDDEN")
	})

	t.Run("Participants", func(t *testing.T) {
		add := p.api("POST", groupPath+"/participants", map[string]any{"participants": []string{"34600000005", "34600000403"}})
		expectStatus(t, add, 200)
		if add.data()["succeeded"] != float64(1) || add.data()["failed"] != float64(1) {
			t.Fatalf("add: %s", add.Raw)
		}
		pr := p.api("POST", groupPath+"/promote", map[string]any{"participantId": "34600000002@s.whatsapp.net"})
		if st := pr.data()["participants"].([]any)[0].(map[string]any)["status"]; st != "ok" {
			t.Fatalf("promote: %s", pr.Raw)
		}
		de := p.api("POST", groupPath+"/demote", map[string]any{"participantIds": []string{"34600000002", "34600000777"}})
		res := de.data()["participants"].([]any)
		if res[0].(map[string]any)["status"] != "ok" || res[1].(map[string]any)["status"] != "not_in_group" {
			t.Fatalf("demote: %s", de.Raw)
		}
		rm := p.api("DELETE", groupPath+"/participants", map[string]any{"participantId": "34600000005"})
		if rm.data()["succeeded"] != float64(1) || rm.data()["action"] != "remove" {
			t.Fatalf("remove: %s", rm.Raw)
		}
		d := p.api("GET", groupPath, nil)
		if d.data()["group"].(map[string]any)["size"] != float64(2) {
			t.Fatalf("after add and remove: %s", d.Raw)
		}
		expectError(t, p.api("POST", groupPath+"/participants", map[string]any{}), 400, "VALIDATION_ERROR")
	})

	t.Run("InviteAndJoin", func(t *testing.T) {
		inv := p.api("POST", groupPath+"/invite-code", nil)
		code, _ := inv.data()["inviteCode"].(string)
		if len(code) != 22 || inv.data()["inviteLink"] != "https://chat.whatsapp.com/"+code {
			t.Fatalf("invite code: %s", inv.Raw)
		}
		fresh := p.api("POST", groupPath+"/invite-code", map[string]any{"reset": true}).data()["inviteCode"].(string)
		if fresh == code {
			t.Fatal("reset kept the old code")
		}
		p.connected("g3", "34600000003")
		expectError(t, p.api("POST", "/api/groups/join-with-code", map[string]any{"sessionId": "g3", "inviteCode": code}), 404, "NOT_FOUND")
		j := p.api("POST", "/api/groups/join-with-code", map[string]any{"sessionId": "g3", "inviteCode": "https://chat.whatsapp.com/" + fresh})
		expectStatus(t, j, 200)
		if j.data()["groupId"] != gid || j.data()["group"].(map[string]any)["size"] != float64(3) {
			t.Fatalf("join: %s", j.Raw)
		}
		expectError(t, p.api("POST", "/api/groups/join-with-code", map[string]any{"sessionId": "g3", "inviteCode": "bad code!"}), 400, "VALIDATION_ERROR")
		expectError(t, p.api("POST", "/api/groups/join-with-code", map[string]any{"inviteCode": fresh}), 400, "VALIDATION_ERROR")
		expectError(t, p.api("POST", "/api/groups/join-with-code", map[string]any{"sessionId": "nope", "inviteCode": fresh}), 404, "SESSION_NOT_FOUND")
	})

	t.Run("SeedGroupAsMember", func(t *testing.T) {
		j := p.api("POST", "/api/groups/join-with-code", map[string]any{"sessionId": "g1", "inviteCode": seedInvite})
		if j.data()["groupId"] != seedGroup {
			t.Fatalf("join seed group: %s", j.Raw)
		}
		expectError(t, p.api("PUT", base+"/groups/"+seedGroup, map[string]any{"subject": "mío"}), 403, "FORBIDDEN")
		st := p.api("GET", "/api/contacts/g1/stats", nil).data()["stats"].(map[string]any)
		if st["groups"] != float64(2) {
			t.Fatalf("stats.groups = %v, want 2", st["groups"])
		}
	})

	t.Run("RemovedMemberForgetsGroup", func(t *testing.T) {
		expectStatus(t, p.api("DELETE", groupPath+"/participants", map[string]any{"participantId": "34600000002"}), 200)
		p.eventuallyAPI("/api/groups/sessions/g2", "dropped the group", func(r reply) bool { return len(groupIDs(r)) == 0 })
	})

	t.Run("NotConnected", func(t *testing.T) {
		expectStatus(t, p.api("POST", "/api/sessions", map[string]any{"sessionId": "idle"}), 201)
		idle := "/api/groups/sessions/idle"
		expectError(t, p.api("POST", idle, map[string]any{"subject": "x", "participants": []string{"34600000002"}}), 400, "SESSION_NOT_CONNECTED")
		expectError(t, p.api("GET", idle+"/groups/"+gid, nil), 400, "SESSION_NOT_CONNECTED")
		expectError(t, p.api("POST", "/api/groups/join-with-code", map[string]any{"sessionId": "idle", "inviteCode": seedInvite}), 400, "SESSION_NOT_CONNECTED")
		expectStatus(t, p.api("GET", idle, nil), 200)
		expectError(t, p.api("GET", "/api/groups/sessions/nope", nil), 404, "SESSION_NOT_FOUND")
	})
}

// TestRequestReplyAccepted: with WAGATE_COMMAND_WAIT=0 every live request
// answers 202 at once with a command id, and GET /api/commands/{id} gives
// the outcome in the route's own shape once the connector has it.
func TestRequestReplyAccepted(t *testing.T) {
	p := startWagate(t, "WAGATE_COMMAND_WAIT=0")
	p.connected("a1", "34600000001")

	await := func(t *testing.T, r reply) map[string]any {
		t.Helper()
		expectStatus(t, r, 202)
		id, _ := r.data()["commandId"].(string)
		if id == "" || r.data()["status"] != "pending" || r.data()["resultUrl"] != "/api/commands/"+id {
			t.Fatalf("accepted: %s", r.Raw)
		}
		return p.eventuallyAPI("/api/commands/"+id, "finished", func(r reply) bool { return r.data()["status"] != "pending" }).data()
	}

	t.Run("GroupCreate", func(t *testing.T) {
		d := await(t, p.api("POST", "/api/groups/sessions/a1", map[string]any{"subject": "Tarde", "participants": []string{"34600000002"}}))
		res, _ := d["result"].(map[string]any)
		if d["status"] != "done" || d["type"] != "group.create" || d["error"] != nil || res["group"].(map[string]any)["subject"] != "Tarde" || len(res["participants"].([]any)) != 1 {
			t.Fatalf("outcome: %v", d)
		}
	})
	t.Run("ContactInfo", func(t *testing.T) {
		d := await(t, p.api("GET", "/api/contacts/a1/info/34600000103", nil))
		res := d["result"].(map[string]any)
		if res["contact"].(map[string]any)["verifiedName"] != "Tienda Carla SL" || res["profilePicUrl"] == nil {
			t.Fatalf("outcome: %v", d)
		}
	})
	t.Run("Failed", func(t *testing.T) {
		d := await(t, p.api("GET", "/api/contacts/a1/info/34600000404", nil))
		if e, _ := d["error"].(map[string]any); d["status"] != "failed" || e["code"] != "NOT_FOUND" || d["result"] != nil {
			t.Fatalf("outcome: %v", d)
		}
	})
	t.Run("UnknownCommand", func(t *testing.T) {
		expectError(t, p.api("GET", "/api/commands/nope", nil), 404, "NOT_FOUND")
	})
}
