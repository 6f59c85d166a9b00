package ddb_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/wagate/wagate/shared/ddb"
)

func sv(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func TestUpdateString(t *testing.T) {
	var e ddb.Expr
	u := ddb.NewUpdate(&e)
	if !u.Empty() {
		t.Fatal("new update not empty")
	}
	u.Set("a", sv("1")).Remove("b").Add("c", &types.AttributeValueMemberN{Value: "2"}).SetOnce("a", sv("3"))
	const want = "SET #n000 = :v000, #n000 = if_not_exists(#n000, :v002) ADD #n002 :v001 REMOVE #n001"
	if got := u.String(); got != want {
		t.Errorf("update = %q, want %q", got, want)
	}
	if len(e.Names()) != 3 || len(e.Values()) != 3 || u.Expr() != &e {
		t.Errorf("names %v, values %v", e.Names(), e.Values())
	}
	var none ddb.Expr
	if none.Names() != nil || none.Values() != nil {
		t.Error("empty expression has maps")
	}
}

// fake answers batch requests, leaving the last item of every first
// request of a batch unprocessed, and transactions with reasons.
type fake struct {
	ddb.Client
	calls   int
	reasons [][]string // per TransactWriteItems call: the reason codes; nil = success
}

func (f *fake) BatchGetItem(_ context.Context, in *dynamodb.BatchGetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	f.calls++
	ka := in.RequestItems["t"]
	if len(ka.Keys) > ddb.MaxBatchGet {
		return nil, fmt.Errorf("%d keys", len(ka.Keys))
	}
	out := &dynamodb.BatchGetItemOutput{Responses: map[string][]ddb.Item{}}
	keys := ka.Keys
	if f.calls == 1 {
		out.UnprocessedKeys = map[string]types.KeysAndAttributes{"t": {Keys: keys[len(keys)-1:]}}
		keys = keys[:len(keys)-1]
	}
	for _, k := range keys {
		if k["pk"].(*types.AttributeValueMemberS).Value != "absent" {
			out.Responses["t"] = append(out.Responses["t"], ddb.Item{"pk": k["pk"], "v": sv("x")})
		}
	}
	return out, nil
}

func (f *fake) BatchWriteItem(_ context.Context, in *dynamodb.BatchWriteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	f.calls++
	reqs := in.RequestItems["t"]
	if len(reqs) > ddb.MaxBatchWrite {
		return nil, fmt.Errorf("%d requests", len(reqs))
	}
	if f.calls == 1 {
		return &dynamodb.BatchWriteItemOutput{UnprocessedItems: map[string][]types.WriteRequest{"t": reqs[len(reqs)-1:]}}, nil
	}
	return &dynamodb.BatchWriteItemOutput{}, nil
}

func (f *fake) TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	f.calls++
	codes := f.reasons[0]
	f.reasons = f.reasons[1:]
	if codes == nil {
		return &dynamodb.TransactWriteItemsOutput{}, nil
	}
	tc := &types.TransactionCanceledException{}
	for _, c := range codes {
		tc.CancellationReasons = append(tc.CancellationReasons, types.CancellationReason{Code: aws.String(c), Message: aws.String("m")})
	}
	return nil, tc
}

var retry = ddb.Retry{Attempts: 2, Base: 1, Max: 2}

func TestBatchGet(t *testing.T) {
	f := &fake{}
	var keys []string
	for i := range 150 {
		keys = append(keys, strconv.Itoa(i), strconv.Itoa(i)) // each key twice
	}
	keys = append(keys, "absent")
	found, err := ddb.BatchGet(t.Context(), ddb.Table{Client: f, Name: "t", Retry: retry}, keys,
		func(k string) ddb.Item { return ddb.Item{"pk": sv(k)} },
		func(it ddb.Item) string { return it["pk"].(*types.AttributeValueMemberS).Value })
	if err != nil || len(found) != 150 || f.calls != 2 {
		t.Fatalf("found %d items in %d calls, %v; want 150 in 2 (the unprocessed key joins the second)", len(found), f.calls, err)
	}
}

func TestBatchWrite(t *testing.T) {
	f := &fake{}
	reqs := make([]types.WriteRequest, 30)
	if err := (ddb.Table{Client: f, Name: "t", Retry: retry}).BatchWrite(t.Context(), reqs); err != nil || f.calls != 2 {
		t.Fatalf("%d calls, %v; want 2 (the unprocessed request joins the second)", f.calls, err)
	}
}

func TestTransact(t *testing.T) {
	actions := make([]types.TransactWriteItem, 3)
	for _, tc := range []struct {
		name    string
		reasons [][]string
		calls   int
		check   func(error) bool
	}{
		{"Conflict retried", [][]string{{"None", "TransactionConflict", "None"}, nil}, 2, func(err error) bool { return err == nil }},
		{"Conditions", [][]string{{"None", "ConditionalCheckFailed", "TransactionConflict"}}, 1, func(err error) bool {
			return ddb.IsCondFailed(err) && ddb.FailedAt(err, 1) && !ddb.FailedAt(err, 0) && !ddb.FailedAt(err, 5)
		}},
		{"Other first", [][]string{{"ConditionalCheckFailed", "ValidationError", "None"}}, 1, func(err error) bool {
			return err != nil && !ddb.IsCondFailed(err) && err.Error() == "transaction: action 1: ValidationError: m"
		}},
		{"Retries run out", [][]string{{"ThrottlingError"}, {"ThrottlingError"}, {"ThrottlingError"}}, 3, func(err error) bool {
			var tc *types.TransactionCanceledException
			return errors.As(err, &tc)
		}},
	} {
		f := &fake{reasons: tc.reasons}
		err := (ddb.Table{Client: f, Name: "t", Retry: retry}).Transact(t.Context(), actions)
		if !tc.check(err) || f.calls != tc.calls {
			t.Errorf("%s: %v after %d calls, want %d", tc.name, err, f.calls, tc.calls)
		}
	}
	if err := (ddb.Table{Name: "t"}).Transact(t.Context(), make([]types.TransactWriteItem, 101)); err == nil {
		t.Error("transaction of 101 actions sent")
	}
}

func TestConflicts(t *testing.T) {
	calls := 0
	err := retry.Conflicts(t.Context(), func() error {
		calls++
		return &types.TransactionConflictException{}
	})
	var tc *types.TransactionConflictException
	if !errors.As(err, &tc) || calls != 3 {
		t.Errorf("%v after %d calls, want a conflict after 3", err, calls)
	}
}
