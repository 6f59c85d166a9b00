package dynamo

// DeviceTableSpec is the table of the whatsmeow device store
// (connector/dynstore, docs/aws-devicestore.md): string keys pk and sk, no
// secondary index, expiry by ttl, on demand. dynstore owns the layout of
// its items; the definition is here, as data beside TableSpec, because the
// provisioner and the CDK app do not import the connector.
// connector/awshost's tests require dynstore.CreateTableInput and
// dynstore.TTLAttribute to match it.
var DeviceTableSpec = Spec{
	PartitionKey: "pk",
	SortKey:      "sk",
	Attributes:   []string{"pk", "sk"},
	TTLAttribute: "ttl",
	OnDemand:     true,
}
