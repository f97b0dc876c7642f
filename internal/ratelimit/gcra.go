package ratelimit

import "time"

// decide runs GCRA for a cost of n under l, exactly as redis_rate's allowN Lua script does, in
// integer nanoseconds instead of float seconds. ahead is how far the key's stored TAT lies
// past now (0 for a key with no state or a TAT already passed). It returns the decision and,
// when allowed, the new TAT as an offset from now (0 means nothing needs storing).
//
// The script works in emission intervals of Period/Rate seconds, which are rarely a whole
// number of nanoseconds. Here every comparison is made multiplied by Rate, so it is exact:
// with T = Burst×Period (the burst offset times Rate), a cost is allowed when
// newAhead×Rate ≤ T. The one rounding is the TAT increment, n×Period/Rate, rounded down, so
// the limiter errs by under a nanosecond per event in the client's favour and Remaining never
// reads one short at an exact boundary. l and n must have passed check.
func decide(ahead int64, l Limit, n int) (res Result, newAhead int64) {
	rate, period, burst := int64(l.Rate), int64(l.Period), int64(l.Burst)
	limit := burst * period
	newAhead = ahead + int64(n)*period/rate
	res.Limit = l
	// A TAT written under a longer limit may lie past this one's burst; deny it without the
	// multiplication, which could overflow.
	if newAhead > limit/rate+1 {
		res.RetryAfter = time.Duration(newAhead - limit/rate)
		res.ResetAfter = time.Duration(ahead)
		return res, ahead
	}
	scaled := newAhead * rate
	if scaled <= limit {
		res.Allowed = true
		// Lua: remaining = floor((burst_offset - newAhead) / interval)
		//                = burst - ceil(newAhead×Rate / Period).
		res.Remaining = int(burst - (scaled+period-1)/period)
		res.ResetAfter = time.Duration(newAhead)
		return res, newAhead
	}
	// Lua: retry_after = allow_at - now = newAhead - burst_offset, rounded up to the
	// nanosecond so a client waiting exactly that long is allowed; reset_after = tat - now.
	res.RetryAfter = time.Duration((scaled - limit + rate - 1) / rate)
	res.ResetAfter = time.Duration(ahead)
	return res, ahead
}
