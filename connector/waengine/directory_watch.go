package waengine

import (
	"context"
	"log/slog"
	"time"

	"go.mau.fi/whatsmeow/appstate"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	wagate "github.com/wagate/wagate/shared"
)

// contactLookupTimeout bounds a read of one contact from the device store.
const contactLookupTimeout = 5 * time.Second

// contactSource is what the watcher reads from whatsmeow's device store:
// local reads (the contact store is cached in memory), no network I/O.
type contactSource interface {
	GetContact(ctx context.Context, j types.JID) (types.ContactInfo, error)
	GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error)
	GetLIDForPN(ctx context.Context, pn types.JID) (types.JID, error)
}

// storeContacts is the contactSource of a whatsmeow device store.
type storeContacts struct{ dev *store.Device }

func (s storeContacts) GetContact(ctx context.Context, j types.JID) (types.ContactInfo, error) {
	return s.dev.Contacts.GetContact(ctx, j)
}

func (s storeContacts) GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error) {
	return s.dev.LIDs.GetPNForLID(ctx, lid)
}

func (s storeContacts) GetLIDForPN(ctx context.Context, pn types.JID) (types.JID, error) {
	return s.dev.LIDs.GetLIDForPN(ctx, pn)
}

// watcher turns whatsmeow's contact and group events into engine events:
// a changed contact is re-read whole from the contact store (phone and LID
// rows merged), bulk syncs ask the connector to re-read everything, group
// notifications become GroupEvent (joined) and GroupChangeEvent (changes).
// It runs on whatsmeow's event goroutine.
type watcher struct {
	log *slog.Logger
	out *emitter
	dev deviceView
	src contactSource
}

func (w *watcher) handle(raw any) {
	switch evt := raw.(type) {
	case *events.Contact:
		w.contactChanged(evt.JID)
	case *events.PushName:
		w.contactChanged(evt.JID)
	case *events.BusinessName:
		w.contactChanged(evt.JID)
	case *events.Picture:
		w.pictureChanged(evt)
	case *events.AppStateSyncComplete:
		if evt.Name == appstate.WAPatchCriticalUnblockLow {
			// The address book arrived in bulk, without per-contact events.
			w.out.emit(wagate.ContactsEvent{All: true})
		}
	case *events.HistorySync:
		if len(evt.Data.GetPushnames()) > 0 {
			w.out.emit(wagate.ContactsEvent{All: true})
		}
	case *events.JoinedGroup:
		w.out.emit(wagate.GroupEvent{Group: groupOf(&evt.GroupInfo)})
	case *events.GroupInfo:
		w.out.emit(wagate.GroupChangeEvent{GroupJID: evt.JID.String(), Change: groupChangeOf(evt, w.member, w.isOwn), At: evt.Timestamp})
	}
}

func (w *watcher) isOwn(j types.JID) bool { return isOwnJID(w.dev, j) }

// contactChanged emits the whole record of the person j names.
func (w *watcher) contactChanged(j types.JID) {
	j = j.ToNonAD()
	if !isPerson(j) || w.isOwn(j) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), contactLookupTimeout)
	defer cancel()
	pn, lid := j, types.EmptyJID
	if j.Server == types.HiddenUserServer {
		lid = j
		if p, err := w.src.GetPNForLID(ctx, j); err == nil && !p.IsEmpty() {
			pn = p.ToNonAD()
		}
	} else if l, err := w.src.GetLIDForPN(ctx, j); err == nil && !l.IsEmpty() {
		lid = l.ToNonAD()
	}
	rows := map[types.JID]types.ContactInfo{}
	for _, k := range []types.JID{pn, lid} {
		if k.IsEmpty() {
			continue
		}
		info, err := w.src.GetContact(ctx, k)
		if err != nil {
			w.log.Debug("read changed contact", "jid", k.String(), "error", err)
			continue
		}
		rows[k] = info
	}
	pnOf, lidOf := map[types.JID]types.JID{}, map[types.JID]types.JID{}
	if !lid.IsEmpty() && pn != lid {
		pnOf[lid], lidOf[pn] = pn, lid
	}
	if cs := contactsFromStore(rows, pnOf, lidOf, w.isOwn); len(cs) > 0 {
		w.out.emit(wagate.ContactsEvent{Contacts: cs})
	}
}

// pictureChanged reports a person's new or removed picture (groups' and
// our own are not contacts).
func (w *watcher) pictureChanged(evt *events.Picture) {
	j := evt.JID.ToNonAD()
	if !isPerson(j) || w.isOwn(j) {
		return
	}
	id := evt.PictureID
	if evt.Remove {
		id = ""
	}
	w.out.emit(wagate.ContactPictureEvent{JID: w.member(j).JID, PictureID: id})
}

// member names a person as the port does: by phone JID when the LID's
// phone number is known.
func (w *watcher) member(j types.JID) wagate.GroupParticipant {
	j = j.ToNonAD()
	m := wagate.GroupParticipant{JID: j.String()}
	switch j.Server {
	case types.HiddenUserServer:
		m.LID = m.JID
		ctx, cancel := context.WithTimeout(context.Background(), contactLookupTimeout)
		defer cancel()
		if pn, err := w.src.GetPNForLID(ctx, j); err == nil && !pn.IsEmpty() {
			m.JID, m.Phone = pn.ToNonAD().String(), pn.User
		}
	case types.DefaultUserServer:
		m.Phone = j.User
	}
	return m
}
