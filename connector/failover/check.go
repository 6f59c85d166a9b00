package failover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wagate/wagate/connector/sim"
	wagate "github.com/wagate/wagate/shared"
)

// Journal is the shared sim network's record of a run.
type Journal struct {
	Sends []sim.JournalSend
	Conns []sim.JournalConn
}

// Journal reads the journal.
func (c *Cluster) Journal(ctx context.Context) (Journal, error) {
	sends, conns, err := sim.ReadJournal(ctx, c.db.SQL())
	return Journal{Sends: sends, Conns: conns}, err
}

// Connected returns, per live process, how many sessions it holds
// connected now (its open journal intervals).
func (c *Cluster) Connected(j Journal) map[string]int {
	out := map[string]int{}
	for _, p := range c.Procs() {
		out[p.Name] = 0
	}
	for _, cn := range j.Conns {
		if _, live := out[cn.Proc]; live && cn.End.IsZero() {
			out[cn.Proc]++
		}
	}
	return out
}

// ConnectedSessions returns the sessions some live process holds connected.
func (c *Cluster) ConnectedSessions(j Journal) map[string]string {
	live := map[string]bool{}
	for _, p := range c.Procs() {
		live[p.Name] = true
	}
	out := map[string]string{}
	for _, cn := range j.Conns {
		if live[cn.Proc] && cn.End.IsZero() {
			out[cn.SessionID] = cn.Proc
		}
	}
	return out
}

// Overlaps lists the sessions that were connected by two processes at
// once. An interval still open in a killed process ended at its SIGKILL;
// one open in a live process lasts until now.
func (c *Cluster) Overlaps(j Journal) []string {
	kills := c.Kills()
	end := func(cn sim.JournalConn) time.Time {
		if !cn.End.IsZero() {
			return cn.End
		}
		if at, ok := kills[cn.Proc]; ok {
			return at
		}
		return time.Now().Add(time.Hour)
	}
	by := map[string][]sim.JournalConn{}
	for _, cn := range j.Conns {
		by[cn.SessionID] = append(by[cn.SessionID], cn)
	}
	var bad []string
	for sid, list := range by {
		slices.SortFunc(list, func(a, b sim.JournalConn) int { return a.Start.Compare(b.Start) })
		for i := 1; i < len(list); i++ {
			if prev := list[i-1]; list[i].Start.Before(end(prev)) {
				bad = append(bad, fmt.Sprintf("%s: %s from %s overlaps %s until %s", sid, list[i].Proc,
					list[i].Start.Format("15:04:05.000"), prev.Proc, end(prev).Format("15:04:05.000")))
			}
		}
	}
	slices.Sort(bad)
	return bad
}

// SendCheck compares the API's accepted sends with what the network got.
type SendCheck struct {
	Accepted    int
	Delivered   int      // accepted ids the recipient got (once each: the network deduplicates ids)
	Lost        []string // accepted ids the recipient never got
	Unexpected  int      // ids the network got that the API never accepted (its answer was lost)
	Resubmitted int      // ids submitted more than once (a killed owner's send not yet marked sent)
	// Duplicated lists resubmissions a failover does not explain: the
	// first submission was not made by a process killed after it.
	Duplicated []string
}

// CheckSends matches the sends a load accepted against the journal; ids
// first submitted before since (earlier loads) are not counted unexpected.
func (c *Cluster) CheckSends(accepted []Accepted, j Journal, since time.Time) SendCheck {
	kills := c.Kills()
	got := map[[2]string]sim.JournalSend{}
	for _, s := range j.Sends {
		got[[2]string{s.SessionID, s.WhatsAppID}] = s
	}
	r := SendCheck{Accepted: len(accepted)}
	want := map[[2]string]bool{}
	for _, a := range accepted {
		k := [2]string{a.SessionID, a.WhatsAppID}
		want[k] = true
		s, ok := got[k]
		if !ok {
			r.Lost = append(r.Lost, a.SessionID+"/"+a.WhatsAppID)
			continue
		}
		r.Delivered++
		if s.Submissions > 1 {
			r.Resubmitted++
			if at, killed := kills[s.FirstProc]; !killed || !s.First.Before(at) {
				r.Duplicated = append(r.Duplicated, fmt.Sprintf("%s/%s ×%d (first by %s)", a.SessionID, a.WhatsAppID, s.Submissions, s.FirstProc))
			}
		}
	}
	for k, s := range got {
		if !want[k] && strings.HasPrefix(k[0], "fo-") && !s.First.Before(since) {
			r.Unexpected++
		}
	}
	return r
}

// Unsent returns the accepted sends whose stored status is not (yet) sent
// or beyond.
func (c *Cluster) Unsent(ctx context.Context, accepted []Accepted) ([]string, error) {
	var out []string
	for _, a := range accepted {
		m, err := c.api.Stores.Messages.FindMessage(ctx, a.SessionID, a.WhatsAppID)
		if err != nil {
			return nil, err
		}
		if m.Status.Rank() < wagate.StatusSent.Rank() || m.Status == wagate.StatusFailed {
			out = append(out, a.SessionID+"/"+a.WhatsAppID+" "+string(m.Status))
		}
	}
	return out, nil
}
