// Package functions holds the AWS Lambda entry points (api/, webhook/). They
// are thin mains that wire the shared HTTP API and webhook deliverer to the
// aws adapters; they arrive with the aws runtime.
package functions
