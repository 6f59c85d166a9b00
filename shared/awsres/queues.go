package awsres

import (
	"encoding/json"
	"strconv"
	"time"
)

// CommandDLQAttributes are the attributes of the commands' dead-letter
// queue (FIFO, like its source).
func CommandDLQAttributes() map[string]string {
	return map[string]string{
		"FifoQueue":              "true",
		"MessageRetentionPeriod": secs(DLQRetention),
		"SqsManagedSseEnabled":   "true",
	}
}

// CommandQueueAttributes are the attributes of the command queue: FIFO with
// high throughput per message group (one group per session), deduplication
// by the command id the producer sets, the visibility and retention,
// and a redrive to dlqARN after QueueMaxReceiveCount receives.
//
// The queue's default receive wait stays 0: consumers ask for long polls
// (QueueLongPoll) in each call, and a short poll can only be had
// from the queue default, because the SDK leaves WaitTimeSeconds=0 out of
// the request.
func CommandQueueAttributes(dlqARN string) map[string]string {
	redrive, _ := json.Marshal(map[string]string{
		"deadLetterTargetArn": dlqARN,
		"maxReceiveCount":     strconv.Itoa(QueueMaxReceiveCount),
	})
	return map[string]string{
		"FifoQueue":                     "true",
		"ContentBasedDeduplication":     "false",
		"DeduplicationScope":            "messageGroup",
		"FifoThroughputLimit":           "perMessageGroupId",
		"VisibilityTimeout":             secs(QueueVisibility),
		"MessageRetentionPeriod":        secs(QueueRetention),
		"ReceiveMessageWaitTimeSeconds": "0",
		"RedrivePolicy":                 string(redrive),
		"SqsManagedSseEnabled":          "true",
	}
}

// WebhookDLQAttributes are the attributes of the queue of events the
// webhook target gave up on.
func WebhookDLQAttributes() map[string]string {
	return map[string]string{
		"MessageRetentionPeriod": secs(DLQRetention),
		"SqsManagedSseEnabled":   "true",
	}
}

// WebhookQueueAttributes are the attributes of the emulator's webhook event
// queue: a message is one delivery attempt of the local runner, hidden for
// a webhook attempt's duration, retried up to QueueMaxReceiveCount
// times before it goes to dlqARN.
func WebhookQueueAttributes(dlqARN string) map[string]string {
	a := CommandQueueAttributes(dlqARN)
	for _, k := range []string{"FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"} {
		delete(a, k)
	}
	a["VisibilityTimeout"] = secs(WebhookTimeout)
	return a
}

// secs formats d as whole seconds.
func secs(d time.Duration) string { return strconv.Itoa(int(d / time.Second)) }
