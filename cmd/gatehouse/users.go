package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"golang.org/x/term"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/password"
)

// userJSON is how --json prints a user: the API's fields, never the hash or the stamp.
type userJSON struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// HasPassword is false for a user imported without a usable password.
	HasPassword bool `json:"has_password"`
}

func toJSON(u auth.User) userJSON {
	return userJSON{u.ID.String(), u.Email, u.FirstName, u.LastName, u.CreatedAt, u.UpdatedAt, !auth.Unusable(u.PasswordHash)}
}

type listFlags struct {
	email, since string
	limit        int
	json         bool
}

var usersList = command{
	name: "users list", summary: "list users (--email SUBSTRING, --since DATE, --limit N, --json)",
	doc:   "List users, oldest first, as a table or with --json as a JSON array.",
	scope: config.ScopeDatabase,
	flags: func(fs *flag.FlagSet) any {
		f := &listFlags{}
		fs.StringVar(&f.email, "email", "", "only emails containing this")
		fs.StringVar(&f.since, "since", "", "only users created at or after this date (2006-01-02, or RFC 3339)")
		fs.IntVar(&f.limit, "limit", 0, "at most this many (0: all)")
		fs.BoolVar(&f.json, "json", false, "print JSON")
		return f
	},
	run: func(ctx context.Context, e *env) error {
		f := e.opts.(*listFlags)
		var since time.Time
		if f.since != "" {
			t, err := time.Parse(time.RFC3339, f.since)
			if err != nil {
				if t, err = time.Parse(time.DateOnly, f.since); err != nil {
					return usageError(fmt.Errorf("--since: %q is not a date (2006-01-02) or an RFC 3339 time", f.since))
				}
			}
			since = t
		}
		list, err := e.store.ListUsers(ctx, f.email, since, f.limit)
		if err != nil {
			return err
		}
		if f.json {
			out := make([]userJSON, len(list))
			for i, u := range list {
				out[i] = toJSON(u)
			}
			return writeJSON(e.stdout, out)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tCREATED")
		for _, u := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\n", u.ID, u.Email, u.FirstName, u.LastName, u.CreatedAt.Format(time.RFC3339))
		}
		return tw.Flush()
	},
}

type jsonFlag struct{ json bool }

var usersShow = command{
	name: "users show", summary: "show one user, with their sessions and email accounts counted",
	doc:    "Show the user with this email or id, with how many sessions and email accounts they have.",
	scope:  config.ScopeDatabase,
	target: "EMAIL|ID",
	flags: func(fs *flag.FlagSet) any {
		f := &jsonFlag{}
		fs.BoolVar(&f.json, "json", false, "print JSON")
		return f
	},
	run: func(ctx context.Context, e *env) error {
		u, err := findUser(ctx, e)
		if err != nil {
			return err
		}
		sessions, err := e.store.ListSessions(ctx, u.ID, time.Now())
		if err != nil {
			return err
		}
		accounts, err := e.store.ListEmailAccounts(ctx, u.ID)
		if err != nil {
			return err
		}
		if e.opts.(*jsonFlag).json {
			return writeJSON(e.stdout, struct {
				userJSON
				Sessions      int `json:"sessions"`
				EmailAccounts int `json:"email_accounts"`
			}{toJSON(*u), len(sessions), len(accounts)})
		}
		j := toJSON(*u)
		fmt.Fprintf(e.stdout, "id:             %s\nemail:          %s\nname:           %s %s\ncreated_at:     %s\nupdated_at:     %s\nhas_password:   %t\nsessions:       %d\nemail_accounts: %d\n",
			j.ID, j.Email, j.FirstName, j.LastName, j.CreatedAt.Format(time.RFC3339Nano), j.UpdatedAt.Format(time.RFC3339Nano), j.HasPassword, len(sessions), len(accounts))
		return nil
	},
}

type createFlags struct{ email, first, last string }

var usersCreate = command{
	name: "users create", summary: "create a user; the password is asked for without echo, or read from stdin",
	doc: "Create a user, validated as registration validates one: the password policy judges the password\n" +
		"with the user's email and names (GATEHOUSE_PASSWORD_*). On a terminal the password is asked\n" +
		"for twice without echo; otherwise the first line of stdin is the password.",
	scope: config.ScopeServe,
	flags: func(fs *flag.FlagSet) any {
		f := &createFlags{}
		fs.StringVar(&f.email, "email", "", "the email (required)")
		fs.StringVar(&f.first, "first-name", "", "the first name (required)")
		fs.StringVar(&f.last, "last-name", "", "the last name (required)")
		return f
	},
	run: func(ctx context.Context, e *env) error {
		f := e.opts.(*createFlags)
		svc, err := operatorService(e)
		if err != nil {
			return err
		}
		pw, err := readPassword(e)
		if err != nil {
			return err
		}
		u, err := svc.Register(ctx, auth.RegisterInput{Email: f.email, FirstName: f.first, LastName: f.last, Password: pw})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(e.stdout, "created user %s <%s>\n", u.ID, u.Email)
		return nil
	},
}

var usersSetPassword = command{
	name: "users set-password", summary: "set a user's password and sign every session of theirs out",
	doc: "Set the password of the user with this email or id, judged by the password policy as the API\n" +
		"judges one (with the user's email and names), and sign every session of theirs out. On a\n" +
		"terminal the password is asked for twice without echo;\n" +
		"otherwise the first line of stdin is the password.",
	scope: config.ScopeServe, target: "EMAIL|ID",
	run: func(ctx context.Context, e *env) error {
		svc, err := operatorService(e)
		if err != nil {
			return err
		}
		u, err := findUser(ctx, e)
		if err != nil {
			return err
		}
		pw, err := readPassword(e)
		if err != nil {
			return err
		}
		if err := svc.SetPassword(ctx, u.ID, pw); err != nil {
			return explain(err)
		}
		fmt.Fprintf(e.stdout, "password set for %s <%s>; every session signed out\n", u.ID, u.Email)
		return nil
	},
}

