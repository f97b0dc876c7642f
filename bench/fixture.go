package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Request kinds. Each target's URL carries its kind as a fragment ("…/api/users/me#me"):
// a client never sends the fragment, and vegeta hands the URL back with the result, so one
// attack that mixes kinds is still measured kind by kind.
const (
	kindRegister = "register"
	kindSignIn   = "sign-in"
	kindRefresh  = "refresh"
	kindMe       = "me"
)

// benchPassword is every bench user's password: long enough for any policy, under 72 bytes.
const benchPassword = "violet-kayak-mercury-19-bench"

// poolWait bounds how long a refresh waits for an unused refresh token before the attack
// stops: the pool only runs dry when refreshes fail and their chains are lost.
const poolWait = 5 * time.Second

// fixture holds what the scenarios need that setup made on the fresh server: users to sign in
// as, access tokens for GET /api/users/me, and chains of refresh tokens.
type fixture struct {
	base  string
	runID string
	users []string // emails the sign-in scenarios use, all with benchPassword
	// holders are the users whose sessions back access and chains, and whom no scenario signs
	// in: a flood of sign-ins as one user ends its least recently used sessions past the
	// server's per-user bound (GATEHOUSE_MAX_SESSIONS_PER_USER), which would turn GET
	// /api/users/me into 401s mid-run.
	holders []string
	access  []string // access tokens of sessions kept only for GET /api/users/me
	// chains holds the newest refresh token of each chain. A refresh takes one out, and its
	// successor goes back when the response arrives: each token is used exactly once.
	chains     chan string
	lostChains atomic.Int64

	registered atomic.Int64
	signIns    atomic.Int64
	mes        atomic.Int64
	mixes      atomic.Int64
}

