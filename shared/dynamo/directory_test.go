package dynamo_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/dynamo"
)

// sessionItems returns the sort keys of the items in a session's partition
// with their versions ("ver", 0 when none).
func sessionItems(t *testing.T, client *dynamodb.Client, table, sessionID string) map[string]int64 {
	t.Helper()
	out, err := client.Query(t.Context(), &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "SESSION#" + sessionID}},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	items := map[string]int64{}
	for _, it := range out.Items {
		var ver int64
		if n, ok := it["ver"].(*types.AttributeValueMemberN); ok {
			ver, _ = strconv.ParseInt(n.Value, 10, 64)
		}
		items[it["sk"].(*types.AttributeValueMemberS).Value] = ver
	}
	return items
}

// A contact keyed by its LID with a known phone is found by that phone
// through an alias; aliases follow the contact's keys, unchanged re-syncs
// write nothing, and DeleteSessionContacts removes aliases too, leaving
// the session's other items alone.
func TestContactAliases(t *testing.T) {
	t.Parallel()
	name, client := MustCreateTable(t), newClient(t)
	tbl := dynamo.NewTable(client, name)
	st := dynamo.NewContactStore(tbl)
	ctx := t.Context()

	lidOnly := &wagate.Contact{JID: "333@lid", Phone: "34600000003", PushName: "Carla", IsWAContact: true}
	if err := st.UpsertContacts(ctx, "s1", []*wagate.Contact{lidOnly}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.FindContact(ctx, "s1", "34600000003"); err != nil || got.JID != "333@lid" {
		t.Fatalf("FindContact by the phone of a LID contact = %+v, %v", got, err)
	}
	want := map[string]int64{"CONTACT#333@lid": 1, "CONTACTKEY#34600000003": 0}
	if got := sessionItems(t, client, name, "s1"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("items = %v, want %v", got, want)
	}
	// the same record again writes nothing
	if err := st.UpsertContacts(ctx, "s1", []*wagate.Contact{lidOnly}); err != nil {
		t.Fatal(err)
	}
	if got := sessionItems(t, client, name, "s1"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after an unchanged upsert: items = %v, want %v", got, want)
	}
	// the phone changes: the old alias goes, the new one answers
	moved := *lidOnly
	moved.Phone = "34600000004"
	if err := st.UpsertContacts(ctx, "s1", []*wagate.Contact{&moved}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindContact(ctx, "s1", "34600000003"); wagate.ErrorCode(err) != wagate.ENOTFOUND {
		t.Fatalf("FindContact by the old phone = %v, want %s", err, wagate.ENOTFOUND)
	}
	want = map[string]int64{"CONTACT#333@lid": 2, "CONTACTKEY#34600000004": 0}
	if got := sessionItems(t, client, name, "s1"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after a phone change: items = %v, want %v", got, want)
	}

	// the phone contact absorbs it in the same call
	byPhone := &wagate.Contact{JID: "34600000004@s.whatsapp.net", LID: "333@lid", Name: "Carla R", IsWAContact: true}
	later := &wagate.Contact{JID: "333@lid", PushName: "Carla 2", IsWAContact: true}
	if err := st.UpsertContacts(ctx, "s1", []*wagate.Contact{byPhone, later}); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindContact(ctx, "s1", "333@lid")
	if err != nil || got.JID != byPhone.JID || got.PushName != "Carla 2" || got.Name != "" || got.Phone != "34600000004" {
		t.Fatalf("FindContact by LID after the merge = %+v, %v", got, err)
	}
	want = map[string]int64{"CONTACT#34600000004@s.whatsapp.net": 2, "CONTACTKEY#333@lid": 0}
	if got := sessionItems(t, client, name, "s1"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after the merge: items = %v, want %v", got, want)
	}

	// DeleteSessionMessages leaves contacts; DeleteSessionContacts leaves messages
	msgs := dynamo.NewMessageStore(tbl)
	if _, _, err := msgs.InsertMessage(ctx, &wagate.Message{SessionID: "s1", WhatsAppID: "M1", ChatID: byPhone.JID, Type: wagate.TypeText}); err != nil {
		t.Fatal(err)
	}
	if err := msgs.DeleteSessionMessages(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindContact(ctx, "s1", "333@lid"); err != nil {
		t.Fatalf("contact after DeleteSessionMessages: %v", err)
	}
	if _, _, err := msgs.InsertMessage(ctx, &wagate.Message{SessionID: "s1", WhatsAppID: "M2", ChatID: byPhone.JID, Type: wagate.TypeText}); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSessionContacts(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	for sk := range sessionItems(t, client, name, "s1") {
		if len(sk) >= 7 && sk[:7] == "CONTACT" {
			t.Errorf("item %s left after DeleteSessionContacts", sk)
		}
	}
	if _, err := msgs.FindMessage(ctx, "s1", "M2"); err != nil {
		t.Fatalf("message after DeleteSessionContacts: %v", err)
	}
}

// Address-book syncs and profile look-ups through two stores (two
// processes) on one contact: every write lands, none is lost.
func TestContactConcurrentWrites(t *testing.T) {
	t.Parallel()
	name := MustCreateTable(t)
	a := dynamo.NewContactStore(dynamo.NewTable(newClient(t), name))
	b := dynamo.NewContactStore(dynamo.NewTable(newClient(t), name))
	ctx := t.Context()
	const jid = "34600000001@s.whatsapp.net"
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 10 {
		wg.Go(func() {
			c := &wagate.Contact{JID: jid, Name: "Ana", PushName: "push" + strconv.Itoa(i), IsWAContact: true}
			errs <- a.UpsertContacts(ctx, "s1", []*wagate.Contact{c})
		})
		wg.Go(func() {
			errs <- b.SetContactProfile(ctx, "s1", jid, wagate.ContactProfile{About: "about", PictureID: "p" + strconv.Itoa(i), FetchedAt: time.Now()})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := a.FindContact(ctx, "s1", "34600000001")
	if err != nil || got.Name != "Ana" || got.About != "about" || got.PictureID == "" || got.ProfileAt.IsZero() {
		t.Fatalf("after concurrent writes: %+v, %v", got, err)
	}
}

// Contacts sort by display name as ORDER BY name, jid does ("Ana" before
// "Ana B"); a search never matches across two fields.
func TestContactOrder(t *testing.T) {
	t.Parallel()
	st := dynamo.NewContactStore(MustOpenTable(t))
	ctx := t.Context()
	cs := []*wagate.Contact{
		{JID: "1@s.whatsapp.net", Name: "Ana B"}, {JID: "2@s.whatsapp.net", Name: "Ana"},
		{JID: "3@s.whatsapp.net", Name: "ana"}, {JID: "4@s.whatsapp.net", Name: "Ana-"},
	}
	if err := st.UpsertContacts(ctx, "s1", cs); err != nil {
		t.Fatal(err)
	}
	for _, search := range []string{"", "an"} {
		list, total, err := st.ListContacts(ctx, wagate.ContactFilter{SessionID: "s1", Search: search})
		if err != nil {
			t.Fatal(err)
		}
		var jids []string
		for _, c := range list {
			jids = append(jids, c.JID[:1])
		}
		if fmt.Sprint(jids) != "[2 3 1 4]" || total != 4 {
			t.Errorf("ListContacts(%q) = %v, total %d; want [2 3 1 4], total 4", search, jids, total)
		}
	}
	if _, total, err := st.ListContacts(ctx, wagate.ContactFilter{SessionID: "s1", Search: "b\n1"}); err != nil || total != 0 {
		t.Errorf("a search across fields matched %d, %v", total, err)
	}
}

// A command result carries the TTL attribute (its expiry in epoch seconds).
func TestCommandResultTTL(t *testing.T) {
	t.Parallel()
	name, client := MustCreateTable(t), newClient(t)
	st := dynamo.NewCommandResultStore(dynamo.NewTable(client, name))
	exp := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := st.PutCommandResult(t.Context(), &wagate.CommandResult{ID: "c1", Status: wagate.CommandPending, ExpiresAt: exp}); err != nil {
		t.Fatal(err)
	}
	out, err := client.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String(name), Key: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "COMMAND#c1"}, "sk": &types.AttributeValueMemberS{Value: "COMMAND"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := out.Item[dynamo.TTLAttribute].(*types.AttributeValueMemberN); !ok || n.Value != strconv.FormatInt(exp.Unix(), 10) {
		t.Fatalf("%s = %v, want %d", dynamo.TTLAttribute, out.Item[dynamo.TTLAttribute], exp.Unix())
	}
}
