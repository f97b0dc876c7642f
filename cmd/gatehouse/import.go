package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/importer"
)

// importFlags are import's own flags.
type importFlags struct {
	from, format, onConflict string
	dryRun                   bool
	batch                    int
	progress                 string
}

var importCommand = command{
	name:    "import",
	summary: "import the users of another deployment (the article's FastAPI database, or JSON Lines)",
	doc: "Import users, with their ids, timestamps and password hashes as they are, so each signs in\n" +
		"with the password they have. --from names the article's SQLite file, its PostgreSQL URL, or a\n" +
		"JSON Lines file (.jsonl, or --format jsonl). Every row that cannot be imported is reported on\n" +
		"its own line with its id and why; none stops the rest. Users already imported (same id) are\n" +
		"left as they are, so a re-run never duplicates or overwrites. Each batch is one transaction.\n" +
		"--dry-run reports the same and writes nothing.",
	scope: config.ScopeDatabase,
	flags: func(fs *flag.FlagSet) any {
		f := &importFlags{}
		fs.StringVar(&f.from, "from", "", "the source: a SQLite file, a postgres:// URL, or a JSON Lines file")
		fs.StringVar(&f.format, "format", "", "article or jsonl (default: jsonl for a .jsonl or .ndjson file, else article)")
		fs.StringVar(&f.onConflict, "on-conflict", "skip", "users whose emails differ only in case: skip (import none), recent (keep the one updated last) or first (keep the one created first)")
		fs.BoolVar(&f.dryRun, "dry-run", false, "report what would be imported and write nothing")
		fs.IntVar(&f.batch, "batch-size", 2000, "users per transaction")
		fs.StringVar(&f.progress, "progress", "auto", "auto (a bar on a terminal, else a line every 5 s), bar, lines or none")
		return f
	},
	run: runImport,
}

func runImport(ctx context.Context, e *env) error {
	f := e.opts.(*importFlags)
	if f.from == "" {
		return usageError(fmt.Errorf("import: --from is required"))
	}
	policy, err := importer.ParseOnConflict(f.onConflict)
	if err != nil {
		return usageError(err)
	}
	format := f.format
	if format == "" {
		format = "article"
		if strings.HasSuffix(f.from, ".jsonl") || strings.HasSuffix(f.from, ".ndjson") {
			format = "jsonl"
		}
	}
	var records []importer.Record
	switch format {
	case "article":
		records, err = importer.ReadArticle(ctx, f.from)
	case "jsonl":
		var file *os.File
		if file, err = os.Open(f.from); err == nil {
			records, err = importer.ReadJSONL(file)
			file.Close()
		}
	default:
		return usageError(fmt.Errorf("import: --format must be article or jsonl, not %q", f.format))
	}
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	bar := newProgress(e.stdout, f.progress)
	sum, err := importer.Run(ctx, records, importer.Options{
		Store: e.store, OnConflict: policy, DryRun: f.dryRun, BatchSize: f.batch, Writers: writers(e),
		Report:   func(p importer.Problem) { bar.line(p.String()) },
		Progress: bar.update,
	})
	bar.finish()
	if err != nil {
		return fmt.Errorf("import: stopped after %d users were imported: %w (a re-run goes on where it stopped)", sum.Imported, err)
	}
	what := "imported"
	if sum.DryRun {
		what = "would import (dry run: nothing written)"
	}
	fmt.Fprintf(e.stdout, "%s %d of %d users (%d email accounts); %d already there, %d not imported, %d without a usable password; %d problems reported; %s\n",
		what, sum.Imported, sum.Read, sum.Accounts, sum.Existing, sum.Skipped, sum.NoPassword, sum.Problems, sum.Elapsed.Round(1e6))
	return nil
}

// writers is how many batches import writes at once: PostgreSQL spreads them over its cores;
// SQLite writes one transaction at a time anyway.
func writers(e *env) int {
	if e.store.Dialect() == "postgres" {
		return 4
	}
	return 1
}
