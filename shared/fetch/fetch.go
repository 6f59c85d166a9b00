// Package fetch downloads media from URLs given by API clients, guarded
// against server-side request forgery: only http(s), only public addresses
// (checked on the address actually dialled, and again on every redirect),
// bounded in size and time.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// Defaults of Options.
const (
	DefaultMaxBytes     = 64 << 20
	DefaultTimeout      = 30 * time.Second
	DefaultMaxRedirects = 5

	dialTimeout = 10 * time.Second
	userAgent   = "wagate-media-fetcher/1"
)

// Options configure a Fetcher. Zero values take the defaults; a negative
// MaxRedirects follows no redirect.
type Options struct {
	MaxBytes      int64         // largest body accepted
	Timeout       time.Duration // whole request, body included
	AllowLoopback bool          // development only
	AllowPrivate  bool          // RFC 1918, CGNAT, ULA: on-premises deployments only
	MaxRedirects  int
}

// Fetcher downloads URLs through the address guard. It is safe for
// concurrent use.
type Fetcher struct {
	opts   Options
	client *http.Client
}

// New returns a Fetcher with its own transport (no proxy from the
// environment: a proxy would dial on our behalf, past the guard).
func New(opts Options) *Fetcher {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	} else if opts.MaxRedirects < 0 {
		opts.MaxRedirects = 0
	}
	dialer := &net.Dialer{Timeout: dialTimeout, Control: Control(opts.AllowLoopback, opts.AllowPrivate)}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   dialTimeout,
		ResponseHeaderTimeout: opts.Timeout,
	}
	f := &Fetcher{opts: opts}
	f.client = &http.Client{Transport: transport, CheckRedirect: f.checkRedirect}
	return f
}

// Get downloads rawURL and returns the body and the Content-Type the server
// declared. Refused or malformed URLs, too many redirects and 4xx answers
// are EINVALID; a body over MaxBytes is ETOOLARGE; network failures,
// timeouts and other statuses are internal errors naming the host.
func (f *Fetcher) Get(ctx context.Context, rawURL string) (body []byte, contentType string, err error) {
	if err := CheckURL(rawURL, f.opts.AllowLoopback, f.opts.AllowPrivate); err != nil {
		return nil, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, "", wagate.Errorf(wagate.EINVALID, "url must be an absolute http:// or https:// URL.")
	}
	req.Header.Set("User-Agent", userAgent)
	host := req.URL.Host
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, "", failure(host, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
			return nil, "", wagate.Errorf(wagate.EINVALID, "url answered HTTP %d: it must serve the file publicly, without login.", resp.StatusCode)
		}
		return nil, "", fmt.Errorf("fetch media from %s: HTTP %d", host, resp.StatusCode)
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return nil, "", f.tooLarge()
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, "", failure(host, err)
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return nil, "", f.tooLarge()
	}
	return body, resp.Header.Get("Content-Type"), nil
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.opts.MaxRedirects {
		return wagate.Errorf(wagate.EINVALID, "url redirected more than %d times.", f.opts.MaxRedirects)
	}
	return CheckURL(req.URL.String(), f.opts.AllowLoopback, f.opts.AllowPrivate)
}

func (f *Fetcher) tooLarge() error {
	return wagate.Errorf(wagate.ETOOLARGE, "The file at url is larger than %d bytes.", f.opts.MaxBytes)
}

// failure returns the guard's own errors as they are and wraps the others
// with the host (not the URL: its query may hold credentials).
func failure(host string, err error) error {
	var we *wagate.Error
	if errors.As(err, &we) {
		return we
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("fetch media from %s: %w", host, err)
}
