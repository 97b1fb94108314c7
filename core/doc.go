// Package core is earshot's domain: contacts, touchpoints, survey runs and their answers,
// complaints and their standards, the weekly digest, and the conversation that drives them.
//
// It imports the standard library only. It declares the ports it needs — Store (with Tx),
// Messenger and Clock — and the neutral types that platform adapters translate to and from:
// Incoming (one inbound event) and Message (one outbound message). Nothing here knows which
// platform a person is on.
//
// Adapters see core through two published contracts: Handler (what they call) and Adapter
// (what they are: a Messenger with Run, plus optional capabilities found by type assertion;
// see adapter.go). The commands people can type are one table (Commands, commandtable.go)
// that the parser, /help and every platform's command menu come from.
package core
