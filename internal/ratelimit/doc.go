// Package ratelimit decides whether an event (a sign-in attempt, a registration, a refresh)
// may happen now for a key (a client, an account), and owns the state that decision needs.
// It knows nothing of HTTP routes or accounts: callers name keys and pick limits.
//
// # Algorithm
//
// Every backend runs one algorithm, GCRA (the generic cell rate algorithm, a token bucket
// stated in time): a Limit of Rate events per Period emits one unit every Period/Rate, and
// Burst units may be spent at once. Per key it stores one number, the theoretical arrival
// time (TAT): the instant at which the key would be fully replenished. An event of cost n is
// allowed when pushing the TAT forward by n emission intervals keeps it within Burst
// intervals of now. GCRA was chosen over fixed windows (which allow twice the rate across a
// window boundary) and sliding logs (memory per event): it is exact, needs one number per key,
// and answers remaining, retry-after and reset-after from that number alone.
//
// # Backends
//
// Memory (NewMemory) serves one instance. Its memory is bounded: a key whose TAT has passed
// holds no information and is dropped (lazily as its shard is used, or by Sweep), and a hard
// cap (MemoryOptions.MaxKeys) bounds the table under a flood of distinct keys. When a shard is
// full, the key with the earliest TAT is evicted first: the one whose history was closest to
// being forgotten anyway. A flood of one-off keys therefore evicts its own kind, while a key
// carrying a long debt (an account under a password-guessing attack) survives it. The table
// is split into shards, each with its own lock, so requests for different keys rarely wait
// for each other.
//
// Redis (NewRedis) shares the counters across instances. It runs redis_rate's GCRA Lua
// script: one atomic script per call, on Redis's own clock, so instances with skewed clocks
// still agree. Memory implements the same maths in integer nanoseconds, exactly; where the
// script's float seconds round visibly (Remaining, for intervals that are not whole
// seconds) the Redis backend recomputes the value. The conformance suite in ratelimittest
// holds both, and Failover, to the same decisions.
//
// # Redis failures
//
// Redis is a dependency, not a single point of failure. Failover wraps Redis and Memory:
// every Redis call has a short deadline (RedisOptions.Timeout, 150 ms by default); the first
// call that fails switches the limiter to its own memory limits, logs one warning for the
// outage, and starts a background probe. Requests never wait on a Redis known to be down and
// never see an error because of it. When the probe succeeds the limiter logs once and goes
// back to Redis. During an outage each instance enforces its limits alone, so a client
// spreading requests over k instances gets up to k times the rate until Redis returns.
package ratelimit
