package manager_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/manager"
	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
	"github.com/wagate/wagate/shared/sqlite"
)

const dirGroupJID = "120363000000000007@g.us"

// dirEngine hands out dirClients: fake clients that are live and answer
// directory and group requests from canned data, counting them.
type dirEngine struct {
	*fakeEngine
	mu      sync.Mutex
	dirs    map[string]*dirClient
	creates int
	lookups int
}

func (e *dirEngine) NewClient(ctx context.Context, dev wagate.EngineDevice, handle func(wagate.EngineEvent)) (wagate.EngineClient, error) {
	base, _ := e.fakeEngine.NewClient(ctx, dev, handle)
	c := &dirClient{fakeClient: base.(*fakeClient), engine: e}
	c.live.Store(true)
	e.mu.Lock()
	e.dirs[dev.SessionID] = c
	e.mu.Unlock()
	return c, nil
}

type dirClient struct {
	*fakeClient
	engine *dirEngine
	live   atomic.Bool
}

var (
	_ wagate.EngineDirectory = (*dirClient)(nil)
	_ wagate.EngineGroups    = (*dirClient)(nil)
)

func (c *dirClient) IsLive() bool { return c.live.Load() }

func (c *dirClient) Contacts(context.Context) ([]wagate.Contact, error) {
	return []wagate.Contact{{JID: "34600000101@s.whatsapp.net", Phone: "34600000101", Name: "Ana", IsWAContact: true}}, nil
}

func (c *dirClient) IsOnWhatsApp(_ context.Context, phones []string) ([]wagate.PhoneCheck, error) {
	var out []wagate.PhoneCheck
	for _, p := range phones {
		out = append(out, wagate.PhoneCheck{Phone: p, JID: p + "@s.whatsapp.net", Exists: !strings.HasSuffix(p, "404")})
	}
	return out, nil
}

func (c *dirClient) UserInfo(_ context.Context, jid string) (*wagate.UserInfo, error) {
	c.engine.mu.Lock()
	c.engine.lookups++
	c.engine.mu.Unlock()
	if strings.HasPrefix(jid, "34600000404") {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "not on WhatsApp")
	}
	return &wagate.UserInfo{JID: jid, About: "busy", PictureURL: "https://pp/x.jpg", PictureID: "1"}, nil
}

func (c *dirClient) group() *wagate.Group {
	return &wagate.Group{JID: dirGroupJID, Subject: "Equipo", Participants: []wagate.GroupParticipant{
		{JID: "34600000001@s.whatsapp.net", IsAdmin: true, IsSuperAdmin: true}, {JID: "34600000101@s.whatsapp.net"}}}
}

func (c *dirClient) CreateGroup(_ context.Context, subject string, participants []string) (*wagate.Group, []wagate.ParticipantResult, error) {
	c.engine.mu.Lock()
	c.engine.creates++
	c.engine.mu.Unlock()
	g := c.group()
	g.Subject = subject
	return g, []wagate.ParticipantResult{{JID: participants[0], Status: wagate.ParticipantOK, Code: 200}}, nil
}

func (c *dirClient) GroupInfo(_ context.Context, jid string) (*wagate.Group, error) {
	if jid != dirGroupJID {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Group not found.")
	}
	return c.group(), nil
}

func (c *dirClient) JoinedGroups(context.Context) ([]*wagate.Group, error) {
	return []*wagate.Group{c.group()}, nil
}

func (c *dirClient) UpdateGroup(_ context.Context, jid string, _ wagate.GroupUpdate) error {
	if jid != dirGroupJID {
		return wagate.Errorf(wagate.ENOTFOUND, "Group not found.")
	}
	return nil
}

func (c *dirClient) UpdateParticipants(_ context.Context, _ string, _ wagate.ParticipantAction, ps []string) ([]wagate.ParticipantResult, error) {
	out := make([]wagate.ParticipantResult, len(ps))
	for i, p := range ps {
		out[i] = wagate.ParticipantResult{JID: p, Status: wagate.ParticipantOK, Code: 200}
	}
	return out, nil
}

func (c *dirClient) InviteCode(context.Context, string, bool) (string, error) {
	return "Code123456", nil
}

func (c *dirClient) JoinWithCode(_ context.Context, code string) (string, error) {
	if code != "Code123456" {
		return "", wagate.Errorf(wagate.ENOTFOUND, "bad code")
	}
	return dirGroupJID, nil
}

// dirEnv is a manager with every store over SQLite and a dirEngine.
type dirEnv struct {
	t        *testing.T
	engine   *dirEngine
	sessions *sqlite.SessionStore
	queue    *sqlite.CommandQueue
	contacts *sqlite.ContactStore
	groups   *sqlite.GroupStore
	results  *sqlite.CommandResultStore
}

