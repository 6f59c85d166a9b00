package dynamo

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	wagate "github.com/wagate/wagate/shared"
)

// sessionItem is a session record: pk sessionPK(sessionId), sk skSession,
// in gsi1 (all sessions), gsi2 (by status) and gsi3 (by autoConnect), each
// sorted by padded numeric id.
type sessionItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	GSI1PK string `dynamodbav:"gsi1pk"`
	GSI1SK string `dynamodbav:"gsi1sk"`
	GSI2PK string `dynamodbav:"gsi2pk"`
	GSI2SK string `dynamodbav:"gsi2sk"`
	GSI3PK string `dynamodbav:"gsi3pk"`
	GSI3SK string `dynamodbav:"gsi3sk"`

	ID           int64    `dynamodbav:"id"`
	SessionID    string   `dynamodbav:"sid"`
	Version      int64    `dynamodbav:"ver"`
	Name         string   `dynamodbav:"name,omitempty"`
	PhoneNumber  string   `dynamodbav:"phone,omitempty"`
	WebhookURL   string   `dynamodbav:"hookUrl,omitempty"`
	Secret       string   `dynamodbav:"hookSecret,omitempty"`
	Events       []string `dynamodbav:"hookEvents,omitempty"`
	SendToFrappe bool     `dynamodbav:"frappe,omitempty"`
	Status       string   `dynamodbav:"st"`
	Reason       string   `dynamodbav:"reason,omitempty"`
	ReasonDetail string   `dynamodbav:"reasonDetail,omitempty"`
	QRCode       string   `dynamodbav:"qr,omitempty"`
	QRExpiresAt  string   `dynamodbav:"qrExpiresAt,omitempty"`
	PairingCode  string   `dynamodbav:"pairingCode,omitempty"`
	DeviceJID    string   `dynamodbav:"deviceJid,omitempty"`
	ProfileName  string   `dynamodbav:"profileName,omitempty"`
	ProfileAbout string   `dynamodbav:"profileAbout,omitempty"`
	ProfilePic   string   `dynamodbav:"profilePicture,omitempty"`
	Business     bool     `dynamodbav:"profileBusiness,omitempty"`
	LastActivity string   `dynamodbav:"lastActivity,omitempty"`
	AutoConnect  bool     `dynamodbav:"ac"`
	CreatedAt    string   `dynamodbav:"createdAt"`
	UpdatedAt    string   `dynamodbav:"updatedAt"`
}

// sessionAliasItem maps a numeric session id to its sessionId: pk
// sessionAliasPK(id), sk skAlias.
type sessionAliasItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	SessionID string `dynamodbav:"sid"`
}

// encodeSession returns the item of s at version ver.
func encodeSession(s *wagate.Session, ver int64) (item, error) {
	id := padID(s.ID)
	it := sessionItem{
		PK: sessionPK(s.SessionID), SK: skSession,
		GSI1PK: gkSessions, GSI1SK: id,
		GSI2PK: gkSessionsByStatus(string(s.Status)), GSI2SK: id,
		GSI3PK: gkSessionsByAuto(s.AutoConnect), GSI3SK: id,
		ID: s.ID, SessionID: s.SessionID, Version: ver,
		Name: s.Name, PhoneNumber: s.PhoneNumber,
		WebhookURL: s.Webhook.URL, Secret: s.Webhook.Secret, Events: s.Webhook.Events, SendToFrappe: s.Webhook.SendToFrappe,
		Status: string(s.Status), Reason: string(s.Reason), ReasonDetail: s.ReasonDetail,
		QRCode: s.QRCode, QRExpiresAt: fmtTime(s.QRExpiresAt), PairingCode: s.PairingCode, DeviceJID: s.DeviceJID,
		ProfileName: s.Profile.Name, ProfileAbout: s.Profile.About, ProfilePic: s.Profile.PictureURL, Business: s.Profile.IsBusiness,
		LastActivity: fmtTime(s.LastActivity), AutoConnect: s.AutoConnect,
		CreatedAt: fmtTime(s.CreatedAt), UpdatedAt: fmtTime(s.UpdatedAt),
	}
	m, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, fmt.Errorf("encode session %q: %w", s.SessionID, err)
	}
	return m, nil
}

// decodeSession reads a session item and its version.
func decodeSession(m item) (*wagate.Session, int64, error) {
	var it sessionItem
	if err := attributevalue.UnmarshalMap(m, &it); err != nil {
		return nil, 0, fmt.Errorf("decode session: %w", err)
	}
	s := &wagate.Session{
		ID: it.ID, SessionID: it.SessionID, Name: it.Name, PhoneNumber: it.PhoneNumber,
		Webhook: wagate.WebhookConfig{URL: it.WebhookURL, Secret: it.Secret, Events: it.Events, SendToFrappe: it.SendToFrappe},
		Status:  wagate.Status(it.Status), Reason: wagate.Reason(it.Reason), ReasonDetail: it.ReasonDetail,
		QRCode: it.QRCode, PairingCode: it.PairingCode, DeviceJID: it.DeviceJID,
		Profile:     wagate.Profile{Name: it.ProfileName, About: it.ProfileAbout, PictureURL: it.ProfilePic, IsBusiness: it.Business},
		AutoConnect: it.AutoConnect,
	}
	if len(s.Webhook.Events) == 0 {
		s.Webhook.Events = nil
	}
	var errs [4]error
	s.QRExpiresAt, errs[0] = parseTime(it.QRExpiresAt)
	s.LastActivity, errs[1] = parseTime(it.LastActivity)
	s.CreatedAt, errs[2] = parseTime(it.CreatedAt)
	s.UpdatedAt, errs[3] = parseTime(it.UpdatedAt)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, 0, fmt.Errorf("decode session %q: %w", it.SessionID, err)
	}
	return s, it.Version, nil
}

func encodeSessionAlias(id int64, sessionID string) (item, error) {
	m, err := attributevalue.MarshalMap(sessionAliasItem{PK: sessionAliasPK(id), SK: skAlias, SessionID: sessionID})
	if err != nil {
		return nil, fmt.Errorf("encode session alias %d: %w", id, err)
	}
	return m, nil
}
