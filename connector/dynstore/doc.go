// Package dynstore is a DynamoDB implementation of whatsmeow's device store
// (go.mau.fi/whatsmeow/store): every interface sqlstore implements, on one
// table, so that any connector task can load, use and take over any
// WhatsApp session.
//
// sqlstore is the reference: the differential suite (diff_test.go) runs the
// same operations against sqlstore on SQLite and against this package on the
// AWS emulator and requires identical results. The few deliberate
// differences (pre-key ids never reused, device deletion also removing
// privacy tokens, exact prefixes instead of SQL LIKE patterns, …) are listed
// in docs/aws-devicestore.md together with the item layout.
//
// Nothing is cached across calls: several processes may share the table.
// Multi-item changes run as transactions (TransactWriteItems) with
// optimistic concurrency: every write stamps a random revision ("rv") on
// its item, and a transaction commits only if the items it read still carry
// the revisions it saw; otherwise it is run again. DoDecryptionTxn buffers
// the writes of its callback in a write set carried by the context, lets
// reads inside the callback see them, and commits them in one
// TransactWriteItems.
package dynstore
