package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser test settings.
const (
	chromiumPath   = "/usr/bin/chromium" // Debian's package: apt-get install chromium
	browserTimeout = 2 * time.Minute     // the whole browser session of one test
	waitTimeout    = 15 * time.Second    // one expectation on the page
	screenshotsDir = "../../docs/img"    // from connector/e2e
)

// TestConsole drives the web console in Chromium against the real binary:
// sign in, create a session, link it by QR code (the scan is simulated),
// send a message, set a webhook, test it and watch an inbound message's
// delivery, then sign out. With WAGATE_SCREENSHOTS=1 it also refreshes the
// README's screenshots in docs/img.
func TestConsole(t *testing.T) {
	b := newBrowser(t)
	var hooks atomic.Int32
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		hooks.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer receiver.Close()
	p := startWagate(t, "WAGATE_WEBHOOK_ALLOW_LOOPBACK=true", "WAGATE_SEND_RATE=0")

	// Sign in: /console redirects to /console/; a wrong key is refused
	// inline, the right one is kept in sessionStorage only.
	b.do(chromedp.Navigate(p.url("/console")))
	b.waitFor("the sign-in form", `document.querySelector('#signin-key') !== null`)
	if loc := b.eval(`location.pathname`); loc != "/console/" {
		t.Fatalf("/console landed on %q, want /console/", loc)
	}
	b.screenshot("console-signin")
	b.do(chromedp.SendKeys(chromedp.CSS("#signin-key"), "not-the-key"), chromedp.Click(chromedp.CSS("#signin-form button[type=submit]")))
	b.waitFor("the refused key's error", `text('#signin-error').includes('Invalid API key')`)
	b.eval(`document.querySelector('#signin-key').value = ''`)
	b.do(chromedp.SendKeys(chromedp.CSS("#signin-key"), apiKey),
		chromedp.Click(chromedp.CSS("#signin-form button[type=submit]")))
	b.waitFor("the sessions list", `document.querySelector('#sessions-h') !== null`)
	if got := b.eval(`[sessionStorage.getItem('wagate.apiKey') === ` + jsString(apiKey) + `, localStorage.length, location.href.includes(` + jsString(apiKey) + `)].join()`); got != "true,0,false" {
		t.Fatalf("key storage (in sessionStorage, localStorage entries, in URL) = %s, want true,0,false", got)
	}

	// Create a session: the page opens it and shows its QR code.
	b.do(chromedp.SendKeys(chromedp.CSS("#new-session-id"), "frontdesk"), chromedp.SendKeys(chromedp.CSS("#new-session-name"), "Front desk"),
		chromedp.Click(chromedp.CSS("#create-session button[type=submit]")))
	b.waitFor("the QR code", `shown('#qr-box') && document.querySelector('#qr').src.startsWith('data:image/png;base64,') && document.querySelector('#qr').alt.includes('QR code')`)
	if got := b.eval(`location.search`); got != "?session=frontdesk" {
		t.Fatalf("session view at %q, want ?session=frontdesk", got)
	}
	b.eval(`window.sameDocument = 'yes'`) // gone if the page reloads
	b.screenshot("console-qr")

	// The phone scans: the page turns connected by itself.
	expectStatus(t, p.api("POST", "/api/_sim/sessions/frontdesk/scan", map[string]any{"phoneNumber": "34600000001", "pushName": "Front Desk"}), 200)
	b.waitFor("the connected state", `text('#session-status') === 'connected' && shown('#linked') && !shown('#qr-box') && text('#linked').includes('Linked ✓')`)
	b.waitFor("the announcement and the profile", `text('#live').includes('connected as +34600000001') && text('#session-profile') === 'Front Desk'`)
	if b.eval(`window.sameDocument`) != "yes" {
		t.Fatal("the page reloaded")
	}

	// Send a test message through the form.
	b.do(chromedp.SendKeys(chromedp.CSS("#send-to"), "34657032985"), chromedp.SendKeys(chromedp.CSS("#send-message"), "Hello from the console"),
		chromedp.Click(chromedp.CSS("#send-form button[type=submit]")))
	b.waitFor("the sent message in the list", `text('#messages').includes('Hello from the console') && text('#send-result') !== ''`)

	// Set the webhook, test it, then watch an inbound message's delivery.
	b.do(chromedp.SendKeys(chromedp.CSS("#webhook-url"), receiver.URL+"/hooks/whatsapp"), chromedp.SendKeys(chromedp.CSS("#webhook-secret"), "s3cret"),
		chromedp.Click(chromedp.CSS("#webhook-event-message")), chromedp.Click(chromedp.CSS("#webhook-event-session")),
		chromedp.Click(chromedp.CSS("#webhook-form button[type=submit]")))
	b.waitFor("the saved webhook", `text('#webhook-result').includes('updated') && text('#webhook-secret-hint').includes('A secret is set') && document.querySelector('#webhook-secret').value === ''`)
	sess := p.api("GET", "/api/sessions/frontdesk", nil).data()["session"].(map[string]any)
	if sess["webhookUrl"] != receiver.URL+"/hooks/whatsapp" || fmt.Sprint(sess["webhookEvents"]) != "[message session]" || sess["hasWebhookSecret"] != true {
		t.Fatalf("webhook settings after the form: %v", sess)
	}
	b.do(chromedp.Click(chromedp.CSS("#webhook-test")))
	b.waitFor("the test webhook's result", `text('#webhook-test-result').startsWith('Delivered') && text('#webhook-test-result').includes('HTTP 200')`)
	if hooks.Load() == 0 {
		t.Fatal("the receiver got no test webhook")
	}
	p.inbound("frontdesk", map[string]any{"from": "34611111111", "pushName": "Ana", "type": "text", "content": "Hola, ¿abrís mañana?"})
	b.waitFor("the inbound message and its chat", `text('#messages').includes('¿abrís mañana?') && text('#chats').includes('Hola, ¿abrís mañana?')`)
	b.waitFor("the delivery in the log", `[...document.querySelectorAll('#deliveries tbody tr')].some(r => r.textContent.includes('message.received') && r.querySelector('.badge').dataset.status === 'delivered')`)
	b.screenshot("console-session")

	// Replay a delivery and the dead ones (there are none).
	b.do(chromedp.Click(chromedp.CSS("#deliveries tbody tr button")))
	b.waitFor("the replay's announcement", `text('#live').includes('queued again') && text('#deliveries-error') === ''`)
	b.do(chromedp.Click(chromedp.CSS("#replay-dead")))
	b.waitFor("the dead replay's announcement", `text('#live').includes('0 dead deliveries queued again')`)

	// Back to the list: the session is connected, with its number and
	// profile name, next to a second one waiting for its scan.
	expectStatus(t, p.api("POST", "/api/sessions", map[string]any{"sessionId": "sales", "sessionName": "Sales"}), 201)
	b.do(chromedp.Click(chromedp.CSS(".back a")))
	b.waitFor("the list with both sessions", `(r => r && r.textContent.includes('connected') && r.textContent.includes('+34600000001') && r.textContent.includes('Front Desk'))(document.querySelector('#sessions tr[data-key="frontdesk"]')) && text('#sessions').includes('waiting for scan')`)
	b.screenshot("console-sessions")

	// Link the second one by phone code instead: the code shows large until
	// the (simulated) user types it on the phone and the session connects.
	b.do(chromedp.Click(chromedp.CSS(`#sessions tr[data-key="sales"] a`)))
	b.waitFor("the second session's QR code", `shown('#qr-box') && text('#session-h') === 'Sales'`)
	b.eval(`{ const code = document.querySelector('#pairing-code'); window.codes = [];
		new MutationObserver(() => codes.push(code.textContent)).observe(code, {childList: true, characterData: true, subtree: true}); } true`)
	b.do(chromedp.Click(chromedp.CSS("#link-h ~ details summary")), chromedp.SendKeys(chromedp.CSS("#pairing-phone"), "34600000002"),
		chromedp.Click(chromedp.CSS("#pairing-form button[type=submit]")))
	b.waitFor("the pairing code, then the link", `codes.some(c => /^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(c)) && text('#session-status') === 'connected' && shown('#linked')`)

	// Delete it from the list, after confirming.
	confirms := b.acceptDialogs()
	b.do(chromedp.Click(chromedp.CSS(".back a")))
	b.waitFor("the list", `document.querySelector('#sessions tr[data-key="sales"]') !== null`)
	b.do(chromedp.Click(chromedp.CSS(`#sessions tr[data-key="sales"] button.danger`)))
	b.waitFor("the deleted session gone", `document.querySelector('#sessions tr[data-key="sales"]') === null && document.querySelector('#sessions tr[data-key="frontdesk"]') !== null`)
	select {
	case msg := <-confirms:
		if !strings.Contains(msg, "Delete session sales?") {
			t.Fatalf("the confirmation asked %q", msg)
		}
	case <-time.After(waitTimeout):
		t.Fatal("no confirmation was asked")
	}

	// Sign out; a key the API refuses later sends the page back to sign-in.
	b.do(chromedp.Click(chromedp.CSS("#signout")))
	b.waitFor("the sign-in form after signing out", `document.querySelector('#signin-key') !== null && sessionStorage.length === 0`)
	b.eval(`sessionStorage.setItem('wagate.apiKey', 'revoked-key')`)
	b.do(chromedp.Navigate(p.url("/console/")))
	b.waitFor("the sign-in form after a 401", `document.querySelector('#signin-key') !== null && text('main').includes('The API key was refused') && sessionStorage.length === 0`)
}

