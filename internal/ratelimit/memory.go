package ratelimit

import (
	"container/heap"
	"context"
	"hash/maphash"
	"math/bits"
	"sync"
	"time"
)

// DefaultMaxKeys is the memory backend's default cap on keys. A key costs about 100 bytes
// plus its length beyond 20 (BenchmarkMemory_Bytes measures it), so a full table holds
// about 25 MB.
const DefaultMaxKeys = 1 << 18

// DefaultShards is the memory backend's default number of independently locked shards.
const DefaultShards = 64

// sweepPerCall bounds how many expired keys one Allow drops from its shard, so a shard full
// of expired keys is cleaned over several calls instead of stalling one.
const sweepPerCall = 8

// MemoryOptions configures NewMemory; the zero value gives the defaults.
type MemoryOptions struct {
	// MaxKeys caps the keys held (DefaultMaxKeys when 0). Each shard holds at most
	// MaxKeys/Shards, rounded up; a full shard evicts the key with the earliest TAT.
	MaxKeys int
	// Shards is the number of independently locked parts of the table, rounded up to a power
	// of two (DefaultShards when 0).
	Shards int
	// Now is the clock (time.Now when nil). Tests inject a fake one; only differences between
	// its readings matter, and a reading with a monotonic clock makes them immune to wall-clock
	// jumps.
	Now func() time.Time
}

// Memory is the in-process backend: exact, allocation-free on the hot path for known keys,
// and bounded in memory (see the package documentation). It starts no goroutine.
type Memory struct {
	shards []shard
	mask   uint64
	seed   maphash.Seed
	now    func() time.Time
	epoch  time.Time
}

// shard is one independently locked part of the table. The padding keeps neighbouring
// shards' locks off one cache line.
type shard struct {
	mu   sync.Mutex
	keys map[string]*entry
	tats tatHeap
	max  int
	_    [64]byte
}

// entry is one key's state: its TAT in nanoseconds since the Memory's epoch.
type entry struct {
	key   string
	tat   int64
	index int // position in the shard's heap
}

// NewMemory returns an empty memory backend.
func NewMemory(opts MemoryOptions) *Memory {
	if opts.MaxKeys <= 0 {
		opts.MaxKeys = DefaultMaxKeys
	}
	if opts.Shards <= 0 {
		opts.Shards = DefaultShards
	}
	n := 1 << bits.Len(uint(opts.Shards-1))
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := &Memory{
		shards: make([]shard, n),
		mask:   uint64(n - 1),
		seed:   maphash.MakeSeed(),
		now:    opts.Now,
	}
	m.epoch = m.now()
	perShard := (opts.MaxKeys + n - 1) / n
	for i := range m.shards {
		m.shards[i].keys = make(map[string]*entry)
		m.shards[i].max = perShard
	}
	return m
}

// Allow implements Limiter. Its error is non-nil only for an invalid limit or n.
func (m *Memory) Allow(_ context.Context, key string, l Limit, n int) (Result, error) {
	if err := check(l, n); err != nil {
		return Result{}, err
	}
	now := m.clock()
	s := m.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	// Expired keys are dropped after the decision, so a returning key reuses its entry.
	defer s.expire(now, sweepPerCall)
	e := s.keys[key]
	var ahead int64
	if e != nil && e.tat > now {
		ahead = e.tat - now
	}
	res, newAhead := decide(ahead, l, n)
	if !res.Allowed {
		return res, nil
	}
	switch {
	case newAhead == 0:
		if e != nil {
			s.remove(e)
		}
	case e != nil:
		e.tat = now + newAhead
		heap.Fix(&s.tats, e.index)
	default:
		s.insert(key, now+newAhead)
	}
	return res, nil
}

// Reset implements Limiter; it never fails.
func (m *Memory) Reset(_ context.Context, key string) error {
	s := m.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.keys[key]; e != nil {
		s.remove(e)
	}
	return nil
}

// Backend implements Limiter: it is always BackendMemory.
func (m *Memory) Backend() string { return BackendMemory }

// Sweep drops every key whose state has expired and returns how many it dropped. Allow
// already drops expired keys from the shards it touches; Sweep, run now and then in the
// background, also returns the memory of shards no request touches any more.
func (m *Memory) Sweep() int {
	now := m.clock()
	dropped := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		dropped += s.expire(now, len(s.keys))
		s.mu.Unlock()
	}
	return dropped
}

// Len returns the number of keys held, expired ones not yet dropped included.
func (m *Memory) Len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		n += len(s.keys)
		s.mu.Unlock()
	}
	return n
}

// clock returns nanoseconds since the epoch.
func (m *Memory) clock() int64 { return int64(m.now().Sub(m.epoch)) }

func (m *Memory) shard(key string) *shard {
	return &m.shards[maphash.String(m.seed, key)&m.mask]
}

// expire drops up to limit keys whose TAT is not after now, and returns how many it dropped.
// Such a key is in the same state as one never seen, so dropping it changes no decision.
func (s *shard) expire(now int64, limit int) int {
	dropped := 0
	for dropped < limit && len(s.tats) > 0 && s.tats[0].tat <= now {
		s.remove(s.tats[0])
		dropped++
	}
	return dropped
}

// insert adds key with tat, first evicting the key with the earliest TAT if the shard is full.
func (s *shard) insert(key string, tat int64) {
	if len(s.keys) >= s.max {
		s.remove(s.tats[0])
	}
	e := &entry{key: key, tat: tat}
	heap.Push(&s.tats, e)
	s.keys[key] = e
}

func (s *shard) remove(e *entry) {
	heap.Remove(&s.tats, e.index)
	delete(s.keys, e.key)
}

// tatHeap is a min-heap of entries by TAT: its root is the next key to expire, and the one
// to evict when the shard is full.
type tatHeap []*entry

func (h tatHeap) Len() int           { return len(h) }
func (h tatHeap) Less(i, j int) bool { return h[i].tat < h[j].tat }
func (h tatHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *tatHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}

func (h *tatHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}
