package main

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/wagate/wagate/shared/dynamo"
)

// statement is one policy statement, with where it comes from.
type statement struct {
	from      string // logical id of the policy (or role, queue policy, …)
	principal []string
	effect    string
	actions   []string
	resources []any
	raw       map[string]any
}

// statements returns every policy statement of the template: identity
// policies (AWS::IAM::Policy, inline role policies) with the roles they
// attach to, and resource policies (queues, bucket, topic).
func (s *synthed) statements() []statement {
	var out []statement
	add := func(from string, roles []string, doc any) {
		for _, st := range list(doc.(map[string]any)["Statement"]) {
			m := st.(map[string]any)
			var actions []string
			for _, a := range list(m["Action"]) {
				actions = append(actions, a.(string))
			}
			out = append(out, statement{from: from, principal: roles, effect: m["Effect"].(string),
				actions: actions, resources: list(m["Resource"]), raw: m})
		}
	}
	for _, p := range s.resources("AWS::IAM::Policy") {
		roles, _ := refs(p.Props["Roles"])
		add(p.ID, roles, p.Props["PolicyDocument"])
	}
	for _, r := range s.resources("AWS::IAM::Role") {
		for _, p := range list(r.Props["Policies"]) {
			add(r.ID, []string{r.ID}, p.(map[string]any)["PolicyDocument"])
		}
	}
	for _, typ := range []string{"AWS::SQS::QueuePolicy", "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy"} {
		for _, p := range s.resources(typ) {
			add(p.ID, nil, p.Props["PolicyDocument"])
		}
	}
	return out
}

// starResourceActions are the only actions allowed on Resource "*": they
// support no resource-level permissions (iam.go, vpcENI).
var starResourceActions = append(slices.Clone(vpcENI), "ecr:GetAuthorizationToken")

func TestNoWildcards(t *testing.T) {
	for name, s := range map[string]*synthed{"dev": dev(t), "prod": prod(t)} {
		t.Run(name, func(t *testing.T) {
			sts := s.statements()
			if len(sts) < 10 {
				t.Fatalf("only %d statements found", len(sts))
			}
			for _, st := range sts {
				if st.effect != "Allow" {
					continue // the TLS-only denies name sqs:* / s3:*, as they must
				}
				for _, a := range st.actions {
					if strings.Contains(a, "*") {
						t.Errorf("%s allows wildcard action %q", st.from, a)
					}
				}
				for _, r := range st.resources {
					if r != "*" {
						continue
					}
					for _, a := range st.actions {
						if !slices.Contains(starResourceActions, a) {
							t.Errorf("%s allows %s on every resource", st.from, a)
						}
					}
				}
			}
			for _, r := range s.resources("AWS::IAM::Role") {
				if mp, ok := r.Props["ManagedPolicyArns"]; ok {
					t.Errorf("role %s has managed policies %v: write the statements", r.ID, mp)
				}
			}
		})
	}
}

// roleGrants returns action → the resources' targets (logical-id prefixes
// or literals) of the identity policies attached to the role with prefix.
func roleGrants(t *testing.T, s *synthed, rolePrefix string) map[string][]string {
	t.Helper()
	var role string
	for _, r := range s.resources("AWS::IAM::Role") {
		if strings.HasPrefix(r.ID, rolePrefix) {
			if role != "" {
				t.Fatalf("two roles named %s…", rolePrefix)
			}
			role = r.ID
		}
	}
	if role == "" {
		t.Fatalf("no role %s…", rolePrefix)
	}
	out := map[string][]string{}
	for _, st := range s.statements() {
		if st.effect != "Allow" || !slices.Contains(st.principal, role) {
			continue
		}
		for _, a := range st.actions {
			for _, r := range st.resources {
				ids, lits := refs(r)
				out[a] = append(out[a], strings.Join(ids, "+")+strings.Join(lits, ""))
			}
		}
	}
	for a := range out {
		sort.Strings(out[a])
		out[a] = slices.Compact(out[a])
	}
	return out
}

