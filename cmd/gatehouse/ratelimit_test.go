package main

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/ratelimit/ratelimittest"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func signIn(t *testing.T, base, email, password, device string) (int, map[string]any) {
	t.Helper()
	form := url.Values{"username": {email}, "password": {password}}
	if device != "" {
		form.Set("device_token", device)
	}
	return post(t, base+"/api/auth/token", "application/x-www-form-urlencoded", form.Encode())
}

// Two instances on one PostgreSQL and one Redis share their limits: N failed sign-ins split
// across them trip the account's limit as N on one would, and a device token one issued is
// honoured by the other.
func TestRun_TwoInstancesShareLimits(t *testing.T) {
	const n = 6
	env := map[string]string{
		"GATEHOUSE_DATABASE_URL": storetest.PostgresURL(t), "GATEHOUSE_BCRYPT_COST": "10",
		"GATEHOUSE_SECRET_KEY": newSecretKey(t),
		"GATEHOUSE_REDIS_URL":  ratelimittest.RedisURL(t), "GATEHOUSE_REDIS_PREFIX": ratelimittest.Prefix(t),
		"GATEHOUSE_RATE_SIGN_IN_ACCOUNT": fmt.Sprintf("1/h,%d", n),
		// Only the per-account limit is under test: the others, and the CAPTCHA that an
		// account under attack asks of untrusted clients (TestRun_CaptchaUnderAttack), stay
		// out of its way.
		"GATEHOUSE_RATE_SIGN_IN_ACCOUNT_IP": "off", "GATEHOUSE_RATE_SIGN_IN_IP": "off",
		"GATEHOUSE_CAPTCHA": "off",
	}
	ins := make([]*instance, 2)
	var wg sync.WaitGroup
	for i := range ins {
		wg.Go(func() { ins[i] = start(t, env) })
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i, in := range ins {
		if status, body := get(t, in.url+"/readyz", ""); status != http.StatusOK || body["rate_limit"] != "redis" {
			t.Fatalf("instance %d /readyz: got %d %v, want ready on redis", i, status, body)
		}
	}
	email, pw := "ada@example.com", "correct horse battery"
	status, _ := post(t, ins[0].url+"/api/auth/register", "application/json",
		fmt.Sprintf(`{"email":%q,"first_name":"Ada","last_name":"Lovelace","password":%q}`, email, pw))
	if status != http.StatusCreated {
		t.Fatalf("register: got %d", status)
	}
	status, body := signIn(t, ins[0].url, email, pw, "")
	device, _ := body["device_token"].(string)
	if status != http.StatusOK || device == "" {
		t.Fatalf("sign in: got %d %v, want 200 with a device_token", status, body)
	}
	for i := range n {
		if status, body := signIn(t, ins[i%2].url, email, "wrong password", ""); status != http.StatusUnauthorized {
			t.Fatalf("failure %d on instance %d: got %d %v, want 401", i+1, i%2, status, body)
		}
	}
	for i, in := range ins {
		if status, body := signIn(t, in.url, email, pw, ""); status != http.StatusTooManyRequests || body["code"] != "rate_limited" {
			t.Fatalf("instance %d after %d failures split across both: got %d %v, want 429 rate_limited", i, n, status, body)
		}
	}
	// The owner's device token, issued by instance 0, lets them in through instance 1.
	if status, body := signIn(t, ins[1].url, email, pw, device); status != http.StatusOK {
		t.Fatalf("owner's device on the other instance: got %d %v, want 200", status, body)
	}
}

// A Redis that does not answer costs nothing but sharing: the instance starts, serves on its
// own memory limits and says so in /readyz.
func TestRun_RedisDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	in := start(t, map[string]string{
		"GATEHOUSE_DATABASE_URL": storetest.SQLiteURL(t), "GATEHOUSE_BCRYPT_COST": "10",
		"GATEHOUSE_REDIS_URL": "redis://" + addr + "/0",
	})
	// Before any request has met the outage, /readyz already names the backend deciding.
	if status, body := get(t, in.url+"/readyz", ""); status != http.StatusOK || body["rate_limit"] != "memory" {
		t.Fatalf("first /readyz with Redis down: got %d %v, want ready on memory", status, body)
	}
	email, pw := "ada@example.com", "correct horse battery"
	status, _ := post(t, in.url+"/api/auth/register", "application/json",
		fmt.Sprintf(`{"email":%q,"first_name":"Ada","last_name":"Lovelace","password":%q}`, email, pw))
	if status != http.StatusCreated {
		t.Fatalf("register with Redis down: got %d, want 201", status)
	}
	if status, body := signIn(t, in.url, email, pw, ""); status != http.StatusOK {
		t.Fatalf("sign in with Redis down: got %d %v, want 200", status, body)
	}
	if status, body := get(t, in.url+"/readyz", ""); status != http.StatusOK || body["rate_limit"] != "memory" {
		t.Fatalf("/readyz with Redis down: got %d %v, want ready on memory", status, body)
	}
}
