package sqlite_test

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/sqlite"
)

// BenchmarkListMessages1M measures ListMessages (page and total) on one
// session holding 1,000,000 messages in 100 chats, for page 1 and page 100
// (limit 50) of several filters, reporting p50 and p99 in ms; then Stats
// over the last day (86,400 messages) and InsertMessage on top of that. Building the data takes a while, so it runs
// only with WAGATE_BENCH_1M=1.
func BenchmarkListMessages1M(b *testing.B) {
	if os.Getenv("WAGATE_BENCH_1M") != "1" {
		b.Skip("set WAGATE_BENCH_1M=1 to run (loads 1,000,000 messages)")
	}
	const n, chats, limit = 1_000_000, 100, 50
	db := MustOpenDB(b)
	bulkLoad(b, db, n, chats, 1000)
	st := sqlite.NewMessageStore(db)
	fromMe, inbound := true, false
	for _, tc := range []struct {
		name string
		f    wagate.MessageFilter
	}{
		{"All", wagate.MessageFilter{}},
		{"Chat", wagate.MessageFilter{ChatID: bulkChat(7)}},
		{"Type", wagate.MessageFilter{Type: wagate.TypeImage}},
		{"FromMe", wagate.MessageFilter{FromMe: &fromMe}},
		{"ChatInbound", wagate.MessageFilter{ChatID: bulkChat(8), FromMe: &inbound}},
		{"ChatType", wagate.MessageFilter{ChatID: bulkChat(9), Type: wagate.TypeText}},
		{"TypeFromMe", wagate.MessageFilter{Type: wagate.TypeImage, FromMe: &fromMe}},
		{"LastWeek", wagate.MessageFilter{Since: bulkBase.Add(n*time.Second - 7*24*time.Hour)}},
		{"ChatLastWeek", wagate.MessageFilter{ChatID: bulkChat(10), Since: bulkBase.Add(n*time.Second - 7*24*time.Hour)}},
	} {
		for _, page := range []int{1, 100} {
			b.Run(fmt.Sprintf("%s/Page%d", tc.name, page), func(b *testing.B) {
				f := tc.f
				f.SessionID, f.Limit, f.Offset = "s1", limit, (page-1)*limit
				var took []time.Duration
				for b.Loop() {
					start := time.Now()
					list, total, err := st.ListMessages(b.Context(), f)
					took = append(took, time.Since(start))
					must(b, err)
					if len(list) == 0 || len(list) != min(limit, total-f.Offset) {
						b.Fatalf("ListMessages(%+v) = %d messages, total %d", f, len(list), total)
					}
				}
				reportPercentiles(b, took)
			})
		}
	}
	b.Run("StatsLastDay", func(b *testing.B) {
		until := bulkBase.Add(n * time.Second)
		var took []time.Duration
		for b.Loop() {
			start := time.Now()
			s, err := st.Stats(b.Context(), "s1", until.Add(-24*time.Hour), until)
			took = append(took, time.Since(start))
			must(b, err)
			if s.Total != 86_400 {
				b.Fatalf("Stats total = %d, want 86400", s.Total)
			}
		}
		reportPercentiles(b, took)
	})
	b.Run("InsertMessage", func(b *testing.B) { benchInsert(b, st, chats) })
}

// BenchmarkInsertMessage measures InsertMessage (with its chat and counter
// upkeep) into a fresh database, in inserts per second.
func BenchmarkInsertMessage(b *testing.B) {
	benchInsert(b, sqlite.NewMessageStore(MustOpenDB(b)), 100)
}

func benchInsert(b *testing.B, st *sqlite.MessageStore, chats int) {
	start := time.Now().UTC()
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		m := &wagate.Message{
			SessionID: "s1", WhatsAppID: fmt.Sprintf("BENCH%016X", i), ChatID: bulkChat(i % chats),
			SenderJID: bulkChat(i % chats), SenderName: "Contact", FromMe: i%2 == 0,
			Type: bulkTypes[i%len(bulkTypes)], Body: "a benchmark message with a few words of text in it",
			Status: wagate.StatusReceived, Timestamp: start.Add(time.Duration(i) * time.Millisecond),
		}
		t0 := time.Now()
		_, created, err := st.InsertMessage(b.Context(), m)
		took = append(took, time.Since(t0))
		must(b, err)
		if !created {
			b.Fatalf("message %d not created", i)
		}
	}
	b.ReportMetric(float64(len(took))/b.Elapsed().Seconds(), "inserts/s")
	reportPercentiles(b, took)
}

// reportPercentiles reports the median and 99th percentile of took in ms.
func reportPercentiles(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	at := func(p float64) float64 {
		return float64(took[min(int(p*float64(len(took))), len(took)-1)].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}
