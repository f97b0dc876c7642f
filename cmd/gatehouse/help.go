package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

func find(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func isHelpFlag(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "--h"
}

// usage is the list of commands.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: gatehouse [command] [flags]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-21s %s\n", c.name, c.summary)
	}
	b.WriteString("\n\"gatehouse COMMAND -h\" says what a command does and lists its flags; every flag also has a\n" +
		"GATEHOUSE_* environment variable (a flag wins).\n")
	return b.String()
}

func writeUsage(w io.Writer) error {
	_, err := io.WriteString(w, usage())
	return err
}

// writeCommandHelp prints what cmd does and the flags fs holds.
func writeCommandHelp(w io.Writer, cmd command, fs *flag.FlagSet) {
	flags := " [flags]"
	if cmd.scope == 0 {
		flags = ""
	}
	if cmd.name == "help" {
		flags = " [command]"
	}
	if cmd.target != "" {
		flags = " " + cmd.target + flags
	}
	fmt.Fprintf(w, "usage: gatehouse %s%s\n\n%s\n", cmd.name, flags, cmd.doc)
	if cmd.scope == 0 {
		fmt.Fprintln(w, "\nIt takes no flags.")
		return
	}
	fmt.Fprintln(w, "\nflags (each also read from the GATEHOUSE_* variable it names; a flag wins):")
	fs.PrintDefaults()
	fmt.Fprintln(w, "\nGATEHOUSE_SECRET_KEY and GATEHOUSE_SECRET_KEY_PREVIOUS are read from the environment only\n"+
		"(a command line shows in process listings); the -secret-key*-file flags name files holding them.")
}
