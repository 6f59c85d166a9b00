package fetch

import (
	"net/netip"
	"net/url"
	"strings"
	"syscall"

	wagate "github.com/wagate/wagate/shared"
)

// MaxURLLength bounds the URLs accepted.
const MaxURLLength = 4096

// errBlocked is returned for a URL whose host is, or resolves to, an address
// the guard refuses.
var errBlocked = wagate.Errorf(wagate.EINVALID, "url points to a private or local address: media must be at a public http(s) address.")

// Address ranges. Loopback and private ranges can be allowed by options;
// the always-blocked ones never (link-local includes the cloud metadata
// endpoint 169.254.169.254).
var (
	loopbackNets = prefixes("127.0.0.0/8", "::1/128")
	privateNets  = prefixes(
		"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", // RFC 1918
		"100.64.0.0/10",  // carrier-grade NAT
		"fc00::/7",       // unique local
		"64:ff9b:1::/48", // local-use NAT64
	)
	blockedNets = prefixes(
		"0.0.0.0/8", "169.254.0.0/16", "192.0.0.0/24", "192.0.2.0/24",
		"198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
		"224.0.0.0/4", "240.0.0.0/4", // multicast; reserved and broadcast
		"::/96",     // unspecified and IPv4-compatible
		"100::/64",  // discard
		"2001::/32", // Teredo
		"2001:db8::/32", "fe80::/10", "fec0::/10", "ff00::/8",
	)
	nat64Net  = netip.MustParsePrefix("64:ff9b::/96")
	sixTo4Net = netip.MustParsePrefix("2002::/16")
)

func prefixes(ss ...string) []netip.Prefix {
	ps := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		ps[i] = netip.MustParsePrefix(s)
	}
	return ps
}

func inAny(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Allowed reports whether the guard lets a connection go to a. Loopback is
// allowed only with allowLoopback, private ranges (RFC 1918, CGNAT, ULA)
// only with allowPrivate; link-local, unspecified, multicast and reserved
// addresses never. IPv4 addresses embedded in IPv6 (mapped, NAT64, 6to4)
// are judged as the IPv4 address.
func Allowed(a netip.Addr, allowLoopback, allowPrivate bool) bool {
	a = a.WithZone("").Unmap()
	if !a.IsValid() {
		return false
	}
	if a.Is6() && (nat64Net.Contains(a) || sixTo4Net.Contains(a)) {
		b := a.As16()
		v4 := [4]byte(b[12:16])
		if sixTo4Net.Contains(a) {
			v4 = [4]byte(b[2:6])
		}
		return Allowed(netip.AddrFrom4(v4), allowLoopback, allowPrivate)
	}
	switch {
	case inAny(a, loopbackNets):
		return allowLoopback
	case inAny(a, blockedNets) || a.IsLinkLocalUnicast() || a.IsMulticast() || a.IsUnspecified():
		return false
	case inAny(a, privateNets) || a.IsPrivate():
		return allowPrivate
	}
	return true
}

// Control returns a net.Dialer Control function that refuses connections
// to addresses Allowed rejects. It sees the address actually dialled, after
// DNS resolution, so DNS rebinding cannot get around it.
func Control(allowLoopback, allowPrivate bool) func(network, address string, c syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !Allowed(ap.Addr(), allowLoopback, allowPrivate) {
			return errBlocked
		}
		return nil
	}
}

// CheckURL validates a media URL without any I/O: an absolute http or https
// URL with a host, whose host is not a refused literal IP address or
// "localhost". Names are checked again, resolved, when fetched.
// Returns EINVALID.
func CheckURL(rawURL string, allowLoopback, allowPrivate bool) error {
	if len(rawURL) > MaxURLLength {
		return wagate.Errorf(wagate.EINVALID, "url must be at most %d characters.", MaxURLLength)
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" || u.Hostname() == "" {
		return wagate.Errorf(wagate.EINVALID, "url must be an absolute http:// or https:// URL, e.g. https://example.com/file.jpg.")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		if !allowLoopback {
			return errBlocked
		}
		return nil
	}
	if a, err := netip.ParseAddr(host); err == nil && !Allowed(a, allowLoopback, allowPrivate) {
		return errBlocked
	}
	return nil
}
