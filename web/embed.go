// Package web holds the built web app (Vite's output in dist/) so that the gatehouse binary
// serves the pages itself, and the list of paths the app routes. It knows nothing of the API
// it talks to.
package web

import (
	"embed"
	"encoding/json"
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

// appRoutes is the one list of the app's paths: the React router is tested against it too.
//
//go:embed app-routes.json
var appRoutes []byte

// Routes returns every path the web app routes ("/", "/auth/login", …), exactly as
// app-routes.json lists them, so the server can answer any other page path with 404.
func Routes() []string {
	var doc struct {
		Paths []string `json:"paths"`
	}
	if err := json.Unmarshal(appRoutes, &doc); err != nil {
		panic("web: app-routes.json: " + err.Error()) // embedded, so TestRoutes finds this first
	}
	return doc.Paths
}