// browser is one Chromium tab for a test.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string // uncaught exceptions, console errors, CSP violations
}

// newBrowser starts a headless Chromium on a fresh profile. Without
// Chromium the test fails under CI (CI set) and is skipped otherwise.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chromium is required in CI: %v (apt-get install chromium)", err)
		}
		t.Skipf("skipping the browser test: no Chromium at %s (apt-get install chromium); it fails instead when CI is set", chromiumPath)
	}
	b := &browser{t: t}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // containers have a small /dev/shm
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	tab, cancelTab := chromedp.NewContext(alloc, chromedp.WithListener(b.listen))
	ctx, cancelTimeout := context.WithTimeout(tab, browserTimeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	b.ctx = ctx
	b.do() // start the browser now, so a failure to start is reported as such
	t.Cleanup(b.report)
	return b
}

// listen records what the page should never do. It runs in the tab's
// event loop: it only appends.
func (b *browser) listen(ev any) {
	var p string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		p = "uncaught exception: " + ev.ExceptionDetails.Text
		if ex := ev.ExceptionDetails.Exception; ex != nil {
			p += " " + ex.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			p = "console.error"
			for _, a := range ev.Args {
				p += " " + string(a.Value) + a.Description
			}
		}
	case *log.EventEntryAdded:
		// Network errors are the API's 401s and 404s, which the test causes.
		if ev.Entry.Level == log.EntryLevelError && ev.Entry.Source != log.EntrySourceNetwork {
			p = fmt.Sprintf("%s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	}
	if p != "" {
		b.mu.Lock()
		b.problems = append(b.problems, p)
		b.mu.Unlock()
	}
}

func (b *browser) report() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("page: %s", p)
	}
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v\npage text:\n%s", err, b.pageText())
	}
}

