package password

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

// goldenLine is one line of testdata/strength-golden.tsv, as zxcvbn.js scored it.
type goldenLine struct {
	line               int
	category, password string
	account            struct{ Email, FirstName, LastName string }
	canonical          string
	score              int
	warning            string
	suggestions        []string
}

func readGolden(t *testing.T) []goldenLine {
	t.Helper()
	f, err := os.Open("testdata/strength-golden.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []goldenLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 7 {
			t.Fatalf("line %d: got %d columns, want 7", n, len(cols))
		}
		g := goldenLine{line: n, category: cols[0]}
		var acct struct {
			Email     string `json:"email"`
			FirstName string `json:"firstName"`
			LastName  string `json:"lastName"`
		}
		var err error
		g.score, err = strconv.Atoi(cols[4])
		for i, dst := range []any{&g.password, &acct, &g.canonical, nil, &g.warning, &g.suggestions} {
			if dst != nil && err == nil {
				err = json.Unmarshal([]byte(cols[i+1]), dst)
			}
		}
		if err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		g.account.Email, g.account.FirstName, g.account.LastName = acct.Email, acct.FirstName, acct.LastName
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The golden file is zxcvbn.js's judgement (through strength.ts) of thousands of passwords;
// the server must give every one the same canonical form, score, warning and suggestions.
func TestScore_Golden(t *testing.T) {
	lines := readGolden(t)
	if len(lines) < 5000 {
		t.Fatalf("got %d golden lines, want several thousand", len(lines))
	}
	agree := 0
	for _, g := range lines {
		inputs := UserInputs(g.account.Email, g.account.FirstName, g.account.LastName)
		c, _ := canonical(g.password, inputs)
		got := Score(g.password, inputs)
		ok := true
		if c != g.canonical {
			t.Errorf("line %d (%s) %q: got canonical %q, want %q", g.line, g.category, g.password, c, g.canonical)
			ok = false
		}
		if got.Score != g.score {
			t.Errorf("line %d (%s) %q: got score %d, want %d", g.line, g.category, g.password, got.Score, g.score)
			ok = false
		}
		if got.Warning != g.warning || !reflect.DeepEqual(got.Suggestions, g.suggestions) {
			t.Errorf("line %d (%s) %q: got feedback %q %q, want %q %q", g.line, g.category, g.password,
				got.Warning, got.Suggestions, g.warning, g.suggestions)
			ok = false
		}
		if ok {
			agree++
		}
	}
	t.Logf("Go and zxcvbn.js agree on %d of %d golden passwords", agree, len(lines))
}

// canonicalRune must change exactly the code points strength.ts's canonicalCodePoint does,
// over the whole of Unicode: testdata/canonical-runes.tsv lists them as Node computed them.
func TestCanonicalRune_MatchesJavaScript(t *testing.T) {
	want := map[rune]rune{}
	data, err := os.ReadFile("testdata/canonical-runes.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		from, to, ok := strings.Cut(l, "\t")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		f, err1 := strconv.ParseInt(from, 16, 32)
		g, err2 := strconv.ParseInt(to, 16, 32)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad line %q", l)
		}
		want[rune(f)] = rune(g)
	}
	if len(want) < 500 {
		t.Fatalf("got %d folded code points, want the table", len(want))
	}
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		w, ok := want[r]
		if !ok {
			w = r
		}
		if got := canonicalRune(r); got != w {
			t.Errorf("canonicalRune(%U): got %U, want %U", r, got, w)
		}
	}
}

// The cap: what follows the 64th character never changes the score, so a long input costs
// no more than 64 characters do (trustelem alone took seconds on 1,024).
func TestScore_Cap(t *testing.T) {
	base := strings.Repeat("Zq8!", 16)
	for _, tail := range []string{"", "password", strings.Repeat("😀", 1000), strings.Repeat("a", 10000)} {
		if got, want := Score(base+tail, nil), Score(base, nil); got.Score != want.Score || got.Guesses != want.Guesses {
			t.Errorf("tail %.10q: got %v, want %v", tail, got, want)
		}
	}
	c, _ := canonical(strings.Repeat("😀", 100), nil)
	if len(c) != MaxScoredRunes {
		t.Errorf("got %d canonical units, want %d", len(c), MaxScoredRunes)
	}
}

// 8 × "😀" scored 2 in trustelem (4 bytes each) and 0 in zxcvbn.js (2 UTF-16 units each);
// canonically it is one character repeated 8 times, on both sides.
func TestScore_EmojiRepeat(t *testing.T) {
	if got := Score(strings.Repeat("😀", 8), nil); got.Score != 0 || got.Warning != `Repeats like "aaa" are easy to guess` {
		t.Errorf("got %+v, want score 0 and the repeat warning", got)
	}
}

var benchPasswords = map[string]string{
	"Random64":    `v1irp&BhEA6CRa;g:|!a.[1|"e.n"1y^7b@o/rr8$+f9cz{4yA1>;<nl~yNHpzK`,
	"L33tHeavy64": strings.Repeat("4@8({[<3691!|7$5+%2", 4)[:64],
	"Passphrase":  "correct-lantern-harbour-oboe-velvet-quartz-meadow-tangerine-ok12",
	"Repeat64":    strings.Repeat("a", 64),
	"CJK64":       strings.Repeat("密码你好北京上海", 8),
	"Long1024":    strings.Repeat("Zq8!", 256),
	"Typical":     "Summer2019!",
}

// BenchmarkScore reports wall time (ns/op) and the process's CPU time (cpu-ms/op): on a
// machine shared by many jobs the first measures the queue, the second the work.
func BenchmarkScore(b *testing.B) {
	inputs := UserInputs("ada.lovelace@example.com", "Ada", "Lovelace")
	for name, pw := range benchPasswords {
		b.Run(name, func(b *testing.B) {
			start := cpuTime()
			for i := 0; i < b.N; i++ {
				Score(pw, inputs)
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
