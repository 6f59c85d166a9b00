package webhook

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

const (
	// AttemptTimeout bounds one attempt (the seed's 7 seconds), unless the
	// Sender's client sets its own Timeout.
	AttemptTimeout = 7 * time.Second
	// DefaultUserAgent is sent when the Sender names none.
	DefaultUserAgent = "wagate-webhook/1"
	// maxErrorText is how many characters of a refusing answer's body go
	// into the attempt's error.
	maxErrorText = 200
	// maxDrain is how much of a 2xx body is read so the connection can be
	// reused.
	maxDrain = 64 << 10
	// maxRedirects bounds the 307/308 redirects followed.
	maxRedirects = 3
)

// Headers of a webhook request.
const (
	HeaderEvent     = "X-Webhook-Event"
	HeaderSession   = "X-Webhook-Session"
	HeaderSignature = "X-Webhook-Signature"
	HeaderHub       = "X-Hub-Signature-256"
	HeaderID        = "X-Webhook-Id"
	HeaderTimestamp = "X-Webhook-Timestamp"
)

// Verdict is what an attempt means for its delivery.
type Verdict int

const (
	Delivered Verdict = iota // a 2xx answer
	Retry                    // no answer, timeout, 5xx, 429, 408: try again later
	Refused                  // any other answer (or a refused target): dead at once, replay after fixing
)

// Classify returns the verdict of an HTTP status code (0 = no answer).
func Classify(code int) Verdict {
	switch {
	case code >= 200 && code < 300:
		return Delivered
	case code == 0, code >= 500, code == http.StatusTooManyRequests, code == http.StatusRequestTimeout:
		return Retry
	}
	return Refused
}

// Sender makes webhook attempts: one signed POST each.
type Sender struct {
	// Client sends the requests; nil uses NewClient(DefaultWorkers). Its
	// Timeout (AttemptTimeout if zero) bounds an attempt. Its redirect
	// policy is replaced: only 307/308 are followed (a POST stays a POST),
	// at most maxRedirects, each new URL checked by Guard — or, with no
	// Guard, only on the same host.
	Client *http.Client
	// Guard checks a target URL before it is called (SSRF: loopback,
	// private and metadata addresses); nil allows everything (local
	// development).
	Guard func(url string) error
	// UserAgent is sent as User-Agent; empty is DefaultUserAgent.
	UserAgent string

	once   sync.Once
	client *http.Client
}

// NewClient returns a keep-alive HTTP client for webhook attempts that keeps
// up to idlePerHost idle connections to each endpoint.
func NewClient(idlePerHost int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = max(idlePerHost, 2)
	tr.MaxIdleConns = max(tr.MaxIdleConns, 4*tr.MaxIdleConnsPerHost)
	return &http.Client{Timeout: AttemptTimeout, Transport: tr}
}

// Send POSTs body, signed with secret, to url as the delivery of ev and
// returns the attempt (At, URL, StatusCode, Latency, Error; the caller sets
// DeliveryID and N).
func (s *Sender) Send(ctx context.Context, url, secret string, ev events.Event, body []byte) wagate.WebhookAttempt {
	a, _ := s.send(ctx, url, secret, ev, body)
	return a
}

// send is Send with the attempt's verdict.
func (s *Sender) send(ctx context.Context, url, secret string, ev events.Event, body []byte) (wagate.WebhookAttempt, Verdict) {
	start := time.Now()
	a := wagate.WebhookAttempt{At: start.UTC(), URL: url}
	if s.Guard != nil {
		if err := s.Guard(url); err != nil {
			a.Error = "target refused: " + err.Error()
			return a, Refused
		}
	}
	client := s.httpClient()
	if client.Timeout <= 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, AttemptTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		a.Error = "invalid target: " + err.Error()
		return a, Refused
	}
	sig := Sign(secret, body)
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set(HeaderEvent, ev.Type)
	h.Set(HeaderSession, ev.SessionID)
	h.Set(HeaderSignature, sig)
	h.Set(HeaderHub, sig)
	h.Set(HeaderID, ev.ID)
	at := ev.Time
	if at.IsZero() {
		at = start
	}
	h.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set("User-Agent", cmp.Or(s.UserAgent, DefaultUserAgent))

	resp, err := client.Do(req)
	if err != nil {
		a.Latency, a.Error = time.Since(start), err.Error()
		return a, Retry
	}
	defer resp.Body.Close()
	a.StatusCode = resp.StatusCode
	v := Classify(resp.StatusCode)
	switch {
	case v == Delivered:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		a.Error = fmt.Sprintf("HTTP %d: redirect to %s not followed", resp.StatusCode, truncate(resp.Header.Get("Location")))
	default:
		text, _ := io.ReadAll(io.LimitReader(resp.Body, 4*maxErrorText))
		a.Error = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, truncate(string(text)))
	}
	a.Latency = time.Since(start)
	return a, v
}

// httpClient is the Client with the redirect policy of the Sender.
func (s *Sender) httpClient() *http.Client {
	s.once.Do(func() {
		c := NewClient(DefaultWorkers)
		if s.Client != nil {
			c = new(http.Client)
			*c = *s.Client
		}
		c.CheckRedirect = s.checkRedirect
		s.client = c
	})
	return s.client
}

// checkRedirect follows a redirect only when the POST stays a POST
// (307/308), within maxRedirects, to a URL the Guard accepts or, without
// a Guard, on the same host. Otherwise the 3xx answer is the result.
func (s *Sender) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects || req.Method != http.MethodPost {
		return http.ErrUseLastResponse
	}
	if s.Guard != nil {
		if s.Guard(req.URL.String()) != nil {
			return http.ErrUseLastResponse
		}
	} else if !strings.EqualFold(req.URL.Host, via[0].URL.Host) {
		return http.ErrUseLastResponse
	}
	return nil
}

// truncate makes text one line of at most maxErrorText characters.
func truncate(text string) string {
	text = strings.Join(strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if r := []rune(text); len(r) > maxErrorText {
		return string(r[:maxErrorText]) + "…"
	}
	return text
}
