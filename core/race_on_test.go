//go:build race

package core_test

// raceBuild is true under the race detector, which makes the model test ten times slower.
const raceBuild = true
