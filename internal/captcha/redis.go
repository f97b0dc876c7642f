package captcha

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// clockSkew is added to the time a used challenge is remembered, so an instance whose clock
// runs behind the one that spent it still finds it spent while it would accept it.
const clockSkew = time.Minute

// RedisReplays keeps used challenges in Redis, one key each (SET NX with a TTL), so a
// solution used on one instance is refused on every other that shares the Redis.
type RedisReplays struct {
	client redis.UniversalClient
	prefix string
	now    func() time.Time
}

// NewRedisReplays returns Replays on client whose keys start with prefix (e.g.
// "gatehouse:captcha:"). now is the clock; nil means time.Now.
func NewRedisReplays(client redis.UniversalClient, prefix string, now func() time.Time) *RedisReplays {
	if now == nil {
		now = time.Now
	}
	return &RedisReplays{client: client, prefix: prefix, now: now}
}

// Spend sets the challenge's key if it does not exist yet, expiring when the challenge does
// (plus clockSkew); Redis decides atomically which of several instances was first.
func (r *RedisReplays) Spend(ctx context.Context, id string, until time.Time) (bool, error) {
	ttl := until.Sub(r.now()) + clockSkew
	ok, err := r.client.SetNX(ctx, r.prefix+id, 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("redis: %w", err)
	}
	return ok, nil
}

// Fallback spends in Primary and, when Primary fails (Redis down), in Secondary, so an
// outage of the shared store does not refuse every challenge. During the outage a solution
// spent in Primary just before could be spent once more in Secondary: at most one replay per
// challenge, for at most its TTL.
type Fallback struct {
	Primary, Secondary Replays
}

// Spend spends id in Primary, or in Secondary when Primary fails.
func (f Fallback) Spend(ctx context.Context, id string, until time.Time) (bool, error) {
	ok, err := f.Primary.Spend(ctx, id, until)
	if err == nil {
		return ok, nil
	}
	ok, err2 := f.Secondary.Spend(ctx, id, until)
	if err2 != nil {
		return false, errors.Join(err, err2)
	}
	return ok, nil
}
