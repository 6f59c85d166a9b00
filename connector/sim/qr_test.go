package sim_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

var (
	// qrCodeRe: "2@<ref>,<noise key>,<identity key>,<adv secret>", as whatsmeow emits.
	qrCodeRe = regexp.MustCompile(`^2@[A-Za-z0-9+/]+={0,2},[A-Za-z0-9+/]{43}=,[A-Za-z0-9+/]{43}=,[A-Za-z0-9+/]{43}=$`)
	// pairingCodeRe: WhatsApp's linking-code alphabet, 4+4 characters.
	pairingCodeRe = regexp.MustCompile(`^[1-9A-HJ-NP-TV-Z]{4}-[1-9A-HJ-NP-TV-Z]{4}$`)
)

func TestQR(t *testing.T) {
	const first, next = 40 * time.Millisecond, 20 * time.Millisecond
	tests := []struct {
		name  string
		codes int // Options.QRCodes
		want  int
	}{
		{"DefaultSixCodes", 0, 6},
		{"ThreeCodes", 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := fastOptions()
			opts.QRFirstTimeout, opts.QRNextTimeout, opts.QRCodes = first, next, tt.codes
			n := MustOpenNetwork(t, opts)
			c, r := startClient(t, n, "s1", "")
			start := time.Now()
			connect(t, c)

			var codes []wagate.QREvent
			for range tt.want {
				codes = append(codes, expect[wagate.QREvent](t, r))
			}
			expect[wagate.QRTimeoutEvent](t, r)
			r.quiet(t, 2*next)

			seen := map[string]bool{}
			for i, qr := range codes {
				if !qrCodeRe.MatchString(qr.Code) {
					t.Errorf("code %d = %q, not a WhatsApp QR code", i, qr.Code)
				}
				if seen[qr.Code] {
					t.Errorf("code %d repeats an earlier code", i)
				}
				seen[qr.Code] = true
				if keys := func(s string) string { return s[strings.Index(s, ","):] }; keys(qr.Code) != keys(codes[0].Code) {
					t.Errorf("code %d has other keys than code 0; only the ref rotates", i)
				}
				life, prev := next, codes[max(i-1, 0)].ExpiresAt
				if i == 0 {
					life, prev = first, start
				}
				if got := qr.ExpiresAt.Sub(prev); got < life {
					t.Errorf("code %d expires %v after the previous one, want ≥ %v", i, got, life)
				}
			}
			if c.IsLive() {
				t.Error("IsLive after QR timeout")
			}
			wantCode(t, n.Scan(t.Context(), "s1", "", ""), wagate.EINVALID)

			// A new attempt shows fresh codes.
			connect(t, c)
			if again := expect[wagate.QREvent](t, r); seen[again.Code] {
				t.Error("new attempt repeats an old code")
			}
		})
	}
}

func TestPairPhone(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		n := MustOpenNetwork(t, fastOptions())
		c, r := startClient(t, n, "s1", "")
		connect(t, c)
		expect[wagate.QREvent](t, r)

		code, err := c.PairPhone(t.Context(), "34600000042")
		if err != nil {
			t.Fatalf("pair phone: %v", err)
		}
		if !pairingCodeRe.MatchString(code) {
			t.Errorf("code = %q, want like ABCD-EFGH", code)
		}
		paired := expect[wagate.PairedEvent](t, r)
		want := wagate.PairedEvent{DeviceJID: "34600000042:1@s.whatsapp.net", PhoneNumber: "34600000042", PushName: "Sim User"}
		if paired != want {
			t.Errorf("paired = %+v, want %+v", paired, want)
		}
		if got := expect[wagate.ConnectedEvent](t, r); got.PhoneNumber != "34600000042" {
			t.Errorf("connected = %+v", got)
		}
		if !c.IsLive() {
			t.Error("not live after pairing")
		}
	})

	t.Run("NewCodeReplacesOld", func(t *testing.T) {
		opts := fastOptions()
		opts.PairPhoneDelay = 30 * time.Millisecond
		n := MustOpenNetwork(t, opts)
		c, r := startClient(t, n, "s1", "")
		connect(t, c)
		expect[wagate.QREvent](t, r)
		code1, err1 := c.PairPhone(t.Context(), "34600000001")
		code2, err2 := c.PairPhone(t.Context(), "34600000002")
		if err1 != nil || err2 != nil {
			t.Fatalf("pair phone: %v, %v", err1, err2)
		}
		if code1 == code2 {
			t.Error("second request gave the same code")
		}
		if got := expect[wagate.PairedEvent](t, r); got.PhoneNumber != "34600000002" {
			t.Errorf("paired with %s, want the second phone", got.PhoneNumber)
		}
		expect[wagate.ConnectedEvent](t, r)
		r.quiet(t, 3*opts.PairPhoneDelay)
	})

	t.Run("QRTimeoutCancels", func(t *testing.T) {
		opts := fastOptions()
		opts.QRFirstTimeout, opts.QRNextTimeout, opts.QRCodes = 10*time.Millisecond, 10*time.Millisecond, 1
		opts.PairPhoneDelay = 60 * time.Millisecond
		n := MustOpenNetwork(t, opts)
		c, r := startClient(t, n, "s1", "")
		connect(t, c)
		expect[wagate.QREvent](t, r)
		if _, err := c.PairPhone(t.Context(), "34600000001"); err != nil {
			t.Fatalf("pair phone: %v", err)
		}
		expect[wagate.QRTimeoutEvent](t, r)
		r.quiet(t, 2*opts.PairPhoneDelay)
	})

	errTests := []struct {
		name  string
		setup func(t *testing.T) wagate.EngineClient
		phone string
	}{
		{"ErrNotConnecting", func(t *testing.T) wagate.EngineClient {
			c, _ := startClient(t, MustOpenNetwork(t, fastOptions()), "s1", "")
			return c
		}, "34600000001"},
		{"ErrAlreadyPaired", func(t *testing.T) wagate.EngineClient {
			c, _, _ := pairedSession(t, MustOpenNetwork(t, fastOptions()), "s1", "34600000001")
			return c
		}, "34600000001"},
		{"ErrBadPhone", func(t *testing.T) wagate.EngineClient {
			c, r := startClient(t, MustOpenNetwork(t, fastOptions()), "s1", "")
			connect(t, c)
			expect[wagate.QREvent](t, r)
			return c
		}, "06-123"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.setup(t)
			_, err := c.PairPhone(t.Context(), tt.phone)
			wantCode(t, err, wagate.EINVALID)
		})
	}
}
