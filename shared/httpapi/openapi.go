package httpapi

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the machine-readable description of every route (OpenAPI
// 3.1), maintained by hand beside the handlers. TestOpenAPIRoutes checks
// that it lists exactly the routes the server registers; the end-to-end
// suite validates every answer it sees against it.
//
//go:embed openapi.json
var OpenAPI []byte

// handleOpenAPI serves the description without authentication: it holds
// no secret, and tools fetch it before they have a key.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(OpenAPI)
}
