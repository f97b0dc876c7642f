package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readmeBlock returns the first ```sh block after heading in the README.
func readmeBlock(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no heading %q", heading)
	}
	_, block, ok := strings.Cut(after, "```sh\n")
	if !ok {
		t.Fatalf("README: no ```sh block after %q", heading)
	}
	block, _, ok = strings.Cut(block, "\n```")
	if !ok {
		t.Fatalf("README: the ```sh block after %q is not closed", heading)
	}
	return block
}

// The README's curl walk-through runs as printed (only the address differs), in bash with
// errexit and pipefail: a step that fails, or a token the one-liners fail to capture, fails
// the test.
func TestREADME_CurlWalkthrough(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is needed to run the README's example: %v", tool, err)
			}
			t.Skipf("%s not found: %v", tool, err)
		}
	}
	script := readmeBlock(t, "### The article's flow with curl")
	base := start(t, map[string]string{
		"GATEHOUSE_DATABASE_URL": filepath.Join(t.TempDir(), "gatehouse.db"),
		"GATEHOUSE_BCRYPT_COST":  "10",
	})
	script = strings.ReplaceAll(script, "http://localhost:8000", base.url)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's curl walk-through failed: %v\n%s", err, out)
	}
	for _, want := range []string{
		`{"message":"User registered successfully"}`,
		`"email":"test@example.com"`,
		`"token_type":"bearer"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}
