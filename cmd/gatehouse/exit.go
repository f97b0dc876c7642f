package main

import (
	"errors"
	"strings"
)

// The exit codes gatehouse documents (README, "Commands").
const (
	exitOK       = 0 // done
	exitError    = 1 // failed: the database, the source, a refused password, …
	exitUsage    = 2 // a wrong command, flag or argument
	exitNotFound = 3 // users: no such user
	exitDeclined = 4 // users delete: the confirmation was not given
)

// exitErr carries the code main exits with.
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string { return e.err.Error() }
func (e *exitErr) Unwrap() error { return e.err }

func usageError(err error) error { return &exitErr{exitUsage, err} }

// exitCode is the code main exits with after err.
func exitCode(err error) int {
	var e *exitErr
	if errors.As(err, &e) {
		return e.code
	}
	if err == nil {
		return exitOK
	}
	return exitError
}

// subcommand joins a command that has actions (users) with its action, so "users list" is
// one entry of the table.
func subcommand(name string, rest []string) (string, []string) {
	if name != "users" || len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
		return name, rest
	}
	return name + " " + rest[0], rest[1:]
}
