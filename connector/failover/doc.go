// Package failover is a test harness (used by its own test and by
// wagate-bench, never by production code): it runs several real connector
// processes (connector/cmd/connector, sim engine) against the AWS emulator
// on one freshly provisioned stage, with the aws API handler served in
// process and one sim network shared through WAGATE_SIM_DB, drives
// sessions and sends through the API, kills processes, and checks the
// sim's journal: every accepted send delivered exactly once, and no
// session ever connected by two processes at once (docs/scale-out.md).
package failover