// eval runs a JavaScript expression and returns its result as a string.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// acceptDialogs answers every confirm() with OK from now on and passes on
// their texts.
func (b *browser) acceptDialogs() <-chan string {
	texts := make(chan string, 8)
	dialogs := chromedp.Events(b.ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			select {
			case texts <- ev.Message:
			default:
			}
			if _, err := chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true}); err != nil {
				return
			}
		}
	}()
	return texts
}

// pageHelpers are small functions the expectations below use: text(sel)
// is an element's trimmed text (empty when absent), shown(sel) whether it
// is rendered.
const pageHelpers = `const text = (sel) => document.querySelector(sel)?.textContent.trim() ?? '';
const shown = (sel) => { const el = document.querySelector(sel); return !!el && el.getClientRects().length > 0; };
`

// waitFor polls a JavaScript condition until it holds; what names it in
// the failure.
func (b *browser) waitFor(what, cond string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.PollFunction[chromedp.Void](
		"() => { "+pageHelpers+"return ("+cond+"); }",
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(waitTimeout)))
	if err != nil {
		b.t.Fatalf("waiting for %s: %v\ncondition: %s\npage text:\n%s", what, err, cond, b.pageText())
	}
}

// pageText is the visible text of the page, for failure messages.
func (b *browser) pageText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	if err != nil {
		return "(unavailable: " + err.Error() + ")"
	}
	return tail(v, 3000)
}

// screenshot saves the whole page as docs/img/<name>.png when
// WAGATE_SCREENSHOTS=1 (so ordinary runs leave the tree alone).
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if os.Getenv("WAGATE_SCREENSHOTS") != "1" {
		return
	}
	// Let the last poll's relative times and announcements settle.
	time.Sleep(300 * time.Millisecond)
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(screenshotsDir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotsDir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
