// Package e2e holds end-to-end tests that build the real bin/wagate binary,
// run it with the simulated WhatsApp engine and drive it through its HTTP
// API only, killing and restarting the process between steps.
package e2e
