package store

import (
	"context"
	"database/sql"
	"sync"
)

// The queries of the requests that come most often (GET /api/users/me's session check, a
// refresh's lookups and rotation) run on SQLite through statements prepared once: the SQLite
// driver prepares every other query from its text on each call, and parsing it was 12–17 % of
// those requests' CPU (pprof of BenchmarkAPI). database/sql keeps each statement prepared on
// every connection that has run it. PostgreSQL's driver (pgx) already caches its prepared
// statements per connection, so there the queries go as they are.
//
// A statement is prepared only where the caller holds no connection (prepare takes one from
// the pool, and a transaction waiting for one it holds itself would never get it); inside a
// transaction a statement not yet prepared runs from its text. Lookups take no lock, so a
// transaction never waits for a prepare in progress.
type statements struct {
	m sync.Map // query → *sql.Stmt
}

// prepared returns the statement for query, preparing it on first use; nil if the dialect
// needs none or it could not be prepared (the query then runs unprepared and reports its own
// error). The caller must hold no connection.
func (s *Store) prepared(ctx context.Context, query string) *sql.Stmt {
	if s.dialect != DialectSQLite {
		return nil
	}
	if st, ok := s.stmts.m.Load(query); ok {
		return st.(*sql.Stmt)
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if prev, loaded := s.stmts.m.LoadOrStore(query, st); loaded {
		st.Close() // another caller prepared it meanwhile
		return prev.(*sql.Stmt)
	}
	return st
}

// prepare prepares queries ahead of a transaction that will run them.
func (s *Store) prepare(ctx context.Context, queries ...string) {
	for _, q := range queries {
		s.prepared(ctx, q)
	}
}

// preparedInTx returns the statement for query if one is prepared already.
func (s *Store) preparedInTx(query string) *sql.Stmt {
	if st, ok := s.stmts.m.Load(query); ok {
		return st.(*sql.Stmt)
	}
	return nil
}

// queryRowHot is db.QueryRowContext through a prepared statement where that helps.
func (s *Store) queryRowHot(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.db.QueryRowContext(ctx, query, args...)
}

// txQueryRowHot is tx.QueryRowContext through a statement prepared already (prepare).
func (s *Store) txQueryRowHot(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := s.preparedInTx(query); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// txExecHot is tx.ExecContext through a statement prepared already (prepare).
func (s *Store) txExecHot(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := s.preparedInTx(query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// closeStatements closes the prepared statements; the store is closing.
func (s *Store) closeStatements() {
	s.stmts.m.Range(func(q, st any) bool {
		st.(*sql.Stmt).Close()
		s.stmts.m.Delete(q)
		return true
	})
}
