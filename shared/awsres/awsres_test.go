package awsres_test

import (
	"strings"
	"testing"

	"github.com/wagate/wagate/shared/awsres"
)

func TestNames(t *testing.T) {
	s, err := awsres.Names("")
	if err != nil {
		t.Fatal(err)
	}
	if s.Stage != awsres.DefaultStage || !strings.HasSuffix(s.CommandQueue, ".fifo") || !strings.HasSuffix(s.CommandDLQ, ".fifo") ||
		s.Bucket("123456789012") != "wagate-dev-media-123456789012" || s.Bucket("") != "wagate-dev-media" ||
		s.DeviceTable != "wagate-dev-devices" || s.DeviceTable == s.Table {
		t.Fatalf("Names(\"\") = %+v", s)
	}
	for _, bad := range []string{"Prod", "a_b", "-x", strings.Repeat("a", 21)} {
		if _, err := awsres.Names(bad); err == nil {
			t.Errorf("Names(%q) accepted it", bad)
		}
	}
}

func TestQueueAttributes(t *testing.T) {
	a := awsres.CommandQueueAttributes("arn:aws:sqs:us-east-1:1:dlq.fifo")
	if a["FifoQueue"] != "true" || a["VisibilityTimeout"] != "60" || a["ReceiveMessageWaitTimeSeconds"] != "0" ||
		!strings.Contains(a["RedrivePolicy"], `"maxReceiveCount":"5"`) {
		t.Fatalf("command queue attributes %v", a)
	}
	if w := awsres.WebhookQueueAttributes("arn"); w["FifoQueue"] != "" || w["VisibilityTimeout"] != "60" {
		t.Fatalf("webhook queue attributes %v", w)
	}
}
