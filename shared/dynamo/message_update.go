package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
)

// Message attributes an update writes (the messageItem tags).
const (
	aMsgError   = "error"
	aMsgBody    = "body"
	aMsgEdited  = "edited"
	aMsgRevoked = "revoked"
	aMsgMedia   = "media"
)

// UpdateMessage applies upd to the session's message with this WhatsApp id
// and returns the message with whether anything changed. It reads the
// message, works out what changes, and writes only that; nothing changes →
// nothing is written. A status is written on the condition that the stored
// rank is still below the new one (a later status that landed meanwhile
// wins: the update is re-read and re-applied).
func (st *MessageStore) UpdateMessage(ctx context.Context, sessionID, whatsAppID string, upd wagate.MessageUpdate) (*wagate.Message, bool, error) {
	return st.update(ctx, sessionID, whatsAppID, upd, nil)
}

// update is UpdateMessage, fenced by the session's lease when fence is set
// (message_fenced.go).
func (st *MessageStore) update(ctx context.Context, sessionID, whatsAppID string, upd wagate.MessageUpdate, fence *wagate.Fence) (*wagate.Message, bool, error) {
	k := itemKey{sessionPK(sessionID), messageSK(whatsAppID)}
	for attempt := 0; ; attempt++ {
		m, err := st.get(ctx, sessionID, whatsAppID)
		if err != nil {
			return nil, false, fmt.Errorf("update message %q of session %q: %w", whatsAppID, sessionID, err)
		}
		if m == nil {
			return nil, false, wagate.Errorf(wagate.ENOTFOUND, "Message %s not found", whatsAppID)
		}
		var e expr
		u := newUpdate(&e)
		rank, err := applyMessageUpdate(m, upd, time.Now(), u)
		if err != nil {
			return nil, false, fmt.Errorf("update message %q of session %q: %w", whatsAppID, sessionID, err)
		}
		if u.empty() {
			return m, false, nil
		}
		cond := "attribute_exists(" + e.n(attrPK) + ")"
		if rank > 0 {
			cond += " AND " + e.n(aRank) + " < " + e.i(int64(rank))
		}
		if fence != nil {
			done, err := st.writeFenced(ctx, sessionID, k, u, cond, *fence)
			if done || err != nil {
				return m, done, err
			}
			if attempt >= maxRetries {
				return nil, false, fmt.Errorf("update message %q of session %q: conflicting updates", whatsAppID, sessionID)
			}
			continue
		}
		out, err := st.t.updateItem(ctx, &dynamodb.UpdateItemInput{
			Key:              k.av(),
			UpdateExpression: aws.String(u.String()), ConditionExpression: aws.String(cond),
			ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
			ReturnValues: types.ReturnValueAllNew,
		})
		if err == nil {
			stored, err := decodeMessage(out.Attributes)
			if err != nil {
				return nil, false, fmt.Errorf("update message %q of session %q: %w", whatsAppID, sessionID, err)
			}
			return stored, true, nil
		}
		if !isCondFailed(err) || attempt >= maxRetries {
			return nil, false, fmt.Errorf("update message %q of session %q: %w", whatsAppID, sessionID, err)
		}
	}
}

// applyMessageUpdate applies upd to m, writing each change into u, and
// returns the rank of the new status (0 when the status stays). The status
// moves only forward (wagate.MessageStatus.Advances) and stamps its own time
// field with upd.At, or now when At is zero.
func applyMessageUpdate(m *wagate.Message, upd wagate.MessageUpdate, now time.Time, u *update) (int, error) {
	rank := 0
	if upd.Status != nil && m.Status.Advances(*upd.Status) {
		m.Status, rank = *upd.Status, upd.Status.Rank()
		u.set(aMsgStatus, sv(string(m.Status))).set(aRank, nv(int64(rank)))
		at := upd.At
		if at.IsZero() {
			at = now
		}
		if field, attr := statusTime(m, m.Status); field != nil {
			*field = at.UTC()
			u.set(attr, sv(fmtTime(at)))
		}
	}
	if upd.Error != nil && *upd.Error != m.Error {
		m.Error = *upd.Error
		u.setS(aMsgError, m.Error)
	}
	if upd.Body != nil && *upd.Body != m.Body {
		m.Body = *upd.Body
		u.setS(aMsgBody, m.Body)
	}
	if upd.Edited != nil && *upd.Edited != m.Edited {
		m.Edited = *upd.Edited
		u.set(aMsgEdited, bv(m.Edited))
	}
	if upd.Revoked != nil && *upd.Revoked != m.Revoked {
		m.Revoked = *upd.Revoked
		u.set(aMsgRevoked, bv(m.Revoked))
	}
	if upd.Media != nil && (m.Media == nil || *m.Media != *upd.Media) {
		media := *upd.Media
		m.Media = &media
		av, err := attributevalue.Marshal(mediaDoc(media))
		if err != nil {
			return 0, fmt.Errorf("encode media: %w", err)
		}
		u.set(aMsgMedia, av)
	}
	return rank, nil
}

// statusTime returns the field of m that records when it reached s and its
// attribute, or nil.
func statusTime(m *wagate.Message, s wagate.MessageStatus) (*time.Time, string) {
	switch s {
	case wagate.StatusSent:
		return &m.SentAt, "sentAt"
	case wagate.StatusDelivered:
		return &m.DeliveredAt, "deliveredAt"
	case wagate.StatusRead:
		return &m.ReadAt, "readAt"
	case wagate.StatusPlayed:
		return &m.PlayedAt, "playedAt"
	}
	return nil, ""
}
