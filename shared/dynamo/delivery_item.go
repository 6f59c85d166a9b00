package dynamo

import (
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	wagate "github.com/wagate/wagate/shared"
)

// deliveryItem is a webhook delivery: pk deliveryPK(id), sk skDelivery; its
// attempt log is under the same pk (sk attemptSK(n)), so one Query reads
// both. Indexes, sorted by created#id: gsi1 (the session's), gsi2 (by
// status), gsi3 (all); while pending, gsi4 (due) sorted by due#id, where
// due is the next attempt or, while claimed, the end of the lease.
type deliveryItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	GSI1PK string `dynamodbav:"gsi1pk"`
	GSI1SK string `dynamodbav:"gsi1sk"`
	GSI2PK string `dynamodbav:"gsi2pk"`
	GSI2SK string `dynamodbav:"gsi2sk"`
	GSI3PK string `dynamodbav:"gsi3pk"`
	GSI3SK string `dynamodbav:"gsi3sk"`
	GSI4PK string `dynamodbav:"gsi4pk,omitempty"`
	GSI4SK string `dynamodbav:"gsi4sk,omitempty"`

	ID          string `dynamodbav:"id"`
	EventID     string `dynamodbav:"eid"`
	EventType   string `dynamodbav:"et"`
	SessionID   string `dynamodbav:"sid"`
	Target      string `dynamodbav:"target"`
	Event       []byte `dynamodbav:"event,omitempty"`
	Status      string `dynamodbav:"st"`
	Attempts    int    `dynamodbav:"att"`
	Logged      int    `dynamodbav:"logged"`
	Next        string `dynamodbav:"next,omitempty"`
	Lease       string `dynamodbav:"lease,omitempty"`
	LastURL     string `dynamodbav:"lastUrl,omitempty"`
	LastCode    int    `dynamodbav:"lastCode,omitempty"`
	LastError   string `dynamodbav:"lastError,omitempty"`
	CreatedAt   string `dynamodbav:"createdAt"`
	UpdatedAt   string `dynamodbav:"updatedAt"`
	DeliveredAt string `dynamodbav:"deliveredAt,omitempty"`
}

// attemptItem is one line of a delivery's attempt log.
type attemptItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	N         int    `dynamodbav:"n"`
	At        string `dynamodbav:"at"`
	URL       string `dynamodbav:"url,omitempty"`
	Code      int    `dynamodbav:"code,omitempty"`
	LatencyMS int64  `dynamodbav:"latencyMs,omitempty"`
	Error     string `dynamodbav:"error,omitempty"`
}

// encodeDelivery returns the item of a new (pending, due at its
// NextAttemptAt) delivery.
func encodeDelivery(d *wagate.WebhookDelivery) (item, error) {
	created := timeStr(d.CreatedAt, d.ID)
	it := deliveryItem{
		PK: deliveryPK(d.ID), SK: skDelivery,
		GSI1PK: gkDeliveries(d.SessionID), GSI1SK: created,
		GSI2PK: gkDeliveriesByStatus(string(d.Status)), GSI2SK: created,
		GSI3PK: gkAllDeliveries, GSI3SK: created,
		GSI4PK: gkDue, GSI4SK: timeStr(d.NextAttemptAt, d.ID),
		ID: d.ID, EventID: d.EventID, EventType: d.EventType, SessionID: d.SessionID, Target: d.Target, Event: d.Event,
		Status: string(d.Status), Next: fmtTime(d.NextAttemptAt),
		CreatedAt: fmtTime(d.CreatedAt), UpdatedAt: fmtTime(d.UpdatedAt),
	}
	out, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, fmt.Errorf("encode delivery %q: %w", d.ID, err)
	}
	return out, nil
}

// decodeDelivery reads a delivery item.
func decodeDelivery(raw item) (*wagate.WebhookDelivery, error) {
	var it deliveryItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return nil, fmt.Errorf("decode delivery: %w", err)
	}
	d := &wagate.WebhookDelivery{
		ID: it.ID, EventID: it.EventID, EventType: it.EventType, SessionID: it.SessionID, Target: it.Target,
		Event: it.Event, Status: wagate.DeliveryStatus(it.Status), Attempts: it.Attempts,
		LastURL: it.LastURL, LastCode: it.LastCode, LastError: it.LastError,
	}
	var errs [4]error
	d.NextAttemptAt, errs[0] = parseTime(it.Next)
	d.CreatedAt, errs[1] = parseTime(it.CreatedAt)
	d.UpdatedAt, errs[2] = parseTime(it.UpdatedAt)
	d.DeliveredAt, errs[3] = parseTime(it.DeliveredAt)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("decode delivery %q: %w", it.ID, err)
	}
	return d, nil
}

func encodeAttempt(id string, a wagate.WebhookAttempt) (item, error) {
	out, err := attributevalue.MarshalMap(attemptItem{
		PK: deliveryPK(id), SK: attemptSK(a.N), N: a.N, At: fmtTime(a.At), URL: a.URL,
		Code: a.StatusCode, LatencyMS: a.Latency.Milliseconds(), Error: a.Error,
	})
	if err != nil {
		return nil, fmt.Errorf("encode attempt %d of delivery %q: %w", a.N, id, err)
	}
	return out, nil
}

func decodeAttempt(id string, raw item) (wagate.WebhookAttempt, error) {
	var it attemptItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return wagate.WebhookAttempt{}, fmt.Errorf("decode attempt of delivery %q: %w", id, err)
	}
	at, err := parseTime(it.At)
	if err != nil {
		return wagate.WebhookAttempt{}, fmt.Errorf("decode attempt %d of delivery %q: %w", it.N, id, err)
	}
	return wagate.WebhookAttempt{
		DeliveryID: id, N: it.N, At: at, URL: it.URL, StatusCode: it.Code,
		Latency: time.Duration(it.LatencyMS) * time.Millisecond, Error: it.Error,
	}, nil
}