// setupFixture registers users on the server at base, then signs in to mint chains refresh
// tokens and meTokens access tokens, parallel requests at a time.
func setupFixture(ctx context.Context, base string, users, chains, meTokens, parallel int) (*fixture, error) {
	f := &fixture{base: base, runID: randomHex(4), chains: make(chan string, chains)}
	client := &http.Client{Timeout: 60 * time.Second}
	for i := range users {
		f.users = append(f.users, fmt.Sprintf("bench-%s-user-%d@example.com", f.runID, i))
	}
	// Well under the server's default bound of 50 sessions a user.
	const sessionsPerHolder = 40
	for i := range (chains + meTokens + sessionsPerHolder - 1) / sessionsPerHolder {
		f.holders = append(f.holders, fmt.Sprintf("bench-%s-holder-%d@example.com", f.runID, i))
	}
	everyone := append(append([]string(nil), f.users...), f.holders...)
	err := parallelDo(ctx, len(everyone), parallel, func(i int) error {
		_, err := f.post(ctx, client, f.registerTarget(everyone[i]), http.StatusCreated)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("register bench users: %w", err)
	}
	var mu sync.Mutex
	err = parallelDo(ctx, chains+meTokens, parallel, func(i int) error {
		body, err := f.post(ctx, client, f.signInTarget(f.holders[i/sessionsPerHolder]), http.StatusOK)
		if err != nil {
			return err
		}
		tok, err := parseTokens(body)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if i < chains {
			f.chains <- tok.RefreshToken
		} else {
			f.access = append(f.access, tok.AccessToken)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sign bench users in: %w", err)
	}
	return f, nil
}

// setupAttempts is how often setup tries a request that met an overloaded server (5xx, 429):
// setup must not fail a run because the shared machine was slow for a moment.
const setupAttempts = 3

// post sends t and returns the body, or an error unless the status is want.
func (f *fixture) post(ctx context.Context, client *http.Client, t vegeta.Target, want int) ([]byte, error) {
	for attempt := 1; ; attempt++ {
		body, status, err := send(ctx, client, t)
		switch {
		case err != nil:
			return nil, err
		case status == want:
			return body, nil
		case (status >= 500 || status == http.StatusTooManyRequests) && attempt < setupAttempts:
			select {
			case <-time.After(time.Second):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			continue
		case status >= 200 && status < 300:
			return nil, fmt.Errorf("%s %s: got %d, want %d", t.Method, t.URL, status, want) // a 2xx body may hold tokens
		default:
			return nil, fmt.Errorf("%s %s: got %d %s, want %d", t.Method, t.URL, status, bytes.TrimSpace(body), want)
		}
	}
}

func send(ctx context.Context, client *http.Client, t vegeta.Target) ([]byte, int, error) {
	req, err := t.Request()
	if err != nil {
		return nil, 0, err
	}
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return body, resp.StatusCode, err
}

// register is a Targeter: a registration with an email no one has used.
func (f *fixture) register(t *vegeta.Target) error {
	n := f.registered.Add(1)
	*t = f.registerTarget(fmt.Sprintf("bench-%s-new-%d@example.com", f.runID, n))
	return nil
}

// signIn is a Targeter: the password grant for the next pre-registered user.
func (f *fixture) signIn(t *vegeta.Target) error {
	n := f.signIns.Add(1)
	*t = f.signInTarget(f.users[int(n)%len(f.users)])
	return nil
}

// refresh is a Targeter: the refresh_token grant with an unused token from the pool. It waits
// up to poolWait for one, then stops the attack.
func (f *fixture) refresh(t *vegeta.Target) error {
	select {
	case tok := <-f.chains:
		*t = f.form(kindRefresh, "/api/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok}})
		return nil
	case <-time.After(poolWait):
		return errors.New("no unused refresh token left: every chain was lost to a failed refresh")
	}
}

// me is a Targeter: GET /api/users/me with the next access token.
func (f *fixture) me(t *vegeta.Target) error {
	n := f.mes.Add(1)
	*t = vegeta.Target{
		Method: http.MethodGet,
		URL:    f.base + "/api/users/me#" + kindMe,
		Header: http.Header{"Authorization": {"Bearer " + f.access[int(n)%len(f.access)]}},
	}
	return nil
}

// mixShares is the realistic mix, in requests out of 100: mostly reading the user and
// refreshing, some sign-ins, few registrations.
var mixShares = []struct {
	kind  string
	share int
}{{kindMe, 70}, {kindRefresh, 25}, {kindSignIn, 4}, {kindRegister, 1}}

// mixHashShare is the fraction of the mix's requests that hash a password.
const mixHashShare = 0.05

// mix is a Targeter: the kinds of mixShares, spread evenly (every 100 requests hold exactly
// the shares, interleaved by a stride coprime with 100 rather than in runs).
func (f *fixture) mix(t *vegeta.Target) error {
	slot := int(f.mixes.Add(1)*37) % 100
	for _, m := range mixShares {
		if slot < m.share {
			switch m.kind {
			case kindMe:
				return f.me(t)
			case kindRefresh:
				return f.refresh(t)
			case kindSignIn:
				return f.signIn(t)
			default:
				return f.register(t)
			}
		}
		slot -= m.share
	}
	return f.me(t)
}

// settle returns a refresh's successor token to the pool, or counts its chain as lost when the
// refresh failed (the token may be spent, and reusing a spent one revokes the session).
func (f *fixture) settle(kind string, r *vegeta.Result) {
	if kind != kindRefresh {
		return
	}
	if r.Code == http.StatusOK {
		if tok, err := parseTokens(r.Body); err == nil && tok.RefreshToken != "" {
			f.chains <- tok.RefreshToken
			return
		}
	}
	f.lostChains.Add(1)
}

func (f *fixture) registerTarget(email string) vegeta.Target {
	body, _ := json.Marshal(map[string]string{
		"email": email, "first_name": "Bench", "last_name": "User", "password": benchPassword,
	})
	return vegeta.Target{
		Method: http.MethodPost,
		URL:    f.base + "/api/auth/register#" + kindRegister,
		Body:   body,
		Header: http.Header{"Content-Type": {"application/json"}},
	}
}

func (f *fixture) signInTarget(email string) vegeta.Target {
	return f.form(kindSignIn, "/api/auth/token", url.Values{
		"grant_type": {"password"}, "username": {email}, "password": {benchPassword},
	})
}

func (f *fixture) form(kind, path string, v url.Values) vegeta.Target {
	return vegeta.Target{
		Method: http.MethodPost,
		URL:    f.base + path + "#" + kind,
		Body:   []byte(v.Encode()),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
	}
}

// kindOf reads a result's kind from its URL's fragment.
func kindOf(rawURL string) string {
	_, kind, _ := strings.Cut(rawURL, "#")
	return kind
}

type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

func parseTokens(body []byte) (tokens, error) {
	var t tokens
	if err := json.Unmarshal(body, &t); err != nil {
		return t, fmt.Errorf("token response: %w", err)
	}
	if t.AccessToken == "" || t.RefreshToken == "" {
		return t, errors.New("token response without access_token or refresh_token")
	}
	return t, nil
}

// parallelDo calls f(0) … f(n-1), at most parallel at a time, and returns the first error.
func parallelDo(ctx context.Context, n, parallel int, f func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range n {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range max(parallel, 1) {
		wg.Go(func() {
			for i := range next {
				if err := f(i); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		})
	}
	wg.Wait()
	if first == nil {
		return ctx.Err() // the caller's context ended before every call was made
	}
	return first
}