func newDirEnv(t *testing.T, lookups manager.Pacing) *dirEnv {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	e := &dirEnv{t: t, engine: &dirEngine{fakeEngine: newFakeEngine(), dirs: map[string]*dirClient{}},
		sessions: sqlite.NewSessionStore(db), queue: sqlite.NewCommandQueue(db), contacts: sqlite.NewContactStore(db),
		groups: sqlite.NewGroupStore(db), results: sqlite.NewCommandResultStore(db)}
	if err := e.sessions.CreateSession(context.Background(), &wagate.Session{SessionID: "s1", AutoConnect: true, DeviceJID: "d@s.whatsapp.net"}); err != nil {
		t.Fatal(err)
	}
	mgr := &manager.Manager{Engine: e.engine, Store: e.sessions, Queue: e.queue, Bus: sqlite.NewOutbox(db),
		Contacts: e.contacts, Groups: e.groups, Results: e.results, Lookups: lookups}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = mgr.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; db.Close() })
	return e
}

func (e *dirEnv) client() *dirClient {
	e.t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		e.engine.mu.Lock()
		c := e.engine.dirs["s1"]
		e.engine.mu.Unlock()
		if c != nil {
			return c
		}
	}
	e.t.Fatal("no client")
	return nil
}

// request enqueues a command (id given, or fresh) and waits for its result.
func (e *dirEnv) request(id, typ string, payload any) *wagate.CommandResult {
	e.t.Helper()
	if id == "" {
		id = ids.New()
	}
	cmd, err := events.NewCommand(id, typ, "s1", time.Now(), payload)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.queue.Enqueue(context.Background(), cmd); err != nil {
		e.t.Fatal(err)
	}
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if r, err := e.results.GetCommandResult(context.Background(), id); err == nil && r.Status.Finished() {
			return r
		}
	}
	e.t.Fatalf("no result for %s", typ)
	return nil
}

// eventually waits for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("never %s", what)
}

