package main

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The shape of a DynamoDB table as parity_test.go compares it: the same
// from a CreateTable request (the provisioner's), a described table (the
// emulator's) and the template.

// tableShape is the part of a table both sides define.
type tableShape struct {
	Name       string
	Keys       []string          // "pk HASH", "sk RANGE"
	Attributes map[string]string // name → type
	Indexes    map[string]string // name → "keys | projection | attributes"
	OnDemand   bool
	TTL        string
}

// shapeFromInput is the shape of a CreateTable request (the provisioner's).
func shapeFromInput(in *dynamodb.CreateTableInput, ttl string) tableShape {
	s := tableShape{Name: aws.ToString(in.TableName), Attributes: map[string]string{}, Indexes: map[string]string{},
		OnDemand: in.BillingMode == ddbtypes.BillingModePayPerRequest, TTL: ttl}
	for _, k := range in.KeySchema {
		s.Keys = append(s.Keys, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
	}
	for _, a := range in.AttributeDefinitions {
		s.Attributes[aws.ToString(a.AttributeName)] = string(a.AttributeType)
	}
	for _, ix := range in.GlobalSecondaryIndexes {
		var keys []string
		for _, k := range ix.KeySchema {
			keys = append(keys, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
		}
		s.Indexes[aws.ToString(ix.IndexName)] = indexShape(keys, string(ix.Projection.ProjectionType), ix.Projection.NonKeyAttributes)
	}
	return s
}

// shapeFromDescription is the shape of a described table (the emulator's).
func shapeFromDescription(d *ddbtypes.TableDescription, ttl string) tableShape {
	in := &dynamodb.CreateTableInput{TableName: d.TableName, KeySchema: d.KeySchema, AttributeDefinitions: d.AttributeDefinitions}
	if d.BillingModeSummary != nil {
		in.BillingMode = d.BillingModeSummary.BillingMode
	}
	for _, ix := range d.GlobalSecondaryIndexes {
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, ddbtypes.GlobalSecondaryIndex{
			IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection})
	}
	return shapeFromInput(in, ttl)
}

// shapeFromTemplate is the shape of the template's table.
func shapeFromTemplate(p map[string]any) tableShape {
	s := tableShape{Name: p["TableName"].(string), Attributes: map[string]string{}, Indexes: map[string]string{},
		OnDemand: p["BillingMode"] == "PAY_PER_REQUEST"}
	keys := func(v any) (out []string) {
		for _, k := range list(v) {
			m := k.(map[string]any)
			out = append(out, m["AttributeName"].(string)+" "+m["KeyType"].(string))
		}
		return out
	}
	s.Keys = keys(p["KeySchema"])
	for _, a := range list(p["AttributeDefinitions"]) {
		m := a.(map[string]any)
		s.Attributes[m["AttributeName"].(string)] = m["AttributeType"].(string)
	}
	for _, ix := range list(p["GlobalSecondaryIndexes"]) {
		m := ix.(map[string]any)
		proj := m["Projection"].(map[string]any)
		var nonKey []string
		for _, a := range list(proj["NonKeyAttributes"]) {
			nonKey = append(nonKey, a.(string))
		}
		s.Indexes[m["IndexName"].(string)] = indexShape(keys(m["KeySchema"]), proj["ProjectionType"].(string), nonKey)
	}
	if ttl, ok := p["TimeToLiveSpecification"].(map[string]any); ok && ttl["Enabled"] == true {
		s.TTL = ttl["AttributeName"].(string)
	}
	return s
}

func indexShape(keys []string, projection string, nonKey []string) string {
	nonKey = slices.Sorted(slices.Values(nonKey))
	return strings.Join(keys, ",") + " | " + projection + " | " + strings.Join(nonKey, ",")
}
