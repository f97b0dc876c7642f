package password

import (
	"fmt"
	"sync"
)

// dummyPassword is what the precomputed dummy hashes hash. It is no secret: a dummy hash
// belongs to no account, so knowing what matches it signs no one in.
const dummyPassword = "gatehouse dummy password"

// dummyHashes are bcrypt hashes of dummyPassword at every cost Gatehouse accepts (4 for
// tests, 10–16 in production), computed once and embedded, so that starting the service
// costs no hash at all. bcrypt's work depends only on the cost written in the hash, so
// verifying against one of these takes exactly as long as verifying a real user's hash of
// that cost.
var dummyHashes = map[int]string{
	4:  "$2a$04$3AKesgM/R6Y5c2kjwfEkJO5dLm/cBqGJ/Rtqb9oPauany1TPqlkRW",
	5:  "$2a$05$jSSga94ReE1n8COU3PVQouW7bI5av8i9GWW5uph6LIL5NogQyj8rq",
	6:  "$2a$06$VaHb1l795TUtIPxdB5a2MeJhlhVDkMf9UGoEAGQ/c55OubtFXwHL6",
	7:  "$2a$07$1VCEV8deeoxXL/v2tnLqxuvQANHgwCLOYon2N8WLn91cgehyIbS8e",
	8:  "$2a$08$PcckgDH4QEuN4zOZSGsBmubUhlk0Jzw9zfviyO/8Wup3Xpk49GWUu",
	9:  "$2a$09$a733CmHc/vcX.nWbk3vPV..WH5DEx.RlH6jwpls05WZrcycRl9NoW",
	10: "$2a$10$eEHZqBNEccz/AoTd/6mwAeXY3xAHyAX3Zqb9J0r5etnKn1q4y/Pse",
	11: "$2a$11$87m943/ZM5XurxvfkL5W7uOKIDxildKlfl0fzWdnS9eAgnySCJoI6",
	12: "$2a$12$GYgyjv8.7hZtpIhISVROW.GmMO.shjVqYBrSlnNIRA.9FIWFfPY9O",
	13: "$2a$13$iCRHM1iUJ3paUmI1ZHhW7.WpH1OwdbLyklcSYb1ngrnmCqHexp0Ni",
	14: "$2a$14$yOPjp5PBZkA5BhA5ctNm5ORYF9WnUXosZFa/.b2./EIcBPx.P0ltm",
	15: "$2a$15$hx4TsA96WQy12CDclKupVO8CER7iaXjDjN3oWja/75N1pCRqgl5EW",
	16: "$2a$16$CbK.peBa29KV6QYepvCi6u9GPuOkuoP2H4M0cG0a5qo9emX0ytLom",
}

// DummyHash returns a bcrypt hash at b's cost that belongs to no account, for the service to
// verify when an email is unknown, so a failed sign-in takes as long whether or not the
// account exists. It is embedded for the costs 4–16; any other cost computes it on first use
// (once per Bcrypt), so the first caller pays one hash more, never one less.
func (b *Bcrypt) DummyHash() (string, error) {
	if h, ok := dummyHashes[b.cost]; ok {
		return h, nil
	}
	b.dummyOnce.Do(func() {
		b.dummy, b.dummyErr = b.Hash(dummyPassword)
		if b.dummyErr != nil {
			b.dummyErr = fmt.Errorf("dummy hash: %w", b.dummyErr)
		}
	})
	return b.dummy, b.dummyErr
}

// lazyDummy is the part of Bcrypt that computes a dummy hash for a cost not embedded.
type lazyDummy struct {
	dummyOnce sync.Once
	dummy     string
	dummyErr  error
}
