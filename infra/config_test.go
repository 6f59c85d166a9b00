package main

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func TestConfigFromContext(t *testing.T) {
	t.Setenv("CDK_DEFAULT_ACCOUNT", "")
	t.Setenv("CDK_DEFAULT_REGION", "")
	t.Setenv("CDK_DEPLOY_ACCOUNT", "")
	t.Setenv("CDK_DEPLOY_REGION", "")
	cases := map[string]struct {
		ctx     map[string]any
		env     map[string]string
		check   func(t *testing.T, c Config)
		wantErr bool
	}{
		"Defaults": {ctx: map[string]any{}, check: func(t *testing.T, c Config) {
			if c.Names.Stage != "dev" || c.Production || c.Account != SynthAccount || c.Region != SynthRegion || c.ConnectorDesired != 1 {
				t.Errorf("%+v", c)
			}
		}},
		"Prod": {ctx: map[string]any{"stage": "prod", "alarmEmail": "a@b.c", "connectorDesired": "2", "apiRateLimit": 10.0},
			env: map[string]string{"CDK_DEFAULT_ACCOUNT": "111122223333", "CDK_DEFAULT_REGION": "eu-west-1"},
			check: func(t *testing.T, c Config) {
				if !c.Production || c.AlarmEmail != "a@b.c" || c.Account != "111122223333" || c.Region != "eu-west-1" ||
					c.ConnectorDesired != 2 || c.ConnectorMax != 2 || c.APIRateLimit != 10 || c.LogRetention != ProdLogRetention {
					t.Errorf("%+v", c)
				}
			}},
		"BadStage":  {ctx: map[string]any{"stage": "Prod"}, wantErr: true},
		"BadNumber": {ctx: map[string]any{"connectorCpu": "lots"}, wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			app := awscdk.NewApp(&awscdk.AppProps{Context: &tc.ctx, Outdir: jsii.String(t.TempDir())})
			c, err := ConfigFromContext(app)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want error %v", err, tc.wantErr)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}
