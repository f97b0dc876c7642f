package password

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// breachList is a hand-written BreachChecker: a set of breached passwords, or an outage.
type breachList struct {
	pws  map[string]bool
	err  error
	seen []string
}

func (b *breachList) Breached(_ context.Context, pw string) (bool, error) {
	b.seen = append(b.seen, pw)
	return b.pws[pw], b.err
}

var ada = Account{Email: "ada.lovelace@example.com", FirstName: "Ada", LastName: "Lovelace"}

func refusalType(err error) string {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Type
	}
	if err != nil {
		return "error: " + err.Error()
	}
	return ""
}

func TestPolicy_Check(t *testing.T) {
	bl := NewBlocklist(10)
	bl.Add("Tr0ub4dor&3-Operator")
	p := DefaultPolicy()
	p.Blocklist = bl
	p.Breached = &breachList{pws: map[string]bool{"quizzical-otter-marmalade-71": true}}
	tests := []struct {
		name, pw, want string
	}{
		{"TooShort", "Xk9#q2", TypeTooShort},
		{"TooShortRunes", "ééééééé", TypeTooShort},
		{"TooLongBytes", strings.Repeat("€", 24) + "a", TypeTooLong},
		{"TooLongASCII", strings.Repeat("a", 73), TypeTooLong},
		{"Password", "password", TypeCommon},
		{"Digits", "12345678", TypeCommon},
		{"ArticleExample", "password123", TypeCommon},
		{"CommonUpperCase", "BASEBALL", TypeCommon},
		{"OperatorList", "tr0ub4dor&3-operator", TypeCommon},
		{"LocalPart", "ada.lovelace", TypePersonal},
		{"NameAndYear", "Lovelace1815", TypePersonal},
		{"NameL33t", "L0v3l@c3!!", TypePersonal},
		{"Email", "ada.lovelace@example.com", TypePersonal},
		{"ServiceName", "Gatehouse2026!", TypePersonal},
		{"Weak", "asdfghjkl;'", TypeWeak},
		{"WeakWords", "monkeybanana", TypeWeak},
		{"Breached", "quizzical-otter-marmalade-71", TypeBreached},
		{"Passphrase", "correct lantern harbour oboe", ""},
		{"PassphraseHoldingShortName", "adamant harbour lantern velvet", ""},
		{"Random", "h7#Qz!v9Lm2$", ""},
		{"Greek", "θάλασσα-ουρανός-φίλος", ""},
		{"64Chars", "correct-lantern-harbour-oboe-velvet-quartz-meadow-tangerine-ok12", ""},
		{"Repeat64", strings.Repeat("xq7", 21) + "z", TypeWeak},
		{"Emoji8", strings.Repeat("😀", 8), TypeWeak},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := refusalType(p.Check(context.Background(), tt.pw, ada)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A weak password's message carries zxcvbn's advice, the words the meter shows.
func TestPolicy_WeakMessage(t *testing.T) {
	err := DefaultPolicy().Check(context.Background(), "asdfghjkl;'", Account{})
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("got %v, want a refusal", err)
	}
	st := Score("asdfghjkl;'", UserInputs("", "", ""))
	if r.Warning != st.Warning || r.Warning == "" || !strings.Contains(r.Message, st.Warning) {
		t.Errorf("got message %q warning %q, want zxcvbn's warning %q", r.Message, r.Warning, st.Warning)
	}
	for _, s := range st.Suggestions {
		if !strings.Contains(r.Message, strings.TrimSuffix(s, ".")) {
			t.Errorf("message %q lacks suggestion %q", r.Message, s)
		}
	}
	if strings.Contains(r.Message, "asdfghjkl;'") {
		t.Error("the message repeats the password")
	}
}

func TestPolicy_BreachCheck(t *testing.T) {
	outage := &breachList{err: errors.New("connection refused")}
	p := DefaultPolicy()
	p.Breached = outage
	strong := "correct lantern harbour oboe"
	if err := p.Check(context.Background(), strong, ada); err == nil || errors.As(err, new(*Refusal)) {
		t.Fatalf("outage: got %v, want a non-refusal error", err)
	}
	if r := p.NeedsChange(context.Background(), strong, ada); r != nil {
		t.Errorf("NeedsChange in an outage: got %v, want nil", r)
	}
	// A password refused offline never leaves the server.
	outage.seen = nil
	if refusalType(p.Check(context.Background(), "password", ada)) != TypeCommon || len(outage.seen) != 0 {
		t.Errorf("the breach checker saw %d passwords refused offline, want 0", len(outage.seen))
	}
}

func TestPolicy_NeedsChange(t *testing.T) {
	p := DefaultPolicy()
	p.MinLength = 15
	for pw, want := range map[string]string{
		"password123":                  TypeTooShort,
		"correct lantern harbour oboe": "",
		"lovelace lovelace lovelace":   TypePersonal,
		"passwordpasswordpassword":     TypeWeak,
	} {
		got := ""
		if r := p.NeedsChange(context.Background(), pw, ada); r != nil {
			got = r.Type
		}
		if got != want {
			t.Errorf("NeedsChange(%q): got %q, want %q", pw, got, want)
		}
	}
}

func TestPolicy_Validate(t *testing.T) {
	for _, p := range []Policy{{MinLength: 0, MinScore: 3}, {MinLength: 65, MinScore: 3}, {MinLength: 8, MinScore: 5}, {MinLength: 8, MinScore: -1}} {
		if p.Validate() == nil {
			t.Errorf("%+v: got nil, want an error", p)
		}
	}
	if err := DefaultPolicy().Validate(); err != nil {
		t.Error(err)
	}
}

func TestBuiltFromAccount(t *testing.T) {
	inputs := UserInputs(ada.Email, ada.FirstName, ada.LastName)
	for pw, want := range map[string]bool{
		"Ad@L0v3lace":                    true,
		"LOVELACE!!":                     true,
		"lövelâce99":                     true,
		"adamant harbour lantern velvet": false,
		"zebra quartz":                   false,
	} {
		if got := builtFromAccount(pw, inputs, false); got != want {
			t.Errorf("builtFromAccount(%q): got %v, want %v", pw, got, want)
		}
	}
}
