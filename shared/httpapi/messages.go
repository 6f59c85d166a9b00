package httpapi

import (
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

// Message list limits.
const (
	DefaultMessageLimit = 50
	MaxSendBodyBytes    = 24 << 20 // inline media (16 MiB) grows by a third in base64
)

func (s *Server) handleSend(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxSendBodyBytes))
	if err != nil {
		s.writeError(w, r, wagate.Errorf(wagate.ETOOLARGE, "Request body is larger than %d MiB.", MaxSendBodyBytes>>20))
		return
	}
	in, err := decodeSendBody(raw, r.Header.Get("Idempotency-Key"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := s.Messages.Send(r.Context(), r.PathValue("sessionId"), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	msg := "Message sent."
	switch m.Status {
	case wagate.StatusPending:
		msg = "Message queued: it leaves as soon as WhatsApp takes it."
	case wagate.StatusFailed:
		msg = "Message could not be sent: " + m.Error
	}
	writeOK(w, http.StatusOK, msg, struct {
		Message messageDTO `json:"message"`
	}{messageOf(m, s.ownJID(r, m.SessionID))})
}

// ownJID returns the session's own JID for from/to ("" if unknown).
func (s *Server) ownJID(r *http.Request, sessionID string) string {
	sess, err := s.Sessions.Get(r.Context(), sessionID)
	if err != nil {
		return ""
	}
	return ownJIDOf(sess)
}

type messageList struct {
	Messages   []messageDTO `json:"messages"`
	Total      int          `json:"total"`
	Pagination pagination   `json:"pagination"`
}

func (s *Server) handleListMessages(w http.ResponseWriter, r *http.Request) {
	s.listMessages(w, r, r.URL.Query().Get("chatId"))
}

func (s *Server) handleChatMessages(w http.ResponseWriter, r *http.Request) {
	s.listMessages(w, r, r.PathValue("chatId"))
}

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request, chatID string) {
	page, limit, err := pageParams(r, DefaultMessageLimit, service.MaxPageLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	in := service.ListMessagesInput{ChatID: chatID, Type: q.Get("type"), Page: page, Limit: limit}
	if in.FromMe, err = boolParam(q.Get("fromMe"), "fromMe"); err != nil {
		s.writeError(w, r, err)
		return
	}
	if in.Since, in.Until, err = dateRange(q.Get("startDate"), q.Get("endDate")); err != nil {
		s.writeError(w, r, err)
		return
	}
	sess, err := s.Sessions.Get(r.Context(), r.PathValue("sessionId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, total, err := s.Messages.List(r.Context(), sess.SessionID, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	own := ownJIDOf(sess)
	out := messageList{Messages: make([]messageDTO, 0, len(list)), Total: total, Pagination: newPagination(total, page, limit)}
	for _, m := range list {
		out.Messages = append(out.Messages, messageOf(m, own))
	}
	writeOK(w, http.StatusOK, "", out)
}

type chatList struct {
	Chats      []chatDTO  `json:"chats"`
	Total      int        `json:"total"`
	Pagination pagination `json:"pagination"`
}

func (s *Server) handleChats(w http.ResponseWriter, r *http.Request) {
	page, limit, err := pageParams(r, service.DefaultPageLimit, service.MaxPageLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	chats, total, err := s.Messages.Chats(r.Context(), r.PathValue("sessionId"), page, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := chatList{Chats: make([]chatDTO, 0, len(chats)), Total: total, Pagination: newPagination(total, page, limit)}
	for _, c := range chats {
		out.Chats = append(out.Chats, chatOf(c))
	}
	writeOK(w, http.StatusOK, "", out)
}

func (s *Server) handleMarkRead(w http.ResponseWriter, r *http.Request) {
	if err := decodeJSON(r, &struct{}{}); err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := s.Messages.MarkRead(r.Context(), r.PathValue("sessionId"), r.PathValue("chatId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, strconv.Itoa(n)+" messages marked as read.", struct {
		ChatID string `json:"chatId"`
		Marked int    `json:"marked"`
	}{r.PathValue("chatId"), n})
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	since, until, err := dateRange(q.Get("startDate"), q.Get("endDate"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	st, err := s.Messages.Stats(r.Context(), r.PathValue("sessionId"), since, until)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := statsDTO{Total: st.Total, Sent: st.Sent, Received: st.Received, ByType: map[string]int{}, ByStatus: map[string]int{}, ByDay: []dayCountDTO{}}
	for k, v := range st.ByType {
		d.ByType[string(k)] = v
	}
	for k, v := range st.ByStatus {
		d.ByStatus[string(k)] = v
	}
	for day, n := range st.ByDay {
		d.ByDay = append(d.ByDay, dayCountDTO{Date: day, Count: n})
	}
	sort.Slice(d.ByDay, func(i, j int) bool { return d.ByDay[i].Date < d.ByDay[j].Date })
	writeOK(w, http.StatusOK, "", struct {
		Stats     statsDTO `json:"stats"`
		StartDate *string  `json:"startDate"`
		EndDate   *string  `json:"endDate"`
	}{d, isoOrNil(since), isoOrNil(until)})
}

func (s *Server) handleUnread(w http.ResponseWriter, r *http.Request) {
	page, limit, err := pageParams(r, DefaultMessageLimit, service.MaxPageLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, total, err := s.Messages.Unread(r.Context(), page, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := messageList{Messages: make([]messageDTO, 0, len(list)), Total: total, Pagination: newPagination(total, page, limit)}
	for _, m := range list {
		out.Messages = append(out.Messages, messageOf(m, s.ownJID(r, m.SessionID)))
	}
	writeOK(w, http.StatusOK, "", out)
}

func boolParam(v, name string) (*bool, error) {
	switch strings.ToLower(v) {
	case "":
		return nil, nil
	case "true", "1":
		t := true
		return &t, nil
	case "false", "0":
		f := false
		return &f, nil
	}
	return nil, wagate.Errorf(wagate.EINVALID, "%s must be true or false.", name)
}

// dateRange parses startDate/endDate: ISO 8601 date-times, or dates
// (an endDate date includes that whole day, UTC).
func dateRange(start, end string) (since, until time.Time, err error) {
	if since, _, err = parseDate(start, "startDate"); err != nil {
		return
	}
	var dateOnly bool
	if until, dateOnly, err = parseDate(end, "endDate"); err != nil {
		return
	}
	if dateOnly {
		until = until.Add(24*time.Hour - time.Millisecond)
	}
	return
}

func parseDate(v, name string) (time.Time, bool, error) {
	if v == "" {
		return time.Time{}, false, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), false, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, true, nil
	}
	return time.Time{}, false, wagate.Errorf(wagate.EINVALID, "%s must be an ISO 8601 date (2025-11-07) or date-time (2025-11-07T04:25:04Z).", name)
}
