// Package httpapi is wagate's REST API on plain net/http: routing,
// authentication, the response envelope and one handler file per resource.
// Handlers decode, call one service method and encode; errors are mapped to
// HTTP statuses in exactly one place (envelope.go).
package httpapi