func TestDirectoryCommands(t *testing.T) {
	e := newDirEnv(t, manager.Pacing{PerSecond: 0.001, Burst: 2})
	c := e.client()
	c.handle(wagate.ConnectedEvent{PhoneNumber: "34600000001"})
	ctx := context.Background()

	t.Run("SyncOnConnect", func(t *testing.T) {
		eventually(t, "synced contacts and groups", func() bool {
			_, nc, _ := e.contacts.ListContacts(ctx, wagate.ContactFilter{SessionID: "s1", Limit: 10})
			_, ng, _ := e.groups.ListGroups(ctx, "s1", 0, 10)
			return nc == 1 && ng == 1
		})
	})

	t.Run("CreateOnceEvenIfRedelivered", func(t *testing.T) {
		r := e.request("create-1", events.CmdGroupCreate, events.GroupCreatePayload{Subject: "Nuevo", Participants: []string{"34600000101@s.whatsapp.net"}})
		var res events.GroupCreateResult
		if r.Status != wagate.CommandDone || json.Unmarshal(r.Result, &res) != nil || res.Group.Subject != "Nuevo" || len(res.Participants) != 1 {
			t.Fatalf("result %+v %s", r, r.Result)
		}
		e.request("create-1", events.CmdGroupCreate, events.GroupCreatePayload{Subject: "Nuevo", Participants: []string{"34600000101@s.whatsapp.net"}})
		e.engine.mu.Lock()
		creates := e.engine.creates
		e.engine.mu.Unlock()
		if creates != 1 {
			t.Fatalf("created %d groups for one command", creates)
		}
		if g, err := e.groups.FindGroup(ctx, "s1", dirGroupJID); err != nil || g.Subject != "Nuevo" {
			t.Fatalf("stored group %+v, %v", g, err)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		for _, tc := range []struct {
			typ     string
			payload any
			code    string
		}{
			{events.CmdGroupInfo, events.GroupRefPayload{GroupJID: "120363000000000009@g.us"}, wagate.ENOTFOUND},
			{events.CmdGroupJoin, events.GroupJoinPayload{Code: "nope"}, wagate.ENOTFOUND},
			{events.CmdGroupParticipants, events.GroupParticipantsPayload{GroupJID: dirGroupJID, Action: "explode"}, wagate.EINVALID},
			{events.CmdContactInfo, events.ContactInfoPayload{JID: "34600000404@s.whatsapp.net"}, wagate.ENOTFOUND},
		} {
			r := e.request("", tc.typ, tc.payload)
			if r.Status != wagate.CommandFailed || r.ErrCode != tc.code {
				t.Errorf("%s: %+v, want failed %s", tc.typ, r, tc.code)
			}
		}
	})

	t.Run("ContactInfoCachedThenRateLimited", func(t *testing.T) {
		// the Errors case used the first token of the burst of 2
		r := e.request("", events.CmdContactInfo, events.ContactInfoPayload{JID: "34600000102@s.whatsapp.net"})
		if r.Status != wagate.CommandDone {
			t.Fatalf("second look-up: %+v", r)
		}
		if c, err := e.contacts.FindContact(ctx, "s1", "34600000102"); err != nil || c.About != "busy" || c.ProfileAt.IsZero() {
			t.Fatalf("profile not cached: %+v, %v", c, err)
		}
		r = e.request("", events.CmdContactInfo, events.ContactInfoPayload{JID: "34600000102@s.whatsapp.net"})
		if r.Status != wagate.CommandFailed || r.ErrCode != wagate.ERATELIMIT {
			t.Fatalf("third look-up: %+v", r)
		}
	})

	t.Run("Updates", func(t *testing.T) {
		subject := "Renombrado"
		r := e.request("", events.CmdGroupUpdate, events.GroupUpdatePayload{GroupJID: dirGroupJID, Subject: &subject})
		var res events.GroupResult
		if r.Status != wagate.CommandDone || json.Unmarshal(r.Result, &res) != nil || res.Group.Subject != subject {
			t.Fatalf("update: %+v %s", r, r.Result)
		}
		e.request("", events.CmdGroupParticipants, events.GroupParticipantsPayload{GroupJID: dirGroupJID, Action: "promote", Participants: []string{"34600000101@s.whatsapp.net"}})
		e.request("", events.CmdGroupInviteCode, events.GroupInviteCodePayload{GroupJID: dirGroupJID})
		g, _ := e.groups.FindGroup(ctx, "s1", dirGroupJID)
		if p, ok := g.Participant("34600000101@s.whatsapp.net"); !ok || !p.IsAdmin || g.InviteCode != "Code123456" || g.Subject != subject {
			t.Fatalf("stored group after changes: %+v", g)
		}
	})

	t.Run("Events", func(t *testing.T) {
		c.handle(wagate.ContactsEvent{Contacts: []wagate.Contact{{JID: "34600000105@s.whatsapp.net", PushName: "Eva", IsWAContact: true}}})
		c.handle(wagate.ContactPictureEvent{JID: "34600000101@s.whatsapp.net", PictureID: "9"})
		c.handle(wagate.GroupChangeEvent{GroupJID: dirGroupJID, Change: wagate.GroupChange{Remove: []string{"34600000101@s.whatsapp.net"}}})
		c.handle(wagate.GroupEvent{Group: &wagate.Group{JID: "120363000000000008@g.us", Subject: "Otro"}})
		eventually(t, "applied the events", func() bool {
			eva, err1 := e.contacts.FindContact(ctx, "s1", "34600000105")
			ana, err2 := e.contacts.FindContact(ctx, "s1", "34600000101")
			g, err3 := e.groups.FindGroup(ctx, "s1", dirGroupJID)
			_, err4 := e.groups.FindGroup(ctx, "s1", "120363000000000008@g.us")
			ok := err1 == nil && eva.PushName == "Eva" && err2 == nil && ana.PictureID == "9" && err3 == nil && len(g.Participants) == 1 && err4 == nil
			if !ok {
				t.Logf("eva %+v %v; ana %+v %v; group %+v %v; other %v", eva, err1, ana, err2, g, err3, err4)
			}
			return ok
		})
		c.handle(wagate.GroupChangeEvent{GroupJID: dirGroupJID, Change: wagate.GroupChange{Left: true}})
		eventually(t, "forgot the group left", func() bool {
			_, err := e.groups.FindGroup(ctx, "s1", dirGroupJID)
			return wagate.ErrorCode(err) == wagate.ENOTFOUND
		})
	})

	t.Run("ErrNotConnected", func(t *testing.T) {
		c.live.Store(false)
		r := e.request("", events.CmdGroupList, nil)
		if r.ErrCode != wagate.ENOTCONNECTED {
			t.Fatalf("not live: %+v", r)
		}
		c.live.Store(true)
	})

	t.Run("DeleteForgetsDirectory", func(t *testing.T) {
		if err := e.sessions.DeleteSession(ctx, "s1"); err != nil {
			t.Fatal(err)
		}
		cmd, _ := events.NewCommand(ids.New(), events.CmdSessionDelete, "s1", time.Now(), events.DeletePayload{})
		if err := e.queue.Enqueue(ctx, cmd); err != nil {
			t.Fatal(err)
		}
		eventually(t, "deleted contacts and groups", func() bool {
			_, nc, _ := e.contacts.ListContacts(ctx, wagate.ContactFilter{SessionID: "s1", Limit: 10})
			_, ng, _ := e.groups.ListGroups(ctx, "s1", 0, 10)
			return nc == 0 && ng == 0
		})
	})
}
