package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.MediaStore = (*MediaStore)(nil)

// MediaStore is wagate.MediaStore on the media_files table.
type MediaStore struct {
	db *DB
}

// NewMediaStore returns the media store of db.
func NewMediaStore(db *DB) *MediaStore { return &MediaStore{db: db} }

const mediaColumns = `id, session_id, blob_key, filename, mimetype, size, origin, message_id, created_at`

// InsertMedia stores f; a zero CreatedAt is set to now (in f too). Returns
// EINVALID for an empty or already used id.
func (st *MediaStore) InsertMedia(ctx context.Context, f *wagate.MediaFile) error {
	if f.ID == "" || f.SessionID == "" {
		return wagate.Errorf(wagate.EINVALID, "media id and sessionId are required")
	}
	createdAt := canonicalTime(f.CreatedAt)
	if createdAt.IsZero() {
		createdAt = canonicalTime(time.Now())
	}
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO media_files (`+mediaColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`,
			f.ID, f.SessionID, f.BlobKey, f.Filename, f.Mimetype, f.Size, f.Origin, f.MessageID, formatTime(createdAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = wagate.Errorf(wagate.EINVALID, "Media %s already exists", f.ID)
			}
			return err
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("insert media %q: %w", f.ID, err)
	}
	f.CreatedAt = createdAt
	return nil
}

// FindMedia returns the file with this id.
func (st *MediaStore) FindMedia(ctx context.Context, id string) (*wagate.MediaFile, error) {
	f, err := scanMedia(st.db.rd().QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media_files WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Media %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find media %q: %w", id, err)
	}
	return f, nil
}

// ListMedia returns a page of the session's files, newest first, and how
// many the session has.
func (st *MediaStore) ListMedia(ctx context.Context, sessionID string, offset, limit int) ([]*wagate.MediaFile, int, error) {
	rows, err := st.db.rd().QueryContext(ctx, `SELECT `+mediaColumns+` FROM media_files WHERE session_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, sessionID, listLimit(limit), max(offset, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("list media of session %q: %w", sessionID, err)
	}
	defer rows.Close()
	var list []*wagate.MediaFile
	for rows.Next() {
		f, err := scanMedia(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list media of session %q: %w", sessionID, err)
		}
		list = append(list, f)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list media of session %q: %w", sessionID, err)
	}
	var total int
	if err := st.db.rd().QueryRowContext(ctx, `SELECT COUNT(*) FROM media_files WHERE session_id = ?`, sessionID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count media of session %q: %w", sessionID, err)
	}
	return list, total, nil
}

// DeleteMedia removes the record with this id.
func (st *MediaStore) DeleteMedia(ctx context.Context, id string) error {
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM media_files WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = wagate.Errorf(wagate.ENOTFOUND, "Media %s not found", id)
			}
			return err
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("delete media %q: %w", id, err)
	}
	return nil
}

// scanMedia reads one row selected with mediaColumns.
func scanMedia(row scanner) (*wagate.MediaFile, error) {
	var (
		f         wagate.MediaFile
		createdAt sql.NullString
	)
	err := row.Scan(&f.ID, &f.SessionID, &f.BlobKey, &f.Filename, &f.Mimetype, &f.Size, &f.Origin, &f.MessageID, &createdAt)
	if err != nil {
		return nil, err
	}
	if f.CreatedAt, err = parseTime(createdAt); err != nil {
		return nil, fmt.Errorf("media %q: %w", f.ID, err)
	}
	return &f, nil
}
