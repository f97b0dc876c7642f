package importer_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/importer"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// BenchmarkImport reads a generated article database of IMPORT_BENCH_USERS users (default
// 1,000,000; one in ten with an email account) and imports it into a fresh store of each
// dialect, reporting users/s. Each iteration is a whole import into a new database.
//
//	TEST_DATABASE_URL=… go test ./internal/importer -run '^$' -bench Import -benchtime 1x
func BenchmarkImport(b *testing.B) {
	n := 1_000_000
	if v := os.Getenv("IMPORT_BENCH_USERS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("IMPORT_BENCH_USERS=%q: want a positive whole number", v)
		}
	}
	src := writeArticleDB(b, n, fixtureHash(b))
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		b.Run(dialect, func(b *testing.B) {
			if dialect == store.DialectPostgres && os.Getenv("TEST_DATABASE_URL") == "" {
				b.Skip("TEST_DATABASE_URL is not set")
			}
			var total time.Duration
			for range b.N {
				b.StopTimer()
				var s *store.Store
				if dialect == store.DialectSQLite {
					s = storetest.OpenSQLite(b)
				} else {
					s = storetest.OpenPostgres(b)
				}
				b.StartTimer()
				t0 := time.Now()
				records, err := importer.ReadArticle(context.Background(), src)
				if err != nil {
					b.Fatal(err)
				}
				read := time.Since(t0)
				sum, err := importer.Run(context.Background(), records, importer.Options{Store: s, Writers: map[string]int{store.DialectPostgres: 4}[dialect]})
				b.Logf("%d users: read the source in %s, wrote them in %s", n, read.Round(time.Millisecond), (time.Since(t0) - read).Round(time.Millisecond))
				if err != nil {
					b.Fatal(err)
				}
				total += time.Since(t0)
				if sum.Imported != n {
					b.Fatalf("imported %d, want %d", sum.Imported, n)
				}
			}
			b.ReportMetric(float64(n*b.N)/total.Seconds(), "users/s")
		})
	}
}
