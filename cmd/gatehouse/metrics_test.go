package main

import (
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

var metricsListening = regexp.MustCompile(`msg="metrics listening" url=(http://127\.0\.0\.1:\d+/metrics)`)

// metricsURL is the /metrics URL the instance logged.
func metricsURL(t *testing.T, in *instance) string {
	t.Helper()
	m := metricsListening.FindStringSubmatch(in.out.String())
	if m == nil {
		t.Fatalf("no metrics listening line:\n%s", in.out)
	}
	return m[1]
}

func fetch(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// sample is the value of the series written exactly as series in a text exposition, or -1.
func sample(exposition, series string) float64 {
	for line := range strings.SplitSeq(exposition, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}

var labelValue = regexp.MustCompile(`="((?:[^"\\]|\\.)*)"`)

// The real metrics listener, scraped after the article's flow: the request counter of each
// route moved under its pattern, and no label holds a raw path with an id, a token or an email.
func TestRun_Metrics(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		testMetrics(t, map[string]string{"GATEHOUSE_DATABASE_URL": filepath.Join(t.TempDir(), "g.db")})
	})
	t.Run("postgres", func(t *testing.T) {
		testMetrics(t, map[string]string{"GATEHOUSE_DATABASE_URL": storetest.PostgresURL(t), "GATEHOUSE_SECRET_KEY": newSecretKey(t)})
	})
}

func testMetrics(t *testing.T, env map[string]string) {
	env["GATEHOUSE_BCRYPT_COST"] = "10"
	env["GATEHOUSE_METRICS_ADDR"] = "127.0.0.1:0"
	// One registration per client: the flow's is allowed, the next one limited.
	env["GATEHOUSE_RATE_REGISTER_IP"] = "1/h,1"
	in := start(t, env)
	murl := metricsURL(t, in)
	if strings.HasPrefix(murl, in.url+"/") {
		t.Fatalf("metrics on the main listener %s", in.url)
	}

	access := articleFlow(t, in.url, in.url, in.url)
	const sessionID = "0b5e1f0c-7d1a-4c57-9a43-2f0e6a1d9c11"
	req, _ := http.NewRequest(http.MethodDelete, in.url+"/api/users/me/sessions/"+sessionID, nil)
	req.Header.Set("Authorization", "Bearer "+access)
	if status, _ := do(t, req); status/100 != 4 {
		t.Fatalf("delete an unknown session: got %d, want a 4xx", status)
	}
	if status, _ := get(t, in.url+"/api/users/me", "not-a-token"); status != http.StatusUnauthorized {
		t.Fatalf("me with a bad token: got %d", status)
	}

	if status, _ := post(t, in.url+"/api/auth/register", "application/json",
		`{"email": "second@example.com", "first_name": "Second", "last_name": "User", "password": "violet-kayak-mercury-19"}`); status != http.StatusTooManyRequests {
		t.Fatalf("a second registration from the client: got %d, want 429", status)
	}

	status, body := fetch(t, murl)
	if status != http.StatusOK {
		t.Fatalf("scrape: got %d\n%s", status, body)
	}
	for series, want := range map[string]float64{
		`gatehouse_http_requests_total{code="201",method="POST",route="/api/auth/register"}`:                 1,
		`gatehouse_http_requests_total{code="200",method="POST",route="/api/auth/token"}`:                    1,
		`gatehouse_http_requests_total{code="200",method="GET",route="/api/users/me"}`:                       1,
		`gatehouse_http_requests_total{code="401",method="GET",route="/api/users/me"}`:                       1,
		`gatehouse_http_request_duration_seconds_count{method="GET",route="/api/users/me"}`:                  2,
		`gatehouse_http_request_duration_seconds_count{method="DELETE",route="/api/users/me/sessions/{id}"}`: 1,
		`gatehouse_http_requests_total{code="200",method="GET",route="/api/email-accounts"}`:                 0,
		`gatehouse_http_requests_in_flight`:                                                                  0,
		`gatehouse_mail_outbox_messages{state="dead"}`:                                                       0,
		`gatehouse_hash_queue_depth`:        0,
		`gatehouse_hash_queue_hashers`:      -2, // the service's hashing queue is wired
		`gatehouse_hash_queue_waits_total`:  -2, // the registration and sign-in hashed through it
		`gatehouse_db_max_open_connections`: -2, // present
		// The edge's limit, the guard's budgets and the CAPTCHA (pow, asking nothing below its
		// thresholds) reported their decisions.
		`gatehouse_ratelimit_decisions_total{decision="allowed",limit="register-ip"}`:    1,
		`gatehouse_ratelimit_decisions_total{decision="limited",limit="register-ip"}`:    1,
		`gatehouse_ratelimit_decisions_total{decision="allowed",limit="signin-ip"}`:      1,
		`gatehouse_ratelimit_decisions_total{decision="allowed",limit="signin-account"}`: 1,
		`gatehouse_captcha_decisions_total{outcome="not_required"}`:                      2,
	} {
		got := sample(body, series)
		switch {
		case want == -2 && got <= 0, want != -2 && got != want:
			t.Errorf("%s: got %v, want %v", series, got, want)
		}
	}
	if !regexp.MustCompile(`gatehouse_build_info\{goversion="go[^"]+",version="[^"]+"\} 1`).MatchString(body) {
		t.Error("no gatehouse_build_info")
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes", "gatehouse_mail_outbox_oldest_pending_age_seconds"} {
		if !strings.Contains(body, "\n"+name+" ") {
			t.Errorf("no %s", name)
		}
	}
	for _, m := range labelValue.FindAllStringSubmatch(body, -1) {
		v := m[1]
		if strings.Contains(v, sessionID) || strings.Contains(v, "@") || strings.Contains(v, access) ||
			strings.Contains(v, "not-a-token") || strings.Contains(v, "violet-kayak-mercury-19") {
			t.Errorf("label value %q holds an id, an email, a token or a password", v)
		}
	}
	// pprof is off by default: 404 on the metrics listener.
	if status, _ := fetch(t, strings.TrimSuffix(murl, "/metrics")+"/debug/pprof/"); status != http.StatusNotFound {
		t.Errorf("pprof by default: got %d, want 404", status)
	}
}

// GATEHOUSE_PPROF=true serves pprof on the metrics listener, never on the public one.
func TestRun_PProf(t *testing.T) {
	in := start(t, map[string]string{
		"GATEHOUSE_DATABASE_URL": filepath.Join(t.TempDir(), "g.db"), "GATEHOUSE_BCRYPT_COST": "10",
		"GATEHOUSE_METRICS_ADDR": "127.0.0.1:0", "GATEHOUSE_PPROF": "true",
	})
	base := strings.TrimSuffix(metricsURL(t, in), "/metrics")
	if status, body := fetch(t, base+"/debug/pprof/"); status != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("pprof index: got %d\n%.200s", status, body)
	}
	if status, body := fetch(t, base+"/debug/pprof/goroutine?debug=1"); status != http.StatusOK || !strings.Contains(body, "goroutine profile") {
		t.Errorf("goroutine profile: got %d\n%.200s", status, body)
	}
	if status, body := fetch(t, in.url+"/debug/pprof/goroutine?debug=1"); status == http.StatusOK && strings.Contains(body, "goroutine profile") {
		t.Error("pprof served on the public listener")
	}
	if status, _ := fetch(t, base+"/metrics"); status != http.StatusOK {
		t.Errorf("metrics with pprof: got %d", status)
	}
}
