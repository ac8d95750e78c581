// Command ferretdb runs FerretDB 1.24 (MongoDB wire protocol) on PostgreSQL, or on
// an SQLite directory. It embeds FerretDB's library package because `go install`
// of FerretDB's own cmd/ferretdb builds a binary that panics at start (a generated
// version file is missing from the published module).
//
// PostgreSQL is the default: FerretDB's SQLite backend scans the whole collection
// for every update by _id, which does not hold at tens of thousands of documents.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	handler := flag.String("handler", "postgresql", "storage backend: postgresql or sqlite")
	postgresURL := flag.String("postgresql-url", "", "postgresql handler: postgres://user@host:port/database")
	dataDir := flag.String("data-dir", "", "sqlite handler: directory for the SQLite files (created if missing)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	pprofAddr := flag.String("pprof-addr", "", "serve Go's profiler on this address (off by default)")
	flag.Parse()

	if *pprofAddr != "" {
		go func() { fmt.Fprintln(os.Stderr, http.ListenAndServe(*pprofAddr, nil)) }()
	}

	config := &ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: *listen}, Handler: *handler}
	switch *handler {
	case "postgresql":
		if *postgresURL == "" {
			fail(2, "--postgresql-url is required with --handler postgresql")
		}
		config.PostgreSQLURL = *postgresURL
	case "sqlite":
		if *dataDir == "" {
			fail(2, "--data-dir is required with --handler sqlite")
		}
		dir, err := filepath.Abs(*dataDir)
		if err == nil {
			err = os.MkdirAll(dir, 0o755)
		}
		if err != nil {
			fail(2, "data dir %q: %v", *dataDir, err)
		}
		config.SQLiteURL = "file:" + dir + "/" // FerretDB wants a directory URI with a trailing slash
	default:
		fail(2, "--handler must be postgresql or sqlite, got %q", *handler)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail(2, "--log-level: %v", err)
	}
	config.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(config)
	if err != nil {
		fail(1, "%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	config.Logger.Info("ferretdb listening", "addr", *listen, "handler", *handler)
	if err := f.Run(ctx); err != nil {
		fail(1, "%v", err)
	}
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(code)
}
