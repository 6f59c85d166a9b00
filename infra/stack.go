package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Wagate is the whole aws runtime of one stage, as one stack.
type Wagate struct {
	Stack     awscdk.Stack
	Network   *Network
	Data      *Data
	Events    *Events
	API       *API
	Connector *Connector
	Ops       *Ops
}

// NewStack creates the stack of c's stage in scope.
func NewStack(scope constructs.Construct, c Config) *Wagate {
	stack := awscdk.NewStack(scope, jsii.String(c.StackName()), &awscdk.StackProps{
		StackName:             jsii.String(c.StackName()),
		Description:           jsii.String("wagate " + c.Names.Stage + ": WhatsApp HTTP API for CRMs (aws runtime)"),
		Env:                   &awscdk.Environment{Account: jsii.String(c.Account), Region: jsii.String(c.Region)},
		TerminationProtection: jsii.Bool(c.Production),
	})
	awscdk.Tags_Of(stack).Add(jsii.String("app"), jsii.String("wagate"), nil)
	awscdk.Tags_Of(stack).Add(jsii.String("stage"), jsii.String(c.Names.Stage), nil)

	w := &Wagate{Stack: stack}
	w.Network = NewNetwork(stack, c)
	w.Data = NewData(stack, c)
	bus := NewEventBus(stack, c)
	w.Events = NewEvents(stack, c, w.Network, w.Data, bus)
	w.API = NewAPI(stack, c, w.Network, w.Data, bus)
	w.Connector = NewConnector(stack, c, w.Network, w.Data, bus)
	w.Ops = NewOps(stack, c, w.Network, w.Data, w.Events, w.API, w.Connector)
	return w
}
