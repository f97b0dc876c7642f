package metrics

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

const dashboardFile = "../../docs/grafana-dashboard.json"

// dashboardQueries returns every PromQL expression of the dashboard: the panels' targets and
// the template variables' queries, wherever they nest.
func dashboardQueries(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	var exprs []string
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(x, k)
			}
		case []any:
			for _, x := range v {
				walk(x, key)
			}
		case string:
			if key == "expr" || key == "definition" {
				exprs = append(exprs, v)
			}
		}
	}
	walk(doc, "")
	return exprs
}

var (
	promString    = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	promMatchers  = regexp.MustCompile(`\{[^}]*\}|\[[^\]]*\]`)
	promGrouping  = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promLabelVals = regexp.MustCompile(`\blabel_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{[^}]*\})?\s*(?:,[^)]*)?\)`)
	promIdent     = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?`)
	promKeywords  = []string{"and", "or", "unless", "bool", "offset", "inf", "nan"}
)

// metricNames returns the metric names a PromQL expression (or a Grafana label_values query)
// references: with strings, label matchers, ranges and grouping lists removed, every
// identifier that is not a function call or a keyword.
func metricNames(expr string) []string {
	var names []string
	for _, m := range promLabelVals.FindAllStringSubmatch(expr, -1) {
		names = append(names, m[1])
	}
	expr = promLabelVals.ReplaceAllString(expr, " ")
	expr = promString.ReplaceAllString(expr, " ")
	expr = promMatchers.ReplaceAllString(expr, " ")
	expr = promGrouping.ReplaceAllString(expr, " ")
	for _, m := range promIdent.FindAllStringSubmatch(expr, -1) {
		id := strings.TrimSpace(m[0])
		if m[1] != "" || slices.Contains(promKeywords, strings.ToLower(id)) {
			continue
		}
		names = append(names, id)
	}
	return names
}

func TestMetricNames(t *testing.T) {
	for expr, want := range map[string][]string{
		`histogram_quantile(0.99, sum by (le, route) (rate(gatehouse_http_request_duration_seconds_bucket{route=~"/api/.+", x="a b"}[$__rate_interval])))`: {"gatehouse_http_request_duration_seconds_bucket"},
		`sum(rate(a_total[5m])) / sum without (code) (rate(b_total{code="5xx"}[5m])) and on (instance) up`:                                                 {"a_total", "b_total", "up"},
		`label_values(gatehouse_build_info{job=~"$job"}, instance)`:                                                                                        {"gatehouse_build_info"},
	} {
		if got := metricNames(expr); !slices.Equal(got, want) {
			t.Errorf("metricNames(%s): got %q, want %q", expr, got, want)
		}
	}
}

// registered returns the families a fresh registry exposes (by name, with their type) and the
// names its collectors describe, which include vectors without a series yet.
func registered(t *testing.T, reg *prometheus.Registry) (map[string]dto.MetricType, map[string]bool) {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	exposed := map[string]dto.MetricType{}
	for _, f := range families {
		exposed[f.GetName()] = f.GetType()
	}
	described := map[string]bool{}
	ch := make(chan *prometheus.Desc)
	go func() { reg.Describe(ch); close(ch) }()
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range ch {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			described[m[1]] = true
		}
	}
	return exposed, described
}

// Every metric the dashboard's queries reference exists in the registry, as a fresh server
// has it; and every metric of ours is on the dashboard.
func TestDashboard_MetricsExist(t *testing.T) {
	m := newTestMetrics(t)
	exposed, described := registered(t, m.Registry())

	exprs := dashboardQueries(t)
	if len(exprs) < 20 {
		t.Fatalf("the dashboard has %d queries; want its panels' (20 or more)", len(exprs))
	}
	shown := map[string]bool{}
	for _, expr := range exprs {
		names := metricNames(expr)
		if len(names) == 0 {
			t.Errorf("no metric in %q", expr)
		}
		for _, name := range names {
			if !exists(name, exposed, described) {
				t.Errorf("the dashboard references %s, which the registry does not have (in %q)", name, expr)
			}
			shown[name] = true
		}
	}
	for name := range described {
		if !strings.HasPrefix(name, Namespace+"_") {
			continue
		}
		if !shown[name] && !shown[name+"_bucket"] {
			t.Errorf("%s is not on the dashboard", name)
		}
	}
}

// exists reports whether name is a described metric, or a histogram's or summary's series.
func exists(name string, exposed map[string]dto.MetricType, described map[string]bool) bool {
	if described[name] {
		return true
	}
	if _, ok := exposed[name]; ok {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		base, ok := strings.CutSuffix(name, suffix)
		if !ok {
			continue
		}
		switch exposed[base] {
		case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
			return true
		case dto.MetricType_SUMMARY:
			return suffix != "_bucket"
		}
	}
	return false
}
