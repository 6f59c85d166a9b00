// Package wagate holds the domain of the wagate WhatsApp HTTP API: the types
// every runtime shares (sessions, their live state), the one coded error type,
// and the ports (interfaces) that adapters implement.
//
// Adapters live in sub-packages named after their dependency (sqlite, fsblob,
// …) and import this package, never each other. Use-case code lives in
// service; the HTTP layer in httpapi.
package wagate
