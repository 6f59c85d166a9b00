package httpapi

import (
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

// inviteLinkPrefix makes a link of an invite code.
const inviteLinkPrefix = "https://chat.whatsapp.com/"

// groupSummary is a group in lists. name repeats subject (the seed calls it
// both); restrict repeats locked (Baileys' name); isAdmin says whether the
// session is an admin of the group.
type groupSummary struct {
	ID          string  `json:"id"`
	Subject     string  `json:"subject"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	Owner       *string `json:"owner"`
	CreatedAt   *string `json:"createdAt"`
	Announce    bool    `json:"announce"`
	Locked      bool    `json:"locked"`
	Restrict    bool    `json:"restrict"`
	Size        int     `json:"size"`
	IsAdmin     bool    `json:"isAdmin"`
	InviteCode  *string `json:"inviteCode"`
}

// groupDetail is a group with its members.
type groupDetail struct {
	groupSummary
	Participants []participantDTO `json:"participants"`
}

// participantDTO is a member; admin is "admin", "superadmin" or null.
type participantDTO struct {
	ID           string  `json:"id"`
	Phone        *string `json:"phone"`
	LID          *string `json:"lid"`
	Admin        *string `json:"admin"`
	IsAdmin      bool    `json:"isAdmin"`
	IsSuperAdmin bool    `json:"isSuperAdmin"`
}

func groupSummaryOf(g *wagate.Group, own string) groupSummary {
	s := groupSummary{
		ID: g.JID, Subject: g.Subject, Name: g.Subject, Description: strOrNil(g.Description), Owner: strOrNil(g.OwnerJID),
		CreatedAt: isoOrNil(g.CreatedAt), Announce: g.Announce, Locked: g.Locked, Restrict: g.Locked,
		Size: len(g.Participants), InviteCode: strOrNil(g.InviteCode),
	}
	if p, ok := g.Participant(own); ok && own != "" {
		s.IsAdmin = p.IsAdmin || p.IsSuperAdmin
	}
	return s
}

func groupDetailOf(g *wagate.Group, own string) groupDetail {
	d := groupDetail{groupSummary: groupSummaryOf(g, own), Participants: make([]participantDTO, 0, len(g.Participants))}
	for _, p := range g.Participants {
		dto := participantDTO{ID: p.JID, Phone: strOrNil(p.Phone), LID: strOrNil(p.LID), IsAdmin: p.IsAdmin || p.IsSuperAdmin, IsSuperAdmin: p.IsSuperAdmin}
		switch {
		case p.IsSuperAdmin:
			dto.Admin = strOrNil("superadmin")
		case p.IsAdmin:
			dto.Admin = strOrNil("admin")
		}
		d.Participants = append(d.Participants, dto)
	}
	return d
}

// groupList is GET /api/groups/sessions/{sessionId}.
type groupList struct {
	Groups     []groupSummary `json:"groups"`
	Total      int            `json:"total"`
	Pagination pagination     `json:"pagination"`
}

func groupListOf(gs []*wagate.Group, total, page, limit int, own string) groupList {
	out := groupList{Groups: make([]groupSummary, 0, len(gs)), Total: total, Pagination: newPagination(total, page, limit)}
	for _, g := range gs {
		out.Groups = append(out.Groups, groupSummaryOf(g, own))
	}
	return out
}

// groupData is data of the routes that answer with one group.
type groupData struct {
	Group groupDetail `json:"group"`
}

// participantResultDTO is the outcome of an action for one participant.
type participantResultDTO struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Code    int    `json:"code"`
	Message string `json:"message"`
	Success bool   `json:"success"`
}

func participantResultsOf(rs []wagate.ParticipantResult) []participantResultDTO {
	out := make([]participantResultDTO, 0, len(rs))
	for _, r := range rs {
		out = append(out, participantResultDTO{ID: r.JID, Status: string(r.Status), Code: r.Code, Message: r.Message, Success: r.OK()})
	}
	return out
}

// groupCreated is POST /api/groups/sessions/{sessionId}.
type groupCreated struct {
	groupData
	Participants []participantResultDTO `json:"participants"`
}

func groupCreatedOf(g *wagate.Group, rs []wagate.ParticipantResult, own string) groupCreated {
	return groupCreated{groupData: groupData{Group: groupDetailOf(g, own)}, Participants: participantResultsOf(rs)}
}

// participantsData is the answer of the participant, promote and demote routes.
type participantsData struct {
	GroupID      string                 `json:"groupId"`
	Action       string                 `json:"action"`
	Participants []participantResultDTO `json:"participants"`
	Succeeded    int                    `json:"succeeded"`
	Failed       int                    `json:"failed"`
}

func participantsOutcomeOf(o *service.ParticipantsOutcome) participantsData {
	d := participantsData{GroupID: o.GroupJID, Action: string(o.Action), Participants: participantResultsOf(o.Results)}
	for _, r := range o.Results {
		if r.OK() {
			d.Succeeded++
		} else {
			d.Failed++
		}
	}
	return d
}

// inviteData is POST …/invite-code.
type inviteData struct {
	GroupID    string `json:"groupId"`
	InviteCode string `json:"inviteCode"`
	InviteLink string `json:"inviteLink"`
}

func inviteOf(i *service.GroupInvite) inviteData {
	return inviteData{GroupID: i.GroupJID, InviteCode: i.Code, InviteLink: inviteLinkPrefix + i.Code}
}

// joinedData is POST /api/groups/join-with-code.
type joinedData struct {
	GroupID string       `json:"groupId"`
	Group   *groupDetail `json:"group"`
}

func joinedOf(j *service.GroupJoined, own string) joinedData {
	d := joinedData{GroupID: j.GroupJID}
	if j.Group != nil {
		g := groupDetailOf(j.Group, own)
		d.Group = &g
	}
	return d
}
