package manager

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// process handles one delivered command and acks it. A handler may ask for
// the command to come back later (pacing, session reconnecting); internal
// failures are retried a few times, then dropped with an error log.
func (m *Manager) process(ctx context.Context, d wagate.Delivery) {
	c := d.Command
	if !m.route(ctx, d) {
		return // forwarded to the session's owner, or put back
	}
	defer m.settle(ctx, c.SessionID)
	log := m.log().With("session_id", c.SessionID, "command_id", c.ID, "command", c.Type)
	retry, err := m.handle(ctx, d)
	if err != nil && wagate.ErrorCode(err) == wagate.EINTERNAL && d.Attempt < MaxAttempts {
		log.Warn("command failed; will retry", "attempt", d.Attempt, "err", err)
		retry = RetryDelay * time.Duration(d.Attempt)
	} else if err != nil {
		log.Error("command failed", "attempt", d.Attempt, "err", err)
	}
	if retry > 0 {
		if err := m.Queue.Nack(ctx, d.Receipt, retry); err == nil {
			return
		}
	}
	if err := m.Queue.Ack(ctx, d.Receipt); err != nil {
		log.Error("ack command", "err", err)
	}
}

func (m *Manager) handle(ctx context.Context, d wagate.Delivery) (time.Duration, error) {
	c := d.Command
	switch c.Type {
	case events.CmdMessageSend:
		var p events.MessageSendPayload
		if err := decodePayload(c, &p); err != nil {
			return 0, err
		}
		return m.send(ctx, d, p)
	case events.CmdStatusPost:
		var p events.StatusPostPayload
		if err := decodePayload(c, &p); err != nil {
			return 0, err
		}
		return m.postStatus(ctx, d, p)
	case events.CmdChatRead:
		var p events.ChatReadPayload
		if err := decodePayload(c, &p); err != nil {
			return 0, err
		}
		return m.markRead(ctx, d, p)
	case events.CmdContactCheck:
		return m.reply(ctx, d, m.contactCheck)
	case events.CmdContactInfo:
		return m.reply(ctx, d, m.contactInfo)
	case events.CmdGroupCreate:
		return m.reply(ctx, d, m.groupCreate)
	case events.CmdGroupInfo:
		return m.reply(ctx, d, m.groupInfo)
	case events.CmdGroupList:
		return m.reply(ctx, d, m.groupList)
	case events.CmdGroupUpdate:
		return m.reply(ctx, d, m.groupUpdate)
	case events.CmdGroupParticipants:
		return m.reply(ctx, d, m.groupParticipants)
	case events.CmdGroupInviteCode:
		return m.reply(ctx, d, m.groupInviteCode)
	case events.CmdGroupJoin:
		return m.reply(ctx, d, m.groupJoin)
	case events.CmdSessionConnect:
		return 0, m.connect(ctx, c.SessionID)
	case events.CmdSessionDisconnect:
		return 0, m.disconnect(ctx, c.SessionID)
	case events.CmdSessionRestart:
		return 0, m.restart(ctx, c.SessionID)
	case events.CmdSessionDelete:
		var p events.DeletePayload
		if err := decodePayload(c, &p); err != nil {
			return 0, err
		}
		return 0, m.delete(ctx, c.SessionID, p)
	case events.CmdSessionPairPhone:
		var p events.PairPhonePayload
		if err := decodePayload(c, &p); err != nil {
			return 0, err
		}
		return 0, m.pairPhone(ctx, c.SessionID, p.PhoneNumber)
	}
	return 0, wagate.Errorf(wagate.EINVALID, "unknown command type %q", c.Type)
}

func decodePayload(c events.Command, v any) error {
	if len(c.Payload) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.Payload, v); err != nil {
		return wagate.Errorf(wagate.EINVALID, "bad %s payload: %v", c.Type, err)
	}
	return nil
}

// connect starts the session's client unless it is hosted already.
func (m *Manager) connect(ctx context.Context, sessionID string) error {
	if m.get(sessionID) != nil {
		return nil
	}
	sess, err := m.Store.FindSession(ctx, sessionID)
	if wagate.ErrorCode(err) == wagate.ENOSESSION {
		return nil // deleted meanwhile
	} else if err != nil {
		return err
	}
	h, err := m.start(ctx, sess)
	if err != nil {
		return fmt.Errorf("new client for %q: %w", sessionID, err)
	}
	connecting := wagate.StatusConnecting
	none := wagate.ReasonNone
	if _, err := m.update(ctx, sessionID, wagate.SessionUpdate{Status: &connecting, Reason: &none, ReasonDetail: new(string)}); err != nil {
		m.log().Warn("mark connecting", "session_id", sessionID, "err", err)
	}
	if err := h.client.Connect(ctx); err != nil {
		if m.stopHost(sessionID) != nil {
			h.client.Disconnect()
		}
		m.setDown(ctx, sessionID, wagate.ReasonConnectFailed, err.Error(), false)
		return wagate.Errorf(wagate.EWHATSAPP, "connect: %v", err)
	}
	return nil
}

// disconnect closes the client, keeping the credentials.
func (m *Manager) disconnect(ctx context.Context, sessionID string) error {
	if h := m.stopHost(sessionID); h != nil {
		h.client.Disconnect()
	}
	m.setDown(ctx, sessionID, wagate.ReasonUserRequest, "", false)
	return nil
}

// restart closes the client and opens a new one.
func (m *Manager) restart(ctx context.Context, sessionID string) error {
	if h := m.stopHost(sessionID); h != nil {
		h.client.Disconnect()
	}
	return m.connect(ctx, sessionID)
}

// delete closes the client and unlinks the device. The session record is
// already gone.
func (m *Manager) delete(ctx context.Context, sessionID string, p events.DeletePayload) error {
	m.pacers.forget(sessionID)
	if m.Messages != nil {
		if err := m.Messages.DeleteSessionMessages(ctx, sessionID); err != nil {
			return err
		}
	}
	if err := m.forgetDirectory(ctx, sessionID); err != nil {
		return err
	}
	if h := m.stopHost(sessionID); h != nil {
		err := h.client.Logout(ctx)
		h.client.Disconnect()
		if err == nil {
			return nil
		}
		m.log().Warn("logout on delete; deleting credentials locally", "session_id", sessionID, "err", err)
	}
	if p.DeviceJID == "" {
		return nil
	}
	return m.Engine.DeleteDevice(ctx, p.DeviceJID)
}

// pairPhone asks for a phone pairing code and stores it on the session.
func (m *Manager) pairPhone(ctx context.Context, sessionID, phone string) error {
	if err := m.connect(ctx, sessionID); err != nil {
		return err
	}
	deadline := time.Now().Add(PairRetryFor)
	for {
		h := m.get(sessionID)
		if h == nil {
			return wagate.Errorf(wagate.EWHATSAPP, "session %s stopped before pairing", sessionID)
		}
		code, err := h.client.PairPhone(ctx, phone)
		if err == nil {
			_, err = m.update(ctx, sessionID, wagate.SessionUpdate{PairingCode: &code})
			return err
		}
		if time.Now().After(deadline) {
			return wagate.Errorf(wagate.EWHATSAPP, "pair phone: %v", err)
		}
		sleep(ctx, 250*time.Millisecond)
	}
}
