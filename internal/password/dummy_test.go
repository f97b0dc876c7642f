package password

import "testing"

// Every cost Gatehouse accepts has its dummy hash embedded, at that very cost, so verifying it
// does the work of verifying a real user's hash; and it matches no password but its own.
func TestBcrypt_DummyHash(t *testing.T) {
	for cost := 4; cost <= 16; cost++ {
		b, err := NewBcrypt(cost)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := dummyHashes[cost]; !ok {
			t.Fatalf("cost %d: no embedded dummy hash", cost)
		}
		h, err := b.DummyHash()
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseBcrypt(h, 31)
		if err != nil || got != cost || b.NeedsRehash(h) {
			t.Errorf("cost %d: dummy hash has cost %d (%v), want %d", cost, got, err, cost)
		}
		if cost <= 6 { // verifying is the real bcrypt work: keep the test fast
			if ok, err := b.Verify(h, dummyPassword); !ok || err != nil {
				t.Errorf("cost %d: the dummy hash does not verify its password: %v, %v", cost, ok, err)
			}
			if ok, _ := b.Verify(h, "anything else"); ok {
				t.Errorf("cost %d: the dummy hash matched another password", cost)
			}
		}
	}
}