var usersRevokeSessions = command{
	name: "users revoke-sessions", summary: "sign every session of a user out",
	doc:   "Sign every session of the user with this email or id out, at once: their access tokens stop working.",
	scope: config.ScopeDatabase, target: "EMAIL|ID",
	run: func(ctx context.Context, e *env) error {
		svc, err := operatorService(e)
		if err != nil {
			return err
		}
		u, err := findUser(ctx, e)
		if err != nil {
			return err
		}
		n, err := svc.RevokeSessions(ctx, u.ID)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(e.stdout, "revoked %d sessions of %s <%s>\n", n, u.ID, u.Email)
		return nil
	},
}

var usersVerifyEmail = command{
	name: "users verify-email", summary: "mark a user's email address as verified",
	doc: "Mark the address of the user with this email or id as verified, as if they had used the link\n" +
		"or code of a verification mail (an earlier verification keeps its time). For an operator who\n" +
		"checked the address another way, or users imported from an app that did.",
	scope: config.ScopeDatabase, target: "EMAIL|ID",
	run: func(ctx context.Context, e *env) error {
		svc, err := operatorService(e)
		if err != nil {
			return err
		}
		u, err := findUser(ctx, e)
		if err != nil {
			return err
		}
		if u, err = svc.MarkEmailVerified(ctx, u.Email); err != nil {
			return explain(err)
		}
		fmt.Fprintf(e.stdout, "verified %s <%s> since %s\n", u.ID, u.Email, u.EmailVerifiedAt.UTC().Format(time.RFC3339))
		return nil
	},
}

type yesFlag struct{ yes bool }

var usersDelete = command{
	name: "users delete", summary: "delete a user with their sessions and email accounts (asks unless --yes)",
	doc: "Delete the user with this email or id, with their sessions and email accounts. It asks to\n" +
		"confirm (type the user's email) unless --yes; without --yes and without the confirmation it\n" +
		"deletes nothing and exits 4.",
	scope: config.ScopeDatabase, target: "EMAIL|ID",
	flags: func(fs *flag.FlagSet) any {
		f := &yesFlag{}
		fs.BoolVar(&f.yes, "yes", false, "do not ask to confirm")
		return f
	},
	run: func(ctx context.Context, e *env) error {
		svc, err := operatorService(e)
		if err != nil {
			return err
		}
		u, err := findUser(ctx, e)
		if err != nil {
			return err
		}
		if !e.opts.(*yesFlag).yes {
			fmt.Fprintf(e.stdout, "Delete %s <%s>, their sessions and email accounts? Type the email to confirm: ", u.ID, u.Email)
			line, _ := bufio.NewReader(e.stdin).ReadString('\n')
			if strings.TrimSpace(line) != u.Email {
				return &exitErr{exitDeclined, errors.New("not confirmed: nothing deleted")}
			}
		}
		if err := svc.RemoveUser(ctx, u.ID); err != nil {
			return explain(err)
		}
		fmt.Fprintf(e.stdout, "deleted %s <%s>\n", u.ID, u.Email)
		return nil
	},
}

// operatorService is the auth service the users commands change accounts through. It hashes
// at the configured cost and judges passwords by the configured policy; a database-scope
// command, which sets no password, reads neither and gets the defaults.
func operatorService(e *env) (*auth.Service, error) {
	cost := e.cfg.BcryptCost
	if cost == 0 {
		cost = password.DefaultCost
	}
	hasher, err := password.NewBcrypt(cost)
	if err != nil {
		return nil, err
	}
	policy, err := passwordPolicy(e.cfg.Password, e.log)
	if err != nil {
		return nil, err
	}
	return auth.NewService(auth.Options{Store: e.store, Hasher: hasher, Logger: e.log, PasswordPolicy: policy})
}

// findUser returns the user the command's argument names, or an error that exits 3.
func findUser(ctx context.Context, e *env) (*auth.User, error) {
	u, err := findByRef(ctx, e)
	if errors.Is(err, auth.ErrUserNotFound) {
		return nil, &exitErr{exitNotFound, fmt.Errorf("no user has the email or id %q", e.target)}
	}
	return u, err
}

func findByRef(ctx context.Context, e *env) (*auth.User, error) {
	ref := strings.TrimSpace(e.target)
	if u, err := e.store.FindUserByEmail(ctx, auth.NormalizeEmail(ref)); err == nil || !errors.Is(err, auth.ErrUserNotFound) {
		return u, err
	}
	id, perr := uuid.Parse(ref)
	if perr != nil {
		return nil, auth.ErrUserNotFound
	}
	return e.store.FindUserByID(ctx, id)
}

// readPassword asks for the password twice without echo on a terminal, or reads the first
// line of stdin otherwise (a script: printf '%s\n' "$PW" | gatehouse users create …).
func readPassword(e *env) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stdout, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stdout)
		if err != nil {
			return "", err
		}
		fmt.Fprint(e.stdout, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stdout)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// explain turns a validation error into one line per invalid field.
func explain(err error) error {
	var ae *auth.Error
	if errors.As(err, &ae) && len(ae.Fields) > 0 {
		parts := make([]string, len(ae.Fields))
		for i, f := range ae.Fields {
			parts[i] = f.Field + ": " + f.Msg
		}
		return errors.New(strings.Join(parts, "; "))
	}
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
