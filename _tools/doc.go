// Package tools pins the developer tools (go tool staticcheck). It is not a
// workspace module, so `go test ./...` never walks it.
package tools
