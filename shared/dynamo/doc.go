// Package dynamo implements wagate's store ports on one DynamoDB table
// (single-table design): SessionStore, MessageStore, StatusStore,
// MediaStore, DeliveryStore, ContactStore, GroupStore and
// CommandResultStore, each passing the same conformance suites (porttest)
// as the sqlite adapters.
//
// The table's keys and indexes are data (TableSpec), shared with the
// provisioner and the CDK app. Every store is stateless apart from its
// *Table: several processes (API Lambdas, connector tasks, the webhook
// deliverer) use the table at once, so nothing is cached, uniqueness is
// enforced with conditional writes, and multi-item changes are
// transactions. No request path scans the table.
//
// docs/aws-dynamo.md lays out the items, the access patterns and their
// indexes, and what is counted versus bounded.
package dynamo
