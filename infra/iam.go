package main

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/wagate/wagate/shared/dynamo"
)

// The actions each principal is granted, by what the code calls (the
// adapters in shared/dynamo, shared/sqs, shared/eventbridge, shared/s3).
// Every statement names its resources; docs/deploy.md has the table.
var (
	// tableRead: GetItem, BatchGetItem, Query (on the table and its GSIs).
	tableRead = []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}
	// tableWrite: items only (TransactWriteItems is authorised per item
	// action; batchDelete uses BatchWriteItem). No Scan, no table admin.
	tableWrite = []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
	// tableRecord: what the webhook function writes (delivery records).
	tableRecord = []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}
	// tableCheck: the ConditionCheck actions of the connector's
	// transactions (a lease's acquisition checks the previous owner's
	// heartbeat; fenced writes check the lease).
	tableCheck = []string{"dynamodb:ConditionCheckItem"}
	// deviceStore: what connector/dynstore calls on the device table —
	// reads (GetItem, BatchGetItem, Query), single-item writes, batch
	// deletes (BatchWriteItem) and TransactWriteItems, which is authorised
	// per action: Put, Delete and ConditionCheck. No index, no Scan, no
	// table admin.
	deviceStore = []string{
		"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
		"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
		"dynamodb:ConditionCheckItem",
	}

	// queueSend: Enqueue, and Ping/Depth (GetQueueAttributes).
	queueSend = []string{"sqs:SendMessage", "sqs:GetQueueAttributes"}
	// queueConsume: Receive, Ack/AckBatch, Nack/Extend, Depth.
	queueConsume = []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"}

	busPublish  = []string{"events:PutEvents"}
	busDescribe = []string{"events:DescribeEventBus"} // Ready (GET /ready)

	// mediaReadWrite: Put (single and multipart: Create/UploadPart/Complete
	// are s3:PutObject), Open, Delete, presigned GETs.
	mediaReadWrite = []string{"s3:PutObject", "s3:AbortMultipartUpload", "s3:GetObject", "s3:DeleteObject"}
	// mediaList: HeadBucket (Ready), and S3 answers a missing key with
	// 404 (not 403) only to a principal that may list the bucket — the blob
	// store maps 404 to NOT_FOUND.
	mediaList = []string{"s3:ListBucket"}
	// mediaPresign: presigned GET links are signed with the function's
	// credentials, so it needs GetObject itself.
	mediaPresign = []string{"s3:GetObject"}

	secretRead = []string{"secretsmanager:GetSecretValue"}

	// dlqSend: Lambda's on-failure destination of the webhook function.
	dlqSend = []string{"sqs:SendMessage"}

	// logWrite: a function writes to its own log group only.
	logWrite = []string{"logs:CreateLogStream", "logs:PutLogEvents"}

	// vpcENI: what Lambda needs to attach a function to the VPC (the
	// actions of the AWS managed AWSLambdaVPCAccessExecutionRole, without
	// its logs:* part). The Describe actions support no resource-level
	// permissions, and Lambda manages the interfaces itself: this is the
	// one statement with Resource "*" (iam_test.go allows only it and
	// ecr:GetAuthorizationToken).
	vpcENI = []string{
		"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
		"ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
	}
)

// allow returns an Allow statement of actions on resources.
func allow(actions []string, resources ...*string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Effect:    awsiam.Effect_ALLOW,
		Actions:   jsii.Strings(actions...),
		Resources: &resources,
	})
}

// tableResources returns the ARNs of the table and, with indexes, of
// each of its GSIs (by name, from dynamo.TableSpec: no index/* wildcard).
func tableResources(d *Data, indexes bool) []*string {
	arns := []*string{d.Table.TableArn()}
	if indexes {
		for _, ix := range dynamo.TableSpec.Indexes {
			arns = append(arns, jsii.String(*d.Table.TableArn()+"/index/"+ix.Name))
		}
	}
	return arns
}

// objects returns the ARN of every object of the media bucket.
func objects(d *Data) *string { return d.Bucket.ArnForObjects(jsii.String("*")) }

// secretARN returns the ARN pattern of the secret name (Secrets Manager
// appends six random characters to the name).
func secretARN(scope constructs.Construct, name string) *string {
	return awscdk.Stack_Of(scope).FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("secretsmanager"), Resource: jsii.String("secret"),
		ResourceName: jsii.String(name + "-??????"), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
}

// newFunctionRole returns the execution role of a function in the VPC:
// trusted by Lambda, no managed policies, writing to logGroup only.
func newFunctionRole(scope constructs.Construct, id string, logGroup awslogs.LogGroup) awsiam.Role {
	role := awsiam.NewRole(scope, jsii.String(id), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("wagate " + id + ": least privilege, see docs/deploy.md"),
	})
	role.AddToPolicy(allow(logWrite, logGroup.LogGroupArn()))
	role.AddToPolicy(allow(vpcENI, jsii.String("*")))
	return role
}

// grantAPI gives the api function what the HTTP API calls: the table
// (read, write), the command queue (send), the bus (describe, for
// /ready), the media bucket and the secrets it reads at start.
func grantAPI(role awsiam.IRole, d *Data, bus *string, secrets []string) {
	role.AddToPrincipalPolicy(allow(tableRead, tableResources(d, true)...))
	role.AddToPrincipalPolicy(allow(tableWrite, d.Table.TableArn()))
	role.AddToPrincipalPolicy(allow(queueSend, d.CommandQueue.QueueArn()))
	role.AddToPrincipalPolicy(allow(busDescribe, bus))
	role.AddToPrincipalPolicy(allow(mediaReadWrite, objects(d)))
	role.AddToPrincipalPolicy(allow(mediaList, d.Bucket.BucketArn()))
	grantSecrets(role, secrets)
}

// grantWebhook gives the webhook function what delivering an event
// calls: the table (sessions and deliveries: read, record), presigned
// media links and the Frappe secret.
func grantWebhook(role awsiam.IRole, d *Data, secrets []string) {
	role.AddToPrincipalPolicy(allow(tableRead, tableResources(d, true)...))
	role.AddToPrincipalPolicy(allow(tableRecord, d.Table.TableArn()))
	role.AddToPrincipalPolicy(allow(mediaPresign, objects(d)))
	grantSecrets(role, secrets)
}

// grantConnector gives the connector task what hosting sessions calls:
// the table (read, write, condition checks), the device table (the
// whatsmeow device store), the command queue (consume), the bus (publish;
// describe for the health check's Ready) and the media bucket.
func grantConnector(role awsiam.IRole, d *Data, bus *string) {
	role.AddToPrincipalPolicy(allow(tableRead, tableResources(d, true)...))
	role.AddToPrincipalPolicy(allow(append(slices.Clone(tableWrite), tableCheck...), d.Table.TableArn()))
	role.AddToPrincipalPolicy(allow(deviceStore, d.DeviceTable.TableArn()))
	role.AddToPrincipalPolicy(allow(queueConsume, d.CommandQueue.QueueArn()))
	role.AddToPrincipalPolicy(allow(append(busPublish, busDescribe...), bus))
	role.AddToPrincipalPolicy(allow(mediaReadWrite, objects(d)))
	role.AddToPrincipalPolicy(allow(mediaList, d.Bucket.BucketArn()))
}

// grantSecrets lets role read the secrets (ARN patterns).
func grantSecrets(role awsiam.IRole, arns []string) {
	if len(arns) > 0 {
		role.AddToPrincipalPolicy(allow(secretRead, *jsii.Strings(arns...)...))
	}
}
