// Range and existence pushdown for FerretDB 1.24's PostgreSQL backend, added to its
// package at build time (see src/local/ferretdb-pushdown.ts).
//
// FerretDB 1.24 sends only equalities to PostgreSQL: a filter such as
// {lastUsedAt: {$lte: cutoff}} made it read and decode every document of the collection
// in Go, 115 s for a million commands, to return none. This sends PostgreSQL a condition
// that every matching document meets (a superset: FerretDB still applies the whole filter
// to what comes back), so the documents that cannot match never leave the database.
//
// The directory starts with an underscore so that `go build ./...` of our module skips it:
// the file belongs to FerretDB's package, not ours.
package postgresql

import (
	"fmt"
	"time"

	"github.com/FerretDB/FerretDB/internal/backends/postgresql/metadata"
)

// rangeOperators maps a query operator to PostgreSQL's jsonb comparison.
var rangeOperators = map[string]string{"$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}

// filterRange returns a WHERE condition (and its arguments) met by every document that
// matches {key: {op: value}}, or "" when it has none to offer. Only top-level keys:
// FerretDB strips dotted keys from most pushed filters anyway.
func filterRange(p *metadata.Placeholder, key string, topLevel bool, op string, value any) (string, []any) {
	if !topLevel {
		return "", nil
	}

	switch op {
	case "$exists":
		// Exact: a field stored with any value, null included, is a key of the document.
		exists, ok := value.(bool)
		if !ok {
			return "", nil
		}

		condition := fmt.Sprintf("%s ? %s", metadata.DefaultColumn, p.Next())
		if !exists {
			condition = "NOT (" + condition + ")"
		}

		return condition, []any{key}

	case "$lt", "$lte", "$gt", "$gte":
		// Dates only: FerretDB stores a date as a JSON number of milliseconds since the epoch,
		// which jsonb compares numerically (strings would follow the database's collation,
		// not MongoDB's byte order). jsonb orders null < string < number < boolean < array <
		// object: numbers beyond the bound and other types may come back (and are filtered
		// out by FerretDB), but an array, which matches when one of its elements does, sorts
		// above every number and needs its own arm below a bound.
		t, ok := value.(time.Time)
		if !ok {
			return "", nil
		}

		field := fmt.Sprintf("%s->%s", metadata.DefaultColumn, p.Next())
		condition := fmt.Sprintf("%s %s %s::jsonb", field, rangeOperators[op], p.Next())

		if op == "$lt" || op == "$lte" {
			condition = fmt.Sprintf("(%s OR jsonb_typeof(%s) = 'array')", condition, field)
		}

		return condition, []any{key, t.UnixMilli()}
	}

	return "", nil
}
