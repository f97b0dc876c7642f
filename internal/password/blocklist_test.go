package password

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func writeLines(t testing.TB, n int, line func(i int) string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "blocklist.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < n; i++ {
		fmt.Fprintln(w, line(i))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadBlocklist(t *testing.T) {
	path := writeLines(t, 5, func(i int) string {
		return []string{"Password1", "dragon\r", "", "Letmein!", "ÉCOLE2020"}[i]
	})
	bl, err := LoadBlocklist(path)
	if err != nil {
		t.Fatal(err)
	}
	if bl.Len() != 4 {
		t.Errorf("got %d lines, want 4 (the empty one skipped)", bl.Len())
	}
	for pw, want := range map[string]bool{
		"password1": true, "PASSWORD1": true, "dragon": true, "letmein!": true, "école2020": true,
		"dragon\r": false, "letmein": false, "": false, "correct lantern harbour oboe": false,
	} {
		if got := bl.Contains(pw); got != want {
			t.Errorf("Contains(%q): got %v, want %v", pw, got, want)
		}
	}
	if _, err := LoadBlocklist(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing file: got nil error")
	}
	var none *Blocklist
	if none.Contains("password") {
		t.Error("nil blocklist holds a password")
	}
}

// A short list (a filter of 128 bits) keeps the rate too: 200,000 fresh 3-line filters,
// each asked for one password not on it, find about none (0.2 expected; 10 is p < 1e-12).
func TestBlocklist_FalsePositiveRateShortList(t *testing.T) {
	fp := 0
	for i := 0; i < 200_000; i++ {
		bl := NewBlocklist(3)
		for _, pw := range []string{"hunter2-dragon-correct", "Tr0ub4dor&3-Operator", "another-listed-one"} {
			bl.Add(pw)
		}
		if bl.Contains("monkeybanana") {
			fp++
		}
	}
	if fp > 10 {
		t.Errorf("got %d false positives in 200,000 short lists, want about none", fp)
	}
}

// The false-positive rate is what BlocklistFalsePositiveRate states, within chance: 1 M
// lookups of passwords not on a 100k list find about one (a Poisson count; 10 is p < 1e-7).
func TestBlocklist_FalsePositiveRate(t *testing.T) {
	bl := NewBlocklist(100_000)
	for i := 0; i < 100_000; i++ {
		bl.Add(fmt.Sprintf("listed-%d", i))
	}
	for i := 0; i < 100_000; i++ {
		if !bl.Contains(fmt.Sprintf("LISTED-%d", i)) {
			t.Fatalf("listed-%d missed: a Bloom filter never misses", i)
		}
	}
	fp := 0
	for i := 0; i < 1_000_000; i++ {
		if bl.Contains(fmt.Sprintf("other-%d", i)) {
			fp++
		}
	}
	if fp > 10 {
		t.Errorf("got %d false positives in 1M, want about 1", fp)
	}
}

// BenchmarkLoadBlocklist_1M loads a 1 M-line list and reports the heap it keeps.
func BenchmarkLoadBlocklist_1M(b *testing.B) {
	path := writeLines(b, 1_000_000, func(i int) string { return fmt.Sprintf("Passw0rd-%07d", i*7919) })
	b.ResetTimer()
	start := cpuTime()
	var bl *Blocklist
	for i := 0; i < b.N; i++ {
		var err error
		if bl, err = LoadBlocklist(path); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
	b.StopTimer()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	bl, _ = LoadBlocklist(path)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-heap")
	b.ReportMetric(float64(bl.Bytes())/(1<<20), "MiB-filter")
	runtime.KeepAlive(bl)
}

func BenchmarkBlocklist_Contains(b *testing.B) {
	bl := NewBlocklist(1_000_000)
	for i := 0; i < 1_000_000; i++ {
		bl.Add(fmt.Sprintf("Passw0rd-%07d", i))
	}
	pws := []string{"Passw0rd-0000042", "correct lantern harbour oboe", "Tr0ub4dor&3"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bl.Contains(pws[i%len(pws)])
	}
}
