package waengine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"

	wagate "github.com/wagate/wagate/shared"
)

// profileFetcher asks WhatsApp for the parts of the own profile that no
// event carries. Its methods do network I/O: call them in the background.
type profileFetcher interface {
	FetchAbout(ctx context.Context) (string, error)
	FetchPictureURL(ctx context.Context) (string, error)
}

// profileTracker keeps the last known profile of the linked account and
// emits a ProfileEvent, always with the whole profile, when it changes.
type profileTracker struct {
	log *slog.Logger
	out *emitter
	// fetch is nil when nothing should be fetched (tests).
	fetch profileFetcher
	// background runs task off the whatsmeow event goroutine.
	background func(task func(ctx context.Context))

	mu      sync.Mutex
	cur     wagate.Profile
	sent    wagate.Profile
	fetched bool // about and picture fetched once since the client was built
}

// update applies f and emits the profile if it differs from the last one
// emitted.
func (t *profileTracker) update(f func(p *wagate.Profile)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f(&t.cur)
	if t.cur != t.sent {
		t.sent = t.cur
		t.out.emit(wagate.ProfileEvent{Profile: t.cur})
	}
}

// connected records what the store knows and, the first time, fetches the
// about text and the picture.
func (t *profileTracker) connected(pushName string, isBusiness bool) {
	t.update(func(p *wagate.Profile) {
		if pushName != "" {
			p.Name = pushName
		}
		p.IsBusiness = p.IsBusiness || isBusiness
	})
	t.mu.Lock()
	start := !t.fetched && t.fetch != nil
	t.fetched = true
	t.mu.Unlock()
	if start {
		t.background(t.fetchAll)
	}
}

func (t *profileTracker) fetchAll(ctx context.Context) {
	about, aboutErr := t.fetch.FetchAbout(ctx)
	picture, pictureErr := t.fetch.FetchPictureURL(ctx)
	if err := errors.Join(aboutErr, pictureErr); err != nil {
		t.log.Warn("fetch own profile", "error", err)
	}
	t.update(func(p *wagate.Profile) {
		if aboutErr == nil {
			p.About = about
		}
		if pictureErr == nil {
			p.PictureURL = picture
		}
	})
	if aboutErr != nil || pictureErr != nil {
		t.mu.Lock()
		t.fetched = false // try again on the next Connected
		t.mu.Unlock()
	}
}

func (t *profileTracker) setName(name string) {
	t.update(func(p *wagate.Profile) { p.Name = name })
}

func (t *profileTracker) setAbout(about string) {
	t.update(func(p *wagate.Profile) { p.About = about })
}

func (t *profileTracker) setBusiness(isBusiness bool) {
	t.update(func(p *wagate.Profile) { p.IsBusiness = isBusiness })
}

// pictureChanged: the event carries no URL, so a new picture is fetched.
func (t *profileTracker) pictureChanged(removed bool) {
	if removed {
		t.update(func(p *wagate.Profile) { p.PictureURL = "" })
		return
	}
	if t.fetch == nil {
		return
	}
	t.background(func(ctx context.Context) {
		url, err := t.fetch.FetchPictureURL(ctx)
		if err != nil {
			t.log.Warn("fetch own profile picture", "error", err)
			return
		}
		t.update(func(p *wagate.Profile) { p.PictureURL = url })
	})
}

// waProfileFetcher fetches the own profile with a whatsmeow client.
type waProfileFetcher struct{ wa *whatsmeow.Client }

func (f waProfileFetcher) FetchAbout(ctx context.Context) (string, error) {
	own := f.wa.Store.GetJID().ToNonAD()
	if own.IsEmpty() {
		return "", fmt.Errorf("fetch about: %w", whatsmeow.ErrNotLoggedIn)
	}
	infos, err := f.wa.GetUserInfo(ctx, []types.JID{own})
	if err != nil {
		return "", fmt.Errorf("fetch about of %s: %w", own, err)
	}
	return infos[own].Status, nil
}

func (f waProfileFetcher) FetchPictureURL(ctx context.Context) (string, error) {
	own := f.wa.Store.GetJID().ToNonAD()
	if own.IsEmpty() {
		return "", fmt.Errorf("fetch picture: %w", whatsmeow.ErrNotLoggedIn)
	}
	info, err := f.wa.GetProfilePictureInfo(ctx, own, nil)
	if errors.Is(err, whatsmeow.ErrProfilePictureNotSet) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("fetch picture of %s: %w", own, err)
	} else if info == nil {
		return "", nil
	}
	return info.URL, nil
}
