// Package manager hosts WhatsApp sessions: it consumes the command queue,
// keeps one engine client per session, and mirrors every state change the
// engine reports into the session store and onto the event bus at once.
package manager
