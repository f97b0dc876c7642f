package main

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// describeMachine gathers what the report says about where it ran; what cannot be read stays
// empty and prints as unknown.
func describeMachine(bin string) machine {
	m := machine{
		Cores:      runtime.NumCPU(),
		GoBench:    runtime.Version(),
		GoServer:   serverGoVersion(bin),
		Date:       time.Now(),
		LoadBefore: loadAverage(),
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m.Memory = parseKB(string(b), "MemTotal")
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if out, err := exec.Command("git", "describe", "--always", "--dirty").Output(); err == nil {
		m.Revision = strings.TrimSpace(string(out))
	}
	if out, err := exec.Command(bin, "version").Output(); err == nil {
		m.Server = strings.TrimSpace(strings.TrimPrefix(string(out), "gatehouse "))
	}
	return m
}

// cpuModel returns the first "model name" of a /proc/cpuinfo text.
func cpuModel(cpuinfo string) string {
	for line := range strings.Lines(cpuinfo) {
		name, value, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// loadAverage returns the 1, 5 and 15-minute load averages ("3.10, 2.92, 1.45"), "" if unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], ", ")
}
