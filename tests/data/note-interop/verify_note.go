// An independent check of conflict_ledger's signed checkpoints: the Go reference
// implementation of C2SP signed notes (golang.org/x/mod/sumdb/note, BSD licence; Debian
// package golang-golang-x-mod-dev) opens a note with a verifier key.
//
// usage: go run verify_note.go VKEY NOTEFILE   (prints the verified text, exit 1 if not)
package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/note"
)

func main() {
	verifier, err := note.NewVerifier(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad verifier key:", err)
		os.Exit(2)
	}
	msg, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fmt.Fprintln(os.Stderr, "rejected:", err)
		os.Exit(1)
	}
	fmt.Print(n.Text)
}
