package main

import (
	"context"
	"crypto/rand"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// readyTimeout bounds how long a fresh server may take to answer /healthz.
const readyTimeout = 30 * time.Second

// server is one gatehouse process started for one dialect; the bench owns it and stops it.
type server struct {
	URL     string
	Dialect string
	// MetricsURL is the server's /metrics, on a loopback listener of its own.
	MetricsURL   string
	StartToReady time.Duration // process start until /healthz answered 200
	IdleRSS      int64         // bytes, right after ready

	cmd     *exec.Cmd
	logPath string
	exited  chan struct{}
	waitErr error
}

// startServer starts bin serving databaseURL on a free loopback port at the given bcrypt cost,
// logging into dir, and returns once /healthz answers. The environment's GATEHOUSE_* settings
// are dropped so a developer's shell cannot skew the run.
func startServer(ctx context.Context, bin, dialect, databaseURL string, cost int, dir string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	metricsPort, err := freePort()
	if err != nil {
		return nil, err
	}
	metricsAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(metricsPort))
	logPath := filepath.Join(dir, "server-"+dialect+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()

	// Every instance on PostgreSQL needs the key that seals its signing keys at rest; a fresh
	// one per run suits a fresh schema. It goes in the environment, never on a command line.
	secretKey := make([]byte, 32)
	if _, err := rand.Read(secretKey); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(withoutGatehouseEnv(os.Environ()),
		"GATEHOUSE_SECRET_KEY="+base64.StdEncoding.EncodeToString(secretKey),
		// The benchmark measures capacity: thousands of registrations and sign-ins a minute
		// from one address are exactly what the abuse limits and the CAPTCHA exist to refuse,
		// so they are off here (their own cost is measured by internal/ratelimit's and
		// internal/captcha's benchmarks).
		"GATEHOUSE_RATE_SIGN_IN_IP=off", "GATEHOUSE_RATE_REGISTER_IP=off",
		"GATEHOUSE_RATE_REFRESH_SESSION=off", "GATEHOUSE_CAPTCHA=off",
		"GATEHOUSE_ADDR="+addr,
		// The hashers' own CPU time is read from the metrics (gatehouse_hash_cpu_seconds_total).
		"GATEHOUSE_METRICS_ADDR="+metricsAddr,
		"GATEHOUSE_ISSUER=http://"+addr,
		"GATEHOUSE_DATABASE_URL="+databaseURL,
		"GATEHOUSE_BCRYPT_COST="+strconv.Itoa(cost),
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &server{URL: "http://" + addr, MetricsURL: "http://" + metricsAddr + "/metrics", Dialect: dialect, cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	go func() { s.waitErr = cmd.Wait(); close(s.exited) }()

	if err := s.waitReady(ctx, began); err != nil {
		s.stop()
		return nil, fmt.Errorf("%s server: %w\n%s", dialect, err, s.logTail())
	}
	s.StartToReady = time.Since(began)
	s.IdleRSS = s.rss("VmRSS")
	return s, nil
}

// waitReady polls /healthz until it answers 200, the process exits or readyTimeout passes.
func (s *server) waitReady(ctx context.Context, began time.Time) error {
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/healthz", nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("exited before it was ready (%v)", s.waitErr)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
		if time.Since(began) > readyTimeout {
			return fmt.Errorf("/healthz did not answer 200 within %s", readyTimeout)
		}
	}
}

// stop asks the server to finish (SIGTERM) and kills it if it has not within 25 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(25 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// cpu returns the CPU time the server process has used so far (user + system).
func (s *server) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	return parseStatCPU(string(b))
}

// hashCPU returns the CPU time the server's hashers have used, from its metrics; false when
// the server does not report it.
func (s *server) hashCPU() (time.Duration, bool) {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(s.MetricsURL)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return 0, false
	}
	return parseHashCPU(string(b))
}

// parseHashCPU reads gatehouse_hash_cpu_seconds_total from a text exposition.
func parseHashCPU(exposition string) (time.Duration, bool) {
	for line := range strings.Lines(exposition) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "gatehouse_hash_cpu_seconds_total "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0, false
			}
			return time.Duration(f * float64(time.Second)), true
		}
	}
	return 0, false
}

// rss returns a size field of /proc/PID/status (VmRSS, VmHWM) in bytes, 0 if unknown.
func (s *server) rss(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	return parseKB(string(b), field)
}

// logTail returns the last lines of the server's log, for a failure message.
func (s *server) logTail() string {
	b, _ := os.ReadFile(s.logPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return "server log (" + s.logPath + "):\n" + strings.Join(lines, "\n")
}

// loggedErrors counts the error lines of the server's log and returns the first one: a 500
// in a table is a server bug, and the log says which.
func (s *server) loggedErrors() (int, string) {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return 0, ""
	}
	return errorLines(string(b))
}

// errorLines counts the lines of a text or JSON slog log at level ERROR and returns the first.
func errorLines(log string) (int, string) {
	n, first := 0, ""
	for line := range strings.Lines(log) {
		if strings.Contains(line, "level=ERROR") || strings.Contains(line, `"level":"ERROR"`) {
			if n == 0 {
				first = strings.TrimSpace(line)
			}
			n++
		}
	}
	return n, first
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on every Linux port.
const clockTicks = 100

// parseStatCPU reads utime + stime from a /proc/PID/stat line. The command name (field 2) may
// hold spaces, so fields are counted after its closing parenthesis.
func parseStatCPU(stat string) time.Duration {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state); utime is field 14, stime 15
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// parseKB returns the "field:  123 kB" value of a /proc status or meminfo text, in bytes.
func parseKB(text, field string) int64 {
	for line := range strings.Lines(text) {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
}

func withoutGatehouseEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GATEHOUSE_") {
			out = append(out, kv)
		}
	}
	return out
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// postgresSchema creates an empty schema in the database base names and returns a URL whose
// connections use it (search_path), and a function that drops it: every run starts from an
// empty database and leaves nothing behind.
func postgresSchema(ctx context.Context, base string) (string, func() error, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, errors.New("the PostgreSQL URL must be a postgres:// or postgresql:// URL")
	}
	schema := "gatehouse_bench_" + randomHex(6)
	if err := pgExec(ctx, base, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := pgExec(ctx, base, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		return nil
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

func pgExec(ctx context.Context, databaseURL, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// serverGoVersion reads the Go version a binary was built with ("go1.27.3"), "" if unknown.
func serverGoVersion(bin string) string {
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		return ""
	}
	return info.GoVersion
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
