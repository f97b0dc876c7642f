package captcha_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// A client that is not a browser solves the proof of work itself: fetch a challenge for the
// action, try n = 0, 1, 2, … until hex(SHA-256(salt + n)) is the challenge, and send the
// challenge back with n, as base64 JSON, in the request's captcha field. Only the standard
// library is needed; at the default difficulty it takes milliseconds.
func Example_client() {
	base := startServer() // a real Gatehouse that requires a CAPTCHA on every registration

	resp, err := http.Get(base + "/api/auth/captcha?action=register")
	if err != nil {
		panic(err)
	}
	var c struct {
		Algorithm string `json:"algorithm"`
		Challenge string `json:"challenge"`
		MaxNumber int64  `json:"maxnumber"`
		Salt      string `json:"salt"`
		Signature string `json:"signature"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		panic(err)
	}
	resp.Body.Close()

	number := int64(-1)
	for n := int64(0); n <= c.MaxNumber; n++ {
		sum := sha256.Sum256([]byte(c.Salt + strconv.FormatInt(n, 10)))
		if hex.EncodeToString(sum[:]) == c.Challenge {
			number = n
			break
		}
	}
	solution, _ := json.Marshal(map[string]any{
		"algorithm": c.Algorithm, "challenge": c.Challenge, "number": number,
		"salt": c.Salt, "signature": c.Signature,
	})

	body, _ := json.Marshal(map[string]string{
		"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace", "password": "correct horse battery",
		"captcha": base64.StdEncoding.EncodeToString(solution),
	})
	resp, err = http.Post(base+"/api/auth/register", "application/json", bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)

	// The same solution a second time is refused.
	resp, err = http.Post(base+"/api/auth/register", "application/json", bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	var refusal struct{ Code string }
	_ = json.NewDecoder(resp.Body).Decode(&refusal)
	resp.Body.Close()
	fmt.Println(resp.Status, refusal.Code)
	// Output:
	// 201 Created
	// 403 Forbidden captcha_invalid
}
