package main

import (
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/awsrt"
	"github.com/wagate/wagate/shared/metrics"
)

// Alarm thresholds.
const (
	alarmPeriodMinutes = 5
	// webhookFailuresThreshold: failed delivery attempts in one period
	// (a CRM that is down for a few minutes trips it).
	webhookFailuresThreshold = 10
	// api5xxThreshold: 5xx answers of the HTTP API in one period.
	api5xxThreshold = 5
	// commandAgeSeconds: a command older than this means the connector
	// is not consuming the queue.
	commandAgeSeconds = 300
	// connectorMemoryPercent: above it a task risks being killed.
	connectorMemoryPercent = 85
)

// Ops is the alarm topic and the alarms.
type Ops struct {
	Topic  awssns.Topic
	Alarms []awscloudwatch.Alarm
}

// NewOps creates the alarm topic (with an e-mail subscription when
// configured), the alarms and the stack outputs.
func NewOps(scope constructs.Construct, c Config, n *Network, d *Data, e *Events, a *API, k *Connector) *Ops {
	s := constructs.NewConstruct(scope, jsii.String("Ops"))
	o := &Ops{Topic: awssns.NewTopic(s, jsii.String("Alarms"), &awssns.TopicProps{
		TopicName: jsii.String(c.StackName() + "-alarms"), DisplayName: jsii.String("wagate " + c.Names.Stage + " alarms"),
	})}
	if c.AlarmEmail != "" {
		o.Topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(c.AlarmEmail), nil))
	}
	period := awscdk.Duration_Minutes(jsii.Number(alarmPeriodMinutes))
	opts := func(stat string) *awscloudwatch.MetricOptions {
		return &awscloudwatch.MetricOptions{Period: period, Statistic: jsii.String(stat)}
	}
	gte, gt, lt := awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD, awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD
	notBreaching, breaching := awscloudwatch.TreatMissingData_NOT_BREACHING, awscloudwatch.TreatMissingData_BREACHING

	alarms := []struct {
		id, what  string
		metric    awscloudwatch.IMetric
		op        awscloudwatch.ComparisonOperator
		threshold float64
		periods   float64
		missing   awscloudwatch.TreatMissingData
	}{
		{"CommandDlq", "commands were dead-lettered (received " + strconv.Itoa(awsres.QueueMaxReceiveCount) + " times without success)",
			d.CommandDLQ.MetricApproximateNumberOfMessagesVisible(opts("Maximum")), gte, 1, 1, notBreaching},
		{"WebhookDlq", "webhook events were dead-lettered (EventBridge or the function gave up)",
			e.WebhookDLQ.MetricApproximateNumberOfMessagesVisible(opts("Maximum")), gte, 1, 1, notBreaching},
		{"WebhookFailures", "webhook delivery attempts failed (CRM down or refusing)",
			awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
				Namespace: jsii.String(awsrt.MetricsNamespace), MetricName: jsii.String(metrics.WebhookFailures),
				DimensionsMap: &map[string]*string{"Service": jsii.String("webhook"), "Stage": jsii.String(c.Names.Stage)},
				Period:        period, Statistic: jsii.String("Sum"),
			}), gte, webhookFailuresThreshold, 1, notBreaching},
		{"WebhookInvocations", "EventBridge could not invoke the webhook function",
			awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
				Namespace: jsii.String("AWS/Events"), MetricName: jsii.String("FailedInvocations"),
				DimensionsMap: &map[string]*string{"RuleName": e.Rule.RuleName(), "EventBusName": e.Bus.EventBusName()},
				Period:        period, Statistic: jsii.String("Sum"),
			}), gte, 1, 1, notBreaching},
		{"ConnectorNotRunning", "no connector task is running (no ECS metrics)",
			k.Service.MetricCpuUtilization(opts("SampleCount")), lt, 1, 2, breaching},
		{"ConnectorStalled", "commands wait in the queue: the connector is not consuming",
			d.CommandQueue.MetricApproximateAgeOfOldestMessage(opts("Maximum")), gt, commandAgeSeconds, 1, notBreaching},
		{"ConnectorMemory", "the connector task is close to its memory limit",
			k.Service.MetricMemoryUtilization(opts("Average")), gt, connectorMemoryPercent, 3, notBreaching},
		{"Api5xx", "the HTTP API answered 5xx",
			a.HTTPAPI.MetricServerError(opts("Sum")), gte, api5xxThreshold, 1, notBreaching},
	}
	action := awscloudwatchactions.NewSnsAction(o.Topic)
	for _, al := range alarms {
		alarm := awscloudwatch.NewAlarm(s, jsii.String(al.id+"Alarm"), &awscloudwatch.AlarmProps{
			AlarmName:          jsii.String(c.StackName() + "-" + al.id),
			AlarmDescription:   jsii.String("wagate " + c.Names.Stage + ": " + al.what),
			Metric:             al.metric,
			ComparisonOperator: al.op,
			Threshold:          jsii.Number(al.threshold),
			EvaluationPeriods:  jsii.Number(al.periods),
			TreatMissingData:   al.missing,
		})
		alarm.AddAlarmAction(action)
		alarm.AddOkAction(action)
		o.Alarms = append(o.Alarms, alarm)
	}

	outputs := []struct{ id, value, what string }{
		{"ApiUrl", *a.Stage.Url(), "base URL of the HTTP API (routes under /api)"},
		{"EgressIp", *n.EgressIP.AttrPublicIp(), "the fixed IP every webhook is sent from: CRM firewalls allow-list it"},
		{"TableName", *d.Table.TableName(), "DynamoDB table"},
		{"MediaBucketName", *d.Bucket.BucketName(), "S3 media bucket"},
		{"CommandQueueName", *d.CommandQueue.QueueName(), "SQS FIFO command queue"},
		{"CommandQueueUrl", *d.CommandQueue.QueueUrl(), "SQS FIFO command queue URL"},
		{"CommandDlqName", *d.CommandDLQ.QueueName(), "command dead-letter queue"},
		{"WebhookDlqName", *e.WebhookDLQ.QueueName(), "webhook dead-letter queue"},
		{"EventBusName", *e.Bus.EventBusName(), "EventBridge bus"},
		{"ConnectorService", *k.Service.ServiceName(), "ECS service of the connector (cluster of the same name)"},
		{"AlarmTopicArn", *o.Topic.TopicArn(), "SNS topic of the alarms"},
		{"ApiKeysSecretName", APIKeysSecretName(c.Names.Stage), "Secrets Manager secret with the API keys (comma-separated)"},
	}
	for _, out := range outputs {
		awscdk.NewCfnOutput(scope, jsii.String(out.id), &awscdk.CfnOutputProps{
			Value: jsii.String(out.value), Description: jsii.String(out.what),
		})
	}
	return o
}
