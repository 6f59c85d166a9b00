package main

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"

	"github.com/wagate/wagate/shared/awsres"
)

// secretEnv are variables that would carry a secret's value: never set
// in a deployed environment (the functions read Secrets Manager).
var secretEnv = []string{"WAGATE_API_KEY", "FRAPPE_WEBHOOK_SECRET"}

func TestAPIFunction(t *testing.T) {
	s := dev(t)
	has(t, s, "AWS::Lambda::Function", map[string]any{
		"FunctionName":  s.cfg.Names.APIFunction,
		"Runtime":       "provided.al2023",
		"Architectures": []any{"arm64"},
		"Handler":       "bootstrap",
		"MemorySize":    awsres.FunctionMemoryMB,
		"Timeout":       int(awsres.Seconds(awsres.APIFunctionTimeout)),
		"VpcConfig":     map[string]any{"SubnetIds": assertions.Match_AnyValue(), "SecurityGroupIds": assertions.Match_AnyValue()},
	})
	fn := s.one(t, "AWS::Lambda::Function", "FunctionName", s.cfg.Names.APIFunction)
	e := env(fn)
	for k, target := range map[string]string{
		"WAGATE_TABLE": "DataTable", "WAGATE_COMMAND_QUEUE_URL": "DataCommandQueue",
		"WAGATE_EVENT_BUS": "EventBus", "WAGATE_MEDIA_BUCKET": "DataMedia",
	} {
		ids, _ := refs(e[k])
		if len(ids) != 1 || !hasPrefix(ids[0], target) {
			t.Errorf("%s = %v, want a reference to %s…", k, e[k], target)
		}
	}
	if e["WAGATE_STAGE"] != s.cfg.Names.Stage || e[APIKeysSecretEnv] != APIKeysSecretName(s.cfg.Names.Stage) {
		t.Errorf("env %v: want the stage and the API keys' secret name", e)
	}
	if _, ok := e[FrappeSecretEnv]; ok {
		t.Errorf("dev has no Frappe URL, yet its secret is wired: %v", e)
	}
	t.Run("NoSecretValues", func(t *testing.T) {
		for _, st := range []*synthed{dev(t), prod(t)} {
			for _, f := range st.resources("AWS::Lambda::Function") {
				for _, k := range secretEnv {
					if _, ok := env(f)[k]; ok {
						t.Errorf("%s: %s in the environment", f.ID, k)
					}
				}
			}
			for _, td := range st.resources("AWS::ECS::TaskDefinition") {
				for _, c := range list(td.Props["ContainerDefinitions"]) {
					for _, kv := range list(c.(map[string]any)["Environment"]) {
						for _, k := range secretEnv {
							if kv.(map[string]any)["Name"] == k {
								t.Errorf("%s: %s in the environment", td.ID, k)
							}
						}
					}
				}
			}
		}
	})
	t.Run("ProdFrappe", func(t *testing.T) {
		p := prod(t)
		for _, name := range []string{p.cfg.Names.APIFunction, p.cfg.Names.WebhookFunc} {
			e := env(p.one(t, "AWS::Lambda::Function", "FunctionName", name))
			if e["FRAPPE_WEBHOOK_URL"] != testFrappeURL || e[FrappeSecretEnv] != FrappeSecretName(ProductionStage) {
				t.Errorf("%s env %v: want the Frappe URL and its secret's name", name, e)
			}
		}
	})
}

func TestHTTPAPI(t *testing.T) {
	s := dev(t)
	has(t, s, "AWS::ApiGatewayV2::Api", map[string]any{"Name": s.cfg.Names.HTTPAPI, "ProtocolType": "HTTP"})
	has(t, s, "AWS::ApiGatewayV2::Stage", map[string]any{
		"StageName": "$default", "AutoDeploy": true,
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": DefaultAPIRateLimit, "ThrottlingBurstLimit": DefaultAPIBurstLimit},
		"AccessLogSettings":    map[string]any{"DestinationArn": assertions.Match_AnyValue(), "Format": assertions.Match_AnyValue()},
	})
	count(t, s, "AWS::ApiGatewayV2::Stage", 1)
	has(t, s, "AWS::ApiGatewayV2::Integration", map[string]any{
		"IntegrationType": "AWS_PROXY", "PayloadFormatVersion": "2.0",
		"TimeoutInMillis": int(awsres.APIFunctionTimeout.Milliseconds()),
	})
	has(t, s, "AWS::ApiGatewayV2::Route", map[string]any{"RouteKey": "$default"})
	fn := s.one(t, "AWS::Lambda::Function", "FunctionName", s.cfg.Names.APIFunction)
	found := false
	for _, p := range s.resources("AWS::Lambda::Permission") {
		if refersTo(p.Props["FunctionName"], fn.ID) && p.Props["Principal"] == "apigateway.amazonaws.com" {
			found = true
		}
	}
	if !found {
		t.Error("API Gateway may not invoke the api function")
	}
}

func hasPrefix(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }
