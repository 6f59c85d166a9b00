package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.MediaStore = (*MediaStore)(nil)

// MediaStore is wagate.MediaStore on the table. A file is an item under its
// own id (files are found by id alone), in gsi1 under its session by
// creation time; the session's media counter is kept in the same
// transaction as each insert and delete, so ListMedia's total is read, not
// counted.
type MediaStore struct {
	t *Table
}

// NewMediaStore returns the media store of t.
func NewMediaStore(t *Table) *MediaStore { return &MediaStore{t: t} }

type mediaItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	GSI1PK    string `dynamodbav:"gsi1pk"`
	GSI1SK    string `dynamodbav:"gsi1sk"`
	ID        string `dynamodbav:"id"`
	SessionID string `dynamodbav:"sid"`
	BlobKey   string `dynamodbav:"blobKey,omitempty"`
	Filename  string `dynamodbav:"filename,omitempty"`
	Mimetype  string `dynamodbav:"mimetype,omitempty"`
	Size      int64  `dynamodbav:"size,omitempty"`
	Origin    string `dynamodbav:"origin,omitempty"`
	MessageID string `dynamodbav:"messageId,omitempty"`
	CreatedAt string `dynamodbav:"createdAt"`
}

// InsertMedia stores f; a zero CreatedAt is set to now (in f too). Returns
// EINVALID for an empty or already used id.
func (st *MediaStore) InsertMedia(ctx context.Context, f *wagate.MediaFile) error {
	if f.ID == "" || f.SessionID == "" {
		return wagate.Errorf(wagate.EINVALID, "media id and sessionId are required")
	}
	createdAt := f.CreatedAt.UTC()
	if f.CreatedAt.IsZero() {
		createdAt = time.Now().UTC()
	}
	it, err := attributevalue.MarshalMap(mediaItem{
		PK: mediaPK(f.ID), SK: skMedia, GSI1PK: gkMedia(f.SessionID), GSI1SK: timeStr(createdAt, f.ID),
		ID: f.ID, SessionID: f.SessionID, BlobKey: f.BlobKey, Filename: f.Filename, Mimetype: f.Mimetype,
		Size: f.Size, Origin: f.Origin, MessageID: f.MessageID, CreatedAt: fmtTime(createdAt),
	})
	if err != nil {
		return fmt.Errorf("insert media %q: %w", f.ID, err)
	}
	err = st.t.transact(ctx, []types.TransactWriteItem{st.t.putNewAction(it), st.countAction(f.SessionID, 1)})
	if failedAt(err, 0) {
		return wagate.Errorf(wagate.EINVALID, "Media %s already exists", f.ID)
	}
	if err != nil {
		return fmt.Errorf("insert media %q: %w", f.ID, err)
	}
	f.CreatedAt = createdAt
	return nil
}

// countAction adds delta to the session's media counter.
func (st *MediaStore) countAction(sessionID string, delta int64) types.TransactWriteItem {
	var e expr
	return st.t.updateAction(itemKey{sessionPK(sessionID), skMediaCount}, newUpdate(&e).add(aN, delta), "")
}

// FindMedia returns the file with this id.
func (st *MediaStore) FindMedia(ctx context.Context, id string) (*wagate.MediaFile, error) {
	var f *wagate.MediaFile
	it, err := st.t.get(ctx, itemKey{mediaPK(id), skMedia})
	if it != nil && err == nil {
		f, err = decodeMedia(it)
	}
	if err != nil {
		return nil, fmt.Errorf("find media %q: %w", id, err)
	}
	if f == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Media %s not found", id)
	}
	return f, nil
}

// ListMedia returns a page of the session's files, newest first, and how
// many the session has.
func (st *MediaStore) ListMedia(ctx context.Context, sessionID string, offset, limit int) ([]*wagate.MediaFile, int, error) {
	offset = max(offset, 0)
	entries, err := st.t.page(ctx, walk{index: gsi1, pk: gkMedia(sessionID), desc: true}, offset, listLimit(limit))
	if err != nil {
		return nil, 0, fmt.Errorf("list media of session %q: %w", sessionID, err)
	}
	k := itemKey{sessionPK(sessionID), skMediaCount}
	found, err := st.t.batchGet(ctx, []itemKey{k}, aN)
	if err != nil {
		return nil, 0, fmt.Errorf("count media of session %q: %w", sessionID, err)
	}
	total := int(getN(found[k], aN))
	items, err := st.t.fetch(ctx, entries)
	if err != nil {
		return nil, 0, fmt.Errorf("list media of session %q: %w", sessionID, err)
	}
	list := make([]*wagate.MediaFile, 0, len(items))
	for _, it := range items {
		f, err := decodeMedia(it)
		if err != nil {
			return nil, 0, fmt.Errorf("list media of session %q: %w", sessionID, err)
		}
		list = append(list, f)
	}
	if len(list) > 0 {
		total = max(total, offset+len(list))
	}
	return list, total, nil
}

// DeleteMedia removes the record with this id.
func (st *MediaStore) DeleteMedia(ctx context.Context, id string) error {
	k := itemKey{mediaPK(id), skMedia}
	for attempt := 0; ; attempt++ {
		it, err := st.t.get(ctx, k)
		if err != nil {
			return fmt.Errorf("delete media %q: %w", id, err)
		}
		if it == nil {
			return wagate.Errorf(wagate.ENOTFOUND, "Media %s not found", id)
		}
		var e expr
		err = st.t.transact(ctx, []types.TransactWriteItem{
			st.t.deleteAction(k, "attribute_exists("+e.n(attrPK)+")", &e),
			st.countAction(getS(it, aSessionID), -1),
		})
		if err == nil {
			return nil
		}
		if !isCondFailed(err) || attempt >= maxRetries {
			return fmt.Errorf("delete media %q: %w", id, err)
		}
	}
}

func decodeMedia(raw item) (*wagate.MediaFile, error) {
	var it mediaItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return nil, fmt.Errorf("decode media: %w", err)
	}
	createdAt, err := parseTime(it.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("decode media %q: %w", it.ID, err)
	}
	return &wagate.MediaFile{
		ID: it.ID, SessionID: it.SessionID, BlobKey: it.BlobKey, Filename: it.Filename, Mimetype: it.Mimetype,
		Size: it.Size, Origin: it.Origin, MessageID: it.MessageID, CreatedAt: createdAt,
	}, nil
}
