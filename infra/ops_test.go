package main

import (
	"testing"

	"github.com/wagate/wagate/shared/metrics"
)

func TestAlarms(t *testing.T) {
	s := dev(t)
	topic := s.resources("AWS::SNS::Topic")
	if len(topic) != 1 {
		t.Fatalf("%d SNS topics, want 1", len(topic))
	}
	want := map[string]struct {
		namespace, metric string
		dims              []string // resources the dimensions must refer to
	}{
		"CommandDlq":          {"AWS/SQS", "ApproximateNumberOfMessagesVisible", []string{"DataCommandDlq"}},
		"WebhookDlq":          {"AWS/SQS", "ApproximateNumberOfMessagesVisible", []string{"EventsWebhookDlq"}},
		"WebhookFailures":     {"wagate", metrics.WebhookFailures, nil},
		"WebhookInvocations":  {"AWS/Events", "FailedInvocations", []string{"EventsWebhookRule", "EventBus"}},
		"ConnectorNotRunning": {"AWS/ECS", "CPUUtilization", []string{"ConnectorCluster", "ConnectorService"}},
		"ConnectorStalled":    {"AWS/SQS", "ApproximateAgeOfOldestMessage", []string{"DataCommandQueue"}},
		"ConnectorMemory":     {"AWS/ECS", "MemoryUtilization", []string{"ConnectorCluster", "ConnectorService"}},
		"Api5xx":              {"AWS/ApiGateway", "5xx", []string{"ApiHttpApi"}},
	}
	alarms := s.resources("AWS::CloudWatch::Alarm")
	if len(alarms) != len(want) {
		t.Errorf("%d alarms, want %d", len(alarms), len(want))
	}
	for id, w := range want {
		t.Run(id, func(t *testing.T) {
			a := s.one(t, "AWS::CloudWatch::Alarm", "AlarmName", s.cfg.StackName()+"-"+id)
			if a.Props["Namespace"] != w.namespace || a.Props["MetricName"] != w.metric {
				t.Errorf("metric %v/%v, want %s/%s", a.Props["Namespace"], a.Props["MetricName"], w.namespace, w.metric)
			}
			ids, lits := refs(a.Props["Dimensions"])
			for _, d := range w.dims {
				ok := false
				for _, i := range append(ids, lits...) {
					ok = ok || hasPrefix(i, d) || hasPrefix(i, "wagate-dev-"+d)
				}
				if !ok {
					t.Errorf("dimensions %v do not refer to %s", a.Props["Dimensions"], d)
				}
			}
			if !refersTo(a.Props["AlarmActions"], topic[0].ID) || !refersTo(a.Props["OKActions"], topic[0].ID) {
				t.Errorf("alarm actions %v / %v do not notify the topic", a.Props["AlarmActions"], a.Props["OKActions"])
			}
		})
	}
	// No running connector task means no ECS data: that must alarm.
	if a := s.one(t, "AWS::CloudWatch::Alarm", "AlarmName", s.cfg.StackName()+"-ConnectorNotRunning"); a.Props["TreatMissingData"] != "breaching" {
		t.Errorf("ConnectorNotRunning treats missing data as %v", a.Props["TreatMissingData"])
	}
	has(t, prod(t), "AWS::SNS::Subscription", map[string]any{"Protocol": "email", "Endpoint": testAlarmEmail})
	count(t, s, "AWS::SNS::Subscription", 0)
}

func TestOutputs(t *testing.T) {
	s := dev(t)
	outs := s.raw["Outputs"].(map[string]any)
	for _, id := range []string{"ApiUrl", "EgressIp", "TableName", "MediaBucketName", "CommandQueueName", "CommandQueueUrl",
		"CommandDlqName", "WebhookDlqName", "EventBusName", "ConnectorService", "AlarmTopicArn", "ApiKeysSecretName"} {
		if _, ok := outs[id]; !ok {
			t.Errorf("no output %s", id)
		}
	}
}
