package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
	"github.com/wagate/wagate/shared/wire"
)

// Request/reply commands (DESIGN §4): a route that asks the connector for
// data answers 202 with the command id when the connector has not answered
// within the wait; GET /api/commands/{id} returns the outcome later, with
// the same data the route would have returned.

// acceptedData is data of a 202 answer.
type acceptedData struct {
	CommandID string `json:"commandId"`
	Status    string `json:"status"`
	Type      string `json:"type"`
	SessionID string `json:"sessionId"`
	ResultURL string `json:"resultUrl"`
}

// writeAccepted answers 202: the command is queued and still running.
func writeAccepted(w http.ResponseWriter, rec *wagate.CommandResult) {
	writeOK(w, http.StatusAccepted, "Request accepted: WhatsApp has not answered yet. Read the outcome at GET /api/commands/"+rec.ID+".",
		acceptedData{CommandID: rec.ID, Status: string(rec.Status), Type: rec.Type, SessionID: rec.SessionID, ResultURL: "/api/commands/" + rec.ID})
}

// commandData is data of GET /api/commands/{id}.
type commandData struct {
	CommandID   string          `json:"commandId"`
	Type        string          `json:"type"`
	SessionID   string          `json:"sessionId"`
	Status      string          `json:"status"`
	CreatedAt   string          `json:"createdAt"`
	CompletedAt *string         `json:"completedAt"`
	ExpiresAt   string          `json:"expiresAt"`
	Result      any             `json:"result"`
	Error       *commandErrData `json:"error"`
}

type commandErrData struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Server) handleGetCommand(w http.ResponseWriter, r *http.Request) {
	rec, err := s.Commands.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := commandData{
		CommandID: rec.ID, Type: rec.Type, SessionID: rec.SessionID, Status: string(rec.Status),
		CreatedAt: isoTime(rec.CreatedAt), CompletedAt: isoOrNil(rec.CompletedAt), ExpiresAt: isoTime(rec.ExpiresAt),
	}
	switch rec.Status {
	case wagate.CommandFailed:
		d.Error = &commandErrData{Code: wagate.ErrorCode(rec.Err()), Message: wagate.ErrorMessage(rec.Err())}
	case wagate.CommandDone:
		if d.Result, err = s.resultData(r, rec); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	writeOK(w, http.StatusOK, "", d)
}

// resultData renders a done command's result as the data its route
// answers with.
func (s *Server) resultData(r *http.Request, rec *wagate.CommandResult) (any, error) {
	own := s.ownJID(r, rec.SessionID)
	switch rec.Type {
	case events.CmdGroupCreate:
		res, err := service.Decode[events.GroupCreateResult](rec)
		if err != nil {
			return nil, err
		}
		return groupCreatedOf(wire.Group(rec.SessionID, res.Group), wire.ParticipantResultsOf(res.Participants), own), nil
	case events.CmdGroupInfo, events.CmdGroupUpdate:
		res, err := service.Decode[events.GroupResult](rec)
		if err != nil {
			return nil, err
		}
		return groupData{Group: groupDetailOf(wire.Group(rec.SessionID, res.Group), own)}, nil
	case events.CmdGroupList:
		res, err := service.Decode[events.GroupListResult](rec)
		if err != nil {
			return nil, err
		}
		gs := wire.Groups(rec.SessionID, res.Groups)
		return groupListOf(gs, len(gs), 1, max(len(gs), 1), own), nil
	case events.CmdGroupParticipants:
		res, err := service.Decode[events.GroupParticipantsResult](rec)
		if err != nil {
			return nil, err
		}
		return participantsOutcomeOf(&service.ParticipantsOutcome{GroupJID: res.GroupJID, Action: wagate.ParticipantAction(res.Action),
			Results: wire.ParticipantResultsOf(res.Participants)}), nil
	case events.CmdGroupInviteCode:
		res, err := service.Decode[events.GroupInviteCodeResult](rec)
		if err != nil {
			return nil, err
		}
		return inviteOf(&service.GroupInvite{GroupJID: res.GroupJID, Code: res.Code}), nil
	case events.CmdGroupJoin:
		res, err := service.Decode[events.GroupJoinResult](rec)
		if err != nil {
			return nil, err
		}
		out := &service.GroupJoined{GroupJID: res.GroupJID}
		if res.Group != nil {
			out.Group = wire.Group(rec.SessionID, *res.Group)
		}
		return joinedOf(out, own), nil
	case events.CmdContactInfo:
		res, err := service.Decode[events.ContactInfoResult](rec)
		if err != nil {
			return nil, err
		}
		return contactInfoOf(&service.ContactDetails{Contact: contactOfLookup(rec.SessionID, *res)}), nil
	case events.CmdContactCheck:
		res, err := service.Decode[events.ContactCheckResult](rec)
		if err != nil {
			return nil, err
		}
		return searchOfChecks(rec.SessionID, wire.PhoneChecksOf(*res)), nil
	}
	return json.RawMessage(rec.Result), nil
}
