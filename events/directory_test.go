package events_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/events/schema"
)

// TestDirectoryCommandsMatchSchema: the contact and group commands the API
// produces validate, and the schema refuses what the connector cannot do.
func TestDirectoryCommandsMatchSchema(t *testing.T) {
	now := time.Date(2025, 11, 7, 4, 25, 4, 0, time.UTC)
	subject := "Nuevo"
	yes := true
	for name, tc := range map[string]struct {
		typ     string
		payload any
		ok      bool
	}{
		"check":           {events.CmdContactCheck, events.ContactCheckPayload{Phones: []string{"34600000001"}}, true},
		"info":            {events.CmdContactInfo, events.ContactInfoPayload{JID: "123456789@lid"}, true},
		"create":          {events.CmdGroupCreate, events.GroupCreatePayload{Subject: "Equipo", Participants: []string{"34600000001@s.whatsapp.net"}}, true},
		"groupInfo":       {events.CmdGroupInfo, events.GroupRefPayload{GroupJID: "120363000000000001@g.us"}, true},
		"list":            {events.CmdGroupList, nil, true},
		"update":          {events.CmdGroupUpdate, events.GroupUpdatePayload{GroupJID: "120363000000000001@g.us", Subject: &subject, Locked: &yes}, true},
		"participants":    {events.CmdGroupParticipants, events.GroupParticipantsPayload{GroupJID: "1-2@g.us", Action: "demote", Participants: []string{"1@lid"}}, true},
		"invite":          {events.CmdGroupInviteCode, events.GroupInviteCodePayload{GroupJID: "120363000000000001@g.us", Reset: true}, true},
		"join":            {events.CmdGroupJoin, events.GroupJoinPayload{Code: "AbCdEfGhIjKlMnOpQrStUv"}, true},
		"ErrSubjectLong":  {events.CmdGroupCreate, events.GroupCreatePayload{Subject: strings.Repeat("x", 26), Participants: []string{"1@lid"}}, false},
		"ErrGroupAsUser":  {events.CmdGroupCreate, events.GroupCreatePayload{Subject: "x", Participants: []string{"120363000000000001@g.us"}}, false},
		"ErrUpdateNoOp":   {events.CmdGroupUpdate, events.GroupUpdatePayload{GroupJID: "120363000000000001@g.us"}, false},
		"ErrAction":       {events.CmdGroupParticipants, events.GroupParticipantsPayload{GroupJID: "1@g.us", Action: "ban", Participants: []string{"1@lid"}}, false},
		"ErrInviteLink":   {events.CmdGroupJoin, events.GroupJoinPayload{Code: "https://chat.whatsapp.com/AbCdEf"}, false},
		"ErrCheckNoPhone": {events.CmdContactCheck, events.ContactCheckPayload{}, false},
	} {
		t.Run(name, func(t *testing.T) {
			cmd, err := events.NewCommand("c1", tc.typ, "s1", now, tc.payload)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(cmd)
			if err := schema.Validate(schema.Command, b); (err == nil) != tc.ok {
				t.Fatalf("validate %s: err = %v, want ok = %v", b, err, tc.ok)
			}
		})
	}
}

// TestResultSamples: every command result sample decodes into its Go type
// with no unknown field and survives a round trip unchanged.
func TestResultSamples(t *testing.T) {
	types := map[string]func() any{
		"group.create":       func() any { return &events.GroupCreateResult{} },
		"group.participants": func() any { return &events.GroupParticipantsResult{} },
		"group.invite_code":  func() any { return &events.GroupInviteCodeResult{} },
		"contact.info":       func() any { return &events.ContactInfoResult{} },
		"contact.check":      func() any { return &events.ContactCheckResult{} },
	}
	files, _ := filepath.Glob("testdata/results/*.json")
	if len(files) != len(types) {
		t.Fatalf("%d result samples for %d result types", len(files), len(types))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			typed := types[name]()
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(typed); err != nil {
				t.Fatalf("decode: %v", err)
			}
			again, _ := json.Marshal(typed)
			var a, b any
			_ = json.Unmarshal(raw, &a)
			_ = json.Unmarshal(again, &b)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("round trip changed the sample:\n%s\n%s", raw, again)
			}
		})
	}
}
