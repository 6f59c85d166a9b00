package main

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/wagate/wagate/shared/awsres"
)

// goFunction is the definition of one Go function.
type goFunction struct {
	id      string // construct id
	name    string // function name (awsres)
	main    string // directory of its main in the functions module
	timeout time.Duration
	env     map[string]string
}

// newGoFunction creates a function from a Go main: provided.al2023 on
// arm64 (awsres), built by the local bundler, in the VPC's private subnets
// (it sends from the NAT's Elastic IP), with its own log group (retention
// per stage) and its own role that starts with nothing but its logs and
// the VPC interfaces.
func newGoFunction(scope constructs.Construct, c Config, n *Network, f goFunction) (awslambda.Function, awsiam.Role) {
	logs := awslogs.NewLogGroup(scope, jsii.String(f.id+"Logs"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String("/aws/lambda/" + f.name),
		Retention:     c.LogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	role := newFunctionRole(scope, f.id+"Role", logs)
	fn := awslambda.NewFunction(scope, jsii.String(f.id), &awslambda.FunctionProps{
		FunctionName:   jsii.String(f.name),
		Runtime:        functionRuntime(),
		Architecture:   functionArchitecture(),
		Handler:        jsii.String(awsres.FunctionHandler),
		Code:           goFunctionCode(c, f.main),
		MemorySize:     jsii.Number(awsres.FunctionMemoryMB),
		Timeout:        seconds(f.timeout),
		Environment:    envMap(f.env),
		Role:           role,
		LogGroup:       logs,
		Vpc:            n.VPC,
		VpcSubnets:     n.PrivateSubnets(),
		SecurityGroups: &[]awsec2.ISecurityGroup{n.FunctionsSG},
		Description:    jsii.String("wagate " + f.main + " (" + c.Names.Stage + ")"),
	})
	return fn, role
}

// functionRuntime and functionArchitecture map awsres's settings.
func functionRuntime() awslambda.Runtime {
	if awsres.FunctionRuntime != "provided.al2023" {
		panic("infra: unsupported function runtime " + awsres.FunctionRuntime)
	}
	return awslambda.Runtime_PROVIDED_AL2023()
}

func functionArchitecture() awslambda.Architecture {
	if awsres.FunctionArchitecture == "arm64" {
		return awslambda.Architecture_ARM_64()
	}
	return awslambda.Architecture_X86_64()
}

// runtimeEnv is the environment every process of the aws runtime gets:
// its stage and the resources it uses (shared/awsrt.LoadConfig). Secrets
// are never among them: only the names of the secrets to read.
func runtimeEnv(c Config, d *Data, bus awsevents.EventBus) map[string]string {
	return map[string]string{
		"WAGATE_STAGE":             c.Names.Stage,
		"WAGATE_TABLE":             *d.Table.TableName(),
		"WAGATE_COMMAND_QUEUE_URL": *d.CommandQueue.QueueUrl(),
		"WAGATE_EVENT_BUS":         *bus.EventBusName(),
		"WAGATE_MEDIA_BUCKET":      *d.Bucket.BucketName(),
	}
}

func envMap(m map[string]string) *map[string]*string {
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out[k] = jsii.String(v)
	}
	return &out
}
