package main

import (
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	// The command name may hold spaces and parentheses; utime (field 14) is 250 ticks, stime 50.
	stat := "4242 (gate house) (x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 50 0 0 20 0 9 0 100 0 0"
	if got, want := parseStatCPU(stat), 3*time.Second; got != want {
		t.Errorf("parseStatCPU = %v, want %v", got, want)
	}
	if got := parseStatCPU("garbage"); got != 0 {
		t.Errorf("parseStatCPU(garbage) = %v, want 0", got)
	}
}

func TestParseKB(t *testing.T) {
	status := "Name:\tgatehouse\nVmHWM:\t   40960 kB\nVmRSS:\t   16384 kB\n"
	if got := parseKB(status, "VmRSS"); got != 16<<20 {
		t.Errorf("VmRSS = %d, want %d", got, 16<<20)
	}
	if got := parseKB(status, "VmHWM"); got != 40<<20 {
		t.Errorf("VmHWM = %d, want %d", got, 40<<20)
	}
	if got := parseKB(status, "VmSwap"); got != 0 {
		t.Errorf("missing field = %d, want 0", got)
	}
}

func TestCPUModel(t *testing.T) {
	cpuinfo := "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor\n\nprocessor\t: 1\nmodel name\t: other\n"
	if got := cpuModel(cpuinfo); got != "Intel(R) Xeon(R) Processor" {
		t.Errorf("cpuModel = %q, want the first model name", got)
	}
}

func TestParseOptions(t *testing.T) {
	getenv := func(k string) string {
		if k == "TEST_DATABASE_URL" {
			return "postgres://db/test"
		}
		return ""
	}
	o, err := parseOptions([]string{"-quick", "-c", "8"}, getenv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.duration != time.Second || o.conns != 8 || o.postgresURL != "postgres://db/test" || o.cost != 12 {
		t.Errorf("got duration %v, conns %d, postgres %q, cost %d; want 1s (quick), 8 (set), the env's URL, 12",
			o.duration, o.conns, o.postgresURL, o.cost)
	}
	for _, args := range [][]string{{"-duration", "0s"}, {"-rate", "-1"}, {"-sqlite=false", "-postgres", ""}, {"extra"}} {
		if _, err := parseOptions(args, func(string) string { return "" }, nil); err == nil {
			t.Errorf("parseOptions(%q): got no error", args)
		}
	}
}

func TestErrorLines(t *testing.T) {
	log := "time=1 level=INFO msg=listening\n" +
		"time=2 level=ERROR msg=\"request failed\" error=\"verify password: busy\"\n" +
		"{\"time\":\"3\",\"level\":\"ERROR\",\"msg\":\"request failed\"}\n" +
		"time=4 level=WARN msg=slow\n"
	n, first := errorLines(log)
	if n != 2 || first != `time=2 level=ERROR msg="request failed" error="verify password: busy"` {
		t.Errorf("errorLines = %d, %q; want 2 and the text line", n, first)
	}
	if n, first := errorLines("time=1 level=INFO msg=ok\n"); n != 0 || first != "" {
		t.Errorf("errorLines(no errors) = %d, %q; want 0, \"\"", n, first)
	}
}
