package fetch_test

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/fetch"
)

func TestAllowed(t *testing.T) {
	const (
		public   = "public"
		loopback = "loopback"
		private  = "private"
		never    = "never"
	)
	for _, tc := range []struct{ ip, class string }{
		{"93.184.215.14", public},
		{"8.8.8.8", public},
		{"2606:4700:4700::1111", public},
		{"127.0.0.1", loopback},
		{"127.255.255.254", loopback},
		{"::1", loopback},
		{"::ffff:127.0.0.1", loopback},
		{"10.0.0.1", private},
		{"172.16.5.4", private},
		{"172.31.255.255", private},
		{"172.32.0.1", public},
		{"192.168.1.1", private},
		{"100.64.0.1", private},
		{"100.127.255.255", private},
		{"100.128.0.1", public},
		{"fc00::1", private},
		{"fd12:3456::1", private},
		{"::ffff:10.1.2.3", private},
		{"::ffff:192.168.0.1", private},
		{"169.254.169.254", never},
		{"169.254.0.1", never},
		{"::ffff:169.254.169.254", never},
		{"fe80::1", never},
		{"fe80::1%eth0", never},
		{"0.0.0.0", never},
		{"0.1.2.3", never},
		{"::", never},
		{"224.0.0.1", never},
		{"239.255.255.250", never},
		{"255.255.255.255", never},
		{"240.0.0.1", never},
		{"ff02::1", never},
		{"::127.0.0.1", never},         // IPv4-compatible
		{"64:ff9b::a9fe:a9fe", never},  // NAT64 of 169.254.169.254
		{"64:ff9b::7f00:1", loopback},  // NAT64 of 127.0.0.1
		{"64:ff9b::808:808", public},   // NAT64 of 8.8.8.8
		{"2002:c0a8:101::1", private},  // 6to4 of 192.168.1.1
		{"2002:808:808::1", public},    // 6to4 of 8.8.8.8
		{"2001:0:4136:e378::1", never}, // Teredo
	} {
		t.Run(tc.ip, func(t *testing.T) {
			a := netip.MustParseAddr(tc.ip)
			for _, opt := range []struct{ loop, priv bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
				want := tc.class == public || (tc.class == loopback && opt.loop) || (tc.class == private && opt.priv)
				if got := fetch.Allowed(a, opt.loop, opt.priv); got != want {
					t.Errorf("Allowed(%s, loopback=%v, private=%v) = %v, want %v", tc.ip, opt.loop, opt.priv, got, want)
				}
			}
		})
	}
	if fetch.Allowed(netip.Addr{}, true, true) {
		t.Error("the zero Addr is allowed")
	}
}

func TestControl(t *testing.T) {
	ctl := fetch.Control(false, false)
	for addr, ok := range map[string]bool{
		"93.184.215.14:443": true, "[2606:4700::1]:80": true,
		"127.0.0.1:80": false, "[::1]:80": false, "10.0.0.1:80": false,
		"169.254.169.254:80": false, "[fe80::1%eth0]:80": false, "nonsense": false,
	} {
		err := ctl("tcp", addr, nil)
		if (err == nil) != ok {
			t.Errorf("Control(%s) = %v", addr, err)
		}
		if err != nil && wagate.ErrorCode(err) != wagate.EINVALID {
			t.Errorf("Control(%s): code %s", addr, wagate.ErrorCode(err))
		}
	}
}

func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		url            string
		loop, priv, ok bool
	}{
		{"https://example.com/a.jpg", false, false, true},
		{"http://example.com:8080/a.jpg?x=1", false, false, true},
		{"HTTPS://EXAMPLE.COM/a.jpg", false, false, true},
		{"https://8.8.8.8/a.jpg", false, false, true},
		{"ftp://example.com/a.jpg", true, true, false},
		{"file:///etc/passwd", true, true, false},
		{"gopher://example.com/", true, true, false},
		{"javascript:alert(1)", true, true, false},
		{"http:example.com", true, true, false},
		{"//example.com/a.jpg", true, true, false},
		{"/a.jpg", true, true, false},
		{"http://", true, true, false},
		{"http://:80/", true, true, false},
		{"", true, true, false},
		{"http://127.0.0.1/a", false, false, false},
		{"http://127.0.0.1/a", true, false, true},
		{"http://localhost:8080/a", false, false, false},
		{"http://LOCALHOST./a", false, false, false},
		{"http://x.localhost/a", false, false, false},
		{"http://localhost/a", true, false, true},
		{"http://[::1]/a", false, false, false},
		{"http://10.1.2.3/a", false, false, false},
		{"http://10.1.2.3/a", false, true, true},
		{"http://169.254.169.254/latest/meta-data/", true, true, false},
		{"http://[::ffff:169.254.169.254]/", true, true, false},
		{"http://[fe80::1%25eth0]/", true, true, false},
		{"http://0.0.0.0:8084/", true, true, false},
		{"https://example.com/" + strings.Repeat("a", fetch.MaxURLLength), false, false, false},
	} {
		t.Run(tc.url, func(t *testing.T) {
			err := fetch.CheckURL(tc.url, tc.loop, tc.priv)
			if tc.ok && err != nil {
				t.Fatalf("CheckURL(%q, %v, %v) = %v", tc.url, tc.loop, tc.priv, err)
			}
			if !tc.ok && wagate.ErrorCode(err) != wagate.EINVALID {
				t.Fatalf("CheckURL(%q, %v, %v) = %v; want VALIDATION_ERROR", tc.url, tc.loop, tc.priv, err)
			}
		})
	}
}

func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/a.jpg", "http://127.0.0.1/", "http://[::ffff:10.0.0.1]/", "http://[fe80::1%25x]/",
		"ftp://x", "http://localhost./", "http://2130706433/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		err := fetch.CheckURL(raw, false, false)
		if err != nil {
			if wagate.ErrorCode(err) != wagate.EINVALID {
				t.Fatalf("CheckURL(%q): code %s", raw, wagate.ErrorCode(err))
			}
			return
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			t.Fatalf("CheckURL accepted %q", raw)
		}
		if a, err := netip.ParseAddr(u.Hostname()); err == nil && !fetch.Allowed(a, false, false) {
			t.Fatalf("CheckURL accepted refused address %q", raw)
		}
	})
}
