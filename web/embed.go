// Package web holds the built web app (Vite's output in dist/) so that the gatehouse binary
// serves the pages itself. It knows nothing of the API it talks to.
package web

import (
	"embed"
	"io/fs"
)

// all: keeps files whose names start with "_" or ".", which Vite may emit.
//
//go:embed all:dist
var dist embed.FS

// Dist returns the built web app. It holds only .gitkeep when the app was not built
// (go build without Node); the server then answers with a "run make build" page.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees dist exists
	}
	return sub
}
