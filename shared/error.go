package wagate

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to exactly one HTTP status in httpapi.
const (
	EMISSINGKEY    = "MISSING_API_KEY"
	EAUTH          = "AUTHENTICATION_FAILED"
	EINVALID       = "VALIDATION_ERROR"
	ENOSESSION     = "SESSION_NOT_FOUND"
	ENOTCONNECTED  = "SESSION_NOT_CONNECTED"
	ESESSIONEXISTS = "SESSION_EXISTS"
	ENOTFOUND      = "NOT_FOUND"
	ERATELIMIT     = "RATE_LIMIT_EXCEEDED"
	EWHATSAPP      = "WHATSAPP_ERROR"
	ENOTSUPPORTED  = "NOT_SUPPORTED"
	EINTERNAL      = "INTERNAL_ERROR"
	ETOOLARGE      = "PAYLOAD_TOO_LARGE"
	EUNAVAILABLE   = "SERVICE_UNAVAILABLE"
	EFORBIDDEN     = "FORBIDDEN" // the session may not do this (not a group admin, not a participant)
)

// Error is the one error type of the application. Code is machine readable,
// Message is safe to show to an API client. Errors of any other type are
// internal: they are logged and never echoed.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("wagate error: code=%s message=%s", e.Code, e.Message)
}

// Errorf builds an *Error with a formatted client-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain,
// EINTERNAL for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err: the *Error message, or
// a generic text for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
