package auth

import (
	"strings"
	"testing"
)

func TestValidEmail(t *testing.T) {
	t.Parallel()
	label63 := strings.Repeat("d", 63)
	local64 := strings.Repeat("a", 64)
	// 64 + 1 + 189 = 254 bytes, the most an address may have.
	longest := local64 + "@" + label63 + "." + label63 + "." + strings.Repeat("d", 61)
	for _, tc := range []struct {
		email string
		want  bool
	}{
		{"ada@example.com", true},
		{"a@b.co", true},
		{"ada.lovelace@example.co.uk", true},
		{"ada+newsletter@example.com", true},
		{"o'brien@example.ie", true},
		{"x_y-z@sub-domain.example.org", true},
		{"!#$%&'*+/=?^_`{|}~-@example.com", true},
		{"1234@123.example", true},
		{"ada@xn--bcher-kva.example", true},
		{"käthe@bücher.example", true},
		{"用户@例子.广告", true},
		{"ada@example.c0m", true},
		{local64 + "@example.com", true},
		{longest, true},
		{"ada@" + label63 + ".example", true},

		{"", false},
		{"ada", false},
		{"ada@", false},
		{"@example.com", false},
		{"ada@example", false},
		{"ada@example.", false},
		{"ada@.example.com", false},
		{"ada@example..com", false},
		{"ada@@example.com", false},
		{"ada@b@example.com", false},
		{".ada@example.com", false},
		{"ada.@example.com", false},
		{"a..da@example.com", false},
		{"ada lovelace@example.com", false},
		{"ada@exam ple.com", false},
		{`"ada"@example.com`, false},
		{"ada(comment)@example.com", false},
		{"ada@[192.0.2.1]", false},
		{"ada@192.0.2.1", false},
		{"ada@example.123", false},
		{"ada@-example.com", false},
		{"ada@example-.com", false},
		{"ada@exam_ple.com", false},
		{"ada@example.com\n", false},
		{"ada\x00@example.com", false},
		{strings.Repeat("a", 65) + "@example.com", false},
		{"ada@" + label63 + "d.example", false},
		{longest + "d", false},
	} {
		if got := validEmail(tc.email); got != tc.want {
			t.Errorf("validEmail(%q): got %v, want %v", tc.email, got, tc.want)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"ada@example.com", "ada@example.com"},
		{"  Ada@Example.COM ", "ada@example.com"},
		{"\tADA@EXAMPLE.COM\r\n", "ada@example.com"},
		{"\u00a0ada@example.com\u2003", "ada@example.com"},
		{"Käthe@Bücher.Example", "käthe@bücher.example"},
		{"ada @example.com", "ada @example.com"},
		{"", ""},
	} {
		if got := normalizeEmail(tc.in); got != tc.want {
			t.Errorf("normalizeEmail(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}
