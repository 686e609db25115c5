// Fallback FerretDB launcher for .ci/install-ferretdb: embeds github.com/FerretDB/FerretDB/ferretdb and accepts the
// flags ackproof's resolver passes (unknown ones are ignored).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	fs := flag.NewFlagSet("ferretdb", flag.ContinueOnError)
	handler := fs.String("handler", "sqlite", "")
	sqliteURL := fs.String("sqlite-url", "file:data/", "")
	listen := fs.String("listen-addr", "127.0.0.1:27017", "")
	version := fs.Bool("version", false, "")
	for _, ignored := range []string{"state-dir", "telemetry", "debug-addr", "log-level"} {
		fs.String(ignored, "", "")
	}
	_ = fs.Parse(os.Args[1:])
	if *version {
		fmt.Println("version: v1.24.2 (embedded)")
		return
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   *handler,
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
