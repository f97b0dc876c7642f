package password

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"math/bits"
	"os"
)

// BlocklistFalsePositiveRate is the chance that a password not on the list is taken for one
// that is: one in a million strong passwords is refused as common and the user picks another.
// It costs 29 bits (3.6 bytes) a line, so a 1 M-line list takes 3.6 MB and 10 M lines 36 MB.
const BlocklistFalsePositiveRate = 1e-6

// Blocklist is an operator's list of refused passwords (the NCSC's 100k, a HIBP-derived
// list, …) held as a Bloom filter: compact, and it never misses a listed password. Lines
// compare case-insensitively. A nil *Blocklist holds nothing. Safe for concurrent reads.
type Blocklist struct {
	bits   []uint64
	m      uint64 // number of bits
	k      int    // probes per password
	n      int    // lines added
	s1, s2 maphash.Seed
}

// NewBlocklist returns an empty blocklist sized for n passwords at
// BlocklistFalsePositiveRate. The hash seeds are random per process, so nobody can craft
// passwords that collide in it.
func NewBlocklist(n int) *Blocklist {
	n = max(n, 1)
	ln2 := math.Ln2
	m := uint64(math.Ceil(-float64(n) * math.Log(BlocklistFalsePositiveRate) / (ln2 * ln2)))
	m = (m + 63) &^ 63
	k := int(math.Round(float64(m) / float64(n) * ln2))
	return &Blocklist{bits: make([]uint64, m/64), m: m, k: max(k, 1), s1: maphash.MakeSeed(), s2: maphash.MakeSeed()}
}

// LoadBlocklist reads path, one password a line (a trailing \r is ignored, empty lines are
// skipped), in two passes: one to count the lines and size the filter, one to fill it, so
// memory stays at the filter's size whatever the file's.
func LoadBlocklist(path string) (*Blocklist, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load blocklist: %w", err)
	}
	defer f.Close()
	n := 0
	if err := eachLine(f, func([]byte) { n++ }); err != nil {
		return nil, fmt.Errorf("load blocklist %s: %w", path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("load blocklist: %w", err)
	}
	bl := NewBlocklist(n)
	if err := eachLine(f, bl.addBytes); err != nil {
		return nil, fmt.Errorf("load blocklist %s: %w", path, err)
	}
	return bl, nil
}

func eachLine(r io.Reader, f func([]byte)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	for sc.Scan() {
		line := bytes.TrimSuffix(sc.Bytes(), []byte("\r"))
		if len(line) > 0 {
			f(line)
		}
	}
	return sc.Err()
}

// Add puts pw on the list.
func (b *Blocklist) Add(pw string) { b.addBytes([]byte(pw)) }

func (b *Blocklist) addBytes(pw []byte) {
	h1, h2 := b.hash(pw)
	for i := 0; i < b.k; i++ {
		bit := b.probe(h1, h2, i)
		b.bits[bit/64] |= 1 << (bit % 64)
	}
	b.n++
}

// Contains reports whether pw is on the list, ignoring case; a false positive happens at
// BlocklistFalsePositiveRate.
func (b *Blocklist) Contains(pw string) bool {
	if b == nil || b.n == 0 {
		return false
	}
	h1, h2 := b.hash([]byte(pw))
	for i := 0; i < b.k; i++ {
		bit := b.probe(h1, h2, i)
		if b.bits[bit/64]&(1<<(bit%64)) == 0 {
			return false
		}
	}
	return true
}

// Len returns the number of lines added; Bytes the filter's size.
func (b *Blocklist) Len() int   { return b.n }
func (b *Blocklist) Bytes() int { return len(b.bits) * 8 }

// probe is the bit of the i-th probe: h1 + i·h2 over all 64 bits, scrambled (MurmurHash3's
// finaliser) and mapped onto the m bits by its high bits (Lemire's multiply-shift). Plain
// double hashing, (h1 + i·h2) mod m, degenerates on a short list, whose filter is small and
// probed many times (128 bits, 30 probes for 3 lines): a password whose h2 is close to a
// fraction of m with a small denominator probes only a few distinct bits, and 3 lines then
// refused one password in 500, not one in a million. The scramble makes every probe its own.
func (b *Blocklist) probe(h1, h2 uint64, i int) uint64 {
	x := h1 + uint64(i)*h2
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	hi, _ := bits.Mul64(x, b.m)
	return hi
}

// hash returns the two hashes of lower-cased pw that the k probes are made from
// (Kirsch–Mitzenmacher double hashing); h2 is odd so the probes never repeat early.
func (b *Blocklist) hash(pw []byte) (uint64, uint64) {
	var buf [128]byte
	pw = lower(buf[:0], pw)
	return maphash.Bytes(b.s1, pw), maphash.Bytes(b.s2, pw) | 1
}

// lower lower-cases s into buf when s is ASCII (no allocation: a million lines load without
// a million strings), and with bytes.ToLower otherwise.
func lower(buf, s []byte) []byte {
	for _, c := range s {
		switch {
		case c >= 0x80:
			return bytes.ToLower(s)
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}
