package main

import (
	"encoding/json"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/wagate/wagate/shared/awsres"
)

// API is the HTTP API: API Gateway (HTTP API, payload 2.0, $default
// stage with throttling and access logs) in front of the api function.
type API struct {
	Function awslambda.Function
	HTTPAPI  awsapigatewayv2.HttpApi
	Stage    awsapigatewayv2.HttpStage
}

// accessLogFormat is the $default stage's access log line (JSON).
var accessLogFormat = map[string]string{
	"requestId": "$context.requestId", "ip": "$context.identity.sourceIp",
	"time": "$context.requestTime", "method": "$context.httpMethod", "path": "$context.path",
	"status": "$context.status", "latencyMs": "$context.responseLatency",
	"integrationStatus": "$context.integrationStatus", "integrationError": "$context.integrationErrorMessage",
}

// NewAPI creates the api function and the HTTP API in front of it.
func NewAPI(scope constructs.Construct, c Config, n *Network, d *Data, bus awsevents.EventBus) *API {
	s := constructs.NewConstruct(scope, jsii.String("Api"))
	env := runtimeEnv(c, d, bus)
	env[APIKeysSecretEnv] = APIKeysSecretName(c.Names.Stage)
	secrets := []string{*secretARN(s, APIKeysSecretName(c.Names.Stage))}
	if c.FrappeWebhookURL != "" { // the webhook test ping signs Frappe's too
		env["FRAPPE_WEBHOOK_URL"], env[FrappeSecretEnv] = c.FrappeWebhookURL, FrappeSecretName(c.Names.Stage)
		secrets = append(secrets, *secretARN(s, FrappeSecretName(c.Names.Stage)))
	}
	fn, role := newGoFunction(s, c, n, goFunction{
		id: "Function", name: c.Names.APIFunction, main: "api", timeout: awsres.APIFunctionTimeout, env: env,
	})
	grantAPI(role, d, bus.EventBusArn(), secrets)

	api := awsapigatewayv2.NewHttpApi(s, jsii.String("HttpApi"), &awsapigatewayv2.HttpApiProps{
		ApiName:            jsii.String(c.Names.HTTPAPI),
		Description:        jsii.String("wagate HTTP API (" + c.Names.Stage + ")"),
		CreateDefaultStage: jsii.Bool(false),
		DefaultIntegration: awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("ApiIntegration"), fn,
			&awsapigatewayv2integrations.HttpLambdaIntegrationProps{
				PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_2_0(),
				Timeout:              seconds(awsres.APIFunctionTimeout),
			}),
	})
	stage := api.AddStage(jsii.String("DefaultStage"), &awsapigatewayv2.HttpStageOptions{
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit: jsii.Number(c.APIRateLimit), BurstLimit: jsii.Number(c.APIBurstLimit),
		},
	})
	accessLogs := awslogs.NewLogGroup(s, jsii.String("AccessLogs"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String("/aws/apigateway/" + c.Names.HTTPAPI),
		Retention:     c.LogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	format, _ := json.Marshal(accessLogFormat)
	stage.Node().DefaultChild().(awsapigatewayv2.CfnStage).SetAccessLogSettings(&awsapigatewayv2.CfnStage_AccessLogSettingsProperty{
		DestinationArn: accessLogs.LogGroupArn(), Format: jsii.String(string(format)),
	})
	return &API{Function: fn, HTTPAPI: api, Stage: stage}
}
