package manager_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/manager"
	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
	"github.com/wagate/wagate/shared/sqlite"
)

// liveEngine hands out clients that are live at once; with poster set they
// post statuses (failing with postErr), otherwise they cannot.
type liveEngine struct {
	poster  bool
	postErr error

	mu    sync.Mutex
	posts []postCall
}

type postCall struct {
	id    string
	style wagate.StatusStyle
	media int
}

func (e *liveEngine) Name() string                               { return "live" }
func (e *liveEngine) DeleteDevice(context.Context, string) error { return nil }
func (e *liveEngine) NewClient(_ context.Context, _ wagate.EngineDevice, _ func(wagate.EngineEvent)) (wagate.EngineClient, error) {
	if e.poster {
		return posterClient{liveClient{}, e}, nil
	}
	return liveClient{}, nil
}

type liveClient struct{}

func (liveClient) Connect(context.Context) error                     { return nil }
func (liveClient) Disconnect()                                       {}
func (liveClient) Logout(context.Context) error                      { return nil }
func (liveClient) PairPhone(context.Context, string) (string, error) { return "", nil }
func (liveClient) IsLive() bool                                      { return true }
func (liveClient) Send(context.Context, *wagate.Message, []byte) (time.Time, error) {
	return time.Now(), nil
}
func (liveClient) MarkRead(context.Context, string, string, []string, time.Time) error { return nil }

type posterClient struct {
	liveClient
	e *liveEngine
}

func (c posterClient) PostStatus(_ context.Context, m *wagate.Message, style wagate.StatusStyle, media []byte) (time.Time, error) {
	c.e.mu.Lock()
	defer c.e.mu.Unlock()
	if c.e.postErr != nil {
		return time.Time{}, c.e.postErr
	}
	c.e.posts = append(c.e.posts, postCall{m.WhatsAppID, style, len(media)})
	return time.Now(), nil
}

func TestPostStatus(t *testing.T) {
	style := events.StatusPostPayload{BackgroundARGB: 0xFF112233, TextARGB: 0xFFFFFFFF, Font: 4}
	tests := []struct {
		name       string
		engine     *liveEngine
		want       wagate.MessageStatus
		keepStatus bool
	}{
		{"OK", &liveEngine{poster: true}, wagate.StatusSent, true},
		{"ErrWhatsApp", &liveEngine{poster: true, postErr: wagate.Errorf(wagate.EWHATSAPP, "refused")}, wagate.StatusFailed, false},
		{"ErrEngineCannotPost", &liveEngine{}, wagate.StatusFailed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
			if err != nil {
				t.Fatal(err)
			}
			sessions, queue, msgs, statuses := sqlite.NewSessionStore(db), sqlite.NewCommandQueue(db), sqlite.NewMessageStore(db), sqlite.NewStatusStore(db)
			if err := sessions.CreateSession(ctx, &wagate.Session{SessionID: "s1", AutoConnect: true, DeviceJID: "d@s.whatsapp.net"}); err != nil {
				t.Fatal(err)
			}
			m := &wagate.Message{SessionID: "s1", WhatsAppID: "3EB0ST", ChatID: "status@broadcast", FromMe: true, Type: wagate.TypeText,
				Body: "hola", Status: wagate.StatusPending, Timestamp: time.Now()}
			stored, _, err := msgs.InsertMessage(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := statuses.InsertStatus(ctx, &wagate.StatusPost{SessionID: "s1", WhatsAppID: "3EB0ST", FromMe: true, Type: wagate.TypeText, Body: "hola"}); err != nil {
				t.Fatal(err)
			}
			mgr := &manager.Manager{Engine: tt.engine, Store: sessions, Queue: queue, Bus: sqlite.NewOutbox(db), Messages: msgs, Statuses: statuses}
			runCtx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); _ = mgr.Run(runCtx) }()
			t.Cleanup(func() { cancel(); <-done; db.Close() })

			p := style
			p.MessageID, p.WhatsAppMessageID = stored.ID, stored.WhatsAppID
			cmd, _ := events.NewCommand(ids.New(), events.CmdStatusPost, "s1", time.Now(), p)
			if err := queue.Enqueue(ctx, cmd); err != nil {
				t.Fatal(err)
			}
			var got *wagate.Message
			for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if got, _ = msgs.FindMessage(ctx, "s1", "3EB0ST"); got.Status != wagate.StatusPending {
					break
				}
			}
			if got.Status != tt.want {
				t.Fatalf("message %s (%s), want %s", got.Status, got.Error, tt.want)
			}
			time.Sleep(20 * time.Millisecond) // the failed post is dropped right after
			_, err = statuses.FindStatus(ctx, "s1", "3EB0ST")
			if kept := err == nil; kept != tt.keepStatus {
				t.Fatalf("status kept = %v, want %v (%v)", kept, tt.keepStatus, err)
			}
			if tt.want == wagate.StatusSent {
				want := []postCall{{"3EB0ST", wagate.StatusStyle{BackgroundARGB: 0xFF112233, TextARGB: 0xFFFFFFFF, Font: 4}, 0}}
				tt.engine.mu.Lock()
				posts := tt.engine.posts
				tt.engine.mu.Unlock()
				if len(posts) != 1 || posts[0] != want[0] {
					t.Fatalf("posts %+v, want %+v", posts, want)
				}
			}
		})
	}
}

func TestSweepStatuses(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	statuses := sqlite.NewStatusStore(db)
	now := time.Now().UTC()
	for id, age := range map[string]time.Duration{"old": 25 * time.Hour, "fresh": time.Hour} {
		if _, _, err := statuses.InsertStatus(ctx, &wagate.StatusPost{SessionID: "s1", WhatsAppID: id, Type: wagate.TypeText, Timestamp: now.Add(-age)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name string
		mgr  *manager.Manager
		want int
	}{
		{"NoStore", &manager.Manager{}, 0},
		{"Expired", &manager.Manager{Statuses: statuses, Now: func() time.Time { return now }}, 1},
		{"AgainNothing", &manager.Manager{Statuses: statuses, Now: func() time.Time { return now }}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if n, err := tt.mgr.SweepStatuses(ctx); err != nil || n != tt.want {
				t.Fatalf("swept %d (%v), want %d", n, err, tt.want)
			}
		})
	}
	if _, err := statuses.FindStatus(ctx, "s1", "fresh"); err != nil {
		t.Fatal(err)
	}
}
