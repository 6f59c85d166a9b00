// Command webhook is the webhook function. As the target of the bus rule it
// delivers each wagate event to the session's webhook URL (and Frappe's),
// signed; a failed attempt returns an error so Lambda retries the event
// (its async retries, then the webhook DLQ). As the target of the schedule
// rule (every minute) it sweeps: it claims the deliveries that are due —
// the rest of the retry schedule, replays — and attempts them. Outside
// Lambda it consumes the queue the rule targets in an emulator without a
// Lambda host (`make run-aws-local`) and sweeps every minute itself.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/wagate/wagate/shared/awsrt"
)

func main() {
	ctx, rt, stop := awsrt.Boot("webhook")
	defer stop()
	h, err := rt.WebhookHandler()
	if err != nil {
		awsrt.Exit("webhook", err)
	}
	if !awsrt.InLambda() {
		if err := rt.ConsumeWebhookQueue(ctx, h); err != nil {
			awsrt.Exit("webhook", err)
		}
		return
	}
	lambda.StartWithOptions(rt.WebhookLambda(h), lambda.WithContext(ctx))
}
