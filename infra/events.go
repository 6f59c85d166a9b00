package main

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/wagate/wagate/shared/awsres"
)

// The webhook function's own asynchronous-invocation settings.
// EventBridge invokes a Lambda target asynchronously: its retry policy
// (awsres.WebhookRetryAttempts over awsres.WebhookMaxEventAge) covers
// failures to hand the event to Lambda (throttling, service errors), and
// Lambda's async configuration covers the function returning an error
// (awsrt.ErrRetry): at most 2 more attempts within 6 h (Lambda's
// maxima), then the same dead-letter queue. The delivery stays pending in
// the table meanwhile: the sweep (below) makes the rest of the retry
// schedule's attempts, and the replays.
const (
	webhookAsyncRetries     = 2
	webhookAsyncMaxEventAge = 6 * time.Hour
)

// The sweep's target settings: a tick EventBridge cannot hand over is not
// retried (the next one comes a minute later; 60 s is the least maximum
// age EventBridge takes).
const (
	sweepRetryAttempts = 0
	sweepMaxEventAge   = time.Minute
)

// Events is the event side: the custom bus the connector publishes to,
// the rule that sends every wagate event to the webhook function, the
// schedule rule that runs its sweep, and the dead-letter queue of events
// that could not be delivered.
type Events struct {
	Bus        awsevents.EventBus
	Rule       awsevents.Rule
	SweepRule  awsevents.Rule
	Webhook    awslambda.Function
	WebhookDLQ awssqs.Queue
}

// NewEventBus creates the bus on its own, so the api function and the
// connector can be granted it before the webhook side exists.
func NewEventBus(scope constructs.Construct, c Config) awsevents.EventBus {
	return awsevents.NewEventBus(scope, jsii.String("EventBus"), &awsevents.EventBusProps{
		EventBusName: jsii.String(c.Names.EventBus),
		Description:  jsii.String("wagate events (" + c.Names.Stage + ")"),
	})
}

// NewEvents creates the webhook DLQ, the webhook function, the rule on
// bus that targets it with a retry policy, a maximum event age and the
// DLQ, and the schedule rule (default bus) that runs its sweep.
func NewEvents(scope constructs.Construct, c Config, n *Network, d *Data, bus awsevents.EventBus) *Events {
	s := constructs.NewConstruct(scope, jsii.String("Events"))
	e := &Events{Bus: bus}
	e.WebhookDLQ = awssqs.NewQueue(s, jsii.String("WebhookDlq"), &awssqs.QueueProps{
		QueueName:       jsii.String(c.Names.WebhookDLQ),
		RetentionPeriod: seconds(awsres.DLQRetention),
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RemovalPolicy:   awscdk.RemovalPolicy_DESTROY,
	})

	env := runtimeEnv(c, d, bus)
	var secrets []string
	if c.FrappeWebhookURL != "" {
		env["FRAPPE_WEBHOOK_URL"], env[FrappeSecretEnv] = c.FrappeWebhookURL, FrappeSecretName(c.Names.Stage)
		secrets = append(secrets, *secretARN(s, FrappeSecretName(c.Names.Stage)))
	}
	fn, role := newGoFunction(s, c, n, goFunction{
		id: "WebhookFunction", name: c.Names.WebhookFunc, main: "webhook", timeout: awsres.WebhookTimeout, env: env,
	})
	grantWebhook(role, d, secrets)
	// The on-failure destination as a plain resource: the L2 destination
	// would also grant sqs:GetQueueUrl and GetQueueAttributes, which
	// Lambda does not use.
	role.AddToPrincipalPolicy(allow(dlqSend, e.WebhookDLQ.QueueArn()))
	invoke := awslambda.NewCfnEventInvokeConfig(s, jsii.String("WebhookAsync"), &awslambda.CfnEventInvokeConfigProps{
		FunctionName:             fn.FunctionName(),
		Qualifier:                jsii.String("$LATEST"),
		MaximumRetryAttempts:     jsii.Number(webhookAsyncRetries),
		MaximumEventAgeInSeconds: jsii.Number(awsres.Seconds(webhookAsyncMaxEventAge)),
		DestinationConfig: &awslambda.CfnEventInvokeConfig_DestinationConfigProperty{
			OnFailure: &awslambda.CfnEventInvokeConfig_OnFailureProperty{Destination: e.WebhookDLQ.QueueArn()},
		},
	})
	invoke.Node().AddDependency(role) // Lambda checks the permission when the config is created
	e.Webhook = fn

	e.Rule = awsevents.NewRule(s, jsii.String("WebhookRule"), &awsevents.RuleProps{
		RuleName:     jsii.String(c.Names.WebhookRule),
		Description:  jsii.String("every wagate event to the webhook deliverer"),
		EventBus:     bus,
		EventPattern: &awsevents.EventPattern{Source: jsii.Strings(awsres.EventSource)},
	})
	e.Rule.AddTarget(awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{
		RetryAttempts:   jsii.Number(awsres.WebhookRetryAttempts),
		MaxEventAge:     seconds(awsres.WebhookMaxEventAge),
		DeadLetterQueue: e.WebhookDLQ,
	}))
	e.SweepRule = newSweepRule(s, c, fn)
	return e
}

// newSweepRule creates the schedule rule that invokes fn every
// awsres.WebhookSweepRate with a "Scheduled Event" (awsrt.Envelope
// .Scheduled): the sweep claims the deliveries that are due (retries,
// replays) and attempts them. The target's permission is granted for this
// rule only.
func newSweepRule(scope constructs.Construct, c Config, fn awslambda.Function) awsevents.Rule {
	rule := awsevents.NewRule(scope, jsii.String("WebhookSweepRule"), &awsevents.RuleProps{
		RuleName:    jsii.String(c.Names.WebhookSweepRule),
		Description: jsii.String("the webhook function's sweep: due retries and replays"),
		Schedule:    awsevents.Schedule_Rate(seconds(awsres.WebhookSweepRate)),
	})
	rule.AddTarget(awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{
		RetryAttempts: jsii.Number(sweepRetryAttempts),
		MaxEventAge:   seconds(sweepMaxEventAge),
	}))
	return rule
}
