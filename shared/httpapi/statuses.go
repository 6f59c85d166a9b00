package httpapi

import (
	"io"
	"net/http"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

// Routes under /api/status/: a session's statuses (stories), posting one,
// viewing one. Decisions in docs/statuses-media.md.

type statusList struct {
	Statuses   []statusDTO `json:"statuses"`
	Total      int         `json:"total"`
	Pagination pagination  `json:"pagination"`
}

func (s *Server) handleListStatuses(w http.ResponseWriter, r *http.Request) {
	s.listStatuses(w, r, false)
}

func (s *Server) handleActiveStatuses(w http.ResponseWriter, r *http.Request) {
	s.listStatuses(w, r, true)
}

func (s *Server) listStatuses(w http.ResponseWriter, r *http.Request, activeOnly bool) {
	page, limit, err := pageParams(r, service.DefaultPageLimit, service.MaxPageLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, total, err := s.Statuses.List(r.Context(), r.PathValue("sessionId"), activeOnly, page, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now := time.Now()
	out := statusList{Statuses: make([]statusDTO, 0, len(list)), Total: total, Pagination: newPagination(total, page, limit)}
	for _, p := range list {
		out.Statuses = append(out.Statuses, s.statusOf(r.Context(), p, now))
	}
	writeOK(w, http.StatusOK, "", out)
}

// handlePostStatus posts a status through the send pipeline and answers
// like a send: the status and its message (sent, failed or pending).
func (s *Server) handlePostStatus(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxSendBodyBytes))
	if err != nil {
		s.writeError(w, r, wagate.Errorf(wagate.ETOOLARGE, "Request body is larger than %d MiB.", MaxSendBodyBytes>>20))
		return
	}
	in, err := decodeStatusBody(raw, r.Header.Get("Idempotency-Key"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	post, m, err := s.Statuses.Post(r.Context(), r.PathValue("sessionId"), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	msg := "Status posted."
	switch m.Status {
	case wagate.StatusPending:
		msg = "Status queued: it is posted as soon as WhatsApp takes it."
	case wagate.StatusFailed:
		msg = "Status could not be posted: " + m.Error
	}
	writeOK(w, http.StatusOK, msg, struct {
		Status  statusDTO  `json:"status"`
		Message messageDTO `json:"message"`
	}{s.statusOf(r.Context(), post, time.Now()), messageOf(m, s.ownJID(r, m.SessionID))})
}

// handleViewStatus sends the read receipt of a status to its poster.
func (s *Server) handleViewStatus(w http.ResponseWriter, r *http.Request) {
	if err := decodeJSON(r, &struct{}{}); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.Statuses.View(r.Context(), r.PathValue("sessionId"), r.PathValue("statusId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "Status marked as viewed.", struct {
		Status statusDTO `json:"status"`
	}{s.statusOf(r.Context(), p, time.Now())})
}

// handleStatusReaction refuses status reactions (POST adds, DELETE removes):
// see service.ErrStatusReaction.
func (s *Server) handleStatusReaction(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, s.Statuses.React(r.Context()))
}
