// kstatus computes what Flux, kpt and `kubectl wait`-style tools make of an object's status, with
// the library they use (sigs.k8s.io/cli-utils/pkg/kstatus). It reads one object as JSON on stdin
// and prints two lines: the status (InProgress, Failed, Current, Terminating, NotFound, Unknown)
// and kstatus's message. The tests feed it RoomBans read from a real API server.
package main

import (
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(2, err)
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(data); err != nil {
		fail(2, err)
	}
	result, err := status.Compute(obj)
	if err != nil {
		fail(1, err)
	}
	fmt.Printf("%s\n%s\n", result.Status, result.Message)
}

func fail(code int, err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(code)
}
