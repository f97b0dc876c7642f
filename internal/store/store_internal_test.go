package store

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMigrationsNumberedAlike(t *testing.T) {
	versions := func(dialect string) []int {
		ms, err := migrations(dialect)
		if err != nil {
			t.Fatalf("migrations(%s): %v", dialect, err)
		}
		var vs []int
		for _, m := range ms {
			vs = append(vs, m.version)
		}
		return vs
	}
	lite, pg := versions(DialectSQLite), versions(DialectPostgres)
	if !slices.Equal(lite, pg) || len(lite) == 0 {
		t.Errorf("migration versions: got sqlite %v and postgres %v, want the same, not empty", lite, pg)
	}
}

func TestTimeValue(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"UTC", time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), "2030-01-02T03:04:05.000000Z"},
		{"TruncatesToMicrosecond", time.Date(2030, 1, 2, 3, 4, 5, 999999999, time.UTC), "2030-01-02T03:04:05.999999Z"},
		{"ConvertsToUTC", time.Date(2030, 1, 2, 0, 30, 0, 1000, time.FixedZone("-01:00", -3600)), "2030-01-02T01:30:00.000001Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := timeValue{tt.in}.Value()
			if got != tt.want || err != nil {
				t.Errorf("Value: got %v, %v, want %q, nil", got, err, tt.want)
			}
		})
	}
	t.Run("OutOfRange", func(t *testing.T) {
		if _, err := (timeValue{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}).Value(); err == nil {
			t.Error("Value of year 10000: got nil error, want one")
		}
	})
	t.Run("Null", func(t *testing.T) {
		if got, err := (nullTimeValue{}).Value(); got != nil || err != nil {
			t.Errorf("Value: got %v, %v, want nil, nil", got, err)
		}
	})
}

func TestTimeScan(t *testing.T) {
	want := time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC)
	for _, src := range []any{"2030-01-02T03:04:05.000006Z", []byte("2030-01-02T03:04:05.000006Z"), want.In(time.FixedZone("+02:00", 7200))} {
		var got time.Time
		if err := (timeScan{&got}).Scan(src); err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Scan(%T): got %v, %v, want %v in UTC", src, got, err, want)
		}
	}
	var got *time.Time = &want
	if err := (nullTimeScan{&got}).Scan(nil); got != nil || err != nil {
		t.Errorf("Scan(nil): got %v, %v, want nil, nil", got, err)
	}
	if err := (timeScan{new(time.Time)}).Scan(nil); err == nil {
		t.Error("Scan(nil) into a time: got nil error, want one")
	}
}

func TestSQLiteDSN(t *testing.T) {
	tests := []struct {
		in, wantPath, wantPrefix string
	}{
		{"data/gatehouse.db", "data/gatehouse.db", "file:data/gatehouse.db?"},
		{"/var/lib/a?b#c%d.db", "/var/lib/a?b#c%d.db", "file:/var/lib/a%3Fb%23c%25d.db?"},
		{"file:/tmp/x%20y.db?cache=private", "/tmp/x y.db", "file:/tmp/x y.db?"},
	}
	for _, tt := range tests {
		path, dsn, err := sqliteDSN(tt.in)
		if err != nil || path != tt.wantPath || !strings.HasPrefix(dsn, tt.wantPrefix) {
			t.Errorf("sqliteDSN(%q): got %q, %q, %v, want %q and a DSN starting %q", tt.in, path, dsn, err, tt.wantPath, tt.wantPrefix)
		}
		for _, want := range []string{"_txlock=immediate", "foreign_keys%281%29", "journal_mode%28WAL%29", "busy_timeout%2810000%29", "synchronous%28NORMAL%29"} {
			if !strings.Contains(dsn, want) {
				t.Errorf("sqliteDSN(%q): got %q, want it to contain %q", tt.in, dsn, want)
			}
		}
	}
	if _, dsn, _ := sqliteDSN("file:/tmp/x.db?cache=private"); !strings.Contains(dsn, "cache=private") {
		t.Errorf("sqliteDSN: got %q, want the URI's own cache=private kept", dsn)
	}
	if _, _, err := sqliteDSN(""); err == nil {
		t.Error("sqliteDSN(\"\"): got nil error, want one")
	}
}
