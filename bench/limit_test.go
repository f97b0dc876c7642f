package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestHashLimit_PerSecond(t *testing.T) {
	tests := []struct {
		name    string
		cores   int
		perHash time.Duration
		want    float64
	}{
		{"two cores at 250 ms", 2, 250 * time.Millisecond, 8},
		{"one core at 100 ms", 1, 100 * time.Millisecond, 10},
		{"eight cores at 80 ms", 8, 80 * time.Millisecond, 100},
		{"unmeasured", 2, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := hashLimit{Cores: tt.cores, PerHash: tt.perHash}
			if got := l.PerSecond(); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("PerSecond() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHashLimit_Fraction(t *testing.T) {
	l := hashLimit{Cores: 2, PerHash: 250 * time.Millisecond} // 8 hashes/s
	if got := l.Fraction(7.6); math.Abs(got-0.95) > 1e-9 {
		t.Errorf("Fraction(7.6) = %v, want 0.95", got)
	}
	if got := (hashLimit{}).Fraction(5); got != 0 {
		t.Errorf("Fraction of an unmeasured limit = %v, want 0", got)
	}
}

func TestMedian(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var d []time.Duration
		for _, x := range v {
			d = append(d, time.Duration(x)*time.Millisecond)
		}
		return d
	}
	tests := []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{ms(7), 7 * time.Millisecond},
		{ms(300, 250, 900), 300 * time.Millisecond}, // one slow hash does not move it
		{ms(4, 1, 3, 2), 2500 * time.Microsecond},
	}
	for _, tt := range tests {
		in := append([]time.Duration(nil), tt.in...)
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
		for i := range in {
			if in[i] != tt.in[i] {
				t.Fatalf("median reordered its input: %v, was %v", tt.in, in)
			}
		}
	}
}

func TestMeasureHashLimit(t *testing.T) {
	l, err := measureHashLimit(4, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	if l.Cost != 4 || l.Cores != 3 || l.Samples != 5 {
		t.Errorf("got cost %d, cores %d, samples %d; want 4, 3, 5", l.Cost, l.Cores, l.Samples)
	}
	if !(l.Fastest > 0 && l.Fastest <= l.PerHash && l.PerHash <= l.Slowest) {
		t.Errorf("got fastest %v, median %v, slowest %v; want 0 < fastest ≤ median ≤ slowest", l.Fastest, l.PerHash, l.Slowest)
	}
	if _, err := measureHashLimit(32, 1, 1); err == nil {
		t.Error("cost 32: got no error, want bcrypt's invalid cost")
	}
	if s := l.String(); !strings.Contains(s, "3 cores ÷") || !strings.Contains(s, "bcrypt cost 4, median of 5") {
		t.Errorf("String() = %q, want the cores, the cost and the sample count", s)
	}
}
