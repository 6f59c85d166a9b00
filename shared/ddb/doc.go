// Package ddb is the DynamoDB plumbing that the single-table store
// (shared/dynamo) and the whatsmeow device store (connector/dynstore) share:
// expression placeholders and update expressions, the client interface,
// batch reads and writes in chunks with unprocessed items retried,
// transactions retried on conflicts, the errors of failed conditions, and
// the backoff between retries. Key layouts and item mapping stay with each
// store; ddbtest holds the test client and tables both suites use.
package ddb
