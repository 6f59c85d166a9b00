package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// okBody is the success envelope.
type okBody struct {
	Success bool   `json:"success"`
	Message string `json:"message,omitempty"`
	Data    any    `json:"data"`
}

// errBody is the error envelope: the text is in both error and message
// because clients read message first, then error.
type errBody struct {
	Success   bool   `json:"success"`
	Error     string `json:"error"`
	Message   string `json:"message"`
	Code      string `json:"code"`
	Timestamp string `json:"timestamp"`
}

// statusOf maps an error code to its HTTP status. It is the only place that
// does so.
func statusOf(code string) int {
	switch code {
	case wagate.EMISSINGKEY, wagate.EAUTH:
		return http.StatusUnauthorized
	case wagate.EINVALID, wagate.ENOTCONNECTED:
		return http.StatusBadRequest
	case wagate.ENOSESSION, wagate.ENOTFOUND:
		return http.StatusNotFound
	case wagate.ESESSIONEXISTS:
		return http.StatusConflict
	case wagate.EFORBIDDEN:
		return http.StatusForbidden
	case wagate.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case wagate.ERATELIMIT:
		return http.StatusTooManyRequests
	case wagate.ENOTSUPPORTED:
		return http.StatusNotImplemented
	case wagate.EWHATSAPP:
		return http.StatusBadGateway
	case wagate.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case methodNotAllowed:
		return http.StatusMethodNotAllowed
	}
	return http.StatusInternalServerError
}

// methodNotAllowed is an HTTP-only code for a known path with the wrong method.
const methodNotAllowed = "METHOD_NOT_ALLOWED"

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		slog.Error("encode response", "err", err)
		status, b = http.StatusInternalServerError, []byte(`{"success":false,"error":"Internal error.","message":"Internal error.","code":"INTERNAL_ERROR"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeOK(w http.ResponseWriter, status int, message string, data any) {
	writeJSON(w, status, okBody{Success: true, Message: message, Data: data})
}

// writeError answers with the error envelope. Internal errors are logged
// with the request and answered with a generic text.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := wagate.ErrorCode(err)
	if code == wagate.EINTERNAL {
		s.log().ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	msg := wagate.ErrorMessage(err)
	writeJSON(w, statusOf(code), errBody{Error: msg, Message: msg, Code: code, Timestamp: isoTime(time.Now())})
}

// isoTime formats t as the contract's ISO 8601 UTC with milliseconds.
func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// isoOrNil is isoTime for optional times: nil (JSON null) when zero.
func isoOrNil(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := isoTime(t)
	return &s
}
