// Package localrt wires the local runtime: one process with the HTTP API,
// the session manager and the webhook deliverer, on SQLite files and a data
// directory. cmd/wagate only calls it.
package localrt
