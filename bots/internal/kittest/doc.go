// Package kittest is what the adapters' tests share: a forged-webhook flood that measures
// the heap (Flood), and the messages core builds — a survey question, a complaint card, a
// digest, a relayed reply — that every adapter renders into golden files (Messages), so a
// change in core shows on all three. Tests alone import it.
package kittest
