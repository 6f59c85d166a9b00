package eventbridge_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awseb "github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/eventbridge"
)

// fakeAPI fails the entries whose detail-type is in fail, failTimes times
// each, and records every call's entry count.
type fakeAPI struct {
	fail  map[string]int
	calls []int
	put   []string
}

func (f *fakeAPI) PutEvents(_ context.Context, in *awseb.PutEventsInput, _ ...func(*awseb.Options)) (*awseb.PutEventsOutput, error) {
	f.calls = append(f.calls, len(in.Entries))
	out := &awseb.PutEventsOutput{}
	for _, e := range in.Entries {
		typ := aws.ToString(e.DetailType)
		if f.fail[typ] > 0 {
			f.fail[typ]--
			out.FailedEntryCount++
			out.Entries = append(out.Entries, ebtypes.PutEventsResultEntry{ErrorCode: aws.String("ThrottlingException"), ErrorMessage: aws.String("slow down")})
			continue
		}
		f.put = append(f.put, typ)
		out.Entries = append(out.Entries, ebtypes.PutEventsResultEntry{EventId: aws.String("x")})
	}
	return out, nil
}

func (f *fakeAPI) DescribeEventBus(context.Context, *awseb.DescribeEventBusInput, ...func(*awseb.Options)) (*awseb.DescribeEventBusOutput, error) {
	return &awseb.DescribeEventBusOutput{}, nil
}

func newEvents(t *testing.T, n, dataBytes int) []events.Event {
	t.Helper()
	var evs []events.Event
	for i := range n {
		ev, err := events.NewEvent(fmt.Sprint(i), fmt.Sprintf("t%d", i), "s1", 1, time.Now(), map[string]string{"pad": strings.Repeat("x", dataBytes)})
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	return evs
}

func TestPublishBatches(t *testing.T) {
	for _, tc := range []struct {
		name      string
		n, size   int
		wantCalls []int
	}{
		{"OneCall", 3, 10, []int{3}},
		{"TenPerCall", 23, 10, []int{10, 10, 3}},
		{"ByteLimit", 5, 100 << 10, []int{2, 2, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := &fakeAPI{}
			if err := eventbridge.New(api, "bus", eventbridge.Options{}).Publish(t.Context(), newEvents(t, tc.n, tc.size)...); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(api.calls) != fmt.Sprint(tc.wantCalls) {
				t.Fatalf("calls %v, want %v", api.calls, tc.wantCalls)
			}
		})
	}
}

func TestPublishRetriesFailedEntries(t *testing.T) {
	api := &fakeAPI{fail: map[string]int{"t1": 2, "t3": 1}}
	b := eventbridge.New(api, "bus", eventbridge.Options{Backoff: time.Millisecond})
	if err := b.Publish(t.Context(), newEvents(t, 4, 1)...); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(api.calls) != "[4 2 1]" || len(api.put) != 4 {
		t.Fatalf("calls %v, put %v; want [4 2 1] and every event put", api.calls, api.put)
	}
}

func TestPublishGivesUp(t *testing.T) {
	api := &fakeAPI{fail: map[string]int{"t0": 99}}
	b := eventbridge.New(api, "bus", eventbridge.Options{Attempts: 3, Backoff: time.Millisecond})
	err := b.Publish(t.Context(), newEvents(t, 2, 1)...)
	if err == nil || !strings.Contains(err.Error(), "ThrottlingException") || len(api.calls) != 3 {
		t.Fatalf("Publish = %v after %d calls; want a ThrottlingException error after 3", err, len(api.calls))
	}
}

func TestPublishTooLarge(t *testing.T) {
	err := eventbridge.New(&fakeAPI{}, "bus", eventbridge.Options{}).Publish(t.Context(), newEvents(t, 1, 300<<10)...)
	if wagate.ErrorCode(err) != wagate.ETOOLARGE {
		t.Fatalf("Publish = %v, want %s", err, wagate.ETOOLARGE)
	}
}
