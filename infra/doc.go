// Package infra will hold the CDK app (in Go) that deploys the aws runtime.
// It is a placeholder until the deployment issue.
package infra
