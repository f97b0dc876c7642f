package captcha_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/captcha"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/secret"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

// servers are closed, and their files removed, when the tests end (TestMain).
var cleanups []func()

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(code)
}

// startServer starts a real Gatehouse (real service, a SQLite file, bcrypt at its lowest
// cost) requiring a solved challenge on every registration, and returns its URL. Examples
// have no *testing.T, hence the panics.
func startServer() string {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "gatehouse-example-")
	must(err)
	cleanups = append(cleanups, func() { os.RemoveAll(dir) })
	key, err := secret.NewKey()
	must(err)
	secrets, err := secret.NewKeyring(key)
	must(err)
	st, err := store.Open(ctx, filepath.Join(dir, "gatehouse.db"), secrets)
	must(err)
	must(st.Migrate(ctx))
	keys, err := token.NewKeyring(ctx, st, 15*time.Minute, time.Now)
	must(err)
	hasher, err := password.NewBcrypt(4)
	must(err)
	svc, err := auth.NewService(auth.Options{
		Store: st, Hasher: hasher, RefreshTTL: time.Hour,
		Tokens: token.NewIssuer(keys, "http://gatehouse.test", "gatehouse", 15*time.Minute),
	})
	must(err)
	ck, err := st.CaptchaKey(ctx, secret.NewKey)
	must(err)
	pow, err := captcha.NewPoW(captcha.PoWOptions{Key: ck, Replays: captcha.ReplaysFunc(st.SpendCaptcha)})
	must(err)
	gate, err := captcha.NewGate(captcha.GateOptions{Provider: captcha.ProviderPoW, PoW: pow, RegisterAlways: true})
	must(err)
	srv := httptest.NewServer(httpapi.NewServer(svc, keys, httpapi.Options{
		Mailboxes: mailbox.NewService(mailbox.Options{Store: st}), Captcha: gate, RefreshTTL: time.Hour,
	}))
	cleanups = append(cleanups, func() { srv.Close(); st.Close() })
	return srv.URL
}
