package ratelimit

// RedisStorageKey exposes, to this package's tests only, the key Redis stores key's state
// under, without redis_rate's "rate:" prefix.
func RedisStorageKey(r *Redis, key string) string { return r.storageKey(key) }
