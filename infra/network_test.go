package main

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
)

func TestEgressIP(t *testing.T) {
	s := dev(t)
	count(t, s, "AWS::EC2::EIP", 1)
	count(t, s, "AWS::EC2::NatGateway", natGateways)
	eip := s.resources("AWS::EC2::EIP")[0]
	if eip.Props["Domain"] != "vpc" {
		t.Errorf("EIP domain %v", eip.Props["Domain"])
	}
	has(t, s, "AWS::EC2::NatGateway", map[string]any{
		"AllocationId": map[string]any{"Fn::GetAtt": []any{eip.ID, "AllocationId"}},
	})
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("EgressIp output: %v", r)
			}
		}()
		s.tpl.HasOutput(strp("EgressIp"), map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{eip.ID, "PublicIp"}}})
	}()
	// The private subnets route to the internet through that NAT gateway only.
	nat := s.resources("AWS::EC2::NatGateway")[0]
	natRoutes := 0
	for _, r := range s.resources("AWS::EC2::Route") {
		if refersTo(r.Props["NatGatewayId"], nat.ID) {
			natRoutes++
		}
	}
	if natRoutes != networkAZs {
		t.Errorf("%d routes through the NAT gateway, want %d (one per private subnet)", natRoutes, networkAZs)
	}
	if p := prod(t).resources("AWS::EC2::EIP")[0]; p.Raw["DeletionPolicy"] != "Retain" {
		t.Errorf("prod EIP DeletionPolicy %v, want Retain", p.Raw["DeletionPolicy"])
	}
	if prod(t).w.Stack.TerminationProtection() == nil || !*prod(t).w.Stack.TerminationProtection() {
		t.Error("prod stack without termination protection")
	}
}

func TestComputeInPrivateSubnets(t *testing.T) {
	s := dev(t)
	private := map[string]bool{}
	for _, sn := range s.resources("AWS::EC2::Subnet") {
		if sn.Props["MapPublicIpOnLaunch"] == false {
			private[sn.ID] = true
		}
		if az := sn.Props["AvailabilityZone"]; az != "us-east-1a" && az != "us-east-1b" {
			t.Errorf("subnet %s in %v: cdk.context.json's zones were not used", sn.ID, az)
		}
	}
	if len(private) != networkAZs {
		t.Fatalf("%d private subnets, want %d", len(private), networkAZs)
	}
	check := func(what string, subnets any) {
		ids, _ := refs(subnets)
		if len(ids) != networkAZs {
			t.Errorf("%s in %v, want the %d private subnets", what, ids, networkAZs)
		}
		for _, id := range ids {
			if !private[id] {
				t.Errorf("%s in non-private subnet %s", what, id)
			}
		}
	}
	for _, f := range s.resources("AWS::Lambda::Function") {
		check(f.ID, f.Props["VpcConfig"].(map[string]any)["SubnetIds"])
	}
	svc := s.resources("AWS::ECS::Service")[0]
	check(svc.ID, svc.Props["NetworkConfiguration"].(map[string]any)["AwsvpcConfiguration"].(map[string]any)["Subnets"])
	// S3 and DynamoDB through free gateway endpoints, not the NAT.
	for _, svcName := range []string{"s3", "dynamodb"} {
		has(t, s, "AWS::EC2::VPCEndpoint", map[string]any{
			"VpcEndpointType": "Gateway",
			"ServiceName":     assertions.Match_ObjectLike(&map[string]any{"Fn::Join": assertions.Match_ArrayWith(&[]any{assertions.Match_ArrayWith(&[]any{"." + svcName})})}),
		})
	}
}

func strp(s string) *string { return &s }
