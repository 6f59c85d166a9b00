// Command infra is the CDK app of the aws runtime (cdk.json at the
// repository root runs it): one stack per stage with the table, bucket and
// queues, the HTTP API and its function, the event bus with the webhook
// function, the VPC with the fixed egress IP, the connector service, the
// alarms and the outputs. `make synth` works offline; docs/deploy.md.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	cfg, err := ConfigFromContext(app)
	if err != nil {
		fmt.Fprintln(os.Stderr, "infra:", err)
		os.Exit(1)
	}
	NewStack(app, cfg)
	app.Synth(nil)
}
