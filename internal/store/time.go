package store

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// timeFormat is how a time is written: UTC, microseconds, fixed width, so SQLite can compare
// and sort the text and PostgreSQL reads it as timestamptz at the precision it keeps.
const timeFormat = "2006-01-02T15:04:05.000000Z"

// timeValue writes a time.Time as timeFormat, truncated to the microsecond in both dialects
// (PostgreSQL would otherwise round).
type timeValue struct{ t time.Time }

// Value implements driver.Valuer.
func (v timeValue) Value() (driver.Value, error) {
	t := v.t.UTC().Truncate(time.Microsecond)
	if y := t.Year(); y < 1 || y > 9999 {
		return nil, fmt.Errorf("time %v out of range", t)
	}
	return t.Format(timeFormat), nil
}

// nullTimeValue writes a *time.Time as timeValue, or NULL when it is nil.
type nullTimeValue struct{ t *time.Time }

// Value implements driver.Valuer.
func (v nullTimeValue) Value() (driver.Value, error) {
	if v.t == nil {
		return nil, nil
	}
	return timeValue{*v.t}.Value()
}

// timeScan reads a time written by timeValue into *t, in UTC: text from SQLite, a time.Time
// from PostgreSQL.
type timeScan struct{ t *time.Time }

// Scan implements sql.Scanner.
func (s timeScan) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*s.t = v.UTC()
		return nil
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	case nil:
		return errors.New("scan time: NULL")
	default:
		return fmt.Errorf("scan time: unsupported type %T", src)
	}
}

func (s timeScan) parse(text string) error {
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return fmt.Errorf("scan time: %w", err)
	}
	*s.t = t.UTC()
	return nil
}

// nullTimeScan reads a nullable time into *t, leaving it nil for NULL.
type nullTimeScan struct{ t **time.Time }

// Scan implements sql.Scanner.
func (s nullTimeScan) Scan(src any) error {
	if src == nil {
		*s.t = nil
		return nil
	}
	var t time.Time
	if err := (timeScan{&t}).Scan(src); err != nil {
		return err
	}
	*s.t = &t
	return nil
}
