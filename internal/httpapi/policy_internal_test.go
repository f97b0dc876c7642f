package httpapi

import (
	"encoding/json"
	"net/http"
	"testing"
)

// The slots the next issues fill are documented from the policy already, and a server that
// would not enforce them refuses to start rather than promise what it does not do.
func TestPolicy_Extensions(t *testing.T) {
	rt := route{
		method: http.MethodPost, path: "/api/example",
		policy: policy{rateLimit: "sign-in", captcha: "register", maxBody: 1 << 10},
		op:     operation{id: "example", tag: "test", summary: "Example", body: struct{}{}},
	}
	var doc struct {
		Paths map[string]map[string]struct {
			RateLimit string                    `json:"x-rate-limit"`
			Captcha   string                    `json:"x-captcha"`
			BodyLimit int                       `json:"x-body-limit"`
			Responses map[string]map[string]any `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(mustSpec([]route{rt}, "test"), &doc); err != nil {
		t.Fatal(err)
	}
	op := doc.Paths["/api/example"]["post"]
	if op.RateLimit != "sign-in" || op.Captcha != "register" || op.BodyLimit != 1<<10 {
		t.Errorf("got x-rate-limit %q, x-captcha %q, x-body-limit %d; want sign-in, register, 1024", op.RateLimit, op.Captcha, op.BodyLimit)
	}
	for _, status := range []string{"413", "429"} {
		if _, ok := op.Responses[status]; !ok {
			t.Errorf("no %s response among %v", status, op.Responses)
		}
	}

	defer func() {
		if recover() == nil {
			t.Error("a route with a rate-limit class was served though nothing enforces it")
		}
	}()
	(&server{}).chain(rt)
}

// The CAPTCHA slot is enforced now, so a route that asks for it is served; a route naming an
// action that does not exist still refuses to start.
func TestPolicy_CaptchaEnforced(t *testing.T) {
	ok := route{method: http.MethodPost, path: "/api/example", policy: policy{captcha: "register"}}
	(&server{}).chain(ok)

	defer func() {
		if recover() == nil {
			t.Error("a route with an unknown CAPTCHA action was served")
		}
	}()
	bad := route{method: http.MethodPost, path: "/api/example", policy: policy{captcha: "checkout"}}
	(&server{}).chain(bad)
}
