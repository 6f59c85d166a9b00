package sim

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The journal (test only) records, in the network's database, what a
// failover test checks across connector processes that share one sim
// database (WAGATE_SIM_DB): every submission of a message id, and every
// interval during which a session was connected, with the process that
// held the connection. It is on when Options.Journal names the process.
const (
	createSendsTable = `CREATE TABLE IF NOT EXISTS sim_sends (
	session     TEXT NOT NULL,
	wa_id       TEXT NOT NULL,
	submissions INTEGER NOT NULL,
	first_proc  TEXT NOT NULL,
	first_ns    INTEGER NOT NULL,
	PRIMARY KEY (session, wa_id)
)`
	createConnectionsTable = `CREATE TABLE IF NOT EXISTS sim_connections (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	session  TEXT NOT NULL,
	proc     TEXT NOT NULL,
	start_ns INTEGER NOT NULL,
	end_ns   INTEGER
)`
)

// JournalSend is a message id as the recipient got it across processes:
// once, however many submissions.
type JournalSend struct {
	SessionID, WhatsAppID string
	Submissions           int
	FirstProc             string
	First                 time.Time
}

// JournalConn is one interval a process held a session connected; End is
// zero while it still does (or the process died holding it).
type JournalConn struct {
	SessionID, Proc string
	Start, End      time.Time
}

// journal writes the journal tables; nil when off.
type journal struct {
	db   *sql.DB
	proc string
}

func openJournal(db *sql.DB, proc string) (*journal, error) {
	if proc == "" {
		return nil, nil
	}
	for _, q := range []string{createSendsTable, createConnectionsTable} {
		if _, err := db.Exec(q); err != nil {
			return nil, fmt.Errorf("create journal: %w", err)
		}
	}
	return &journal{db: db, proc: proc}, nil
}

// submitted records one submission of a message id.
func (j *journal) submitted(ctx context.Context, sessionID, waID string) error {
	if j == nil {
		return nil
	}
	_, err := j.db.ExecContext(ctx, `INSERT INTO sim_sends (session, wa_id, submissions, first_proc, first_ns) VALUES (?, ?, 1, ?, ?)
ON CONFLICT (session, wa_id) DO UPDATE SET submissions = submissions + 1`, sessionID, waID, j.proc, time.Now().UnixNano())
	if err != nil {
		return fmt.Errorf("sim: journal send %q: %w", waID, err)
	}
	return nil
}

// connected opens a connection interval and returns its row id (0: off or
// failed, logged).
func (j *journal) connected(sessionID string, log func(string, ...any)) int64 {
	if j == nil {
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	res, err := j.db.ExecContext(ctx, `INSERT INTO sim_connections (session, proc, start_ns) VALUES (?, ?, ?)`, sessionID, j.proc, time.Now().UnixNano())
	if err == nil {
		id, _ := res.LastInsertId()
		return id
	}
	log("sim: journal connection", "session_id", sessionID, "err", err)
	return 0
}

// disconnected closes the interval id.
func (j *journal) disconnected(id int64, log func(string, ...any)) {
	if j == nil || id == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if _, err := j.db.ExecContext(ctx, `UPDATE sim_connections SET end_ns = ? WHERE id = ?`, time.Now().UnixNano(), id); err != nil {
		log("sim: journal disconnection", "err", err)
	}
}

// ReadJournal returns what the journal of db holds.
func ReadJournal(ctx context.Context, db *sql.DB) ([]JournalSend, []JournalConn, error) {
	rows, err := db.QueryContext(ctx, `SELECT session, wa_id, submissions, first_proc, first_ns FROM sim_sends`)
	if err != nil {
		return nil, nil, fmt.Errorf("read journal sends: %w", err)
	}
	var sends []JournalSend
	for rows.Next() {
		var s JournalSend
		var ns int64
		if err := rows.Scan(&s.SessionID, &s.WhatsAppID, &s.Submissions, &s.FirstProc, &ns); err != nil {
			rows.Close()
			return nil, nil, err
		}
		s.First = time.Unix(0, ns)
		sends = append(sends, s)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT session, proc, start_ns, COALESCE(end_ns, 0) FROM sim_connections ORDER BY id`)
	if err != nil {
		return nil, nil, fmt.Errorf("read journal connections: %w", err)
	}
	defer rows.Close()
	var conns []JournalConn
	for rows.Next() {
		var c JournalConn
		var start, end int64
		if err := rows.Scan(&c.SessionID, &c.Proc, &start, &end); err != nil {
			return nil, nil, err
		}
		c.Start = time.Unix(0, start)
		if end > 0 {
			c.End = time.Unix(0, end)
		}
		conns = append(conns, c)
	}
	return sends, conns, rows.Err()
}
