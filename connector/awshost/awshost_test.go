package awshost_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/awshost"
	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/awsrt"
	"github.com/wagate/wagate/shared/awstest"
	"github.com/wagate/wagate/shared/provision"
	"github.com/wagate/wagate/shared/webhook"
)

// TestAWSRuntime runs the aws runtime's three processes in one test
// against the emulator — the API (as the api function serves it outside
// Lambda), the connector on the sim engine and the webhook function
// consuming the rule's queue — and drives a session from creation to a
// sent message, checking the signed webhooks that come out. (The same
// binaries under kumo's Lambda Runtime API and HTTP API are the topology
// test's job.)
func TestAWSRuntime(t *testing.T) {
	awscfg := awstest.Config(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	names := awsres.MustNames(awstest.Unique("e2e"))
	res, err := (&provision.Provisioner{Clients: awsconf.NewClients(awscfg), Names: names, Log: slog.New(slog.DiscardHandler)}).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	simPort := freePort(t)
	cfg, err := awsrt.LoadConfig(func(k string) string {
		return map[string]string{
			"WAGATE_STAGE": names.Stage, "WAGATE_API_KEY": "k1", "WAGATE_ENGINE": "sim", "WAGATE_DATA_DIR": t.TempDir(),
			"WAGATE_WEBHOOK_ALLOW_LOOPBACK": "true", "WAGATE_SEND_WAIT": "3s",
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	open := func(service string) *awsrt.Runtime {
		rt, err := awsrt.OpenWith(ctx, cfg, awscfg, service, io.Discard)
		if err != nil {
			t.Fatalf("open %s runtime: %v", service, err)
		}
		return rt
	}

	// The connector, until the end of the test; it must stop in time.
	connCtx, stopConn := context.WithCancel(ctx)
	connDone := make(chan error, 1)
	go func() { connDone <- awshost.Run(connCtx, open("connector"), simPort) }()
	defer func() {
		stopConn()
		select {
		case err := <-connDone:
			if err != nil {
				t.Errorf("connector: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("connector did not stop within 30 s")
		}
	}()
	// The webhook function and a CRM endpoint.
	hooks := &crm{}
	crmSrv := httptest.NewServer(hooks)
	defer crmSrv.Close()
	whRT := open("webhook")
	h, err := whRT.WebhookHandler()
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = whRT.ConsumeWebhookQueue(connCtx, h) }()
	// The API.
	api := httptest.NewServer(open("api").APIHandler())
	defer api.Close()

	call(t, api.URL, "GET", "/ready", "", 200)
	call(t, api.URL, "POST", "/api/sessions", fmt.Sprintf(`{"sessionId":"demo","webhookUrl":%q,"webhookSecret":"s3"}`, crmSrv.URL), 201)
	eventually(t, func() bool {
		return call(t, fmt.Sprintf("http://127.0.0.1:%d", simPort), "POST", "/api/_sim/sessions/demo/scan", "", 0) == 200
	})
	eventually(t, func() bool {
		return strings.Contains(callBody(t, api.URL, "GET", "/api/sessions/demo/status", ""), `"status":"connected"`)
	})
	if body := callBody(t, api.URL, "POST", "/api/messages/demo/send", `{"to":"34600000001","message":"hola"}`); !strings.Contains(body, `"status":"sent"`) {
		t.Fatalf("send answered %s, want the message sent", body)
	}
	eventually(t, func() bool { return hooks.has("session.connected") && hooks.has("message.sent") })
	directoryRoutes(t, api.URL)
	if bad := hooks.unsigned("s3"); bad > 0 {
		t.Errorf("%d webhooks without a valid signature", bad)
	}
	if res.WebhookQueueURL == "" {
		t.Error("the provisioner made no webhook queue")
	}
}

// directoryRoutes checks the contacts, groups and commands routes of the
// aws runtime: a group created through a request/reply command (API →
// SQS → connector → result in DynamoDB → API), listed and read back, and
// the contact list and stats.
func directoryRoutes(t *testing.T, base string) {
	t.Helper()
	var created struct {
		Data struct {
			Group     struct{ ID string } `json:"group"`
			CommandID string              `json:"commandId"`
		} `json:"data"`
	}
	status := callJSON(t, base, "POST", "/api/groups/sessions/demo", `{"subject":"Equipo","participants":["34600000002"]}`, &created)
	if status == 202 { // the connector did not answer within the wait: read the result back
		eventually(t, func() bool {
			return strings.Contains(callBody(t, base, "GET", "/api/commands/"+created.Data.CommandID, ""), `"status":"done"`)
		})
		eventually(t, func() bool {
			return strings.Contains(callBody(t, base, "GET", "/api/groups/sessions/demo", ""), "@g.us")
		})
	} else if status != 201 || !strings.HasSuffix(created.Data.Group.ID, "@g.us") {
		t.Fatalf("create group = %d %+v, want 201 with a group", status, created)
	}
	if created.Data.Group.ID != "" {
		call(t, base, "GET", "/api/groups/sessions/demo/groups/"+created.Data.Group.ID, "", 200)
	}
	if body := callBody(t, base, "GET", "/api/groups/sessions/demo", ""); !strings.Contains(body, `"subject":"Equipo"`) {
		t.Fatalf("group list = %s, want the group", body)
	}
	call(t, base, "GET", "/api/contacts/demo", "", 200)
	call(t, base, "GET", "/api/contacts/demo/stats", "", 200)
	call(t, base, "GET", "/api/commands/unknown-command", "", 404)
}

func callJSON(t *testing.T, base, method, path, body string, v any) int {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, bytes.NewBufferString(body))
	req.Header.Set("X-API-Key", "k1")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s %s = %d %s: %v", method, path, resp.StatusCode, b, err)
	}
	return resp.StatusCode
}

// crm records the webhooks it receives.
type crm struct {
	mu    sync.Mutex
	types []string
	posts [][2]string // body, signature
}

func (c *crm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.types = append(c.types, r.Header.Get(webhook.HeaderEvent))
	c.posts = append(c.posts, [2]string{string(body), r.Header.Get(webhook.HeaderSignature)})
	c.mu.Unlock()
}

func (c *crm) has(typ string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.types {
		if t == typ {
			return true
		}
	}
	return false
}

func (c *crm) unsigned(secret string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, p := range c.posts {
		if !webhook.Verify(secret, []byte(p[0]), p[1]) {
			n++
		}
	}
	return n
}

func call(t *testing.T, base, method, path, body string, want int) int {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, bytes.NewBufferString(body))
	req.Header.Set("X-API-Key", "k1")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if want != 0 && resp.StatusCode != want {
		t.Fatalf("%s %s = %d %s, want %d", method, path, resp.StatusCode, b, want)
	}
	return resp.StatusCode
}

func callBody(t *testing.T, base, method, path, body string) string {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, bytes.NewBufferString(body))
	req.Header.Set("X-API-Key", "k1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var v json.RawMessage
	_ = json.NewDecoder(resp.Body).Decode(&v)
	return string(v)
}

func eventually(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("condition not met within 20 s")
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
