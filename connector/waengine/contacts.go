package waengine

import (
	"context"
	"errors"
	"fmt"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/jid"
)

// The directory's I/O: the contact store (local) and WhatsApp look-ups
// (network). Conversions are in contacts_conv.go.

var _ wagate.EngineDirectory = (*Client)(nil)

// Contacts reads every person of whatsmeow's contact store, merging the
// rows of a person's phone JID and LID. It does no network I/O.
func (c *Client) Contacts(ctx context.Context) ([]wagate.Contact, error) {
	if c.wa.Store.ID == nil {
		return nil, wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is not linked to a phone.", c.sessionID)
	}
	all, err := c.wa.Store.Contacts.GetAllContacts(ctx)
	if err != nil {
		return nil, fmt.Errorf("read contacts of session %q: %w", c.sessionID, err)
	}
	pnOf, lidOf := map[types.JID]types.JID{}, map[types.JID]types.JID{}
	var pns []types.JID
	for j := range all {
		switch j.Server {
		case types.HiddenUserServer:
			if pn, err := c.wa.Store.LIDs.GetPNForLID(ctx, j); err == nil && !pn.IsEmpty() {
				pnOf[j] = pn.ToNonAD()
			}
		case types.DefaultUserServer:
			pns = append(pns, j)
		}
	}
	if len(pns) > 0 {
		if m, err := c.wa.Store.LIDs.GetManyLIDsForPNs(ctx, pns); err == nil {
			for pn, lid := range m {
				lidOf[pn] = lid.ToNonAD()
			}
		} else {
			c.log.Debug("LID lookup of contacts failed", "error", err)
		}
	}
	return contactsFromStore(all, pnOf, lidOf, func(j types.JID) bool { return isOwnJID(c.dev, j) }), nil
}

// IsOnWhatsApp asks WhatsApp which numbers have an account.
func (c *Client) IsOnWhatsApp(ctx context.Context, phones []string) ([]wagate.PhoneCheck, error) {
	if !c.IsLive() {
		return nil, c.notConnected()
	}
	queries := make([]string, len(phones))
	for i, p := range phones {
		queries[i] = phoneQuery(p)
	}
	resp, err := c.wa.IsOnWhatsApp(ctx, queries)
	if err != nil {
		return nil, lookupError(fmt.Sprintf("check %d numbers for session %q", len(phones), c.sessionID), err)
	}
	return phoneChecks(phones, resp), nil
}

// UserInfo looks a user up: existence (for phone numbers), about text,
// devices and verified name, picture, and business profile.
func (c *Client) UserInfo(ctx context.Context, jidStr string) (*wagate.UserInfo, error) {
	j, err := parsePerson(jidStr)
	if err != nil {
		return nil, err
	}
	if !c.IsLive() {
		return nil, c.notConnected()
	}
	what := fmt.Sprintf("look up %s for session %q", j, c.sessionID)
	if j.Server == types.DefaultUserServer {
		resp, err := c.wa.IsOnWhatsApp(ctx, []string{phoneQuery(j.User)})
		if err != nil {
			return nil, lookupError(what, err)
		}
		if checks := phoneChecks([]string{j.User}, resp); !checks[0].Exists {
			return nil, wagate.Errorf(wagate.ENOTFOUND, "%s is not on WhatsApp.", j.User)
		}
	}
	infos, err := c.wa.GetUserInfo(ctx, []types.JID{j})
	if err != nil {
		return nil, lookupError(what, err)
	}
	u, ok := infos[j]
	if !ok {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "%s is not on WhatsApp.", jidStr)
	}
	pic, err := c.wa.GetProfilePictureInfo(ctx, j, nil)
	if err != nil {
		if !errors.Is(err, whatsmeow.ErrProfilePictureNotSet) && !errors.Is(err, whatsmeow.ErrProfilePictureUnauthorized) {
			c.log.Debug("profile picture look-up failed", "jid", j.String(), "error", err)
		}
		pic = nil
	}
	var biz *types.BusinessProfile
	if u.VerifiedName != nil {
		if biz, err = c.wa.GetBusinessProfile(ctx, j); err != nil {
			c.log.Debug("business profile look-up failed", "jid", j.String(), "error", err)
			biz = nil
		}
	}
	return userInfoOf(j, u, pic, biz), nil
}

// parsePerson parses a phone or LID JID (or a bare number).
func parsePerson(s string) (types.JID, error) {
	norm, err := jid.Normalize(s)
	if err != nil {
		return types.EmptyJID, err
	}
	j, err := types.ParseJID(norm)
	if err != nil || !isPerson(j) {
		return types.EmptyJID, wagate.Errorf(wagate.EINVALID, "%q is not a person's WhatsApp id.", s)
	}
	return j, nil
}
