package waengine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"

	wagate "github.com/wagate/wagate/shared"
)

// Pure conversions of the directory: whatsmeow's contact store, IsOnWhatsApp
// and user info answers to wagate types (contacts.go does the I/O).

// isPerson reports whether j addresses a person (phone number or LID).
func isPerson(j types.JID) bool {
	return j.User != "" && (j.Server == types.DefaultUserServer || j.Server == types.HiddenUserServer)
}

// contactsFromStore merges whatsmeow's contact rows into one contact per
// person. whatsmeow keeps a row per address: a person known by phone and by
// LID has two (push names are stored under both; the address-book name
// under the phone). pnOf maps LIDs to phone JIDs where known, lidOf the
// other way. Rows of the linked account and of non-persons are skipped.
func contactsFromStore(all map[types.JID]types.ContactInfo, pnOf, lidOf map[types.JID]types.JID, isOwn func(types.JID) bool) []wagate.Contact {
	type entry struct {
		key, lid types.JID
		info     types.ContactInfo
	}
	merged := map[types.JID]*entry{}
	for j, info := range all {
		j = j.ToNonAD()
		if !isPerson(j) || (isOwn != nil && isOwn(j)) {
			continue
		}
		key, lid := j, lidOf[j]
		if j.Server == types.HiddenUserServer {
			lid = j
			if pn, ok := pnOf[j]; ok && !pn.IsEmpty() {
				key = pn
			}
		}
		e := merged[key]
		if e == nil {
			e = &entry{key: key}
			merged[key] = e
		}
		if e.lid.IsEmpty() {
			e.lid = lid
		}
		// The row under the phone JID wins; the LID row fills its gaps.
		if j == key {
			e.info = mergeInfo(info, e.info)
		} else {
			e.info = mergeInfo(e.info, info)
		}
	}
	out := make([]wagate.Contact, 0, len(merged))
	for _, e := range merged {
		out = append(out, contactOfInfo(e.key, e.lid, e.info))
	}
	slices.SortFunc(out, func(a, b wagate.Contact) int { return strings.Compare(a.JID, b.JID) })
	return out
}

// mergeInfo returns a with its empty names taken from b.
func mergeInfo(a, b types.ContactInfo) types.ContactInfo {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&a.FullName, b.FullName)
	fill(&a.FirstName, b.FirstName)
	fill(&a.PushName, b.PushName)
	fill(&a.BusinessName, b.BusinessName)
	a.Found = a.Found || b.Found
	return a
}

// contactOfInfo is one person's contact record.
func contactOfInfo(key, lid types.JID, info types.ContactInfo) wagate.Contact {
	c := wagate.Contact{
		JID: key.String(), Name: info.FullName, FirstName: info.FirstName, PushName: info.PushName,
		BusinessName: info.BusinessName, IsWAContact: true,
	}
	if !lid.IsEmpty() {
		c.LID = lid.String()
	}
	if key.Server == types.DefaultUserServer {
		c.Phone = key.User
	}
	return c
}

// phoneQuery is how IsOnWhatsApp wants a number: international, with '+'.
func phoneQuery(phone string) string { return "+" + strings.TrimPrefix(phone, "+") }

// phoneChecks answers for each asked phone from WhatsApp's responses, which
// may come in any order and omit numbers.
func phoneChecks(phones []string, resp []types.IsOnWhatsAppResponse) []wagate.PhoneCheck {
	out := make([]wagate.PhoneCheck, 0, len(phones))
	for _, phone := range phones {
		check := wagate.PhoneCheck{Phone: phone}
		digits := strings.TrimPrefix(phone, "+")
		for _, r := range resp {
			if strings.TrimPrefix(r.Query, "+") != digits && r.JID.User != digits {
				continue
			}
			check.Exists = r.IsIn
			if r.IsIn {
				check.JID = r.JID.ToNonAD().String()
				check.BusinessName = verifiedName(r.VerifiedName)
			}
			break
		}
		out = append(out, check)
	}
	return out
}

func verifiedName(v *types.VerifiedName) string {
	if v == nil || v.Details == nil {
		return ""
	}
	return v.Details.GetVerifiedName()
}

// userInfoOf builds a user's profile from WhatsApp's answers; pic and biz
// may be nil (no picture, hidden, not a business).
func userInfoOf(j types.JID, u types.UserInfo, pic *types.ProfilePictureInfo, biz *types.BusinessProfile) *wagate.UserInfo {
	out := &wagate.UserInfo{
		JID: j.ToNonAD().String(), About: u.Status, PictureID: u.PictureID,
		BusinessName: verifiedName(u.VerifiedName), Devices: len(u.Devices),
	}
	if !u.LID.IsEmpty() {
		out.LID = u.LID.ToNonAD().String()
	}
	if pic != nil {
		out.PictureURL = pic.URL
		if pic.ID != "" {
			out.PictureID = pic.ID
		}
	}
	out.Business = businessOf(biz)
	return out
}

// businessOf converts a business profile (nil stays nil). whatsmeow does
// not parse the description and website of the profile.
func businessOf(b *types.BusinessProfile) *wagate.BusinessProfile {
	if b == nil {
		return nil
	}
	out := &wagate.BusinessProfile{Email: b.Email, Address: b.Address, TimeZone: b.BusinessHoursTimeZone}
	for _, c := range b.Categories {
		out.Categories = append(out.Categories, c.Name)
	}
	return out
}

// lookupError classifies a failed look-up: a lost connection is
// ENOTCONNECTED, WhatsApp's refusals are coded, a cancelled or expired
// context stays internal.
func lookupError(what string, err error) error {
	var iq *whatsmeow.IQError
	var code error
	switch {
	case errors.Is(err, whatsmeow.ErrNotConnected), errors.Is(err, whatsmeow.ErrNotLoggedIn), errors.Is(err, whatsmeow.ErrIQDisconnected):
		code = wagate.Errorf(wagate.ENOTCONNECTED, "The session is not connected.")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", what, err)
	case errors.Is(err, whatsmeow.ErrIQRateOverLimit):
		code = wagate.Errorf(wagate.ERATELIMIT, "WhatsApp refused more look-ups for now; try later.")
	case errors.Is(err, whatsmeow.ErrIQNotFound):
		code = wagate.Errorf(wagate.ENOTFOUND, "Not found on WhatsApp.")
	case errors.As(err, &iq):
		code = wagate.Errorf(wagate.EWHATSAPP, "WhatsApp refused the look-up (%d %s).", iq.Code, iq.Text)
	default:
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %w: %w", what, code, err)
}
