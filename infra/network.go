package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Network sizes.
const (
	// networkAZs: two zones, the minimum for a VPC that Fargate and
	// Lambda can fail over in.
	networkAZs = 2
	// natGateways: one NAT gateway with one Elastic IP, so every outbound
	// connection of wagate leaves from one address.
	natGateways = 1
	vpcCIDR     = "10.40.0.0/16"
)

// Network is the VPC the functions and the connector run in: private
// subnets whose only way out is a NAT gateway with a fixed Elastic IP.
// CRM firewalls allow-list that one address (client-compat.md), so the
// webhook function (and the api function's test webhook, and the
// connector's media fetches) send from it. S3 and DynamoDB are reached
// through gateway endpoints (free, and off the NAT's per-GB charge).
type Network struct {
	VPC awsec2.Vpc
	// EgressIP is the NAT gateway's Elastic IP.
	EgressIP awsec2.CfnEIP
	// FunctionsSG and ConnectorSG allow every outbound connection and no
	// inbound one.
	FunctionsSG awsec2.SecurityGroup
	ConnectorSG awsec2.SecurityGroup
}

// PrivateSubnets selects the subnets the compute runs in.
func (n *Network) PrivateSubnets() *awsec2.SubnetSelection {
	return &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS}
}

// NewNetwork creates the VPC, the NAT gateway with its Elastic IP, the
// gateway endpoints and the security groups.
func NewNetwork(scope constructs.Construct, c Config) *Network {
	s := constructs.NewConstruct(scope, jsii.String("Network"))
	n := &Network{}
	n.EgressIP = awsec2.NewCfnEIP(s, jsii.String("EgressIp"), &awsec2.CfnEIPProps{
		Domain: jsii.String("vpc"),
		Tags:   &[]*awscdk.CfnTag{{Key: jsii.String("Name"), Value: jsii.String(c.StackName() + "-egress")}},
	})
	if c.Production {
		// The allow-listed address must outlive an accidental stack
		// deletion (the stack has termination protection too).
		n.EgressIP.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN, nil)
	}
	n.VPC = awsec2.NewVpc(s, jsii.String("Vpc"), &awsec2.VpcProps{
		VpcName:     jsii.String(c.StackName()),
		IpAddresses: awsec2.IpAddresses_Cidr(jsii.String(vpcCIDR)),
		MaxAzs:      jsii.Number(networkAZs),
		NatGateways: jsii.Number(natGateways),
		NatGatewayProvider: awsec2.NatProvider_Gateway(&awsec2.NatGatewayProps{
			EipAllocationIds: &[]*string{n.EgressIP.AttrAllocationId()},
		}),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{
			{Name: jsii.String("public"), SubnetType: awsec2.SubnetType_PUBLIC, CidrMask: jsii.Number(24)},
			{Name: jsii.String("private"), SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS, CidrMask: jsii.Number(20)},
		},
		// Nothing uses the default security group; restricting it would
		// add a custom-resource Lambda for no gain.
		RestrictDefaultSecurityGroup: jsii.Bool(false),
		GatewayEndpoints: &map[string]*awsec2.GatewayVpcEndpointOptions{
			"S3":       {Service: awsec2.GatewayVpcEndpointAwsService_S3()},
			"DynamoDB": {Service: awsec2.GatewayVpcEndpointAwsService_DYNAMODB()},
		},
	})
	n.FunctionsSG = awsec2.NewSecurityGroup(s, jsii.String("FunctionsSg"), &awsec2.SecurityGroupProps{
		Vpc: n.VPC, AllowAllOutbound: jsii.Bool(true),
		Description: jsii.String("wagate functions: outbound only (webhooks to any CRM, AWS APIs)"),
	})
	n.ConnectorSG = awsec2.NewSecurityGroup(s, jsii.String("ConnectorSg"), &awsec2.SecurityGroupProps{
		Vpc: n.VPC, AllowAllOutbound: jsii.Bool(true),
		Description: jsii.String("wagate connector: outbound only (WhatsApp, media URLs, AWS APIs)"),
	})
	return n
}
