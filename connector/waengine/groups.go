package waengine

import (
	"context"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"

	wagate "github.com/wagate/wagate/shared"
)

// The group requests' I/O. Conversions are in groups_conv.go.

var _ wagate.EngineGroups = (*Client)(nil)

// CreateGroup creates a group; participants whose privacy settings refuse
// being added get an invite instead.
func (c *Client) CreateGroup(ctx context.Context, subject string, participants []string) (*wagate.Group, []wagate.ParticipantResult, error) {
	req, err := createRequest(subject, participants)
	if err != nil {
		return nil, nil, err
	}
	if !c.IsLive() {
		return nil, nil, c.notConnected()
	}
	info, err := c.wa.CreateGroup(ctx, req)
	if err != nil {
		return nil, nil, groupError("create the group", err)
	}
	results := c.results(ctx, wagate.ParticipantAdd, info.JID, info.Name, outcomes(req.Participants, info.Participants))
	return groupOf(info), results, nil
}

// GroupInfo fetches a group's info and members.
func (c *Client) GroupInfo(ctx context.Context, jidStr string) (*wagate.Group, error) {
	j, err := parseGroupJID(jidStr)
	if err != nil {
		return nil, err
	}
	if !c.IsLive() {
		return nil, c.notConnected()
	}
	info, err := c.wa.GetGroupInfo(ctx, j)
	if err != nil {
		return nil, groupError("read the group", err)
	}
	return groupOf(info), nil
}

// JoinedGroups lists every group the session is in.
func (c *Client) JoinedGroups(ctx context.Context) ([]*wagate.Group, error) {
	if !c.IsLive() {
		return nil, c.notConnected()
	}
	infos, err := c.wa.GetJoinedGroups(ctx)
	if err != nil {
		return nil, groupError("list the groups", err)
	}
	out := make([]*wagate.Group, 0, len(infos))
	for _, info := range infos {
		out = append(out, groupOf(info))
	}
	return out, nil
}

// UpdateGroup applies the fields of u one request at a time.
func (c *Client) UpdateGroup(ctx context.Context, jidStr string, u wagate.GroupUpdate) error {
	j, err := parseGroupJID(jidStr)
	if err != nil {
		return err
	}
	if !c.IsLive() {
		return c.notConnected()
	}
	if u.Subject != nil {
		if err := c.wa.SetGroupName(ctx, j, *u.Subject); err != nil {
			return groupError("change its subject", err)
		}
	}
	if u.Description != nil {
		if err := c.wa.SetGroupTopic(ctx, j, "", "", *u.Description); err != nil {
			return groupError("change its description", err)
		}
	}
	if u.Announce != nil {
		if err := c.wa.SetGroupAnnounce(ctx, j, *u.Announce); err != nil {
			return groupError("change who may send messages", err)
		}
	}
	if u.Locked != nil {
		if err := c.wa.SetGroupLocked(ctx, j, *u.Locked); err != nil {
			return groupError("change who may edit the group info", err)
		}
	}
	return nil
}

// UpdateParticipants adds, removes, promotes or demotes participants.
func (c *Client) UpdateParticipants(ctx context.Context, jidStr string, action wagate.ParticipantAction, participants []string) ([]wagate.ParticipantResult, error) {
	j, err := parseGroupJID(jidStr)
	if err != nil {
		return nil, err
	}
	if !action.Valid() {
		return nil, wagate.Errorf(wagate.EINVALID, "Unknown participant action %q.", action)
	}
	people, err := parsePeople(participants)
	if err != nil {
		return nil, err
	}
	if !c.IsLive() {
		return nil, c.notConnected()
	}
	answered, err := c.wa.UpdateGroupParticipants(ctx, j, people, whatsmeow.ParticipantChange(action))
	if err != nil {
		return nil, groupError("change its members", err)
	}
	return c.results(ctx, action, j, "", outcomes(people, answered)), nil
}

// results turns outcomes into results, sending an invite to everyone
// WhatsApp refused to add but offered an add request for.
func (c *Client) results(ctx context.Context, action wagate.ParticipantAction, group types.JID, groupName string, os []outcome) []wagate.ParticipantResult {
	out := make([]wagate.ParticipantResult, 0, len(os))
	for _, o := range os {
		invited := false
		if action == wagate.ParticipantAdd && o.code == 403 && o.request != nil {
			if groupName == "" {
				if info, err := c.wa.GetGroupInfo(ctx, group); err == nil {
					groupName = info.Name
				}
			}
			_, err := c.wa.SendMessage(ctx, o.jid.ToNonAD(), inviteMessage(group, groupName, o.request))
			if err != nil {
				c.log.Warn("send group invite", "group", group.String(), "to", o.jid.String(), "error", err)
			}
			invited = err == nil
		}
		out = append(out, resultOf(action, o, invited))
	}
	return out
}

// InviteCode returns the group's invite code; reset revokes the old one.
func (c *Client) InviteCode(ctx context.Context, jidStr string, reset bool) (string, error) {
	j, err := parseGroupJID(jidStr)
	if err != nil {
		return "", err
	}
	if !c.IsLive() {
		return "", c.notConnected()
	}
	link, err := c.wa.GetGroupInviteLink(ctx, j, reset)
	if err != nil {
		return "", groupError("get its invite link", err)
	}
	return strings.TrimPrefix(link, whatsmeow.InviteLinkPrefix), nil
}

// JoinWithCode joins the group of an invite code.
func (c *Client) JoinWithCode(ctx context.Context, code string) (string, error) {
	if !c.IsLive() {
		return "", c.notConnected()
	}
	j, err := c.wa.JoinGroupWithLink(ctx, strings.TrimPrefix(code, whatsmeow.InviteLinkPrefix))
	if err != nil {
		return "", groupError("join the group", err)
	}
	if j.IsEmpty() {
		return "", wagate.Errorf(wagate.EWHATSAPP, "WhatsApp did not say which group was joined.")
	}
	return j.String(), nil
}
