package sqlite

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// ms is a time for a nullable column: NULL for the zero time, else unix milliseconds.
func ms(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// msDue is a time for a NOT NULL due column: 0 ("at once") for the zero time.
func msDue(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// timeOf scans a time column into *t: NULL and 0 become the zero time, others UTC instants.
func timeOf(t *time.Time) timeScanner { return timeScanner{t} }

type timeScanner struct{ t *time.Time }

func (s timeScanner) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.t = time.Time{}
	case int64:
		if x == 0 {
			*s.t = time.Time{}
		} else {
			*s.t = time.UnixMilli(x).UTC()
		}
	default:
		return fmt.Errorf("time column holds %T", v)
	}
	return nil
}

// nullID is a reference column's value: NULL for 0.
func nullID(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// nullIDOf scans a nullable reference column into *n, NULL becoming 0.
func nullIDOf(n *int64) idScanner { return idScanner{n} }

type idScanner struct{ n *int64 }

func (s idScanner) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.n = 0
	case int64:
		*s.n = x
	default:
		return fmt.Errorf("id column holds %T", v)
	}
	return nil
}

// intPtr is a nullable integer column's value.
func intPtr(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

// intPtrOf scans a nullable integer column into *p, NULL becoming nil.
func intPtrOf(p **int) intPtrScanner { return intPtrScanner{p} }

type intPtrScanner struct{ p **int }

func (s intPtrScanner) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.p = nil
	case int64:
		n := int(x)
		*s.p = &n
	default:
		return fmt.Errorf("integer column holds %T", v)
	}
	return nil
}

// boolPtr is a nullable boolean column's value.
func boolPtr(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}

// boolPtrOf scans a nullable boolean column into *p, NULL becoming nil.
func boolPtrOf(p **bool) boolPtrScanner { return boolPtrScanner{p} }

type boolPtrScanner struct{ p **bool }

func (s boolPtrScanner) Scan(v any) error {
	if v == nil {
		*s.p = nil
		return nil
	}
	b, err := driver.Bool.ConvertValue(v)
	if err != nil {
		return fmt.Errorf("boolean column: %w", err)
	}
	x := b.(bool)
	*s.p = &x
	return nil
}
