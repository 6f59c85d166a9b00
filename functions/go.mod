module github.com/wagate/wagate/functions

go 1.26.8

require (
	github.com/wagate/wagate/events v0.0.0
	github.com/wagate/wagate/shared v0.0.0
)

require (
	github.com/aws/aws-lambda-go v1.55.1 // indirect
	github.com/awslabs/aws-lambda-go-api-proxy v0.16.2 // indirect
)

replace (
	github.com/wagate/wagate/events => ../events
	github.com/wagate/wagate/shared => ../shared
)
