package awsconf_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/wagate/wagate/shared/awsconf"
)

// TestEndpoints checks what the package comment promises about
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>, and that the emulator
// options follow the override.
func TestEndpoints(t *testing.T) {
	for _, tc := range []struct {
		name                string
		env                 map[string]string
		wantSQS, wantS3     string // "" = no override
		wantPath, wantNoCRC bool
	}{
		{"None", nil, "", "", false, false},
		{"Global", map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"}, "http://127.0.0.1:4566", "http://127.0.0.1:4566", true, true},
		{"OneService", map[string]string{"AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000"}, "", "http://127.0.0.1:9000", true, false},
		{"Ignored", map[string]string{"AWS_ENDPOINT_URL": "http://x:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, "", "", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"} {
				t.Setenv(k, tc.env[k])
			}
			t.Setenv("AWS_ACCESS_KEY_ID", "test")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
			t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
			cfg, err := awsconf.Load(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			c := awsconf.NewClients(cfg)
			if got := aws.ToString(c.SQS.Options().BaseEndpoint); got != tc.wantSQS {
				t.Errorf("SQS endpoint %q, want %q", got, tc.wantSQS)
			}
			if got := aws.ToString(c.S3.Options().BaseEndpoint); got != tc.wantS3 {
				t.Errorf("S3 endpoint %q, want %q", got, tc.wantS3)
			}
			if c.S3.Options().UsePathStyle != tc.wantPath || c.DynamoDB.Options().DisableValidateResponseChecksum != tc.wantNoCRC {
				t.Errorf("path style %v, no CRC check %v; want %v, %v", c.S3.Options().UsePathStyle, c.DynamoDB.Options().DisableValidateResponseChecksum, tc.wantPath, tc.wantNoCRC)
			}
			if awsconf.Overridden(cfg, "S3") != (tc.wantS3 != "") || awsconf.Overridden(cfg, "SQS") != (tc.wantSQS != "") {
				t.Errorf("Overridden disagrees with the clients")
			}
			if cfg.Region == "" {
				t.Error("no region")
			}
		})
	}
}
