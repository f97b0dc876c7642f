package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/gatehouse/gatehouse/internal/importer"
)

// progress shows an import's progress: a bar redrawn in place on a terminal (counts, rate,
// ETA), or a plain line every few seconds elsewhere, so a log file is not filled with bars.
// Report lines are printed above the bar.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	mode     string // bar, lines or none
	last     importer.Progress
	lastLine time.Time
	drawn    bool
}

func newProgress(w io.Writer, mode string) *progress {
	if mode == "auto" || mode == "" {
		mode = "lines"
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			mode = "bar"
		}
	}
	return &progress{w: w, mode: mode, lastLine: time.Now()}
}

// line prints one report line, above the bar.
func (p *progress) line(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	fmt.Fprintln(p.w, s)
	p.draw()
}

func (p *progress) update(pr importer.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = pr
	switch p.mode {
	case "bar":
		p.draw()
	case "lines":
		if time.Since(p.lastLine) >= 5*time.Second || pr.Done == pr.Total {
			p.lastLine = time.Now()
			fmt.Fprintln(p.w, p.status())
		}
	}
}

// finish leaves the finished bar on its own line.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode == "bar" && p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

func (p *progress) clear() {
	if p.mode == "bar" && p.drawn {
		fmt.Fprint(p.w, "\r\033[2K")
		p.drawn = false
	}
}

func (p *progress) draw() {
	if p.mode != "bar" || p.last.Total == 0 {
		return
	}
	const width = 30
	filled := width * p.last.Done / p.last.Total
	fmt.Fprintf(p.w, "\r\033[2K[%s%s] %s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.status())
	p.drawn = true
}

// status is "412000/1000000 users (41%), 98500/s, ETA 6s".
func (p *progress) status() string {
	pr := p.last
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Done) / s
	}
	eta := "—"
	if rate > 0 {
		eta = time.Duration(float64(pr.Total-pr.Done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	pct := 100
	if pr.Total > 0 {
		pct = 100 * pr.Done / pr.Total
	}
	return fmt.Sprintf("%d/%d users (%d%%), %.0f/s, ETA %s", pr.Done, pr.Total, pct, rate, eta)
}
