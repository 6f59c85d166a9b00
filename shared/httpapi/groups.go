package httpapi

import (
	"net/http"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

// answer writes the outcome of a request/reply use case: the error, 202
// with the command id while it is pending, or status with data(v).
func answer[T any](s *Server, w http.ResponseWriter, r *http.Request, v *T, pending *wagate.CommandResult, err error, status int, msg string, data func(*T) any) {
	switch {
	case err != nil:
		s.writeError(w, r, err)
	case pending != nil:
		writeAccepted(w, pending)
	default:
		writeOK(w, status, msg, data(v))
	}
}

func (s *Server) handleListGroups(w http.ResponseWriter, r *http.Request) {
	page, limit, err := pageParams(r, service.DefaultPageLimit, service.MaxPageLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	refresh, err := boolParam(r.URL.Query().Get("refresh"), "refresh")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sessionKey := r.PathValue("sessionId")
	list, total, pending, err := s.Groups.List(r.Context(), sessionKey, page, limit, refresh != nil && *refresh)
	own := s.ownJID(r, sessionKey)
	answer(s, w, r, &list, pending, err, http.StatusOK, "", func(l *[]*wagate.Group) any {
		return groupListOf(*l, total, page, limit, own)
	})
}

// createGroupBody is the body of POST /api/groups/sessions/{sessionId}.
type createGroupBody struct {
	Subject      string   `json:"subject"`
	Name         string   `json:"name"`
	Participants []string `json:"participants"`
	Description  string   `json:"description"`
}

func (s *Server) handleCreateGroup(w http.ResponseWriter, r *http.Request) {
	var b createGroupBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	if b.Subject == "" {
		b.Subject = b.Name
	}
	sessionKey := r.PathValue("sessionId")
	res, pending, err := s.Groups.Create(r.Context(), sessionKey, service.CreateGroupInput{Subject: b.Subject, Participants: b.Participants, Description: b.Description})
	answer(s, w, r, res, pending, err, http.StatusCreated, "Group created.", func(c *service.GroupCreated) any {
		return groupCreatedOf(c.Group, c.Results, s.ownJID(r, sessionKey))
	})
}

func (s *Server) handleGetGroup(w http.ResponseWriter, r *http.Request) {
	sessionKey := r.PathValue("sessionId")
	g, pending, err := s.Groups.Get(r.Context(), sessionKey, r.PathValue("groupId"))
	answer(s, w, r, g, pending, err, http.StatusOK, "", func(g *wagate.Group) any {
		return groupData{Group: groupDetailOf(g, s.ownJID(r, sessionKey))}
	})
}

// updateGroupBody is the body of PUT …/groups/{groupId}; absent fields stay.
type updateGroupBody struct {
	Subject     *string `json:"subject"`
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Announce    *bool   `json:"announce"`
	Locked      *bool   `json:"locked"`
	Restrict    *bool   `json:"restrict"`
}

func (s *Server) handleUpdateGroup(w http.ResponseWriter, r *http.Request) {
	var b updateGroupBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	if b.Subject == nil {
		b.Subject = b.Name
	}
	if b.Locked == nil {
		b.Locked = b.Restrict
	}
	sessionKey := r.PathValue("sessionId")
	g, pending, err := s.Groups.Update(r.Context(), sessionKey, r.PathValue("groupId"),
		wagate.GroupUpdate{Subject: b.Subject, Description: b.Description, Announce: b.Announce, Locked: b.Locked})
	answer(s, w, r, g, pending, err, http.StatusOK, "Group updated.", func(g *wagate.Group) any {
		return groupData{Group: groupDetailOf(g, s.ownJID(r, sessionKey))}
	})
}

// participantsBody names the participants of an action: participantId (the
// seed's form), participants or participantIds.
type participantsBody struct {
	ParticipantID  string   `json:"participantId"`
	Participants   []string `json:"participants"`
	ParticipantIDs []string `json:"participantIds"`
}

func (b participantsBody) list() []string {
	out := append(append([]string(nil), b.Participants...), b.ParticipantIDs...)
	if b.ParticipantID != "" {
		out = append(out, b.ParticipantID)
	}
	return out
}

func (s *Server) handleAddParticipants(w http.ResponseWriter, r *http.Request) {
	s.participants(w, r, wagate.ParticipantAdd, "Participants processed.")
}

func (s *Server) handleRemoveParticipants(w http.ResponseWriter, r *http.Request) {
	s.participants(w, r, wagate.ParticipantRemove, "Participants processed.")
}

func (s *Server) handlePromote(w http.ResponseWriter, r *http.Request) {
	s.participants(w, r, wagate.ParticipantPromote, "Participants processed.")
}

func (s *Server) handleDemote(w http.ResponseWriter, r *http.Request) {
	s.participants(w, r, wagate.ParticipantDemote, "Participants processed.")
}

func (s *Server) participants(w http.ResponseWriter, r *http.Request, action wagate.ParticipantAction, msg string) {
	var b participantsBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, pending, err := s.Groups.Participants(r.Context(), r.PathValue("sessionId"), r.PathValue("groupId"), action, b.list())
	answer(s, w, r, res, pending, err, http.StatusOK, msg, func(o *service.ParticipantsOutcome) any {
		return participantsOutcomeOf(o)
	})
}

func (s *Server) handleInviteCode(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Reset bool `json:"reset"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, pending, err := s.Groups.InviteCode(r.Context(), r.PathValue("sessionId"), r.PathValue("groupId"), b.Reset)
	answer(s, w, r, res, pending, err, http.StatusOK, "", func(i *service.GroupInvite) any { return inviteOf(i) })
}

// joinBody is the body of POST /api/groups/join-with-code; inviteCode may be
// the code or the whole https://chat.whatsapp.com/… link.
type joinBody struct {
	SessionID  string `json:"sessionId"`
	InviteCode string `json:"inviteCode"`
	Code       string `json:"code"`
	InviteLink string `json:"inviteLink"`
}

func (s *Server) handleJoinWithCode(w http.ResponseWriter, r *http.Request) {
	var b joinBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	if b.SessionID == "" {
		s.writeError(w, r, wagate.Errorf(wagate.EINVALID, "sessionId is required."))
		return
	}
	code := firstOf(b.InviteCode, firstOf(b.Code, b.InviteLink))
	res, pending, err := s.Groups.Join(r.Context(), b.SessionID, code)
	answer(s, w, r, res, pending, err, http.StatusOK, "Joined the group.", func(j *service.GroupJoined) any {
		return joinedOf(j, s.ownJID(r, b.SessionID))
	})
}