// TestLeastPrivilege pins each principal's grants: the exact actions, and
// for each the resources it is scoped to.
func TestLeastPrivilege(t *testing.T) {
	s := prod(t) // with the Frappe secret
	table := []string{"DataTable"}
	for _, ix := range dynamo.TableSpec.Indexes {
		table = append(table, "DataTable/index/"+ix.Name)
	}
	reads := map[string][]string{"dynamodb:GetItem": table, "dynamodb:BatchGetItem": table, "dynamodb:Query": table}
	both := []string{"DataTable", "DataDeviceTable"}
	connectorReads := map[string][]string{}
	for a, r := range reads {
		connectorReads[a] = append(slices.Clone(r), "DataDeviceTable")
	}
	eni := map[string][]string{}
	for _, a := range vpcENI {
		eni[a] = []string{"*"}
	}
	apiKeys, frappe := "secret:"+APIKeysSecretName(ProductionStage)+"-??????", "secret:"+FrappeSecretName(ProductionStage)+"-??????"
	cases := map[string]struct {
		role string
		want []map[string][]string
	}{
		"ApiFunction": {"ApiFunctionRole", []map[string][]string{reads, eni, {
			"logs:CreateLogStream": {"ApiFunctionLogs"}, "logs:PutLogEvents": {"ApiFunctionLogs"},
			"dynamodb:PutItem": {"DataTable"}, "dynamodb:UpdateItem": {"DataTable"}, "dynamodb:DeleteItem": {"DataTable"}, "dynamodb:BatchWriteItem": {"DataTable"},
			"sqs:SendMessage": {"DataCommandQueue"}, "sqs:GetQueueAttributes": {"DataCommandQueue"},
			"events:DescribeEventBus": {"EventBus"},
			"s3:PutObject":            {"DataMedia/*"}, "s3:AbortMultipartUpload": {"DataMedia/*"}, "s3:GetObject": {"DataMedia/*"}, "s3:DeleteObject": {"DataMedia/*"},
			"s3:ListBucket":                 {"DataMedia"},
			"secretsmanager:GetSecretValue": {apiKeys, frappe},
		}}},
		"WebhookFunction": {"EventsWebhookFunctionRole", []map[string][]string{reads, eni, {
			"logs:CreateLogStream": {"EventsWebhookFunctionLogs"}, "logs:PutLogEvents": {"EventsWebhookFunctionLogs"},
			"dynamodb:PutItem": {"DataTable"}, "dynamodb:UpdateItem": {"DataTable"},
			"s3:GetObject":                  {"DataMedia/*"},
			"sqs:SendMessage":               {"EventsWebhookDlq"},
			"secretsmanager:GetSecretValue": {frappe},
		}}},
		// The device table: connector/dynstore's calls, nothing else.
		"ConnectorTask": {"ConnectorTaskRole", []map[string][]string{connectorReads, {
			"dynamodb:PutItem": both, "dynamodb:UpdateItem": both, "dynamodb:DeleteItem": both, "dynamodb:BatchWriteItem": both,
			"dynamodb:ConditionCheckItem": both,
			"sqs:ReceiveMessage":          {"DataCommandQueue"}, "sqs:DeleteMessage": {"DataCommandQueue"},
			"sqs:ChangeMessageVisibility": {"DataCommandQueue"}, "sqs:GetQueueAttributes": {"DataCommandQueue"},
			"events:PutEvents": {"EventBus"}, "events:DescribeEventBus": {"EventBus"},
			"s3:PutObject": {"DataMedia/*"}, "s3:AbortMultipartUpload": {"DataMedia/*"}, "s3:GetObject": {"DataMedia/*"}, "s3:DeleteObject": {"DataMedia/*"},
			"s3:ListBucket": {"DataMedia"},
		}}},
		"ConnectorExecution": {"ConnectorTaskExecutionRole", []map[string][]string{{
			"ecr:BatchCheckLayerAvailability": {":repository/cdk-"}, "ecr:GetDownloadUrlForLayer": {":repository/cdk-"}, "ecr:BatchGetImage": {":repository/cdk-"},
			"ecr:GetAuthorizationToken": {"*"},
			"logs:CreateLogStream":      {"ConnectorLogs"}, "logs:PutLogEvents": {"ConnectorLogs"},
		}}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := roleGrants(t, s, c.role)
			want := map[string][]string{}
			for _, m := range c.want {
				for a, r := range m {
					want[a] = r
				}
			}
			for a, targets := range want {
				g, ok := got[a]
				if !ok {
					t.Errorf("%s is not granted", a)
					continue
				}
				if !sameTargets(g, targets) {
					t.Errorf("%s on %v, want %v", a, g, targets)
				}
			}
			for a, g := range got {
				if _, ok := want[a]; !ok {
					t.Errorf("%s granted on %v: not used by the code", a, g)
				}
			}
		})
	}
}

// sameTargets reports whether the resource targets (roleGrants: the
// logical ids referred to, then the literal parts) match want one to one:
// a want with ":" is a substring of a literal ARN, "*" is itself, others
// are a logical-id prefix and, after "/", the exact rest.
func sameTargets(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, g := range got {
			if !used[i] && matchTarget(g, w) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func matchTarget(got, want string) bool {
	switch {
	case want == "*" || got == "*":
		return got == want
	case strings.Contains(want, ":"):
		return strings.Contains(got, want)
	}
	wid, wrest, _ := strings.Cut(want, "/")
	gid, grest, _ := strings.Cut(got, "/")
	return strings.HasPrefix(gid, wid) && grest == wrest
}
