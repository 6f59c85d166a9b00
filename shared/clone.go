package wagate

import "slices"

// Clone returns a copy of m that shares no memory with it (stores hand out
// copies so callers cannot change what they keep).
func (m *Message) Clone() *Message {
	c := *m
	if m.Media != nil {
		media := *m.Media
		c.Media = &media
	}
	if m.Location != nil {
		loc := *m.Location
		c.Location = &loc
	}
	if m.Reaction != nil {
		r := *m.Reaction
		c.Reaction = &r
	}
	c.Contacts = slices.Clone(m.Contacts)
	return &c
}

// Clone returns a copy of s that shares no memory with it.
func (s *Session) Clone() *Session {
	c := *s
	c.Webhook.Events = slices.Clone(s.Webhook.Events)
	return &c
}

// Clone returns a copy of b that shares no memory with it; nil stays nil.
func (b *BusinessProfile) Clone() *BusinessProfile {
	if b == nil {
		return nil
	}
	c := *b
	c.Categories = slices.Clone(b.Categories)
	return &c
}
