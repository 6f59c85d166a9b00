// Command api is the api function: the wagate HTTP API behind API Gateway
// (HTTP API, payload format 2.0, $default stage) on the aws adapters.
// Outside Lambda (no AWS_LAMBDA_RUNTIME_API) it serves the same handler on
// PORT, which is how `make run-aws-local` runs it against an emulator.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/wagate/wagate/shared/awsrt"
)

func main() {
	ctx, rt, stop := awsrt.Boot("api")
	defer stop()
	h, err := rt.APIHandlerChecked()
	if err != nil {
		awsrt.Exit("api", err)
	}
	if !awsrt.InLambda() {
		if err := rt.ServeHTTP(ctx, h); err != nil {
			awsrt.Exit("api", err)
		}
		return
	}
	lambda.StartWithOptions(httpadapter.NewV2(rt.FlushAfter(h)).ProxyWithContext, lambda.WithContext(ctx))
}
